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
    return ds_qmp_run(s->qmp, "stop", NULL, error);
}

gboolean
ds_qemu_session_resume(DsDriverSession *s, GError **error)
{
    gboolean ok = ds_qmp_run(s->qmp, "cont", NULL, error);

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
    json_object *r = ds_qmp_command(s->qmp, "query-block", NULL, error);
    char *node = NULL;

    if (!r)
        return NULL;
    for (size_t i = 0; i < json_object_array_length(r); i++) {
        json_object *b = json_object_array_get_idx(r, i), *qdev, *ins, *n;
        if (json_object_object_get_ex(b, "qdev", &qdev) &&
            strstr(json_object_get_string(qdev), needle) &&
            json_object_object_get_ex(b, "inserted", &ins) &&
            json_object_object_get_ex(ins, "node-name", &n)) {
            node = g_strdup(json_object_get_string(n));
            break;
        }
    }
    json_object_put(r);
    if (!node)
        g_set_error(error, DS_ERROR, DS_ERROR_QMP, "domain '%s': QEMU has no disk device '%s'",
                    s->who, dev);
    return node;
}

gboolean
ds_qemu_attach_overlays(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        g_autofree char *node = NULL;
        json_object *args, *file;

        if (d->kind != DS_DISK_SNAP_EXTERNAL)
            continue;
        node = g_strdup_printf("ds-ov%u-%08x", d->index, g_random_int());
        args = json_object_new_object();
        file = json_object_new_object();
        json_object_object_add(file, "driver", json_object_new_string("file"));
        json_object_object_add(file, "filename", json_object_new_string(d->overlay));
        json_object_object_add(args, "driver", json_object_new_string("qcow2"));
        json_object_object_add(args, "node-name", json_object_new_string(node));
        json_object_object_add(args, "file", file);
        /* The backing is attached by blockdev-snapshot, to the node in use. */
        json_object_object_add(args, "backing", NULL);
        if (!ds_qmp_run(s->qmp, "blockdev-add", args, error)) {
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
        json_object *args = json_object_new_object();
        json_object_object_add(args, "node-name", json_object_new_string(node));
        ds_qmp_run(s->qmp, "blockdev-del", args, NULL);
        g_hash_table_iter_remove(&it);
    }
}

static json_object *
action(const char *type, json_object *data)
{
    json_object *a = json_object_new_object();

    json_object_object_add(a, "type", json_object_new_string(type));
    json_object_object_add(a, "data", data);
    return a;
}

static json_object *
disk_action(DsDriverSession *s, const DsSnapshotPlan *plan, const DsDiskPlan *d,
            const char *top)
{
    json_object *data = json_object_new_object();

    if (d->kind == DS_DISK_SNAP_INTERNAL) {
        json_object_object_add(data, "device", json_object_new_string(top));
        json_object_object_add(data, "name", json_object_new_string(plan->name));
        return action("blockdev-snapshot-internal-sync", data);
    }
    json_object_object_add(data, "node", json_object_new_string(top));
    json_object_object_add(data, "overlay",
                           json_object_new_string(g_hash_table_lookup(s->overlay_nodes, d->vdev)));
    return action("blockdev-snapshot", data);
}

gboolean
ds_qemu_disk_transaction(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    json_object *actions = json_object_new_array();
    json_object *args;

    /* The nodes were found by ds_qemu_session_prepare(), before the pause. */
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        const char *top = g_hash_table_lookup(s->top_nodes, d->vdev);

        if (d->kind == DS_DISK_SNAP_NO)
            continue;
        if (!top) {
            json_object_put(actions);
            g_set_error(error, DS_ERROR, DS_ERROR_FAILED,
                        "domain '%s': disk '%s' was not prepared", s->who, d->vdev);
            return FALSE;
        }
        json_object_array_add(actions, disk_action(s, plan, d, top));
    }
    args = json_object_new_object();
    json_object_object_add(args, "actions", actions);
    s->transaction_done = ds_qmp_run(s->qmp, "transaction", args, error);
    return s->transaction_done;
}

/* Waits for the block job @id to emit @event (READY or COMPLETED). */
static gboolean
wait_job_event(DsDriverSession *s, const char *event, const char *id, GError **error)
{
    for (;;) {
        g_autoptr(DsQmpEvent) ev = ds_qmp_wait_event(s->qmp, event, 60000, error);
        json_object *dev = NULL, *err = NULL;

        if (!ev)
            return FALSE;
        if (!ev->data || !json_object_object_get_ex(ev->data, "device", &dev) ||
            g_strcmp0(json_object_get_string(dev), id) != 0)
            continue;
        if (json_object_object_get_ex(ev->data, "error", &err)) {
            g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "domain '%s': block job %s failed: %s",
                        s->who, id, json_object_get_string(err));
            return FALSE;
        }
        return TRUE;
    }
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
    json_object *args = json_object_new_object();
    json_object *jargs;

    json_object_object_add(args, "job-id", json_object_new_string(id));
    json_object_object_add(args, "device", json_object_new_string(overlay_node));
    json_object_object_add(args, "base-node", json_object_new_string(base_node));
    json_object_object_add(args, "auto-dismiss", json_object_new_boolean(TRUE));
    if (!ds_qmp_run(s->qmp, "block-commit", args, error) ||
        !wait_job_event(s, "BLOCK_JOB_READY", id, error))
        return FALSE;
    jargs = json_object_new_object();
    json_object_object_add(jargs, "device", json_object_new_string(id));
    return ds_qmp_run(s->qmp, "block-job-complete", jargs, error) &&
           wait_job_event(s, "BLOCK_JOB_COMPLETED", id, error);
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
            json_object *args = json_object_new_object();
            json_object_object_add(args, "device", json_object_new_string(top));
            json_object_object_add(args, "name", json_object_new_string(plan->name));
            ok = ds_qmp_run(s->qmp, "blockdev-snapshot-delete-internal-sync", args, &local) && ok;
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
    ds_qmp_run(s->qmp, "migrate_cancel", NULL, NULL);
}

/* snapshot-save / -load / -delete are jobs: run one to its end. */
static gboolean
run_job(DsDriverSession *s, const char *command, json_object *args, GError **error)
{
    g_autofree char *id = g_strdup_printf("ds-%s-%08x", command, g_random_int());

    json_object_object_add(args, "job-id", json_object_new_string(id));
    if (!ds_qmp_run(s->qmp, command, args, error))
        return FALSE;
    for (;;) {
        json_object *jobs = ds_qmp_command(s->qmp, "query-jobs", NULL, error);
        const char *status = NULL;
        g_autofree char *job_error = NULL;

        if (!jobs)
            return FALSE;
        for (size_t i = 0; i < json_object_array_length(jobs); i++) {
            json_object *j = json_object_array_get_idx(jobs, i), *v;
            if (json_object_object_get_ex(j, "id", &v) &&
                g_strcmp0(json_object_get_string(v), id) == 0) {
                json_object_object_get_ex(j, "status", &v);
                status = json_object_get_string(v);
                if (json_object_object_get_ex(j, "error", &v))
                    job_error = g_strdup(json_object_get_string(v));
                break;
            }
        }
        if (g_strcmp0(status, "concluded") == 0) {
            json_object *d = json_object_new_object();
            json_object_put(jobs);
            json_object_object_add(d, "id", json_object_new_string(id));
            ds_qmp_run(s->qmp, "job-dismiss", d, NULL);
            note_events(s);
            if (job_error) {
                g_set_error(error, DS_ERROR, DS_ERROR_QMP, "domain '%s': %s failed: %s",
                            s->who, command, job_error);
                return FALSE;
            }
            return TRUE;
        }
        json_object_put(jobs);
        if (!status) {
            g_set_error(error, DS_ERROR, DS_ERROR_QMP, "domain '%s': job %s disappeared",
                        s->who, id);
            return FALSE;
        }
        g_usleep(JOB_POLL_US);
    }
}

/* tag, vmstate and devices, as snapshot-save/-load/-delete take them. */
static json_object *
internal_args(DsDriverSession *s, const DsSnapshotPlan *plan, gboolean with_vmstate,
              GError **error)
{
    json_object *args = json_object_new_object();
    json_object *devices = json_object_new_array();

    json_object_object_add(args, "tag", json_object_new_string(plan->name));
    json_object_object_add(args, "devices", devices);
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        char *top;

        if (d->kind != DS_DISK_SNAP_INTERNAL)
            continue;
        top = top_node(s, d->index, error);
        if (!top) {
            json_object_put(args);
            return NULL;
        }
        json_object_array_add(devices, json_object_new_string(top));
        if (with_vmstate && g_strcmp0(d->vdev, plan->vmstate_disk) == 0)
            json_object_object_add(args, "vmstate", json_object_new_string(top));
        g_free(top);
    }
    return args;
}

gboolean
ds_qemu_save_internal(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    json_object *args = internal_args(s, plan, TRUE, error);

    return args && run_job(s, "snapshot-save", args, error);
}

gboolean
ds_qemu_delete_internal(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    json_object *args = internal_args(s, plan, FALSE, error);

    return args && run_job(s, "snapshot-delete", args, error);
}

gboolean
ds_qemu_load_internal(const DsDomainRecord *rec, const char *name,
                      const char *vmstate_vdev, const char *const *vdevs, GError **error)
{
    g_autoptr(DsSnapshotPlan) plan = g_new0(DsSnapshotPlan, 1);
    DsDriverSession *s = ds_qemu_session_open(rec, error);
    json_object *args;
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
    args = internal_args(s, plan, TRUE, error);
    ok = args && run_job(s, "snapshot-load", args, error);
    for (guint i = 0; i < plan->disks->len; i++)
        ((DsDiskPlan *)plan->disks->pdata[i])->vdev = NULL;
    ds_qemu_session_close(s);
    return ok;
}

gboolean
ds_qemu_background_supported(const DsDomainRecord *rec)
{
    g_autoptr(DsQmp) qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, NULL);
    json_object *caps;
    gboolean found = FALSE;

    if (!qmp || !(caps = ds_qmp_command(qmp, "query-migrate-capabilities", NULL, NULL)))
        return FALSE;
    for (size_t i = 0; i < json_object_array_length(caps); i++) {
        json_object *c = json_object_array_get_idx(caps, i), *n;
        if (json_object_object_get_ex(c, "capability", &n) &&
            g_strcmp0(json_object_get_string(n), "background-snapshot") == 0)
            found = TRUE;
    }
    json_object_put(caps);
    return found;
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
    json_object *args;
    gboolean ok = FALSE;

    if (!s)
        return FALSE;
    node = node_of_file(s, file, error);
    if (node && new_backing)
        base = node_of_file(s, new_backing, error);
    if (node && (base || !new_backing)) {
        args = json_object_new_object();
        json_object_object_add(args, "job-id", json_object_new_string(id));
        json_object_object_add(args, "device", json_object_new_string(node));
        if (base)
            json_object_object_add(args, "base-node", json_object_new_string(base));
        ok = ds_qmp_run(s->qmp, "block-stream", args, error) &&
             wait_job_event(s, "BLOCK_JOB_COMPLETED", id, error);
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
    if (node) {
        json_object *args = json_object_new_object();
        json_object_object_add(args, "device", json_object_new_string(node));
        json_object_object_add(args, "name", json_object_new_string(name));
        ok = ds_qmp_run(s->qmp, "blockdev-snapshot-delete-internal-sync", args, error);
    }
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
    g_autofree char *status = NULL;
    gboolean ok = TRUE;

    if (!s)
        return FALSE;
    {
        json_object *r = ds_qmp_command(s->qmp, "query-migrate", NULL, NULL);
        json_object *st = NULL;
        const char *mig = r && json_object_object_get_ex(r, "status", &st)
                              ? json_object_get_string(st) : "none";
        if (!strcmp(mig, "active") || !strcmp(mig, "setup") || !strcmp(mig, "device")) {
            /* A background snapshot cannot be cancelled safely: let it end. */
            if (live != DS_LIVE_BACKGROUND)
                ds_qmp_run(s->qmp, "migrate_cancel", NULL, NULL);
            ds_qemu_migration_wait(s->who, s->qmp, "finishing the interrupted write", NULL,
                                   NULL, NULL);
        }
        if (r)
            json_object_put(r);
    }
    /* Disks left inactive by a finished write are active again once resumed. */
    status = ds_qemu_query_status(s->qmp, NULL);
    if (status && strcmp(status, "running") != 0)
        ds_qmp_run(s->qmp, "cont", NULL, NULL);
    for (guint i = 0; internal_files && internal_files[i]; i++) {
        g_autofree char *node = node_of_file(s, internal_files[i], NULL);
        if (node) {
            json_object *args = json_object_new_object();
            json_object_object_add(args, "device", json_object_new_string(node));
            json_object_object_add(args, "name", json_object_new_string(name));
            ds_qmp_run(s->qmp, "blockdev-snapshot-delete-internal-sync", args, NULL);
        } else {
            ds_image_snapshot_delete(internal_files[i], name, NULL);
        }
    }
    for (guint i = 0; overlays && overlays[i] && bases && bases[i]; i++) {
        g_autofree char *ov = node_of_file(s, overlays[i], NULL);
        g_autofree char *base = ov ? node_of_file(s, bases[i], NULL) : NULL;
        json_object *args;

        if (!ov)
            continue;
        if (base) {
            g_autoptr(GError) local = NULL;
            /* Fails harmlessly if the overlay was never put on top. */
            commit_overlay(s, ov, base, &local);
        }
        args = json_object_new_object();
        json_object_object_add(args, "node-name", json_object_new_string(ov));
        ds_qmp_run(s->qmp, "blockdev-del", args, NULL);
    }
    if (!was_running)
        ok = ds_qmp_run(s->qmp, "stop", NULL, error);
    ds_qemu_session_close(s);
    return ok;
}
