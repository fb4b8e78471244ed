/*
 * qemu_devices: the running domain's console, VNC display and cdrom media
 * (the driver table's console_socket, vnc_address, cdrom_change).
 */
#pragma once

#include <glib.h>

#include "store/domain_record.h"

char *ds_qemu_console_socket(const DsDomainRecord *rec, GError **error);
gboolean ds_qemu_vnc_address(const DsDomainRecord *rec, char **host, int *port,
                             GError **error);
gboolean ds_qemu_cdrom_change(const DsDomainRecord *rec, guint index, const char *path,
                              int format, GError **error);
