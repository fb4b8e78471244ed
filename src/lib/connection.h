/* What the library's files share about a connection. */
#pragma once

#include "domsnap.h"
#include "drivers/driver.h"
#include "store/domain_record.h"
#include "store/lock.h"
#include "store/store.h"

struct _DsConnection {
    DsStore *store;
    int lock_timeout_ms;
    char *driver; /* for domains domsnap has not recorded yet */
};

/*
 * Finds a domain by name or id. Under a driver whose domains another
 * toolstack starts (xen: xl), a domain it has and domsnap has not recorded
 * is recorded now, and a recorded one is brought up to date (id, config).
 */
DsDomainRecord *ds_conn_find_domain(DsConnection *conn, const char *domain, GError **error);

/* Loads a domain (by name or id) with its lock held in *@lock. */
DsDomainRecord *ds_conn_lock_domain(DsConnection *conn, const char *domain,
                                    DsLock **lock, GError **error);

/* The record's state, asked of its driver. */
gboolean ds_conn_domain_state(const DsDomainRecord *rec, DsDomainState *state,
                              GError **error);

/* Fails with DS_ERROR_STATE unless the domain is running or paused. */
/* Whether the hypervisor holds something of the domain (a QEMU process, a
 * Xen domain), whatever the guest's state: what destroy removes. */
gboolean ds_conn_has_instance(const DsDomainRecord *rec);

gboolean ds_conn_require_active(const DsDomainRecord *rec, DsDomainState *state,
                                GError **error);

/*
 * Starts @rec's config: allocates an id and a run directory, starts it, and
 * records it. On failure nothing is left running and the record is as it was.
 */
gboolean ds_conn_start_domain(DsConnection *conn, DsDomainRecord *rec,
                              DsStartFlags flags, GError **error);

/*
 * Stops @rec's QEMU (if any is left), removes its runtime files, and
 * records it as shut off.
 */
gboolean ds_conn_finish_stopped(DsConnection *conn, DsDomainRecord *rec,
                                GError **error);
