/*
 * snapshot_create: runs a create plan through a driver. Every step that
 * succeeded is remembered, and a failure undoes them in reverse, so a
 * failed create leaves the domain running on its original disks with no
 * record and no file of the snapshot.
 */
#pragma once

#include "drivers/driver.h"
#include "engine/snapshot_plan.h"
#include "store/domain_record.h"
#include "store/store.h"

typedef struct {
    gint64 pause_us;       /* -1: the guest was not running */
    guint64 memory_bytes;  /* 0 without memory, or internal */
} DsSnapshotOutcome;

gboolean ds_snapshot_create_run(DsStore *store, DsDomainRecord *dom,
                                const DsDriverOps *drv, const DsSnapshotPlan *plan,
                                const char *description, DsProgressFunc progress,
                                gpointer opaque, DsSnapshotOutcome *out,
                                GError **error);
