#include "domain_config.h"

#include <string.h>
#include <unistd.h>

#include "domsnap.h"
#include "formats/domain_config_priv.h"
#include "util/ds_names.h"

DS_ENUM_TABLE(ds_disk_role_table, "disk role", "disk", "nvram");
DS_ENUM_TABLE(ds_domain_type_table, "type", NULL, "hvm", "pv", "pvh");
DS_ENUM_TABLE(ds_bios_table, "bios", NULL, "seabios", "ovmf");
DS_ENUM_TABLE(ds_vga_table, "vga", NULL, "stdvga", "cirrus", "none");
DS_ENUM_TABLE(ds_action_table, "action", NULL, "destroy", "restart", "rename-restart",
              "preserve", "coredump-destroy", "coredump-restart", "soft-reset");

static const DsField disk_fields[] = { DS_RECORD_FIELDS(DS_DOMAIN_DISK) { NULL } };
const DsRecordType ds_domain_disk_type = { "disk", sizeof(DsDomainDisk), disk_fields };

static const DsField cdrom_fields[] = { DS_RECORD_FIELDS(DS_DOMAIN_CDROM) { NULL } };
const DsRecordType ds_domain_cdrom_type = { "cdrom", sizeof(DsDomainCdrom), cdrom_fields };

static const DsField c_info_fields[] = { DS_RECORD_FIELDS(DS_DOMAIN_CREATE_INFO) { NULL } };
static const DsRecordType c_info_type = { "c_info", sizeof(DsDomainCreateInfo), c_info_fields };

static const DsField vnc_fields[] = { DS_RECORD_FIELDS(DS_DOMAIN_VNC) { NULL } };
static const DsRecordType vnc_type = { "vnc", sizeof(DsDomainVnc), vnc_fields };

static const DsField b_info_fields[] = { DS_RECORD_FIELDS(DS_DOMAIN_BUILD_INFO) { NULL } };
static const DsRecordType b_info_type = { "b_info", sizeof(DsDomainBuildInfo), b_info_fields };

static const DsField qemu_fields[] = { DS_RECORD_FIELDS(DS_DOMAIN_QEMU_INFO) { NULL } };
static const DsRecordType qemu_type = { "qemu", sizeof(DsDomainQemuInfo), qemu_fields };

static const DsField xen_fields[] = { DS_RECORD_FIELDS(DS_DOMAIN_XEN_INFO) { NULL } };
static const DsRecordType xen_type = { "xen", sizeof(DsDomainXenInfo), xen_fields };

static const DsField config_fields[] = { DS_RECORD_FIELDS(DS_DOMAIN_CONFIG) { NULL } };
const DsRecordType ds_domain_config_type = { "domain_config", sizeof(DsDomainConfig),
                                             config_fields };

const char *const ds_domain_config_keys[] = {
    "name", "uuid", "memory", "vcpus", "kernel", "ramdisk", "extra", "cmdline",
    "root", "disk", "accel", "machine", "serial",
    "type", "builder", "boot", "bios", "firmware", "nvram",
    "vif", "channel", "guest_agent",
    "vnc", "vnclisten", "vncdisplay", "vncunused", "vncpasswd", "vga", "nographic",
    "usbdevice",
    "on_poweroff", "on_reboot", "on_crash",
    "device_model_args", "device_model_args_hvm", "device_model_args_pv",
    NULL,
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

/* What the qemu driver can do with a spec, whether disk or cdrom. */
static gboolean
check_spec(const DsDiskSpec *spec, const DsCfgValue *v, GError **error)
{
    g_autoptr(GError) local = NULL;
    const char *what = spec->is_cdrom ? "cdrom" : "disk";

    if (spec->format != DS_DISK_FORMAT_RAW && spec->format != DS_DISK_FORMAT_QCOW2 &&
        !(spec->is_cdrom && spec->format == DS_DISK_FORMAT_EMPTY)) {
        ds_cfg_error(error, &v->loc,
                     "%s '%s': format '%s' is unsupported (domsnap supports raw and qcow2)",
                     what, spec->vdev, ds_enum_to_string(&ds_disk_format_table, spec->format));
        return FALSE;
    }
    if (spec->script) {
        ds_cfg_error(error, &v->loc, "%s '%s': block scripts ('%s') are not supported by the qemu driver",
                     what, spec->vdev, spec->script);
        return FALSE;
    }
    if (!ds_name_check("disk", spec->vdev, &local)) {
        ds_cfg_error(error, &v->loc, "%s", local->message);
        return FALSE;
    }
    if (!strcmp(spec->vdev, DS_NVRAM_VDEV)) {
        ds_cfg_error(error, &v->loc, "%s '%s': that name is the UEFI variable store's "
                     "(see nvram=)", what, spec->vdev);
        return FALSE;
    }
    return TRUE;
}

static char *
existing_path(const DsCfgValue *v, const char *what, const char *vdev, const char *target,
              GError **error)
{
    g_autofree char *path = ds_cfg_resolve_path(&v->loc, target);

    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        ds_cfg_error(error, &v->loc, "%s '%s': file '%s' does not exist", what, vdev, path);
        return NULL;
    }
    return g_steal_pointer(&path);
}

static DsDomainDisk *
disk_from_spec(const DsDiskSpec *spec, const DsCfgValue *v, GError **error)
{
    g_autofree char *path = existing_path(v, "disk", spec->vdev, spec->pdev_path, error);
    DsDomainDisk *disk;

    if (!path)
        return NULL;
    disk = g_new0(DsDomainDisk, 1);
    disk->vdev = g_strdup(spec->vdev);
    disk->pdev_path = g_steal_pointer(&path);
    disk->format = spec->format;
    disk->readwrite = spec->readwrite;
    disk->role = DS_DISK_ROLE_DISK;
    return disk;
}

/* xl's devtype=cdrom (hdc:cdrom): an empty target is a drive with no media. */
static DsDomainCdrom *
cdrom_from_spec(const DsDiskSpec *spec, const DsCfgValue *v, GError **error)
{
    g_autofree char *path = NULL;
    DsDomainCdrom *cd;

    if (spec->pdev_path && *spec->pdev_path) {
        path = existing_path(v, "cdrom", spec->vdev, spec->pdev_path, error);
        if (!path)
            return NULL;
    }
    cd = g_new0(DsDomainCdrom, 1);
    cd->vdev = g_strdup(spec->vdev);
    cd->pdev_path = g_steal_pointer(&path);
    cd->format = cd->pdev_path ? spec->format : DS_DISK_FORMAT_EMPTY;
    return cd;
}

static gboolean
vdev_taken(const DsDomainConfig *config, const char *vdev)
{
    if (ds_domain_config_find_disk(config, vdev))
        return TRUE;
    for (guint i = 0; config->cdroms && i < config->cdroms->len; i++)
        if (!strcmp(((DsDomainCdrom *)config->cdroms->pdata[i])->vdev, vdev))
            return TRUE;
    return FALSE;
}

static gboolean
read_disk(DsDomainConfig *config, const DsCfgValue *v, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(DsDiskSpec) spec = ds_disk_spec_parse(v->str, &local);
    gpointer dev;

    if (!spec) {
        ds_cfg_error(error, &v->loc, "%s", local->message);
        return FALSE;
    }
    if (!check_spec(spec, v, error))
        return FALSE;
    if (vdev_taken(config, spec->vdev)) {
        ds_cfg_error(error, &v->loc, "disk '%s' is listed twice", spec->vdev);
        return FALSE;
    }
    if (spec->is_cdrom) {
        dev = cdrom_from_spec(spec, v, error);
        if (dev)
            g_ptr_array_add(config->cdroms, dev);
    } else {
        dev = disk_from_spec(spec, v, error);
        if (dev)
            g_ptr_array_add(config->disks, dev);
    }
    return dev != NULL;
}

static gboolean
read_disks(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    g_autoptr(GPtrArray) specs = NULL;

    config->disks = g_ptr_array_new();
    config->cdroms = g_ptr_array_new();
    if (!ds_cfg_get_string_list(cfg, "disk", &specs, error))
        return FALSE;
    for (guint i = 0; specs && i < specs->len; i++)
        if (!read_disk(config, specs->pdata[i], error))
            return FALSE;
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

/* QEMU passes a command line and an initrd only to a kernel it loads. */
static gboolean
refuse_without_kernel(const DsCfg *cfg, const DsDomainConfig *config, GError **error)
{
    static const char *const keys[] = { "ramdisk", "cmdline", "root", "extra", NULL };

    for (guint i = 0; !config->b_info.kernel && keys[i]; i++) {
        const DsCfgSetting *s = ds_cfg_lookup(cfg, keys[i]);
        if (s) {
            ds_cfg_error(error, &s->loc, "'%s' is for direct kernel boot: it needs kernel=",
                         s->key);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
read_cmdline(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    const DsCfgValue *extra = NULL, *cmdline = NULL, *root = NULL;

    if (!ds_cfg_get_string(cfg, "extra", &extra, error) ||
        !ds_cfg_get_string(cfg, "cmdline", &cmdline, error) ||
        !ds_cfg_get_string(cfg, "root", &root, error) ||
        !refuse_without_kernel(cfg, config, error))
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
get_strv(const DsCfg *cfg, const char *key, GStrv *out, GError **error)
{
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();

    if (!ds_cfg_get_string_list(cfg, key, &items, error))
        return FALSE;
    if (!items)
        return TRUE;
    for (guint i = 0; i < items->len; i++)
        g_strv_builder_add(b, ((DsCfgValue *)items->pdata[i])->str);
    *out = g_strv_builder_end(b);
    return TRUE;
}

static gboolean
read_qemu_options(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    const DsCfgValue *accel = NULL, *machine = NULL;
    DsDomainQemuInfo *q = &config->qemu;

    if (!ds_cfg_get_string(cfg, "accel", &accel, error) ||
        !ds_cfg_get_string(cfg, "machine", &machine, error))
        return FALSE;
    if (accel && strcmp(accel->str, "tcg") != 0 && strcmp(accel->str, "kvm") != 0) {
        ds_cfg_error(error, &accel->loc, "accel must be 'tcg' or 'kvm', not '%s'", accel->str);
        return FALSE;
    }
    q->accel = g_strdup(accel ? accel->str : "tcg");
    q->machine = g_strdup(machine ? machine->str : "pc");
    return read_serials(cfg, config, error) &&
           get_strv(cfg, "device_model_args", &q->device_model_args, error) &&
           get_strv(cfg, "device_model_args_hvm", &q->device_model_args_hvm, error) &&
           get_strv(cfg, "device_model_args_pv", &q->device_model_args_pv, error);
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
        !ds_domain_config_read_type(cfg, config, error) ||
        !read_disks(cfg, config, error) ||
        !ds_domain_config_read_firmware(cfg, config, error) ||
        !ds_domain_config_read_boot(cfg, config, error) ||
        !ds_domain_config_read_display(cfg, config, error) ||
        !ds_domain_config_read_nics(cfg, config, error) ||
        !ds_domain_config_read_channels(cfg, config, error) ||
        !ds_domain_config_read_actions(cfg, config, error) ||
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

const DsDomainDisk *
ds_domain_config_nvram(const DsDomainConfig *config)
{
    for (guint i = 0; config->disks && i < config->disks->len; i++) {
        const DsDomainDisk *d = config->disks->pdata[i];
        if (d->role == DS_DISK_ROLE_NVRAM)
            return d;
    }
    return NULL;
}

const DsChannel *
ds_domain_config_find_channel(const DsDomainConfig *config, const char *name)
{
    for (guint i = 0; config->channels && i < config->channels->len; i++) {
        const DsChannel *c = config->channels->pdata[i];
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

gboolean
ds_domain_config_get_enum(const DsCfg *cfg, const char *key, const DsEnumTable *table,
                          int *out, const DsCfgValue **where, GError **error)
{
    const DsCfgValue *v = NULL;
    int e;

    if (!ds_cfg_get_string(cfg, key, &v, error))
        return FALSE;
    if (!v)
        return TRUE;
    e = ds_enum_from_string(table, v->str);
    if (e < 0) {
        g_autofree char *list = ds_enum_list(table);
        ds_cfg_error(error, &v->loc, "%s '%s' is not one of %s", key, v->str, list);
        return FALSE;
    }
    *out = e;
    if (where)
        *where = v;
    return TRUE;
}
