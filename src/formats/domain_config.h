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

typedef struct {
    char *vdev;      /* the disk's name in domsnap (xvda, hda, ...; "nvram") */
    char *pdev_path; /* the image file, absolute */
    int format;      /* DsDiskFormat: raw or qcow2 */
    gboolean readwrite;
    int role;        /* DsDiskRole */
} DsDomainDisk;

/* A cdrom (xl's devtype=cdrom): read-only, never snapshotted, so not in
 * `disks`; it comes back with a snapshot because the config does. */
typedef struct {
    char *vdev;
    char *pdev_path; /* the image, absolute; NULL: no media */
    int format;      /* DsDiskFormat */
} DsDomainCdrom;

/* xl's type= (and the older builder=). */
typedef enum {
    DS_DOMAIN_TYPE_UNSET, /* as hvm */
    DS_DOMAIN_TYPE_HVM,
    DS_DOMAIN_TYPE_PV,
    DS_DOMAIN_TYPE_PVH,
} DsDomainType;

extern const DsEnumTable ds_domain_type_table;

typedef struct {
    char *name;
    char *uuid;
    int type; /* DsDomainType */
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
typedef struct {
    gboolean enable;
    char *listen;       /* the address (127.0.0.1 unless said) */
    gint64 display;     /* the display number (port 5900 + display) */
    int findunused;     /* DsDefbool (unset: true): if taken, the next free one (vncunused) */
    char *passwd;       /* NULL or "": no password */
} DsDomainVnc;

typedef struct {
    gint64 max_vcpus;
    gint64 max_memkb;
    char *kernel;
    char *ramdisk;
    char *cmdline;
    char *boot;         /* c, d, n in the order to try; NULL: QEMU's (c, then d) */
    int bios;           /* DsBios */
    DsDomainVnc vnc;
    int vga;            /* DsVga */
    gboolean nographic;
    GStrv usbdevice;    /* tablet, mouse, keyboard */
} DsDomainBuildInfo;

typedef struct {
    char *accel;   /* tcg or kvm */
    char *machine; /* QEMU machine type */
    GStrv serial;  /* file:PATH, unix:PATH, pty or null, one per port */
    /* device_model_args, _hvm and _pv: appended to QEMU's command line
     * (the _hvm ones for hvm guests, the _pv ones for pv and pvh). */
    GStrv device_model_args;
    GStrv device_model_args_hvm;
    GStrv device_model_args_pv;
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
typedef struct {
    json_object *libxl_config;
} DsDomainXenInfo;

typedef struct {
    DsDomainCreateInfo c_info;
    DsDomainBuildInfo b_info;
    GPtrArray *disks;    /* DsDomainDisk, in the order the guest sees them */
    GPtrArray *cdroms;   /* DsDomainCdrom */
    GPtrArray *nics;     /* DsVif, in vif order (the index is xl's DEVID) */
    GPtrArray *channels; /* DsChannel */
    int on_poweroff;     /* DsAction */
    int on_reboot;
    int on_crash;
    DsDomainQemuInfo qemu;
    DsDomainXenInfo xen;
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
