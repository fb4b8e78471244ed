/*
 * snapshot_config: the Xen design's snapshot config file, in xl.cfg syntax.
 *
 *   name = "before-upgrade"
 *   description = "..."
 *   memory = "external"            # or "internal", "no"
 *   memory_path = "/srv/snap/mem.img"
 *   disks = [ "/srv/snap/xvda.qcow2,qcow2,xvda",   # external overlay there
 *             ",,xvdb",                            # internal
 *             ",,xvdc,no" ]                        # left out
 *
 * and the libxl snapshot document's keys, in the same syntax:
 *
 *   creationtime = "1397207580"    # the record's creation time (not in the future)
 *   type = "internal"              # or "external": every disk so by default;
 *                                  # with type= and no memory=, disks only
 *   memory = "yes"                 # external memory, default place; or a path
 *   disk = [ "hda=/srv/snap/<domain_uuid>/hda.qcow2,type=qcow2", "hdc" ]
 *
 * Paths may hold <domain_uuid> and <domain_name> (ds_snapshot_path_expand);
 * one disk described by both disks= and disk= is refused.
 *
 * KEY=VALUE lines from the command line are appended, as for domains.
 */
#pragma once

#include <glib.h>

#include "formats/snapshot_types.h"
#include "formats/xlcfg.h"

extern const char *const ds_snapshot_config_keys[];

/* Applies a parsed snapshot config to @req (which holds the CLI options). */
gboolean ds_snapshot_config_apply(const DsCfg *cfg, DsSnapshotRequest *req, GError **error);

/* Parses @path (may be NULL) plus @overrides into @req. */
gboolean ds_snapshot_config_load(const char *path, const char *const *overrides,
                                 DsSnapshotRequest *req, GError **error);
