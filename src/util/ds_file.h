/*
 * File operations for the state directory: private modes, no symlink
 * following, and atomic replacement (temp file, fsync, rename, fsync dir).
 */
#pragma once

#include <glib.h>

/* mkdir -p with mode 0700 for what it creates; refuses symlinks. */
gboolean ds_mkdir_private(const char *path, GError **error);

/* Writes @path atomically with mode 0600. */
gboolean ds_file_write_atomic(const char *path, const char *data, gsize len,
                              GError **error);

/*
 * The same without the fsyncs: atomic against the writer being killed (the
 * page cache survives it), not against the host losing power. For the
 * journal, which is rewritten before every step, some inside the guest's
 * pause.
 */
gboolean ds_file_replace(const char *path, const char *data, gsize len, GError **error);

/* Reads @path, refusing to follow a symlink at its last component. */
gboolean ds_file_read_nofollow(const char *path, char **contents, gsize *len,
                               GError **error);

/* fsync()s the directory that holds @path (after a rename or unlink). */
gboolean ds_fsync_parent(const char *path, GError **error);

/* rm -rf of a directory in the state tree; never follows symlinks. */
gboolean ds_remove_tree(const char *path, GError **error);

/*
 * Creates a private temporary file next to @path (same filesystem, so it can
 * be renamed over it). Returns the fd and sets *tmp_path.
 */
int ds_file_create_temp_beside(const char *path, char **tmp_path, GError **error);
