/*
 * The snapshot planner, without any VM: for each domain state and request,
 * the exact steps, or the exact refusal.
 */
#include <string.h>

#include "domsnap.h"
#include "engine/snapshot_plan.h"
#include "formats/diskspec.h"

typedef enum { OFF, RUNNING, PAUSED } State;

typedef struct {
    const char *label;
    State state;
    const char *formats;   /* one letter per disk: q = qcow2, r = raw */
    DsMemoryMode memory;
    DsLiveMode live;
    gboolean live_auto, external, internal, disk_only;
    const char *disk_modes; /* per disk: - default, n no, i internal, e external, c copy */
    gboolean background_supported;
    const char *steps;      /* expected plan, or NULL if refused */
    const char *kinds;      /* expected disk kinds: n, i, e, c */
    const char *refusal;    /* expected message (substring) */
    gboolean xen;           /* the xen driver's abilities, not QEMU's */
    int quiesce;            /* --quiesce: 1 with a guest agent, 2 without one */
} Case;

static const Case cases[] = {
    { "running, qcow2 + raw, defaults", RUNNING, "qr", 0, 0, 0, 0, 0, 0, "--", 1,
      "create-overlays, attach-overlays, pause, disk-transaction, save-memory, resume, write-record",
      "ie", NULL },
    { "running, --external", RUNNING, "qq", 0, 0, 0, 1, 0, 0, "--", 1,
      "create-overlays, attach-overlays, pause, disk-transaction, save-memory, resume, write-record",
      "ee", NULL },
    { "running, all qcow2 internal: no overlays", RUNNING, "qq", 0, 0, 0, 0, 0, 0, "--", 1,
      "pause, disk-transaction, save-memory, resume, write-record", "ii", NULL },
    { "paused: no pause or resume step", PAUSED, "q", 0, 0, 0, 0, 0, 0, "-", 1,
      "disk-transaction, save-memory, write-record", "i", NULL },
    { "--live=background", RUNNING, "qr", 0, DS_LIVE_BACKGROUND, 0, 0, 0, 0, "--", 1,
      "create-overlays, attach-overlays, pause, disk-transaction, start-background-memory, "
      "wait-memory, write-record", "ie", NULL },
    { "--live falls back to precopy without background-snapshot", RUNNING, "r",
      0, DS_LIVE_BACKGROUND, 1, 0, 0, 0, "-", 0,
      "create-overlays, attach-overlays, precopy-memory, disk-transaction, resume, write-record",
      "e", NULL },
    { "--live=background refused without background-snapshot", RUNNING, "r",
      0, DS_LIVE_BACKGROUND, 0, 0, 0, 0, "-", 0, NULL, NULL,
      "does not support the background-snapshot" },
    { "--live=precopy makes qcow2 external", RUNNING, "qr", 0, DS_LIVE_PRECOPY, 0, 0, 0, 0, "--", 1,
      "create-overlays, attach-overlays, precopy-memory, disk-transaction, resume, write-record",
      "ee", NULL },
    { "--live=precopy refuses an internal disk", RUNNING, "q", 0, DS_LIVE_PRECOPY, 0, 0, 0, 0, "i", 1,
      NULL, NULL, "--live=precopy takes the disks after the memory" },
    { "--live on a paused domain is not live", PAUSED, "q", 0, DS_LIVE_BACKGROUND, 1, 0, 0, 0, "-", 1,
      "disk-transaction, save-memory, write-record", "i", NULL },
    { "memory internal", RUNNING, "qq", DS_MEMORY_INTERNAL, 0, 0, 0, 0, 0, "--", 1,
      "save-internal, write-record", "ii", NULL },
    { "memory internal with a raw disk", RUNNING, "qr", DS_MEMORY_INTERNAL, 0, 0, 0, 0, 0, "--", 1,
      NULL, NULL, "disk 'xvdb' is raw (leave it out with ',,xvdb,no')" },
    { "memory internal, raw left out", RUNNING, "qr", DS_MEMORY_INTERNAL, 0, 0, 0, 0, 0, "-n", 1,
      "save-internal, write-record", "in", NULL },
    { "live + internal memory", RUNNING, "q", DS_MEMORY_INTERNAL, DS_LIVE_BACKGROUND, 0, 0, 0, 0, "-", 1,
      NULL, NULL, "needs memory='external', not 'internal'" },
    { "disk-only while running: crash-consistent, no pause", RUNNING, "qr", 0, 0, 0, 0, 0, 1, "--", 1,
      "create-overlays, attach-overlays, disk-transaction, write-record", "ie", NULL },
    { "memory='no' is disk-only", RUNNING, "q", DS_MEMORY_NO, 0, 0, 0, 0, 0, "-", 1,
      "disk-transaction, write-record", "i", NULL },
    { "--disk-only conflicts with memory=external", RUNNING, "q", DS_MEMORY_EXTERNAL, 0, 0, 0, 0, 1, "-", 1,
      NULL, NULL, "--disk-only conflicts with memory='external'" },
    { "shut off: disks only, offline", OFF, "qr", 0, 0, 0, 0, 0, 0, "--", 1,
      "create-overlays, offline-internal, write-record", "ie", NULL },
    { "shut off, memory asked", OFF, "q", DS_MEMORY_EXTERNAL, 0, 0, 0, 0, 0, "-", 1,
      NULL, NULL, "domain 'dom': it is shut off: it has no memory to snapshot" },
    { "shut off, --live", OFF, "q", 0, DS_LIVE_BACKGROUND, 0, 0, 0, 0, "-", 1,
      NULL, NULL, "it is shut off: --live needs a running domain" },
    { "--internal with a raw disk", RUNNING, "qr", 0, 0, 0, 0, 1, 0, "--", 1,
      NULL, NULL, "--internal: disk 'xvdb' of domain 'dom' is raw" },
    { "internal asked for a raw disk", RUNNING, "r", 0, 0, 0, 0, 0, 0, "i", 1,
      NULL, NULL, "disk 'xvda' of domain 'dom' is raw: internal snapshots need qcow2" },
    { "everything left out", OFF, "q", 0, 0, 0, 0, 0, 0, "n", 1,
      NULL, NULL, "nothing to snapshot" },
    { "one disk left out, one internal", RUNNING, "qq", 0, 0, 0, 0, 0, 0, "n-", 1,
      "pause, disk-transaction, save-memory, resume, write-record", "ni", NULL },
    { "qemu: no copies", RUNNING, "r", 0, 0, 0, 0, 0, 0, "c", 1,
      NULL, NULL, "the qemu driver takes disk snapshots as internal or external" },
    /* xen: libxl's save stops the guest; the disks are taken in that stop */
    { "xen: raw copied, qcow2 internal, after the memory", RUNNING, "rq", 0, 0, 0, 0, 0, 0, "--", 0,
      "save-memory, disk-transaction, resume, write-record", "ci", NULL, 1 },
    { "xen: paused stays paused", PAUSED, "r", 0, 0, 0, 0, 0, 0, "-", 0,
      "save-memory, disk-transaction, write-record", "c", NULL, 1 },
    { "xen: --live is libxl's pre-copy", RUNNING, "r", 0, DS_LIVE_BACKGROUND, 1, 0, 0, 0, "-", 0,
      "precopy-memory, disk-transaction, resume, write-record", "c", NULL, 1 },
    { "xen: disk-only pauses for the copy", RUNNING, "r", 0, 0, 0, 0, 0, 1, "-", 0,
      "pause, disk-transaction, resume, write-record", "c", NULL, 1 },
    { "xen: a raw disk left out", RUNNING, "rq", 0, 0, 0, 0, 0, 0, "n-", 0,
      "save-memory, disk-transaction, resume, write-record", "ni", NULL, 1 },
    { "xen: --external refused", RUNNING, "q", 0, 0, 0, 1, 0, 0, "-", 0,
      NULL, NULL, "the xen driver takes no external snapshots: libxl keeps", 1 },
    { "xen: internal asked for a raw disk", RUNNING, "r", 0, 0, 0, 0, 0, 0, "i", 0,
      NULL, NULL, "disk 'xvda' of domain 'dom' is raw: the xen driver copies raw disks", 1 },
    { "xen: a qcow2 disk is not copied", RUNNING, "q", 0, 0, 0, 0, 0, 0, "c", 0,
      NULL, NULL, "disk 'xvda' of domain 'dom' is qcow2: only raw disks are copied", 1 },
    { "xen: memory internal refused", RUNNING, "q", DS_MEMORY_INTERNAL, 0, 0, 0, 0, 0, "-", 0,
      NULL, NULL, "the xen driver writes memory to a file", 1 },
    /* --quiesce: frozen before the first step that takes the disks or stops
     * the guest, thawed once the guest runs again */
    { "--quiesce, disk-only", RUNNING, "q", 0, 0, 0, 0, 0, 1, "-", 1,
      "freeze-fs, disk-transaction, thaw-fs, write-record", "i", NULL, 0, 1 },
    { "--quiesce with memory: thawed after the resume", RUNNING, "qr", 0, 0, 0, 0, 0, 0, "--", 1,
      "create-overlays, attach-overlays, freeze-fs, pause, disk-transaction, save-memory, "
      "resume, thaw-fs, write-record", "ie", NULL, 0, 1 },
    { "--quiesce --live=background: thawed when the guest runs on", RUNNING, "q", 0,
      DS_LIVE_BACKGROUND, 0, 0, 0, 0, "-", 1,
      "freeze-fs, pause, disk-transaction, start-background-memory, thaw-fs, wait-memory, "
      "write-record", "i", NULL, 0, 1 },
    { "--quiesce, memory internal", RUNNING, "q", DS_MEMORY_INTERNAL, 0, 0, 0, 0, 0, "-", 1,
      "freeze-fs, save-internal, thaw-fs, write-record", "i", NULL, 0, 1 },
    { "--quiesce without a guest agent", RUNNING, "q", 0, 0, 0, 0, 0, 1, "-", 1,
      NULL, NULL, "domain 'dom' has no guest agent channel", 0, 2 },
    { "--quiesce of a paused domain", PAUSED, "q", 0, 0, 0, 0, 0, 1, "-", 1,
      NULL, NULL, "domain 'dom' is paused", 0, 1 },
    { "--quiesce of a shut-off domain", OFF, "q", 0, 0, 0, 0, 0, 0, "-", 1,
      NULL, NULL, "domain 'dom' is shut off", 0, 1 },
    { "xen: --quiesce refused", RUNNING, "r", 0, 0, 0, 0, 0, 1, "-", 0,
      NULL, NULL, "the xen driver cannot freeze", 1, 1 },
};

static DsDomainConfig *
make_config(const char *formats)
{
    DsDomainConfig *c = g_new0(DsDomainConfig, 1);

    c->c_info.name = g_strdup("dom");
    c->disks = g_ptr_array_new();
    for (guint i = 0; formats[i]; i++) {
        DsDomainDisk *d = g_new0(DsDomainDisk, 1);
        d->vdev = g_strdup_printf("xvd%c", 'a' + i);
        d->pdev_path = g_strdup_printf("/img/%s.img", d->vdev);
        d->format = formats[i] == 'q' ? DS_DISK_FORMAT_QCOW2 : DS_DISK_FORMAT_RAW;
        d->readwrite = TRUE;
        g_ptr_array_add(c->disks, d);
    }
    return c;
}

static void
test_case(gconstpointer data)
{
    const Case *c = data;
    g_autoptr(DsDomainConfig) config = make_config(c->formats);
    g_autoptr(DsSnapshotRequest) req = ds_snapshot_request_new();
    DsPlanInput in = { "dom", c->state == RUNNING, c->state == PAUSED, config, "/snapdir",
                       c->background_supported, c->xen, c->xen, c->xen,
                       c->xen ? "xen" : "qemu", !c->xen, c->quiesce == 1 };
    g_autoptr(DsSnapshotPlan) plan = NULL;
    g_autoptr(GError) err = NULL;

    req->name = g_strdup("s1");
    req->memory = c->memory;
    req->live = c->live;
    req->live_auto = c->live_auto;
    req->external = c->external;
    req->internal = c->internal;
    req->disk_only = c->disk_only;
    req->quiesce = c->quiesce != 0;
    for (guint i = 0; c->disk_modes[i]; i++) {
        DsDiskRequest *d;
        if (c->disk_modes[i] == '-')
            continue;
        d = g_new0(DsDiskRequest, 1);
        d->vdev = g_strdup_printf("xvd%c", 'a' + i);
        d->mode = c->disk_modes[i] == 'n' ? DS_DISK_SNAP_NO
                  : c->disk_modes[i] == 'i' ? DS_DISK_SNAP_INTERNAL
                  : c->disk_modes[i] == 'c' ? DS_DISK_SNAP_COPY : DS_DISK_SNAP_EXTERNAL;
        g_ptr_array_add(req->disks, d);
    }
    plan = ds_snapshot_plan_create(&in, req, &err);
    if (!c->steps) {
        g_assert_null(plan);
        g_assert_nonnull(err);
        if (!strstr(err->message, c->refusal))
            g_error("%s: want refusal containing '%s', got '%s'", c->label, c->refusal,
                    err->message);
        return;
    }
    if (!plan)
        g_error("%s: refused: %s", c->label, err->message);
    {
        g_autofree char *steps = ds_snapshot_plan_describe(plan);
        g_autoptr(GString) kinds = g_string_new(NULL);
        g_assert_cmpstr(steps, ==, c->steps);
        for (guint i = 0; i < plan->disks->len; i++) {
            const DsDiskPlan *d = plan->disks->pdata[i];
            g_string_append_c(kinds, "-niec"[d->kind]);
            if (d->kind == DS_DISK_SNAP_COPY) {
                g_autofree char *want = g_strdup_printf("/snapdir/%s.raw", d->vdev);
                g_assert_cmpstr(d->copy, ==, want);
            }
            if (d->kind == DS_DISK_SNAP_EXTERNAL) {
                g_autofree char *want = g_strdup_printf("/snapdir/%s.qcow2", d->vdev);
                g_assert_cmpstr(d->overlay, ==, want);
            }
        }
        g_assert_cmpstr(kinds->str, ==, c->kinds);
    }
    if (plan->memory == DS_MEMORY_EXTERNAL)
        g_assert_cmpstr(plan->memory_file, ==, "/snapdir/memory.img");
    /* disk-only while running is crash-consistent, unless quiesced */
    g_assert_cmpint(plan->crash_consistent, ==, c->state == RUNNING &&
                    plan->memory == DS_MEMORY_NO && !plan->quiesce);
}

/* The libxl snapshot document's paths: <domain_uuid> and <domain_name> are
 * put in; the config's creation time goes into the plan. */
static void
test_placeholders(void)
{
    g_autoptr(DsDomainConfig) config = make_config("qq");
    g_autoptr(DsSnapshotRequest) req = ds_snapshot_request_new();
    DsPlanInput in = { "dom", TRUE, FALSE, config, "/snapdir", TRUE };
    g_autoptr(DsSnapshotPlan) plan = NULL;
    g_autoptr(GError) err = NULL;
    DsDiskRequest *d = g_new0(DsDiskRequest, 1);

    config->c_info.uuid = g_strdup("6a7e0c4e-1f3b-4c55-9d1e-0f1e2d3c4b5a");
    req->name = g_strdup("s1");
    req->creation_time = 1397207580;
    req->external = TRUE;
    req->memory = DS_MEMORY_EXTERNAL;
    req->memory_path = g_strdup("/var/snap/<domain_uuid>/<domain_name>.save");
    d->vdev = g_strdup("xvda");
    d->overlay = g_strdup("/var/snap/<domain_uuid>/xvda.qcow2");
    g_ptr_array_add(req->disks, d);
    plan = ds_snapshot_plan_create(&in, req, &err);
    g_assert_no_error(err);
    g_assert_cmpint(plan->creation_time, ==, 1397207580);
    g_assert_cmpstr(plan->memory_file, ==,
                    "/var/snap/6a7e0c4e-1f3b-4c55-9d1e-0f1e2d3c4b5a/dom.save");
    g_assert_cmpstr(((DsDiskPlan *)plan->disks->pdata[0])->overlay, ==,
                    "/var/snap/6a7e0c4e-1f3b-4c55-9d1e-0f1e2d3c4b5a/xvda.qcow2");
    g_assert_cmpstr(((DsDiskPlan *)plan->disks->pdata[1])->overlay, ==, "/snapdir/xvdb.qcow2");

    /* No UUID recorded: refused, not a path with the placeholder in it. */
    g_clear_pointer(&config->c_info.uuid, g_free);
    g_clear_pointer(&plan, ds_snapshot_plan_free);
    plan = ds_snapshot_plan_create(&in, req, &err);
    g_assert_null(plan);
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, "domain 'dom' has no UUID recorded"));
}

/* A disk the domain lacks, and type = "internal" over a raw disk: the
 * config's place is in the message. */
static void
test_located_refusals(void)
{
    g_autoptr(DsDomainConfig) config = make_config("qr");
    g_autoptr(DsSnapshotRequest) req = ds_snapshot_request_new();
    DsPlanInput in = { "dom", TRUE, FALSE, config, "/snapdir", TRUE };
    g_autoptr(DsSnapshotPlan) plan = NULL;
    g_autoptr(GError) err = NULL;
    DsDiskRequest *d = g_new0(DsDiskRequest, 1);

    req->name = g_strdup("s1");
    d->vdev = g_strdup("hdz");
    d->overlay = g_strdup("/x/hdz.qcow2");
    d->where = g_strdup("snap.cfg:5:10");
    g_ptr_array_add(req->disks, d);
    plan = ds_snapshot_plan_create(&in, req, &err);
    g_assert_null(plan);
    g_assert_cmpstr(err->message, ==, "snap.cfg:5:10: domain 'dom' has no disk 'hdz'");
    g_clear_error(&err);

    g_ptr_array_set_size(req->disks, 0);
    req->internal = TRUE;
    req->type_where = g_strdup("snap.cfg:2:8");
    plan = ds_snapshot_plan_create(&in, req, &err);
    g_assert_null(plan);
    g_assert_true(g_str_has_prefix(err->message, "snap.cfg:2:8: type = \"internal\": disk 'xvdb' "
                                   "of domain 'dom' is raw"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/snapshot-plan/placeholders", test_placeholders);
    g_test_add_func("/snapshot-plan/located-refusals", test_located_refusals);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/snapshot-plan/%02u", i);
        g_test_add_data_func(path, &cases[i], test_case);
    }
    return g_test_run();
}
