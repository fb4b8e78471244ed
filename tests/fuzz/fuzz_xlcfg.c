/*
 * The xl.cfg syntax: a file's text, then (after NUL bytes) command-line
 * KEY=VALUE lines; every setting read back through the typed getters.
 */
#include "fuzz.h"

#include "formats/xlcfg.h"

static void
read_back(const DsCfg *cfg)
{
    for (guint i = 0; i < cfg->settings->len; i++) {
        const DsCfgSetting *s = cfg->settings->pdata[i];
        const DsCfgValue *v = NULL;
        g_autoptr(GPtrArray) list = NULL;
        g_autofree char *path = NULL;
        gint64 n = 0;
        gboolean b = FALSE;

        fuzz_assert(ds_cfg_lookup(cfg, s->key) != NULL, "key '%s' not found", s->key);
        {
            GError *e = NULL;
            if (ds_cfg_get_string(cfg, s->key, &v, &e) && v && v->str)
                path = ds_cfg_resolve_path(&v->loc, v->str);
            g_clear_error(&e);
            ds_cfg_get_number(cfg, s->key, G_MININT64, G_MAXINT64, &n, &e);
            g_clear_error(&e);
            ds_cfg_get_bool(cfg, s->key, &b, &e);
            g_clear_error(&e);
            ds_cfg_get_string_list(cfg, s->key, &list, &e);
            g_clear_error(&e);
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const known[] = { "name", "memory", "disk", "vif", NULL };
    g_auto(GStrv) parts = fuzz_split(data, size, 3);
    g_autoptr(DsCfg) cfg = ds_cfg_new();
    g_autoptr(GError) err = NULL;

    if (!ds_cfg_parse_text(cfg, "fuzz.cfg", parts[0], &err)) {
        fuzz_assert(err && err->message, "a refusal without a message");
        fuzz_assert(cfg->settings->len == 0, "a failed parse kept %u settings",
                    cfg->settings->len);
        return 0;
    }
    for (guint i = 1; parts[i]; i++) {
        g_autoptr(GError) e = NULL;
        ds_cfg_parse_override(cfg, parts[i], i, &e);
    }
    read_back(cfg);
    ds_cfg_check_keys(cfg, known, NULL);
    return 0;
}
