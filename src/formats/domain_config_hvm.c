/*
 * domain_config_hvm.c: the guest type, its firmware and boot order.
 *
 * The qemu driver runs every guest as a full machine. type = "hvm" (the
 * default) boots by kernel= if given, else from its disks through the
 * firmware: SeaBIOS, or OVMF (UEFI) with a variable store of its own.
 * type = "pv" and "pvh" are accepted with kernel= only: QEMU boots such a
 * kernel directly, which is what a PV or PVH guest needs of it.
 */
#include "domain_config_priv.h"

#include "util/ds_image_probe.h"

#include <stdio.h>
#include <string.h>

#include "domsnap.h"
#include "util/ds_ovmf.h"

gboolean
ds_domain_config_read_type(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    const DsCfgValue *type = NULL, *builder = NULL;
    int t = DS_DOMAIN_TYPE_UNSET;

    if (!ds_domain_config_get_enum(cfg, "type", &ds_domain_type_table, &t, &type, error) ||
        !ds_cfg_get_string(cfg, "builder", &builder, error))
        return FALSE;
    if (builder && !type) {
        /* xl's older spelling: "generic" is PV. */
        if (!strcmp(builder->str, "hvm")) {
            t = DS_DOMAIN_TYPE_HVM;
        } else if (!strcmp(builder->str, "generic")) {
            t = DS_DOMAIN_TYPE_PV;
        } else {
            ds_cfg_error(error, &builder->loc, "builder '%s' is not one of hvm, generic",
                         builder->str);
            return FALSE;
        }
        type = builder;
    }
    if ((t == DS_DOMAIN_TYPE_PV || t == DS_DOMAIN_TYPE_PVH) && !config->b_info.kernel) {
        ds_cfg_error(error, &type->loc,
                     "a %s guest needs kernel= on the qemu driver, which boots it directly "
                     "(type = \"hvm\" boots from the disks through the firmware)",
                     ds_enum_to_string(&ds_domain_type_table, t));
        return FALSE;
    }
    config->c_info.type = t;
    return TRUE;
}

/* xl's firmware= names: bios, uefi, and the firmware's own names. */
static gboolean
firmware_to_bios(const DsCfgValue *v, int *bios, GError **error)
{
    const char *f = v->str;

    if (!strcmp(f, "bios") || !strcmp(f, "seabios")) {
        *bios = DS_BIOS_SEABIOS;
    } else if (!strcmp(f, "uefi") || !strcmp(f, "ovmf")) {
        *bios = DS_BIOS_OVMF;
    } else if (g_str_has_prefix(f, "pvgrub")) {
        ds_cfg_error(error, &v->loc, "firmware '%s' is for Xen PV guests; the qemu driver "
                     "boots a PV guest's kernel= directly", f);
        return FALSE;
    } else if (!strcmp(f, "rombios")) {
        ds_cfg_error(error, &v->loc, "firmware 'rombios' is not available with QEMU "
                     "(use bios, seabios, uefi or ovmf)");
        return FALSE;
    } else {
        ds_cfg_error(error, &v->loc, "firmware '%s' is not one of bios, uefi, seabios, ovmf "
                     "(a firmware file is not supported)", f);
        return FALSE;
    }
    return TRUE;
}

/* bios = and firmware = say the same thing; both given must agree. */
static gboolean
read_bios(const DsCfg *cfg, int *bios, const DsCfgValue **where, GError **error)
{
    const DsCfgValue *b = NULL, *f = NULL;
    int from_firmware = DS_BIOS_UNSET;

    if (!ds_cfg_get_string(cfg, "bios", &b, error) ||
        !ds_cfg_get_string(cfg, "firmware", &f, error))
        return FALSE;
    if (b && !strcmp(b->str, "rombios")) {
        ds_cfg_error(error, &b->loc, "bios 'rombios' is not available with QEMU "
                     "(use seabios or ovmf)");
        return FALSE;
    }
    if (!ds_domain_config_get_enum(cfg, "bios", &ds_bios_table, bios, where, error))
        return FALSE;
    if (!f)
        return TRUE;
    if (!firmware_to_bios(f, &from_firmware, error))
        return FALSE;
    if (b && *bios != from_firmware) {
        ds_cfg_error(error, &f->loc, "firmware '%s' contradicts bios '%s'", f->str, b->str);
        return FALSE;
    }
    *bios = from_firmware;
    *where = f;
    return TRUE;
}


/* nvram = "PATH" (domsnap's extension): an existing variable store. */
static gboolean
read_nvram(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    const DsCfgValue *v = NULL;
    g_autofree char *path = NULL;
    DsDomainDisk *d;

    if (!ds_cfg_get_string(cfg, "nvram", &v, error))
        return FALSE;
    if (!v)
        return TRUE;
    if (config->b_info.bios != DS_BIOS_OVMF) {
        ds_cfg_error(error, &v->loc, "nvram= is the UEFI variable store: it needs "
                     "bios = \"ovmf\"");
        return FALSE;
    }
    path = ds_cfg_resolve_path(&v->loc, v->str);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        ds_cfg_error(error, &v->loc, "nvram file '%s' does not exist", path);
        return FALSE;
    }
    d = g_new0(DsDomainDisk, 1);
    d->vdev = g_strdup(DS_NVRAM_VDEV);
    d->format = ds_image_is_qcow2(path) ? DS_DISK_FORMAT_QCOW2 : DS_DISK_FORMAT_RAW;
    d->pdev_path = g_steal_pointer(&path);
    d->readwrite = TRUE;
    d->role = DS_DISK_ROLE_NVRAM;
    g_ptr_array_add(config->disks, d);
    return TRUE;
}

gboolean
ds_domain_config_read_firmware(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    const DsCfgValue *where = NULL;
    g_autoptr(GError) local = NULL;
    g_autofree char *file = NULL;
    int bios = DS_BIOS_UNSET;

    if (!read_bios(cfg, &bios, &where, error))
        return FALSE;
    if (bios && config->c_info.type != DS_DOMAIN_TYPE_UNSET &&
        config->c_info.type != DS_DOMAIN_TYPE_HVM) {
        ds_cfg_error(error, &where->loc, "the firmware (bios=, firmware=) is for type = \"hvm\" "
                     "guests; a %s guest boots its kernel= directly",
                     ds_enum_to_string(&ds_domain_type_table, config->c_info.type));
        return FALSE;
    }
    config->b_info.bios = bios;
    if (bios != DS_BIOS_OVMF)
        return read_nvram(cfg, config, error);
    /* Checked now, so that a domain that cannot boot is not created. */
    file = ds_ovmf_code(&local);
    if (file && !ds_cfg_lookup(cfg, "nvram")) {
        g_free(file);
        file = ds_ovmf_vars_template(&local);
    }
    if (!file) {
        ds_cfg_error(error, &where->loc, "%s", local->message);
        return FALSE;
    }
    return read_nvram(cfg, config, error);
}

/* xl's boot order: c (hard disk), d (cdrom), n (network), each once. */
gboolean
ds_domain_config_read_boot(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    const DsCfgValue *v = NULL;

    if (!ds_cfg_get_string(cfg, "boot", &v, error))
        return FALSE;
    if (!v)
        return TRUE;
    for (const char *p = v->str; *p; p++) {
        if (!strchr("cdn", *p) || strchr(p + 1, *p)) {
            ds_cfg_error(error, &v->loc, "boot '%s': each letter must be c (hard disk), "
                         "d (cdrom) or n (network), given once", v->str);
            return FALSE;
        }
    }
    if (!*v->str) {
        ds_cfg_error(error, &v->loc, "boot is empty (c, d, n, or an order such as \"dc\")");
        return FALSE;
    }
    config->b_info.boot = g_strdup(v->str);
    return TRUE;
}
