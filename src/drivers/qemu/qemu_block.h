/* qemu_block: questions about a QEMU's block graph, over any QMP
 * connection (domsnap's own QEMUs, or the one libxl runs for a Xen
 * guest's qdisk disks). */
#pragma once

#include "qmp_commands.h"

/* The format node QEMU has open on @file, or NULL (DS_ERROR_NOT_FOUND;
 * @who names the domain in the message). */
char *ds_qemu_block_node_of_file(DsQmp *qmp, const char *who, const char *file,
                                 GError **error);
