/* Helpers shared by the QEMU driver's files. */
#pragma once

#include "drivers/driver.h"
#include "drivers/qemu/qmp.h"

/* QMP connection to a running domain's QEMU. */
DsQmp *ds_qemu_connect(const DsDomainRecord *rec, int timeout_ms, GError **error);

/* query-status: QEMU's run state ("running", "paused", "inmigrate", ...). */
char *ds_qemu_query_status(DsQmp *qmp, GError **error);

/* Is the process @pid, started at @start ticks, still alive (not a zombie)? */
gboolean ds_qemu_process_alive(gint64 pid, gint64 start);

/* qemu_memory.c: the driver's save_memory and load_memory. */
gboolean ds_qemu_save_memory(const DsDomainRecord *rec, int fd,
                             DsProgressFunc progress, gpointer opaque,
                             GError **error);
gboolean ds_qemu_load_memory(const DsDomainRecord *rec, int fd, guint64 total,
                             DsProgressFunc progress, gpointer opaque,
                             GError **error);

#define DS_QMP_TIMEOUT_MS 30000
