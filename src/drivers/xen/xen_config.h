/*
 * xen_config: libxl's description of a domain (libxl_domain_config) and
 * domsnap's DsDomainConfig. domsnap keeps libxl's own JSON in
 * config.xen.libxl_config, and fills the common fields (name, memory,
 * vcpus, disks) from it, so that list, info and the planner work as for
 * any domain.
 */
#pragma once

#include "formats/domain_config.h"
#include "xen_ctx.h"

/* The running domain's config, as libxl_retrieve_domain_configuration gives it. */
DsDomainConfig *ds_xen_config_retrieve(libxl_ctx *ctx, uint32_t domid, const char *name,
                                       GError **error);

/* libxl's config back from the JSON a record keeps. */
gboolean ds_xen_config_to_libxl(libxl_ctx *ctx, const DsDomainConfig *config,
                                libxl_domain_config *out, GError **error);
