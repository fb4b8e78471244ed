#include "connection.h"

#include <string.h>

#include "engine/domain_run.h"
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
    return ds_domain_run_start(conn->store, conn->lock_timeout_ms, rec, flags, error);
}

gboolean
ds_conn_finish_stopped(DsConnection *conn, DsDomainRecord *rec, GError **error)
{
    return ds_domain_run_stop(conn->store, rec, error);
}
