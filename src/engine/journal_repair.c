#include "journal_repair.h"

#include <unistd.h>

#include "drivers/driver.h"
#include "engine/domain_run.h"
#include "engine/snapshot_delete.h"
#include "engine/snapshot_revert.h"
#include "image/image.h"
#include "store/snapshot_record.h"
#include "util/ds_file.h"

char *
ds_journal_describe(const DsJournal *j)
{
    return g_strdup_printf("interrupted %s of '%s' (at step '%s', pid %" G_GINT64_FORMAT ")",
                           ds_enum_to_string(&ds_journal_op_table, j->op), j->snapshot,
                           j->step ? j->step : "?", j->pid);
}

static void
remove_created(const DsJournal *j)
{
    for (guint i = 0; j->created && j->created[i]; i++)
        unlink(j->created[i]);
    if (j->created_dir)
        ds_remove_tree(j->created_dir, NULL);
}

static gboolean
repair_create(DsStore *store, DsDomainRecord *dom, const DsDriverOps *drv,
              const DsJournal *j, char **what, GError **error)
{
    DsDomainState state = DS_DOMAIN_SHUTOFF;

    if (ds_snapshot_record_exists(store, dom->name, j->snapshot) &&
        g_strcmp0(dom->current_snapshot, j->snapshot) == 0) {
        if (j->quiesce && ds_driver_has_cap(drv, DS_DRIVER_CAP_GUEST_AGENT))
            drv->device.fs_thaw(dom, NULL);
        *what = g_strdup_printf("snapshot '%s' had been taken: kept", j->snapshot);
        return TRUE;
    }
    ds_driver_get_state(drv, dom, &state, NULL);
    if (state == DS_DOMAIN_RUNNING || state == DS_DOMAIN_PAUSED) {
        if (!ds_driver_require_cap(drv, DS_DRIVER_CAP_LIVE_SNAPSHOT, dom->name,
                                   "rolling back an interrupted snapshot-create", NULL, error) ||
            !drv->session.rollback_online(dom, j->snapshot, j->live,
                                          (const char *const *)j->internal_files,
                                          (const char *const *)j->overlays,
                                          (const char *const *)j->bases, j->was_running,
                                          error))
            return FALSE;
    } else {
        for (guint i = 0; j->internal_files && j->internal_files[i]; i++)
            ds_image_snapshot_delete(j->internal_files[i], j->snapshot, NULL);
    }
    /* Killed between freeze and thaw: never leave the guest frozen. */
    if (j->quiesce && ds_driver_has_cap(drv, DS_DRIVER_CAP_GUEST_AGENT) &&
        state == DS_DOMAIN_RUNNING)
        drv->device.fs_thaw(dom, NULL);
    ds_snapshot_record_delete(store, dom->name, j->snapshot, NULL);
    remove_created(j);
    *what = g_strdup_printf("snapshot '%s' rolled back: the domain is on its original disks%s",
                            j->snapshot, state == DS_DOMAIN_RUNNING || state == DS_DOMAIN_PAUSED
                                             ? (j->was_running ? ", running" : ", paused") : "");
    return TRUE;
}

static gboolean
repair_revert(DsStore *store, DsDomainRecord *dom, const DsDriverOps *drv,
              const DsJournal *j, char **what, GError **error)
{
    if (g_strcmp0(j->step, "done") == 0) {
        for (guint i = 0; j->internal_files && j->internal_files[i]; i++)
            ds_snapshot_delete_internal_of(drv, dom, TRUE, j->internal_files[i],
                                           DS_REVERT_KEEP_TAG, NULL);
        ds_revert_settle_aside((const char *const *)j->kept, FALSE);
        *what = g_strdup_printf("the revert to '%s' had finished: kept", j->snapshot);
        return TRUE;
    }
    /* Whatever started from the snapshot's config goes; the disks go back. */
    ds_domain_run_abandon(dom); /* destroys only what is there */
    ds_revert_settle_aside((const char *const *)j->kept, TRUE);
    for (guint i = 0; j->internal_files && j->internal_files[i]; i++) {
        ds_image_snapshot_apply(j->internal_files[i], DS_REVERT_KEEP_TAG, NULL);
        ds_image_snapshot_delete(j->internal_files[i], DS_REVERT_KEEP_TAG, NULL);
    }
    if (j->before) {
        DsDomainConfig before = { 0 };
        if (!ds_record_from_json(&ds_domain_config_type, j->before, &before, "journal", error))
            return FALSE;
        ds_record_clear(&ds_domain_config_type, &dom->config);
        dom->config = before;
    }
    remove_created(j);
    if (!ds_domain_record_save(store, dom, error))
        return FALSE;
    *what = g_strdup_printf("the revert to '%s' was rolled back: the domain is shut off on "
                            "the disks it had", j->snapshot);
    return TRUE;
}

gboolean
ds_journal_repair(DsStore *store, int lock_timeout_ms, DsDomainRecord *dom,
                  const DsJournal *j, char **what, GError **error)
{
    const DsDriverOps *drv = ds_driver_get(dom->driver, error);
    gboolean ok;

    if (!drv)
        return FALSE;
    switch ((DsJournalOp)j->op) {
    case DS_JOURNAL_SNAPSHOT_CREATE:
        ok = repair_create(store, dom, drv, j, what, error);
        break;
    case DS_JOURNAL_SNAPSHOT_REVERT:
        ok = repair_revert(store, dom, drv, j, what, error);
        break;
    case DS_JOURNAL_SNAPSHOT_DELETE:
        ok = !ds_snapshot_record_exists(store, dom->name, j->snapshot) ||
             ds_snapshot_delete_run(store, dom, drv, j->snapshot, j->flags, NULL, error);
        if (ok)
            *what = g_strdup_printf("the delete of '%s' was finished", j->snapshot);
        break;
    default: /* the journal's reader accepts only the table's names */
        g_assert_not_reached();
    }
    (void)lock_timeout_ms;
    return ok && ds_journal_remove(store, dom->name, error);
}
