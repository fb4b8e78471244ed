#include "snapshot_config.h"

#include <string.h>

#include "domsnap.h"
#include "util/ds_names.h"

const char *const ds_snapshot_config_keys[] = {
    "name", "description", "memory", "memory_path", "disks", NULL,
};

/* 'PATH,FORMAT,VDEV[,MODE]' */
static gboolean
apply_disk(const DsCfgValue *v, DsSnapshotRequest *req, GError **error)
{
    g_auto(GStrv) f = g_strsplit(v->str, ",", 5);
    guint n = g_strv_length(f);
    const char *path, *format, *vdev, *mode;
    DsDiskRequest *d;

    for (guint i = 0; i < n; i++)
        g_strstrip(f[i]);
    if (n < 3 || n > 4 || !*f[2]) {
        ds_cfg_error(error, &v->loc, "disk entry '%s' is not 'PATH,FORMAT,VDEV' (external), "
                     "',,VDEV' (internal) or ',,VDEV,no' (left out)", v->str);
        return FALSE;
    }
    path = f[0];
    format = f[1];
    vdev = f[2];
    mode = n == 4 ? f[3] : "";
    if (*format && strcmp(format, "qcow2") != 0) {
        ds_cfg_error(error, &v->loc, "disk '%s': overlays are qcow2, not '%s'", vdev, format);
        return FALSE;
    }
    if (ds_snapshot_request_disk(req, vdev)) {
        ds_cfg_error(error, &v->loc, "disk '%s' is listed twice", vdev);
        return FALSE;
    }
    d = g_new0(DsDiskRequest, 1);
    d->vdev = g_strdup(vdev);
    if (*mode) {
        int m = ds_enum_from_string(&ds_disk_snap_mode_table, mode);
        if (m <= 0) {
            ds_cfg_error(error, &v->loc, "disk '%s': '%s' is not one of no, internal, external",
                         vdev, mode);
            g_free(d->vdev);
            g_free(d);
            return FALSE;
        }
        d->mode = m;
    } else {
        d->mode = *path ? DS_DISK_SNAP_EXTERNAL : DS_DISK_SNAP_INTERNAL;
    }
    if (*path)
        d->overlay = ds_cfg_resolve_path(&v->loc, path);
    g_ptr_array_add(req->disks, d);
    return TRUE;
}

static gboolean
apply_memory(const DsCfg *cfg, DsSnapshotRequest *req, GError **error)
{
    const DsCfgValue *mem = NULL, *path = NULL;

    if (!ds_cfg_get_string(cfg, "memory", &mem, error) ||
        !ds_cfg_get_string(cfg, "memory_path", &path, error))
        return FALSE;
    if (mem) {
        int m = ds_enum_from_string(&ds_memory_mode_table, mem->str);
        if (m <= 0) {
            ds_cfg_error(error, &mem->loc, "memory must be 'external', 'internal' or 'no', "
                         "not '%s'", mem->str);
            return FALSE;
        }
        req->memory = m;
    }
    if (path) {
        g_free(req->memory_path);
        req->memory_path = ds_cfg_resolve_path(&path->loc, path->str);
    }
    return TRUE;
}

gboolean
ds_snapshot_config_apply(const DsCfg *cfg, DsSnapshotRequest *req, GError **error)
{
    const DsCfgValue *name = NULL, *desc = NULL;
    g_autoptr(GPtrArray) disks = NULL;

    if (!ds_cfg_check_keys(cfg, ds_snapshot_config_keys, error) ||
        !ds_cfg_get_string(cfg, "name", &name, error) ||
        !ds_cfg_get_string(cfg, "description", &desc, error) ||
        !ds_cfg_get_string_list(cfg, "disks", &disks, error) ||
        !apply_memory(cfg, req, error))
        return FALSE;
    if (name) {
        g_autoptr(GError) local = NULL;
        if (!ds_name_check("snapshot", name->str, &local)) {
            ds_cfg_error(error, &name->loc, "%s", local->message);
            return FALSE;
        }
        /* name= in the file wins over --name, as the design says. */
        g_free(req->name);
        req->name = g_strdup(name->str);
    }
    if (desc) {
        g_free(req->description);
        req->description = g_strdup(desc->str);
    }
    for (guint i = 0; disks && i < disks->len; i++)
        if (!apply_disk(disks->pdata[i], req, error))
            return FALSE;
    return TRUE;
}

gboolean
ds_snapshot_config_load(const char *path, const char *const *overrides,
                        DsSnapshotRequest *req, GError **error)
{
    g_autoptr(DsCfg) cfg = ds_cfg_new();

    if (path && !ds_cfg_parse_file(cfg, path, error))
        return FALSE;
    for (int i = 0; overrides && overrides[i]; i++)
        if (!ds_cfg_parse_override(cfg, overrides[i], i + 1, error))
            return FALSE;
    return ds_snapshot_config_apply(cfg, req, error);
}
