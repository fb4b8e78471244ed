#include "journal.h"

#include <errno.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>

#include "domsnap.h"
#include "formats/snapshot_types.h"
#include "util/ds_file.h"

DS_ENUM_TABLE(ds_journal_op_table, "journal operation",
              "snapshot-create", "snapshot-revert", "snapshot-delete");

static const DsField fields[] = { DS_RECORD_FIELDS(DS_JOURNAL) { NULL } };
const DsRecordType ds_journal_type = { "journal", sizeof(DsJournal), fields };

void
ds_journal_free(DsJournal *j)
{
    ds_record_free(&ds_journal_type, j);
}

static char *
journal_path(const DsStore *store, const char *domain)
{
    g_autofree char *dir = ds_store_domain_dir(store, domain);

    return g_build_filename(dir, "journal.json", NULL);
}

gboolean
ds_journal_write(const DsStore *store, const char *domain, const DsJournal *j,
                 GError **error)
{
    g_autofree char *path = journal_path(store, domain);
    json_object *obj = ds_record_to_json(&ds_journal_type, j);
    const char *text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE);
    /* No fsync: it guards against domsnap being killed, and it is rewritten
     * inside the guest's pause. A host that loses power loses the guest too. */
    gboolean ok = ds_file_replace(path, text, strlen(text), error);

    json_object_put(obj);
    return ok;
}

DsJournal *
ds_journal_load(const DsStore *store, const char *domain, GError **error)
{
    g_autofree char *path = journal_path(store, domain);
    g_autoptr(DsJournal) j = g_new0(DsJournal, 1);
    g_autoptr(GError) local = NULL;

    if (!ds_record_load(&ds_journal_type, path, j, &local)) {
        if (g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND))
            return NULL;
        g_propagate_error(error, g_steal_pointer(&local));
        return NULL;
    }
    return g_steal_pointer(&j);
}

gboolean
ds_journal_remove(const DsStore *store, const char *domain, GError **error)
{
    g_autofree char *path = journal_path(store, domain);

    if (unlink(path) < 0 && errno != ENOENT) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot remove '%s': %s", path,
                    g_strerror(errno));
        return FALSE;
    }
    return ds_fsync_parent(path, error);
}

static void
test_kill_point(const DsJournal *j, const char *step)
{
    const char *kill_at = g_getenv("DOMSNAP_TEST_KILL_AT_STEP");
    g_autofree char *here = kill_at ? g_strdup_printf("%s:%s", ds_enum_to_string(&ds_journal_op_table, j->op), step) : NULL;

    if (kill_at && g_strcmp0(kill_at, here) == 0)
        kill(getpid(), SIGKILL);
}

void
ds_journal_step_unwritten(DsJournal *j, const char *step)
{
    g_free(j->step);
    j->step = g_strdup(step);
    test_kill_point(j, step);
}

gboolean
ds_journal_step(const DsStore *store, const char *domain, DsJournal *j, const char *step,
                GError **error)
{
    g_free(j->step);
    j->step = g_strdup(step);
    j->pid = getpid();
    if (!ds_journal_write(store, domain, j, error))
        return FALSE;
    test_kill_point(j, step);
    return TRUE;
}
