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

static json_object *
make_object(const char *key, json_object *value)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, key, value);
    return o;
}

/*
 * Saving to a file has no network to be gentle with: lift the cap. Tests
 * that must catch a save in the middle slow it down on purpose with
 * $DOMSNAP_TEST_MIGRATE_BANDWIDTH (bytes per second).
 */
static gboolean
set_unthrottled(DsQmp *qmp, GError **error)
{
    const char *test = g_getenv("DOMSNAP_TEST_MIGRATE_BANDWIDTH");
    gint64 bw = test && *test ? g_ascii_strtoll(test, NULL, 10) : G_MAXINT64 / 2;
    json_object *args = make_object("max-bandwidth", json_object_new_int64(bw));

    return ds_qmp_run(qmp, "migrate-set-parameters", args, error);
}

typedef struct {
    char *status;
    guint64 transferred;
    guint64 total;
    char *error_desc;
} MigrationInfo;

static void
migration_info_clear(MigrationInfo *mi)
{
    g_free(mi->status);
    g_free(mi->error_desc);
}

static gboolean
query_migrate(DsQmp *qmp, MigrationInfo *mi, GError **error)
{
    json_object *r = ds_qmp_command(qmp, "query-migrate", NULL, error);
    json_object *v = NULL, *ram = NULL;

    if (!r)
        return FALSE;
    if (json_object_object_get_ex(r, "status", &v))
        mi->status = g_strdup(json_object_get_string(v));
    if (json_object_object_get_ex(r, "error-desc", &v))
        mi->error_desc = g_strdup(json_object_get_string(v));
    if (json_object_object_get_ex(r, "ram", &ram)) {
        if (json_object_object_get_ex(ram, "transferred", &v))
            mi->transferred = json_object_get_int64(v);
        if (json_object_object_get_ex(ram, "total", &v))
            mi->total = json_object_get_int64(v);
    }
    json_object_put(r);
    return TRUE;
}

/* Polls query-migrate until the migration ends; reports progress. */
gboolean
ds_qemu_migration_wait(const char *who, DsQmp *qmp, const char *what,
                       DsProgressFunc progress, gpointer opaque, GError **error)
{
    for (;;) {
        MigrationInfo mi = { 0 };
        gboolean ok = query_migrate(qmp, &mi, error);

        if (ok && g_strcmp0(mi.status, "completed") == 0) {
            if (progress)
                progress(mi.total, mi.total, opaque);
            migration_info_clear(&mi);
            return TRUE;
        }
        if (ok && (g_strcmp0(mi.status, "failed") == 0 ||
                   g_strcmp0(mi.status, "cancelled") == 0)) {
            g_set_error(error, DS_ERROR, DS_ERROR_FAILED,
                        "domain '%s': %s %s: %s", who, what, mi.status,
                        mi.error_desc ? mi.error_desc : "QEMU gave no reason");
            ok = FALSE;
        }
        if (ok && progress && mi.total)
            progress(MIN(mi.transferred, mi.total), mi.total, opaque);
        migration_info_clear(&mi);
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
    json_object *caps = json_object_new_array();
    json_object *cap = json_object_new_object();

    json_object_object_add(cap, "capability", json_object_new_string("background-snapshot"));
    json_object_object_add(cap, "state", json_object_new_boolean(background));
    json_object_array_add(caps, cap);
    return ds_qmp_run(qmp, "migrate-set-capabilities", make_object("capabilities", caps), error) &&
           set_unthrottled(qmp, error) && ds_qmp_getfd(qmp, fd, FDNAME, error);
}

/* Starts the write prepared by ds_qemu_migration_prepare(). */
gboolean
ds_qemu_migration_start(DsQmp *qmp, GError **error)
{
    return ds_qmp_run(qmp, "migrate", make_object("uri", json_object_new_string("fd:" FDNAME)),
                      error);
}

gboolean
ds_qemu_save_memory(const DsDomainRecord *rec, int fd, DsProgressFunc progress,
                    gpointer opaque, GError **error)
{
    g_autoptr(DsQmp) qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, error);

    if (!qmp || !ds_qmp_run(qmp, "stop", NULL, error) ||
        !ds_qemu_migration_prepare(qmp, fd, FALSE, error) ||
        !ds_qemu_migration_start(qmp, error))
        return FALSE;
    if (!ds_qemu_migration_wait(rec->name, qmp, "saving memory", progress, opaque, error)) {
        ds_qmp_run(qmp, "migrate_cancel", NULL, NULL);
        return FALSE;
    }
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
        g_autofree char *status = ds_qemu_query_status(qmp, &local);

        if (!status) {
            if (g_error_matches(local, DS_ERROR, DS_ERROR_QEMU_GONE))
                g_set_error(error, DS_ERROR, DS_ERROR_QEMU_GONE,
                            "domain '%s': QEMU exited while loading memory "
                            "(the memory image is damaged or does not match the config)",
                            rec->name);
            else
                g_propagate_error(error, g_steal_pointer(&local));
            return FALSE;
        }
        if (strcmp(status, "inmigrate") != 0)
            break;
        if (progress && total) {
            off_t pos = lseek(fd, 0, SEEK_CUR);
            progress(MIN((guint64)(pos - start), total), total, opaque);
        }
        g_usleep(POLL_US);
    }
    {
        MigrationInfo mi = { 0 };
        gboolean ok = query_migrate(qmp, &mi, error);
        if (ok && g_strcmp0(mi.status, "failed") == 0) {
            g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "domain '%s': loading memory failed: %s",
                        rec->name, mi.error_desc ? mi.error_desc : "QEMU gave no reason");
            ok = FALSE;
        }
        migration_info_clear(&mi);
        if (ok && progress)
            progress(total, total, opaque);
        return ok;
    }
}

gboolean
ds_qemu_load_memory(const DsDomainRecord *rec, int fd, guint64 total,
                    DsProgressFunc progress, gpointer opaque, GError **error)
{
    g_autoptr(DsQmp) qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, error);
    json_object *args;

    if (!qmp || !ds_qmp_getfd(qmp, fd, FDNAME, error))
        return FALSE;
    args = make_object("uri", json_object_new_string("fd:" FDNAME));
    if (!ds_qmp_run(qmp, "migrate-incoming", args, error))
        return FALSE;
    return wait_loaded(rec, qmp, fd, total, progress, opaque, error);
}
