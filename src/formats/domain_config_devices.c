/*
 * domain_config_devices.c: NICs (vif=) and channels (channel=,
 * guest_agent=). A vif's number in messages is its DEVID: its index in the
 * list, from 0, as xl counts.
 */
#include "domain_config_priv.h"

#include <string.h>

#include "domsnap.h"

/* Whether two forwards take the same host port (their parts before '-'). */
static gboolean
same_host_port(char *const *a, char *const *b)
{
    for (guint i = 0; a && a[i]; i++)
        for (guint j = 0; b && b[j]; j++)
            if (strcspn(a[i], "-") == strcspn(b[j], "-") &&
                !strncmp(a[i], b[j], strcspn(a[i], "-")))
                return TRUE;
    return FALSE;
}

/* Two NICs may not share a MAC, a tap, or a forwarded host port. */
static gboolean
check_unique(const DsDomainConfig *config, const DsVif *vif, guint devid,
             const DsCfgValue *v, GError **error)
{
    for (guint i = 0; i < config->nics->len; i++) {
        const DsVif *o = config->nics->pdata[i];
        const char *clash = NULL;

        if (vif->mac && o->mac && !strcmp(vif->mac, o->mac))
            clash = "mac";
        else if (vif->vifname && o->vifname && !strcmp(vif->vifname, o->vifname))
            clash = "vifname";
        else if (same_host_port(vif->hostfwd, o->hostfwd))
            clash = "hostfwd";
        if (clash) {
            ds_cfg_error(error, &v->loc, "vif %u: its %s is vif %u's too", devid, clash, i);
            return FALSE;
        }
    }
    return TRUE;
}

gboolean
ds_domain_config_read_nics(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    g_autoptr(GPtrArray) specs = NULL;

    config->nics = g_ptr_array_new();
    if (!ds_cfg_get_string_list(cfg, "vif", &specs, error))
        return FALSE;
    for (guint i = 0; specs && i < specs->len; i++) {
        const DsCfgValue *v = specs->pdata[i];
        g_autoptr(GError) local = NULL;
        g_autoptr(DsVif) vif = ds_vif_parse(v->str, &local);

        if (!vif) {
            ds_cfg_error(error, &v->loc, "vif %u: %s", i, local->message);
            return FALSE;
        }
        if (!check_unique(config, vif, i, v, error))
            return FALSE;
        g_ptr_array_add(config->nics, g_steal_pointer(&vif));
    }
    return TRUE;
}

/* A unix socket's path must fit in sockaddr_un. */
#define SOCKET_PATH_MAX 107

static gboolean
add_channel(DsDomainConfig *config, DsChannel *ch, const DsCfgValue *v, GError **error)
{
    g_autoptr(DsChannel) owned = ch;

    if (ds_domain_config_find_channel(config, ch->name)) {
        ds_cfg_error(error, &v->loc, "channel '%s' is listed twice", ch->name);
        return FALSE;
    }
    if (ch->path) {
        char *abs = ds_cfg_resolve_path(&v->loc, ch->path);
        g_free(ch->path);
        ch->path = abs;
        if (strlen(abs) > SOCKET_PATH_MAX) {
            ds_cfg_error(error, &v->loc, "channel '%s': the socket path '%s' is longer than "
                         "%d bytes", ch->name, abs, SOCKET_PATH_MAX);
            return FALSE;
        }
    }
    g_ptr_array_add(config->channels, g_steal_pointer(&owned));
    return TRUE;
}

gboolean
ds_domain_config_read_channels(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    g_autoptr(GPtrArray) specs = NULL;
    gboolean agent = FALSE;

    config->channels = g_ptr_array_new();
    if (!ds_cfg_get_string_list(cfg, "channel", &specs, error) ||
        !ds_cfg_get_bool(cfg, "guest_agent", &agent, error))
        return FALSE;
    for (guint i = 0; specs && i < specs->len; i++) {
        const DsCfgValue *v = specs->pdata[i];
        g_autoptr(GError) local = NULL;
        DsChannel *ch = ds_channel_parse(v->str, &local);

        if (!ch) {
            ds_cfg_error(error, &v->loc, "channel %u: %s", i, local->message);
            return FALSE;
        }
        if (!add_channel(config, ch, v, error))
            return FALSE;
    }
    /* guest_agent = 1: the QEMU guest agent's channel, unless listed already. */
    if (agent && !ds_domain_config_find_channel(config, DS_GUEST_AGENT_CHANNEL)) {
        DsChannel *ch = g_new0(DsChannel, 1);
        ch->name = g_strdup(DS_GUEST_AGENT_CHANNEL);
        ch->connection = DS_CHANNEL_SOCKET;
        g_ptr_array_add(config->channels, ch);
    }
    return TRUE;
}
