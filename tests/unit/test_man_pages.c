/*
 * The config man pages keep up with the parsers: every key the domain
 * config parser knows has an entry in domsnap.cfg(5), and every key of the
 * snapshot config one in domsnap-snapshot.cfg(5). An entry is a line of the
 * scdoc source that starts with "*KEY*" (the term of an indented
 * definition), or names it among others ("*extra*, *cmdline*, *root*").
 * ($DOMSNAP_DOC_DIR: the doc/ directory.)
 */
#include <string.h>

#include "formats/domain_config.h"
#include "formats/snapshot_config.h"

static char *
read_page(const char *name)
{
    const char *dir = g_getenv("DOMSNAP_DOC_DIR");
    g_autofree char *path = g_build_filename(dir ? dir : "doc", name, NULL);
    g_autoptr(GError) error = NULL;
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, &error))
        g_error("%s", error->message);
    return text;
}

/* Whether a line that starts with a bold term names @key as a term. */
static gboolean
has_entry(const char *text, const char *key)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_autofree char *term = g_strdup_printf("*%s*", key);

    for (guint i = 0; lines[i]; i++)
        if (lines[i][0] == '*' && strstr(lines[i], term))
            return TRUE;
    return FALSE;
}

static void
check_keys(const char *page, const char *const *keys)
{
    g_autofree char *text = read_page(page);
    g_autoptr(GString) missing = g_string_new(NULL);

    for (guint i = 0; keys[i]; i++)
        if (!has_entry(text, keys[i]))
            g_string_append_printf(missing, " %s", keys[i]);
    if (missing->len)
        g_test_fail_printf("doc/%s has no entry for:%s", page, missing->str);
}

static void
test_domain_config_keys(void)
{
    check_keys("domsnap.cfg.5.scd", ds_domain_config_keys);
}

static void
test_snapshot_config_keys(void)
{
    check_keys("domsnap-snapshot.cfg.5.scd", ds_snapshot_config_keys);
}

/* The check itself finds a key that has no entry. */
static void
test_missing_key_is_found(void)
{
    g_autofree char *text = read_page("domsnap.cfg.5.scd");

    g_assert_true(has_entry(text, "memory"));
    g_assert_true(has_entry(text, "cmdline"));
    g_assert_false(has_entry(text, "memroy"));
    g_assert_false(has_entry("memory is not a term\n", "memory"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/man_pages/domain_config_keys", test_domain_config_keys);
    g_test_add_func("/man_pages/snapshot_config_keys", test_snapshot_config_keys);
    g_test_add_func("/man_pages/missing_key_is_found", test_missing_key_is_found);
    return g_test_run();
}
