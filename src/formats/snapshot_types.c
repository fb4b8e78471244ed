#include "snapshot_types.h"

#include <string.h>

#include "domsnap.h"

DS_ENUM_TABLE(ds_memory_mode_table, "memory snapshot mode", NULL, "no", "internal", "external");
DS_ENUM_TABLE(ds_disk_snap_mode_table, "disk snapshot mode", NULL, "no", "internal", "external", "copy");
DS_ENUM_TABLE(ds_snapshot_type_table, "snapshot type", NULL, "internal", "external");
/* DsDomainState's names (domsnap.h), in its order. */
DS_ENUM_TABLE(ds_domain_state_table, "domain state", "running", "paused", "shutoff", "crashed");
DS_ENUM_TABLE(ds_live_mode_table, "live mode", "no", "background", "precopy");

static void
disk_request_free(gpointer p)
{
    DsDiskRequest *d = p;

    g_free(d->vdev);
    g_free(d->overlay);
    g_free(d->where);
    g_free(d);
}

DsSnapshotRequest *
ds_snapshot_request_new(void)
{
    DsSnapshotRequest *r = g_new0(DsSnapshotRequest, 1);

    r->disks = g_ptr_array_new_with_free_func(disk_request_free);
    return r;
}

void
ds_snapshot_request_free(DsSnapshotRequest *r)
{
    if (!r)
        return;
    g_free(r->name);
    g_free(r->description);
    g_free(r->memory_path);
    g_free(r->dir);
    g_free(r->type_where);
    g_ptr_array_unref(r->disks);
    g_free(r);
}

DsDiskRequest *
ds_snapshot_request_disk(DsSnapshotRequest *req, const char *vdev)
{
    for (guint i = 0; i < req->disks->len; i++) {
        DsDiskRequest *d = req->disks->pdata[i];
        if (strcmp(d->vdev, vdev) == 0)
            return d;
    }
    return NULL;
}

const char *const ds_snapshot_path_placeholders[] = { "<domain_uuid>", "<domain_name>", NULL };

/* The next "<word>" (letters, digits, '_') at or after @p, or NULL. */
static const char *
next_placeholder(const char *p, gsize *len)
{
    for (p = strchr(p, '<'); p; p = strchr(p + 1, '<')) {
        gsize n = 1;
        while (g_ascii_isalnum(p[n]) || p[n] == '_')
            n++;
        if (n > 1 && p[n] == '>') {
            *len = n + 1;
            return p;
        }
    }
    return NULL;
}

static int
placeholder_index(const char *p, gsize len)
{
    for (int i = 0; ds_snapshot_path_placeholders[i]; i++)
        if (strlen(ds_snapshot_path_placeholders[i]) == len &&
            strncmp(p, ds_snapshot_path_placeholders[i], len) == 0)
            return i;
    return -1;
}

char *
ds_snapshot_path_unknown_placeholder(const char *path)
{
    gsize len = 0;

    for (const char *p = next_placeholder(path, &len); p; p = next_placeholder(p + len, &len))
        if (placeholder_index(p, len) < 0)
            return g_strndup(p, len);
    return NULL;
}

char *
ds_snapshot_path_expand(const char *path, const char *domain, const char *uuid,
                        GError **error)
{
    g_autoptr(GString) out = g_string_new(NULL);
    const char *rest = path, *p;
    gsize len = 0;

    if (!path)
        return NULL;
    while ((p = next_placeholder(rest, &len))) {
        int i = placeholder_index(p, len);
        const char *value = i == 0 ? uuid : i == 1 ? domain : NULL;

        g_string_append_len(out, rest, p - rest);
        rest = p + len;
        if (i < 0) {
            g_string_append_len(out, p, len); /* refused by the config parser */
            continue;
        }
        if (!value || !*value) {
            g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                        "path '%s': domain '%s' has no %s recorded to put in place of %s",
                        path, domain, i == 0 ? "UUID" : "name", ds_snapshot_path_placeholders[i]);
            return NULL;
        }
        g_string_append(out, value);
    }
    g_string_append(out, rest);
    return g_string_free(g_steal_pointer(&out), FALSE);
}
