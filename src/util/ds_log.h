/*
 * ds_log: what the library has to say that is not an error (a damaged
 * record skipped in a listing, a time sync that did not answer, a debug
 * trace) goes to the handler the program set, never straight to stderr.
 */
#pragma once

#include <glib.h>

#include "domsnap.h"

void ds_log(DsLogLevel level, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
#define ds_log_warning(...) ds_log(DS_LOG_WARNING, __VA_ARGS__)
#define ds_log_debug(...) ds_log(DS_LOG_DEBUG, __VA_ARGS__)
