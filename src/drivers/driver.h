/*
 * driver: what a hypervisor driver does. The library and the engine decide
 * what to do; a driver only knows how to do it on its hypervisor.
 *
 * The table has four parts:
 * - domain: the domain's life (resolve and adopt what the hypervisor's own
 *   toolstack started, start, pause, destroy, memory to and from a file);
 * - session: the steps of a snapshot of a running domain, its repair, and
 *   loading internal memory;
 * - block: the images a running domain has open, which only the hypervisor
 *   may change while it runs (block-stream, internal snapshot deletion);
 * - device: the guest agent, console, VNC, cdroms.
 * Images at rest (overlays, internal snapshots, rebase, removal) are not a
 * driver's: every driver shares the image layer (image/image.h) for them.
 *
 * What a driver can do is said once, by its capabilities (DsDriverCap):
 * the engine asks ds_driver_has_cap() before it calls an optional op, and
 * refuses, naming the domain, the driver and what is missing, through
 * ds_driver_require_cap(). The ops each capability needs are listed in
 * driver.c; tests/unit/test_driver.c checks that each built-in driver
 * fills exactly the ops of the capabilities it claims. The ops that no
 * capability guards (get_state, has_instance, pause, unpause, destroy,
 * shutdown) every driver has. Whether a driver snapshots raw disks as
 * copies, or takes overlays at all, is a capability too (COPY_DISK,
 * EXTERNAL_DISK); how its memory save behaves (memory_stops_guest) is a
 * property: every driver saves memory, some stop the guest to do it.
 *
 * A new hypervisor is a table and its capabilities. New storage (LVM, RBD)
 * is an image backend for everything done to images at rest; a driver
 * only has to open such an image in its hypervisor.
 */
#pragma once

#include <glib.h>

#include "domsnap.h"
#include "formats/snapshot_steps.h"
#include "store/domain_record.h"

typedef enum {
    DS_START_PAUSED = 1 << 0,   /* do not run the vCPUs */
    DS_START_INCOMING = 1 << 1, /* wait for memory instead of booting */
} DsStartFlags;

/* One monitor connection held across the steps of one operation. */
typedef struct _DsDriverSession DsDriverSession;

typedef enum {
    DS_DRIVER_CAP_START,          /* domain.start: domains from a domsnap config */
    DS_DRIVER_CAP_COMMAND_LINE,   /* domain.command_line (create --dry-run) */
    DS_DRIVER_CAP_ADOPT,          /* domain.resolve/adopt/refresh/locate: domains the
                                   * hypervisor's toolstack started */
    DS_DRIVER_CAP_RESTORE,        /* domain.restore: create and load memory in one step
                                   * (instead of start + load_memory) */
    DS_DRIVER_CAP_SAVE_MEMORY,    /* domain.save_memory/load_memory (save, restore) */
    DS_DRIVER_CAP_OFFLINE_SNAPSHOT, /* snapshots of its shut-off domains (the image
                                   * layer's work only: no op) */
    DS_DRIVER_CAP_LIVE_SNAPSHOT,  /* session.*: snapshots of running domains */
    DS_DRIVER_CAP_EXTERNAL_DISK,  /* overlays: session.attach/detach_overlays */
    DS_DRIVER_CAP_INTERNAL_DISK,  /* internal disk snapshots of a running domain's
                                   * images: block.delete_internal_online */
    DS_DRIVER_CAP_COPY_DISK,      /* raw disks are snapshotted as copies (and only so)
                                   * by session.disk_transaction: no op of its own */
    DS_DRIVER_CAP_MEMORY_INTERNAL,/* memory inside the qcow2 disks: session.save_internal/
                                   * delete_internal/load_internal */
    DS_DRIVER_CAP_MEMORY_CANCEL,  /* session.memory_cancel: a memory write stopped midway */
    DS_DRIVER_CAP_BACKGROUND_SNAPSHOT, /* session.background_supported (--live=background),
                                   * which still asks the domain's hypervisor */
    DS_DRIVER_CAP_STREAM_ONLINE,  /* block.stream_online: block-stream in a running domain */
    DS_DRIVER_CAP_GUEST_AGENT,    /* device.has_guest_agent/fs_freeze/fs_thaw/
                                   * guest_set_time/agent_command */
    DS_DRIVER_CAP_CONSOLE,        /* device.console_socket */
    DS_DRIVER_CAP_VNC,            /* device.vnc_address */
    DS_DRIVER_CAP_CDROM,          /* device.cdrom_change */
    DS_DRIVER_CAP_COUNT
} DsDriverCap;

/* The bit of @cap in a driver's caps. */
#define DS_CAP(cap) (G_GUINT64_CONSTANT(1) << (cap))

typedef struct {
    /* ---- domains that the hypervisor's own toolstack started (xl) ---- */
    /* The hypervisor's name of @domain (a name or an id), or NULL with
     * DS_ERROR_NOT_FOUND. Cheap: asks for nothing else. */
    char *(*resolve)(const char *domain, GError **error);
    /* A record for the domain named @name, with its config; called under
     * that domain's lock. */
    DsDomainRecord *(*adopt)(const char *name, GError **error);
    /* Brings @rec's id and config up to date with the hypervisor; called
     * under the domain's lock (libxl's config retrieval is not made to run
     * in several processes at once on one domain). */
    gboolean (*refresh)(DsDomainRecord *rec, GError **error);
    /* Brings @rec's id alone up to date: for readers, without the lock. */
    gboolean (*locate)(DsDomainRecord *rec, GError **error);
    /* Creates the domain from rec->config and memory read from @fd (-1:
     * boots it), for a hypervisor that does both in one. */
    gboolean (*restore)(DsDomainRecord *rec, int fd, gboolean paused, GError **error);

    /*
     * Starts the domain described by rec->config, with its runtime files in
     * rec->run_dir; fills rec->pid, rec->pid_start, rec->qmp_socket.
     */
    gboolean (*start)(DsDomainRecord *rec, DsStartFlags flags, GError **error);
    /* The command line start() would run for @rec (create --dry-run). */
    GStrv (*command_line)(DsDomainRecord *rec, DsStartFlags flags, GError **error);
    /*
     * Optional (NULL: nothing to do): makes what a domain domsnap creates
     * keeps for its whole life in its directory @dir (the UEFI variable
     * store of a bios = "ovmf" domain, made once) and records it in
     * @config. With @dry_run only records where it would be.
     */
    gboolean (*prepare_domain)(DsDomainConfig *config, const char *dir, gboolean dry_run,
                               GError **error);

    gboolean (*get_state)(const DsDomainRecord *rec, DsDomainState *state,
                          GError **error);
    /* Whether the hypervisor holds something of the domain that a destroy
     * must remove: a QEMU process (even one whose guest powered off), a Xen
     * domain (even a dying one). */
    gboolean (*has_instance)(const DsDomainRecord *rec);
    gboolean (*pause)(const DsDomainRecord *rec, GError **error);
    gboolean (*unpause)(const DsDomainRecord *rec, GError **error);
    /* Stops the domain at once, whatever it is doing. */
    gboolean (*destroy)(const DsDomainRecord *rec, GError **error);
    /* Asks the guest to power off. */
    gboolean (*shutdown)(const DsDomainRecord *rec, GError **error);
    /* Pauses the guest and writes its memory to @fd; leaves it paused. */
    gboolean (*save_memory)(const DsDomainRecord *rec, int fd,
                            DsProgressFunc progress, gpointer opaque,
                            GError **error);
    /* Loads memory from @fd into a domain started DS_START_INCOMING. */
    gboolean (*load_memory)(const DsDomainRecord *rec, int fd, guint64 total,
                            DsProgressFunc progress, gpointer opaque,
                            GError **error);
} DsDriverDomainOps;

/*
 * The steps of one snapshot of a running domain, on one session.
 *
 * Memory goes to the descriptor given to session_prepare, written in order
 * from its current position: the driver never seeks, stats or reopens it.
 * So it may be a pipe that domsnap reads on the other side (a store that
 * deduplicates memory pages), not only the memory image's file.
 */
typedef struct {
    DsDriverSession *(*session_open)(const DsDomainRecord *rec, GError **error);
    void (*session_close)(DsDriverSession *s);
    /* The guest's pause during the session (first stop to last resume), or -1. */
    gint64 (*session_pause_us)(DsDriverSession *s);
    gboolean (*session_pause)(DsDriverSession *s, GError **error);
    gboolean (*session_resume)(DsDriverSession *s, GError **error);
    /*
     * Everything that can be done before the pause, so that inside it only
     * the graph switch and the start of the memory write remain: finds the
     * disks' nodes, and (if @mem_fd >= 0) sets up the memory write.
     */
    gboolean (*session_prepare)(DsDriverSession *s, const DsSnapshotPlan *plan,
                                int mem_fd, GError **error);
    /* Opens the plan's (already created) overlays in the hypervisor. */
    gboolean (*attach_overlays)(DsDriverSession *s, const DsSnapshotPlan *plan,
                                GError **error);
    void (*detach_overlays)(DsDriverSession *s, const DsSnapshotPlan *plan);
    /* Every disk of the plan at once (internal, external, copy), atomically. */
    gboolean (*disk_transaction)(DsDriverSession *s, const DsSnapshotPlan *plan,
                                 GError **error);
    /* Puts the disks back as they were before disk_transaction. */
    gboolean (*undo_disk_transaction)(DsDriverSession *s, const DsSnapshotPlan *plan,
                                      GError **error);
    /* Starts writing memory (prepared by session_prepare); DS_LIVE_NO
     * expects a paused guest. */
    gboolean (*memory_start)(DsDriverSession *s, DsLiveMode live, GError **error);
    gboolean (*memory_wait)(DsDriverSession *s, DsProgressFunc progress,
                            gpointer opaque, GError **error);
    void (*memory_cancel)(DsDriverSession *s);
    /* Memory and the plan's internal disks into the qcow2 files (savevm). */
    gboolean (*save_internal)(DsDriverSession *s, const DsSnapshotPlan *plan,
                              GError **error);
    gboolean (*delete_internal)(DsDriverSession *s, const DsSnapshotPlan *plan,
                                GError **error);
    /* Revert: loads internal memory and disks into a domain started paused. */
    gboolean (*load_internal)(const DsDomainRecord *rec, const char *name,
                              const char *vmstate_vdev, const char *const *vdevs,
                              GError **error);
    /* Whether this domain's hypervisor can write point-in-time memory. */
    gboolean (*background_supported)(const DsDomainRecord *rec);
    /* Repair of a create that was killed: see ds_qemu_rollback_online(). */
    gboolean (*rollback_online)(const DsDomainRecord *rec, const char *name, int live,
                                const char *const *internal_files,
                                const char *const *overlays, const char *const *bases,
                                gboolean was_running, GError **error);
} DsDriverSessionOps;

/*
 * Images that a running domain has open. Each returns FALSE with
 * DS_ERROR_NOT_FOUND if the domain does not have @file open: then the image
 * layer does it instead.
 */
typedef struct {
    /* Copies into @file what it reads above @new_backing and builds it on
     * @new_backing (NULL: standalone), in the running domain (block-stream). */
    gboolean (*stream_online)(const DsDomainRecord *rec, const char *file,
                              const char *new_backing, GError **error);
    gboolean (*delete_internal_online)(const DsDomainRecord *rec, const char *file,
                                       const char *name, GError **error);
} DsDriverBlockOps;

typedef struct {
    /* ---- the guest agent ---- */
    /* Whether the domain has a guest agent channel. */
    gboolean (*has_guest_agent)(const DsDomainRecord *rec);
    /* Freezes the guest's filesystems (fsfreeze); fails if no agent answers
     * in time. */
    gboolean (*fs_freeze)(const DsDomainRecord *rec, GError **error);
    gboolean (*fs_thaw)(const DsDomainRecord *rec, GError **error);
    /* Sets the guest's clock to the host's. */
    gboolean (*guest_set_time)(const DsDomainRecord *rec, GError **error);
    /* Passes @command (a JSON object) to the agent; *@reply is its "return". */
    gboolean (*agent_command)(const DsDomainRecord *rec, const char *command, int timeout_ms,
                              char **reply, GError **error);
    /* ---- devices of a running domain ---- */
    /* The unix socket of its serial console. */
    char *(*console_socket)(const DsDomainRecord *rec, GError **error);
    /* Where its VNC server listens. */
    gboolean (*vnc_address)(const DsDomainRecord *rec, char **host, int *port, GError **error);
    /* Puts @path (of DsDiskFormat @format) into cdrom @index, or ejects
     * (@path NULL). */
    gboolean (*cdrom_change)(const DsDomainRecord *rec, guint index, const char *path,
                             int format, GError **error);
} DsDriverDeviceOps;

typedef struct {
    const char *name;
    guint64 caps; /* DS_CAP(x) | DS_CAP(y) ... */
    /* How, not whether: its memory save stops the guest itself (libxl
     * suspend), so the disks are taken after it. */
    gboolean memory_stops_guest;
    DsDriverDomainOps domain;
    DsDriverSessionOps session;
    DsDriverBlockOps block;
    DsDriverDeviceOps device;
} DsDriverOps;

gboolean ds_driver_has_cap(const DsDriverOps *drv, DsDriverCap cap);

/*
 * TRUE if @drv has @cap; else fails with DS_ERROR_UNSUPPORTED:
 *   domain 'web1' (xen driver): DOING needs block streaming in a running
 *   domain, which the xen driver does not support; REMEDY
 * @domain, @doing and @remedy may be NULL: "domain 'web1': the xen driver
 * does not support block streaming in a running domain".
 */
gboolean ds_driver_require_cap(const DsDriverOps *drv, DsDriverCap cap, const char *domain,
                               const char *doing, const char *remedy, GError **error);

/*
 * Whether @drv's table says what it does: every op that no capability
 * guards is there, every capability it claims has its ops, and no op is
 * there without a capability that claims it (an op nobody would call).
 * The first mismatch goes to @error.
 */
gboolean ds_driver_check_table(const DsDriverOps *drv, GError **error);

const DsDriverOps *ds_driver_get(const char *name, GError **error);
/* The built-in drivers, NULL-terminated. */
const DsDriverOps *const *ds_driver_list(void);

gboolean ds_driver_start(const DsDriverOps *drv, DsDomainRecord *rec,
                         DsStartFlags flags, GError **error);
gboolean ds_driver_has_instance(const DsDriverOps *drv, const DsDomainRecord *rec);
gboolean ds_driver_get_state(const DsDriverOps *drv, const DsDomainRecord *rec,
                             DsDomainState *state, GError **error);
gboolean ds_driver_pause(const DsDriverOps *drv, const DsDomainRecord *rec,
                         GError **error);
gboolean ds_driver_unpause(const DsDriverOps *drv, const DsDomainRecord *rec,
                           GError **error);
gboolean ds_driver_destroy(const DsDriverOps *drv, const DsDomainRecord *rec,
                           GError **error);
gboolean ds_driver_shutdown(const DsDriverOps *drv, const DsDomainRecord *rec,
                            GError **error);
gboolean ds_driver_save_memory(const DsDriverOps *drv, const DsDomainRecord *rec,
                               int fd, DsProgressFunc progress, gpointer opaque,
                               GError **error);
gboolean ds_driver_load_memory(const DsDriverOps *drv, const DsDomainRecord *rec,
                               int fd, guint64 total, DsProgressFunc progress,
                               gpointer opaque, GError **error);
/* prepare_domain, or nothing to do. */
gboolean ds_driver_prepare_domain(const DsDriverOps *drv, DsDomainConfig *config,
                                  const char *dir, gboolean dry_run, GError **error);

extern const DsDriverOps ds_qemu_driver;
#ifdef DS_WITH_XEN
extern const DsDriverOps ds_xen_driver;
#endif

/* "xen" in a Xen control domain (/proc/xen/capabilities), else "qemu". */
const char *ds_driver_default_name(void);
