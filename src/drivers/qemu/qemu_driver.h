/* Helpers shared by the QEMU driver's files. */
#pragma once

#include "drivers/driver.h"
#include "drivers/qemu/qmp_commands.h"

/* QMP connection to a running domain's QEMU. */
DsQmp *ds_qemu_connect(const DsDomainRecord *rec, int timeout_ms, GError **error);

/*
 * The host end (a unix socket QEMU listens on) of channel @name of a
 * running domain, or of its guest agent's channel (org.qemu.guest_agent.0,
 * from guest_agent = 1). NULL with DS_ERROR_NOT_FOUND if it has no such
 * channel on a socket, DS_ERROR_STATE if it is not running.
 */
char *ds_qemu_channel_socket(const DsDomainRecord *rec, const char *name, GError **error);
char *ds_qemu_agent_socket(const DsDomainRecord *rec, GError **error);

/* qemu_tap.c: a new tap named @tap on @bridge (up); its descriptor, or -1. */
int ds_qemu_tap_open(const char *tap, const char *bridge, GError **error);

/* Is the process @pid, started at @start ticks, still alive (not a zombie)? */
gboolean ds_qemu_process_alive(gint64 pid, gint64 start);

/* qemu_memory.c: the driver's save_memory and load_memory. */
gboolean ds_qemu_save_memory(const DsDomainRecord *rec, int fd,
                             DsProgressFunc progress, gpointer opaque,
                             GError **error);
gboolean ds_qemu_load_memory(const DsDomainRecord *rec, int fd, guint64 total,
                             DsProgressFunc progress, gpointer opaque,
                             GError **error);

/* qemu_snapshot.c: the online snapshot steps. */
DsDriverSession *ds_qemu_session_open(const DsDomainRecord *rec, GError **error);
void ds_qemu_session_close(DsDriverSession *s);
gint64 ds_qemu_session_pause_us(DsDriverSession *s);
gboolean ds_qemu_session_pause(DsDriverSession *s, GError **error);
gboolean ds_qemu_session_resume(DsDriverSession *s, GError **error);
gboolean ds_qemu_attach_overlays(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error);
void ds_qemu_detach_overlays(DsDriverSession *s, const DsSnapshotPlan *plan);
gboolean ds_qemu_disk_transaction(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error);
gboolean ds_qemu_undo_disk_transaction(DsDriverSession *s, const DsSnapshotPlan *plan,
                                       GError **error);
gboolean ds_qemu_session_prepare(DsDriverSession *s, const DsSnapshotPlan *plan, int mem_fd,
                                 GError **error);
gboolean ds_qemu_memory_start(DsDriverSession *s, DsLiveMode live, GError **error);
gboolean ds_qemu_memory_wait(DsDriverSession *s, DsProgressFunc progress, gpointer opaque,
                             GError **error);
void ds_qemu_memory_cancel(DsDriverSession *s);
gboolean ds_qemu_save_internal(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error);
gboolean ds_qemu_delete_internal(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error);
gboolean ds_qemu_load_internal(const DsDomainRecord *rec, const char *name,
                               const char *vmstate_vdev, const char *const *vdevs,
                               GError **error);
gboolean ds_qemu_background_supported(const DsDomainRecord *rec);
gboolean ds_qemu_stream_online(const DsDomainRecord *rec, const char *file,
                               const char *new_backing, GError **error);
gboolean ds_qemu_delete_internal_online(const DsDomainRecord *rec, const char *file,
                                        const char *name, GError **error);
gboolean ds_qemu_rollback_online(const DsDomainRecord *rec, const char *name, int live,
                                 const char *const *internal_files,
                                 const char *const *overlays, const char *const *bases,
                                 gboolean was_running, GError **error);

/* qemu_memory.c: shared with the snapshot steps. */
gboolean ds_qemu_migration_wait(const char *who, DsQmp *qmp, const char *what,
                                DsProgressFunc progress, gpointer opaque, GError **error);
gboolean ds_qemu_migration_prepare(DsQmp *qmp, int fd, gboolean background, GError **error);
gboolean ds_qemu_migration_start(DsQmp *qmp, GError **error);

#define DS_QMP_TIMEOUT_MS 30000
