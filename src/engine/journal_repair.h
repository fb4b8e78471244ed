/*
 * journal_repair: finishes or undoes what a killed domsnap left in its
 * journal. A create is rolled back (the domain back on its original disks,
 * running if it was, no record or file of the snapshot), unless it had
 * finished; a revert is rolled back (the domain shut off on the disks it had,
 * their state restored) unless it had finished; a delete is finished.
 */
#pragma once

#include "store/domain_record.h"
#include "store/journal.h"
#include "store/store.h"

/* *@what: a sentence for the user about what was done. */
gboolean ds_journal_repair(DsStore *store, int lock_timeout_ms, DsDomainRecord *dom,
                           const DsJournal *j, char **what, GError **error);

/* "interrupted snapshot-create of 's1' (before step 'pause', pid 123)" */
char *ds_journal_describe(const DsJournal *j);
