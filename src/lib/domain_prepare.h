/*
 * domain_prepare: what a domain domsnap creates gets once, at `domsnap
 * create`, and keeps for its whole life (across start, restart, revert):
 * its NICs' MAC addresses and, with bios = "ovmf", its UEFI variable store
 * (LIB/domains/NAME/nvram.qcow2, recorded as a disk). All of it is recorded
 * in its config, so a snapshot carries it too.
 */
#pragma once

#include "connection.h"

/*
 * Fills in @rec's config as above, making the files (none with @dry_run,
 * which only says where they would be).
 */
gboolean ds_domain_prepare(DsConnection *conn, DsDomainRecord *rec, gboolean dry_run,
                           GError **error);

/*
 * ds_domain_prepare(), then starts the domain; if it does not start, the
 * files prepare made are removed again: a create that fails leaves nothing.
 */
gboolean ds_domain_prepare_and_start(DsConnection *conn, DsDomainRecord *rec,
                                     DsStartFlags flags, GError **error);
