/*
 * qemu_agent: the qemu driver's guest agent operations (the driver table's
 * has_guest_agent, fs_freeze, fs_thaw, guest_set_time), over the domain's
 * org.qemu.guest_agent.0 channel.
 */
#pragma once

#include <glib.h>

#include "store/domain_record.h"

gboolean ds_qemu_has_guest_agent(const DsDomainRecord *rec);
gboolean ds_qemu_fs_freeze(const DsDomainRecord *rec, GError **error);
gboolean ds_qemu_fs_thaw(const DsDomainRecord *rec, GError **error);
gboolean ds_qemu_guest_set_time(const DsDomainRecord *rec, GError **error);
gboolean ds_qemu_agent_command(const DsDomainRecord *rec, const char *command, int timeout_ms,
                               char **reply, GError **error);
/* guest-shutdown (powerdown): FALSE if no agent answers. */
gboolean ds_qemu_agent_shutdown(const DsDomainRecord *rec, GError **error);
