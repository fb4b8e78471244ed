/*
 * check.c: `domsnap check [DOM] [--repair]`: interrupted operations (the
 * journal) and orphan files (in the snapshot directories, referred to by no
 * record, disk or backing chain).
 */
#include "connection.h"

#include <string.h>
#include <unistd.h>

#include "engine/journal_repair.h"
#include "image/image.h"
#include "store/journal.h"
#include "store/snapshot_record.h"
#include "util/ds_file.h"

static void
refer(GHashTable *refs, const char *file)
{
    g_autofree char *cur = g_strdup(file);

    /* The image and every image under it. */
    for (guint depth = 0; cur && depth < 4096; depth++) {
        g_auto(DsImageInfo) info = { 0 };
        if (g_hash_table_contains(refs, cur) || !g_file_test(cur, G_FILE_TEST_IS_REGULAR)) {
            g_hash_table_add(refs, g_strdup(cur));
            return;
        }
        g_hash_table_add(refs, g_strdup(cur));
        if (!ds_image_info(cur, &info, NULL))
            return;
        g_free(cur);
        cur = g_steal_pointer(&info.backing);
    }
}

static GHashTable *
referenced_files(DsConnection *conn, const DsDomainRecord *dom)
{
    GHashTable *refs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GPtrArray) all = ds_snapshot_record_list(conn->store, dom->name, NULL);

    for (guint i = 0; dom->config.disks && i < dom->config.disks->len; i++)
        refer(refs, ((DsDomainDisk *)dom->config.disks->pdata[i])->pdev_path);
    for (guint i = 0; all && i < all->len; i++) {
        const DsSnapshotRecord *r = all->pdata[i];
        if (r->memory.file)
            g_hash_table_add(refs, g_strdup(r->memory.file));
        for (guint j = 0; r->disks && j < r->disks->len; j++) {
            const DsSnapshotDisk *d = r->disks->pdata[j];
            if (d->file)
                refer(refs, d->file);
            if (d->overlay)
                refer(refs, d->overlay);
            if (d->copy)
                g_hash_table_add(refs, g_strdup(d->copy));
        }
        for (guint j = 0; r->config.disks && j < r->config.disks->len; j++)
            refer(refs, ((DsDomainDisk *)r->config.disks->pdata[j])->pdev_path);
    }
    return refs;
}

static void
check_orphans(DsConnection *conn, const DsDomainRecord *dom, gboolean repair,
              GPtrArray *report, guint *problems)
{
    g_autoptr(GHashTable) refs = referenced_files(conn, dom);
    g_autofree char *ddir = ds_store_domain_dir(conn->store, dom->name);
    g_autofree char *sdir = g_build_filename(ddir, "snapshots", NULL);
    GDir *top = g_dir_open(sdir, 0, NULL);
    const char *n;

    while (top && (n = g_dir_read_name(top))) {
        g_autofree char *dir = g_build_filename(sdir, n, NULL);
        GDir *d = g_dir_open(dir, 0, NULL);
        const char *f;
        while (d && (f = g_dir_read_name(d))) {
            g_autofree char *path = g_build_filename(dir, f, NULL);
            if (!strcmp(f, "snapshot.json") || g_hash_table_contains(refs, path) ||
                !g_file_test(path, G_FILE_TEST_IS_REGULAR))
                continue;
            (*problems)++;
            g_ptr_array_add(report, g_strdup_printf(
                "domain '%s': orphan file '%s' (no snapshot, disk or backing chain refers "
                "to it)%s", dom->name, path, repair ? ": removed" : ""));
            if (repair)
                unlink(path);
        }
        if (d)
            g_dir_close(d);
        if (repair)
            rmdir(dir); /* only if nothing is left */
    }
    if (top)
        g_dir_close(top);
}

static gboolean
check_domain(DsConnection *conn, const char *name, gboolean repair, GPtrArray *report,
             guint *problems, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(DsLock) lock = ds_lock_domain(conn->store, name, 0, &local);
    g_autoptr(DsDomainRecord) dom = NULL;
    g_autoptr(DsJournal) j = NULL;

    if (!lock) {
        g_ptr_array_add(report, g_strdup_printf("domain '%s': skipped: %s", name, local->message));
        return TRUE;
    }
    dom = ds_domain_record_load(conn->store, name, error);
    /* A domain of a driver that is not built in is an error, not a pass. */
    if (!dom || !ds_driver_get(dom->driver, error))
        return FALSE;
    j = ds_journal_load(conn->store, name, &local);
    if (local) {
        /* Without the journal, files in flight cannot be told from orphans. */
        (*problems)++;
        g_ptr_array_add(report, g_strdup_printf("domain '%s': unreadable journal, nothing "
                                                "repaired: %s", name, local->message));
        return TRUE;
    }
    if (j) {
        g_autofree char *what = NULL;
        g_autofree char *desc = ds_journal_describe(j);
        (*problems)++;
        g_ptr_array_add(report, g_strdup_printf("domain '%s': %s", name, desc));
        if (repair) {
            if (!ds_journal_repair(conn->store, conn->lock_timeout_ms, dom, j, &what, error))
                return FALSE;
            g_ptr_array_add(report, g_strdup_printf("domain '%s': repaired: %s", name, what));
            g_clear_pointer(&dom, ds_domain_record_free);
            dom = ds_domain_record_load(conn->store, name, error);
            if (!dom)
                return FALSE;
        }
    }
    check_orphans(conn, dom, repair, report, problems);
    return TRUE;
}

gboolean
ds_check(DsConnection *conn, const char *domain, gboolean repair, GPtrArray *report,
         guint *problems, GError **error)
{
    g_autoptr(GPtrArray) names = NULL;

    *problems = 0;
    if (domain) {
        g_autoptr(DsDomainRecord) dom = ds_conn_find_domain(conn, domain, error);
        return dom && check_domain(conn, dom->name, repair, report, problems, error);
    }
    names = ds_store_list_domains(conn->store, error);
    if (!names)
        return FALSE;
    for (guint i = 0; i < names->len; i++)
        if (!check_domain(conn, names->pdata[i], repair, report, problems, error))
            return FALSE;
    return TRUE;
}
