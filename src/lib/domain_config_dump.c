/*
 * domain_config_dump.c: `domsnap dumpcfg DOM`, a domain's recorded config
 * as the xl.cfg text that creates the same domain (as `xl list -l` shows
 * libxl's, or `virsh dumpxml` libvirt's). It reads the record only.
 */
#include "connection.h"

char *
ds_domain_dumpcfg(DsConnection *conn, const char *domain, GError **error)
{
    g_autoptr(DsDomainRecord) rec = ds_conn_find_domain(conn, domain, error);

    return rec ? ds_domain_config_format(&rec->config) : NULL;
}
