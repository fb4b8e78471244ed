/*
 * xen_driver: domains that xl (libxl) started, as domsnap domains. domsnap
 * does not start them itself: it adopts a domain by name or domid when it
 * is first named, and asks libxl for its id and config whenever it locks it.
 */
#include "xen_driver.h"

#include <stdlib.h>
#include <string.h>

#include "domsnap.h"
#include "xen_config.h"

static gboolean
get_state(const DsDomainRecord *rec, DsDomainState *state, GError **error)
{
    libxl_ctx *ctx = ds_xen_ctx(error);
    libxl_dominfo info;
    int rc;

    if (!ctx)
        return FALSE;
    *state = DS_DOMAIN_SHUTOFF;
    if (!ds_xen_runs(ctx, rec->id, rec->name))
        return TRUE;
    libxl_dominfo_init(&info);
    rc = libxl_domain_info(ctx, &info, rec->id);
    if (rc == 0) {
        if (info.shutdown && info.shutdown_reason == LIBXL_SHUTDOWN_REASON_CRASH)
            *state = DS_DOMAIN_CRASHED;
        else if (info.dying || info.shutdown)
            *state = DS_DOMAIN_SHUTOFF;
        else
            *state = info.paused ? DS_DOMAIN_PAUSED : DS_DOMAIN_RUNNING;
    }
    libxl_dominfo_dispose(&info);
    return rc == 0 || rc == ERROR_DOMAIN_NOTFOUND || ds_xen_fail(rc, "give its state", rec->name, error);
}

static gboolean
call(const DsDomainRecord *rec, DsXenDomainCall fn, const char *what, GError **error)
{
    libxl_ctx *ctx = ds_xen_ctx(error);

    if (!ctx)
        return FALSE;
    if (!ds_xen_runs(ctx, rec->id, rec->name)) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE, "domain '%s' is not running", rec->name);
        return FALSE;
    }
    return ds_xen_call(ctx, fn, rec->id, what, rec->name, error);
}

static gboolean
do_pause(const DsDomainRecord *rec, GError **error)
{
    return call(rec, libxl_domain_pause, "pause it", error);
}

static gboolean
do_unpause(const DsDomainRecord *rec, GError **error)
{
    return call(rec, libxl_domain_unpause, "unpause it", error);
}

static gboolean
do_shutdown(const DsDomainRecord *rec, GError **error)
{
    return call(rec, libxl_domain_shutdown, "shut it down", error);
}

/* A Xen domain of that name under the recorded id (refreshed under the
 * lock), running, paused, shut down or dying. */
static gboolean
has_instance(const DsDomainRecord *rec)
{
    libxl_ctx *ctx = ds_xen_ctx(NULL);

    return ctx && ds_xen_runs(ctx, rec->id, rec->name);
}

/* Gone already is as good as destroyed. */
static gboolean
do_destroy(const DsDomainRecord *rec, GError **error)
{
    libxl_ctx *ctx = ds_xen_ctx(error);

    if (!ctx)
        return FALSE;
    if (!ds_xen_runs(ctx, rec->id, rec->name))
        return TRUE;
    return call(rec, libxl_domain_destroy, "destroy it", error);
}

gboolean
ds_xen_refresh(DsDomainRecord *rec, GError **error)
{
    libxl_ctx *ctx = ds_xen_ctx(error);
    DsDomainConfig *config;
    uint32_t domid;

    if (!ctx)
        return FALSE;
    if (libxl_name_to_domid(ctx, rec->name, &domid) != 0) {
        rec->id = -1; /* shut down or destroyed outside domsnap: the config stays */
        return TRUE;
    }
    config = ds_xen_config_retrieve(ctx, domid, rec->name, error);
    if (!config)
        return FALSE;
    if (rec->id != (gint64)domid)
        rec->start_time = libxl_vm_get_start_time(ctx, domid);
    rec->id = domid;
    ds_record_move(&ds_domain_config_type, &rec->config, config);
    g_free(config);
    return TRUE;
}

static char *
resolve(const char *domain, GError **error)
{
    libxl_ctx *ctx = ds_xen_ctx(error);
    uint32_t domid;
    char *name;
    char *out;

    if (!ctx || !(name = ds_xen_find(ctx, domain, &domid, error)))
        return NULL;
    if (domid == 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "domain '%s' is the control domain (domid 0): domsnap snapshots guests",
                    name);
        free(name);
        return NULL;
    }
    out = g_strdup(name);
    free(name);
    return out;
}

static DsDomainRecord *
adopt(const char *name, GError **error)
{
    g_autoptr(DsDomainRecord) rec = g_new0(DsDomainRecord, 1);

    rec->name = g_strdup(name);
    rec->driver = g_strdup("xen");
    rec->id = -1;
    if (!ds_xen_refresh(rec, error))
        return NULL;
    return g_steal_pointer(&rec);
}

/* The domid (and start time) alone: no config, so no libxl userdata lock. */
static gboolean
locate(DsDomainRecord *rec, GError **error)
{
    libxl_ctx *ctx = ds_xen_ctx(error);
    uint32_t domid;

    if (!ctx)
        return FALSE;
    if (libxl_name_to_domid(ctx, rec->name, &domid) != 0) {
        rec->id = -1;
        return TRUE;
    }
    if (rec->id != (gint64)domid)
        rec->start_time = libxl_vm_get_start_time(ctx, domid);
    rec->id = domid;
    return TRUE;
}

/*
 * xl starts the domains and libxl restores them in one step; raw disks are
 * copied and qcow2 disks on qdisk get internal snapshots, but no overlays
 * (see the planner's no_external_disks); memory goes to a libxl save
 * stream only. Images at rest are the image layer's, as for every driver.
 */
const DsDriverOps ds_xen_driver = {
    .name = "xen",
    .caps = DS_CAP(DS_DRIVER_CAP_ADOPT) | DS_CAP(DS_DRIVER_CAP_RESTORE) |
            DS_CAP(DS_DRIVER_CAP_LIVE_SNAPSHOT) | DS_CAP(DS_DRIVER_CAP_INTERNAL_DISK) |
            DS_CAP(DS_DRIVER_CAP_COPY_DISK),
    .memory_stops_guest = TRUE,
    .domain = {
        .resolve = resolve,
        .adopt = adopt,
        .refresh = ds_xen_refresh,
        .locate = locate,
        .restore = ds_xen_restore,
        .get_state = get_state,
        .has_instance = has_instance,
        .pause = do_pause,
        .unpause = do_unpause,
        .destroy = do_destroy,
        .shutdown = do_shutdown,
    },
    .session = {
        .session_open = ds_xen_session_open,
        .session_close = ds_xen_session_close,
        .session_pause_us = ds_xen_session_pause_us,
        .session_pause = ds_xen_session_pause,
        .session_resume = ds_xen_session_resume,
        .session_prepare = ds_xen_session_prepare,
        .disk_transaction = ds_xen_disk_transaction,
        .undo_disk_transaction = ds_xen_undo_disk_transaction,
        .memory_start = ds_xen_memory_save,
        .memory_wait = ds_xen_memory_wait,
        .rollback_online = ds_xen_rollback_online,
    },
    .block = {
        .delete_internal_online = ds_xen_delete_internal_online,
    },
};
