/*
 * domain_agent.c: `domsnap qemu-agent-command` (virsh's name): a command
 * passed through to the guest agent. No lock: the agent does not touch
 * domsnap's records.
 */
#include "connection.h"

gboolean
ds_domain_agent_command(DsConnection *conn, const char *domain, const char *command,
                        int timeout_s, char **reply, GError **error)
{
    g_autoptr(DsDomainRecord) rec = ds_conn_find_domain(conn, domain, error);
    const DsDriverOps *drv;
    DsDomainState state;

    if (!rec || !ds_conn_require_active(rec, &state, error) ||
        !(drv = ds_driver_get(rec->driver, error)) ||
        !ds_driver_require_cap(drv, DS_DRIVER_CAP_GUEST_AGENT, rec->name,
                               "a guest agent command", NULL, error))
        return FALSE;
    if (state == DS_DOMAIN_PAUSED) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE,
                    "domain '%s' is paused: its guest agent cannot answer", rec->name);
        return FALSE;
    }
    return drv->device.agent_command(rec, command, timeout_s * 1000, reply, error);
}
