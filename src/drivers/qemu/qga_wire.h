/*
 * qga_wire: the guest agent transport's untyped execute, for the command
 * layer (qga_commands.c) and the client's unit test only: everything else
 * runs agent commands through qga_commands.h (tests/check-qmp-layer.sh).
 */
#pragma once

#include <json-c/json.h>

#include "qga.h"

/* Runs @command with @args (taken over; may be NULL); returns "return"
 * (a new reference; an empty object if the agent returned none). */
json_object *ds_qga_command(DsQga *qga, const char *command, json_object *args,
                            GError **error);

/* Sends @command with @args (taken over; may be NULL) and waits for no
 * reply: for guest-shutdown, which answers only when it fails. */
gboolean ds_qga_send(DsQga *qga, const char *command, json_object *args, GError **error);
