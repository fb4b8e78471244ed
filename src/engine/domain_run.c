#include "domain_run.h"

#include "store/lock.h"
#include "util/ds_file.h"

gboolean
ds_domain_run_start(DsStore *store, int lock_timeout_ms, DsDomainRecord *rec,
                    DsStartFlags flags, GError **error)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, error);
    g_autoptr(DsLock) store_lock = NULL;
    gint64 id;

    if (!drv)
        return FALSE;
    if (ds_driver_has_cap(drv, DS_DRIVER_CAP_RESTORE)) /* the hypervisor gives the id (a domid) */
        return ds_domain_run_restore(store, rec, -1, flags & DS_START_PAUSED, error);
    /* Ids are handed out under the store lock, so two starts never share one. */
    store_lock = ds_lock_store(store, lock_timeout_ms, error);
    if (!store_lock)
        return FALSE;
    id = ds_domain_record_free_id(store, error);
    if (id < 0)
        return FALSE;
    g_free(rec->run_dir);
    rec->run_dir = ds_store_make_run_dir(store, id, error);
    if (!rec->run_dir)
        return FALSE;
    rec->id = id;
    rec->start_time = g_get_real_time() / G_USEC_PER_SEC;
    if (ds_driver_start(drv, rec, flags, error) && ds_domain_record_save(store, rec, error))
        return TRUE;
    ds_domain_run_abandon(rec);
    return FALSE;
}

gboolean
ds_domain_run_restore(DsStore *store, DsDomainRecord *rec, int fd, gboolean paused,
                      GError **error)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, error);

    if (!drv || !ds_driver_require_cap(drv, DS_DRIVER_CAP_RESTORE, rec->name, NULL, NULL, error))
        return FALSE;
    if (drv->domain.restore(rec, fd, paused, error) && ds_domain_record_save(store, rec, error))
        return TRUE;
    ds_domain_run_abandon(rec);
    return FALSE;
}

void
ds_domain_run_abandon(DsDomainRecord *rec)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, NULL);

    if (drv && ds_driver_has_instance(drv, rec))
        ds_driver_destroy(drv, rec, NULL);
    if (rec->run_dir)
        ds_remove_tree(rec->run_dir, NULL);
    g_clear_pointer(&rec->run_dir, g_free);
    g_clear_pointer(&rec->qmp_socket, g_free);
    rec->pid = 0;
    rec->pid_start = 0;
    rec->id = -1;
}

gboolean
ds_domain_run_stop(DsStore *store, DsDomainRecord *rec, GError **error)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, error);

    if (!drv)
        return FALSE;
    if (ds_driver_has_instance(drv, rec) && !ds_driver_destroy(drv, rec, error))
        return FALSE;
    if (rec->run_dir && !ds_remove_tree(rec->run_dir, error))
        return FALSE;
    g_clear_pointer(&rec->run_dir, g_free);
    g_clear_pointer(&rec->qmp_socket, g_free);
    rec->pid = 0;
    rec->pid_start = 0;
    rec->id = -1;
    return ds_domain_record_save(store, rec, error);
}
