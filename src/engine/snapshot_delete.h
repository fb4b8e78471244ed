/*
 * snapshot_delete: removes snapshots so that nothing any other snapshot or
 * the running domain sees changes.
 *
 * - internal: the snapshot is deleted from its qcow2 (over QMP if the
 *   running domain has the image open, else with qemu-img);
 * - external: the frozen image that held its state is merged into every
 *   image built on it (block-stream for the running domain's chain, safe
 *   rebase otherwise), and deleted once nothing needs it; images
 *   still needed by another snapshot, and the user's own images, are kept;
 * - the memory image is deleted; children are re-parented; the domain's
 *   current snapshot moves to the parent.
 */
#pragma once

#include "drivers/driver.h"
#include "store/domain_record.h"
#include "store/store.h"

typedef enum {
    DS_DELETE_METADATA = 1 << 0,      /* records only; every file stays */
    DS_DELETE_CHILDREN = 1 << 1,      /* the snapshot and all its descendants */
    DS_DELETE_CHILDREN_ONLY = 1 << 2, /* its descendants, not itself */
} DsDeleteFlags;

/*
 * Deletes internal snapshot @name of @file: through the hypervisor if the
 * domain runs (@online: it may; its state is asked) and has the image
 * open, else with the image tool.
 * Never behind the back of a process that has the image open: it would
 * keep its stale view of the qcow2 (Xen's qdisk opens images unlocked).
 */
gboolean ds_snapshot_delete_internal_of(const DsDriverOps *drv, const DsDomainRecord *dom,
                                        gboolean online, const char *file, const char *name,
                                        GError **error);

/*
 * Deletes snapshot @name of @dom, whose driver is @drv. A merge into an
 * image the running domain has open needs the driver's block streaming;
 * without it the delete is refused before anything changes.
 * @warnings (may be NULL) gets what the user should know.
 */
gboolean ds_snapshot_delete_run(DsStore *store, DsDomainRecord *dom, const DsDriverOps *drv,
                                const char *name, unsigned flags, GPtrArray *warnings,
                                GError **error);
