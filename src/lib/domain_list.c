/* domain_list.c: list and info. */
#include "connection.h"

#include "util/ds_log.h"

void
ds_domain_info_free(DsDomainInfo *info)
{
    if (!info)
        return;
    g_free(info->name);
    g_free(info);
}

/*
 * A guest that powered off leaves QEMU waiting (-no-shutdown): tidy it up
 * if nobody else holds the domain; otherwise just report it. The record
 * written is the one read under the lock, never the one listed.
 */
static void
reap_if_powered_off(DsConnection *conn, const DsDomainRecord *listed, DsDomainState state)
{
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) rec = NULL;
    DsDomainState now;

    /* pid: only a QEMU that domsnap started waits after a power-off */
    if (state != DS_DOMAIN_SHUTOFF || listed->pid <= 0)
        return;
    if (!ds_domain_record_lock_load(conn->store, listed->name, 0, FALSE, &lock, &rec, NULL))
        return;
    if (rec->pid > 0 && ds_conn_domain_state(rec, &now, NULL) && now == DS_DOMAIN_SHUTOFF)
        ds_conn_finish_stopped(conn, rec, NULL);
}

static DsDomainInfo *
info_from_record(DsConnection *conn, DsDomainRecord *rec, GError **error)
{
    DsDomainInfo *info;
    DsDomainState state = DS_DOMAIN_SHUTOFF;
    g_autoptr(GError) local = NULL;

    if (!ds_conn_domain_state(rec, &state, &local)) {
        /* QEMU's monitor serves one client: a busy domain is still running. */
        if (!g_error_matches(local, DS_ERROR, DS_ERROR_TIMEOUT)) {
            g_propagate_error(error, g_steal_pointer(&local));
            return NULL;
        }
        state = DS_DOMAIN_RUNNING;
    }
    reap_if_powered_off(conn, rec, state);
    info = g_new0(DsDomainInfo, 1);
    info->name = g_strdup(rec->name);
    info->id = state == DS_DOMAIN_SHUTOFF ? -1 : (int)rec->id;
    info->memory_mib = rec->config.b_info.max_memkb / 1024;
    info->vcpus = rec->config.b_info.max_vcpus;
    info->state = state;
    info->start_time = state == DS_DOMAIN_SHUTOFF ? 0 : rec->start_time;
    return info;
}

DsDomainInfo *
ds_domain_get_info(DsConnection *conn, const char *domain, GError **error)
{
    g_autoptr(DsDomainRecord) rec = ds_conn_find_domain(conn, domain, error);

    return rec ? info_from_record(conn, rec, error) : NULL;
}

static gint
by_id(gconstpointer a, gconstpointer b)
{
    const DsDomainInfo *x = *(DsDomainInfo *const *)a;
    const DsDomainInfo *y = *(DsDomainInfo *const *)b;

    /* Running domains by id first, then the shut-off ones by name. */
    if ((x->id < 0) != (y->id < 0))
        return x->id < 0 ? 1 : -1;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return g_strcmp0(x->name, y->name);
}

GPtrArray *
ds_domain_list(DsConnection *conn, GError **error)
{
    g_autoptr(GPtrArray) names = ds_store_list_domains(conn->store, error);
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)ds_domain_info_free);

    if (!names)
        return NULL;
    for (guint i = 0; i < names->len; i++) {
        g_autoptr(GError) local = NULL;
        g_autoptr(DsDomainRecord) rec = ds_domain_record_load(conn->store, names->pdata[i], &local);
        DsDomainInfo *info;

        if (!rec) {
            /* One damaged record must not hide the others. */
            ds_log_warning("%s", local->message);
            continue;
        }
        info = info_from_record(conn, rec, &local);
        if (!info) {
            ds_log_warning("%s", local->message);
            continue;
        }
        g_ptr_array_add(out, info);
    }
    g_ptr_array_sort(out, by_id);
    return g_steal_pointer(&out);
}
