/*
 * domsnap.h: the public API of libdomsnap.
 *
 * Everything the domsnap command does goes through this header. Handles are
 * opaque; every call that can fail returns FALSE (or NULL) and sets a GError
 * in the DS_ERROR domain whose message names the domain, file or key
 * involved.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What libdomsnap exports: it is compiled with -fvisibility=hidden, so a
 * function is part of the shared library's ABI only when its declaration
 * here carries DS_PUBLIC (tests/packaging/check-exports.sh checks that the
 * two lists match).
 */
#if defined(__GNUC__) && __GNUC__ >= 4
#define DS_PUBLIC __attribute__((visibility("default")))
#else
#define DS_PUBLIC
#endif

#define DS_ERROR (ds_error_quark())
DS_PUBLIC
GQuark ds_error_quark(void);

typedef enum {
    DS_ERROR_FAILED,      /* anything not covered below */
    DS_ERROR_INVALID,     /* bad argument or name */
    DS_ERROR_CONFIG,      /* a config file or KEY=VALUE line is wrong */
    DS_ERROR_NOT_FOUND,   /* no such domain, file, ... */
    DS_ERROR_EXISTS,      /* the name is taken */
    DS_ERROR_UNSUPPORTED, /* valid, but not something domsnap can do */
    DS_ERROR_STATE,       /* the domain is in the wrong state for this */
    DS_ERROR_QMP,         /* QEMU refused a command */
    DS_ERROR_QEMU_GONE,   /* QEMU died or closed its monitor */
    DS_ERROR_TIMEOUT,     /* waited too long */
    DS_ERROR_IO,          /* a file operation failed */
    DS_ERROR_BUSY,        /* another domsnap holds the domain's lock */
    DS_ERROR_CONFLICT,    /* a record changed since it was read: not overwritten */
} DsErrorCode;

/* A connection to a state directory (records + runtime files). */
typedef struct _DsConnection DsConnection;

/*
 * Opens the state directory: @state_dir if given, else $DOMSNAP_STATE_DIR,
 * else /var/lib/domsnap (records) and /run/domsnap (runtime files).
 */
DS_PUBLIC
DsConnection *ds_connection_open(const char *state_dir, GError **error);
DS_PUBLIC
void ds_connection_free(DsConnection *conn);

/*
 * The driver for domains domsnap has not recorded yet: "qemu" or "xen".
 * The default is $DOMSNAP_DRIVER, else "xen" in a Xen control domain
 * (/proc/xen/capabilities says control_d), else "qemu". Under "xen",
 * naming a domain that `xl create` started records it.
 */
DS_PUBLIC
gboolean ds_connection_set_driver(DsConnection *conn, const char *driver, GError **error);
DS_PUBLIC
const char *ds_connection_get_driver(DsConnection *conn);

/* How long to wait for another domsnap's lock on a domain (default 30 s). */
DS_PUBLIC
void ds_connection_set_lock_timeout(DsConnection *conn, int timeout_ms);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsConnection, ds_connection_free)

typedef enum {
    DS_DOMAIN_RUNNING,
    DS_DOMAIN_PAUSED,
    DS_DOMAIN_SHUTOFF,
    DS_DOMAIN_CRASHED,
} DsDomainState;

DS_PUBLIC
const char *ds_domain_state_to_string(DsDomainState state);

typedef struct {
    char *name;
    int id;
    guint64 memory_mib;
    guint vcpus;
    DsDomainState state;
    gint64 start_time; /* seconds since the epoch */
} DsDomainInfo;

DS_PUBLIC
void ds_domain_info_free(DsDomainInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsDomainInfo, ds_domain_info_free)

/*
 * Starts a domain from an xl.cfg-style config file. @overrides are
 * KEY=VALUE lines appended after the file, as `xl create` does. On success
 * *@name_out (if not NULL) gets the domain's name.
 */
DS_PUBLIC
gboolean ds_domain_create(DsConnection *conn, const char *config_path,
                          const char *const *overrides, gboolean paused,
                          char **name_out, GError **error);

/*
 * What ds_domain_create() would run, as a shell command (QEMU's command line,
 * one option a line), after the same checks; nothing is made, started or
 * recorded. The MACs and UUID it shows are drawn anew by the real create.
 */
DS_PUBLIC
char *ds_domain_create_dry_run(DsConnection *conn, const char *config_path,
                               const char *const *overrides, gboolean paused,
                               GError **error);

/*
 * The domain's recorded config as xl.cfg text, canonical: `domsnap create`
 * of it makes the same domain (the same disks, NVRAM, MACs and UUID).
 */
DS_PUBLIC
char *ds_domain_dumpcfg(DsConnection *conn, const char *domain, GError **error);

/* Starts a recorded, shut-off domain again from its recorded config. */
DS_PUBLIC
gboolean ds_domain_start(DsConnection *conn, const char *domain,
                         gboolean paused, GError **error);

/* Forgets a shut-off domain: removes its record (its disks stay). */
DS_PUBLIC
gboolean ds_domain_undefine(DsConnection *conn, const char *domain,
                            GError **error);

/* All recorded domains, sorted by id; a GPtrArray of DsDomainInfo. */
DS_PUBLIC
GPtrArray *ds_domain_list(DsConnection *conn, GError **error);

/* @domain is a name or a numeric id. */
DS_PUBLIC
DsDomainInfo *ds_domain_get_info(DsConnection *conn, const char *domain,
                                 GError **error);
DS_PUBLIC
gboolean ds_domain_pause(DsConnection *conn, const char *domain, GError **error);
DS_PUBLIC
gboolean ds_domain_unpause(DsConnection *conn, const char *domain, GError **error);
DS_PUBLIC
gboolean ds_domain_destroy(DsConnection *conn, const char *domain, GError **error);

/* Asks the guest to power off (ACPI); with @wait, waits up to @timeout_s. */
DS_PUBLIC
gboolean ds_domain_shutdown(DsConnection *conn, const char *domain,
                            gboolean wait, guint timeout_s, GError **error);

/* What happens to the domain once `save` has written its memory. */
typedef enum {
    DS_SAVE_THEN_DESTROY,  /* xl save DOM FILE */
    DS_SAVE_THEN_PAUSE,    /* xl save -p */
    DS_SAVE_THEN_CONTINUE, /* xl save -c */
} DsSaveThen;

/*
 * Progress of a long operation: @done of @total bytes. Called from the
 * calling thread while the operation waits.
 */
typedef void (*DsProgressFunc)(guint64 done, guint64 total, gpointer opaque);

typedef enum {
    DS_LOG_WARNING, /* something went wrong that did not fail the call */
    DS_LOG_DEBUG,   /* traces asked for with $DOMSNAP_DEBUG_* */
} DsLogLevel;

typedef void (*DsLogFunc)(DsLogLevel level, const char *message, gpointer opaque);

/*
 * Where the library's warnings and traces go (it prints nothing itself);
 * NULL: nowhere. Process-wide; set it before the first call.
 */
DS_PUBLIC
void ds_set_log_handler(DsLogFunc func, gpointer opaque);

DS_PUBLIC
gboolean ds_domain_save(DsConnection *conn, const char *domain,
                        const char *file, DsSaveThen then,
                        DsProgressFunc progress, gpointer opaque,
                        GError **error);

/* Recreates the domain saved in @file (its config is in the file). */
DS_PUBLIC
gboolean ds_domain_restore(DsConnection *conn, const char *file,
                           gboolean paused, DsProgressFunc progress,
                           gpointer opaque, char **name_out, GError **error);

/* ---- snapshots ---- */

typedef struct {
    const char *config_path;       /* snapshot config (xl.cfg syntax), or NULL */
    const char *const *overrides;  /* KEY=VALUE lines appended to it */
    const char *name;              /* --name; name= in the config wins */
    const char *description;
    const char *live;              /* NULL, "auto" (--live), "background", "precopy" */
    gboolean internal;             /* --internal */
    gboolean external;             /* --external */
    gboolean disk_only;            /* --disk-only */
    gboolean quiesce;              /* --quiesce: the guest agent freezes the filesystems */
    const char *dir;               /* --dir: must not exist; created */
    gboolean dry_run;              /* plan only: result->plan says the steps */
    const char *xml_path;          /* libvirt domainsnapshot XML instead of a config */
    gboolean redefine;             /* with xml_path: import the record of an existing snapshot */
} DsSnapshotCreateOptions;

typedef struct {
    char *name;
    char *memory;          /* "external", "internal" or "no" */
    char *live;            /* "no", "background" or "precopy" */
    guint64 memory_bytes;  /* the external memory image's size */
    gint64 pause_us;       /* the guest's pause, -1 if it was not running */
    gboolean crash_consistent;
    char *plan;            /* the steps, in order: "pause, disk-transaction, ..." */
} DsSnapshotCreateResult;

DS_PUBLIC
void ds_snapshot_create_result_clear(DsSnapshotCreateResult *result);

DS_PUBLIC
gboolean ds_snapshot_create(DsConnection *conn, const char *domain,
                            const DsSnapshotCreateOptions *options,
                            DsProgressFunc progress, gpointer opaque,
                            DsSnapshotCreateResult *result, GError **error);

typedef struct {
    char *name;
    char *parent;          /* NULL for a root */
    char *description;
    gint64 creation_time;
    char *state;           /* running, paused, shutoff, disk-snapshot */
    char *domain_state;    /* running, paused, shutoff: the domain when it was taken */
    char *memory;          /* external, internal, no ("no": disk-only) */
    gboolean crash_consistent; /* disk-only, taken while the domain was running */
    gboolean quiesced;     /* the guest's filesystems were frozen by its agent */
    char *disks;           /* "xvda:internal xvdb:external" */
    char *live;            /* "no", "background" or "precopy" */
    gint64 pause_us;       /* the guest's pause when it was taken; -1: not measured */
    gboolean current;      /* the domain's current snapshot */
    guint children;
    char *record_json;     /* the whole record (only if asked for) */
} DsSnapshotInfo;

DS_PUBLIC
void ds_snapshot_info_free(DsSnapshotInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsSnapshotInfo, ds_snapshot_info_free)

/* Every snapshot of @domain, oldest first (a GPtrArray of DsSnapshotInfo);
 * @with_records fills record_json. */
DS_PUBLIC
GPtrArray *ds_snapshot_list(DsConnection *conn, const char *domain, gboolean with_records,
                            GError **error);
DS_PUBLIC
DsSnapshotInfo *ds_snapshot_get_info(DsConnection *conn, const char *domain,
                                     const char *snapshot, GError **error);
/* The domain's current snapshot's name; NULL with no error if it has none. */
DS_PUBLIC
char *ds_snapshot_current(DsConnection *conn, const char *domain, GError **error);

typedef enum {
    DS_SNAPSHOT_DELETE_METADATA = 1 << 0,      /* records only; files stay */
    DS_SNAPSHOT_DELETE_CHILDREN = 1 << 1,      /* and all its descendants */
    DS_SNAPSHOT_DELETE_CHILDREN_ONLY = 1 << 2, /* its descendants only */
} DsSnapshotDeleteFlags;

/*
 * Deletes a snapshot so that what every other snapshot and the running
 * domain see stays the same (see snapshot_delete.h); warnings go to the
 * GLib log (domain "domsnap").
 */
DS_PUBLIC
gboolean ds_snapshot_delete(DsConnection *conn, const char *domain, const char *snapshot,
                            unsigned flags, GError **error);

/* The snapshot as libvirt domainsnapshot XML; @with_domain adds <domain>. */
DS_PUBLIC
char *ds_snapshot_dumpxml(DsConnection *conn, const char *domain, const char *snapshot,
                          gboolean with_domain, GError **error);

/*
 * Passes @command (a JSON object: {"execute": ..., "arguments": ...}) to the
 * guest agent of running @domain, waiting up to @timeout_s; *@reply is the
 * agent's "return", as JSON.
 */
DS_PUBLIC
gboolean ds_domain_agent_command(DsConnection *conn, const char *domain, const char *command,
                                 int timeout_s, char **reply, GError **error);

/* Connects to the serial console of running @domain: a socket to read
 * what the guest prints and write what it reads, or -1. */
DS_PUBLIC
int ds_domain_console_open(DsConnection *conn, const char *domain, GError **error);

/* Where the VNC server of running @domain listens. */
DS_PUBLIC
gboolean ds_domain_vnc_address(DsConnection *conn, const char *domain, char **host, int *port,
                               GError **error);

/*
 * Puts the image @path into cdrom @vdev of @domain (running: at once; the
 * record keeps it either way, so a restart or a snapshot has it), or takes
 * the media out (ds_domain_cd_eject), as xl cd-insert / cd-eject do.
 */
DS_PUBLIC
gboolean ds_domain_cd_insert(DsConnection *conn, const char *domain, const char *vdev,
                             const char *path, GError **error);
DS_PUBLIC
gboolean ds_domain_cd_eject(DsConnection *conn, const char *domain, const char *vdev,
                            GError **error);

typedef enum {
    DS_REVERT_STATE_AS_RECORDED,
    DS_REVERT_STATE_RUNNING,
    DS_REVERT_STATE_PAUSED,
} DsRevertState;

typedef enum {
    /* A running domain may be reverted to a disk-only snapshot (its memory
     * is lost). */
    DS_SNAPSHOT_REVERT_FORCE = 1 << 0,
    /* Leave the guest's clock alone: by default a guest that runs again
     * from saved memory and has a guest agent gets the host's time, so that
     * it does not live in the past. */
    DS_SNAPSHOT_REVERT_NO_TIME_SYNC = 1 << 1,
} DsSnapshotRevertFlags;

/*
 * Reverts @domain to @snapshot: a snapshot name, or (the Xen design's form)
 * the path of a snapshot config whose name= names it. @flags:
 * DsSnapshotRevertFlags.
 */
DS_PUBLIC
gboolean ds_snapshot_revert(DsConnection *conn, const char *domain,
                            const char *snapshot, DsRevertState state,
                            unsigned flags, DsProgressFunc progress,
                            gpointer opaque, GError **error);

/*
 * Looks for what interrupted operations left (a journal) and for orphan
 * files in the snapshot directories, of @domain or of every domain; with
 * @repair finishes or undoes them. Each finding and action is added to
 * @report (strings); *@problems counts what is wrong (before any repair).
 */
DS_PUBLIC
gboolean ds_check(DsConnection *conn, const char *domain, gboolean repair,
                  GPtrArray *report, guint *problems, GError **error);

G_END_DECLS
