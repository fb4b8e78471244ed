/*
 * driver: the operations table every hypervisor driver fills. The library
 * decides what to do; a driver only knows how to do it on its hypervisor.
 * A slot a driver leaves NULL gives one uniform "unsupported" error.
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

typedef struct {
    const char *name;
    /* Its memory save stops the guest itself (libxl suspend). */
    gboolean memory_stops_guest;
    /* Raw disks are copied (no overlay can go under them). */
    gboolean copies_raw_disks;
    /* No external snapshots (overlays) at all. */
    gboolean no_external_disks;

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
    /* Creates the domain from rec->config and memory read from @fd (NULL
     * for start + load_memory where the hypervisor does both in one). */
    gboolean (*restore)(DsDomainRecord *rec, int fd, gboolean paused, GError **error);

    /*
     * Starts the domain described by rec->config, with its runtime files in
     * rec->run_dir; fills rec->pid, rec->pid_start, rec->qmp_socket.
     */
    gboolean (*start)(DsDomainRecord *rec, DsStartFlags flags, GError **error);
    gboolean (*get_state)(const DsDomainRecord *rec, DsDomainState *state,
                          GError **error);
    /* ---- the guest agent (NULL: the driver has none) ---- */
    /* Whether the domain has a guest agent channel. */
    gboolean (*has_guest_agent)(const DsDomainRecord *rec);
    /* Freezes the guest's filesystems (fsfreeze); fails if no agent answers
     * in time. */
    gboolean (*fs_freeze)(const DsDomainRecord *rec, GError **error);
    gboolean (*fs_thaw)(const DsDomainRecord *rec, GError **error);
    /* Sets the guest's clock to the host's. */
    gboolean (*guest_set_time)(const DsDomainRecord *rec, GError **error);
    /* ---- devices of a running domain ---- */
    /* The unix socket of its serial console. */
    char *(*console_socket)(const DsDomainRecord *rec, GError **error);
    /* Where its VNC server listens. */
    gboolean (*vnc_address)(const DsDomainRecord *rec, char **host, int *port, GError **error);
    /* Puts @path (of DsDiskFormat @format) into cdrom @index, or ejects
     * (@path NULL). */
    gboolean (*cdrom_change)(const DsDomainRecord *rec, guint index, const char *path,
                             int format, GError **error);
    /* Passes @command (a JSON object) to the agent; *@reply is its "return". */
    gboolean (*agent_command)(const DsDomainRecord *rec, const char *command, int timeout_ms,
                              char **reply, GError **error);

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

    /* ---- snapshots of a running domain: steps of one session ---- */
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
    /* Every disk of the plan at once (internal and external), atomically. */
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
    gboolean (*background_supported)(const DsDomainRecord *rec);

    /* ---- disks of a shut-off domain (image files) ---- */
    /* A new qcow2 overlay at @overlay (must not exist; created 0600). */
    gboolean (*disk_create_overlay)(const char *overlay, const char *backing,
                                    int backing_format, GError **error);
    gboolean (*disk_snapshot_internal)(const char *file, const char *name,
                                       GError **error);
    gboolean (*disk_apply_internal)(const char *file, const char *name,
                                    GError **error);
    gboolean (*disk_delete_internal)(const char *file, const char *name,
                                     GError **error);
    /* The image @file is backed by (absolute), or NULL with no error. */
    gboolean (*disk_backing)(const char *file, char **backing, int *backing_format,
                             guint *internal_snapshots, GError **error);
    /* Copies @backing's data into @file and makes @file's backing
     * @new_backing (NULL: standalone): nothing @file shows changes. */
    gboolean (*disk_rebase)(const char *file, const char *new_backing,
                            int new_backing_format, GError **error);
    /* Online: the same for an image in the running domain's chain
     * (block-stream), and internal snapshot deletion in its top image.
     * Return FALSE with DS_ERROR_NOT_FOUND if @file is not in use. */
    gboolean (*stream_online)(const DsDomainRecord *rec, const char *file,
                              const char *new_backing, GError **error);
    gboolean (*delete_internal_online)(const DsDomainRecord *rec, const char *file,
                                       const char *name, GError **error);
    /* Repair of a create that was killed: see ds_qemu_rollback_online(). */
    gboolean (*rollback_online)(const DsDomainRecord *rec, const char *name, int live,
                                const char *const *internal_files,
                                const char *const *overlays, const char *const *bases,
                                gboolean was_running, GError **error);
    /* A new standalone qcow2 at @dest (created 0600) with the state of
     * internal snapshot @name of @file. */
    gboolean (*disk_copy_internal)(const char *file, const char *name,
                                   const char *dest, GError **error);

    /* ---- a domain domsnap creates (NULL: nothing to do / not shown) ---- */
    /*
     * Makes what the domain keeps for its whole life in its directory @dir
     * (the UEFI variable store of a bios = "ovmf" domain, made once) and
     * records it in @config. With @dry_run only records where it would be.
     */
    gboolean (*prepare_domain)(DsDomainConfig *config, const char *dir, gboolean dry_run,
                               GError **error);
    /* The command line start() would run for @rec (create --dry-run). */
    GStrv (*command_line)(DsDomainRecord *rec, DsStartFlags flags, GError **error);
} DsDriverOps;

/* Fails with the uniform "unsupported" error if @slot is NULL. */
gboolean ds_driver_require(const DsDriverOps *drv, gconstpointer slot,
                           const char *what, GError **error);

const DsDriverOps *ds_driver_get(const char *name, GError **error);

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

extern const DsDriverOps ds_qemu_driver;
#ifdef DS_WITH_XEN
extern const DsDriverOps ds_xen_driver;
#endif

/* "xen" in a Xen control domain (/proc/xen/capabilities), else "qemu". */
const char *ds_driver_default_name(void);
