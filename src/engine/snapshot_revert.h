/*
 * snapshot_revert: puts a domain back at a snapshot: destroys it if it
 * runs, puts every disk at the snapshot's state (internal: the qcow2
 * snapshot is applied; external: a new overlay on the frozen image, so the
 * other branch stays for the snapshots that need it), starts it from the
 * recorded config, loads memory, and leaves it running or paused.
 */
#pragma once

#include "drivers/driver.h"
#include "store/domain_record.h"
#include "store/snapshot_record.h"
#include "store/store.h"

typedef enum {
    DS_REVERT_AS_RECORDED,
    DS_REVERT_RUNNING,
    DS_REVERT_PAUSED,
} DsRevertTarget;

/* The internal snapshot a revert puts on an image before applying another,
 * so that a failed revert (or check --repair) can put the image back. */
#define DS_REVERT_KEEP_TAG "domsnap-before-revert"

/* Where a revert keeps an image while a snapshot's copy takes its place. */
char *ds_revert_aside_path(const char *image);

/* The images a revert moved aside come back over what replaced them
 * (@restore), or are deleted; an image never moved is left alone. */
void ds_revert_settle_aside(const char *const *images, gboolean restore);

/* @all: every snapshot record of the domain (to know what is still needed);
 * @flags: DsSnapshotRevertFlags. */
gboolean ds_snapshot_revert_run(DsStore *store, int lock_timeout_ms, DsDomainRecord *dom,
                                const DsSnapshotRecord *snap, const GPtrArray *all,
                                DsRevertTarget target, unsigned flags,
                                DsProgressFunc progress, gpointer opaque, GError **error);
