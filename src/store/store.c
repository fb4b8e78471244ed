#include "store.h"

#include <errno.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "domsnap.h"
#include "util/ds_file.h"

DsStore *
ds_store_open(const char *state_dir, GError **error)
{
    g_autoptr(DsStore) store = g_new0(DsStore, 1);
    g_autofree char *domains = NULL;
    g_autofree char *locks = NULL;

    if (!state_dir || !*state_dir)
        state_dir = g_getenv("DOMSNAP_STATE_DIR");
    if (state_dir && *state_dir) {
        g_autofree char *cwd = g_get_current_dir();
        g_autofree char *abs = g_canonicalize_filename(state_dir, cwd);
        store->lib_dir = g_build_filename(abs, "lib", NULL);
        store->run_dir = g_build_filename(abs, "run", NULL);
    } else {
        store->lib_dir = g_strdup("/var/lib/domsnap");
        store->run_dir = g_strdup("/run/domsnap");
    }
    domains = g_build_filename(store->lib_dir, "domains", NULL);
    locks = g_build_filename(store->lib_dir, "locks", NULL);
    if (!ds_mkdir_private(domains, error) || !ds_mkdir_private(locks, error) ||
        !ds_mkdir_private(store->run_dir, error))
        return NULL;
    return g_steal_pointer(&store);
}

void
ds_store_free(DsStore *store)
{
    if (!store)
        return;
    g_free(store->lib_dir);
    g_free(store->run_dir);
    g_free(store);
}

gboolean
ds_store_refuse_link(const char *path, GError **error)
{
    struct stat st;

    if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
        return TRUE;
    g_set_error(error, DS_ERROR, DS_ERROR_IO,
                "'%s' is a symbolic link; domsnap does not follow links in its state directory",
                path);
    return FALSE;
}

char *
ds_store_domain_dir(const DsStore *store, const char *name)
{
    return g_build_filename(store->lib_dir, "domains", name, NULL);
}

char *
ds_store_make_run_dir(const DsStore *store, gint64 id, GError **error)
{
    g_autofree char *idstr = g_strdup_printf("%" G_GINT64_FORMAT, id);
    g_autofree char *dir = g_build_filename(store->run_dir, idstr, NULL);

    /* A stale directory of an earlier domain with this id: start afresh. */
    if (!ds_remove_tree(dir, error) || !ds_mkdir_private(dir, error))
        return NULL;
    return g_steal_pointer(&dir);
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *
ds_store_list_domains(const DsStore *store, GError **error)
{
    g_autofree char *dir = g_build_filename(store->lib_dir, "domains", NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot read '%s': %s", dir,
                    g_strerror(errno));
        return NULL;
    }
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || e->d_type == DT_LNK)
            continue;
        g_ptr_array_add(names, g_strdup(e->d_name));
    }
    closedir(d);
    g_ptr_array_sort(names, compare_strings);
    return g_steal_pointer(&names);
}
