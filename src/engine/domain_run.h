/*
 * domain_run: starting and stopping a recorded domain, with its id, its
 * runtime directory and its record kept right. Used by the library's
 * lifecycle calls and by snapshot revert.
 */
#pragma once

#include "drivers/driver.h"
#include "store/domain_record.h"
#include "store/store.h"

/*
 * Allocates an id and a run directory, starts @rec's config, and records
 * it. On failure nothing is left running and the record file is untouched.
 */
gboolean ds_domain_run_start(DsStore *store, int lock_timeout_ms, DsDomainRecord *rec,
                             DsStartFlags flags, GError **error);

/*
 * For a driver whose hypervisor creates the domain and loads its memory in
 * one call (xen): creates @rec's domain from memory read from @fd (-1: a
 * cold boot), running unless @paused, and records it.
 */
gboolean ds_domain_run_restore(DsStore *store, DsDomainRecord *rec, int fd, gboolean paused,
                               GError **error);

/* Stops @rec's QEMU if any is left, removes its runtime files, records it
 * as shut off. */
gboolean ds_domain_run_stop(DsStore *store, DsDomainRecord *rec, GError **error);

/* Stops what ds_domain_run_start started, without touching the record file. */
void ds_domain_run_abandon(DsDomainRecord *rec);
