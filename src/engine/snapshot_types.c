#include "snapshot_types.h"

#include <string.h>

DS_ENUM_TABLE(ds_memory_mode_table, "memory snapshot mode", NULL, "no", "internal", "external");
DS_ENUM_TABLE(ds_disk_snap_mode_table, "disk snapshot mode", NULL, "no", "internal", "external", "copy");
DS_ENUM_TABLE(ds_live_mode_table, "live mode", "no", "background", "precopy");

static void
disk_request_free(gpointer p)
{
    DsDiskRequest *d = p;

    g_free(d->vdev);
    g_free(d->overlay);
    g_free(d->where);
    g_free(d);
}

DsSnapshotRequest *
ds_snapshot_request_new(void)
{
    DsSnapshotRequest *r = g_new0(DsSnapshotRequest, 1);

    r->disks = g_ptr_array_new_with_free_func(disk_request_free);
    return r;
}

void
ds_snapshot_request_free(DsSnapshotRequest *r)
{
    if (!r)
        return;
    g_free(r->name);
    g_free(r->description);
    g_free(r->memory_path);
    g_free(r->dir);
    g_ptr_array_unref(r->disks);
    g_free(r);
}

DsDiskRequest *
ds_snapshot_request_disk(DsSnapshotRequest *req, const char *vdev)
{
    for (guint i = 0; i < req->disks->len; i++) {
        DsDiskRequest *d = req->disks->pdata[i];
        if (strcmp(d->vdev, vdev) == 0)
            return d;
    }
    return NULL;
}
