/*
 * What the files of domain_config share: each reads one group of keys
 * into the config, refusing bad values with their location.
 */
#pragma once

#include "formats/domain_config.h"

/* type=, builder= (domain_config_hvm.c). Needs kernel= read. */
gboolean ds_domain_config_read_type(const DsCfg *cfg, DsDomainConfig *config,
                                    GError **error);
/* bios=, firmware=, nvram=. Needs the disks read (the NVRAM is one). */
gboolean ds_domain_config_read_firmware(const DsCfg *cfg, DsDomainConfig *config,
                                        GError **error);
gboolean ds_domain_config_read_boot(const DsCfg *cfg, DsDomainConfig *config,
                                    GError **error);
/* vnc*, vga=, nographic=, usbdevice= (domain_config_display.c). */
gboolean ds_domain_config_read_display(const DsCfg *cfg, DsDomainConfig *config,
                                       GError **error);
/* vif= and channel=, guest_agent= (domain_config_devices.c). */
gboolean ds_domain_config_read_nics(const DsCfg *cfg, DsDomainConfig *config,
                                    GError **error);
gboolean ds_domain_config_read_channels(const DsCfg *cfg, DsDomainConfig *config,
                                        GError **error);
/* on_poweroff=, on_reboot=, on_crash= (domain_config_actions.c). */
gboolean ds_domain_config_read_actions(const DsCfg *cfg, DsDomainConfig *config,
                                       GError **error);

/* The value of @key as an entry of @table; absent: *out untouched. */
gboolean ds_domain_config_get_enum(const DsCfg *cfg, const char *key,
                                   const DsEnumTable *table, int *out,
                                   const DsCfgValue **where, GError **error);
