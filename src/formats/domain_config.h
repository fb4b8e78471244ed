/*
 * domain_config: what a domain is made of, read from an xl.cfg-style file
 * (plus KEY=VALUE lines) and kept, as libxl-json, in domain and snapshot
 * records and in save files.
 *
 * The shape follows libxl_domain_config (c_info, b_info, disks) so that the
 * Xen driver can fill the same record; what only QEMU needs is in "qemu".
 */
#pragma once

#include <glib.h>

#include "formats/channelspec.h"
#include "formats/diskspec.h"
#include "formats/record.h"
#include "formats/vifspec.h"
#include "formats/xlcfg.h"

/*
 * What a disk is to the guest. Every entry of `disks` is snapshotted, so
 * whatever must come back with a snapshot is a disk: the UEFI variable
 * store (NVRAM) too, which QEMU maps as the second flash unit.
 */
typedef enum {
    DS_DISK_ROLE_DISK,
    DS_DISK_ROLE_NVRAM,
} DsDiskRole;

extern const DsEnumTable ds_disk_role_table;

/* The vdev of the role-nvram disk, in records and snapshot configs. */
#define DS_NVRAM_VDEV "nvram"

/* (The record types' lists: formats/record.h.) */
#define DS_DOMAIN_DISK(F, S) \
    /* the disk's name in domsnap (xvda, hda, ...; "nvram") */ \
    F(DsDomainDisk, vdev, STRING, .required = TRUE) \
    F(DsDomainDisk, pdev_path, STRING, .required = TRUE) /* the image file, absolute */ \
    /* raw or qcow2 */ \
    F(DsDomainDisk, format, ENUM, .enums = &ds_disk_format_table, .required = TRUE) \
    F(DsDomainDisk, readwrite, BOOL) \
    F(DsDomainDisk, role, ENUM, .enums = &ds_disk_role_table)

typedef struct {
    DS_RECORD_STRUCT(DS_DOMAIN_DISK)
} DsDomainDisk;

/* A cdrom (xl's devtype=cdrom): read-only, never snapshotted, so not in
 * `disks`; it comes back with a snapshot because the config does. */
#define DS_DOMAIN_CDROM(F, S) \
    F(DsDomainCdrom, vdev, STRING, .required = TRUE) \
    F(DsDomainCdrom, pdev_path, STRING) /* the image, absolute; NULL: no media */ \
    F(DsDomainCdrom, format, ENUM, .enums = &ds_disk_format_table)

typedef struct {
    DS_RECORD_STRUCT(DS_DOMAIN_CDROM)
} DsDomainCdrom;

/* xl's type= (and the older builder=). */
typedef enum {
    DS_DOMAIN_TYPE_UNSET, /* as hvm */
    DS_DOMAIN_TYPE_HVM,
    DS_DOMAIN_TYPE_PV,
    DS_DOMAIN_TYPE_PVH,
} DsDomainType;

extern const DsEnumTable ds_domain_type_table;

#define DS_DOMAIN_CREATE_INFO(F, S) \
    F(DsDomainCreateInfo, name, STRING, .required = TRUE) \
    F(DsDomainCreateInfo, uuid, STRING) \
    F(DsDomainCreateInfo, type, ENUM, .enums = &ds_domain_type_table)

typedef struct {
    DS_RECORD_STRUCT(DS_DOMAIN_CREATE_INFO)
} DsDomainCreateInfo;

typedef enum {
    DS_BIOS_UNSET, /* as seabios */
    DS_BIOS_SEABIOS,
    DS_BIOS_OVMF,
} DsBios;

extern const DsEnumTable ds_bios_table;

typedef enum {
    DS_VGA_UNSET, /* stdvga with vnc, else none */
    DS_VGA_STDVGA,
    DS_VGA_CIRRUS,
    DS_VGA_NONE,
} DsVga;

extern const DsEnumTable ds_vga_table;

/* libxl's vnc_info. */
#define DS_DOMAIN_VNC(F, S) \
    F(DsDomainVnc, enable, BOOL, .sparse = TRUE) \
    F(DsDomainVnc, listen, STRING)  /* the address (127.0.0.1 unless said) */ \
    /* the display number (port 5900 + display) */ \
    F(DsDomainVnc, display, INT, .sparse = TRUE) \
    /* unset: true: if taken, the next free one (vncunused) */ \
    F(DsDomainVnc, findunused, ENUM, .enums = &ds_defbool_table) \
    F(DsDomainVnc, passwd, STRING)  /* NULL or "": no password */

typedef struct {
    DS_RECORD_STRUCT(DS_DOMAIN_VNC)
} DsDomainVnc;

#define DS_DOMAIN_BUILD_INFO(F, S) \
    F(DsDomainBuildInfo, max_vcpus, INT, .required = TRUE) \
    F(DsDomainBuildInfo, max_memkb, INT, .required = TRUE) \
    F(DsDomainBuildInfo, kernel, STRING) \
    F(DsDomainBuildInfo, ramdisk, STRING) \
    F(DsDomainBuildInfo, cmdline, STRING) \
    /* c, d, n in the order to try; NULL: QEMU's (c, then d) */ \
    F(DsDomainBuildInfo, boot, STRING) \
    F(DsDomainBuildInfo, bios, ENUM, .enums = &ds_bios_table) \
    S(DsDomainBuildInfo, DsDomainVnc, vnc, .sub = &vnc_type) \
    F(DsDomainBuildInfo, vga, ENUM, .enums = &ds_vga_table) \
    F(DsDomainBuildInfo, nographic, BOOL, .sparse = TRUE) \
    F(DsDomainBuildInfo, usbdevice, STRV) /* tablet, mouse, keyboard */

typedef struct {
    DS_RECORD_STRUCT(DS_DOMAIN_BUILD_INFO)
} DsDomainBuildInfo;

/* device_model_args, _hvm and _pv: appended to QEMU's command line (the
 * _hvm ones for hvm guests, the _pv ones for pv and pvh). */
#define DS_DOMAIN_QEMU_INFO(F, S) \
    F(DsDomainQemuInfo, accel, STRING)   /* tcg or kvm */ \
    F(DsDomainQemuInfo, machine, STRING) /* QEMU machine type */ \
    /* file:PATH, unix:PATH, pty or null, one per port */ \
    F(DsDomainQemuInfo, serial, STRV) \
    F(DsDomainQemuInfo, device_model_args, STRV) \
    F(DsDomainQemuInfo, device_model_args_hvm, STRV) \
    F(DsDomainQemuInfo, device_model_args_pv, STRV)

typedef struct {
    DS_RECORD_STRUCT(DS_DOMAIN_QEMU_INFO)
} DsDomainQemuInfo;

/* xl's on_poweroff, on_reboot, on_crash; unset: destroy, restart, and no
 * crash action (no pvpanic device: the guest's panic is not seen). */
typedef enum {
    DS_ACTION_UNSET,
    DS_ACTION_DESTROY,
    DS_ACTION_RESTART,
    DS_ACTION_RENAME_RESTART,
    DS_ACTION_PRESERVE,
    DS_ACTION_COREDUMP_DESTROY,
    DS_ACTION_COREDUMP_RESTART,
    DS_ACTION_SOFT_RESET,
} DsAction;

extern const DsEnumTable ds_action_table;

/* What the xen driver keeps: libxl's own description of the domain
 * (libxl_retrieve_domain_configuration, as libxl-json), from which a revert
 * rebuilds exactly that domain. */
#define DS_DOMAIN_XEN_INFO(F, S) \
    F(DsDomainXenInfo, libxl_config, JSON)

typedef struct {
    DS_RECORD_STRUCT(DS_DOMAIN_XEN_INFO)
} DsDomainXenInfo;

#define DS_DOMAIN_CONFIG(F, S) \
    S(DsDomainConfig, DsDomainCreateInfo, c_info, .sub = &c_info_type, .required = TRUE) \
    S(DsDomainConfig, DsDomainBuildInfo, b_info, .sub = &b_info_type, .required = TRUE) \
    /* DsDomainDisk, in the order the guest sees them */ \
    F(DsDomainConfig, disks, ARRAY, .sub = &ds_domain_disk_type) \
    F(DsDomainConfig, cdroms, ARRAY, .sub = &ds_domain_cdrom_type) /* DsDomainCdrom */ \
    /* DsVif, in vif order (the index is xl's DEVID) */ \
    F(DsDomainConfig, nics, ARRAY, .sub = &ds_vif_type) \
    F(DsDomainConfig, channels, ARRAY, .sub = &ds_channel_type) /* DsChannel */ \
    F(DsDomainConfig, on_poweroff, ENUM, .enums = &ds_action_table) \
    F(DsDomainConfig, on_reboot, ENUM, .enums = &ds_action_table) \
    F(DsDomainConfig, on_crash, ENUM, .enums = &ds_action_table) \
    S(DsDomainConfig, DsDomainQemuInfo, qemu, .sub = &qemu_type) \
    S(DsDomainConfig, DsDomainXenInfo, xen, .sub = &xen_type)

typedef struct {
    DS_RECORD_STRUCT(DS_DOMAIN_CONFIG)
} DsDomainConfig;

extern const DsRecordType ds_domain_config_type;
extern const DsRecordType ds_domain_disk_type;
extern const DsRecordType ds_domain_cdrom_type;

void ds_domain_config_free(DsDomainConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsDomainConfig, ds_domain_config_free)

/* The keys a domain config may have. */
extern const char *const ds_domain_config_keys[];

/*
 * Interprets a parsed config. Relative paths are taken relative to the
 * directory of the file they appear in (the current directory for
 * command-line lines). Checks that every file named exists.
 */
DsDomainConfig *ds_domain_config_from_cfg(const DsCfg *cfg, GError **error);

/* Parses @path, appends @overrides, and interprets the result. */
DsDomainConfig *ds_domain_config_load(const char *path,
                                      const char *const *overrides,
                                      GError **error);

const DsDomainDisk *ds_domain_config_find_disk(const DsDomainConfig *config,
                                               const char *vdev);

/* The disk holding the UEFI variables (role nvram), or NULL. */
const DsDomainDisk *ds_domain_config_nvram(const DsDomainConfig *config);

/* The channel named @name, or NULL. */
const DsChannel *ds_domain_config_find_channel(const DsDomainConfig *config,
                                               const char *name);

/*
 * The config as xl.cfg text that creates the same domain (canonical: keys in
 * a fixed order, defaults the parser resolved said explicitly, absolute
 * paths). ds_domain_config_from_cfg() of it gives the same config.
 */
char *ds_domain_config_format(const DsDomainConfig *config);
