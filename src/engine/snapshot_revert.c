#include "snapshot_revert.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/domain_run.h"
#include "engine/snapshot_delete.h"
#include "formats/diskspec.h"
#include "formats/save_header.h"
#include "image/image.h"
#include "store/journal.h"
#include "util/ds_file.h"
#include "util/ds_log.h"
#include "util/ds_file_copy.h"

typedef struct {
    DsStore *store;
    int lock_timeout_ms;
    DsDomainRecord *dom;
    const DsDriverOps *drv;
    const DsSnapshotRecord *snap;
    const GPtrArray *all;
    GPtrArray *created; /* overlays made by this revert */
    DsJournal *journal;
} Revert;

/* The name of the internal snapshot that keeps an image's current state
 * while a revert applies another one over it (see put_disks_back). */
#define KEEP_TAG DS_REVERT_KEEP_TAG

char *
ds_revert_aside_path(const char *image)
{
    return g_strconcat(image, ".domsnap-before-revert", NULL);
}

/*
 * A copy goes back where its image was. The image is moved aside first,
 * not overwritten, so a failed or interrupted revert can put it back; it
 * is deleted once the revert is done.
 */
static gboolean
put_copy_back(Revert *rv, const DsSnapshotDisk *d, GError **error)
{
    g_autofree char *aside = ds_revert_aside_path(d->file);
    struct stat st;
    int mode = 0600;

    if (lstat(d->file, &st) == 0) {
        g_autoptr(GStrvBuilder) b = g_strv_builder_new();
        mode = st.st_mode & 0777;
        if (rv->journal->kept)
            g_strv_builder_addv(b, (const char **)rv->journal->kept);
        g_strv_builder_add(b, d->file);
        g_strfreev(rv->journal->kept);
        rv->journal->kept = g_strv_builder_end(b);
        if (!ds_journal_write(rv->store, rv->dom->name, rv->journal, error))
            return FALSE;
        if (rename(d->file, aside) < 0) {
            g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot move '%s' aside: %s", d->file,
                        g_strerror(errno));
            return FALSE;
        }
    }
    if (!ds_file_copy_image(d->copy, d->file, mode, error)) {
        g_prefix_error(error, "disk '%s': ", d->vdev);
        return FALSE;
    }
    return TRUE;
}

void
ds_revert_settle_aside(const char *const *images, gboolean restore)
{
    for (guint i = 0; images && images[i]; i++) {
        g_autofree char *aside = ds_revert_aside_path(images[i]);
        if (!g_file_test(aside, G_FILE_TEST_EXISTS))
            continue; /* never moved: the image is the user's own still */
        if (restore)
            rename(aside, images[i]); /* replaces the copy put there */
        else
            unlink(aside);
    }
}

/* Journals the overlays made so far (a repair removes them). */
static void
journal_created(Revert *rv)
{
    g_ptr_array_add(rv->created, NULL);
    g_strfreev(rv->journal->created);
    rv->journal->created = g_strdupv((char **)rv->created->pdata);
    g_ptr_array_remove_index(rv->created, rv->created->len - 1);
    ds_journal_write(rv->store, rv->dom->name, rv->journal, NULL);
}

/* What the snapshot's kinds need of the driver. */
static gboolean
check_driver(Revert *rv, GError **error)
{
    const DsSnapshotRecord *s = rv->snap;
    g_autofree char *doing = g_strdup_printf("reverting to snapshot '%s'", s->name);
    gboolean external_disk = FALSE;

    for (guint i = 0; s->disks && i < s->disks->len; i++)
        external_disk |= ((DsSnapshotDisk *)s->disks->pdata[i])->kind == DS_DISK_SNAP_EXTERNAL;
    if (external_disk &&
        !ds_driver_require_cap(rv->drv, DS_DRIVER_CAP_EXTERNAL_DISK, rv->dom->name, doing, NULL,
                               error))
        return FALSE;
    if (s->memory.kind == DS_MEMORY_INTERNAL)
        return ds_driver_require_cap(rv->drv, DS_DRIVER_CAP_MEMORY_INTERNAL, rv->dom->name, doing,
                                     NULL, error);
    if (s->memory.kind == DS_MEMORY_EXTERNAL &&
        !ds_driver_has_cap(rv->drv, DS_DRIVER_CAP_RESTORE))
        return ds_driver_require_cap(rv->drv, DS_DRIVER_CAP_SAVE_MEMORY, rv->dom->name, doing,
                                     NULL, error);
    return TRUE;
}

/* The memory image reads and is as long as when it was taken: a damaged
 * one is found before the running domain is stopped for it. */
static gboolean
check_memory_image(const DsSnapshotRecord *s, GError **error)
{
    int fd = open(s->memory.file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    g_autoptr(DsSaveHeader) h = NULL;
    struct stat st;

    if (fd < 0 || fstat(fd, &st) < 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "snapshot '%s': cannot open memory image "
                    "'%s': %s", s->name, s->memory.file, g_strerror(errno));
        if (fd >= 0)
            close(fd);
        return FALSE;
    }
    h = ds_save_header_read(fd, s->memory.file, NULL, error);
    close(fd);
    if (!h) {
        g_prefix_error(error, "snapshot '%s': ", s->name);
        return FALSE;
    }
    if (s->memory.bytes > 0 && st.st_size != s->memory.bytes) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "snapshot '%s': memory image '%s' is %lld bytes and was %" G_GINT64_FORMAT
                    " when it was taken (truncated or replaced?)", s->name, s->memory.file,
                    (long long)st.st_size, s->memory.bytes);
        return FALSE;
    }
    return TRUE;
}

/* Everything the revert needs is there, before anything is touched. */
static gboolean
check(Revert *rv, gboolean active, gboolean force, GError **error)
{
    const DsSnapshotRecord *s = rv->snap;

    if (!check_driver(rv, error))
        return FALSE;
    if (s->memory.kind == DS_MEMORY_NO && active && !force) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE,
                    "snapshot '%s' has no memory: reverting boots domain '%s' afresh and its "
                    "current memory is lost; use --force to do it", s->name, s->domain);
        return FALSE;
    }
    if (s->memory.kind == DS_MEMORY_EXTERNAL &&
        !g_file_test(s->memory.file, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                    "snapshot '%s': memory image '%s' is missing", s->name, s->memory.file);
        return FALSE;
    }
    if (s->memory.kind == DS_MEMORY_EXTERNAL && !check_memory_image(s, error))
        return FALSE;
    for (guint i = 0; s->disks && i < s->disks->len; i++) {
        const DsSnapshotDisk *d = s->disks->pdata[i];
        const DsSnapshotRecord *other;

        if (d->kind == DS_DISK_SNAP_NO)
            continue;
        if (d->kind == DS_DISK_SNAP_COPY && !g_file_test(d->copy, G_FILE_TEST_IS_REGULAR)) {
            g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                        "snapshot '%s': the copy '%s' of disk '%s' is missing", s->name,
                        d->copy, d->vdev);
            return FALSE;
        }
        if (d->kind != DS_DISK_SNAP_COPY && !g_file_test(d->file, G_FILE_TEST_IS_REGULAR)) {
            g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                        "snapshot '%s': disk '%s' image '%s' is missing", s->name, d->vdev,
                        d->file);
            return FALSE;
        }
        /* An image frozen by another snapshot cannot have an internal
         * snapshot applied (put_disks_back copies it out instead), and then
         * internal memory, which must load from that image, cannot work. */
        other = d->kind == DS_DISK_SNAP_INTERNAL ? ds_snapshot_records_using(rv->all, d->file, NULL, TRUE) : NULL;
        if (other && s->memory.kind == DS_MEMORY_INTERNAL) {
            g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED,
                        "snapshot '%s': its memory is inside '%s', whose current state is "
                        "the frozen state of snapshot '%s'; loading it would destroy that "
                        "snapshot", s->name, d->file, other->name);
            return FALSE;
        }
    }
    return TRUE;
}

static char *
new_overlay_path(const Revert *rv, const char *vdev)
{
    g_autofree char *base = g_strdup_printf("%s-%" G_GINT64_FORMAT ".qcow2", vdev,
                                            g_get_real_time() / 1000);

    return g_build_filename(rv->snap->dir, base, NULL);
}

/* Puts each disk of @config at the snapshot's state. */
static gboolean
put_disks_back(Revert *rv, DsDomainConfig *config, GError **error)
{
    const DsSnapshotRecord *s = rv->snap;

    for (guint i = 0; config->disks && i < config->disks->len; i++) {
        DsDomainDisk *dd = config->disks->pdata[i];
        const DsSnapshotDisk *d = ds_snapshot_record_disk(s, dd->vdev);
        const DsDomainDisk *now = ds_domain_config_find_disk(&rv->dom->config, dd->vdev);

        if (!d || d->kind == DS_DISK_SNAP_NO) {
            /* Not in the snapshot: the disk stays as it is now. */
            if (now) {
                g_free(dd->pdev_path);
                dd->pdev_path = g_strdup(now->pdev_path);
                dd->format = now->format;
            }
        } else if (d->kind == DS_DISK_SNAP_COPY) {
            if (!put_copy_back(rv, d, error))
                return FALSE;
            g_free(dd->pdev_path);
            dd->pdev_path = g_strdup(d->file);
        } else if (d->kind == DS_DISK_SNAP_INTERNAL && ds_snapshot_records_using(rv->all, d->file, NULL, TRUE)) {
            /* Applying it would rewrite another snapshot's frozen state:
             * copy the internal snapshot out to a new image instead. */
            g_autofree char *copy = new_overlay_path(rv, d->vdev);
            if (!ds_mkdir_private(s->dir, error) ||
                !ds_image_convert(d->file, -1, s->name, copy, error))
                return FALSE;
            g_ptr_array_add(rv->created, g_strdup(copy));
            journal_created(rv);
            g_free(dd->pdev_path);
            dd->pdev_path = g_steal_pointer(&copy);
            dd->format = DS_DISK_FORMAT_QCOW2;
        } else if (d->kind == DS_DISK_SNAP_INTERNAL) {
            /* Applying overwrites the image's current state: keep it under a
             * tag until the revert is done, so an interrupted revert can be
             * rolled back (the tag is listed in the journal first). */
            ds_image_snapshot_delete(d->file, KEEP_TAG, NULL);
            if (!ds_image_snapshot_create(d->file, KEEP_TAG, error))
                return FALSE;
            if (s->memory.kind != DS_MEMORY_INTERNAL && /* snapshot-load does it then */
                !ds_image_snapshot_apply(d->file, s->name, error))
                return FALSE;
        } else {
            g_autofree char *overlay = new_overlay_path(rv, d->vdev);
            if (!ds_mkdir_private(s->dir, error) ||
                !ds_image_create_overlay(overlay, d->file, d->format, error))
                return FALSE;
            g_ptr_array_add(rv->created, g_strdup(overlay));
            journal_created(rv);
            g_free(dd->pdev_path);
            dd->pdev_path = g_steal_pointer(&overlay);
            dd->format = DS_DISK_FORMAT_QCOW2;
        }
    }
    return TRUE;
}

/*
 * Loads the memory image past domsnap's header: into the domain started
 * for it, or, for a driver that restores in one step (xen), by creating
 * the domain from it, paused or not.
 */
static gboolean
load_external_memory(Revert *rv, gboolean paused, DsProgressFunc progress, gpointer opaque,
                     GError **error)
{
    int fd = open(rv->snap->memory.file, O_RDONLY | O_CLOEXEC);
    g_autoptr(DsSaveHeader) h = NULL;
    guint64 bytes = 0;
    gboolean ok;

    if (fd < 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot open memory image '%s': %s",
                    rv->snap->memory.file, g_strerror(errno));
        return FALSE;
    }
    h = ds_save_header_read(fd, rv->snap->memory.file, &bytes, error);
    if (!h)
        ok = FALSE;
    else if (ds_driver_has_cap(rv->drv, DS_DRIVER_CAP_RESTORE))
        ok = ds_domain_run_restore(rv->store, rv->dom, fd, paused, error);
    else
        ok = ds_driver_load_memory(rv->drv, rv->dom, fd, bytes, progress, opaque, error);
    close(fd);
    return ok;
}

static GStrv
internal_vdevs(const DsSnapshotRecord *s)
{
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();

    for (guint i = 0; s->disks && i < s->disks->len; i++) {
        const DsSnapshotDisk *d = s->disks->pdata[i];
        if (d->kind == DS_DISK_SNAP_INTERNAL)
            g_strv_builder_add(b, d->vdev);
    }
    return g_strv_builder_end(b);
}

/* Starts the domain as the snapshot wants it: memory loaded, then run or not. */
/*
 * A guest that runs again from saved memory: its filesystems thawed if the
 * snapshot was quiesced (the memory holds them frozen), its clock set to
 * the host's. The revert is done either way: what fails here is a warning.
 */
static void
after_resume(Revert *rv, unsigned flags)
{
    g_autoptr(GError) local = NULL;
    DsDomainState state = DS_DOMAIN_SHUTOFF;

    if (rv->snap->memory.kind == DS_MEMORY_NO ||
        !ds_driver_has_cap(rv->drv, DS_DRIVER_CAP_GUEST_AGENT) ||
        !rv->drv->device.has_guest_agent(rv->dom) ||
        !ds_driver_get_state(rv->drv, rv->dom, &state, NULL) || state != DS_DOMAIN_RUNNING)
        return;
    if (rv->snap->quiesced && !rv->drv->device.fs_thaw(rv->dom, &local)) {
        ds_log_warning("domain '%s' runs again from snapshot '%s', but its filesystems could "
                       "not be thawed: %s", rv->dom->name, rv->snap->name, local->message);
        g_clear_error(&local);
    }
    if (!(flags & DS_SNAPSHOT_REVERT_NO_TIME_SYNC) &&
        !rv->drv->device.guest_set_time(rv->dom, &local))
        ds_log_warning("domain '%s': the guest's clock was not set to the host's after the "
                       "revert: %s", rv->dom->name, local->message);
}

static gboolean
start_and_load(Revert *rv, DsRevertTarget target, DsProgressFunc progress,
               gpointer opaque, GError **error)
{
    const DsSnapshotRecord *s = rv->snap;
    int recorded = ds_enum_from_string(&ds_domain_state_table, s->domain_state);
    gboolean recorded_running = recorded == DS_DOMAIN_RUNNING;
    gboolean recorded_paused = recorded == DS_DOMAIN_PAUSED;
    gboolean run = target == DS_REVERT_RUNNING || (target == DS_REVERT_AS_RECORDED && recorded_running);
    gboolean pause = target == DS_REVERT_PAUSED || (target == DS_REVERT_AS_RECORDED && recorded_paused);
    DsStartFlags flags = 0;

    if (!run && !pause)
        return TRUE; /* a snapshot of a shut-off domain: it stays off */
    if (ds_driver_has_cap(rv->drv, DS_DRIVER_CAP_RESTORE) && s->memory.kind == DS_MEMORY_EXTERNAL)
        return load_external_memory(rv, pause, progress, opaque, error);
    if (s->memory.kind == DS_MEMORY_EXTERNAL)
        flags = DS_START_INCOMING;
    else if (s->memory.kind == DS_MEMORY_INTERNAL || pause)
        flags = DS_START_PAUSED;
    if (!ds_domain_run_start(rv->store, rv->lock_timeout_ms, rv->dom, flags, error))
        return FALSE;
    if (s->memory.kind == DS_MEMORY_EXTERNAL &&
        !load_external_memory(rv, FALSE, progress, opaque, error))
        return FALSE;
    if (s->memory.kind == DS_MEMORY_INTERNAL) {
        g_auto(GStrv) vdevs = internal_vdevs(s);
        if (!rv->drv->session.load_internal(rv->dom, s->name, s->memory.vmstate_disk,
                                    (const char *const *)vdevs, error))
            return FALSE;
    }
    if (run && flags != 0)
        return ds_driver_unpause(rv->drv, rv->dom, error);
    return TRUE;
}

/*
 * The overlays the domain ran on before the revert hold a state that the
 * revert has just thrown away; delete those that domsnap made and that no
 * snapshot needs. The user's own images are never deleted.
 */
static void
drop_abandoned(Revert *rv, const DsDomainConfig *before)
{
    for (guint i = 0; before->disks && i < before->disks->len; i++) {
        const DsDomainDisk *old = before->disks->pdata[i];
        const DsDomainDisk *now = ds_domain_config_find_disk(&rv->dom->config, old->vdev);

        if (now && g_strcmp0(now->pdev_path, old->pdev_path) == 0)
            continue;
        if (!ds_snapshot_records_using(rv->all, old->pdev_path, NULL, FALSE) &&
            ds_snapshot_file_is_domsnaps(rv->store, rv->dom->name, rv->all, old->pdev_path))
            ds_image_remove(old->pdev_path, NULL);
    }
}

/* The internal snapshots this revert applied: their images' earlier state
 * comes back from KEEP_TAG (@restore), or KEEP_TAG is dropped. */
static void
settle_kept_states(const DsDriverOps *drv, const DsDomainRecord *dom, const char *const *files,
                   gboolean restore)
{
    for (guint i = 0; files && files[i]; i++) {
        if (restore)
            ds_image_snapshot_apply(files[i], KEEP_TAG, NULL);
        /* Done: the domain runs on the image again, and deletes it itself. */
        ds_snapshot_delete_internal_of(drv, dom, !restore, files[i], KEEP_TAG, NULL);
    }
}

/* Before anything: the config to go back to, the images whose state a
 * KEEP_TAG holds. */
static DsJournal *
make_journal(const Revert *rv)
{
    DsJournal *j = g_new0(DsJournal, 1);
    g_autoptr(GStrvBuilder) internal = g_strv_builder_new();

    j->op = DS_JOURNAL_SNAPSHOT_REVERT;
    j->snapshot = g_strdup(rv->snap->name);
    for (guint i = 0; rv->snap->disks && i < rv->snap->disks->len; i++) {
        const DsSnapshotDisk *d = rv->snap->disks->pdata[i];
        if (d->kind == DS_DISK_SNAP_INTERNAL && !ds_snapshot_records_using(rv->all, d->file, NULL, TRUE))
            g_strv_builder_add(internal, d->file);
    }
    j->internal_files = g_strv_builder_end(internal);
    j->before = ds_record_to_json(&ds_domain_config_type, &rv->dom->config);
    return j;
}

static void
undo(Revert *rv, DsDomainConfig *before)
{
    ds_domain_run_abandon(rv->dom);
    settle_kept_states(rv->drv, rv->dom, (const char *const *)rv->journal->internal_files, TRUE);
    ds_revert_settle_aside((const char *const *)rv->journal->kept, TRUE);
    for (guint i = 0; i < rv->created->len; i++)
        ds_image_remove(rv->created->pdata[i], NULL);
    ds_record_move(&ds_domain_config_type, &rv->dom->config, before);
    ds_domain_record_save(rv->store, rv->dom, NULL);
}

gboolean
ds_snapshot_revert_run(DsStore *store, int lock_timeout_ms, DsDomainRecord *dom,
                       const DsSnapshotRecord *snap, const GPtrArray *all,
                       DsRevertTarget target, unsigned flags, DsProgressFunc progress,
                       gpointer opaque, GError **error)
{
    Revert rv = { store, lock_timeout_ms, dom, NULL, snap, all, NULL, NULL };
    g_autofree DsDomainConfig *before = NULL;
    DsDomainConfig *config;
    DsDomainState state = DS_DOMAIN_SHUTOFF;
    gboolean ok;

    rv.drv = ds_driver_get(dom->driver, error);
    if (!rv.drv || !ds_driver_get_state(rv.drv, dom, &state, error))
        return FALSE;
    if (!check(&rv, state == DS_DOMAIN_RUNNING || state == DS_DOMAIN_PAUSED,
               flags & DS_SNAPSHOT_REVERT_FORCE, error))
        return FALSE;
    rv.journal = make_journal(&rv);
    if (!ds_journal_step(store, dom->name, rv.journal, "stop", error)) {
        ds_journal_free(rv.journal);
        return FALSE;
    }
    if ((ds_driver_has_instance(rv.drv, dom) || state != DS_DOMAIN_SHUTOFF) &&
        !ds_domain_run_stop(store, dom, error)) {
        ds_journal_remove(store, dom->name, NULL);
        ds_journal_free(rv.journal);
        return FALSE;
    }
    rv.created = g_ptr_array_new_with_free_func(g_free);
    before = ds_record_copy(&ds_domain_config_type, &dom->config);
    ds_journal_step(store, dom->name, rv.journal, "disks", NULL);
    config = ds_record_copy(&ds_domain_config_type, &snap->config);
    /* The domain keeps its identity; the rest is the snapshot's. */
    g_free(config->c_info.uuid);
    config->c_info.uuid = g_strdup(dom->config.c_info.uuid);
    ok = put_disks_back(&rv, config, error);
    ds_record_move(&ds_domain_config_type, &dom->config, config);
    g_free(config);
    ok = ok && ds_journal_step(store, dom->name, rv.journal, "start", error) &&
         start_and_load(&rv, target, progress, opaque, error);
    if (ok) {
        g_free(dom->current_snapshot);
        dom->current_snapshot = g_strdup(snap->name);
        ok = ds_journal_step(store, dom->name, rv.journal, "record", error) &&
             ds_domain_record_save(store, dom, error) &&
             ds_journal_step(store, dom->name, rv.journal, "done", error);
    }
    if (!ok) {
        undo(&rv, before);
        g_prefix_error(error, "revert of domain '%s' to snapshot '%s' failed (the snapshot is "
                       "intact; the domain is shut off): ", dom->name, snap->name);
    } else {
        settle_kept_states(rv.drv, dom, (const char *const *)rv.journal->internal_files, FALSE);
        ds_revert_settle_aside((const char *const *)rv.journal->kept, FALSE);
        drop_abandoned(&rv, before);
        ds_record_clear(&ds_domain_config_type, before);
        after_resume(&rv, flags);
    }
    ds_journal_remove(store, dom->name, NULL);
    ds_journal_free(rv.journal);
    g_ptr_array_unref(rv.created);
    return ok;
}
