#include "snapshot_delete.h"

#include <string.h>
#include <unistd.h>

#include "util/ds_image_probe.h"

#include "formats/diskspec.h"
#include "image/image.h"
#include "formats/save_header.h"
#include "store/journal.h"
#include "store/snapshot_record.h"

typedef struct {
    DsStore *store;
    DsDomainRecord *dom;
    const DsDriverOps *drv;
    gboolean online;
    GPtrArray *warnings;
    GPtrArray *all;      /* the records, reloaded after each deletion */
} Delete;

static DsSnapshotRecord *
find(GPtrArray *all, const char *name)
{
    for (guint i = 0; i < all->len; i++)
        if (!g_strcmp0(((DsSnapshotRecord *)all->pdata[i])->name, name))
            return all->pdata[i];
    return NULL;
}

/* Descendants of @name, leaves first. */
static void
collect_descendants(GPtrArray *all, const char *name, GPtrArray *out)
{
    for (guint i = 0; i < all->len; i++) {
        DsSnapshotRecord *r = all->pdata[i];
        if (!g_strcmp0(r->parent, name)) {
            collect_descendants(all, r->name, out);
            g_ptr_array_add(out, g_strdup(r->name));
        }
    }
}

/* Every image domsnap knows of: records' images, snapshot directories'
 * images, and the domain's disks. */
static GPtrArray *
known_images(const Delete *x)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

#define ADD(f) do { if ((f) && !g_hash_table_contains(seen, (f)) && \
                        g_file_test((f), G_FILE_TEST_IS_REGULAR)) { \
        char *c_ = g_strdup(f); g_ptr_array_add(out, c_); g_hash_table_add(seen, c_); } } while (0)
    for (guint i = 0; i < x->all->len; i++) {
        const DsSnapshotRecord *r = x->all->pdata[i];
        GDir *d = r->dir ? g_dir_open(r->dir, 0, NULL) : NULL;
        const char *n;
        for (guint j = 0; r->disks && j < r->disks->len; j++) {
            const DsSnapshotDisk *sd = r->disks->pdata[j];
            ADD(sd->file);
            ADD(sd->overlay);
        }
        while (d && (n = g_dir_read_name(d))) {
            g_autofree char *p = g_build_filename(r->dir, n, NULL);
            if (g_str_has_suffix(n, ".qcow2"))
                ADD(p);
        }
        if (d)
            g_dir_close(d);
    }
    for (guint i = 0; x->dom->config.disks && i < x->dom->config.disks->len; i++)
        ADD(((DsDomainDisk *)x->dom->config.disks->pdata[i])->pdev_path);
#undef ADD
    return out;
}

static gboolean
in_list(const GPtrArray *list, const char *s)
{
    for (guint i = 0; list && i < list->len; i++)
        if (!g_strcmp0(list->pdata[i], s))
            return TRUE;
    return FALSE;
}

/* *@used: is @file in the chain of one of the domain's disks? */
static gboolean
domain_uses(const Delete *x, const char *file, gboolean *used, GError **error)
{
    *used = FALSE;
    for (guint i = 0; x->dom->config.disks && i < x->dom->config.disks->len; i++) {
        g_autofree char *img = g_strdup(((DsDomainDisk *)x->dom->config.disks->pdata[i])->pdev_path);
        for (guint depth = 0; img && depth < 256; depth++) {
            g_auto(DsImageInfo) info = { 0 };
            if (!g_strcmp0(img, file)) {
                *used = TRUE;
                return TRUE;
            }
            if (!g_file_test(img, G_FILE_TEST_IS_REGULAR))
                break;
            if (!ds_image_info(img, &info, error))
                return FALSE;
            g_free(img);
            img = g_steal_pointer(&info.backing);
        }
    }
    return TRUE;
}

/* A record that names files domsnap did not make (edited by hand?): none
 * is deleted; the error says which. */
static gboolean G_GNUC_PRINTF(3, 4)
refuse(GError **error, const DsSnapshotRecord *s, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                "snapshot '%s': %s; nothing was deleted (was its record edited?)", s->name, msg);
    return FALSE;
}

/* Before anything is deleted: what @s would have deleted is domsnap's. */
static gboolean
check_own_files(const Delete *x, const DsSnapshotRecord *s, GError **error)
{
    if (s->memory.kind == DS_MEMORY_EXTERNAL && s->memory.file &&
        g_file_test(s->memory.file, G_FILE_TEST_EXISTS) &&
        !ds_save_header_is_image(s->memory.file))
        return refuse(error, s, "memory image '%s' is not a domsnap memory image",
                      s->memory.file);
    for (guint i = 0; s->disks && i < s->disks->len; i++) {
        const DsSnapshotDisk *d = s->disks->pdata[i];

        if (d->kind == DS_DISK_SNAP_COPY && d->copy &&
            g_file_test(d->copy, G_FILE_TEST_EXISTS) &&
            !ds_snapshot_file_is_domsnaps(x->store, x->dom->name, x->all, d->copy))
            return refuse(error, s, "the copy '%s' of disk '%s' is not in a snapshot's "
                          "directory", d->copy, d->vdev);
        /* What domsnap froze of its own is an overlay it made: qcow2. */
        if (d->kind == DS_DISK_SNAP_EXTERNAL && d->file &&
            g_file_test(d->file, G_FILE_TEST_IS_REGULAR) &&
            ds_snapshot_file_is_domsnaps(x->store, x->dom->name, x->all, d->file) &&
            !ds_image_is_qcow2(d->file))
            return refuse(error, s, "the frozen image '%s' of disk '%s' is not a qcow2 "
                          "overlay", d->file, d->vdev);
    }
    return TRUE;
}

/*
 * The overlays of @s that nothing needs once it is gone: the writes after
 * it on a branch that a revert abandoned. Needed are an image of the
 * domain's chains, another snapshot's image or overlay, an image something
 * is built on, and an image holding internal snapshots.
 */
static gboolean
abandoned_overlays(Delete *x, const DsSnapshotRecord *s, GPtrArray *out, GError **error)
{
    g_autoptr(GPtrArray) images = NULL;

    for (guint i = 0; s->disks && i < s->disks->len; i++) {
        const DsSnapshotDisk *d = s->disks->pdata[i];
        gboolean needed = FALSE;
        g_auto(DsImageInfo) info = { 0 };

        if (d->kind != DS_DISK_SNAP_EXTERNAL || !d->overlay ||
            !g_file_test(d->overlay, G_FILE_TEST_IS_REGULAR) ||
            ds_snapshot_records_using(x->all, d->overlay, s, FALSE))
            continue;
        for (guint j = 0; !needed && j < x->all->len; j++) {
            const DsSnapshotRecord *r = x->all->pdata[j];
            for (guint k = 0; r != s && r->disks && k < r->disks->len; k++)
                if (!g_strcmp0(((DsSnapshotDisk *)r->disks->pdata[k])->overlay, d->overlay))
                    needed = TRUE;
        }
        if (!needed && !domain_uses(x, d->overlay, &needed, error))
            return FALSE;
        if (needed)
            continue;
        if (!ds_image_info(d->overlay, &info, error))
            return FALSE;
        if (g_strcmp0(info.backing, d->file) != 0)
            return refuse(error, s, "its overlay '%s' of disk '%s' is not built on '%s'",
                          d->overlay, d->vdev, d->file);
        if (info.internal_snapshots > 0)
            continue;
        if (!images)
            images = known_images(x);
        for (guint j = 0; !needed && j < images->len; j++) {
            g_auto(DsImageInfo) parent = { 0 };
            if (!g_strcmp0(images->pdata[j], d->overlay))
                continue;
            if (!ds_image_info(images->pdata[j], &parent, error))
                return FALSE;
            needed = !g_strcmp0(parent.backing, d->overlay);
        }
        if (!needed)
            g_ptr_array_add(out, g_strdup(d->overlay));
    }
    return TRUE;
}

/*
 * The images built on @file (but not those in @gone) into *@children. An
 * image that holds internal snapshots reads through @file for them too,
 * and a merge would change what they show: then *@kept, and @file stays
 * where it is, needed.
 */
static gboolean
find_children(Delete *x, const char *file, const GPtrArray *gone, GPtrArray *children,
              gboolean *kept, GError **error)
{
    g_autoptr(GPtrArray) images = known_images(x);

    *kept = FALSE;
    for (guint i = 0; i < images->len; i++) {
        g_auto(DsImageInfo) info = { 0 };

        if (!ds_image_info(images->pdata[i], &info, error))
            return FALSE;
        if (g_strcmp0(info.backing, file) != 0 || in_list(gone, images->pdata[i]))
            continue;
        if (info.internal_snapshots > 0) {
            *kept = TRUE;
            return TRUE;
        }
        g_ptr_array_add(children, g_strdup(images->pdata[i]));
    }
    return TRUE;
}

/* Whether the frozen image @d of @s is merged away: no other snapshot's
 * state, not the user's own image. */
static gboolean
merged_away(const Delete *x, const DsSnapshotRecord *s, const DsSnapshotDisk *d)
{
    return d->kind == DS_DISK_SNAP_EXTERNAL &&
           !ds_snapshot_records_using(x->all, d->file, s, FALSE) &&
           ds_snapshot_file_is_domsnaps(x->store, x->dom->name, x->all, d->file);
}

/* Refuses, for want of @cap, to change @image, which the running domain has open. */
static gboolean
refuse_in_use(Delete *x, DsDriverCap cap, const char *doing, GError **error)
{
    return ds_driver_require_cap(x->drv, cap, x->dom->name, doing, "shut the domain off first",
                                 error);
}

/*
 * A merge into an image that the running domain has open goes through the
 * hypervisor (block-stream).
 */
static gboolean
check_merges(Delete *x, const DsSnapshotRecord *s, const GPtrArray *gone, GError **error)
{
    if (ds_driver_has_cap(x->drv, DS_DRIVER_CAP_STREAM_ONLINE))
        return TRUE;
    for (guint i = 0; s->disks && i < s->disks->len; i++) {
        const DsSnapshotDisk *d = s->disks->pdata[i];
        g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func(g_free);
        gboolean kept = FALSE;

        if (!merged_away(x, s, d))
            continue;
        if (!find_children(x, d->file, gone, children, &kept, error))
            return FALSE;
        for (guint j = 0; !kept && j < children->len; j++) {
            g_autofree char *doing = NULL;
            gboolean used = FALSE;
            if (!domain_uses(x, children->pdata[j], &used, error))
                return FALSE;
            if (!used)
                continue;
            doing = g_strdup_printf("merging the frozen image '%s' of disk '%s' into '%s', "
                                    "which the running domain has open,", d->file, d->vdev,
                                    (const char *)children->pdata[j]);
            return refuse_in_use(x, DS_DRIVER_CAP_STREAM_ONLINE, doing, error);
        }
    }
    return TRUE;
}

/*
 * An internal snapshot of an image that the running domain has open is
 * deleted by the hypervisor: the image tool would change the qcow2 behind
 * its back (see ds_snapshot_delete_internal_of()).
 */
static gboolean
check_internal(Delete *x, const DsSnapshotRecord *s, GError **error)
{
    if (ds_driver_has_cap(x->drv, DS_DRIVER_CAP_INTERNAL_DISK))
        return TRUE;
    for (guint i = 0; s->disks && i < s->disks->len; i++) {
        const DsSnapshotDisk *d = s->disks->pdata[i];
        g_autofree char *doing = NULL;
        gboolean used = FALSE;

        if (d->kind != DS_DISK_SNAP_INTERNAL)
            continue;
        if (!domain_uses(x, d->file, &used, error))
            return FALSE;
        if (!used)
            continue;
        doing = g_strdup_printf("deleting the internal snapshot '%s' of '%s', which the running "
                                "domain has open,", s->name, d->file);
        return refuse_in_use(x, DS_DRIVER_CAP_INTERNAL_DISK, doing, error);
    }
    return TRUE;
}

/*
 * What a running domain's images need of the driver, asked before anything
 * is deleted, so that a driver that cannot do it refuses with nothing
 * changed.
 */
static gboolean
check_online(Delete *x, const DsSnapshotRecord *s, const GPtrArray *gone, GError **error)
{
    return !x->online || (check_merges(x, s, gone, error) && check_internal(x, s, error));
}

/* Copies what @img reads above @base into it, and builds it on @base. */
static gboolean
merge_child(Delete *x, const char *img, const char *base, int base_fmt, GError **error)
{
    GError *local = NULL;

    if (x->online && ds_driver_has_cap(x->drv, DS_DRIVER_CAP_STREAM_ONLINE)) {
        if (x->drv->block.stream_online(x->dom, img, base, &local))
            return TRUE;
        if (local && !g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND)) {
            g_propagate_error(error, local);
            return FALSE;
        }
        g_clear_error(&local); /* not open in the domain */
    }
    return ds_image_rebase(img, base, base_fmt, error);
}

/*
 * Copies @file's data into every image built on it, so that nothing needs
 * it any more (*merged); not if find_children() keeps it.
 */
static gboolean
merge_into_children(Delete *x, const char *file, const GPtrArray *gone, gboolean *merged,
                    GError **error)
{
    g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func(g_free);
    g_auto(DsImageInfo) info = { 0 };
    gboolean kept = FALSE;

    *merged = FALSE;
    if (!ds_image_info(file, &info, error) ||
        !find_children(x, file, gone, children, &kept, error))
        return FALSE;
    if (kept)
        return TRUE;
    for (guint i = 0; i < children->len; i++)
        if (!merge_child(x, children->pdata[i], info.backing, info.backing_format, error))
            return FALSE;
    *merged = TRUE;
    return TRUE;
}

gboolean
ds_snapshot_delete_internal_of(const DsDriverOps *drv, const DsDomainRecord *dom,
                               gboolean online, const char *file, const char *name,
                               GError **error)
{
    GError *local = NULL;
    DsDomainState state = DS_DOMAIN_SHUTOFF;

    if (online)
        ds_driver_get_state(drv, dom, &state, NULL);
    online = state == DS_DOMAIN_RUNNING || state == DS_DOMAIN_PAUSED;
    if (online && ds_driver_has_cap(drv, DS_DRIVER_CAP_INTERNAL_DISK) &&
        drv->block.delete_internal_online(dom, file, name, &local))
        return TRUE;
    if (local && !g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND)) {
        g_propagate_error(error, local);
        return FALSE;
    }
    g_clear_error(&local);
    return ds_image_snapshot_delete(file, name, error);
}

static gboolean
delete_internal(Delete *x, const char *file, const char *name, GError **error)
{
    return ds_snapshot_delete_internal_of(x->drv, x->dom, x->online, file, name, error);
}

/* Another record naming @s's memory image (a copied record) keeps it. */
static gboolean
memory_used_by_other(const GPtrArray *all, const DsSnapshotRecord *s)
{
    for (guint i = 0; i < all->len; i++) {
        const DsSnapshotRecord *r = all->pdata[i];
        if (r != s && r->memory.kind == DS_MEMORY_EXTERNAL &&
            !g_strcmp0(r->memory.file, s->memory.file))
            return TRUE;
    }
    return FALSE;
}

/* The data: internal snapshots removed, frozen images merged. Returns the
 * images and the files to delete once the record is gone. */
static gboolean
delete_data(Delete *x, const DsSnapshotRecord *s, GPtrArray *to_remove, GPtrArray *to_unlink,
            GError **error)
{
    g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func(g_free);

    if (!abandoned_overlays(x, s, gone, error) || !check_online(x, s, gone, error))
        return FALSE;
    for (guint i = 0; s->disks && i < s->disks->len; i++) {
        const DsSnapshotDisk *d = s->disks->pdata[i];

        if (d->kind == DS_DISK_SNAP_INTERNAL) {
            if (g_file_test(d->file, G_FILE_TEST_EXISTS) &&
                !delete_internal(x, d->file, s->name, error))
                return FALSE;
        } else if (d->kind == DS_DISK_SNAP_COPY) {
            if (d->copy)
                g_ptr_array_add(to_remove, g_strdup(d->copy)); /* nothing is built on it */
        } else if (d->kind == DS_DISK_SNAP_EXTERNAL) {
            gboolean merged = FALSE;
            if (!merged_away(x, s, d))
                continue; /* another snapshot's state, or the user's image */
            if (!merge_into_children(x, d->file, gone, &merged, error))
                return FALSE;
            if (merged)
                g_ptr_array_add(to_remove, g_strdup(d->file));
        }
    }
    if (s->memory.kind == DS_MEMORY_EXTERNAL && s->memory.file &&
        !memory_used_by_other(x->all, s))
        g_ptr_array_add(to_unlink, g_strdup(s->memory.file));
    for (guint i = 0; i < gone->len; i++)
        g_ptr_array_add(to_remove, g_strdup(gone->pdata[i]));
    return TRUE;
}

/* --metadata leaves the frozen images: say so if the domain runs on them. */
static void
warn_if_base(Delete *x, const DsSnapshotRecord *s)
{
    for (guint i = 0; s->disks && i < s->disks->len; i++) {
        const DsSnapshotDisk *d = s->disks->pdata[i];
        if (d->kind == DS_DISK_SNAP_EXTERNAL && x->warnings)
            g_ptr_array_add(x->warnings, g_strdup_printf(
                "snapshot '%s' held the frozen image '%s' of disk '%s', which domain '%s' "
                "may still be built on; with --metadata it stays, and nothing records it now",
                s->name, d->file, d->vdev, x->dom->name));
    }
}

static gboolean
delete_records(Delete *x, const DsSnapshotRecord *s, GError **error)
{
    for (guint i = 0; i < x->all->len; i++) {
        DsSnapshotRecord *r = x->all->pdata[i];
        if (g_strcmp0(r->parent, s->name) != 0)
            continue;
        g_free(r->parent);
        r->parent = g_strdup(s->parent);
        if (!ds_snapshot_record_save(x->store, r, error))
            return FALSE;
    }
    if (!g_strcmp0(x->dom->current_snapshot, s->name)) {
        g_free(x->dom->current_snapshot);
        x->dom->current_snapshot = g_strdup(s->parent);
        if (!ds_domain_record_save(x->store, x->dom, error))
            return FALSE;
    }
    return ds_snapshot_record_delete(x->store, x->dom->name, s->name, error);
}

static gboolean
delete_one(Delete *x, const char *name, gboolean metadata, GError **error)
{
    DsSnapshotRecord *s = find(x->all, name);
    g_autoptr(GPtrArray) to_remove = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) to_unlink = g_ptr_array_new_with_free_func(g_free);

    if (!s)
        return TRUE;
    if (metadata)
        warn_if_base(x, s);
    else if (!delete_data(x, s, to_remove, to_unlink, error))
        return FALSE;
    if (!delete_records(x, s, error))
        return FALSE;
    for (guint i = 0; i < to_remove->len; i++)
        ds_image_remove(to_remove->pdata[i], NULL);
    for (guint i = 0; i < to_unlink->len; i++)
        unlink(to_unlink->pdata[i]);
    if (s->dir)
        rmdir(s->dir); /* if nothing is left in it */
    g_ptr_array_remove(x->all, s);
    return TRUE;
}

gboolean
ds_snapshot_delete_run(DsStore *store, DsDomainRecord *dom, const DsDriverOps *drv,
                       const char *name, unsigned flags, GPtrArray *warnings, GError **error)
{
    Delete x = { store, dom, drv, FALSE, warnings, NULL };
    g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func(g_free);
    DsDomainState state;
    gboolean ok = TRUE;

    if (!ds_driver_get_state(drv, dom, &state, error))
        return FALSE;
    if (state == DS_DOMAIN_CRASHED) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE,
                    "domain '%s' has crashed; 'domsnap destroy %s' cleans it up first",
                    dom->name, dom->name);
        return FALSE;
    }
    x.online = state == DS_DOMAIN_RUNNING || state == DS_DOMAIN_PAUSED;
    x.all = ds_snapshot_record_list(store, dom->name, error);
    if (!x.all)
        return FALSE;
    if (!find(x.all, name)) {
        g_ptr_array_unref(x.all);
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                    "snapshot '%s' does not exist for domain '%s'", name, dom->name);
        return FALSE;
    }
    if (flags & (DS_DELETE_CHILDREN | DS_DELETE_CHILDREN_ONLY))
        collect_descendants(x.all, name, targets);
    if (!(flags & DS_DELETE_CHILDREN_ONLY))
        g_ptr_array_add(targets, g_strdup(name));
    for (guint i = 0; !(flags & DS_DELETE_METADATA) && i < targets->len; i++) {
        if (!check_own_files(&x, find(x.all, targets->pdata[i]), error)) {
            g_ptr_array_unref(x.all);
            return FALSE;
        }
    }
    {
        /* Merges keep every image's content, so a killed delete is finished
         * by running it again: the journal says which and how. */
        g_autoptr(DsJournal) j = g_new0(DsJournal, 1);
        j->op = DS_JOURNAL_SNAPSHOT_DELETE;
        j->snapshot = g_strdup(name);
        j->flags = flags;
        ok = ds_journal_step(store, dom->name, j, "delete", error);
    }
    for (guint i = 0; ok && i < targets->len; i++) {
        ok = delete_one(&x, targets->pdata[i], flags & DS_DELETE_METADATA, error);
        if (!ok)
            g_prefix_error(error, "snapshot '%s' of domain '%s' not deleted: ",
                           (const char *)targets->pdata[i], dom->name);
    }
    g_ptr_array_unref(x.all);
    ds_journal_remove(store, dom->name, NULL);
    return ok;
}
