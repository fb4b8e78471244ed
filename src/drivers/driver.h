/*
 * driver: the operations table every hypervisor driver fills. The library
 * decides what to do; a driver only knows how to do it on its hypervisor.
 * A slot a driver leaves NULL gives one uniform "unsupported" error.
 */
#pragma once

#include <glib.h>

#include "domsnap.h"
#include "store/domain_record.h"

typedef enum {
    DS_START_PAUSED = 1 << 0,   /* do not run the vCPUs */
    DS_START_INCOMING = 1 << 1, /* wait for memory instead of booting */
} DsStartFlags;

typedef struct {
    const char *name;

    /*
     * Starts the domain described by rec->config, with its runtime files in
     * rec->run_dir; fills rec->pid, rec->pid_start, rec->qmp_socket.
     */
    gboolean (*start)(DsDomainRecord *rec, DsStartFlags flags, GError **error);
    gboolean (*get_state)(const DsDomainRecord *rec, DsDomainState *state,
                          GError **error);
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
} DsDriverOps;

const DsDriverOps *ds_driver_get(const char *name, GError **error);

gboolean ds_driver_start(const DsDriverOps *drv, DsDomainRecord *rec,
                         DsStartFlags flags, GError **error);
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
