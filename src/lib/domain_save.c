/*
 * domain_save.c: `save` and `restore`, as xl does them: the save file holds
 * a header with the domain config, then the memory stream, so a restore
 * needs nothing else.
 */
#include "connection.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/domain_run.h"
#include "formats/save_header.h"
#include "util/ds_file.h"

static gboolean
write_header(int fd, DsSaveHeader *h, const DsDomainRecord *rec, DsDomainState state,
             const char *path, GError **error)
{
    gboolean ok;

    h->driver = g_strdup(rec->driver);
    h->saved_at = g_get_real_time() / G_USEC_PER_SEC;
    h->domain_state = g_strdup(ds_domain_state_to_string(state));
    ds_record_copy_to(&ds_domain_config_type, &h->config, &rec->config);
    ok = ds_save_header_write(fd, h, path, error);
    return ok;
}

/* Into a temp file beside @file, renamed over it only once complete. */
static gboolean
save_to_file(const DsDriverOps *drv, const DsDomainRecord *rec,
             DsDomainState state, const char *file, DsProgressFunc progress,
             gpointer opaque, GError **error)
{
    g_autofree char *tmp = NULL;
    g_autoptr(DsSaveHeader) h = g_new0(DsSaveHeader, 1);
    int fd = ds_file_create_temp_beside(file, &tmp, error);
    gboolean ok;

    if (fd < 0)
        return FALSE;
    ok = write_header(fd, h, rec, state, tmp, error) &&
         ds_driver_save_memory(drv, rec, fd, progress, opaque, error) &&
         ds_save_header_finish(fd, h, tmp, error);
    if (ok && fsync(fd) < 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot write '%s': %s", tmp,
                    g_strerror(errno));
        ok = FALSE;
    }
    close(fd);
    if (ok && rename(tmp, file) < 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot rename '%s' to '%s': %s", tmp,
                    file, g_strerror(errno));
        ok = FALSE;
    }
    if (!ok) {
        unlink(tmp);
        return FALSE;
    }
    return ds_fsync_parent(file, error);
}

gboolean
ds_domain_save(DsConnection *conn, const char *domain, const char *file,
               DsSaveThen then, DsProgressFunc progress, gpointer opaque,
               GError **error)
{
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) rec = ds_conn_lock_domain(conn, domain, &lock, error);
    const DsDriverOps *drv;
    DsDomainState state;

    if (!rec || !ds_conn_require_active(rec, &state, error))
        return FALSE;
    drv = ds_driver_get(rec->driver, error);
    if (!drv)
        return FALSE;
    if (!save_to_file(drv, rec, state, file, progress, opaque, error)) {
        /* The domain goes on as it was; the file was never there. */
        if (state == DS_DOMAIN_RUNNING)
            ds_driver_unpause(drv, rec, NULL);
        return FALSE;
    }
    switch (then) {
    case DS_SAVE_THEN_DESTROY:
        return ds_conn_finish_stopped(conn, rec, error);
    case DS_SAVE_THEN_PAUSE:
        return TRUE;
    case DS_SAVE_THEN_CONTINUE:
        return state != DS_DOMAIN_RUNNING || ds_driver_unpause(drv, rec, error);
    }
    return TRUE;
}

/* The record to restore into: a new one, or the shut-off domain's own
 * (@old, read under the lock). */
static DsDomainRecord *
restore_target(DsConnection *conn, DsSaveHeader *h, const DsDomainRecord *old,
               GError **error)
{
    g_autoptr(DsDomainRecord) rec = NULL;
    DsDomainState state;

    if (!old) {
        rec = g_new0(DsDomainRecord, 1);
        rec->name = g_strdup(h->config.c_info.name);
    } else {
        if (!ds_conn_domain_state(old, &state, error))
            return NULL;
        if (state != DS_DOMAIN_SHUTOFF || ds_conn_has_instance(old)) {
            g_set_error(error, DS_ERROR, DS_ERROR_EXISTS,
                        "domain '%s' already exists and is %s; destroy it first to restore",
                        old->name, ds_domain_state_to_string(state));
            return NULL;
        }
        rec = ds_record_copy(&ds_domain_record_type, old);
        ds_record_clear(&ds_domain_config_type, &rec->config);
        g_free(rec->driver);
    }
    rec->driver = g_strdup(h->driver);
    rec->config = h->config;
    memset(&h->config, 0, sizeof(h->config)); /* moved into rec */
    return g_steal_pointer(&rec);
}

static gboolean
restore_into(DsConnection *conn, DsDomainRecord *rec, int fd, guint64 bytes,
             gboolean paused, DsProgressFunc progress, gpointer opaque,
             GError **error)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, error);

    /* Asked first: a driver that restores in one step would boot the
     * domain here before the load is refused. */
    if (!drv || !ds_driver_require_cap(drv, DS_DRIVER_CAP_SAVE_MEMORY, rec->name,
                                       "restoring a saved domain", NULL, error) ||
        !ds_conn_start_domain(conn, rec, DS_START_INCOMING, error))
        return FALSE;
    if (ds_driver_load_memory(drv, rec, fd, bytes, progress, opaque, error) &&
        (paused || ds_driver_unpause(drv, rec, error)))
        return TRUE;
    /* Leave no half-restored domain behind. */
    ds_domain_run_abandon(rec);
    return FALSE;
}

/* After a failed restore: the record goes back to what it was, or away.
 * @rec is the one written last (whose generation is on disk). */
static void
put_back_record(DsConnection *conn, const DsDomainRecord *rec, DsDomainRecord *old)
{
    if (old) {
        old->generation = rec->generation;
        ds_domain_record_save(conn->store, old, NULL);
    } else if (rec->generation > 0) {
        ds_domain_record_delete(conn->store, rec->name, NULL);
    }
}

gboolean
ds_domain_restore(DsConnection *conn, const char *file, gboolean paused,
                  DsProgressFunc progress, gpointer opaque, char **name_out,
                  GError **error)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    g_autoptr(DsSaveHeader) h = NULL;
    g_autoptr(DsDomainRecord) rec = NULL;
    g_autoptr(DsDomainRecord) old = NULL;
    g_autoptr(DsLock) lock = NULL;
    guint64 bytes = 0;
    gboolean ok = FALSE;

    if (fd < 0) {
        g_set_error(error, DS_ERROR, errno == ENOENT ? DS_ERROR_NOT_FOUND : DS_ERROR_IO,
                    "cannot open '%s': %s", file, g_strerror(errno));
        return FALSE;
    }
    h = ds_save_header_read(fd, file, &bytes, error);
    if (h && ds_domain_record_lock_load(conn->store, h->config.c_info.name,
                                        conn->lock_timeout_ms, TRUE, &lock, &old, error))
        rec = restore_target(conn, h, old, error);
    if (rec) {
        ok = restore_into(conn, rec, fd, bytes, paused, progress, opaque, error);
        if (!ok)
            put_back_record(conn, rec, old);
    }
    close(fd);
    if (ok && name_out)
        *name_out = g_strdup(rec->name);
    return ok;
}
