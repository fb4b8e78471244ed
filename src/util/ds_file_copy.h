/*
 * ds_file_copy: a full copy of a disk image, as cheap as the filesystem
 * allows: a reflink (FICLONE) shares the blocks at once; otherwise only the
 * data is copied (SEEK_DATA/SEEK_HOLE), so holes stay holes.
 */
#pragma once

#include <glib.h>

/*
 * Copies @src to @dest, which must not exist; @dest is created with @mode
 * and fsynced. No symlink is followed at either end. On failure @dest is
 * removed.
 */
gboolean ds_file_copy_image(const char *src, const char *dest, int mode, GError **error);
