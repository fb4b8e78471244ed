/*
 * store: where domsnap keeps what it knows.
 *
 *   LIB/domains/NAME/domain.json    the domain's record (config, runtime)
 *   LIB/locks/NAME.lock             the domain's lock
 *   RUN/ID/                         a running domain's QMP socket, pidfile,
 *                                   default console log
 *
 * LIB is /var/lib/domsnap and RUN is /run/domsnap, or STATE/lib and
 * STATE/run with --state-dir or $DOMSNAP_STATE_DIR. Directories are 0700,
 * files 0600, and no path under them is followed through a symlink. Names
 * are checked (ds_name_check) before they become paths.
 */
#pragma once

#include <glib.h>

typedef struct {
    char *lib_dir;
    char *run_dir;
} DsStore;

DsStore *ds_store_open(const char *state_dir, GError **error);
void ds_store_free(DsStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsStore, ds_store_free)

/*
 * Refuses @path (a directory of the state tree that is about to be read
 * through) if it is a symbolic link: one planted there would make domsnap
 * read, and then write or delete, what it points to. Absent is no error.
 */
gboolean ds_store_refuse_link(const char *path, GError **error);

/* LIB/domains/NAME (the name must have passed ds_name_check). */
char *ds_store_domain_dir(const DsStore *store, const char *name);

/* RUN/ID, created 0700. */
char *ds_store_make_run_dir(const DsStore *store, gint64 id, GError **error);

/* The names of all recorded domains, sorted. */
GPtrArray *ds_store_list_domains(const DsStore *store, GError **error);
