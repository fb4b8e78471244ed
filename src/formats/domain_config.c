#include "domain_config.h"

#include <string.h>
#include <unistd.h>

#include "domsnap.h"
#include "util/ds_names.h"

static const DsField disk_fields[] = {
    DS_FIELD(DsDomainDisk, vdev, DS_FIELD_STRING, .required = TRUE),
    DS_FIELD(DsDomainDisk, pdev_path, DS_FIELD_STRING, .required = TRUE),
    DS_FIELD(DsDomainDisk, format, DS_FIELD_ENUM, .enums = &ds_disk_format_table,
             .required = TRUE),
    DS_FIELD(DsDomainDisk, readwrite, DS_FIELD_BOOL),
    { NULL }
};
const DsRecordType ds_domain_disk_type = { "disk", sizeof(DsDomainDisk), disk_fields };

static const DsField c_info_fields[] = {
    DS_FIELD(DsDomainCreateInfo, name, DS_FIELD_STRING, .required = TRUE),
    DS_FIELD(DsDomainCreateInfo, uuid, DS_FIELD_STRING),
    { NULL }
};
static const DsRecordType c_info_type = { "c_info", sizeof(DsDomainCreateInfo), c_info_fields };

static const DsField b_info_fields[] = {
    DS_FIELD(DsDomainBuildInfo, max_vcpus, DS_FIELD_INT, .required = TRUE),
    DS_FIELD(DsDomainBuildInfo, max_memkb, DS_FIELD_INT, .required = TRUE),
    DS_FIELD(DsDomainBuildInfo, kernel, DS_FIELD_STRING),
    DS_FIELD(DsDomainBuildInfo, ramdisk, DS_FIELD_STRING),
    DS_FIELD(DsDomainBuildInfo, cmdline, DS_FIELD_STRING),
    { NULL }
};
static const DsRecordType b_info_type = { "b_info", sizeof(DsDomainBuildInfo), b_info_fields };

static const DsField qemu_fields[] = {
    DS_FIELD(DsDomainQemuInfo, accel, DS_FIELD_STRING),
    DS_FIELD(DsDomainQemuInfo, machine, DS_FIELD_STRING),
    DS_FIELD(DsDomainQemuInfo, serial, DS_FIELD_STRV),
    { NULL }
};
static const DsRecordType qemu_type = { "qemu", sizeof(DsDomainQemuInfo), qemu_fields };

static const DsField xen_fields[] = {
    DS_FIELD(DsDomainXenInfo, libxl_config, DS_FIELD_JSON),
    { NULL }
};
static const DsRecordType xen_type = { "xen", sizeof(DsDomainXenInfo), xen_fields };

static const DsField config_fields[] = {
    DS_FIELD(DsDomainConfig, c_info, DS_FIELD_STRUCT, .sub = &c_info_type, .required = TRUE),
    DS_FIELD(DsDomainConfig, b_info, DS_FIELD_STRUCT, .sub = &b_info_type, .required = TRUE),
    DS_FIELD(DsDomainConfig, disks, DS_FIELD_ARRAY, .sub = &ds_domain_disk_type),
    DS_FIELD(DsDomainConfig, qemu, DS_FIELD_STRUCT, .sub = &qemu_type),
    DS_FIELD(DsDomainConfig, xen, DS_FIELD_STRUCT, .sub = &xen_type),
    { NULL }
};
const DsRecordType ds_domain_config_type = { "domain_config", sizeof(DsDomainConfig),
                                             config_fields };

const char *const ds_domain_config_keys[] = {
    "name", "uuid", "memory", "vcpus", "kernel", "ramdisk", "extra", "cmdline",
    "root", "disk", "accel", "machine", "serial", NULL,
};

void
ds_domain_config_free(DsDomainConfig *config)
{
    ds_record_free(&ds_domain_config_type, config);
}

static gboolean
get_existing_file(const DsCfg *cfg, const char *key, char **out, GError **error)
{
    const DsCfgValue *v = NULL;
    g_autofree char *path = NULL;

    if (!ds_cfg_get_string(cfg, key, &v, error))
        return FALSE;
    if (!v)
        return TRUE;
    path = ds_cfg_resolve_path(&v->loc, v->str);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        ds_cfg_error(error, &v->loc, "%s file '%s' does not exist", key, path);
        return FALSE;
    }
    *out = g_steal_pointer(&path);
    return TRUE;
}

static DsDomainDisk *
disk_from_spec(const DsCfgValue *v, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(DsDiskSpec) spec = ds_disk_spec_parse(v->str, &local);
    g_autofree DsDomainDisk *disk = NULL;

    if (!spec) {
        ds_cfg_error(error, &v->loc, "%s", local->message);
        return NULL;
    }
    if (spec->is_cdrom) {
        ds_cfg_error(error, &v->loc, "disk '%s': cdrom devices are not supported by domsnap",
                     spec->vdev);
        return NULL;
    }
    if (spec->format != DS_DISK_FORMAT_RAW && spec->format != DS_DISK_FORMAT_QCOW2) {
        ds_cfg_error(error, &v->loc,
                     "disk '%s': format '%s' is unsupported (domsnap supports raw and qcow2)",
                     spec->vdev, ds_enum_to_string(&ds_disk_format_table, spec->format));
        return NULL;
    }
    if (spec->script) {
        ds_cfg_error(error, &v->loc, "disk '%s': block scripts ('%s') are not supported by the qemu driver",
                     spec->vdev, spec->script);
        return NULL;
    }
    if (!ds_name_check("disk", spec->vdev, &local)) {
        ds_cfg_error(error, &v->loc, "%s", local->message);
        return NULL;
    }
    disk = g_new0(DsDomainDisk, 1);
    disk->vdev = g_strdup(spec->vdev);
    disk->pdev_path = ds_cfg_resolve_path(&v->loc, spec->pdev_path);
    disk->format = spec->format;
    disk->readwrite = spec->readwrite;
    if (!g_file_test(disk->pdev_path, G_FILE_TEST_EXISTS)) {
        ds_cfg_error(error, &v->loc, "disk '%s': file '%s' does not exist", disk->vdev,
                     disk->pdev_path);
        ds_record_free(&ds_domain_disk_type, g_steal_pointer(&disk));
        return NULL;
    }
    return g_steal_pointer(&disk);
}

static gboolean
read_disks(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    g_autoptr(GPtrArray) specs = NULL;

    config->disks = g_ptr_array_new();
    if (!ds_cfg_get_string_list(cfg, "disk", &specs, error))
        return FALSE;
    for (guint i = 0; specs && i < specs->len; i++) {
        const DsCfgValue *v = specs->pdata[i];
        DsDomainDisk *disk = disk_from_spec(v, error);

        if (!disk)
            return FALSE;
        if (ds_domain_config_find_disk(config, disk->vdev)) {
            ds_cfg_error(error, &v->loc, "disk '%s' is listed twice", disk->vdev);
            ds_record_free(&ds_domain_disk_type, disk);
            return FALSE;
        }
        g_ptr_array_add(config->disks, disk);
    }
    return TRUE;
}

static gboolean
check_serial(const DsCfgValue *v, GError **error)
{
    if (g_str_has_prefix(v->str, "file:") || g_str_has_prefix(v->str, "unix:") ||
        !strcmp(v->str, "pty") || !strcmp(v->str, "null"))
        return TRUE;
    ds_cfg_error(error, &v->loc,
                 "serial port '%s' is not one of file:PATH, unix:PATH, pty, null", v->str);
    return FALSE;
}

static gboolean
read_serials(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    g_autoptr(GPtrArray) ports = NULL;
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();

    if (!ds_cfg_get_string_list(cfg, "serial", &ports, error))
        return FALSE;
    if (!ports)
        return TRUE;
    for (guint i = 0; i < ports->len; i++) {
        const DsCfgValue *v = ports->pdata[i];
        if (!check_serial(v, error))
            return FALSE;
        if (v->str[4] == ':' && v->str[5] != '\0') {
            g_autofree char *path = ds_cfg_resolve_path(&v->loc, v->str + 5);
            g_autofree char *port = g_strdup_printf("%.5s%s", v->str, path);
            g_strv_builder_add(b, port);
        } else {
            g_strv_builder_add(b, v->str);
        }
    }
    config->qemu.serial = g_strv_builder_end(b);
    return TRUE;
}

static gboolean
read_name(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    const DsCfgValue *v = NULL;
    g_autoptr(GError) local = NULL;

    if (!ds_cfg_get_string(cfg, "name", &v, error))
        return FALSE;
    if (!v) {
        g_set_error(error, DS_ERROR, DS_ERROR_CONFIG, "%s: the domain has no 'name'",
                    cfg->files->len ? (const char *)cfg->files->pdata[0] : "config");
        return FALSE;
    }
    if (!ds_name_check("domain", v->str, &local)) {
        ds_cfg_error(error, &v->loc, "%s", local->message);
        return FALSE;
    }
    config->c_info.name = g_strdup(v->str);
    v = NULL;
    if (!ds_cfg_get_string(cfg, "uuid", &v, error))
        return FALSE;
    if (v && !g_uuid_string_is_valid(v->str)) {
        ds_cfg_error(error, &v->loc, "'%s' is not a UUID", v->str);
        return FALSE;
    }
    config->c_info.uuid = v ? g_strdup(v->str) : NULL;
    return TRUE;
}

static gboolean
read_cmdline(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    const DsCfgValue *extra = NULL, *cmdline = NULL, *root = NULL;

    if (!ds_cfg_get_string(cfg, "extra", &extra, error) ||
        !ds_cfg_get_string(cfg, "cmdline", &cmdline, error) ||
        !ds_cfg_get_string(cfg, "root", &root, error))
        return FALSE;
    /* As in xl: cmdline replaces root and extra; root= comes first. */
    if (cmdline) {
        config->b_info.cmdline = g_strdup(cmdline->str);
    } else if (root || extra) {
        g_autofree char *root_arg = root ? g_strdup_printf("root=%s", root->str) : NULL;
        config->b_info.cmdline = g_strjoin(root && extra ? " " : "", root_arg ? root_arg : "",
                                           extra ? extra->str : "", NULL);
    }
    return TRUE;
}

static gboolean
read_qemu_options(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    const DsCfgValue *accel = NULL, *machine = NULL;

    if (!ds_cfg_get_string(cfg, "accel", &accel, error) ||
        !ds_cfg_get_string(cfg, "machine", &machine, error))
        return FALSE;
    if (accel && strcmp(accel->str, "tcg") != 0 && strcmp(accel->str, "kvm") != 0) {
        ds_cfg_error(error, &accel->loc, "accel must be 'tcg' or 'kvm', not '%s'", accel->str);
        return FALSE;
    }
    config->qemu.accel = g_strdup(accel ? accel->str : "tcg");
    config->qemu.machine = g_strdup(machine ? machine->str : "pc");
    return read_serials(cfg, config, error);
}

DsDomainConfig *
ds_domain_config_from_cfg(const DsCfg *cfg, GError **error)
{
    g_autoptr(DsDomainConfig) config = g_new0(DsDomainConfig, 1);
    gint64 memory = 128, vcpus = 1;

    if (!ds_cfg_check_keys(cfg, ds_domain_config_keys, error) ||
        !read_name(cfg, config, error) ||
        !ds_cfg_get_number(cfg, "memory", 16, 1 << 20, &memory, error) ||
        !ds_cfg_get_number(cfg, "vcpus", 1, 64, &vcpus, error) ||
        !get_existing_file(cfg, "kernel", &config->b_info.kernel, error) ||
        !get_existing_file(cfg, "ramdisk", &config->b_info.ramdisk, error) ||
        !read_cmdline(cfg, config, error) ||
        !read_disks(cfg, config, error) ||
        !read_qemu_options(cfg, config, error))
        return NULL;
    config->b_info.max_memkb = memory * 1024;
    config->b_info.max_vcpus = vcpus;
    return g_steal_pointer(&config);
}

DsDomainConfig *
ds_domain_config_load(const char *path, const char *const *overrides,
                      GError **error)
{
    g_autoptr(DsCfg) cfg = ds_cfg_new();

    if (!ds_cfg_parse_file(cfg, path, error))
        return NULL;
    for (int i = 0; overrides && overrides[i]; i++)
        if (!ds_cfg_parse_override(cfg, overrides[i], i + 1, error))
            return NULL;
    return ds_domain_config_from_cfg(cfg, error);
}

const DsDomainDisk *
ds_domain_config_find_disk(const DsDomainConfig *config, const char *vdev)
{
    for (guint i = 0; config->disks && i < config->disks->len; i++) {
        const DsDomainDisk *d = config->disks->pdata[i];
        if (strcmp(d->vdev, vdev) == 0)
            return d;
    }
    return NULL;
}
