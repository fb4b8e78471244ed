/*
 * data_names.h: the cases of a data-driven test: NAME for every NAME.in in
 * a directory of tests/data, sorted, so that tests run in a fixed order.
 * The strings are the caller's (the tests keep them as their data).
 */
#pragma once

#include <glib.h>
#include <string.h>

static inline GPtrArray *
data_names(const char *path)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    GPtrArray *names = g_ptr_array_new();
    const char *entry;

    if (!dir)
        g_error("cannot read the test data directory %s", path);
    while ((entry = g_dir_read_name(dir)))
        if (g_str_has_suffix(entry, ".in"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 3));
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    return names;
}
