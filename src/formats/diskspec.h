/*
 * diskspec: xl's disk specification strings (xl-disk-configuration(5)).
 *
 * Parses every form xl accepts: positional `target,format,vdev,access`,
 * `key=value` parameters, flags (cdrom, discard, trusted, ...), the
 * `target=` that eats the rest of the string, and the deprecated
 * `format:target,vdev:devtype,access` and `iscsi:`/`tap:aio:` prefixes. The
 * result mirrors libxl_device_disk, so the conformance test can compare it
 * with what `xl -N block-attach` prints.
 */
#pragma once

#include <glib.h>
#include <json-c/json.h>

#include "util/ds_enum.h"

typedef enum {
    DS_DISK_FORMAT_UNKNOWN,
    DS_DISK_FORMAT_QCOW,
    DS_DISK_FORMAT_QCOW2,
    DS_DISK_FORMAT_VHD,
    DS_DISK_FORMAT_RAW,
    DS_DISK_FORMAT_EMPTY,
    DS_DISK_FORMAT_QED,
} DsDiskFormat;

extern const DsEnumTable ds_disk_format_table;

typedef enum {
    DS_DISK_BACKEND_UNKNOWN,
    DS_DISK_BACKEND_PHY,
    DS_DISK_BACKEND_TAP,
    DS_DISK_BACKEND_QDISK,
    DS_DISK_BACKEND_STANDALONE,
} DsDiskBackend;

extern const DsEnumTable ds_disk_backend_table;

typedef enum {
    DS_DISK_SPEC_UNKNOWN,
    DS_DISK_SPEC_XEN,
    DS_DISK_SPEC_VIRTIO,
} DsDiskSpecification;

extern const DsEnumTable ds_disk_specification_table;

/* A libxl "defbool": unset, false or true. */
typedef enum { DS_DEFBOOL_DEFAULT, DS_DEFBOOL_FALSE, DS_DEFBOOL_TRUE } DsDefbool;

/* Named as libxl's JSON names them; the default has no name (not written). */
extern const DsEnumTable ds_defbool_table;

typedef struct {
    char *pdev_path;   /* the target; "" for an empty cdrom, NULL if absent */
    char *vdev;
    char *backend_domname;
    char *script;
    DsDiskFormat format;
    DsDiskBackend backend;
    DsDiskSpecification specification;
    gboolean readwrite;
    gboolean is_cdrom;
    gboolean removable;
    gboolean direct_io_safe;
    DsDefbool discard_enable;
    DsDefbool colo_enable;
    DsDefbool trusted;
    DsDefbool grant_usage;
    char *colo_host;
    int colo_port;
    char *colo_export;
    char *active_disk;
    char *hidden_disk;
} DsDiskSpec;

void ds_disk_spec_free(DsDiskSpec *disk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsDiskSpec, ds_disk_spec_free)

/* Parses one spec; the message of a refusal quotes the offending part. */
DsDiskSpec *ds_disk_spec_parse(const char *spec, GError **error);

/* The non-default fields, named and valued as `xl -N block-attach` prints. */
json_object *ds_disk_spec_to_xl_json(const DsDiskSpec *disk);
