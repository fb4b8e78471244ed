#include "xen_session.h"

#include <unistd.h>

#include "util/ds_file_copy.h"

/* The internal snapshots first (one QMP transaction), then the copies. */
gboolean
ds_xen_disk_transaction(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    if (!ds_xen_qdisk_snapshot(s, plan, error))
        return FALSE;
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];

        if (d->kind != DS_DISK_SNAP_COPY)
            continue;
        if (!ds_file_copy_image(d->file, d->copy, 0600, error)) {
            g_prefix_error(error, "disk '%s' of domain '%s': ", d->vdev, s->name);
            ds_xen_undo_disk_transaction(s, plan, NULL);
            ds_xen_qdisk_unsnapshot(s, plan);
            return FALSE;
        }
    }
    return TRUE;
}

gboolean
ds_xen_undo_disk_transaction(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        if (d->kind == DS_DISK_SNAP_COPY)
            unlink(d->copy);
    }
    ds_xen_qdisk_unsnapshot(s, plan);
    return TRUE;
}
