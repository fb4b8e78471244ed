#include "snapshot_create.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/save_header.h"
#include "image/image.h"
#include "store/journal.h"
#include "store/snapshot_record.h"
#include "util/ds_file.h"

typedef struct {
    DsStore *store;
    DsDomainRecord *dom;
    const DsDriverOps *drv;
    const DsSnapshotPlan *plan;
    const char *description;
    DsProgressFunc progress;
    gpointer opaque;
    gint64 creation_time;

    /* What has been done, for the undo. */
    DsDriverSession *session;
    gboolean dir_created;
    GPtrArray *overlays_created;
    gboolean attached;
    gboolean paused;
    gboolean transaction;
    int mem_fd;
    gboolean mem_created;
    gboolean memory_started;
    gboolean memory_done;   /* a finished write leaves QEMU's disks inactive */
    gboolean internal_saved;
    gboolean frozen;        /* the guest's filesystems, by its agent */
    GPtrArray *offline_done; /* files given an internal snapshot */

    gint64 pause_us;
    guint64 memory_bytes;
} Exec;

static gboolean
step_create_overlays(Exec *x, GError **error)
{
    for (guint i = 0; i < x->plan->disks->len; i++) {
        const DsDiskPlan *d = x->plan->disks->pdata[i];
        g_autofree char *dir = NULL;

        if (d->kind != DS_DISK_SNAP_EXTERNAL)
            continue;
        dir = g_path_get_dirname(d->overlay);
        if (!ds_mkdir_private(dir, error) ||
            !ds_image_create_overlay(d->overlay, d->file, d->format, error))
            return FALSE;
        g_ptr_array_add(x->overlays_created, g_strdup(d->overlay));
    }
    return TRUE;
}

static gboolean
step_offline_internal(Exec *x, GError **error)
{
    for (guint i = 0; i < x->plan->disks->len; i++) {
        const DsDiskPlan *d = x->plan->disks->pdata[i];

        if (d->kind != DS_DISK_SNAP_INTERNAL)
            continue;
        if (!ds_image_snapshot_create(d->file, x->plan->name, error))
            return FALSE;
        g_ptr_array_add(x->offline_done, g_strdup(d->file));
    }
    return TRUE;
}

static gboolean
step_memory(Exec *x, DsLiveMode live, gboolean wait, GError **error)
{
    if (!x->drv->session.memory_start(x->session, live, error))
        return FALSE;
    x->memory_started = TRUE;
    if (live == DS_LIVE_BACKGROUND)
        x->paused = FALSE; /* QEMU resumes the guest itself */
    if (!wait)
        return TRUE;
    x->memory_done = x->drv->session.memory_wait(x->session, x->progress, x->opaque, error);
    return x->memory_done;
}

/* The record of the snapshot, from the plan and the domain as it is. */
static DsSnapshotRecord *
build_record(Exec *x)
{
    const DsSnapshotPlan *p = x->plan;
    DsSnapshotRecord *r = g_new0(DsSnapshotRecord, 1);
    DsDomainConfig *config = ds_record_copy(&ds_domain_config_type, &x->dom->config);

    r->name = g_strdup(p->name);
    r->domain = g_strdup(x->dom->name);
    r->description = g_strdup(x->description);
    r->creation_time = x->creation_time;
    r->parent = g_strdup(x->dom->current_snapshot);
    r->domain_state = g_strdup(ds_enum_to_string(&ds_domain_state_table,
                                                 !p->online ? DS_DOMAIN_SHUTOFF
                                                 : p->was_running ? DS_DOMAIN_RUNNING
                                                                  : DS_DOMAIN_PAUSED));
    r->live = p->live;
    r->crash_consistent = p->crash_consistent;
    r->quiesced = p->quiesce;
    r->pause_us = x->pause_us;
    r->dir = g_strdup(p->dir);
    r->memory.kind = p->memory;
    r->memory.file = g_strdup(p->memory_file);
    r->memory.bytes = x->memory_bytes;
    r->memory.vmstate_disk = p->memory == DS_MEMORY_INTERNAL ? g_strdup(p->vmstate_disk) : NULL;
    r->disks = g_ptr_array_new();
    for (guint i = 0; i < p->disks->len; i++) {
        const DsDiskPlan *d = p->disks->pdata[i];
        DsSnapshotDisk *sd = g_new0(DsSnapshotDisk, 1);
        sd->vdev = g_strdup(d->vdev);
        sd->kind = d->kind;
        sd->file = g_strdup(d->file);
        sd->format = d->format;
        sd->overlay = g_strdup(d->overlay);
        sd->copy = g_strdup(d->copy);
        g_ptr_array_add(r->disks, sd);
    }
    ds_record_move(&ds_domain_config_type, &r->config, config);
    g_free(config);
    return r;
}

/* From now on the domain runs on the overlays of its external disks. */
static void
switch_domain_disks(DsDomainRecord *dom, const DsSnapshotPlan *plan)
{
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        DsDomainDisk *dd = (DsDomainDisk *)ds_domain_config_find_disk(&dom->config, d->vdev);

        if (d->kind != DS_DISK_SNAP_EXTERNAL || !dd)
            continue;
        g_free(dd->pdev_path);
        dd->pdev_path = g_strdup(d->overlay);
        dd->format = DS_DISK_FORMAT_QCOW2;
    }
}

static gboolean
step_write_record(Exec *x, GError **error)
{
    g_autoptr(DsSnapshotRecord) r = NULL;
    g_autoptr(DsDomainRecord) before = ds_record_copy(&ds_domain_record_type, x->dom);
    struct stat st;

    if (x->mem_created) {
        /* Its header says how long it is, so that a truncated copy is
         * refused; and it must be on disk before a record points at it. */
        g_autoptr(DsSaveHeader) h = ds_save_header_read(x->mem_fd, x->plan->memory_file,
                                                        NULL, error);
        if (!h || !ds_save_header_finish(x->mem_fd, h, x->plan->memory_file, error))
            return FALSE;
        if (fsync(x->mem_fd) < 0 || fstat(x->mem_fd, &st) < 0) {
            g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot write memory image '%s': %s",
                        x->plan->memory_file, g_strerror(errno));
            return FALSE;
        }
        x->memory_bytes = st.st_size;
    }
    if (x->session) {
        x->pause_us = x->drv->session.session_pause_us(x->session);
        if (x->pause_us < 0 && x->plan->was_running)
            x->pause_us = 0; /* disk-only: the guest never stopped */
    }
    r = build_record(x);
    if (!ds_snapshot_record_save(x->store, r, error))
        return FALSE;
    switch_domain_disks(x->dom, x->plan);
    g_free(x->dom->current_snapshot);
    x->dom->current_snapshot = g_strdup(x->plan->name);
    if (ds_domain_record_save(x->store, x->dom, error))
        return TRUE;
    ds_snapshot_record_delete(x->store, x->dom->name, x->plan->name, NULL);
    ds_record_move(&ds_domain_record_type, x->dom, before);
    return FALSE;
}

static gboolean
run_step(Exec *x, DsStepKind step, GError **error)
{
    switch (step) {
    case DS_STEP_CREATE_OVERLAYS:
        return step_create_overlays(x, error);
    case DS_STEP_ATTACH_OVERLAYS:
        return (x->attached = x->drv->session.attach_overlays(x->session, x->plan, error));
    case DS_STEP_PAUSE:
        return (x->paused = x->drv->session.session_pause(x->session, error));
    case DS_STEP_DISK_TRANSACTION:
        return (x->transaction = x->drv->session.disk_transaction(x->session, x->plan, error));
    case DS_STEP_SAVE_MEMORY:
        if (!step_memory(x, DS_LIVE_NO, TRUE, error))
            return FALSE;
        if (x->plan->memory_stops_guest)
            x->paused = TRUE;
        return TRUE;
    case DS_STEP_PRECOPY_MEMORY:
        if (!step_memory(x, DS_LIVE_PRECOPY, TRUE, error))
            return FALSE;
        x->paused = TRUE; /* QEMU stopped the guest to finish */
        return TRUE;
    case DS_STEP_START_BACKGROUND_MEMORY:
        return step_memory(x, DS_LIVE_BACKGROUND, FALSE, error);
    case DS_STEP_WAIT_MEMORY:
        return x->drv->session.memory_wait(x->session, x->progress, x->opaque, error);
    case DS_STEP_SAVE_INTERNAL:
        return (x->internal_saved = x->drv->session.save_internal(x->session, x->plan, error));
    case DS_STEP_RESUME:
        if (!x->drv->session.session_resume(x->session, error))
            return FALSE;
        x->paused = FALSE;
        return TRUE;
    case DS_STEP_OFFLINE_INTERNAL:
        return step_offline_internal(x, error);
    case DS_STEP_WRITE_RECORD:
        return step_write_record(x, error);
    case DS_STEP_FREEZE_FS:
        return (x->frozen = x->drv->device.fs_freeze(x->dom, error));
    case DS_STEP_THAW_FS:
        if (!x->drv->device.fs_thaw(x->dom, error))
            return FALSE;
        x->frozen = FALSE;
        return TRUE;
    }
    return FALSE;
}

/*
 * When QEMU died mid-create, its internal snapshots are already in the
 * qcow2 files and no monitor is left to delete them: qemu-img does it.
 */
static void
undo_internal_offline(Exec *x)
{
    for (guint i = 0; i < x->plan->disks->len; i++) {
        const DsDiskPlan *d = x->plan->disks->pdata[i];
        if (d->kind == DS_DISK_SNAP_INTERNAL)
            ds_image_snapshot_delete(d->file, x->plan->name, NULL);
    }
}

/* A guest must never be left frozen: an agent that was busy gets a second
 * chance before the error is given up on. */
static void
thaw_for_sure(Exec *x)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        if (x->drv->device.fs_thaw(x->dom, NULL))
            return;
        g_usleep(G_USEC_PER_SEC / 2);
    }
}

/* Undoes, in reverse, what the finished steps did. Best effort: each undo
 * runs even if an earlier one failed. */
static void
undo(Exec *x)
{
    if (x->memory_started && !x->memory_done) {
        /* Cancelling a background snapshot that has just started leaves
         * QEMU 7.2's guest stuck on write-protected pages: let it finish
         * (it only writes the image, which is deleted below). */
        if (x->plan->live == DS_LIVE_BACKGROUND)
            x->drv->session.memory_wait(x->session, NULL, NULL, NULL);
        else if (ds_driver_has_cap(x->drv, DS_DRIVER_CAP_MEMORY_CANCEL))
            x->drv->session.memory_cancel(x->session);
    }
    if (x->memory_done && x->paused && x->transaction) {
        /* A finished memory write leaves QEMU's disks inactive, and only
         * resuming the guest activates them again: resume first (a guest
         * that was paused is paused again at once), then undo the disks;
         * what the guest writes meanwhile goes into the overlay and is
         * committed back with it. */
        x->drv->session.session_resume(x->session, NULL);
        x->paused = FALSE;
        if (!x->plan->was_running)
            x->drv->session.session_pause(x->session, NULL);
    }
    if (x->internal_saved)
        x->drv->session.delete_internal(x->session, x->plan, NULL);
    if (x->transaction && !x->drv->session.undo_disk_transaction(x->session, x->plan, NULL))
        undo_internal_offline(x); /* QEMU is gone: remove them from the files */
    if (x->paused && x->plan->was_running)
        x->drv->session.session_resume(x->session, NULL);
    if (x->attached)
        x->drv->session.detach_overlays(x->session, x->plan);
    for (guint i = 0; i < x->offline_done->len; i++)
        ds_image_snapshot_delete(x->offline_done->pdata[i], x->plan->name, NULL);
    for (guint i = 0; i < x->overlays_created->len; i++)
        ds_image_remove(x->overlays_created->pdata[i], NULL);
    if (x->mem_created)
        unlink(x->plan->memory_file);
    if (x->dir_created)
        ds_remove_tree(x->plan->dir, NULL);
    /* Last: the guest runs again by now, so its agent can answer. */
    if (x->frozen)
        thaw_for_sure(x);
}

/* What the plan needs of the driver, each asked before anything is done. */
static gboolean
check_driver(const DsDriverOps *drv, const char *domain, const DsSnapshotPlan *plan,
             GError **error)
{
    struct { gboolean needed; DsDriverCap cap; const char *doing; } need[] = {
        { plan->quiesce, DS_DRIVER_CAP_GUEST_AGENT, "--quiesce" },
        { plan->online, DS_DRIVER_CAP_LIVE_SNAPSHOT, NULL },
        { !plan->online, DS_DRIVER_CAP_OFFLINE_SNAPSHOT, NULL },
        { ds_snapshot_plan_has_disk_kind(plan, DS_DISK_SNAP_EXTERNAL),
          DS_DRIVER_CAP_EXTERNAL_DISK, "an external disk snapshot" },
        { plan->online && ds_snapshot_plan_has_disk_kind(plan, DS_DISK_SNAP_INTERNAL),
          DS_DRIVER_CAP_INTERNAL_DISK, "an internal disk snapshot of a running domain" },
        { ds_snapshot_plan_has_disk_kind(plan, DS_DISK_SNAP_COPY), DS_DRIVER_CAP_COPY_DISK,
          "a copy of a disk" },
        { ds_snapshot_plan_has_step(plan, DS_STEP_SAVE_INTERNAL),
          DS_DRIVER_CAP_MEMORY_INTERNAL, "memory='internal'" },
        { ds_snapshot_plan_has_step(plan, DS_STEP_START_BACKGROUND_MEMORY),
          DS_DRIVER_CAP_BACKGROUND_SNAPSHOT, "--live=background" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(need); i++)
        if (need[i].needed &&
            !ds_driver_require_cap(drv, need[i].cap, domain, need[i].doing, NULL, error))
            return FALSE;
    return TRUE;
}

/* The memory image: created exclusively (0600), with domsnap's header. */
static gboolean
open_memory_image(Exec *x, GError **error)
{
    g_autoptr(DsSaveHeader) h = g_new0(DsSaveHeader, 1);
    gboolean ok;

    x->mem_fd = open(x->plan->memory_file,
                     O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (x->mem_fd < 0) {
        g_set_error(error, DS_ERROR, errno == EEXIST ? DS_ERROR_EXISTS : DS_ERROR_IO,
                    "cannot create memory image '%s': %s", x->plan->memory_file,
                    g_strerror(errno));
        return FALSE;
    }
    x->mem_created = TRUE;
    h->driver = g_strdup(x->dom->driver);
    h->saved_at = x->creation_time;
    h->domain_state = g_strdup(ds_enum_to_string(&ds_domain_state_table,
                                                 x->plan->was_running ? DS_DOMAIN_RUNNING
                                                                      : DS_DOMAIN_PAUSED));
    ds_record_copy_to(&ds_domain_config_type, &h->config, &x->dom->config);
    ok = ds_save_header_write(x->mem_fd, h, x->plan->memory_file, error);
    return ok;
}

static gboolean
prepare(Exec *x, GError **error)
{
    if (!g_file_test(x->plan->dir, G_FILE_TEST_EXISTS)) {
        if (!ds_mkdir_private(x->plan->dir, error))
            return FALSE;
        x->dir_created = TRUE;
    }
    if (x->plan->online) {
        x->session = x->drv->session.session_open(x->dom, error);
        if (!x->session)
            return FALSE;
    }
    if (x->plan->memory == DS_MEMORY_EXTERNAL) {
        g_autofree char *dir = g_path_get_dirname(x->plan->memory_file);
        if (!ds_mkdir_private(dir, error) || !open_memory_image(x, error))
            return FALSE;
    }
    return !x->session || x->drv->session.session_prepare(x->session, x->plan, x->mem_fd, error);
}

/* What a rollback after a crash must undo: everything this create may make. */
static DsJournal *
make_journal(const Exec *x)
{
    const DsSnapshotPlan *p = x->plan;
    DsJournal *j = g_new0(DsJournal, 1);
    g_autoptr(GStrvBuilder) created = g_strv_builder_new();
    g_autoptr(GStrvBuilder) internal = g_strv_builder_new();
    g_autoptr(GStrvBuilder) overlays = g_strv_builder_new();
    g_autoptr(GStrvBuilder) bases = g_strv_builder_new();

    j->op = DS_JOURNAL_SNAPSHOT_CREATE;
    j->snapshot = g_strdup(p->name);
    j->was_running = p->was_running;
    j->quiesce = p->quiesce;
    j->live = p->live;
    if (!g_file_test(p->dir, G_FILE_TEST_EXISTS))
        j->created_dir = g_strdup(p->dir);
    if (p->memory_file)
        g_strv_builder_add(created, p->memory_file);
    for (guint i = 0; i < p->disks->len; i++) {
        const DsDiskPlan *d = p->disks->pdata[i];
        if (d->kind == DS_DISK_SNAP_INTERNAL)
            g_strv_builder_add(internal, d->file);
        if (d->copy)
            g_strv_builder_add(created, d->copy);
        if (d->kind != DS_DISK_SNAP_EXTERNAL)
            continue;
        g_strv_builder_add(created, d->overlay);
        if (p->online) {
            g_strv_builder_add(overlays, d->overlay);
            g_strv_builder_add(bases, d->file);
        }
    }
    j->created = g_strv_builder_end(created);
    j->internal_files = g_strv_builder_end(internal);
    j->overlays = g_strv_builder_end(overlays);
    j->bases = g_strv_builder_end(bases);
    return j;
}

/* Stops at step N when $DOMSNAP_TEST_FAIL_AT_STEP says so (tests only). */
static gboolean
injected_failure(const Exec *x, DsStepKind step, GError **error)
{
    const char *at = g_getenv("DOMSNAP_TEST_FAIL_AT_STEP");

    if (!at || g_strcmp0(at, ds_enum_to_string(&ds_step_table, step)) != 0)
        return FALSE;
    g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "injected failure at step %s", at);
    return TRUE;
}

gboolean
ds_snapshot_create_run(DsStore *store, DsDomainRecord *dom, const DsDriverOps *drv,
                       const DsSnapshotPlan *plan, const char *description,
                       DsProgressFunc progress, gpointer opaque, DsSnapshotOutcome *out,
                       GError **error)
{
    Exec x = { .store = store, .dom = dom, .drv = drv, .plan = plan,
               .description = description, .progress = progress, .opaque = opaque,
               .mem_fd = -1, .pause_us = -1 };
    g_autoptr(DsJournal) journal = NULL;
    gboolean ok;

    x.creation_time = plan->creation_time > 0 ? plan->creation_time
                                              : g_get_real_time() / G_USEC_PER_SEC;
    x.overlays_created = g_ptr_array_new_with_free_func(g_free);
    x.offline_done = g_ptr_array_new_with_free_func(g_free);
    journal = make_journal(&x);
    ok = check_driver(drv, dom->name, plan, error) &&
         ds_journal_step(store, dom->name, journal, "prepare", error) && prepare(&x, error);
    for (guint i = 0; ok && i < plan->steps->len; i++) {
        DsStepKind step = g_array_index(plan->steps, DsStepKind, i);
        const char *name = ds_enum_to_string(&ds_step_table, step);
        /* The journal written at "prepare" already holds everything a repair
         * needs; inside the pause only the step name would change. */
        if (x.paused)
            ds_journal_step_unwritten(journal, name);
        else
            ok = ds_journal_step(store, dom->name, journal, name, error);
        ok = ok && !injected_failure(&x, step, error) && run_step(&x, step, error);
        if (!ok)
            g_prefix_error(error, "snapshot '%s' of domain '%s' not taken (%s failed; "
                           "everything done so far was undone): ", plan->name, dom->name,
                           ds_enum_to_string(&ds_step_table, step));
    }
    if (!ok)
        undo(&x);
    /* Done, or undone: nothing is left for a repair to do. */
    ds_journal_remove(store, dom->name, NULL);
    if (x.mem_fd >= 0)
        close(x.mem_fd);
    if (x.session)
        drv->session.session_close(x.session);
    g_ptr_array_unref(x.overlays_created);
    g_ptr_array_unref(x.offline_done);
    if (ok && out) {
        out->pause_us = x.pause_us;
        out->memory_bytes = x.memory_bytes;
    }
    return ok;
}
