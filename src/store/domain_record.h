/*
 * domain_record: what domsnap records about a domain, in
 * LIB/domains/NAME/domain.json. The state (running, paused, ...) is not
 * recorded: it is asked of the driver, so it is never stale.
 */
#pragma once

#include <glib.h>

#include "formats/domain_config.h"
#include "store/store.h"

typedef struct {
    char *name;
    char *driver;        /* "qemu" */
    gint64 id;           /* like a Xen domid; -1 while shut off */
    gint64 pid;          /* the QEMU process; 0 while shut off */
    gint64 pid_start;    /* its start time in clock ticks (guards pid reuse) */
    char *run_dir;       /* RUN/ID while it runs */
    char *qmp_socket;
    gint64 start_time;   /* seconds since the epoch */
    char *current_snapshot; /* the parent of the next snapshot */
    DsDomainConfig config;
} DsDomainRecord;

extern const DsRecordType ds_domain_record_type;

void ds_domain_record_free(DsDomainRecord *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsDomainRecord, ds_domain_record_free)

/* NULL with DS_ERROR_NOT_FOUND if the domain has no record. */
DsDomainRecord *ds_domain_record_load(const DsStore *store, const char *name,
                                      GError **error);
gboolean ds_domain_record_save(const DsStore *store, const DsDomainRecord *rec,
                               GError **error);
gboolean ds_domain_record_delete(const DsStore *store, const char *name,
                                 GError **error);

/* Finds a domain by name or by id; checks the name first. */
DsDomainRecord *ds_domain_record_find(const DsStore *store, const char *domain,
                                      GError **error);

/* The lowest id no running domain has (ids start at 1, like domUs). */
gint64 ds_domain_record_free_id(const DsStore *store, GError **error);
