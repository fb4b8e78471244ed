#include "xen_session.h"

#include <unistd.h>

#include "util/ds_file_copy.h"

gboolean
ds_xen_copy_disks(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];

        if (d->kind != DS_DISK_SNAP_COPY)
            continue;
        if (!ds_file_copy_image(d->file, d->copy, 0600, error)) {
            g_prefix_error(error, "disk '%s' of domain '%s': ", d->vdev, s->name);
            ds_xen_uncopy_disks(s, plan, NULL);
            return FALSE;
        }
    }
    return TRUE;
}

gboolean
ds_xen_uncopy_disks(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        if (d->kind == DS_DISK_SNAP_COPY)
            unlink(d->copy);
    }
    return TRUE;
}
