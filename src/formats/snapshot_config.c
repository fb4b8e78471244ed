#include "snapshot_config.h"

#include <string.h>

#include "domsnap.h"
#include "util/ds_names.h"
#include "util/ds_suggest.h"

const char *const ds_snapshot_config_keys[] = {
    "name", "description", "memory", "memory_path", "disks",
    /* the libxl snapshot document's */
    "creationtime", "type", "disk", NULL,
};

/* Keys of a libxl-style disk entry after 'VDEV=PATH': the overlay's format. */
static const char *const disk_entry_keys[] = { "type", "format", NULL };

static char *
where(const DsCfgLoc *loc)
{
    return g_strdup_printf("%s:%d:%d", loc->file, loc->line, loc->col);
}

/* A path as written at @loc, absolute, its placeholders checked. */
static char *
config_path(const DsCfgLoc *loc, const char *path, GError **error)
{
    g_autofree char *bad = ds_snapshot_path_unknown_placeholder(path);

    if (bad) {
        g_autofree char *known = g_strjoinv(", ", (char **)ds_snapshot_path_placeholders);
        ds_cfg_error(error, loc, "path '%s': unknown placeholder '%s' (known: %s)", path, bad,
                     known);
        return NULL;
    }
    return ds_cfg_resolve_path(loc, path);
}

static gboolean
add_disk(DsSnapshotRequest *req, const DsCfgValue *v, const char *vdev, DsDiskSnapMode mode,
         const char *path, GError **error)
{
    g_autofree char *overlay = NULL;
    DsDiskRequest *d;

    if (path && *path && !(overlay = config_path(&v->loc, path, error)))
        return FALSE;
    d = g_new0(DsDiskRequest, 1);
    d->vdev = g_strdup(vdev);
    d->mode = mode;
    d->overlay = g_steal_pointer(&overlay);
    d->where = where(&v->loc);
    g_ptr_array_add(req->disks, d);
    return TRUE;
}

/* disks=: the RFC's 'PATH,FORMAT,VDEV[,MODE]' */
static gboolean
apply_rfc_disk(const DsCfgValue *v, DsSnapshotRequest *req, GError **error)
{
    g_auto(GStrv) f = g_strsplit(v->str, ",", 5);
    guint n = g_strv_length(f);
    const char *path, *format, *vdev, *mode;
    DsDiskSnapMode m;

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
    if (*mode) {
        int i = ds_enum_from_string(&ds_disk_snap_mode_table, mode);
        if (i <= 0) {
            ds_cfg_error(error, &v->loc, "disk '%s': '%s' is not one of no, internal, external",
                         vdev, mode);
            return FALSE;
        }
        m = i;
    } else {
        m = *path ? DS_DISK_SNAP_EXTERNAL : DS_DISK_SNAP_INTERNAL;
    }
    return add_disk(req, v, vdev, m, path, error);
}

/*
 * disk=: the libxl document's 'VDEV[,type=qcow2]' (taken as type= says) or
 * 'VDEV=PATH[,type=qcow2]' (an external overlay at PATH). @rfc holds the
 * vdevs disks= gave, with where: one disk in both forms is refused.
 */
static gboolean
apply_libxl_disk(const DsCfgValue *v, DsSnapshotRequest *req, GHashTable *rfc,
                 GError **error)
{
    g_auto(GStrv) f = g_strsplit(v->str, ",", -1);
    g_autofree char *vdev = NULL;
    const char *path = NULL, *eq;
    const char *given;

    for (guint i = 0; f[i]; i++)
        g_strstrip(f[i]);
    eq = f[0] ? strchr(f[0], '=') : NULL;
    vdev = eq ? g_strndup(f[0], eq - f[0]) : g_strdup(f[0] ? f[0] : "");
    g_strstrip(vdev);
    if (!*vdev) { /* also '': g_strsplit() gives no field at all */
        ds_cfg_error(error, &v->loc, "disk entry '%s' is not 'VDEV' (as type= says) or "
                     "'VDEV=PATH,type=qcow2' (an external overlay at PATH)", v->str);
        return FALSE;
    }
    if (eq) {
        path = g_strstrip((char *)eq + 1);
        if (!*path) {
            ds_cfg_error(error, &v->loc, "disk '%s': no overlay path after '%s='", vdev, vdev);
            return FALSE;
        }
    }
    for (guint i = 1; f[i]; i++) {
        char *value = strchr(f[i], '=');
        const char *hint;

        if (!*f[i])
            continue; /* 'hda=PATH,' */
        if (value)
            *value++ = '\0';
        g_strstrip(f[i]);
        if (!g_strv_contains(disk_entry_keys, f[i])) {
            hint = ds_suggest(f[i], disk_entry_keys);
            ds_cfg_error(error, &v->loc, "disk '%s': unknown setting '%s'%s%s%s", vdev, f[i],
                         hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
            return FALSE;
        }
        /* An overlay is qcow2, and so is an image with internal snapshots. */
        if (!value || strcmp(g_strstrip(value), "qcow2") != 0) {
            ds_cfg_error(error, &v->loc, "disk '%s': %s must be 'qcow2' (domsnap's overlays "
                         "and internal snapshots are qcow2), not '%s'", vdev, f[i],
                         value ? value : "");
            return FALSE;
        }
    }
    given = g_hash_table_lookup(rfc, vdev);
    if (given) {
        ds_cfg_error(error, &v->loc, "disk '%s' is given both by disks= (at %s) and by disk=; "
                     "describe each disk once, in either form", vdev, given);
        return FALSE;
    }
    if (ds_snapshot_request_disk(req, vdev)) {
        ds_cfg_error(error, &v->loc, "disk '%s' is listed twice", vdev);
        return FALSE;
    }
    return add_disk(req, v, vdev, path ? DS_DISK_SNAP_EXTERNAL : DS_DISK_SNAP_DEFAULT, path,
                    error);
}

/*
 * memory= is ours ('external', 'internal', 'no') or the libxl document's
 * ('yes': an image at the default place; a path: an image there). With
 * type= and no memory=, the snapshot is of the disks only, as that
 * document says.
 */
static gboolean
apply_memory(const DsCfg *cfg, gboolean has_type, DsSnapshotRequest *req, GError **error)
{
    const DsCfgValue *mem = NULL, *path = NULL;

    if (!ds_cfg_get_string(cfg, "memory", &mem, error) ||
        !ds_cfg_get_string(cfg, "memory_path", &path, error))
        return FALSE;
    if (mem && strchr(mem->str, '/')) {
        if (path) {
            ds_cfg_error(error, &path->loc, "memory_path conflicts with memory = \"%s\" "
                         "(a path); give the memory image's path once", mem->str);
            return FALSE;
        }
        path = mem;
        req->memory = DS_MEMORY_EXTERNAL;
    } else if (mem && !strcmp(mem->str, "yes")) {
        req->memory = DS_MEMORY_EXTERNAL;
    } else if (mem) {
        int m = ds_enum_from_string(&ds_memory_mode_table, mem->str);
        if (m <= 0) {
            ds_cfg_error(error, &mem->loc, "memory must be 'external', 'internal', 'no', "
                         "'yes' or the memory image's path (with a '/'), not '%s'", mem->str);
            return FALSE;
        }
        req->memory = m;
    } else if (has_type) {
        req->memory = DS_MEMORY_NO;
    }
    if (path) {
        g_free(req->memory_path);
        req->memory_path = config_path(&path->loc, path->str, error);
        if (!req->memory_path)
            return FALSE;
    }
    return TRUE;
}

static gboolean
apply_type(const DsCfgValue *type, DsSnapshotRequest *req, GError **error)
{
    int t = ds_enum_from_string(&ds_snapshot_type_table, type->str);

    if (t <= 0) {
        const char *const known[] = { "internal", "external", NULL };
        const char *hint = ds_suggest(type->str, known);
        ds_cfg_error(error, &type->loc, "type must be 'internal' or 'external', not '%s'%s%s%s",
                     type->str, hint ? " (did you mean '" : "", hint ? hint : "",
                     hint ? "'?)" : "");
        return FALSE;
    }
    /* The config wins over --internal/--external, as name= over --name. */
    req->internal = t == DS_SNAPSHOT_TYPE_INTERNAL;
    req->external = t == DS_SNAPSHOT_TYPE_EXTERNAL;
    g_free(req->type_where);
    req->type_where = where(&type->loc);
    return TRUE;
}

/* creationtime = "1397207580" (or a number): seconds since the epoch, not
 * in the future. */
static gboolean
apply_creation_time(const DsCfg *cfg, DsSnapshotRequest *req, GError **error)
{
    const DsCfgSetting *s = ds_cfg_lookup(cfg, "creationtime");
    const DsCfgValue *v = s ? s->value : NULL;
    gint64 now = g_get_real_time() / G_USEC_PER_SEC;
    guint64 t = 0;

    if (!v)
        return TRUE;
    if (v->type == DS_CFG_LIST) {
        ds_cfg_error(error, &v->loc, "creationtime must be a string or a number, not a list");
        return FALSE;
    }
    if (!g_ascii_string_to_unsigned(v->str, 10, 1, G_MAXINT64, &t, NULL)) {
        ds_cfg_error(error, &v->loc, "creationtime '%s' is not a number of seconds since the "
                     "epoch (1970-01-01 UTC)", v->str);
        return FALSE;
    }
    if ((gint64)t > now) {
        ds_cfg_error(error, &v->loc, "creationtime '%s' is in the future (it is %" G_GINT64_FORMAT
                     " now)", v->str, now);
        return FALSE;
    }
    req->creation_time = (gint64)t;
    return TRUE;
}

static gboolean
apply_disks(const DsCfg *cfg, DsSnapshotRequest *req, GError **error)
{
    g_autoptr(GPtrArray) rfc = NULL, libxl = NULL;
    g_autoptr(GHashTable) given = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);

    if (!ds_cfg_get_string_list(cfg, "disks", &rfc, error) ||
        !ds_cfg_get_string_list(cfg, "disk", &libxl, error))
        return FALSE;
    for (guint i = 0; rfc && i < rfc->len; i++) {
        DsDiskRequest *d;
        if (!apply_rfc_disk(rfc->pdata[i], req, error))
            return FALSE;
        d = req->disks->pdata[req->disks->len - 1];
        g_hash_table_insert(given, d->vdev, g_strdup(d->where));
    }
    for (guint i = 0; libxl && i < libxl->len; i++)
        if (!apply_libxl_disk(libxl->pdata[i], req, given, error))
            return FALSE;
    return TRUE;
}

gboolean
ds_snapshot_config_apply(const DsCfg *cfg, DsSnapshotRequest *req, GError **error)
{
    const DsCfgValue *name = NULL, *desc = NULL, *type = NULL;

    if (!ds_cfg_check_keys(cfg, ds_snapshot_config_keys, error) ||
        !ds_cfg_get_string(cfg, "name", &name, error) ||
        !ds_cfg_get_string(cfg, "description", &desc, error) ||
        !ds_cfg_get_string(cfg, "type", &type, error) ||
        (type && !apply_type(type, req, error)) ||
        !apply_memory(cfg, type != NULL, req, error) ||
        !apply_creation_time(cfg, req, error))
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
    return apply_disks(cfg, req, error);
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
