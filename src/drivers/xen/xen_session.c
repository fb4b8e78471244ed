#include "xen_session.h"

#include "domsnap.h"

DsDriverSession *
ds_xen_session_open(const DsDomainRecord *rec, GError **error)
{
    libxl_ctx *ctx = ds_xen_ctx(error);
    DsDriverSession *s;

    if (!ctx)
        return NULL;
    if (!ds_xen_runs(ctx, rec->id, rec->name)) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE, "domain '%s' is not running", rec->name);
        return NULL;
    }
    s = g_new0(DsDriverSession, 1);
    s->ctx = ctx;
    s->domid = rec->id;
    s->name = g_strdup(rec->name);
    s->mem_fd = -1;
    s->nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    s->pause_us = -1;
    return s;
}

void
ds_xen_session_close(DsDriverSession *s)
{
    g_hash_table_unref(s->nodes);
    g_free(s->name);
    g_free(s);
}

void
ds_xen_session_stopped(DsDriverSession *s, gint64 when)
{
    if (!s->stopped_at)
        s->stopped_at = when;
}

gint64
ds_xen_session_pause_us(DsDriverSession *s)
{
    return s->pause_us;
}

gboolean
ds_xen_session_pause(DsDriverSession *s, GError **error)
{
    gint64 t = g_get_monotonic_time();

    if (!ds_xen_call(s->ctx, libxl_domain_pause, s->domid, "pause it", s->name, error))
        return FALSE;
    ds_xen_session_stopped(s, t);
    return TRUE;
}

gboolean
ds_xen_session_resume(DsDriverSession *s, GError **error)
{
    if (!ds_xen_call(s->ctx, libxl_domain_unpause, s->domid, "unpause it", s->name, error))
        return FALSE;
    if (s->stopped_at) {
        s->pause_us = MAX(s->pause_us, 0) + g_get_monotonic_time() - s->stopped_at;
        s->stopped_at = 0;
    }
    return TRUE;
}

/*
 * A live save needs Xen's log-dirty mode, which for a PV guest is built on
 * shadow paging; Debian's Xen 4.17 is built without it (physinfo's
 * cap_shadow), and libxl would only find out by timing out the save.
 */
static gboolean
check_live(DsDriverSession *s, GError **error)
{
    libxl_physinfo pi;
    libxl_dominfo info;
    gboolean pv, shadow;

    libxl_physinfo_init(&pi);
    libxl_dominfo_init(&info);
    shadow = libxl_get_physinfo(s->ctx, &pi) == 0 && pi.cap_shadow;
    pv = libxl_domain_info(s->ctx, &info, s->domid) == 0 &&
         info.domain_type == LIBXL_DOMAIN_TYPE_PV;
    libxl_physinfo_dispose(&pi);
    libxl_dominfo_dispose(&info);
    if (!pv || shadow)
        return TRUE;
    g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED,
                "--live: domain '%s' is a PV guest, and this Xen cannot track a PV guest's "
                "dirty memory (it was built without shadow paging, CONFIG_SHADOW_PAGING); "
                "take the snapshot without --live, or run the guest as PVH or HVM",
                s->name);
    return FALSE;
}

gboolean
ds_xen_session_prepare(DsDriverSession *s, const DsSnapshotPlan *plan, int mem_fd,
                       GError **error)
{
    s->mem_fd = mem_fd;
    if (plan->live == DS_LIVE_PRECOPY && !check_live(s, error))
        return FALSE;
    /* What cannot be copied is refused before the guest stops. */
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        if (d->kind == DS_DISK_SNAP_COPY && !g_file_test(d->file, G_FILE_TEST_IS_REGULAR) &&
            g_file_test(d->file, G_FILE_TEST_EXISTS)) {
            g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED,
                        "disk '%s' of domain '%s' is the device '%s' (phy): the xen driver "
                        "copies raw image files; volume snapshots (lvcreate -s) are not "
                        "supported", d->vdev, s->name, d->file);
            return FALSE;
        }
    }
    return ds_xen_qdisk_prepare(s, plan, error);
}

/*
 * A create killed while the guest was stopped: a guest left suspended is
 * resumed from the suspend (as libxl does after a failed save), and one
 * that was running is unpaused. The copies are removed by the caller.
 */
gboolean
ds_xen_rollback_online(const DsDomainRecord *rec, const char *name, int live,
                       const char *const *internal_files, const char *const *overlays,
                       const char *const *bases, gboolean was_running, GError **error)
{
    libxl_ctx *ctx = ds_xen_ctx(error);
    libxl_dominfo info;
    gboolean suspended, paused;

    if (!ctx)
        return FALSE;
    libxl_dominfo_init(&info);
    if (libxl_domain_info(ctx, &info, rec->id) != 0) {
        libxl_dominfo_dispose(&info);
        return TRUE; /* gone: nothing to resume */
    }
    suspended = info.shutdown && info.shutdown_reason == LIBXL_SHUTDOWN_REASON_SUSPEND;
    paused = info.paused;
    libxl_dominfo_dispose(&info);
    if (suspended && !ds_xen_call(ctx, ds_xen_resume_from_suspend, rec->id,
                                  "resume it from an interrupted save", rec->name, error))
        return FALSE;
    if (was_running && (paused || suspended))
        return ds_xen_call(ctx, libxl_domain_unpause, rec->id, "unpause it", rec->name, error);
    return TRUE;
}
