#include "snapshot_record.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "domsnap.h"
#include "util/ds_log.h"
#include "formats/diskspec.h"
#include "util/ds_file.h"
#include "util/ds_names.h"

static const DsField disk_fields[] = { DS_RECORD_FIELDS(DS_SNAPSHOT_DISK) { NULL } };
static const DsRecordType disk_type = { "disk", sizeof(DsSnapshotDisk), disk_fields };

static const DsField memory_fields[] = { DS_RECORD_FIELDS(DS_SNAPSHOT_MEMORY) { NULL } };
static const DsRecordType memory_type = { "memory", sizeof(DsSnapshotMemory), memory_fields };

static const DsField fields[] = { DS_RECORD_FIELDS(DS_SNAPSHOT_RECORD) { NULL } };
const DsRecordType ds_snapshot_record_type = { "snapshot", sizeof(DsSnapshotRecord), fields };

/* What a listing shows. */
static const DsRecordType summary_type = { "snapshot", sizeof(DsSnapshotRecord), fields,
                                           .summary = TRUE };

void
ds_snapshot_record_free(DsSnapshotRecord *rec)
{
    ds_record_free(&ds_snapshot_record_type, rec);
}

char *
ds_snapshot_record_dir(const DsStore *store, const char *domain, const char *name)
{
    g_autofree char *ddir = ds_store_domain_dir(store, domain);

    return g_build_filename(ddir, "snapshots", name, NULL);
}

static char *
record_path(const DsStore *store, const char *domain, const char *name)
{
    g_autofree char *dir = ds_snapshot_record_dir(store, domain, name);

    return g_build_filename(dir, "snapshot.json", NULL);
}

/* The directories a record of @domain's snapshot @name is read through. */
static gboolean
refuse_links(const DsStore *store, const char *domain, const char *name, GError **error)
{
    g_autofree char *ddir = ds_store_domain_dir(store, domain);
    g_autofree char *sdir = g_build_filename(ddir, "snapshots", NULL);
    g_autofree char *dir = name ? g_build_filename(sdir, name, NULL) : NULL;

    return ds_store_refuse_link(ddir, error) && ds_store_refuse_link(sdir, error) &&
           (!dir || ds_store_refuse_link(dir, error));
}

/* A path of a record is one domsnap wrote: absolute, no "." or ".." in it
 * (a relative one would be taken from wherever domsnap runs). */
static gboolean
check_path(const char *path, const char *field, const char *where, GError **error)
{
    g_auto(GStrv) parts = NULL;

    if (!path)
        return TRUE;
    parts = g_strsplit(path, "/", -1);
    for (guint i = 0; path[0] == '/' && parts[i]; i++)
        if (!strcmp(parts[i], "..") || !strcmp(parts[i], "."))
            goto bad;
    if (path[0] == '/')
        return TRUE;
bad:
    g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                "%s: %s '%s' is not an absolute path without '.' and '..' (was the record "
                "edited?)", where, field, path);
    return FALSE;
}

/* What a record says of itself agrees with where it is, and its files are
 * named as domsnap names them. */
static gboolean
check_loaded(const DsSnapshotRecord *rec, const char *domain, const char *name,
             const char *where, GError **error)
{
    if (strcmp(rec->name, name) != 0 || strcmp(rec->domain, domain) != 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "%s: the record is of snapshot '%s' of domain '%s', not of '%s' of '%s' "
                    "(was it moved or edited?)", where, rec->name, rec->domain, name, domain);
        return FALSE;
    }
    if (!check_path(rec->dir, "dir", where, error) ||
        !check_path(rec->memory.file, "memory image", where, error))
        return FALSE;
    for (guint i = 0; rec->disks && i < rec->disks->len; i++) {
        const DsSnapshotDisk *d = rec->disks->pdata[i];
        if (!check_path(d->file, "disk image", where, error) ||
            !check_path(d->overlay, "overlay", where, error) ||
            !check_path(d->copy, "copy", where, error))
            return FALSE;
    }
    return TRUE;
}

static DsSnapshotRecord *
load_as(const DsRecordType *type, const DsStore *store, const char *domain,
        const char *name, GError **error)
{
    g_autoptr(DsSnapshotRecord) rec = g_new0(DsSnapshotRecord, 1);
    g_autoptr(GError) local = NULL;
    g_autofree char *path = NULL;

    if (!ds_name_check("snapshot", name, error) || !refuse_links(store, domain, name, error))
        return NULL;
    path = record_path(store, domain, name);
    if (!ds_record_load(type, path, rec, &local)) {
        if (g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND))
            g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                        "snapshot '%s' does not exist for domain '%s'", name, domain);
        else
            g_propagate_error(error, g_steal_pointer(&local));
        return NULL;
    }
    if (!check_loaded(rec, domain, name, path, error))
        return NULL;
    return g_steal_pointer(&rec);
}

DsSnapshotRecord *
ds_snapshot_record_load(const DsStore *store, const char *domain, const char *name,
                        GError **error)
{
    return load_as(&ds_snapshot_record_type, store, domain, name, error);
}

gboolean
ds_snapshot_record_exists(const DsStore *store, const char *domain, const char *name)
{
    g_autofree char *path = record_path(store, domain, name);

    return g_file_test(path, G_FILE_TEST_EXISTS);
}

gboolean
ds_snapshot_record_save(const DsStore *store, const DsSnapshotRecord *rec,
                        GError **error)
{
    g_autofree char *dir = ds_snapshot_record_dir(store, rec->domain, rec->name);
    g_autofree char *path = record_path(store, rec->domain, rec->name);

    if (!ds_mkdir_private(dir, error))
        return FALSE;
    return ds_record_save(&ds_snapshot_record_type, rec, path, error);
}

gboolean
ds_snapshot_record_delete(const DsStore *store, const char *domain, const char *name,
                          GError **error)
{
    g_autofree char *dir = ds_snapshot_record_dir(store, domain, name);
    g_autofree char *path = record_path(store, domain, name);

    if (unlink(path) < 0 && errno != ENOENT) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot remove '%s': %s", path,
                    g_strerror(errno));
        return FALSE;
    }
    /* The directory goes too if nothing else is in it (a disk-only
     * snapshot's): then its parent records the removal. */
    if (rmdir(dir) == 0)
        return ds_fsync_parent(dir, error);
    return ds_fsync_parent(path, error);
}

static gint
by_creation(gconstpointer a, gconstpointer b)
{
    const DsSnapshotRecord *x = *(DsSnapshotRecord *const *)a;
    const DsSnapshotRecord *y = *(DsSnapshotRecord *const *)b;

    if (x->creation_time != y->creation_time)
        return x->creation_time < y->creation_time ? -1 : 1;
    return strcmp(x->name, y->name);
}

GPtrArray *
ds_snapshot_record_list(const DsStore *store, const char *domain, GError **error)
{
    return ds_snapshot_record_list_as(store, domain, FALSE, error);
}

GPtrArray *
ds_snapshot_record_list_as(const DsStore *store, const char *domain, gboolean summary,
                           GError **error)
{
    g_autofree char *ddir = ds_store_domain_dir(store, domain);
    g_autofree char *sdir = g_build_filename(ddir, "snapshots", NULL);
    g_autoptr(GPtrArray) out =
        g_ptr_array_new_with_free_func((GDestroyNotify)ds_snapshot_record_free);
    DIR *d = NULL;
    struct dirent *e;

    if (!refuse_links(store, domain, NULL, error))
        return NULL;
    d = opendir(sdir);
    if (!d) {
        if (errno == ENOENT)
            return g_steal_pointer(&out); /* no snapshot yet */
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "domain '%s': cannot read its snapshots "
                    "'%s': %s", domain, sdir, g_strerror(errno));
        return NULL;
    }
    while ((e = readdir(d))) {
        g_autoptr(GError) local = NULL;
        DsSnapshotRecord *rec;

        if (e->d_name[0] == '.' || e->d_type == DT_LNK)
            continue;
        rec = load_as(summary ? &summary_type : &ds_snapshot_record_type, store, domain,
                      e->d_name, &local);
        if (!rec && g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND))
            continue; /* a directory of files only, not a snapshot */
        if (!rec) {
            /* One damaged record must not hide the others. */
            ds_log_warning("%s", local->message);
            continue;
        }
        g_ptr_array_add(out, rec);
    }
    closedir(d);
    g_ptr_array_sort(out, by_creation);
    return g_steal_pointer(&out);
}

const DsSnapshotDisk *
ds_snapshot_record_disk(const DsSnapshotRecord *rec, const char *vdev)
{
    for (guint i = 0; rec->disks && i < rec->disks->len; i++) {
        const DsSnapshotDisk *d = rec->disks->pdata[i];
        if (strcmp(d->vdev, vdev) == 0)
            return d;
    }
    return NULL;
}

const DsSnapshotRecord *
ds_snapshot_records_using(const GPtrArray *all, const char *file,
                          const DsSnapshotRecord *except, gboolean external_only)
{
    for (guint i = 0; all && i < all->len; i++) {
        const DsSnapshotRecord *r = all->pdata[i];
        if (r == except)
            continue;
        for (guint j = 0; r->disks && j < r->disks->len; j++) {
            const DsSnapshotDisk *d = r->disks->pdata[j];
            gboolean counts = external_only ? d->kind == DS_DISK_SNAP_EXTERNAL
                                            : d->kind != DS_DISK_SNAP_NO;
            if (counts && g_strcmp0(d->file, file) == 0)
                return r;
        }
    }
    return NULL;
}

static gboolean
in_dir(const char *file, const char *dir)
{
    g_autofree char *prefix = dir ? g_strconcat(dir, "/", NULL) : NULL;

    return prefix && g_str_has_prefix(file, prefix);
}

gboolean
ds_snapshot_file_is_domsnaps(const DsStore *store, const char *domain,
                             const GPtrArray *all, const char *file)
{
    g_autofree char *ddir = ds_store_domain_dir(store, domain);
    g_autofree char *sdir = g_build_filename(ddir, "snapshots", NULL);

    if (in_dir(file, sdir))
        return TRUE;
    for (guint i = 0; all && i < all->len; i++)
        if (in_dir(file, ((const DsSnapshotRecord *)all->pdata[i])->dir))
            return TRUE;
    return FALSE;
}
