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

#include "formats/diskspec.h"
#include "formats/record.h"
#include "formats/xlcfg.h"

typedef struct {
    char *vdev;      /* the disk's name in domsnap (xvda, hda, ...) */
    char *pdev_path; /* the image file, absolute */
    int format;      /* DsDiskFormat: raw or qcow2 */
    gboolean readwrite;
} DsDomainDisk;

typedef struct {
    char *name;
    char *uuid;
} DsDomainCreateInfo;

typedef struct {
    gint64 max_vcpus;
    gint64 max_memkb;
    char *kernel;
    char *ramdisk;
    char *cmdline;
} DsDomainBuildInfo;

typedef struct {
    char *accel;   /* tcg or kvm */
    char *machine; /* QEMU machine type */
    GStrv serial;  /* file:PATH, unix:PATH, pty or null, one per port */
} DsDomainQemuInfo;

/* What the xen driver keeps: libxl's own description of the domain
 * (libxl_retrieve_domain_configuration, as libxl-json), from which a revert
 * rebuilds exactly that domain. */
typedef struct {
    json_object *libxl_config;
} DsDomainXenInfo;

typedef struct {
    DsDomainCreateInfo c_info;
    DsDomainBuildInfo b_info;
    GPtrArray *disks; /* DsDomainDisk, in the order the guest sees them */
    DsDomainQemuInfo qemu;
    DsDomainXenInfo xen;
} DsDomainConfig;

extern const DsRecordType ds_domain_config_type;
extern const DsRecordType ds_domain_disk_type;

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
