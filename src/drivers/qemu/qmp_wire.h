/*
 * qmp_wire: the QMP transport's untyped execute, for the command layer
 * (qmp_commands.c) and the client's unit test only: everything else runs
 * commands through qmp_commands.h (tests/check-qmp-layer.sh).
 */
#pragma once

#include <json-c/json.h>

#include "qmp.h"

/*
 * Runs @command with @args (taken over; may be NULL). Returns the "return"
 * member (a new reference; an empty object if QEMU returned none), or NULL
 * with an error carrying QEMU's class and description.
 */
json_object *ds_qmp_command(DsQmp *qmp, const char *command, json_object *args,
                            GError **error);

/* Like ds_qmp_command(), and passes @fd along with it (SCM_RIGHTS). */
json_object *ds_qmp_command_fd(DsQmp *qmp, const char *command, json_object *args, int fd,
                               GError **error);
