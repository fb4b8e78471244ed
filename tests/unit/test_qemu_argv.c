/*
 * The QEMU command line of a domain config, data-driven: each
 * tests/data/qemu_argv/NAME.in, parsed and given to ds_qemu_build_argv()
 * as domain id 1 in /run/domsnap/1, gives the arguments in NAME.out, one
 * option (and its value) a line, with tests/data written @DATA@.
 * DS_TEST_WRITE_OUT=1 writes the .out files instead (to be read by a human
 * before they are committed).
 */
#include <string.h>
#include <unistd.h>

#include "drivers/qemu/qemu_argv.h"

static char *datadir;
static char *dataroot; /* tests/data: the files the configs name are in domain_config/ */

static char *
replace_all(const char *text, const char *from, const char *to)
{
    g_auto(GStrv) parts = g_strsplit(text, from, -1);

    return g_strjoinv(to, parts);
}

/* One option a line: an argument that starts with '-' starts a line. */
static char *
format_argv(char *const *argv)
{
    g_autoptr(GString) out = g_string_new(NULL);
    g_autofree char *text = NULL;

    for (guint i = 0; argv[i]; i++) {
        if (i > 0)
            g_string_append_c(out, argv[i][0] == '-' ? '\n' : ' ');
        g_string_append(out, argv[i]);
    }
    g_string_append_c(out, '\n');
    text = replace_all(out->str, dataroot, "@DATA@");
    return g_steal_pointer(&text);
}

static void
test_case(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in = g_strdup_printf("%s/%s.in", datadir, name);
    g_autofree char *out = g_strdup_printf("%s/%s.out", datadir, name);
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDomainRecord) rec = g_new0(DsDomainRecord, 1);
    g_autoptr(DsDomainConfig) c = ds_domain_config_load(in, NULL, &err);
    g_auto(GStrv) argv = NULL;
    g_autofree char *got = NULL, *want = NULL;

    if (!c)
        g_error("%s: %s", name, err->message);
    rec->name = g_strdup(c->c_info.name);
    rec->id = 1;
    rec->run_dir = g_strdup("/run/domsnap/1");
    rec->qmp_socket = g_strdup("/run/domsnap/1/qmp.sock");
    rec->config = *c;
    g_free(g_steal_pointer(&c)); /* its members now belong to rec */
    argv = ds_qemu_build_argv(rec, 0, "/run/domsnap/1/qemu.pid", &err);
    g_assert_no_error(err);
    got = format_argv(argv);
    if (g_getenv("DS_TEST_WRITE_OUT")) {
        g_assert_true(g_file_set_contents(out, got, -1, NULL));
        return;
    }
    if (!g_file_get_contents(out, &want, NULL, NULL))
        g_error("%s: no %s", name, out);
    if (strcmp(want, got) != 0)
        g_error("%s:\n--- want\n%s--- got\n%s", name, want, got);
}

int
main(int argc, char **argv)
{
    const char *data = g_getenv("DOMSNAP_TEST_DATA");
    g_autofree char *rel = g_build_filename(data ? data : "tests/data", "qemu_argv", NULL);
    g_autoptr(GDir) dir = NULL;
    const char *entry;

    g_test_init(&argc, &argv, NULL);
    datadir = g_canonicalize_filename(rel, NULL);
    dataroot = g_path_get_dirname(datadir);
    {
        /* The OVMF files the configs check for, from the config tests' data. */
        g_autofree char *code = g_build_filename(dataroot, "domain_config", "files",
                                                 "ovmf-code.fd", NULL);
        g_autofree char *vars = g_build_filename(dataroot, "domain_config", "files",
                                                 "ovmf-vars.fd", NULL);
        g_setenv("DOMSNAP_OVMF_CODE", code, TRUE);
        g_setenv("DOMSNAP_OVMF_VARS", vars, TRUE);
    }
    g_setenv("DOMSNAP_QEMU", "qemu-system-x86_64", TRUE);
    if (chdir(datadir) != 0)
        g_error("cannot enter %s", datadir);
    dir = g_dir_open(datadir, 0, NULL);
    g_assert_nonnull(dir);
    while ((entry = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        char *name;
        if (!g_str_has_suffix(entry, ".in"))
            continue;
        name = g_strndup(entry, strlen(entry) - 3);
        path = g_strdup_printf("/qemu-argv/%s", name);
        g_test_add_data_func_full(path, name, test_case, g_free);
    }
    return g_test_run();
}
