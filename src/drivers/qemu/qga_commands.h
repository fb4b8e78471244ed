/*
 * qga_commands: the guest agent commands domsnap sends, one C function
 * each, named after the command (guest-fsfreeze-freeze ->
 * ds_qga_guest_fsfreeze_freeze). The agent speaks QMP's protocol, so its
 * JSON is built and read in qmp_types.c too.
 *
 * Errors: the agent's refusal is DS_ERROR_QMP "domain 'D': the guest agent
 * refused CMD: DESC"; a reply of another shape is DS_ERROR_QMP "domain 'D':
 * the guest agent's reply to 'CMD' does not fit its schema: WHAT"; silence
 * is DS_ERROR_TIMEOUT (qga.h).
 */
#pragma once

#include <glib.h>

#include "qga.h"

/* *@frozen: how many filesystems the agent froze. */
gboolean ds_qga_guest_fsfreeze_freeze(DsQga *qga, gint64 *frozen, GError **error);
/* *@thawed (may be NULL): how many it thawed. */
gboolean ds_qga_guest_fsfreeze_thaw(DsQga *qga, gint64 *thawed, GError **error);
/* Sets the guest's clock to @ns nanoseconds since the epoch. */
gboolean ds_qga_guest_set_time(DsQga *qga, gint64 ns, GError **error);
/* @mode: powerdown, halt or reboot. The agent answers only if it cannot
 * shut down, so this sends and does not wait. */
gboolean ds_qga_guest_shutdown(DsQga *qga, const char *mode, GError **error);

/*
 * A command the user wrote as JSON text ({"execute": ..., "arguments":
 * ...}), passed through as libvirt's qemu-agent-command does. Parsed and
 * checked before any connection, so bad input is refused at once.
 */
typedef struct _DsQgaRequest DsQgaRequest;

/* @who names the domain in the error. */
DsQgaRequest *ds_qga_request_parse(const char *text, const char *who, GError **error);
void ds_qga_request_free(DsQgaRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsQgaRequest, ds_qga_request_free)

/* Runs @request; its "return", as JSON text. */
char *ds_qga_request_run(DsQga *qga, const DsQgaRequest *request, GError **error);
