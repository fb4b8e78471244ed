/* "did you mean ...?" for unknown keys and commands. */
#pragma once

#include <glib.h>

/*
 * The candidate in @known (NULL-terminated) closest to @word by edit
 * distance, or NULL if none is close enough to be a plausible typo.
 */
const char *ds_suggest(const char *word, const char *const *known);
