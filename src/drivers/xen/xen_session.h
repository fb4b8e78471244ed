/* xen_session: what one snapshot-create holds of a Xen domain. */
#pragma once

#include "xen_ctx.h"
#include "xen_driver.h"

struct _DsDriverSession {
    libxl_ctx *ctx;
    uint32_t domid;
    char *name;
    int mem_fd;
    GHashTable *nodes;  /* vdev -> the device model's node of an internal disk */
    gint64 stopped_at;  /* monotonic µs when the guest stopped, or 0 */
    gint64 pause_us;    /* total stopped time so far, or -1 */
};

/* The guest stopped at @when (µs, monotonic); its pause starts then. */
void ds_xen_session_stopped(DsDriverSession *s, gint64 when);
