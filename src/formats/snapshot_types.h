/*
 * snapshot_types: the words of a snapshot request and plan, and their one
 * enum <-> string table each (shared by the config parser, the records, the
 * XML and the CLI).
 */
#pragma once

#include <glib.h>

#include "util/ds_enum.h"

/* libvirt's <memory snapshot='...'>; DEFAULT = not said. */
typedef enum {
    DS_MEMORY_DEFAULT,
    DS_MEMORY_NO,
    DS_MEMORY_INTERNAL,
    DS_MEMORY_EXTERNAL,
} DsMemoryMode;
extern const DsEnumTable ds_memory_mode_table;

/* libvirt's <disk snapshot='...'>; DEFAULT = not said. */
typedef enum {
    DS_DISK_SNAP_DEFAULT,
    DS_DISK_SNAP_NO,
    DS_DISK_SNAP_INTERNAL,
    DS_DISK_SNAP_EXTERNAL,
    DS_DISK_SNAP_COPY,   /* a full copy of the image (raw disks under xen) */
} DsDiskSnapMode;
extern const DsEnumTable ds_disk_snap_mode_table;

/* The libxl snapshot document's type=: every disk internal, or every disk an
 * external overlay; DEFAULT = not said. */
typedef enum {
    DS_SNAPSHOT_TYPE_DEFAULT,
    DS_SNAPSHOT_TYPE_INTERNAL,
    DS_SNAPSHOT_TYPE_EXTERNAL,
} DsSnapshotType;
extern const DsEnumTable ds_snapshot_type_table;

typedef enum {
    DS_LIVE_NO,
    DS_LIVE_BACKGROUND, /* QEMU background-snapshot: memory as of the pause */
    DS_LIVE_PRECOPY,    /* memory written while running: as of the end */
} DsLiveMode;
extern const DsEnumTable ds_live_mode_table;
/* DsDomainState: running, paused, shutoff, crashed (also a snapshot
 * record's domain_state). */
extern const DsEnumTable ds_domain_state_table;

/* What the user asked for, before any decision. */
typedef struct {
    char *vdev;
    DsDiskSnapMode mode;
    char *overlay;      /* external: where the new overlay goes, or NULL; may
                         * hold placeholders (ds_snapshot_path_expand) */
    char *where;        /* "FILE:LINE:COL" of the request, for messages, or NULL */
} DsDiskRequest;

typedef struct {
    char *name;         /* NULL: the creation time in epoch seconds */
    char *description;
    gint64 creation_time; /* creationtime= of a config; 0: the moment it is taken */
    DsMemoryMode memory;
    char *memory_path;  /* external memory: the file, or NULL for the default;
                         * may hold placeholders */
    DsLiveMode live;
    gboolean live_auto; /* --live without a mode: background, else precopy */
    gboolean disk_only;
    gboolean quiesce;   /* --quiesce: freeze the guest's filesystems around the disks */
    gboolean external;  /* --external or --dir: qcow2 disks get overlays too */
    gboolean internal;  /* --internal or type="internal": asked explicitly */
    char *type_where;   /* "FILE:LINE:COL" of a config's type=, or NULL (--internal) */
    char *dir;          /* --dir: must not exist; created */
    GPtrArray *disks;   /* DsDiskRequest, by vdev */
} DsSnapshotRequest;

DsSnapshotRequest *ds_snapshot_request_new(void);
void ds_snapshot_request_free(DsSnapshotRequest *req);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsSnapshotRequest, ds_snapshot_request_free)
DsDiskRequest *ds_snapshot_request_disk(DsSnapshotRequest *req, const char *vdev);

/*
 * Placeholders a snapshot config's paths may hold (the libxl snapshot
 * document's /var/lib/xen/snapshots/<domain_uuid>/): "<domain_uuid>",
 * "<domain_name>". ds_snapshot_path_unknown_placeholder() returns the first
 * "<word>" of @path that is not one of them (newly allocated), or NULL;
 * ds_snapshot_path_expand() replaces them for one domain.
 */
extern const char *const ds_snapshot_path_placeholders[];
char *ds_snapshot_path_unknown_placeholder(const char *path);
char *ds_snapshot_path_expand(const char *path, const char *domain, const char *uuid,
                              GError **error);
