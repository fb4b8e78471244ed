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
 *
 * This is the transport; the commands are in qga_commands.h, and only it
 * (through qga_wire.h) sends JSON.
 */
#pragma once

#include <glib.h>

typedef struct _DsQga DsQga;

/* Connects and synchronises; @who names the domain in errors. */
DsQga *ds_qga_connect(const char *socket_path, const char *who, int timeout_ms,
                      GError **error);
void ds_qga_free(DsQga *qga);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsQga, ds_qga_free)

void ds_qga_set_timeout(DsQga *qga, int timeout_ms);

/* The domain's name, as errors give it. */
const char *ds_qga_who(DsQga *qga);
