#include "ds_names.h"

#include <string.h>

#include "domsnap.h"

gboolean
ds_name_check(const char *what, const char *name, GError **error)
{
    gsize len = name ? strlen(name) : 0;

    if (len == 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID, "%s name is empty", what);
        return FALSE;
    }
    if (len > 255) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "%s name '%.32s...' is longer than 255 bytes", what, name);
        return FALSE;
    }
    if (name[0] == '.' || name[0] == '-') {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "%s name '%s' must not start with '%c'", what, name, name[0]);
        return FALSE;
    }
    for (const char *p = name; *p; p++) {
        if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f) {
            /* Escaped: a newline in it would break the message in two. */
            g_autofree char *shown = g_strescape(name, NULL);
            g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                        "%s name '%s' must not contain '/' or control characters",
                        what, shown);
            return FALSE;
        }
    }
    if (!g_utf8_validate(name, len, NULL)) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "%s name is not valid UTF-8", what);
        return FALSE;
    }
    return TRUE;
}
