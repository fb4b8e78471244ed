/*
 * domain_record: what domsnap records about a domain, in
 * LIB/domains/NAME/domain.json. The state (running, paused, ...) is not
 * recorded: it is asked of the driver, so it is never stale.
 */
#pragma once

#include <glib.h>

#include "formats/domain_config.h"
#include "store/lock.h"
#include "store/store.h"

/* (The record types' lists: formats/record.h.) */
#define DS_DOMAIN_RECORD(F, S) \
    F(DsDomainRecord, name, STRING, .required = TRUE) \
    F(DsDomainRecord, driver, STRING, .required = TRUE) /* "qemu" or "xen" */ \
    F(DsDomainRecord, id, INT)          /* like a Xen domid; -1 while shut off */ \
    F(DsDomainRecord, pid, INT)         /* the QEMU process; 0 while shut off */ \
    /* its start time in clock ticks (guards pid reuse) */ \
    F(DsDomainRecord, pid_start, INT) \
    F(DsDomainRecord, run_dir, STRING)  /* RUN/ID while it runs */ \
    F(DsDomainRecord, qmp_socket, STRING) \
    F(DsDomainRecord, start_time, INT)  /* seconds since the epoch */ \
    /* the parent of the next snapshot */ \
    F(DsDomainRecord, current_snapshot, STRING) \
    S(DsDomainRecord, DsDomainConfig, config, .sub = &ds_domain_config_type, .required = TRUE) \
    /* Counts the record's writes: a write is refused unless the record on \
     * disk is still the one this copy was read from (0: a new record, which \
     * must not exist yet). Records without it read as 1. */ \
    F(DsDomainRecord, generation, INT)

typedef struct {
    DS_RECORD_STRUCT(DS_DOMAIN_RECORD)
} DsDomainRecord;

extern const DsRecordType ds_domain_record_type;

/* A new record (generation 0: not written yet) of driver @driver for
 * @config, which it takes over; a config without a UUID gets a random one. */
DsDomainRecord *ds_domain_record_new(const char *driver, DsDomainConfig *config);
void ds_domain_record_free(DsDomainRecord *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsDomainRecord, ds_domain_record_free)

/*
 * NULL with DS_ERROR_NOT_FOUND if the domain has no record; a record that
 * exists but cannot be read is another error, never "not there".
 */
DsDomainRecord *ds_domain_record_load(const DsStore *store, const char *name,
                                      GError **error);

/*
 * Takes @name's lock (waiting up to @timeout_ms), then reads the record:
 * the only way to get a record that is to be written back. With
 * @may_be_absent, a missing record is no error: *@rec is NULL, the lock held.
 */
gboolean ds_domain_record_lock_load(const DsStore *store, const char *name, int timeout_ms,
                                    gboolean may_be_absent, DsLock **lock,
                                    DsDomainRecord **rec, GError **error);

/*
 * Writes @rec atomically. The caller must hold the domain's lock, and the
 * record on disk must be the one @rec was read from (its generation), or
 * absent for a new record: otherwise DS_ERROR_CONFLICT and nothing is
 * written, so no update is ever lost. Bumps @rec's generation.
 */
gboolean ds_domain_record_save(const DsStore *store, DsDomainRecord *rec,
                               GError **error);
/* Removes the domain's directory; the caller holds its lock. */
gboolean ds_domain_record_delete(const DsStore *store, const char *name,
                                 GError **error);

/* Finds a domain by name or by id; checks the name first. */
DsDomainRecord *ds_domain_record_find(const DsStore *store, const char *domain,
                                      GError **error);

/* The lowest id no running domain has (ids start at 1, like domUs). */
gint64 ds_domain_record_free_id(const DsStore *store, GError **error);
