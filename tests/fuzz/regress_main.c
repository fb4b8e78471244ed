/*
 * regress_main.c: a fuzz target without libFuzzer. Runs the target on every
 * file of the directories given (the inputs that once crashed it, kept in
 * tests/fuzz/regressions/TARGET/, and its seeds), one TAP line per file, so
 * that the unit suite replays them on every build and with any compiler.
 * A crash of the target is a crash of this program: the TAP stream stops
 * there and meson reports the test failed.
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
add_dir(GPtrArray *files, const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) here = g_ptr_array_new();
    const char *e;

    if (!d)
        return; /* a target with nothing kept yet */
    while ((e = g_dir_read_name(d)))
        if (e[0] != '.' && strcmp(e, "README") != 0)
            g_ptr_array_add(here, g_build_filename(dir, e, NULL));
    g_ptr_array_sort(here, (GCompareFunc)g_strcmp0);
    for (guint i = 0; i < here->len; i++)
        g_ptr_array_add(files, here->pdata[i]);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    int failed = 0;

    for (int i = 1; i < argc; i++)
        add_dir(files, argv[i]);
    if (files->len == 0) {
        printf("1..0 # SKIP no inputs in");
        for (int i = 1; i < argc; i++)
            printf(" %s", argv[i]);
        printf("\n");
        return 0;
    }
    printf("1..%u\n", files->len);
    for (guint i = 0; i < files->len; i++) {
        const char *path = files->pdata[i];
        g_autofree char *data = NULL;
        gsize len = 0;

        fflush(stdout);
        if (!g_file_get_contents(path, &data, &len, NULL)) {
            printf("not ok %u - %s (cannot read it)\n", i + 1, path);
            failed = 1;
            continue;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        printf("ok %u - %s\n", i + 1, path);
    }
    return failed;
}
