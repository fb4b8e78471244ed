#include "snapshot_steps.h"

#include "domsnap.h"

DS_ENUM_TABLE(ds_step_table, "step",
              "create-overlays", "attach-overlays", "pause", "disk-transaction",
              "save-memory", "precopy-memory", "start-background-memory",
              "wait-memory", "save-internal", "resume", "offline-internal",
              "write-record", "freeze-fs", "thaw-fs");

void
ds_disk_plan_free(gpointer p)
{
    DsDiskPlan *d = p;

    g_free(d->vdev);
    g_free(d->file);
    g_free(d->overlay);
    g_free(d->copy);
    g_free(d);
}

void
ds_snapshot_plan_free(DsSnapshotPlan *plan)
{
    if (!plan)
        return;
    g_free(plan->name);
    g_free(plan->memory_file);
    g_free(plan->vmstate_disk);
    g_free(plan->dir);
    g_ptr_array_unref(plan->disks);
    g_array_unref(plan->steps);
    g_free(plan);
}

gboolean
ds_snapshot_plan_has_disk_kind(const DsSnapshotPlan *plan, DsDiskSnapMode kind)
{
    for (guint i = 0; i < plan->disks->len; i++)
        if (((DsDiskPlan *)plan->disks->pdata[i])->kind == kind)
            return TRUE;
    return FALSE;
}

char *
ds_snapshot_plan_describe(const DsSnapshotPlan *plan)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (guint i = 0; i < plan->steps->len; i++) {
        if (i)
            g_string_append(s, ", ");
        g_string_append(s, ds_enum_to_string(&ds_step_table,
                                             g_array_index(plan->steps, DsStepKind, i)));
    }
    return g_string_free(g_steal_pointer(&s), FALSE);
}

gboolean
ds_snapshot_plan_has_step(const DsSnapshotPlan *plan, DsStepKind step)
{
    for (guint i = 0; i < plan->steps->len; i++)
        if (g_array_index(plan->steps, DsStepKind, i) == step)
            return TRUE;
    return FALSE;
}
