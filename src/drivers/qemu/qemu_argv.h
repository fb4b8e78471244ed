/* qemu_argv: the QEMU command line for a domain config. */
#pragma once

#include <glib.h>

#include "drivers/driver.h"

/* The qdev id and node names domsnap gives the disk at @index. */
char *ds_qemu_disk_device_id(guint index);
char *ds_qemu_disk_node_name(guint index);

/* QEMU's binary: $DOMSNAP_QEMU or qemu-system-x86_64. */
const char *ds_qemu_binary(void);

/*
 * The full argv (NULL-terminated) to start @rec->config daemonized, with
 * the QMP socket, pidfile and default console in @rec->run_dir.
 */
GStrv ds_qemu_build_argv(const DsDomainRecord *rec, DsStartFlags flags,
                         const char *pidfile);
