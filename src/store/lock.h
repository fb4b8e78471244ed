/*
 * lock: one lock per domain (flock on LIB/locks/NAME.lock), so that two
 * domsnap operations on the same domain never interleave. A second one
 * waits up to its timeout, then fails naming the holder.
 */
#pragma once

#include <glib.h>

#include "store/store.h"

typedef struct _DsLock DsLock;

/* @timeout_ms 0: fail at once if the lock is held. */
DsLock *ds_lock_domain(const DsStore *store, const char *name, int timeout_ms,
                       GError **error);
void ds_lock_release(DsLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsLock, ds_lock_release)

/* Whether this process holds @name's lock (records are written only then). */
gboolean ds_lock_domain_held(const DsStore *store, const char *name);

/* A lock over the whole store: name and id allocation. */
DsLock *ds_lock_store(const DsStore *store, int timeout_ms, GError **error);

/* The lock timeout from $DOMSNAP_LOCK_TIMEOUT (seconds), default 30 s. */
int ds_lock_default_timeout_ms(void);
