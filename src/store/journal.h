/*
 * journal: what a snapshot operation is doing, written before each of its
 * steps (LIB/domains/DOM/journal.json, atomically, 0600), and removed when
 * it ends. If domsnap is killed, the journal says what to finish or undo:
 * `domsnap check --repair` does it.
 */
#pragma once

#include <glib.h>

#include "formats/domain_config.h"
#include "store/store.h"

/* The operation a journal belongs to; its string is the command's name. */
typedef enum {
    DS_JOURNAL_SNAPSHOT_CREATE,
    DS_JOURNAL_SNAPSHOT_REVERT,
    DS_JOURNAL_SNAPSHOT_DELETE,
} DsJournalOp;

extern const DsEnumTable ds_journal_op_table;

/* (The record types' lists: formats/record.h.) */
#define DS_JOURNAL(F, S) \
    F(DsJournal, op, ENUM, .enums = &ds_journal_op_table, .required = TRUE) \
    F(DsJournal, snapshot, STRING, .required = TRUE) \
    /* the step about to run; "done" once it has all run */ \
    F(DsJournal, step, STRING) \
    F(DsJournal, pid, INT) \
    F(DsJournal, was_running, BOOL) \
    /* snapshot-create: the guest's filesystems may be frozen */ \
    F(DsJournal, quiesce, BOOL) \
    F(DsJournal, live, ENUM, .enums = &ds_live_mode_table) /* of a create */ \
    F(DsJournal, flags, INT)            /* DsDeleteFlags of a delete */ \
    /* files this operation makes (removed on rollback) */ \
    F(DsJournal, created, STRV) \
    /* a directory it makes (removed if left empty) */ \
    F(DsJournal, created_dir, STRING) \
    /* images that get an internal snapshot named @snapshot */ \
    F(DsJournal, internal_files, STRV) \
    F(DsJournal, overlays, STRV)        /* online: overlays put on top of ... */ \
    F(DsJournal, bases, STRV)           /* ... these images */ \
    /* revert: images moved aside to FILE.domsnap-before-revert before a \
     * snapshot's copy took their place */ \
    F(DsJournal, kept, STRV) \
    /* the domain's config before (revert), libxl-json */ \
    F(DsJournal, before, JSON)

typedef struct {
    DS_RECORD_STRUCT(DS_JOURNAL)
} DsJournal;

extern const DsRecordType ds_journal_type;

void ds_journal_free(DsJournal *j);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsJournal, ds_journal_free)

gboolean ds_journal_write(const DsStore *store, const char *domain, const DsJournal *j,
                          GError **error);
/* NULL and no error if there is none. */
DsJournal *ds_journal_load(const DsStore *store, const char *domain, GError **error);
gboolean ds_journal_remove(const DsStore *store, const char *domain, GError **error);

/*
 * Writes @j with @step as the step about to run; with
 * $DOMSNAP_TEST_KILL_AT_STEP=OP:STEP (tests) domsnap then kills itself.
 */
gboolean ds_journal_step(const DsStore *store, const char *domain, DsJournal *j,
                         const char *step, GError **error);

/* The same without writing: for steps inside the guest's pause, when the
 * journal already holds all a repair needs and only the step name changes. */
void ds_journal_step_unwritten(DsJournal *j, const char *step);
