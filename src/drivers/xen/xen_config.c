#include "xen_config.h"

#include <stdlib.h>
#include <string.h>

#include "domsnap.h"

static int
disk_format(libxl_disk_format f)
{
    switch (f) {
    case LIBXL_DISK_FORMAT_RAW: return DS_DISK_FORMAT_RAW;
    case LIBXL_DISK_FORMAT_QCOW2: return DS_DISK_FORMAT_QCOW2;
    case LIBXL_DISK_FORMAT_QCOW: return DS_DISK_FORMAT_QCOW;
    case LIBXL_DISK_FORMAT_VHD: return DS_DISK_FORMAT_VHD;
    case LIBXL_DISK_FORMAT_QED: return DS_DISK_FORMAT_QED;
    case LIBXL_DISK_FORMAT_EMPTY: return DS_DISK_FORMAT_EMPTY;
    default: return DS_DISK_FORMAT_UNKNOWN;
    }
}

static void
fill_disks(DsDomainConfig *out, const libxl_domain_config *c)
{
    out->disks = g_ptr_array_new();
    for (int i = 0; i < c->num_disks; i++) {
        const libxl_device_disk *d = &c->disks[i];
        DsDomainDisk *dd;

        if (d->is_cdrom || !d->pdev_path)
            continue; /* an empty drive has no state to keep */
        dd = g_new0(DsDomainDisk, 1);
        dd->vdev = g_strdup(d->vdev);
        dd->pdev_path = g_strdup(d->pdev_path);
        dd->format = disk_format(d->format);
        dd->readwrite = d->readwrite;
        g_ptr_array_add(out->disks, dd);
    }
}

static DsDomainConfig *
from_libxl(libxl_ctx *ctx, libxl_domain_config *c, const char *name, GError **error)
{
    g_autoptr(DsDomainConfig) out = g_new0(DsDomainConfig, 1);
    char *json = libxl_domain_config_to_json(ctx, c);
    char uuid[LIBXL_UUID_FMTLEN + 1];

    if (!json) {
        g_set_error(error, DS_ERROR, DS_ERROR_FAILED,
                    "domain '%s': libxl could not write its config as JSON", name);
        return NULL;
    }
    out->xen.libxl_config = json_tokener_parse(json);
    free(json);
    if (!out->xen.libxl_config) {
        g_set_error(error, DS_ERROR, DS_ERROR_FAILED,
                    "domain '%s': libxl wrote JSON that json-c cannot read", name);
        return NULL;
    }
    snprintf(uuid, sizeof(uuid), LIBXL_UUID_FMT, LIBXL_UUID_BYTES(c->c_info.uuid));
    out->c_info.name = g_strdup(c->c_info.name ? c->c_info.name : name);
    out->c_info.uuid = g_strdup(uuid);
    out->b_info.max_vcpus = c->b_info.max_vcpus;
    out->b_info.max_memkb = c->b_info.max_memkb;
    out->b_info.kernel = g_strdup(c->b_info.kernel);
    out->b_info.ramdisk = g_strdup(c->b_info.ramdisk);
    out->b_info.cmdline = g_strdup(c->b_info.cmdline);
    fill_disks(out, c);
    return g_steal_pointer(&out);
}

DsDomainConfig *
ds_xen_config_retrieve(libxl_ctx *ctx, uint32_t domid, const char *name, GError **error)
{
    libxl_domain_config c;
    libxl_asyncop_how how = ds_xen_ao();
    DsDomainConfig *out = NULL;
    int rc;

    libxl_domain_config_init(&c);
    rc = libxl_retrieve_domain_configuration(ctx, domid, &c, &how);
    if (ds_xen_complete(ctx, rc, &how, "give its configuration", name, error))
        out = from_libxl(ctx, &c, name, error);
    libxl_domain_config_dispose(&c);
    return out;
}

gboolean
ds_xen_config_to_libxl(libxl_ctx *ctx, const DsDomainConfig *config,
                       libxl_domain_config *out, GError **error)
{
    int rc;

    libxl_domain_config_init(out);
    if (!config->xen.libxl_config) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "domain '%s': the record has no libxl configuration (it was not "
                    "taken by the xen driver)", config->c_info.name);
        return FALSE;
    }
    rc = libxl_domain_config_from_json(ctx, out,
                                       json_object_to_json_string(config->xen.libxl_config));
    if (rc) {
        libxl_domain_config_dispose(out);
        return ds_xen_fail(rc, "read the recorded configuration", config->c_info.name, error);
    }
    return TRUE;
}
