/* xen_driver: the parts of the xen driver's ops table, file by file. */
#pragma once

#include "drivers/driver.h"

/* xen_driver.c */
gboolean ds_xen_refresh(DsDomainRecord *rec, GError **error);

/* xen_memory.c: libxl's save and restore streams */
gboolean ds_xen_restore(DsDomainRecord *rec, int fd, gboolean paused, GError **error);
gboolean ds_xen_memory_save(DsDriverSession *s, DsLiveMode live, GError **error);
gboolean ds_xen_memory_wait(DsDriverSession *s, DsProgressFunc progress, gpointer opaque,
                            GError **error);

/* xen_session.c: one snapshot-create */
DsDriverSession *ds_xen_session_open(const DsDomainRecord *rec, GError **error);
void ds_xen_session_close(DsDriverSession *s);
gint64 ds_xen_session_pause_us(DsDriverSession *s);
gboolean ds_xen_session_pause(DsDriverSession *s, GError **error);
gboolean ds_xen_session_resume(DsDriverSession *s, GError **error);
gboolean ds_xen_rollback_online(const DsDomainRecord *rec, const char *name, int live,
                                const char *const *internal_files,
                                const char *const *overlays, const char *const *bases,
                                gboolean was_running, GError **error);
gboolean ds_xen_session_prepare(DsDriverSession *s, const DsSnapshotPlan *plan, int mem_fd,
                                GError **error);

/* xen_qdisk.c: qcow2 disks served by the device model's qdisk backend */
gboolean ds_xen_qdisk_snapshot(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error);
gboolean ds_xen_qdisk_prepare(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error);
void ds_xen_qdisk_unsnapshot(DsDriverSession *s, const DsSnapshotPlan *plan);
gboolean ds_xen_delete_internal_online(const DsDomainRecord *rec, const char *file,
                                       const char *name, GError **error);

/* xen_disks.c: every disk of a plan, while the guest is stopped */
gboolean ds_xen_disk_transaction(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error);
gboolean ds_xen_undo_disk_transaction(DsDriverSession *s, const DsSnapshotPlan *plan, GError **error);
