/* ds_image_probe: an image's format from its first bytes (qcow2's magic),
 * for files domsnap is handed without a format (cdroms, NVRAM). */
#pragma once

#include <glib.h>

/* Whether @path starts with qcow2's magic (anything else is taken as raw). */
gboolean ds_image_is_qcow2(const char *path);
