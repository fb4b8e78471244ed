#include "connection.h"

#include <string.h>

#include "engine/domain_run.h"
#include "formats/snapshot_types.h"
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
    conn->driver = g_strdup(g_getenv("DOMSNAP_DRIVER") ? g_getenv("DOMSNAP_DRIVER")
                                                        : ds_driver_default_name());
    return conn;
}

gboolean
ds_connection_set_driver(DsConnection *conn, const char *driver, GError **error)
{
    if (!ds_driver_get(driver, error))
        return FALSE;
    g_free(conn->driver);
    conn->driver = g_strdup(driver);
    return TRUE;
}

const char *
ds_connection_get_driver(DsConnection *conn)
{
    return conn->driver;
}

/*
 * Records a domain of the hypervisor's that domsnap meets for the first
 * time: its name is resolved, then, under that name's lock and only if no
 * record is there, its config is asked for and recorded. A record that is
 * there is never replaced, even one that cannot be read (that is an error
 * to report, not a domain to adopt again).
 */
static char *
adopt(DsConnection *conn, const DsDriverOps *drv, const char *domain, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autofree char *name = drv->domain.resolve(domain, &local);
    g_autoptr(DsDomainRecord) rec = NULL;
    g_autoptr(DsDomainRecord) old = NULL;
    g_autoptr(DsLock) lock = NULL;

    if (!name) {
        /* Not running: domsnap may still know it (shut off, with snapshots). */
        if (g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND))
            return g_strdup(domain);
        g_propagate_error(error, g_steal_pointer(&local));
        return NULL;
    }
    if (!ds_domain_record_lock_load(conn->store, name, conn->lock_timeout_ms, TRUE, &lock,
                                    &old, error))
        return NULL;
    if (old && g_strcmp0(old->driver, drv->name) != 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_EXISTS,
                    "domain '%s' is recorded by domsnap's %s driver, and %s has a domain "
                    "of that name too", name, old->driver, drv->name);
        return NULL;
    }
    if (old)
        return g_steal_pointer(&name);
    rec = drv->domain.adopt(name, error);
    if (!rec || !ds_domain_record_save(conn->store, rec, error))
        return NULL;
    return g_steal_pointer(&name);
}

/* @locate: ask the hypervisor for the domain's id now (a reader's view;
 * the caller that takes the lock refreshes everything under it instead). */
static DsDomainRecord *
find_domain(DsConnection *conn, const char *domain, gboolean locate, GError **error)
{
    const DsDriverOps *drv = ds_driver_get(conn->driver, error);
    g_autoptr(DsDomainRecord) rec = NULL;
    g_autoptr(GError) local = NULL;
    g_autofree char *name = NULL;

    if (!drv)
        return NULL;
    if (!ds_driver_has_cap(drv, DS_DRIVER_CAP_ADOPT))
        return ds_domain_record_find(conn->store, domain, error);
    /* A recorded name needs no question to the hypervisor; a domid or a
     * name seen for the first time does. */
    rec = ds_domain_record_load(conn->store, domain, &local);
    if (!rec) {
        if (!g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND)) {
            g_propagate_error(error, g_steal_pointer(&local));
            return NULL;
        }
        name = adopt(conn, drv, domain, error);
        rec = name ? ds_domain_record_find(conn->store, name, error) : NULL;
    }
    if (!rec)
        return NULL;
    drv = ds_driver_get(rec->driver, error);
    if (!drv || (locate && ds_driver_has_cap(drv, DS_DRIVER_CAP_ADOPT) &&
                 !drv->domain.locate(rec, error)))
        return NULL;
    return g_steal_pointer(&rec);
}

DsDomainRecord *
ds_conn_find_domain(DsConnection *conn, const char *domain, GError **error)
{
    return find_domain(conn, domain, TRUE, error);
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
    g_free(conn->driver);
    g_free(conn);
}

const char *
ds_domain_state_to_string(DsDomainState state)
{
    return ds_enum_to_string(&ds_domain_state_table, state);
}

DsDomainRecord *
ds_conn_lock_domain(DsConnection *conn, const char *domain, DsLock **lock,
                    GError **error)
{
    g_autoptr(DsDomainRecord) found = find_domain(conn, domain, FALSE, error);
    g_autoptr(DsDomainRecord) rec = NULL;
    g_autoptr(DsLock) l = NULL;
    const DsDriverOps *drv;

    /* Read it again under the lock: the holder may have changed it. */
    if (!found || !ds_domain_record_lock_load(conn->store, found->name, conn->lock_timeout_ms,
                                              FALSE, &l, &rec, error))
        return NULL;
    drv = ds_driver_get(rec->driver, error);
    if (!drv)
        return NULL;
    if (ds_driver_has_cap(drv, DS_DRIVER_CAP_ADOPT) &&
        (!drv->domain.refresh(rec, error) || !ds_domain_record_save(conn->store, rec, error)))
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
ds_conn_has_instance(const DsDomainRecord *rec)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, NULL);

    return drv && ds_driver_has_instance(drv, rec);
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
