/* qemu_img: running qemu-img ($DOMSNAP_QEMU_IMG, or qemu-img on PATH). */
#pragma once

#include <glib.h>

/* Runs qemu-img with @args; its standard output in *@out (may be NULL). */
gboolean ds_qemu_img_run(const char *const *args, char **out, GError **error);

/*
 * Runs qemu-img (@args) to make the new image @path, which is created here
 * first, 0600 and exclusively: guest data is private, and an existing file
 * is never overwritten. qemu-img keeps the mode. @path is removed if
 * qemu-img fails.
 */
gboolean ds_qemu_img_make(const char *path, const char *const *args, GError **error);
