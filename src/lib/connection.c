#include "connection.h"

#include <string.h>

#include "util/ds_file.h"

DsConnection *
ds_connection_open(const char *state_dir, GError **error)
{
    DsStore *store = ds_store_open(state_dir, error);
    DsConnection *conn;

    if (!store)
        return NULL;
    conn = g_new0(DsConnection, 1);
    conn->store = store;
    conn->lock_timeout_ms = ds_lock_default_timeout_ms();
    return conn;
}

void
ds_connection_set_lock_timeout(DsConnection *conn, int timeout_ms)
{
    conn->lock_timeout_ms = timeout_ms;
}

void
ds_connection_free(DsConnection *conn)
{
    if (!conn)
        return;
    ds_store_free(conn->store);
    g_free(conn);
}

const char *
ds_domain_state_to_string(DsDomainState state)
{
    switch (state) {
    case DS_DOMAIN_RUNNING: return "running";
    case DS_DOMAIN_PAUSED: return "paused";
    case DS_DOMAIN_SHUTOFF: return "shutoff";
    case DS_DOMAIN_CRASHED: return "crashed";
    }
    return "unknown";
}

DsDomainRecord *
ds_conn_lock_domain(DsConnection *conn, const char *domain, DsLock **lock,
                    GError **error)
{
    g_autoptr(DsDomainRecord) rec = ds_domain_record_find(conn->store, domain, error);
    g_autoptr(DsLock) l = NULL;
    g_autofree char *name = NULL;

    if (!rec)
        return NULL;
    l = ds_lock_domain(conn->store, rec->name, conn->lock_timeout_ms, error);
    if (!l)
        return NULL;
    /* Read it again under the lock: the holder may have changed it. */
    name = g_strdup(rec->name);
    g_clear_pointer(&rec, ds_domain_record_free);
    rec = ds_domain_record_load(conn->store, name, error);
    if (!rec)
        return NULL;
    *lock = g_steal_pointer(&l);
    return g_steal_pointer(&rec);
}

gboolean
ds_conn_domain_state(const DsDomainRecord *rec, DsDomainState *state,
                     GError **error)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, error);

    return drv && ds_driver_get_state(drv, rec, state, error);
}

gboolean
ds_conn_require_active(const DsDomainRecord *rec, DsDomainState *state,
                       GError **error)
{
    if (!ds_conn_domain_state(rec, state, error))
        return FALSE;
    if (*state == DS_DOMAIN_RUNNING || *state == DS_DOMAIN_PAUSED)
        return TRUE;
    g_set_error(error, DS_ERROR, DS_ERROR_STATE, "domain '%s' is not running (%s)%s",
                rec->name, ds_domain_state_to_string(*state),
                *state == DS_DOMAIN_CRASHED ? "; 'domsnap destroy' cleans it up" : "");
    return FALSE;
}

gboolean
ds_conn_start_domain(DsConnection *conn, DsDomainRecord *rec, DsStartFlags flags,
                     GError **error)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, error);
    g_autoptr(DsLock) store_lock = NULL;
    gint64 id;

    if (!drv)
        return FALSE;
    /* Ids are handed out under the store lock, so two starts never share one. */
    store_lock = ds_lock_store(conn->store, conn->lock_timeout_ms, error);
    if (!store_lock)
        return FALSE;
    id = ds_domain_record_free_id(conn->store, error);
    if (id < 0)
        return FALSE;
    g_free(rec->run_dir);
    rec->run_dir = ds_store_make_run_dir(conn->store, id, error);
    if (!rec->run_dir)
        return FALSE;
    rec->id = id;
    rec->start_time = g_get_real_time() / G_USEC_PER_SEC;
    if (ds_driver_start(drv, rec, flags, error) &&
        ds_domain_record_save(conn->store, rec, error))
        return TRUE;
    if (rec->pid > 0)
        ds_driver_destroy(drv, rec, NULL);
    ds_remove_tree(rec->run_dir, NULL);
    rec->pid = 0;
    rec->id = -1;
    return FALSE;
}

gboolean
ds_conn_finish_stopped(DsConnection *conn, DsDomainRecord *rec, GError **error)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, error);

    if (!drv)
        return FALSE;
    if (rec->pid > 0 && !ds_driver_destroy(drv, rec, error))
        return FALSE;
    if (rec->run_dir && !ds_remove_tree(rec->run_dir, error))
        return FALSE;
    g_clear_pointer(&rec->run_dir, g_free);
    g_clear_pointer(&rec->qmp_socket, g_free);
    rec->pid = 0;
    rec->pid_start = 0;
    rec->id = -1;
    return ds_domain_record_save(conn->store, rec, error);
}
