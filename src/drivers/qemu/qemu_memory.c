/*
 * qemu_memory.c: guest memory to and from a file, through QEMU's migration.
 *
 * domsnap opens the file (mode 0600) and hands QEMU the descriptor (getfd,
 * then an "fd:" URI): QEMU never opens a path, so it cannot be tricked into
 * writing somewhere else, and the file's offset is shared, so domsnap can
 * put its own header before the stream and see how far the load has got.
 */
#include "qemu_driver.h"

#include <string.h>
#include <unistd.h>

#define FDNAME "domsnap-memory"
#define POLL_US 20000

/*
 * Saving to a file has no network to be gentle with: lift the cap. Tests
 * that must catch a save in the middle slow it down on purpose with
 * $DOMSNAP_TEST_MIGRATE_BANDWIDTH (bytes per second).
 */
static gboolean
set_unthrottled(DsQmp *qmp, GError **error)
{
    const char *test = g_getenv("DOMSNAP_TEST_MIGRATE_BANDWIDTH");
    DsQmpMigrateParameters params = {
        .max_bandwidth = test && *test ? g_ascii_strtoll(test, NULL, 10) : G_MAXINT64 / 2,
    };

    return ds_qmp_migrate_set_parameters(qmp, &params, error);
}

/* Polls query-migrate until the migration ends; reports progress. */
gboolean
ds_qemu_migration_wait(const char *who, DsQmp *qmp, const char *what,
                       DsProgressFunc progress, gpointer opaque, GError **error)
{
    for (;;) {
        g_auto(DsQmpMigrationInfo) mi = { 0 };
        gboolean ok = ds_qmp_query_migrate(qmp, &mi, error);

        if (ok && g_strcmp0(mi.status, "completed") == 0) {
            if (progress)
                progress(mi.ram_total, mi.ram_total, opaque);
            return TRUE;
        }
        if (ok && (g_strcmp0(mi.status, "failed") == 0 ||
                   g_strcmp0(mi.status, "cancelled") == 0)) {
            g_set_error(error, DS_ERROR, DS_ERROR_FAILED,
                        "domain '%s': %s %s: %s", who, what, mi.status,
                        mi.error_desc ? mi.error_desc : "QEMU gave no reason");
            ok = FALSE;
        }
        if (ok && progress && mi.ram_total)
            progress(MIN(mi.ram_transferred, mi.ram_total), mi.ram_total, opaque);
        if (!ok)
            return FALSE;
        g_usleep(POLL_US);
    }
}

/*
 * Starts writing memory to @fd. Capabilities are set every time: a QEMU
 * keeps them from one migration to the next.
 */
gboolean
ds_qemu_migration_prepare(DsQmp *qmp, int fd, gboolean background, GError **error)
{
    DsQmpMigrationCapabilityStatus cap = { "background-snapshot", background };

    return ds_qmp_migrate_set_capabilities(qmp, &cap, 1, error) &&
           set_unthrottled(qmp, error) && ds_qmp_getfd(qmp, fd, FDNAME, error);
}

/* Starts the write prepared by ds_qemu_migration_prepare(). */
gboolean
ds_qemu_migration_start(DsQmp *qmp, GError **error)
{
    return ds_qmp_migrate(qmp, "fd:" FDNAME, error);
}

gboolean
ds_qemu_save_memory(const DsDomainRecord *rec, int fd, DsProgressFunc progress,
                    gpointer opaque, GError **error)
{
    g_autoptr(DsQmp) qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, error);

    if (!qmp || !ds_qmp_stop(qmp, error) ||
        !ds_qemu_migration_prepare(qmp, fd, FALSE, error) ||
        !ds_qemu_migration_start(qmp, error))
        return FALSE;
    if (!ds_qemu_migration_wait(rec->name, qmp, "saving memory", progress, opaque, error)) {
        ds_qmp_migrate_cancel(qmp, NULL);
        return FALSE;
    }
    return TRUE;
}

/* After "inmigrate": did the load succeed? */
static gboolean
loaded(const DsDomainRecord *rec, DsQmp *qmp, guint64 total, DsProgressFunc progress,
       gpointer opaque, GError **error)
{
    g_auto(DsQmpMigrationInfo) mi = { 0 };

    if (!ds_qmp_query_migrate(qmp, &mi, error))
        return FALSE;
    if (g_strcmp0(mi.status, "failed") == 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "domain '%s': loading memory failed: %s",
                    rec->name, mi.error_desc ? mi.error_desc : "QEMU gave no reason");
        return FALSE;
    }
    if (progress)
        progress(total, total, opaque);
    return TRUE;
}

/* The incoming side: QEMU leaves "inmigrate" when the stream is loaded. */
static gboolean
wait_loaded(const DsDomainRecord *rec, DsQmp *qmp, int fd, guint64 total,
            DsProgressFunc progress, gpointer opaque, GError **error)
{
    off_t start = lseek(fd, 0, SEEK_CUR);

    for (;;) {
        g_autoptr(GError) local = NULL;
        g_auto(DsQmpStatusInfo) status = { 0 };

        if (!ds_qmp_query_status(qmp, &status, &local)) {
            if (g_error_matches(local, DS_ERROR, DS_ERROR_QEMU_GONE))
                g_set_error(error, DS_ERROR, DS_ERROR_QEMU_GONE,
                            "domain '%s': QEMU exited while loading memory "
                            "(the memory image is damaged or does not match the config)",
                            rec->name);
            else
                g_propagate_error(error, g_steal_pointer(&local));
            return FALSE;
        }
        if (strcmp(status.status, "inmigrate") != 0)
            break;
        if (progress && total) {
            off_t pos = lseek(fd, 0, SEEK_CUR);
            progress(MIN((guint64)(pos - start), total), total, opaque);
        }
        g_usleep(POLL_US);
    }
    return loaded(rec, qmp, total, progress, opaque, error);
}

gboolean
ds_qemu_load_memory(const DsDomainRecord *rec, int fd, guint64 total,
                    DsProgressFunc progress, gpointer opaque, GError **error)
{
    g_autoptr(DsQmp) qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, error);

    if (!qmp || !ds_qmp_getfd(qmp, fd, FDNAME, error) ||
        !ds_qmp_migrate_incoming(qmp, "fd:" FDNAME, error))
        return FALSE;
    return wait_loaded(rec, qmp, fd, total, progress, opaque, error);
}
