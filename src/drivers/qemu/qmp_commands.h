/*
 * qmp_commands: the QMP commands domsnap sends, one C function each, named
 * after the command the way QEMU names its generated handlers
 * (query-status -> ds_qmp_query_status). Arguments are C values (a struct
 * for the complex ones, borrowed for the call); replies are parsed into C
 * structs that the caller owns. This file, qmp_types.c (the JSON on both
 * sides) and qga_commands.c are the only ones that build or read QMP's
 * JSON: tests/check-qmp-layer.sh keeps it so.
 *
 * Errors: QEMU's refusal is DS_ERROR_QMP "domain 'D': QEMU refused 'CMD':
 * DESC (CLASS)"; a reply that does not have the shape QEMU's schema
 * promises is DS_ERROR_QMP "domain 'D': QEMU's reply to 'CMD' does not fit
 * its schema: WHAT"; the transport's own errors (QEMU gone, timeout) keep
 * their codes (qmp.h).
 */
#pragma once

#include <glib.h>

#include "qmp.h"

/* ---- run state ---- */

/* query-status's StatusInfo. */
typedef struct {
    char *status; /* RunState: "running", "paused", "inmigrate", ... */
    gboolean running;
} DsQmpStatusInfo;

void ds_qmp_status_info_clear(DsQmpStatusInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DsQmpStatusInfo, ds_qmp_status_info_clear)

gboolean ds_qmp_query_status(DsQmp *qmp, DsQmpStatusInfo *info, GError **error);
gboolean ds_qmp_stop(DsQmp *qmp, GError **error);
gboolean ds_qmp_cont(DsQmp *qmp, GError **error);
gboolean ds_qmp_system_powerdown(DsQmp *qmp, GError **error);
gboolean ds_qmp_quit(DsQmp *qmp, GError **error);

/* ---- display and removable media ---- */

/* query-vnc's VncInfo (the members domsnap reads). */
typedef struct {
    gboolean enabled;
    char *host;    /* NULL if QEMU did not say */
    char *service; /* the port, as text; NULL if QEMU did not say */
} DsQmpVncInfo;

void ds_qmp_vnc_info_clear(DsQmpVncInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DsQmpVncInfo, ds_qmp_vnc_info_clear)

gboolean ds_qmp_query_vnc(DsQmp *qmp, DsQmpVncInfo *info, GError **error);
gboolean ds_qmp_change_vnc_password(DsQmp *qmp, const char *password, GError **error);
gboolean ds_qmp_eject(DsQmp *qmp, const char *id, gboolean force, GError **error);

typedef struct {
    const char *id;             /* the qdev id of the drive */
    const char *filename;
    const char *format;         /* "qcow2", "raw" */
    const char *read_only_mode; /* "retain", "read-only", "read-write"; NULL: QEMU's default */
} DsQmpBlockdevChangeMedium;

gboolean ds_qmp_blockdev_change_medium(DsQmp *qmp, const DsQmpBlockdevChangeMedium *medium,
                                       GError **error);

/* ---- the block graph ---- */

/* One query-block BlockInfo. */
typedef struct {
    char *device;    /* the legacy drive name ("" for -blockdev disks) */
    char *qdev;      /* the guest device's path or id; NULL if none */
    char *node_name; /* the node of its medium ("inserted"); NULL if none */
} DsQmpBlockInfo;

void ds_qmp_block_info_free(DsQmpBlockInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsQmpBlockInfo, ds_qmp_block_info_free)

/* An array of DsQmpBlockInfo. */
GPtrArray *ds_qmp_query_block(DsQmp *qmp, GError **error);

/* One query-named-block-nodes BlockDeviceInfo. */
typedef struct {
    char *node_name; /* NULL if QEMU gave none */
    char *drv;       /* the node's driver: "qcow2", "raw", "file", ... */
    char *file;      /* the file name it has open */
} DsQmpBlockDeviceInfo;

void ds_qmp_block_device_info_free(DsQmpBlockDeviceInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsQmpBlockDeviceInfo, ds_qmp_block_device_info_free)

/* An array of DsQmpBlockDeviceInfo. */
GPtrArray *ds_qmp_query_named_block_nodes(DsQmp *qmp, GError **error);

/* blockdev-add of a format node over a "file" node (the only kind domsnap adds). */
typedef struct {
    const char *node_name;
    const char *driver;   /* the format: "qcow2" */
    const char *filename; /* its "file" child opens this path */
    gboolean no_backing;  /* "backing": null, for blockdev-snapshot to attach later */
} DsQmpBlockdevOptions;

gboolean ds_qmp_blockdev_add(DsQmp *qmp, const DsQmpBlockdevOptions *options, GError **error);
gboolean ds_qmp_blockdev_del(DsQmp *qmp, const char *node_name, GError **error);

typedef enum {
    DS_QMP_ACTION_BLOCKDEV_SNAPSHOT_INTERNAL_SYNC, /* node (as "device"), name */
    DS_QMP_ACTION_BLOCKDEV_SNAPSHOT,               /* node, overlay */
} DsQmpActionType;

/* One action of a transaction. */
typedef struct {
    DsQmpActionType type;
    const char *node;
    const char *name;    /* internal: the snapshot's name */
    const char *overlay; /* external: the overlay's node, added by blockdev-add */
} DsQmpTransactionAction;

/* transaction: all @n actions or none. */
gboolean ds_qmp_transaction(DsQmp *qmp, const DsQmpTransactionAction *actions, guint n,
                            GError **error);
gboolean ds_qmp_blockdev_snapshot_delete_internal_sync(DsQmp *qmp, const char *device,
                                                       const char *name, GError **error);

/* ---- block jobs ---- */

typedef struct {
    const char *job_id;
    const char *device;    /* the top node */
    const char *base_node; /* NULL: the bottom of the chain */
    gboolean auto_dismiss;
} DsQmpBlockCommit;

gboolean ds_qmp_block_commit(DsQmp *qmp, const DsQmpBlockCommit *commit, GError **error);

typedef struct {
    const char *job_id;
    const char *device;    /* the node that receives the data */
    const char *base_node; /* NULL: stream everything, the node ends up standalone */
} DsQmpBlockStream;

gboolean ds_qmp_block_stream(DsQmp *qmp, const DsQmpBlockStream *stream, GError **error);
gboolean ds_qmp_block_job_complete(DsQmp *qmp, const char *device, GError **error);

/*
 * Waits up to @timeout_ms for @event (BLOCK_JOB_READY, BLOCK_JOB_COMPLETED)
 * of the job @job_id; the other jobs' events are passed over. FALSE with
 * DS_ERROR_FAILED "domain 'D': block job ID failed: WHY" if the event
 * reports an error.
 */
gboolean ds_qmp_wait_block_job_event(DsQmp *qmp, const char *event, const char *job_id,
                                     int timeout_ms, GError **error);

/* ---- jobs: snapshot-save, snapshot-load, snapshot-delete ---- */

typedef struct {
    const char *job_id;
    const char *tag;             /* the internal snapshot's name */
    const char *vmstate;         /* the node that holds the memory; NULL for delete */
    const char *const *devices;  /* the nodes, NULL-terminated */
} DsQmpSnapshotJob;

gboolean ds_qmp_snapshot_save(DsQmp *qmp, const DsQmpSnapshotJob *job, GError **error);
gboolean ds_qmp_snapshot_load(DsQmp *qmp, const DsQmpSnapshotJob *job, GError **error);
gboolean ds_qmp_snapshot_delete(DsQmp *qmp, const DsQmpSnapshotJob *job, GError **error);

/* One query-jobs JobInfo. */
typedef struct {
    char *id;
    char *type;   /* JobType: "snapshot-save", "commit", ... */
    char *status; /* JobStatus: "running", "concluded", ... */
    char *error;  /* NULL unless the job failed */
} DsQmpJobInfo;

void ds_qmp_job_info_free(DsQmpJobInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsQmpJobInfo, ds_qmp_job_info_free)

/* An array of DsQmpJobInfo. */
GPtrArray *ds_qmp_query_jobs(DsQmp *qmp, GError **error);
gboolean ds_qmp_job_dismiss(DsQmp *qmp, const char *id, GError **error);

/* ---- migration (memory to and from a file) ---- */

/* One MigrationCapabilityStatus. */
typedef struct {
    const char *capability;
    gboolean state;
} DsQmpMigrationCapabilityStatus;

gboolean ds_qmp_migrate_set_capabilities(DsQmp *qmp,
                                         const DsQmpMigrationCapabilityStatus *capabilities,
                                         guint n, GError **error);

/* The names of the capabilities this QEMU knows (a NULL-terminated vector). */
char **ds_qmp_query_migrate_capabilities(DsQmp *qmp, GError **error);

/* The MigrationParameters domsnap sets. */
typedef struct {
    gint64 max_bandwidth; /* bytes per second */
} DsQmpMigrateParameters;

gboolean ds_qmp_migrate_set_parameters(DsQmp *qmp, const DsQmpMigrateParameters *parameters,
                                       GError **error);

/* getfd: hands @fd to QEMU under @fdname (for "fd:NAME" URIs), by SCM_RIGHTS. */
gboolean ds_qmp_getfd(DsQmp *qmp, int fd, const char *fdname, GError **error);
gboolean ds_qmp_migrate(DsQmp *qmp, const char *uri, GError **error);
gboolean ds_qmp_migrate_incoming(DsQmp *qmp, const char *uri, GError **error);
gboolean ds_qmp_migrate_cancel(DsQmp *qmp, GError **error);

/* query-migrate's MigrationInfo (the members domsnap reads). */
typedef struct {
    char *status;     /* NULL before the first migration */
    char *error_desc; /* NULL unless it failed and QEMU said why */
    guint64 ram_transferred;
    guint64 ram_total; /* 0 when QEMU reports no "ram" yet */
} DsQmpMigrationInfo;

void ds_qmp_migration_info_clear(DsQmpMigrationInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DsQmpMigrationInfo, ds_qmp_migration_info_clear)

gboolean ds_qmp_query_migrate(DsQmp *qmp, DsQmpMigrationInfo *info, GError **error);
