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

/* A disk's state in a snapshot. (The record types' lists: formats/record.h.) */
#define DS_SNAPSHOT_DISK(F, S) \
    F(DsSnapshotDisk, vdev, STRING, .required = TRUE) \
    /* no, internal, external or copy */ \
    F(DsSnapshotDisk, kind, ENUM, .enums = &ds_disk_snap_mode_table, .required = TRUE) \
    /* the image that holds this disk's snapshot state */ \
    F(DsSnapshotDisk, file, STRING) \
    F(DsSnapshotDisk, format, ENUM, .enums = &ds_disk_format_table) /* of that image */ \
    /* external: the overlay created when it was taken */ \
    F(DsSnapshotDisk, overlay, STRING) \
    /* copy: the full copy of @file made when it was taken */ \
    F(DsSnapshotDisk, copy, STRING)

typedef struct {
    DS_RECORD_STRUCT(DS_SNAPSHOT_DISK)
} DsSnapshotDisk;

#define DS_SNAPSHOT_MEMORY(F, S) \
    /* no, internal or external */ \
    F(DsSnapshotMemory, kind, ENUM, .enums = &ds_memory_mode_table, .required = TRUE) \
    F(DsSnapshotMemory, file, STRING)          /* external: the memory image */ \
    F(DsSnapshotMemory, bytes, INT)            /* its size */ \
    F(DsSnapshotMemory, vmstate_disk, STRING)  /* internal: the vdev whose qcow2 holds it */

typedef struct {
    DS_RECORD_STRUCT(DS_SNAPSHOT_MEMORY)
} DsSnapshotMemory;

/* .summary: what a listing reads (everything but the domain config, which
 * is most of a record). */
#define DS_SNAPSHOT_RECORD(F, S) \
    F(DsSnapshotRecord, name, STRING, .required = TRUE, .summary = TRUE) \
    F(DsSnapshotRecord, domain, STRING, .required = TRUE, .summary = TRUE) \
    F(DsSnapshotRecord, description, STRING) \
    /* seconds since the epoch */ \
    F(DsSnapshotRecord, creation_time, INT, .required = TRUE, .summary = TRUE) \
    F(DsSnapshotRecord, parent, STRING, .summary = TRUE) /* NULL for a root */ \
    /* running, paused or shutoff when taken */ \
    F(DsSnapshotRecord, domain_state, STRING, .required = TRUE, .summary = TRUE) \
    F(DsSnapshotRecord, live, ENUM, .enums = &ds_live_mode_table, .summary = TRUE) \
    /* disks only, taken while running */ \
    F(DsSnapshotRecord, crash_consistent, BOOL) \
    /* the guest's filesystems were frozen by its agent */ \
    F(DsSnapshotRecord, quiesced, BOOL, .summary = TRUE) \
    /* how long the guest was paused (-1: not measured) */ \
    F(DsSnapshotRecord, pause_us, INT, .summary = TRUE) \
    F(DsSnapshotRecord, dir, STRING) /* where its files are */ \
    S(DsSnapshotRecord, DsSnapshotMemory, memory, .sub = &memory_type, .required = TRUE, \
      .summary = TRUE) \
    F(DsSnapshotRecord, disks, ARRAY, .sub = &disk_type, .summary = TRUE) /* DsSnapshotDisk */ \
    /* the domain as it was */ \
    S(DsSnapshotRecord, DsDomainConfig, config, .sub = &ds_domain_config_type, .required = TRUE)

typedef struct {
    DS_RECORD_STRUCT(DS_SNAPSHOT_RECORD)
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
