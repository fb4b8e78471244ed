/*
 * image: disk images at rest, whatever stores them. Below the drivers and
 * shared by all of them: the engine asks this layer, never a hypervisor
 * driver, for what it does to an image that no running domain has open:
 * what it is (format, backing image, internal snapshots, size), a new
 * overlay on it, its internal snapshots, a rebase (an offline block-stream),
 * a standalone copy, its removal. An image that a running domain has open
 * belongs to the hypervisor while it runs (DsDriverBlockOps in
 * drivers/driver.h): only the driver may change it then.
 *
 * Each kind of storage is a backend (DsImageBackend), chosen from the
 * image's spec by ds_image_backend_for(). Today a spec is a path: a file,
 * raw or qcow2, handled with qemu-img (image_file.c). Other storage (LVM
 * volumes, Ceph RBD images) is one more backend with a spec prefix of its
 * own, added in ds_image_backend_for(); nothing above this layer changes.
 * A backend leaves NULL what its storage cannot do (LVM has no internal
 * snapshots), and the call fails with DS_ERROR_UNSUPPORTED naming the image
 * and the backend.
 */
#pragma once

#include <glib.h>

typedef struct {
    int format;              /* DsDiskFormat: qcow2, or raw for anything else */
    char *backing;           /* the image it is built on (absolute), or NULL */
    int backing_format;      /* DsDiskFormat of @backing (raw if not recorded) */
    guint internal_snapshots;
    guint64 virtual_size;    /* bytes the guest sees */
} DsImageInfo;

void ds_image_info_clear(DsImageInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DsImageInfo, ds_image_info_clear)

typedef struct {
    const char *name; /* for messages: "file" */
    gboolean (*info)(const char *image, DsImageInfo *info, GError **error);
    /* A new qcow2 overlay (created 0600, never over an existing one) whose
     * backing image is @backing, of DsDiskFormat @backing_format. */
    gboolean (*create_overlay)(const char *overlay, const char *backing, int backing_format,
                               GError **error);
    /* A new standalone qcow2 @dest (created 0600) with the content of @src
     * (of DsDiskFormat @src_format, or < 0: probed), or of its internal
     * snapshot @snapshot (NULL: its current state). */
    gboolean (*convert)(const char *src, int src_format, const char *snapshot,
                        const char *dest, GError **error);
    gboolean (*snapshot_create)(const char *image, const char *name, GError **error);
    /* Puts @image back at internal snapshot @name (its current state is lost). */
    gboolean (*snapshot_apply)(const char *image, const char *name, GError **error);
    gboolean (*snapshot_delete)(const char *image, const char *name, GError **error);
    /* Copies into @image what it reads through its backing chain above
     * @new_backing, and builds it on @new_backing (NULL: standalone):
     * nothing @image shows changes. */
    gboolean (*rebase)(const char *image, const char *new_backing, int new_backing_format,
                       GError **error);
    /* Removes @image; one that is not there is removed already. */
    gboolean (*remove)(const char *image, GError **error);
} DsImageBackend;

extern const DsImageBackend ds_image_file_backend;

/* The backend that stores @image. */
const DsImageBackend *ds_image_backend_for(const char *image);

/* The operations of @image's backend, or DS_ERROR_UNSUPPORTED. */
gboolean ds_image_info(const char *image, DsImageInfo *info, GError **error);
gboolean ds_image_create_overlay(const char *overlay, const char *backing, int backing_format,
                                 GError **error);
gboolean ds_image_convert(const char *src, int src_format, const char *snapshot,
                          const char *dest, GError **error);
gboolean ds_image_snapshot_create(const char *image, const char *name, GError **error);
gboolean ds_image_snapshot_apply(const char *image, const char *name, GError **error);
gboolean ds_image_snapshot_delete(const char *image, const char *name, GError **error);
gboolean ds_image_rebase(const char *image, const char *new_backing, int new_backing_format,
                         GError **error);
gboolean ds_image_remove(const char *image, GError **error);
