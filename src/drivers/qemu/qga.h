/*
 * qga: a client for the QEMU guest agent (qemu-guest-agent inside the
 * guest), over the unix socket QEMU puts on the virtio-serial port
 * org.qemu.guest_agent.0.
 *
 * The agent has no greeting and may not be running at all: a connection is
 * only usable once a guest-sync-delimited round trip has answered, which
 * also throws away whatever an earlier client left unread. Every wait is
 * bounded by the timeout, so a missing or hung agent is an error, never a
 * hang.
 */
#pragma once

#include <glib.h>
#include <json-c/json.h>

typedef struct _DsQga DsQga;

/* Connects and synchronises; @who names the domain in errors. */
DsQga *ds_qga_connect(const char *socket_path, const char *who, int timeout_ms,
                      GError **error);
void ds_qga_free(DsQga *qga);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsQga, ds_qga_free)

void ds_qga_set_timeout(DsQga *qga, int timeout_ms);

/* Runs @command with @args (taken over; may be NULL); returns "return". */
json_object *ds_qga_command(DsQga *qga, const char *command, json_object *args,
                            GError **error);

/* guest-fsfreeze-freeze: *@frozen is the number of filesystems frozen. */
gboolean ds_qga_fsfreeze_freeze(DsQga *qga, gint64 *frozen, GError **error);
/* guest-fsfreeze-thaw */
gboolean ds_qga_fsfreeze_thaw(DsQga *qga, GError **error);
/* guest-set-time to @ns nanoseconds since the epoch. */
gboolean ds_qga_set_time(DsQga *qga, gint64 ns, GError **error);
/* guest-shutdown with @mode powerdown, halt or reboot (no reply on success). */
gboolean ds_qga_shutdown(DsQga *qga, const char *mode, GError **error);
