#include "qemu_agent.h"

#include "domsnap.h"
#include "qemu_driver.h"
#include "qga_commands.h"

/*
 * How long the agent may take to answer: $DOMSNAP_AGENT_TIMEOUT seconds,
 * default 10 (a freeze syncs every filesystem first). A guest whose agent
 * does not answer in that time is treated as having none.
 */
static int
agent_timeout_ms(void)
{
    const char *env = g_getenv("DOMSNAP_AGENT_TIMEOUT");

    if (env && *env)
        return (int)(g_ascii_strtod(env, NULL) * 1000);
    return 10000;
}

static DsQga *
agent_connect_for(const DsDomainRecord *rec, int timeout_ms, GError **error)
{
    g_autofree char *path = ds_qemu_agent_socket(rec, error);

    return path ? ds_qga_connect(path, rec->name, timeout_ms, error) : NULL;
}

static DsQga *
agent_connect(const DsDomainRecord *rec, GError **error)
{
    return agent_connect_for(rec, agent_timeout_ms(), error);
}

gboolean
ds_qemu_agent_command(const DsDomainRecord *rec, const char *command, int timeout_ms,
                      char **reply, GError **error)
{
    g_autoptr(DsQgaRequest) request = ds_qga_request_parse(command, rec->name, error);
    g_autoptr(DsQga) qga = NULL;

    if (!request)
        return FALSE;
    qga = agent_connect_for(rec, timeout_ms > 0 ? timeout_ms : agent_timeout_ms(), error);
    if (!qga)
        return FALSE;
    *reply = ds_qga_request_run(qga, request, error);
    return *reply != NULL;
}

gboolean
ds_qemu_has_guest_agent(const DsDomainRecord *rec)
{
    g_autofree char *path = ds_qemu_agent_socket(rec, NULL);

    return path != NULL;
}

static void
thaw_until_answered(const DsDomainRecord *rec)
{
    const char *env = g_getenv("DOMSNAP_AGENT_THAW_WAIT");
    gint64 wait_s = env && *env ? g_ascii_strtoll(env, NULL, 10) : 120;
    gint64 deadline = g_get_monotonic_time() + wait_s * G_USEC_PER_SEC;

    do {
        g_autoptr(GError) local = NULL;
        g_autoptr(DsQga) qga = agent_connect(rec, &local);
        if (qga && ds_qga_guest_fsfreeze_thaw(qga, NULL, &local))
            return;
        /* Only an agent that is busy is worth waiting for. */
        if (!g_error_matches(local, DS_ERROR, DS_ERROR_TIMEOUT))
            return;
    } while (g_get_monotonic_time() < deadline);
}

gboolean
ds_qemu_fs_freeze(const DsDomainRecord *rec, GError **error)
{
    g_autoptr(DsQga) qga = agent_connect(rec, error);
    g_autoptr(GError) local = NULL;
    gint64 frozen = 0;

    if (!qga)
        return FALSE;
    if (ds_qga_guest_fsfreeze_freeze(qga, &frozen, &local))
        return TRUE;
    /* A freeze that timed out may still finish inside the guest (a hook
     * script that hangs): thaw over fresh connections, whose sync waits for
     * the agent, until one answers or $DOMSNAP_AGENT_THAW_WAIT seconds
     * (default 120) have passed, so the guest is not left frozen. */
    g_clear_pointer(&qga, ds_qga_free);
    thaw_until_answered(rec);
    g_propagate_prefixed_error(error, g_steal_pointer(&local),
                               "--quiesce: the guest's filesystems could not be frozen: ");
    return FALSE;
}

gboolean
ds_qemu_fs_thaw(const DsDomainRecord *rec, GError **error)
{
    g_autoptr(DsQga) qga = agent_connect(rec, error);

    return qga && ds_qga_guest_fsfreeze_thaw(qga, NULL, error);
}

/* Short: a revert that ends with it must not wait long for a guest
 * without a running agent. */
gboolean
ds_qemu_guest_set_time(const DsDomainRecord *rec, GError **error)
{
    g_autoptr(DsQga) qga = agent_connect_for(rec, 3000, error);

    return qga && ds_qga_guest_set_time(qga, g_get_real_time() * 1000, error);
}

gboolean
ds_qemu_agent_shutdown(const DsDomainRecord *rec, GError **error)
{
    g_autoptr(DsQga) qga = agent_connect_for(rec, 3000, error);

    return qga && ds_qga_guest_shutdown(qga, "powerdown", error);
}
