#include "ds_log.h"

#include <stdarg.h>

static DsLogFunc handler;
static gpointer handler_data;

void
ds_set_log_handler(DsLogFunc func, gpointer opaque)
{
    handler = func;
    handler_data = opaque;
}

void
ds_log(DsLogLevel level, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (!handler)
        return; /* a program that set none asked for silence */
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    handler(level, msg, handler_data);
}
