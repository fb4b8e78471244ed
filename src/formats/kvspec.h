/*
 * kvspec: the comma-separated KEY=VALUE lists of xl's device specs (vif,
 * channel): `mac=00:16:3e:01:02:03, bridge=br0`. Blanks around keys and
 * values are ignored and empty items are skipped, as xl does.
 */
#pragma once

#include <glib.h>

typedef struct {
    char *key;
    char *value; /* NULL for a bare word (a flag) */
} DsKv;

/* The items of @spec in order (a GPtrArray of DsKv, freeing them). */
GPtrArray *ds_kv_split(const char *spec);

/* A spec's refusal (DS_ERROR_CONFIG, for the caller to locate); FALSE. */
gboolean ds_kv_fail(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
