/* Names that become paths: checked before they are used. */
#pragma once

#include <glib.h>

/*
 * Domain and snapshot names: 1..255 bytes, no '/', no NUL, not starting
 * with '.' or '-', no control characters. @what is "domain" or "snapshot".
 */
gboolean ds_name_check(const char *what, const char *name, GError **error);
