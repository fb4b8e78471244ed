/*
 * xl device specs: vif (vifspec.c) and channel (channelspec.c), the
 * parse/format pairs, data-driven. In tests/data/vifspec/ and
 * tests/data/channelspec/, each line of NAME.in is a spec whose canonical
 * form is the same line of NAME.out, and formatting the parse of that gives
 * it again; each line of NAME-invalid.in is refused with the message on the
 * same line of NAME-invalid.out. (Where a bad spec is in a config file, the
 * config tests check the location.) DS_TEST_WRITE_OUT=1 writes the .out
 * files instead, to be read by a human before they are committed.
 */
#include "data_names.h"
#include <string.h>

#include "formats/channelspec.h"
#include "formats/vifspec.h"

typedef struct {
    const char *kind; /* the data directory */
    char *name;
} Case;

/* Parses and formats one spec; NULL and *@message if refused. */
static char *
round_trip(const char *kind, const char *spec, char **message)
{
    g_autoptr(GError) err = NULL;
    char *out = NULL;

    if (!strcmp(kind, "vifspec")) {
        g_autoptr(DsVif) vif = ds_vif_parse(spec, &err);
        out = vif ? ds_vif_format(vif) : NULL;
    } else {
        g_autoptr(DsChannel) ch = ds_channel_parse(spec, &err);
        out = ch ? ds_channel_format(ch) : NULL;
    }
    if (!out)
        *message = g_strdup(err->message);
    return out;
}

static char **
read_lines(const char *path)
{
    g_autofree char *text = NULL;
    char **lines;
    guint n;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        g_error("cannot read %s", path);
    lines = g_strsplit(text, "\n", -1);
    n = g_strv_length(lines);
    if (n && !*lines[n - 1]) { /* the final newline */
        g_free(lines[n - 1]);
        lines[n - 1] = NULL;
    }
    return lines;
}

static void
test_case(gconstpointer data)
{
    const Case *c = data;
    const char *dir = g_getenv("DOMSNAP_TEST_DATA");
    g_autofree char *base = g_build_filename(dir ? dir : "tests/data", c->kind, c->name, NULL);
    g_autofree char *in = g_strconcat(base, ".in", NULL);
    g_autofree char *out = g_strconcat(base, ".out", NULL);
    gboolean invalid = g_str_has_suffix(c->name, "-invalid");
    g_auto(GStrv) specs = read_lines(in);
    g_autoptr(GString) got = g_string_new(NULL);
    g_auto(GStrv) want = NULL;

    for (guint i = 0; specs[i]; i++) {
        g_autofree char *message = NULL;
        g_autofree char *text = round_trip(c->kind, specs[i], &message);

        if ((text == NULL) != invalid)
            g_error("%s line %u '%s': %s", in, i + 1, specs[i],
                    invalid ? "accepted" : message);
        g_string_append_printf(got, "%s\n", text ? text : message);
    }
    if (g_getenv("DS_TEST_WRITE_OUT")) {
        g_assert_true(g_file_set_contents(out, got->str, -1, NULL));
        return;
    }
    want = read_lines(out);
    {
        g_auto(GStrv) lines = g_strsplit(got->str, "\n", -1);
        g_assert_cmpuint(g_strv_length(want), ==, g_strv_length(lines) - 1);
        for (guint i = 0; want[i]; i++) {
            g_autofree char *message = NULL;
            g_autofree char *again = NULL;

            if (strcmp(want[i], lines[i]) != 0)
                g_error("%s line %u '%s':\n  want %s\n  got  %s", in, i + 1, specs[i],
                        want[i], lines[i]);
            if (invalid)
                continue;
            again = round_trip(c->kind, want[i], &message);
            g_assert_cmpstr(again, ==, want[i]);
        }
    }
}

static void
add_cases(const char *kind)
{
    const char *data = g_getenv("DOMSNAP_TEST_DATA");
    g_autofree char *path = g_build_filename(data ? data : "tests/data", kind, NULL);
    g_autoptr(GPtrArray) names = data_names(path);

    for (guint i = 0; i < names->len; i++) {
        Case *c = g_new0(Case, 1);
        g_autofree char *test = g_strdup_printf("/devspec/%s/%s", kind, (char *)names->pdata[i]);
        c->kind = kind;
        c->name = names->pdata[i];
        g_test_add_data_func(test, c, test_case);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    add_cases("vifspec");
    add_cases("channelspec");
    return g_test_run();
}
