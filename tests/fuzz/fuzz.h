/*
 * fuzz.h: what the fuzz targets share. Each target is one file defining
 * LLVMFuzzerTestOneInput; built with clang and -fsanitize=fuzzer it is a
 * libFuzzer program (scripts/fuzz.sh), built with any compiler beside
 * regress_main.c it replays the kept inputs in the unit suite.
 *
 * A target must not abort on bad input (that is what is fuzzed): only a
 * broken promise of the code under test (a round trip that does not come
 * back, an accepted value the parser refuses when read again) is a crash,
 * through fuzz_assert().
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include <json-c/json.h>

#include "util/ds_file.h"
#include "util/ds_names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_assert(cond, ...)                                               \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

/*
 * Splits the input at its NUL bytes: the first part (a config file, a
 * document) and then up to @max_more more (command-line lines): a C caller
 * sees a string end at a NUL, so a NUL is where a second input can start.
 */
static inline GStrv
fuzz_split(const uint8_t *data, size_t size, guint max_more)
{
    GPtrArray *parts = g_ptr_array_new();
    const char *p = (const char *)data, *end = p + size;

    while (parts->len <= max_more) {
        const char *nul = memchr(p, '\0', end - p);
        g_ptr_array_add(parts, g_strndup(p, (nul ? nul : end) - p));
        if (!nul)
            break;
        p = nul + 1;
    }
    g_ptr_array_add(parts, NULL);
    return (GStrv)g_ptr_array_free(parts, FALSE);
}

static char *fuzz_dir;

static void
fuzz_remove_dir(void)
{
    ds_remove_tree(fuzz_dir, NULL);
}

/* A private directory for the process's files (under $TMPDIR), removed at exit. */
static inline const char *
fuzz_tmpdir(void)
{
    if (!fuzz_dir) {
        fuzz_dir = g_dir_make_tmp("domsnap-fuzz-XXXXXX", NULL);
        if (!fuzz_dir)
            abort();
        atexit(fuzz_remove_dir);
    }
    return fuzz_dir;
}

/* Writes @path (no fsync: thousands of runs a second), or aborts. */
static inline void
fuzz_put(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len) || close(fd) < 0)
        abort();
}

/* Writes @len bytes to @name in fuzz_tmpdir(); the path. */
static inline char *
fuzz_write(const char *name, const void *data, size_t len)
{
    char *path = g_build_filename(fuzz_tmpdir(), name, NULL);

    fuzz_put(path, data, len);
    return path;
}

/*
 * The string member @key of the JSON object @data holds, if it is a name
 * domsnap accepts (records are loaded only by the name they carry), else
 * @fallback.
 */
static inline char *
fuzz_json_name(const uint8_t *data, size_t size, const char *key, const char *fallback)
{
    json_tokener *tok = json_tokener_new();
    json_object *obj = json_tokener_parse_ex(tok, (const char *)data, (int)MIN(size, G_MAXINT));
    json_object *v = NULL;
    char *name = NULL;

    if (obj && json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string) &&
        ds_name_check("domain", json_object_get_string(v), NULL))
        name = g_strdup(json_object_get_string(v));
    if (obj)
        json_object_put(obj);
    json_tokener_free(tok);
    return name ? name : g_strdup(fallback);
}

/*
 * Runs @run, which makes a state directory of its own (*@dir) for one
 * input, and removes that directory after it: the next input may carry
 * another name, and none is left to be listed.
 */
static inline int
fuzz_run_in_state_dir(void (*run)(const uint8_t *data, size_t size, char **dir),
                      const uint8_t *data, size_t size)
{
    g_autofree char *dir = NULL;

    run(data, size, &dir);
    if (dir)
        ds_remove_tree(dir, NULL);
    return 0;
}
