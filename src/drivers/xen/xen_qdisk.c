/*
 * xen_qdisk: qcow2 disks that QEMU's qdisk backend serves to a Xen guest.
 * libxl runs that QEMU (the device model) with a QMP socket of its own,
 * /var/run/xen/qmp-libxl-DOMID, which libxl only uses for moments; domsnap
 * talks to it with its QMP client while the guest is stopped. Internal
 * snapshots only: an overlay would change the image path that libxl keeps
 * in its own records (see the planner's no_external_disks).
 */
#include "xen_session.h"

#include "domsnap.h"
#include "drivers/qemu/qemu_block.h"

#define DM_TIMEOUT_MS 30000

static DsQmp *
dm_connect(uint32_t domid, const char *name, GError **error)
{
    g_autofree char *path = g_strdup_printf("/var/run/xen/qmp-libxl-%u", domid);

    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                    "domain '%s' has no device model (no %s): its qcow2 disks are not "
                    "served by qdisk", name, path);
        return NULL;
    }
    return ds_qmp_connect(path, name, DM_TIMEOUT_MS, error);
}

static gboolean
has_internal(const DsSnapshotPlan *plan)
{
    return ds_snapshot_plan_has_disk_kind(plan, DS_DISK_SNAP_INTERNAL);
}

/* One action per internal disk (nodes found by ds_xen_qdisk_prepare), in
 * one QMP transaction: all or none. */
static gboolean
snapshot_internal(DsQmp *qmp, DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    g_autoptr(GArray) actions = g_array_new(FALSE, FALSE, sizeof(DsQmpTransactionAction));

    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        DsQmpTransactionAction a = { DS_QMP_ACTION_BLOCKDEV_SNAPSHOT_INTERNAL_SYNC, NULL,
                                     plan->name, NULL };

        if (d->kind != DS_DISK_SNAP_INTERNAL)
            continue;
        a.node = g_hash_table_lookup(s->nodes, d->vdev);
        g_array_append_val(actions, a);
    }
    return ds_qmp_transaction(qmp, (DsQmpTransactionAction *)actions->data, actions->len, error);
}

/* Before the guest stops: the device model's node of every internal disk
 * (so that inside the stop only the transaction remains), or an error if
 * it does not serve one. */
gboolean
ds_xen_qdisk_prepare(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    g_autoptr(DsQmp) qmp = NULL;

    if (!has_internal(plan))
        return TRUE;
    qmp = dm_connect(s->domid, s->name, error);
    if (!qmp)
        return FALSE;
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        char *node;
        if (d->kind != DS_DISK_SNAP_INTERNAL)
            continue;
        node = ds_qemu_block_node_of_file(qmp, s->name, d->file, error);
        if (!node) {
            g_prefix_error(error, "disk '%s' (internal snapshots need qdisk, "
                           "backendtype=qdisk): ", d->vdev);
            return FALSE;
        }
        g_hash_table_insert(s->nodes, g_strdup(d->vdev), node);
    }
    return TRUE;
}

gboolean
ds_xen_qdisk_snapshot(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error)
{
    g_autoptr(DsQmp) qmp = NULL;

    if (!has_internal(plan))
        return TRUE;
    qmp = dm_connect(s->domid, s->name, error);
    return qmp && snapshot_internal(qmp, s, plan, error);
}

static gboolean
delete_node(DsQmp *qmp, const char *node, const char *name, GError **error)
{
    return ds_qmp_blockdev_snapshot_delete_internal_sync(qmp, node, name, error);
}

static gboolean
delete_on(DsQmp *qmp, const char *who, const char *file, const char *name, GError **error)
{
    g_autofree char *node = ds_qemu_block_node_of_file(qmp, who, file, error);

    return node && delete_node(qmp, node, name, error);
}

void
ds_xen_qdisk_unsnapshot(DsDriverSession *s, const DsSnapshotPlan *plan)
{
    g_autoptr(DsQmp) qmp = NULL;

    if (!has_internal(plan) || !(qmp = dm_connect(s->domid, s->name, NULL)))
        return;
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        const char *node = g_hash_table_lookup(s->nodes, d->vdev);
        if (d->kind == DS_DISK_SNAP_INTERNAL && node)
            delete_node(qmp, node, plan->name, NULL);
    }
}

gboolean
ds_xen_delete_internal_online(const DsDomainRecord *rec, const char *file, const char *name,
                              GError **error)
{
    g_autoptr(DsQmp) qmp = NULL;

    if (rec->id < 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND, "domain '%s' is not running",
                    rec->name);
        return FALSE;
    }
    qmp = dm_connect(rec->id, rec->name, error);
    return qmp && delete_on(qmp, rec->name, file, name, error);
}
