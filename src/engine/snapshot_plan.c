/*
 * snapshot_plan.c: which snapshot a request means, and in what order to
 * take it.
 *
 * Ordering facts this relies on (measured on QEMU 7.2):
 * - after a completed migration QEMU inactivates the disks and refuses
 *   internal snapshots, so the disk transaction comes before the memory;
 * - the guest is paused throughout, so memory written after the transaction
 *   is the memory of the instant the disks were taken;
 * - overlays are created and attached before the pause, so that inside it
 *   the transaction only switches the graph.
 */
#include "snapshot_plan.h"

#include <string.h>

#include "domsnap.h"
#include "engine/snapshot_combinations.h"
#include "formats/diskspec.h"


static gboolean
refuse(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean
refuse(GError **error, const char *fmt, ...)
{
    va_list ap;

    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, DS_ERROR, DS_ERROR_INVALID, msg);
    return FALSE;
}

/* The memory mode, from the combination table. */
static gboolean
decide_memory(const DsPlanInput *in, const DsSnapshotRequest *req,
              DsSnapshotPlan *plan, GError **error)
{
    const DsCombination *row = ds_snapshot_combination(plan->online, req->memory,
                                                       DS_DISK_SNAP_DEFAULT, req->disk_only);

    if (row->scope == DS_REFUSE_REQUEST)
        return refuse(error, "domain '%s': %s", in->domain, row->refusal);
    plan->memory = row->memory_taken;
    if (plan->memory == DS_MEMORY_INTERNAL && in->memory_stops_guest)
        return refuse(error, "domain '%s': the %s driver writes memory to a file; "
                      "memory='internal' needs qcow2 internal snapshots", in->domain,
                      in->driver);
    plan->crash_consistent = plan->memory == DS_MEMORY_NO && in->running;
    return TRUE;
}

static gboolean
decide_live(const DsPlanInput *in, const DsSnapshotRequest *req,
            DsSnapshotPlan *plan, GError **error)
{
    if (req->live == DS_LIVE_NO)
        return TRUE;
    if (!plan->online)
        return refuse(error, "domain '%s': it is shut off: --live needs a running domain",
                      in->domain);
    if (plan->memory != DS_MEMORY_EXTERNAL)
        return refuse(error, "--live writes memory to a file while the guest runs: "
                      "it needs memory='external', not '%s'",
                      ds_enum_to_string(&ds_memory_mode_table, plan->memory));
    /* A paused guest's memory does not change: live gains nothing, and a
     * background snapshot would resume it. */
    if (!in->running)
        return TRUE;
    plan->live = req->live;
    if (plan->live == DS_LIVE_BACKGROUND && !in->background_supported) {
        if (!req->live_auto)
            return refuse(error, "this QEMU does not support the background-snapshot "
                          "migration capability; use --live=precopy");
        plan->live = DS_LIVE_PRECOPY;
    }
    return TRUE;
}

static DsDiskSnapMode
default_disk_mode(const DsPlanInput *in, const DsSnapshotRequest *req,
                  const DsSnapshotPlan *plan, const DsDomainDisk *d)
{
    if (in->copies_raw_disks && d->format == DS_DISK_FORMAT_RAW)
        return DS_DISK_SNAP_COPY;
    if (d->format != DS_DISK_FORMAT_QCOW2)
        return DS_DISK_SNAP_EXTERNAL; /* internal snapshots need qcow2 */
    if (plan->live == DS_LIVE_PRECOPY && !req->internal)
        return DS_DISK_SNAP_EXTERNAL; /* see check_disk */
    return req->external ? DS_DISK_SNAP_EXTERNAL : DS_DISK_SNAP_INTERNAL;
}

static gboolean
check_disk(const DsPlanInput *in, const DsSnapshotRequest *req, const DsSnapshotPlan *plan,
           const DsDomainDisk *d, DsDiskSnapMode mode, gboolean said, GError **error)
{
    const char *fmt = ds_enum_to_string(&ds_disk_format_table, d->format);

    if (in->copies_raw_disks && d->format == DS_DISK_FORMAT_RAW &&
        (mode == DS_DISK_SNAP_INTERNAL || mode == DS_DISK_SNAP_EXTERNAL))
        return refuse(error, "disk '%s' of domain '%s' is raw: the %s driver copies raw disks "
                      "(',,%s,copy'), or leave it out with ',,%s,no'",
                      d->vdev, in->domain, in->driver, d->vdev, d->vdev);
    if (in->no_external_disks && mode == DS_DISK_SNAP_EXTERNAL)
        return refuse(error, "disk '%s' of domain '%s': the %s driver takes no external "
                      "snapshots: libxl keeps each disk's image path in its own records and "
                      "would reopen the old image at the next save, restore or migration; "
                      "use an internal snapshot (qcow2)", d->vdev, in->domain, in->driver);
    if (mode == DS_DISK_SNAP_COPY && d->format != DS_DISK_FORMAT_RAW)
        return refuse(error, "disk '%s' of domain '%s' is %s: only raw disks are copied",
                      d->vdev, in->domain, fmt);
    if (mode == DS_DISK_SNAP_COPY && !in->copies_raw_disks)
        return refuse(error, "disk '%s' of domain '%s': the %s driver takes disk snapshots "
                      "as internal or external, not as copies", d->vdev, in->domain,
                      in->driver ? in->driver : "qemu");

    if (mode == DS_DISK_SNAP_INTERNAL && d->format != DS_DISK_FORMAT_QCOW2 &&
        plan->memory == DS_MEMORY_INTERNAL)
        return refuse(error, "memory='internal' is stored in the qcow2 disks and needs every "
                      "disk to be qcow2 with an internal snapshot; disk '%s' is %s (leave it "
                      "out with ',,%s,no')", d->vdev, fmt, d->vdev);
    if (mode == DS_DISK_SNAP_INTERNAL && d->format != DS_DISK_FORMAT_QCOW2)
        return refuse(error, "disk '%s' of domain '%s' is %s: internal snapshots need qcow2 "
                      "(give it an external overlay, or leave it out with ',,%s,no')",
                      d->vdev, in->domain, fmt, d->vdev);
    if (!said && req->internal && d->format != DS_DISK_FORMAT_QCOW2 && req->type_where)
        return refuse(error, "%s: type = \"internal\": disk '%s' of domain '%s' is %s, and "
                      "internal snapshots need qcow2 (give it an overlay with "
                      "disk = [ '%s=PATH' ], or leave it out with disks = [ ',,%s,no' ])",
                      req->type_where, d->vdev, in->domain, fmt, d->vdev, d->vdev);
    if (!said && req->internal && d->format != DS_DISK_FORMAT_QCOW2)
        return refuse(error, "--internal: disk '%s' of domain '%s' is %s, and internal "
                      "snapshots need qcow2 (leave it out with ',,%s,no' in a snapshot config)",
                      d->vdev, in->domain, fmt, d->vdev);
    /* QEMU deactivates the disks when a pre-copy memory write ends, and then
     * refuses internal snapshots; background and non-live take the disks
     * before the memory. */
    if (plan->live == DS_LIVE_PRECOPY && mode == DS_DISK_SNAP_INTERNAL)
        return refuse(error, "--live=precopy takes the disks after the memory, when QEMU no "
                      "longer allows internal snapshots: disk '%s' needs an external overlay "
                      "(--external), or use --live=background", d->vdev);
    return TRUE;
}

static gboolean has_disks(const DsSnapshotPlan *plan);

/* A path of the request with <domain_uuid> and <domain_name> put in. */
static char *
expand_path(const DsPlanInput *in, const char *path, GError **error)
{
    return ds_snapshot_path_expand(path, in->domain, in->config->c_info.uuid, error);
}

/* Each disk's mode, from the combination table, then the format's rules. */
static gboolean
decide_disks(const DsPlanInput *in, const DsSnapshotRequest *req, DsSnapshotPlan *plan,
             GError **error)
{
    const GPtrArray *disks = in->config->disks;
    const DsCombination *all_refused = NULL;
    guint refused = 0;

    for (guint i = 0; i < req->disks->len; i++) {
        const DsDiskRequest *r = req->disks->pdata[i];
        if (!ds_domain_config_find_disk(in->config, r->vdev))
            return refuse(error, "%s%sdomain '%s' has no disk '%s'", r->where ? r->where : "",
                          r->where ? ": " : "", in->domain, r->vdev);
    }
    for (guint i = 0; disks && i < disks->len; i++) {
        const DsDomainDisk *d = disks->pdata[i];
        DsDiskRequest *r = ds_snapshot_request_disk((DsSnapshotRequest *)req, d->vdev);
        DsDiskSnapMode asked = r ? r->mode : DS_DISK_SNAP_DEFAULT;
        const DsCombination *row;
        DsDiskSnapMode mode;
        DsDiskPlan *p;

        if (asked == DS_DISK_SNAP_DEFAULT && r && r->overlay)
            asked = DS_DISK_SNAP_EXTERNAL;
        /* A copy is, like an overlay, a disk state kept outside the image. */
        row = ds_snapshot_combination(plan->online, req->memory,
                                      asked == DS_DISK_SNAP_COPY ? DS_DISK_SNAP_EXTERNAL : asked,
                                      req->disk_only);
        if (row->scope == DS_REFUSE_DISK)
            return refuse(error, "disk '%s' of domain '%s': %s", d->vdev, in->domain,
                          row->refusal);
        if (row->scope == DS_REFUSE_ALL_DISKS) {
            all_refused = row;
            refused++;
        }
        mode = asked == DS_DISK_SNAP_COPY && row->disk_taken == DS_DISK_SNAP_EXTERNAL
                   ? DS_DISK_SNAP_COPY : row->disk_taken;
        if (mode == DS_DISK_SNAP_DEFAULT)
            mode = default_disk_mode(in, req, plan, d);
        if (!check_disk(in, req, plan, d, mode, asked != DS_DISK_SNAP_DEFAULT, error))
            return FALSE;
        p = g_new0(DsDiskPlan, 1);
        p->vdev = g_strdup(d->vdev);
        p->index = i;
        p->kind = mode;
        p->file = g_strdup(d->pdev_path);
        p->format = d->format;
        if (mode == DS_DISK_SNAP_EXTERNAL) {
            g_autofree char *base = g_strdup_printf("%s.qcow2", d->vdev);
            p->overlay = r && r->overlay ? expand_path(in, r->overlay, error)
                                         : g_build_filename(plan->dir, base, NULL);
            if (!p->overlay) {
                ds_disk_plan_free(p);
                return FALSE;
            }
        }
        if (mode == DS_DISK_SNAP_COPY) {
            g_autofree char *base = g_strdup_printf("%s.raw", d->vdev);
            p->copy = g_build_filename(plan->dir, base, NULL);
        }
        if (mode == DS_DISK_SNAP_INTERNAL && !plan->vmstate_disk)
            plan->vmstate_disk = g_strdup(d->vdev);
        g_ptr_array_add(plan->disks, p);
    }
    if (all_refused && refused == plan->disks->len)
        return refuse(error, "domain '%s': %s", in->domain, all_refused->refusal);
    if (plan->memory == DS_MEMORY_NO && !has_disks(plan))
        return refuse(error, "domain '%s': %s", in->domain,
                      "nothing to snapshot: no memory and every disk left out");
    if (plan->memory == DS_MEMORY_INTERNAL && !plan->vmstate_disk)
        return refuse(error, "domain '%s': %s", in->domain,
                      "memory='internal' needs at least one qcow2 disk with an internal "
                      "snapshot to hold it");
    return TRUE;
}


/* Any disk whose state is taken. */
static gboolean
has_disks(const DsSnapshotPlan *plan)
{
    return ds_snapshot_plan_has_disk_kind(plan, DS_DISK_SNAP_INTERNAL) ||
           ds_snapshot_plan_has_disk_kind(plan, DS_DISK_SNAP_EXTERNAL) ||
           ds_snapshot_plan_has_disk_kind(plan, DS_DISK_SNAP_COPY);
}

static void
add(DsSnapshotPlan *plan, DsStepKind step)
{
    g_array_append_val(plan->steps, step);
}

static void
order_online(DsSnapshotPlan *plan)
{
    gboolean pause = plan->was_running;
    gboolean disks = has_disks(plan);

    if (plan->memory_stops_guest && plan->memory == DS_MEMORY_EXTERNAL) {
        /* libxl's save suspends the guest and leaves it stopped: the disks
         * are taken in that stop, so they are of the memory's instant. */
        add(plan, plan->live == DS_LIVE_PRECOPY ? DS_STEP_PRECOPY_MEMORY : DS_STEP_SAVE_MEMORY);
        if (disks)
            add(plan, DS_STEP_DISK_TRANSACTION);
        if (pause)
            add(plan, DS_STEP_RESUME);
    } else if (plan->memory == DS_MEMORY_INTERNAL) {
        add(plan, DS_STEP_SAVE_INTERNAL); /* QEMU pauses and resumes itself */
    } else if (plan->memory == DS_MEMORY_NO && ds_snapshot_plan_has_disk_kind(plan, DS_DISK_SNAP_COPY)) {
        /* A copy takes time: the guest must not write meanwhile. */
        if (pause)
            add(plan, DS_STEP_PAUSE);
        add(plan, DS_STEP_DISK_TRANSACTION);
        if (pause)
            add(plan, DS_STEP_RESUME);
    } else if (plan->memory == DS_MEMORY_NO) {
        add(plan, DS_STEP_DISK_TRANSACTION); /* atomic; no pause needed */
    } else if (plan->live == DS_LIVE_BACKGROUND) {
        add(plan, DS_STEP_PAUSE);
        if (disks)
            add(plan, DS_STEP_DISK_TRANSACTION);
        add(plan, DS_STEP_START_BACKGROUND_MEMORY);
        add(plan, DS_STEP_WAIT_MEMORY);
    } else if (plan->live == DS_LIVE_PRECOPY) {
        add(plan, DS_STEP_PRECOPY_MEMORY);
        if (disks)
            add(plan, DS_STEP_DISK_TRANSACTION);
        add(plan, DS_STEP_RESUME);
    } else {
        if (pause)
            add(plan, DS_STEP_PAUSE);
        if (disks)
            add(plan, DS_STEP_DISK_TRANSACTION);
        add(plan, DS_STEP_SAVE_MEMORY);
        if (pause)
            add(plan, DS_STEP_RESUME);
    }
}

static guint
first_of(const DsSnapshotPlan *plan, const DsStepKind *kinds, guint n)
{
    for (guint i = 0; i < plan->steps->len; i++)
        for (guint k = 0; k < n; k++)
            if (g_array_index(plan->steps, DsStepKind, i) == kinds[k])
                return i;
    return plan->steps->len;
}

/*
 * --quiesce: the guest agent freezes the filesystems before the first step
 * that takes the disks or stops the guest, and thaws them after the step
 * from which the guest runs again with its disks taken (a paused guest's
 * agent cannot answer, so the thaw never comes while it is stopped).
 */
static void
add_quiesce(DsSnapshotPlan *plan)
{
    static const DsStepKind takes[] = { DS_STEP_PAUSE, DS_STEP_DISK_TRANSACTION,
                                        DS_STEP_SAVE_MEMORY, DS_STEP_PRECOPY_MEMORY,
                                        DS_STEP_SAVE_INTERNAL };
    static const DsStepKind runs_again[] = { DS_STEP_RESUME, DS_STEP_START_BACKGROUND_MEMORY,
                                             DS_STEP_SAVE_INTERNAL, DS_STEP_DISK_TRANSACTION };
    DsStepKind freeze = DS_STEP_FREEZE_FS, thaw = DS_STEP_THAW_FS;
    guint at = plan->steps->len;

    for (guint k = 0; k < G_N_ELEMENTS(runs_again) && at == plan->steps->len; k++)
        at = first_of(plan, &runs_again[k], 1);
    g_array_insert_val(plan->steps, at + 1, thaw);
    g_array_insert_val(plan->steps, first_of(plan, takes, G_N_ELEMENTS(takes)), freeze);
}

static gboolean
decide_quiesce(const DsPlanInput *in, const DsSnapshotRequest *req, DsSnapshotPlan *plan,
               GError **error)
{
    if (!req->quiesce)
        return TRUE;
    if (!in->running && !in->paused)
        g_set_error(error, DS_ERROR, DS_ERROR_STATE, "--quiesce: domain '%s' is shut off, so "
                    "there are no filesystems to freeze", in->domain);
    else if (in->paused)
        g_set_error(error, DS_ERROR, DS_ERROR_STATE, "--quiesce: domain '%s' is paused, and a "
                    "paused guest's agent cannot freeze its filesystems; unpause it first",
                    in->domain);
    else if (!in->can_quiesce)
        g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED, "--quiesce: the %s driver cannot "
                    "freeze a guest's filesystems", in->driver ? in->driver : "qemu");
    else if (!in->has_guest_agent)
        g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED, "--quiesce: domain '%s' has no guest "
                    "agent channel (guest_agent = 1 in its config, and qemu-guest-agent in the "
                    "guest)", in->domain);
    else
        plan->quiesce = TRUE;
    if (plan->quiesce)
        plan->crash_consistent = FALSE; /* frozen: consistent, not merely crash-consistent */
    return plan->quiesce;
}

DsSnapshotPlan *
ds_snapshot_plan_create(const DsPlanInput *in, const DsSnapshotRequest *req,
                        GError **error)
{
    g_autoptr(DsSnapshotPlan) plan = g_new0(DsSnapshotPlan, 1);

    plan->name = g_strdup(req->name);
    plan->creation_time = req->creation_time;
    plan->online = in->running || in->paused;
    plan->was_running = in->running;
    plan->memory_stops_guest = in->memory_stops_guest;
    plan->dir = g_strdup(req->dir ? req->dir : in->default_dir);
    plan->disks = g_ptr_array_new_with_free_func(ds_disk_plan_free);
    plan->steps = g_array_new(FALSE, FALSE, sizeof(DsStepKind));
    if (!decide_memory(in, req, plan, error) || !decide_live(in, req, plan, error) ||
        !decide_disks(in, req, plan, error) || !decide_quiesce(in, req, plan, error))
        return NULL;
    if (plan->memory == DS_MEMORY_EXTERNAL) {
        plan->memory_file = req->memory_path ? expand_path(in, req->memory_path, error)
                                             : g_build_filename(plan->dir, "memory.img", NULL);
        if (!plan->memory_file)
            return NULL;
    }
    if (ds_snapshot_plan_has_disk_kind(plan, DS_DISK_SNAP_EXTERNAL)) {
        add(plan, DS_STEP_CREATE_OVERLAYS);
        if (plan->online)
            add(plan, DS_STEP_ATTACH_OVERLAYS);
    }
    if (plan->online)
        order_online(plan);
    else if (ds_snapshot_plan_has_disk_kind(plan, DS_DISK_SNAP_INTERNAL))
        add(plan, DS_STEP_OFFLINE_INTERNAL);
    if (plan->quiesce)
        add_quiesce(plan);
    add(plan, DS_STEP_WRITE_RECORD);
    return g_steal_pointer(&plan);
}
