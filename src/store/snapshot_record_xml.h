/*
 * snapshot_record_xml: a domsnap snapshot record as libvirt domainsnapshot
 * XML (what `snapshot-dumpxml` prints), written by formats/snapshot_xml,
 * with the domain config as formats/domain_xml makes it.
 */
#pragma once

#include <glib.h>

#include "store/snapshot_record.h"

/* @with_domain: the whole <domain>, as the driver named @driver runs it;
 * otherwise only its <uuid>. */
char *ds_snapshot_record_to_xml(const DsSnapshotRecord *rec, const char *driver,
                                gboolean with_domain);

/* The libvirt <state> of a snapshot: running, paused, shutoff, disk-snapshot. */
const char *ds_snapshot_record_libvirt_state(const DsSnapshotRecord *rec);
