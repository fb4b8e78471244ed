#include "qemu_block.h"

#include <string.h>

#include "domsnap.h"

char *
ds_qemu_block_node_of_file(DsQmp *qmp, const char *who, const char *file, GError **error)
{
    g_autoptr(GPtrArray) nodes = ds_qmp_query_named_block_nodes(qmp, error);

    if (!nodes)
        return NULL;
    /* The format node, not the protocol ("file") node under it. */
    for (guint i = 0; i < nodes->len; i++) {
        DsQmpBlockDeviceInfo *n = nodes->pdata[i];
        if (strcmp(n->drv, "file") != 0 && strcmp(n->file, file) == 0 && n->node_name)
            return g_strdup(n->node_name);
    }
    g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND, "domain '%s' does not use '%s'", who, file);
    return NULL;
}
