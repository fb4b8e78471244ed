/* snapshot_list.c: snapshot-list, snapshot-info, snapshot-current. */
#include "connection.h"

#include <string.h>

#include "store/snapshot_record_xml.h"
#include "store/snapshot_record.h"

void
ds_snapshot_info_free(DsSnapshotInfo *info)
{
    if (!info)
        return;
    g_free(info->name);
    g_free(info->parent);
    g_free(info->description);
    g_free(info->state);
    g_free(info->domain_state);
    g_free(info->memory);
    g_free(info->disks);
    g_free(info->live);
    g_free(info->record_json);
    g_free(info);
}

static char *
disks_summary(const DsSnapshotRecord *r)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (guint i = 0; r->disks && i < r->disks->len; i++) {
        const DsSnapshotDisk *d = r->disks->pdata[i];
        g_string_append_printf(s, "%s%s:%s", i ? " " : "", d->vdev,
                               ds_enum_to_string(&ds_disk_snap_mode_table, d->kind));
    }
    return g_string_free(g_steal_pointer(&s), FALSE);
}

/* parent name -> number of children, in one pass (lists can be long). */
static GHashTable *
count_children(const GPtrArray *all)
{
    GHashTable *counts = g_hash_table_new(g_str_hash, g_str_equal);

    for (guint i = 0; all && i < all->len; i++) {
        const char *p = ((DsSnapshotRecord *)all->pdata[i])->parent;
        if (p)
            g_hash_table_insert(counts, (gpointer)p,
                                GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(counts, p)) + 1));
    }
    return counts;
}

static DsSnapshotInfo *
info_from_record(const DsSnapshotRecord *r, const char *current, GHashTable *children,
                 gboolean with_record)
{
    DsSnapshotInfo *info = g_new0(DsSnapshotInfo, 1);

    info->name = g_strdup(r->name);
    info->parent = g_strdup(r->parent);
    info->description = g_strdup(r->description);
    info->creation_time = r->creation_time;
    info->state = g_strdup(ds_snapshot_record_libvirt_state(r));
    info->domain_state = g_strdup(r->domain_state);
    info->memory = g_strdup(ds_enum_to_string(&ds_memory_mode_table, r->memory.kind));
    /* A listing reads no crash_consistent; it is what it says, in any case. */
    info->crash_consistent = r->crash_consistent || (r->memory.kind == DS_MEMORY_NO &&
                                                     !g_strcmp0(r->domain_state, "running"));
    info->quiesced = r->quiesced;
    info->disks = disks_summary(r);
    info->live = g_strdup(ds_enum_to_string(&ds_live_mode_table, r->live));
    info->pause_us = r->pause_us;
    info->current = g_strcmp0(current, r->name) == 0;
    info->children = GPOINTER_TO_UINT(g_hash_table_lookup(children, r->name));
    if (with_record) {
        json_object *j = ds_record_to_json(&ds_snapshot_record_type, r);
        info->record_json = g_strdup(json_object_to_json_string_ext(
            j, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(j);
    }
    return info;
}

GPtrArray *
ds_snapshot_list(DsConnection *conn, const char *domain, gboolean with_records,
                 GError **error)
{
    g_autoptr(DsDomainRecord) dom = ds_conn_find_domain(conn, domain, error);
    g_autoptr(GPtrArray) all = NULL;
    GPtrArray *out;

    if (!dom)
        return NULL;
    all = ds_snapshot_record_list_as(conn->store, dom->name, !with_records, error);
    if (!all)
        return NULL;
    out = g_ptr_array_new_with_free_func((GDestroyNotify)ds_snapshot_info_free);
    {
        g_autoptr(GHashTable) children = count_children(all);
        for (guint i = 0; i < all->len; i++)
            g_ptr_array_add(out, info_from_record(all->pdata[i], dom->current_snapshot, children,
                                                  with_records));
    }
    return out;
}

DsSnapshotInfo *
ds_snapshot_get_info(DsConnection *conn, const char *domain, const char *snapshot,
                     GError **error)
{
    g_autoptr(DsDomainRecord) dom = ds_conn_find_domain(conn, domain, error);
    g_autoptr(DsSnapshotRecord) r = NULL;
    g_autoptr(GPtrArray) all = NULL;

    if (!dom)
        return NULL;
    r = ds_snapshot_record_load(conn->store, dom->name, snapshot, error);
    if (!r)
        return NULL;
    all = ds_snapshot_record_list_as(conn->store, dom->name, TRUE, NULL);
    {
        g_autoptr(GHashTable) children = count_children(all);
        return info_from_record(r, dom->current_snapshot, children, TRUE);
    }
}

char *
ds_snapshot_current(DsConnection *conn, const char *domain, GError **error)
{
    g_autoptr(DsDomainRecord) dom = ds_conn_find_domain(conn, domain, error);

    return dom ? g_strdup(dom->current_snapshot) : NULL;
}
