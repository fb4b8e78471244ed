#include "qemu_block.h"

#include <string.h>

#include "domsnap.h"

char *
ds_qemu_block_node_of_file(DsQmp *qmp, const char *who, const char *file, GError **error)
{
    json_object *r = ds_qmp_command(qmp, "query-named-block-nodes", NULL, error);
    char *node = NULL;

    if (!r)
        return NULL;
    for (size_t i = 0; i < json_object_array_length(r) && !node; i++) {
        json_object *n = json_object_array_get_idx(r, i), *drv, *f, *name;
        if (json_object_object_get_ex(n, "drv", &drv) &&
            strcmp(json_object_get_string(drv), "file") != 0 &&
            json_object_object_get_ex(n, "file", &f) &&
            g_strcmp0(json_object_get_string(f), file) == 0 &&
            json_object_object_get_ex(n, "node-name", &name))
            node = g_strdup(json_object_get_string(name));
    }
    json_object_put(r);
    if (!node)
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND, "domain '%s' does not use '%s'",
                    who, file);
    return node;
}

