/*
 * snapshot_record_xml: a domsnap snapshot record as libvirt domainsnapshot
 * XML (what `snapshot-dumpxml` prints), and the domain config as libvirt
 * <domain> XML. The domain carries domsnap's own config in its <metadata>,
 * so that `snapshot-create --redefine` of this XML restores the record
 * exactly.
 */
#pragma once

#include <glib.h>

#include "store/snapshot_record.h"

#define DS_XML_NAMESPACE "urn:domsnap:snapshot:1"

/* @with_domain: the whole <domain>; otherwise only its <uuid>. */
char *ds_snapshot_record_to_xml(const DsSnapshotRecord *rec, gboolean with_domain);

/* The libvirt <state> of a snapshot: running, paused, shutoff, disk-snapshot. */
const char *ds_snapshot_record_libvirt_state(const DsSnapshotRecord *rec);
