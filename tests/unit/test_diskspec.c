/*
 * Every disk spec in ../shared/conformance/xen/disk-specs.txt: accepted with
 * exactly the fields xl prints, or refused where xl refuses.
 */
#include <string.h>

#include "formats/diskspec.h"

typedef struct {
    char *spec;
    char *expect; /* JSON, "ERROR" or "(not stated)" */
    int line;
} Case;

static GPtrArray *
load_cases(void)
{
    const char *dir = g_getenv("DOMSNAP_CONFORMANCE");
    g_autofree char *path = g_build_filename(dir ? dir : "../shared/conformance",
                                             "xen", "disk-specs.txt", NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    GPtrArray *cases = g_ptr_array_new();
    const char *expect = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        g_error("cannot read %s", path);
    lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        const char *l = lines[i];
        if (g_str_has_prefix(l, "# expect: ")) {
            expect = l + strlen("# expect: ");
            continue;
        }
        if (l[0] == '#' || l[0] == '\0')
            continue;
        g_assert_nonnull(expect);
        Case *c = g_new0(Case, 1);
        c->spec = g_strdup(l);
        c->expect = g_strdup(expect);
        c->line = i + 1;
        g_ptr_array_add(cases, c);
    }
    return cases;
}

static void
test_case(gconstpointer data)
{
    const Case *c = data;
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDiskSpec) d = ds_disk_spec_parse(c->spec, &err);

    if (strcmp(c->expect, "ERROR") == 0) {
        g_assert_null(d);
        g_assert_nonnull(err);
        /* A refusal quotes the spec, so the user sees which one. */
        g_assert_nonnull(strstr(err->message, c->spec));
        return;
    }
    if (!d)
        g_error("line %d: '%s' refused: %s", c->line, c->spec, err->message);
    if (c->expect[0] == '{') {
        json_object *want = json_tokener_parse(c->expect);
        json_object *got = ds_disk_spec_to_xl_json(d);
        g_assert_nonnull(want);
        if (!json_object_equal(want, got))
            g_error("line %d: '%s'\n  want %s\n  got  %s", c->line, c->spec,
                    json_object_to_json_string(want), json_object_to_json_string(got));
        json_object_put(want);
        json_object_put(got);
    }
}

static void
test_unsupported_messages(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDiskSpec) d = ds_disk_spec_parse("/x.img,qcow3,xvda", &err);

    g_assert_null(d);
    g_assert_nonnull(strstr(err->message, "unknown value for format"));
    g_assert_nonnull(strstr(err->message, "qcow3"));
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) cases = NULL;

    g_test_init(&argc, &argv, NULL);
    cases = load_cases();
    g_assert_cmpuint(cases->len, >, 20);
    for (guint i = 0; i < cases->len; i++) {
        Case *c = cases->pdata[i];
        g_autofree char *name = g_strdup_printf("/diskspec/conformance/line%d", c->line);
        g_test_add_data_func(name, c, test_case);
    }
    g_test_add_func("/diskspec/unknown-format", test_unsupported_messages);
    return g_test_run();
}
