/*
 * channelspec: xl's channel specification (xl.cfg(5), "channel"), one string
 * per virtual channel of `channel = [ ... ]`:
 *
 *   name=org.qemu.guest_agent.0, connection=socket, path=/run/ga.sock
 *
 * On the qemu driver a channel is a virtio-serial port named NAME whose
 * host end is a unix socket QEMU listens on (connection=socket, the
 * default; path= defaults to NAME.sock in the running domain's RUN/ID/) or
 * a pty (connection=pty). `guest_agent = 1` is short for the QEMU guest
 * agent's channel.
 */
#pragma once

#include <glib.h>

#include "formats/record.h"
#include "util/ds_enum.h"

#define DS_GUEST_AGENT_CHANNEL "org.qemu.guest_agent.0"

typedef enum {
    DS_CHANNEL_UNSET,
    DS_CHANNEL_SOCKET,
    DS_CHANNEL_PTY,
} DsChannelConnection;

extern const DsEnumTable ds_channel_connection_table;

/* (The record types' lists: formats/record.h.) */
#define DS_CHANNEL(F, S) \
    F(DsChannel, name, STRING, .required = TRUE) \
    F(DsChannel, connection, ENUM, .enums = &ds_channel_connection_table) \
    /* socket: as written (the caller makes it absolute), or NULL */ \
    F(DsChannel, path, STRING)

typedef struct {
    DS_RECORD_STRUCT(DS_CHANNEL)
} DsChannel;

extern const DsRecordType ds_channel_type;

void ds_channel_free(DsChannel *channel);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsChannel, ds_channel_free)

DsChannel *ds_channel_parse(const char *spec, GError **error);
char *ds_channel_format(const DsChannel *channel);
