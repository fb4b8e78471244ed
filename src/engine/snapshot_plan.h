/*
 * snapshot_plan: a pure function from (domain state, disks, request) to an
 * ordered list of steps, or an exact refusal. No VM, no file is touched, so
 * every decision is unit-tested.
 */
#pragma once

#include <glib.h>

#include "formats/snapshot_steps.h"
#include "formats/snapshot_types.h"
#include "formats/domain_config.h"

typedef struct {
    const char *domain;
    gboolean running;
    gboolean paused;
    const DsDomainConfig *config;
    const char *default_dir;      /* the snapshot's own directory */
    gboolean background_supported;
    /* What the hypervisor can do (the library fills these from the
     * driver's capabilities and properties, drivers/driver.h); the
     * defaults are QEMU's. */
    gboolean memory_stops_guest;  /* its memory save stops the guest (libxl
                                   * suspend): the disks come after it */
    gboolean copies_raw_disks;    /* raw disks are copied, never snapshotted */
    gboolean no_external_disks;   /* no overlays: only internal snapshots */
    const char *driver;           /* its name, for messages */
    gboolean can_quiesce;         /* the driver can freeze the guest's filesystems */
    gboolean has_guest_agent;     /* the domain has a guest agent channel */
} DsPlanInput;

/* @req->name must be set. */
DsSnapshotPlan *ds_snapshot_plan_create(const DsPlanInput *in,
                                        const DsSnapshotRequest *req,
                                        GError **error);



