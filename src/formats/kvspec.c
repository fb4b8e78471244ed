#include "kvspec.h"

#include <stdarg.h>

#include "domsnap.h"

#include <string.h>

static void
kv_free(gpointer p)
{
    DsKv *kv = p;

    g_free(kv->key);
    g_free(kv->value);
    g_free(kv);
}

GPtrArray *
ds_kv_split(const char *spec)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(kv_free);
    g_auto(GStrv) items = g_strsplit(spec, ",", -1);

    for (guint i = 0; items[i]; i++) {
        char *item = g_strstrip(items[i]);
        char *eq = strchr(item, '=');
        DsKv *kv;

        if (!*item)
            continue;
        kv = g_new0(DsKv, 1);
        if (eq) {
            *eq = '\0';
            kv->value = g_strdup(g_strstrip(eq + 1));
        }
        kv->key = g_strdup(g_strstrip(item));
        g_ptr_array_add(out, kv);
    }
    return out;
}

gboolean
ds_kv_fail(GError **error, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, DS_ERROR, DS_ERROR_CONFIG, msg);
    return FALSE;
}
