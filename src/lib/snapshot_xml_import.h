/* libvirt domainsnapshot XML into domsnap: a request, or a redefined record. */
#pragma once

#include "lib/connection.h"
#include "formats/snapshot_types.h"
#include "formats/snapshot_xml.h"

/* Fills @req from @def (name, description, memory, disks). */
gboolean ds_xml_to_request(const DsSnapshotXml *def, const char *path,
                           DsSnapshotRequest *req, GError **error);

/* Records the snapshot @path describes, whose files must all exist. */
gboolean ds_xml_redefine(DsConnection *conn, const char *domain, const char *path,
                         char **name_out, GError **error);
