/*
 * snapshot_steps: a snapshot plan as data: the steps in order and what each
 * disk gets. The engine's planner (engine/snapshot_plan) makes one, the
 * engine runs it, and a driver reads it to do its part; so it lives below
 * both.
 */
#pragma once

#include <glib.h>

#include "formats/snapshot_types.h"

typedef enum {
    DS_STEP_CREATE_OVERLAYS,   /* new qcow2 overlays for external disks */
    DS_STEP_ATTACH_OVERLAYS,   /* hand them to the running hypervisor */
    DS_STEP_PAUSE,
    DS_STEP_DISK_TRANSACTION,  /* every disk at once: internal and external */
    DS_STEP_SAVE_MEMORY,       /* guest paused: memory to the image */
    DS_STEP_PRECOPY_MEMORY,    /* guest running; it is paused at the end */
    DS_STEP_START_BACKGROUND_MEMORY, /* memory as of now; the guest resumes */
    DS_STEP_WAIT_MEMORY,       /* until the background write is complete */
    DS_STEP_SAVE_INTERNAL,     /* memory and disks into the qcow2 files */
    DS_STEP_RESUME,
    DS_STEP_OFFLINE_INTERNAL,  /* shut-off domain: qemu-img snapshot -c */
    DS_STEP_WRITE_RECORD,
    DS_STEP_FREEZE_FS,         /* the guest agent freezes the guest's filesystems */
    DS_STEP_THAW_FS,           /* ... and thaws them, once the guest runs again */
} DsStepKind;

extern const DsEnumTable ds_step_table;

typedef struct {
    char *vdev;
    guint index;     /* position in the domain's disk list */
    DsDiskSnapMode kind;
    char *file;      /* the image in use now: the snapshot's state */
    int format;      /* its DsDiskFormat */
    char *overlay;   /* external: the new overlay */
    char *copy;      /* copy: where the copy of @file goes */
} DsDiskPlan;

typedef struct {
    char *name;
    gint64 creation_time;   /* the record's, from a config; 0: when it is taken */
    DsMemoryMode memory;
    char *memory_file;      /* external memory */
    char *vmstate_disk;     /* internal memory */
    DsLiveMode live;
    gboolean online;
    gboolean was_running;
    gboolean crash_consistent;
    gboolean quiesce;       /* the guest's filesystems frozen around the disks */
    gboolean memory_stops_guest; /* see DsPlanInput */
    char *dir;              /* where memory and overlays go */
    GPtrArray *disks;       /* DsDiskPlan, every disk, in domain order; paths with
                             * their placeholders expanded */
    GArray *steps;          /* DsStepKind */
} DsSnapshotPlan;

void ds_disk_plan_free(gpointer disk_plan);
void ds_snapshot_plan_free(DsSnapshotPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsSnapshotPlan, ds_snapshot_plan_free)


/* "pause, disk-transaction, save-memory, resume, write-record" */
char *ds_snapshot_plan_describe(const DsSnapshotPlan *plan);

gboolean ds_snapshot_plan_has_step(const DsSnapshotPlan *plan, DsStepKind step);

/* Whether any disk of the plan is taken as @kind. */
gboolean ds_snapshot_plan_has_disk_kind(const DsSnapshotPlan *plan, DsDiskSnapMode kind);
