/*
 * qemu_snapshot.c: the steps of a snapshot of a running QEMU domain, all
 * through one QMP connection (so that its STOP and RESUME events measure
 * the guest's pause).
 */
#include "qemu_driver.h"

#include <string.h>

#include "drivers/qemu/qemu_argv.h"
#include "drivers/qemu/qemu_block.h"
#include "image/image.h"

struct _DsDriverSession {
    DsQmp *qmp;
    char *who;
    GHashTable *overlay_nodes; /* vdev -> node name of its attached overlay */
    GHashTable *top_nodes;     /* vdev -> node name on top before the transaction */
    GPtrArray *qdevs;          /* by disk index: what its query-block "qdev" holds */
    gint64 stop_us;            /* first STOP seen, 0 if none */
    gint64 resume_us;          /* last RESUME seen after it */
    gboolean transaction_done;
};

#define JOB_POLL_US 10000
#define JOB_EVENT_MS 60000

DsDriverSession *
ds_qemu_session_open(const DsDomainRecord *rec, GError **error)
{
    DsQmp *qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, error);
    DsDriverSession *s;

    if (!qmp)
        return NULL;
    s = g_new0(DsDriverSession, 1);
    s->qmp = qmp;
    s->who = g_strdup(rec->name);
    s->overlay_nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    s->top_nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    s->qdevs = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; rec->config.disks && i < rec->config.disks->len; i++)
        g_ptr_array_add(s->qdevs, ds_qemu_disk_qdev_match(&rec->config, i));
    return s;
}

void
ds_qemu_session_close(DsDriverSession *s)
{
    if (!s)
        return;
    ds_qmp_free(s->qmp);
    g_hash_table_unref(s->overlay_nodes);
    g_hash_table_unref(s->top_nodes);
    g_ptr_array_unref(s->qdevs);
    g_free(s->who);
    g_free(s);
}

/* Folds queued STOP/RESUME events into the pause measurement. */
static void
note_events(DsDriverSession *s)
{
    DsQmpEvent *ev;

    ds_qmp_poll_events(s->qmp, NULL);
    while ((ev = ds_qmp_take_event(s->qmp, "STOP"))) {
        if (!s->stop_us)
            s->stop_us = ev->timestamp_us;
        ds_qmp_event_free(ev);
    }
    while ((ev = ds_qmp_take_event(s->qmp, "RESUME"))) {
        if (s->stop_us)
            s->resume_us = ev->timestamp_us;
        ds_qmp_event_free(ev);
    }
}

gint64
ds_qemu_session_pause_us(DsDriverSession *s)
{
    note_events(s);
    if (!s->stop_us || s->resume_us < s->stop_us)
        return -1;
    return s->resume_us - s->stop_us;
}

gboolean
ds_qemu_session_pause(DsDriverSession *s, GError **error)
{
    return ds_qmp_stop(s->qmp, error);
}

gboolean
ds_qemu_session_resume(DsDriverSession *s, GError **error)
{
    gboolean ok = ds_qmp_cont(s->qmp, error);

    note_events(s);
    return ok;
}

/* The node on top of disk @index's chain: what its device (or, for the
 * UEFI variable store, its flash unit) uses now. */
static char *
top_node(DsDriverSession *s, guint index, GError **error)
{
    g_autofree char *dev = ds_qemu_disk_device_id(index);
    const char *needle = index < s->qdevs->len ? s->qdevs->pdata[index] : "";
    g_autoptr(GPtrArray) blocks = ds_qmp_query_block(s->qmp, error);

    if (!blocks)
        return NULL;
    for (guint i = 0; i < blocks->len; i++) {
        const DsQmpBlockInfo *b = blocks->pdata[i];
        if (b->qdev && strstr(b->qdev, needle) && b->node_name)
            return g_strdup(b->node_name);
    }
    g_set_error(error, DS_ERROR, DS_ERROR_QMP, "domain '%s': QEMU has no disk device '%s'",
                s->who, dev);
    return NULL;
}

gboolean
ds_qemu_attach_overlays(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        g_autofree char *node = NULL;
        /* The backing is attached by blockdev-snapshot, to the node in use. */
        DsQmpBlockdevOptions overlay = { .driver = "qcow2", .no_backing = TRUE };

        if (d->kind != DS_DISK_SNAP_EXTERNAL)
            continue;
        node = g_strdup_printf("ds-ov%u-%08x", d->index, g_random_int());
        overlay.node_name = node;
        overlay.filename = d->overlay;
        if (!ds_qmp_blockdev_add(s->qmp, &overlay, error)) {
            ds_qemu_detach_overlays(s, plan);
            return FALSE;
        }
        g_hash_table_insert(s->overlay_nodes, g_strdup(d->vdev), g_steal_pointer(&node));
    }
    return TRUE;
}

void
ds_qemu_detach_overlays(DsDriverSession *s, const DsSnapshotPlan *plan)
{
    GHashTableIter it;
    gpointer vdev, node;

    g_hash_table_iter_init(&it, s->overlay_nodes);
    while (g_hash_table_iter_next(&it, &vdev, &node)) {
        ds_qmp_blockdev_del(s->qmp, node, NULL);
        g_hash_table_iter_remove(&it);
    }
}

static DsQmpTransactionAction
disk_action(DsDriverSession *s, const DsSnapshotPlan *plan, const DsDiskPlan *d,
            const char *top)
{
    if (d->kind == DS_DISK_SNAP_INTERNAL)
        return (DsQmpTransactionAction){ .type = DS_QMP_ACTION_BLOCKDEV_SNAPSHOT_INTERNAL_SYNC,
                                         .node = top, .name = plan->name };
    return (DsQmpTransactionAction){ .type = DS_QMP_ACTION_BLOCKDEV_SNAPSHOT, .node = top,
                                     .overlay = g_hash_table_lookup(s->overlay_nodes, d->vdev) };
}

gboolean
ds_qemu_disk_transaction(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    g_autoptr(GArray) actions = g_array_new(FALSE, FALSE, sizeof(DsQmpTransactionAction));

    /* The nodes were found by ds_qemu_session_prepare(), before the pause. */
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        const char *top = g_hash_table_lookup(s->top_nodes, d->vdev);
        DsQmpTransactionAction action;

        if (d->kind == DS_DISK_SNAP_NO)
            continue;
        if (!top) {
            g_set_error(error, DS_ERROR, DS_ERROR_FAILED,
                        "domain '%s': disk '%s' was not prepared", s->who, d->vdev);
            return FALSE;
        }
        action = disk_action(s, plan, d, top);
        g_array_append_val(actions, action);
    }
    s->transaction_done = ds_qmp_transaction(s->qmp, (DsQmpTransactionAction *)actions->data,
                                             actions->len, error);
    return s->transaction_done;
}

/*
 * Folds an overlay that the guest may already have written to back into
 * the image below it and makes that image the top again (an active
 * block-commit): nothing the guest wrote is lost.
 */
static gboolean
commit_overlay(DsDriverSession *s, const char *overlay_node, const char *base_node,
               GError **error)
{
    g_autofree char *id = g_strdup_printf("ds-undo-%08x", g_random_int());
    DsQmpBlockCommit commit = {
        .job_id = id, .device = overlay_node, .base_node = base_node, .auto_dismiss = TRUE,
    };

    return ds_qmp_block_commit(s->qmp, &commit, error) &&
           ds_qmp_wait_block_job_event(s->qmp, "BLOCK_JOB_READY", id, JOB_EVENT_MS, error) &&
           ds_qmp_block_job_complete(s->qmp, id, error) &&
           ds_qmp_wait_block_job_event(s->qmp, "BLOCK_JOB_COMPLETED", id, JOB_EVENT_MS, error);
}

gboolean
ds_qemu_undo_disk_transaction(DsDriverSession *s, const DsSnapshotPlan *plan,
                              GError **error)
{
    gboolean ok = TRUE;

    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        const char *top = g_hash_table_lookup(s->top_nodes, d->vdev);
        GError *local = NULL;

        if (!top || !s->transaction_done)
            continue;
        if (d->kind == DS_DISK_SNAP_INTERNAL) {
            ok = ds_qmp_blockdev_snapshot_delete_internal_sync(s->qmp, top, plan->name, &local) &&
                 ok;
        } else if (d->kind == DS_DISK_SNAP_EXTERNAL) {
            ok = commit_overlay(s, g_hash_table_lookup(s->overlay_nodes, d->vdev), top,
                                &local) && ok;
        }
        if (local) {
            if (error && !*error)
                g_propagate_error(error, local);
            else
                g_error_free(local);
        }
    }
    return ok;
}

gboolean
ds_qemu_session_prepare(DsDriverSession *s, const DsSnapshotPlan *plan, int mem_fd,
                        GError **error)
{
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        char *top;

        if (d->kind == DS_DISK_SNAP_NO)
            continue;
        top = top_node(s, d->index, error);
        if (!top)
            return FALSE;
        g_hash_table_insert(s->top_nodes, g_strdup(d->vdev), top);
    }
    return mem_fd < 0 ||
           ds_qemu_migration_prepare(s->qmp, mem_fd, plan->live == DS_LIVE_BACKGROUND, error);
}

gboolean
ds_qemu_memory_start(DsDriverSession *s, DsLiveMode live, GError **error)
{
    return ds_qemu_migration_start(s->qmp, error);
}

gboolean
ds_qemu_memory_wait(DsDriverSession *s, DsProgressFunc progress, gpointer opaque,
                    GError **error)
{
    gboolean ok = ds_qemu_migration_wait(s->who, s->qmp, "writing memory", progress,
                                         opaque, error);

    note_events(s);
    return ok;
}

void
ds_qemu_memory_cancel(DsDriverSession *s)
{
    ds_qmp_migrate_cancel(s->qmp, NULL);
}

typedef gboolean (*SnapshotJobStart)(DsQmp *qmp, const DsQmpSnapshotJob *job, GError **error);

/* Job @id's status and error from query-jobs; *@status NULL if QEMU has
 * no such job. */
static gboolean
job_status(DsDriverSession *s, const char *id, char **status, char **job_error, GError **error)
{
    g_autoptr(GPtrArray) jobs = ds_qmp_query_jobs(s->qmp, error);

    if (!jobs)
        return FALSE;
    for (guint i = 0; i < jobs->len; i++) {
        DsQmpJobInfo *j = jobs->pdata[i];
        if (strcmp(j->id, id) == 0) {
            *status = g_steal_pointer(&j->status);
            *job_error = g_steal_pointer(&j->error);
            break;
        }
    }
    return TRUE;
}

/* snapshot-save / -load / -delete are jobs: run one to its end. */
static gboolean
run_job(DsDriverSession *s, const char *command, SnapshotJobStart start, DsQmpSnapshotJob *job,
        GError **error)
{
    g_autofree char *id = g_strdup_printf("ds-%s-%08x", command, g_random_int());

    job->job_id = id;
    if (!start(s->qmp, job, error))
        return FALSE;
    for (;;) {
        g_autofree char *status = NULL;
        g_autofree char *job_error = NULL;

        if (!job_status(s, id, &status, &job_error, error))
            return FALSE;
        if (g_strcmp0(status, "concluded") == 0) {
            ds_qmp_job_dismiss(s->qmp, id, NULL);
            note_events(s);
            if (job_error) {
                g_set_error(error, DS_ERROR, DS_ERROR_QMP, "domain '%s': %s failed: %s",
                            s->who, command, job_error);
                return FALSE;
            }
            return TRUE;
        }
        if (!status) {
            g_set_error(error, DS_ERROR, DS_ERROR_QMP, "domain '%s': job %s disappeared",
                        s->who, id);
            return FALSE;
        }
        g_usleep(JOB_POLL_US);
    }
}

/* The nodes of the plan's internal disks (NULL-terminated), as
 * snapshot-save/-load/-delete take them; *@vmstate: the node of the disk
 * that holds the memory. */
static GPtrArray *
internal_nodes(DsDriverSession *s, const DsSnapshotPlan *plan, char **vmstate, GError **error)
{
    g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        char *top;

        if (d->kind != DS_DISK_SNAP_INTERNAL)
            continue;
        top = top_node(s, d->index, error);
        if (!top)
            return NULL;
        if (vmstate && g_strcmp0(d->vdev, plan->vmstate_disk) == 0) {
            g_free(*vmstate);
            *vmstate = g_strdup(top);
        }
        g_ptr_array_add(nodes, top);
    }
    g_ptr_array_add(nodes, NULL);
    return g_steal_pointer(&nodes);
}

static gboolean
run_internal(DsDriverSession *s, const DsSnapshotPlan *plan, const char *command,
             SnapshotJobStart start, gboolean with_vmstate, GError **error)
{
    g_autofree char *vmstate = NULL;
    g_autoptr(GPtrArray) nodes = internal_nodes(s, plan, with_vmstate ? &vmstate : NULL, error);
    DsQmpSnapshotJob job = { .tag = plan->name, .vmstate = vmstate };

    if (!nodes)
        return FALSE;
    job.devices = (const char *const *)nodes->pdata;
    return run_job(s, command, start, &job, error);
}

gboolean
ds_qemu_save_internal(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    return run_internal(s, plan, "snapshot-save", ds_qmp_snapshot_save, TRUE, error);
}

gboolean
ds_qemu_delete_internal(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    return run_internal(s, plan, "snapshot-delete", ds_qmp_snapshot_delete, FALSE, error);
}

gboolean
ds_qemu_load_internal(const DsDomainRecord *rec, const char *name,
                      const char *vmstate_vdev, const char *const *vdevs, GError **error)
{
    g_autoptr(DsSnapshotPlan) plan = g_new0(DsSnapshotPlan, 1);
    DsDriverSession *s = ds_qemu_session_open(rec, error);
    gboolean ok;

    if (!s)
        return FALSE;
    /* The disks that hold the snapshot: snapshot-load needs the tag on each. */
    plan->name = g_strdup(name);
    plan->vmstate_disk = g_strdup(vmstate_vdev);
    plan->disks = g_ptr_array_new_with_free_func(g_free);
    plan->steps = g_array_new(FALSE, FALSE, sizeof(DsStepKind));
    for (guint i = 0; rec->config.disks && i < rec->config.disks->len; i++) {
        const DsDomainDisk *dd = rec->config.disks->pdata[i];
        DsDiskPlan *d = g_new0(DsDiskPlan, 1);
        d->index = i;
        d->kind = g_strv_contains(vdevs, dd->vdev) ? DS_DISK_SNAP_INTERNAL : DS_DISK_SNAP_NO;
        d->vdev = dd->vdev; /* borrowed; freed below by hand */
        g_ptr_array_add(plan->disks, d);
    }
    ok = run_internal(s, plan, "snapshot-load", ds_qmp_snapshot_load, TRUE, error);
    for (guint i = 0; i < plan->disks->len; i++)
        ((DsDiskPlan *)plan->disks->pdata[i])->vdev = NULL;
    ds_qemu_session_close(s);
    return ok;
}

gboolean
ds_qemu_background_supported(const DsDomainRecord *rec)
{
    g_autoptr(DsQmp) qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, NULL);
    g_auto(GStrv) caps = qmp ? ds_qmp_query_migrate_capabilities(qmp, NULL) : NULL;

    return caps && g_strv_contains((const char *const *)caps, "background-snapshot");
}

/* The format node QEMU has open on @file, or NULL (DS_ERROR_NOT_FOUND). */
static char *
node_of_file(DsDriverSession *s, const char *file, GError **error)
{
    return ds_qemu_block_node_of_file(s->qmp, s->who, file, error);
}

gboolean
ds_qemu_stream_online(const DsDomainRecord *rec, const char *file, const char *new_backing,
                      GError **error)
{
    DsDriverSession *s = ds_qemu_session_open(rec, error);
    g_autofree char *node = NULL, *base = NULL;
    g_autofree char *id = g_strdup_printf("ds-stream-%08x", g_random_int());
    gboolean ok = FALSE;

    if (!s)
        return FALSE;
    node = node_of_file(s, file, error);
    if (node && new_backing)
        base = node_of_file(s, new_backing, error);
    if (node && (base || !new_backing)) {
        DsQmpBlockStream stream = { .job_id = id, .device = node, .base_node = base };
        ok = ds_qmp_block_stream(s->qmp, &stream, error) &&
             ds_qmp_wait_block_job_event(s->qmp, "BLOCK_JOB_COMPLETED", id, JOB_EVENT_MS, error);
    }
    ds_qemu_session_close(s);
    return ok;
}

gboolean
ds_qemu_delete_internal_online(const DsDomainRecord *rec, const char *file, const char *name,
                               GError **error)
{
    DsDriverSession *s = ds_qemu_session_open(rec, error);
    g_autofree char *node = NULL;
    gboolean ok = FALSE;

    if (!s)
        return FALSE;
    node = node_of_file(s, file, error);
    ok = node && ds_qmp_blockdev_snapshot_delete_internal_sync(s->qmp, node, name, error);
    ds_qemu_session_close(s);
    return ok;
}

/*
 * After a domsnap killed in the middle of a create: stops a memory write
 * still going, takes back the internal snapshots named @name and the
 * overlays put on top of @bases, and leaves the guest running if it was.
 */
gboolean
ds_qemu_rollback_online(const DsDomainRecord *rec, const char *name, int live,
                        const char *const *internal_files, const char *const *overlays,
                        const char *const *bases, gboolean was_running, GError **error)
{
    DsDriverSession *s = ds_qemu_session_open(rec, error);
    g_auto(DsQmpMigrationInfo) mig = { 0 };
    g_auto(DsQmpStatusInfo) status = { 0 };
    gboolean ok = TRUE;

    if (!s)
        return FALSE;
    if (ds_qmp_query_migrate(s->qmp, &mig, NULL) &&
        g_strv_contains((const char *const[]){ "active", "setup", "device", NULL },
                        mig.status ? mig.status : "none")) {
        /* A background snapshot cannot be cancelled safely: let it end. */
        if (live != DS_LIVE_BACKGROUND)
            ds_qmp_migrate_cancel(s->qmp, NULL);
        ds_qemu_migration_wait(s->who, s->qmp, "finishing the interrupted write", NULL,
                               NULL, NULL);
    }
    /* Disks left inactive by a finished write are active again once resumed. */
    if (ds_qmp_query_status(s->qmp, &status, NULL) && strcmp(status.status, "running") != 0)
        ds_qmp_cont(s->qmp, NULL);
    for (guint i = 0; internal_files && internal_files[i]; i++) {
        g_autofree char *node = node_of_file(s, internal_files[i], NULL);
        if (node)
            ds_qmp_blockdev_snapshot_delete_internal_sync(s->qmp, node, name, NULL);
        else
            ds_image_snapshot_delete(internal_files[i], name, NULL);
    }
    for (guint i = 0; overlays && overlays[i] && bases && bases[i]; i++) {
        g_autofree char *ov = node_of_file(s, overlays[i], NULL);
        g_autofree char *base = ov ? node_of_file(s, bases[i], NULL) : NULL;

        if (!ov)
            continue;
        if (base) {
            g_autoptr(GError) local = NULL;
            /* Fails harmlessly if the overlay was never put on top. */
            commit_overlay(s, ov, base, &local);
        }
        ds_qmp_blockdev_del(s->qmp, ov, NULL);
    }
    if (!was_running)
        ok = ds_qmp_stop(s->qmp, error);
    ds_qemu_session_close(s);
    return ok;
}
