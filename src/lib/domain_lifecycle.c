/*
 * domain_lifecycle.c: create, start, pause, unpause, shutdown, destroy,
 * undefine.
 *
 * Domains are persistent, as virsh's defined domains are: a domain that
 * shuts down stays recorded (shut off), because its snapshots refer to it.
 */
#include "connection.h"
#include "domain_prepare.h"

#include "store/snapshot_record.h"
#include "util/ds_file.h"

static gboolean
refuse_existing(DsConnection *conn, const char *name, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(DsDomainRecord) old = ds_domain_record_load(conn->store, name, &local);
    DsDomainState state = DS_DOMAIN_SHUTOFF;

    if (!old) {
        if (g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND))
            return TRUE;
        g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
    }
    ds_conn_domain_state(old, &state, NULL);
    if (state == DS_DOMAIN_SHUTOFF)
        g_set_error(error, DS_ERROR, DS_ERROR_EXISTS,
                    "domain '%s' already exists (shut off); start it with 'domsnap start %s' "
                    "or forget it with 'domsnap undefine %s'", name, name, name);
    else
        g_set_error(error, DS_ERROR, DS_ERROR_EXISTS, "domain '%s' already exists (%s)",
                    name, ds_domain_state_to_string(state));
    return FALSE;
}

gboolean
ds_domain_create(DsConnection *conn, const char *config_path,
                 const char *const *overrides, gboolean paused, char **name_out,
                 GError **error)
{
    const DsDriverOps *drv = ds_driver_get(conn->driver, error);
    g_autoptr(DsDomainConfig) config = NULL;
    g_autoptr(DsDomainRecord) rec = NULL;
    g_autoptr(DsLock) lock = NULL;

    /* The driver first: on one that starts nothing, the config is moot. */
    if (!drv || !ds_driver_require_cap(drv, DS_DRIVER_CAP_START, NULL, NULL,
                                       "start them with the hypervisor's own tools; domsnap "
                                       "adopts a domain when it is named", error))
        return FALSE;
    config = ds_domain_config_load(config_path, overrides, error);
    if (!config)
        return FALSE;
    lock = ds_lock_domain(conn->store, config->c_info.name, conn->lock_timeout_ms, error);
    if (!lock || !refuse_existing(conn, config->c_info.name, error))
        return FALSE;
    rec = ds_domain_record_new(drv->name, g_steal_pointer(&config));
    /* A new domain first gets what it keeps for life (its NICs' MACs, its
     * UEFI variable store), recorded in its config; see domain_prepare.h. */
    if (!ds_domain_prepare_and_start(conn, rec, paused ? DS_START_PAUSED : 0, error))
        return FALSE;
    if (name_out)
        *name_out = g_strdup(rec->name);
    return TRUE;
}

gboolean
ds_domain_start(DsConnection *conn, const char *domain, gboolean paused,
                GError **error)
{
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) rec = ds_conn_lock_domain(conn, domain, &lock, error);
    DsDomainState state;

    if (!rec || !ds_conn_domain_state(rec, &state, error))
        return FALSE;
    if (state != DS_DOMAIN_SHUTOFF) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE, "domain '%s' is %s, not shut off%s",
                    rec->name, ds_domain_state_to_string(state),
                    state == DS_DOMAIN_CRASHED ? "; 'domsnap destroy' cleans it up first" : "");
        return FALSE;
    }
    if (ds_conn_has_instance(rec) && !ds_conn_finish_stopped(conn, rec, error))
        return FALSE;
    return ds_conn_start_domain(conn, rec, paused ? DS_START_PAUSED : 0, error);
}

typedef gboolean (*DriverOp)(const DsDriverOps *, const DsDomainRecord *, GError **);

static gboolean
run_on_active(DsConnection *conn, const char *domain, DsDomainState need,
              const char *verb, DriverOp op, GError **error)
{
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) rec = ds_conn_lock_domain(conn, domain, &lock, error);
    DsDomainState state;
    const DsDriverOps *drv;

    if (!rec || !ds_conn_require_active(rec, &state, error))
        return FALSE;
    if (state != need) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE, "cannot %s domain '%s': it is %s",
                    verb, rec->name, ds_domain_state_to_string(state));
        return FALSE;
    }
    drv = ds_driver_get(rec->driver, error);
    return drv && op(drv, rec, error);
}

gboolean
ds_domain_pause(DsConnection *conn, const char *domain, GError **error)
{
    return run_on_active(conn, domain, DS_DOMAIN_RUNNING, "pause", ds_driver_pause, error);
}

gboolean
ds_domain_unpause(DsConnection *conn, const char *domain, GError **error)
{
    return run_on_active(conn, domain, DS_DOMAIN_PAUSED, "unpause", ds_driver_unpause, error);
}

gboolean
ds_domain_destroy(DsConnection *conn, const char *domain, GError **error)
{
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) rec = ds_conn_lock_domain(conn, domain, &lock, error);

    if (!rec)
        return FALSE;
    if (!ds_conn_has_instance(rec)) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE, "domain '%s' is not running (shutoff)",
                    rec->name);
        return FALSE;
    }
    return ds_conn_finish_stopped(conn, rec, error);
}

static gboolean
wait_for_poweroff(DsConnection *conn, DsDomainRecord *rec, guint timeout_s,
                  GError **error)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;

    for (;;) {
        DsDomainState state;
        if (!ds_conn_domain_state(rec, &state, error))
            return FALSE;
        if (state == DS_DOMAIN_SHUTOFF)
            return ds_conn_finish_stopped(conn, rec, error);
        if (state == DS_DOMAIN_CRASHED) {
            g_set_error(error, DS_ERROR, DS_ERROR_STATE,
                        "domain '%s' crashed while shutting down", rec->name);
            return FALSE;
        }
        if (g_get_monotonic_time() > deadline) {
            g_set_error(error, DS_ERROR, DS_ERROR_TIMEOUT,
                        "domain '%s' did not power off within %u s (does the guest handle ACPI "
                        "power button events?); 'domsnap destroy %s' stops it",
                        rec->name, timeout_s, rec->name);
            return FALSE;
        }
        g_usleep(100000);
    }
}

gboolean
ds_domain_shutdown(DsConnection *conn, const char *domain, gboolean wait,
                   guint timeout_s, GError **error)
{
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) rec = ds_conn_lock_domain(conn, domain, &lock, error);
    DsDomainState state;
    const DsDriverOps *drv;

    if (!rec || !ds_conn_require_active(rec, &state, error))
        return FALSE;
    drv = ds_driver_get(rec->driver, error);
    if (!drv || !ds_driver_shutdown(drv, rec, error))
        return FALSE;
    return !wait || wait_for_poweroff(conn, rec, timeout_s, error);
}

/*
 * A domain with snapshots keeps them (as `virsh undefine` refuses to drop a
 * domain's snapshots): undefine would remove their records and files, and a
 * disk that runs on an external snapshot's overlay has its current state
 * there.
 */
static gboolean
refuse_snapshots(DsConnection *conn, const char *name, GError **error)
{
    g_autoptr(GPtrArray) all = ds_snapshot_record_list_as(conn->store, name, TRUE, error);
    g_autoptr(GString) names = g_string_new(NULL);

    if (!all)
        return FALSE;
    if (all->len == 0)
        return TRUE;
    for (guint i = 0; i < all->len; i++)
        g_string_append_printf(names, "%s%s", i ? ", " : "",
                               ((DsSnapshotRecord *)all->pdata[i])->name);
    g_set_error(error, DS_ERROR, DS_ERROR_STATE,
                "domain '%s' has %u snapshot%s (%s): undefine would remove their files, "
                "and the disks may run on them; delete the snapshots first "
                "(snapshot-delete %s NAME)", name, all->len, all->len == 1 ? "" : "s",
                names->str, name);
    return FALSE;
}

gboolean
ds_domain_undefine(DsConnection *conn, const char *domain, GError **error)
{
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) rec = ds_conn_lock_domain(conn, domain, &lock, error);
    DsDomainState state;

    if (!rec || !ds_conn_domain_state(rec, &state, error))
        return FALSE;
    if (state != DS_DOMAIN_SHUTOFF || ds_conn_has_instance(rec)) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE,
                    "domain '%s' is %s; destroy or shut it down first", rec->name,
                    ds_domain_state_to_string(state));
        return FALSE;
    }
    if (!refuse_snapshots(conn, rec->name, error))
        return FALSE;
    return ds_domain_record_delete(conn->store, rec->name, error);
}
