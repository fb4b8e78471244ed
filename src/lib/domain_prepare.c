#include "domain_prepare.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>


static gboolean
mac_taken(const DsDomainConfig *config, const char *mac)
{
    for (guint i = 0; config->nics && i < config->nics->len; i++) {
        const DsVif *v = config->nics->pdata[i];
        if (v->mac && !strcmp(v->mac, mac))
            return TRUE;
    }
    return FALSE;
}

/* As xl does, a NIC without mac= gets a random one; recorded, it stays. */
static void
generate_macs(DsDomainConfig *config)
{
    for (guint i = 0; config->nics && i < config->nics->len; i++) {
        DsVif *v = config->nics->pdata[i];
        char *mac;

        if (v->mac)
            continue;
        do {
            mac = ds_vif_random_mac();
            if (!mac_taken(config, mac))
                break;
            g_free(mac);
        } while (TRUE);
        v->mac = mac;
    }
}

gboolean
ds_domain_prepare(DsConnection *conn, DsDomainRecord *rec, gboolean dry_run, GError **error)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, error);
    g_autofree char *dir = NULL;

    if (!drv)
        return FALSE;
    generate_macs(&rec->config);
    dir = ds_store_domain_dir(conn->store, rec->name);
    return ds_driver_prepare_domain(drv, &rec->config, dir, dry_run, error);
}

/* Removes the variable store prepare made (and the domain's directory, if
 * that leaves it empty: it was made for it). */
static void
unprepare(DsConnection *conn, const DsDomainRecord *rec)
{
    const DsDomainDisk *nvram = ds_domain_config_nvram(&rec->config);
    g_autofree char *dir = ds_store_domain_dir(conn->store, rec->name);

    if (nvram)
        unlink(nvram->pdev_path);
    if (rmdir(dir) < 0 && errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT)
        g_warning("cannot remove '%s': %s", dir, g_strerror(errno));
}

gboolean
ds_domain_prepare_and_start(DsConnection *conn, DsDomainRecord *rec, DsStartFlags flags,
                            GError **error)
{
    gboolean had_nvram = ds_domain_config_nvram(&rec->config) != NULL;

    if (ds_domain_prepare(conn, rec, FALSE, error) &&
        ds_conn_start_domain(conn, rec, flags, error))
        return TRUE;
    /* Only what prepare made: a variable store named by nvram= is the user's. */
    if (!had_nvram)
        unprepare(conn, rec);
    return FALSE;
}
