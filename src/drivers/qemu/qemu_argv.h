/* qemu_argv: the QEMU command line for a domain config. */
#pragma once

#include <glib.h>

#include "drivers/driver.h"

/* The qdev id and node names domsnap gives the disk at @index. */
char *ds_qemu_disk_device_id(guint index);
char *ds_qemu_disk_node_name(guint index);

/*
 * What query-block's "qdev" of the disk at @index contains: its device id
 * ("/ds-disk0/"), or for the UEFI variable store the flash unit QEMU maps
 * it as ("/machine/system.flash1").
 */
char *ds_qemu_disk_qdev_match(const DsDomainConfig *config, guint index);

/* QEMU's binary: $DOMSNAP_QEMU or qemu-system-x86_64. */
const char *ds_qemu_binary(void);

/*
 * The descriptor number a NIC on a bridge gets its tap as (domsnap opens
 * the tap and hands it to QEMU), or -1 for any other NIC.
 */
int ds_qemu_nic_tap_fd(const DsDomainConfig *config, guint index);

/* The name of the tap domsnap makes for NIC @index of a domain with id
 * @id: vifname=, else xl's vifID.DEVID-emu. */
char *ds_qemu_nic_tap_name(const DsVif *vif, gint64 id, guint index);

/* The host end of a socket channel: path=, else RUN/ID/NAME.sock. */
char *ds_qemu_channel_path(const DsDomainRecord *rec, const DsChannel *channel);

/*
 * The full argv (NULL-terminated) to start @rec->config daemonized, with
 * the QMP socket, pidfile and default console in @rec->run_dir. Fails only
 * if a file the command line names is missing (the UEFI firmware).
 */
GStrv ds_qemu_build_argv(const DsDomainRecord *rec, DsStartFlags flags,
                         const char *pidfile, GError **error);
