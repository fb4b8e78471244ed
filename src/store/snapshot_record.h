/*
 * snapshot_record: everything needed to revert to a snapshot with no help
 * from the user, in LIB/domains/DOM/snapshots/NAME/snapshot.json (libxl-json
 * style, after the Xen design's libxl_domain_snapshot).
 *
 * A disk's snapshot state is in config.disks[i].pdev_path (the image the
 * domain used when the snapshot was taken): for an internal snapshot that
 * file holds it under the snapshot's name; for an external one that file was
 * frozen and `overlay` took the writes from then on.
 */
#pragma once

#include <glib.h>

#include "formats/snapshot_types.h"
#include "formats/domain_config.h"
#include "store/store.h"

typedef struct {
    char *vdev;
    int kind;        /* DsDiskSnapMode: no, internal, external or copy */
    char *file;      /* the image that holds this disk's snapshot state */
    int format;      /* DsDiskFormat of that image */
    char *overlay;   /* external: the overlay created when it was taken */
    char *copy;      /* copy: the full copy of @file made when it was taken */
} DsSnapshotDisk;

typedef struct {
    int kind;        /* DsMemoryMode: no, internal or external */
    char *file;      /* external: the memory image */
    gint64 bytes;    /* its size */
    char *vmstate_disk; /* internal: the vdev whose qcow2 holds it */
} DsSnapshotMemory;

typedef struct {
    char *name;
    char *domain;
    char *description;
    gint64 creation_time;  /* seconds since the epoch */
    char *parent;          /* NULL for a root */
    char *domain_state;    /* running, paused or shutoff when taken */
    int live;              /* DsLiveMode */
    gboolean crash_consistent; /* disks only, taken while running */
    gboolean quiesced;      /* the guest's filesystems were frozen by its agent */
    gint64 pause_us;       /* how long the guest was paused (-1: not measured) */
    char *dir;             /* where its files are */
    DsSnapshotMemory memory;
    GPtrArray *disks;      /* DsSnapshotDisk */
    DsDomainConfig config; /* the domain as it was */
} DsSnapshotRecord;

extern const DsRecordType ds_snapshot_record_type;

void ds_snapshot_record_free(DsSnapshotRecord *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsSnapshotRecord, ds_snapshot_record_free)

/* LIB/domains/DOM/snapshots/NAME (names must have passed ds_name_check). */
char *ds_snapshot_record_dir(const DsStore *store, const char *domain, const char *name);

DsSnapshotRecord *ds_snapshot_record_load(const DsStore *store, const char *domain,
                                          const char *name, GError **error);
gboolean ds_snapshot_record_save(const DsStore *store, const DsSnapshotRecord *rec,
                                 GError **error);
/* Removes the record (and its directory if empty of anything else). */
gboolean ds_snapshot_record_delete(const DsStore *store, const char *domain,
                                   const char *name, GError **error);
gboolean ds_snapshot_record_exists(const DsStore *store, const char *domain,
                                   const char *name);

/* All snapshot records of @domain (DsSnapshotRecord), oldest first. */
GPtrArray *ds_snapshot_record_list(const DsStore *store, const char *domain,
                                   GError **error);
/* With @summary, only what a listing shows is read: no domain config. */
GPtrArray *ds_snapshot_record_list_as(const DsStore *store, const char *domain,
                                      gboolean summary, GError **error);

/*
 * The record among @all (other than @except) whose state is in @file: as an
 * external disk's frozen image (@external_only), or as any disk's image.
 */
const DsSnapshotRecord *ds_snapshot_records_using(const GPtrArray *all, const char *file,
                                                  const DsSnapshotRecord *except,
                                                  gboolean external_only);

/* Did domsnap make @file: is it in the domain's snapshots directory or in
 * a snapshot's own directory (--dir)? The user's images are never. */
gboolean ds_snapshot_file_is_domsnaps(const DsStore *store, const char *domain,
                                      const GPtrArray *all, const char *file);

const DsSnapshotDisk *ds_snapshot_record_disk(const DsSnapshotRecord *rec,
                                              const char *vdev);
