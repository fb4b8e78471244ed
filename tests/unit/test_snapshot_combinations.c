/*
 * The combination table, row by row: for one qcow2 disk, running or shut
 * off, the planner takes exactly the row's memory and disk modes and plans
 * exactly its steps, or refuses with exactly its message.
 */
#include <string.h>

#include "domsnap.h"
#include "engine/snapshot_combinations.h"
#include "engine/snapshot_plan.h"
#include "formats/diskspec.h"

static void
test_row(gconstpointer data)
{
    const DsCombination *row = data;
    g_autoptr(DsDomainConfig) c = g_new0(DsDomainConfig, 1);
    g_autoptr(DsSnapshotRequest) req = ds_snapshot_request_new();
    DsDomainDisk *d = g_new0(DsDomainDisk, 1);
    DsPlanInput in = { "dom", row->online, FALSE, c, "/snapdir", TRUE };
    g_autoptr(DsSnapshotPlan) plan = NULL;
    g_autoptr(GError) err = NULL;

    c->c_info.name = g_strdup("dom");
    c->disks = g_ptr_array_new();
    d->vdev = g_strdup("xvda");
    d->pdev_path = g_strdup("/img/xvda.qcow2");
    d->format = DS_DISK_FORMAT_QCOW2;
    g_ptr_array_add(c->disks, d);
    req->name = g_strdup("s");
    req->memory = row->memory;
    req->disk_only = row->disk_only;
    if (row->disk != DS_DISK_SNAP_DEFAULT) {
        DsDiskRequest *r = g_new0(DsDiskRequest, 1);
        r->vdev = g_strdup("xvda");
        r->mode = row->disk;
        g_ptr_array_add(req->disks, r);
    }
    plan = ds_snapshot_plan_create(&in, req, &err);
    if (row->refusal) {
        g_assert_null(plan);
        if (!strstr(err->message, row->refusal))
            g_error("want refusal '%s', got '%s'", row->refusal, err->message);
        return;
    }
    if (!plan)
        g_error("refused: %s", err->message);
    {
        g_autofree char *steps = ds_snapshot_plan_describe(plan);
        const DsDiskPlan *p = plan->disks->pdata[0];
        DsDiskSnapMode want = row->disk_taken == DS_DISK_SNAP_DEFAULT ? DS_DISK_SNAP_INTERNAL
                                                                     : row->disk_taken;
        g_assert_cmpstr(steps, ==, row->steps);
        g_assert_cmpint(plan->memory, ==, row->memory_taken);
        g_assert_cmpint(p->kind, ==, want);
    }
}

static const char *
name_of(const DsEnumTable *t, int v)
{
    const char *s = ds_enum_to_string(t, v);
    return s ? s : "omitted";
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_assert_cmpuint(ds_snapshot_combinations_count, ==, 2 * 4 * 4 * 2);
    for (guint i = 0; i < ds_snapshot_combinations_count; i++) {
        const DsCombination *r = &ds_snapshot_combinations[i];
        g_autofree char *path = g_strdup_printf(
            "/combinations/%s/memory-%s/disk-%s/%s", r->online ? "online" : "offline",
            name_of(&ds_memory_mode_table, r->memory),
            name_of(&ds_disk_snap_mode_table, r->disk), r->disk_only ? "disk-only" : "full");
        /* Every combination once. */
        g_assert_true(ds_snapshot_combination(r->online, r->memory, r->disk, r->disk_only) == r);
        g_test_add_data_func(path, r, test_row);
    }
    return g_test_run();
}
