#include "image.h"

#include "domsnap.h"

void
ds_image_info_clear(DsImageInfo *info)
{
    g_clear_pointer(&info->backing, g_free);
}

/*
 * A spec is a path today, so every image is a file. The backends for other
 * storage plug in here, each by its prefix ("lvm:VG/LV", "rbd:POOL/IMAGE"),
 * before the file backend that takes everything else.
 */
const DsImageBackend *
ds_image_backend_for(const char *image)
{
    return &ds_image_file_backend;
}

static gboolean
unsupported(const DsImageBackend *b, const char *image, const char *what, GError **error)
{
    g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED,
                "image '%s': %s images do not support %s", image, b->name, what);
    return FALSE;
}

/* Calls @op of @image's backend, or fails saying that it has none. */
#define DISPATCH(image, op, what, ...)                                   \
    do {                                                                \
        const DsImageBackend *b_ = ds_image_backend_for(image);         \
        return b_->op ? b_->op(__VA_ARGS__) : unsupported(b_, image, what, error); \
    } while (0)

gboolean
ds_image_info(const char *image, DsImageInfo *info, GError **error)
{
    *info = (DsImageInfo){ 0 };
    DISPATCH(image, info, "being inspected", image, info, error);
}

gboolean
ds_image_create_overlay(const char *overlay, const char *backing, int backing_format,
                        GError **error)
{
    DISPATCH(overlay, create_overlay, "overlays", overlay, backing, backing_format, error);
}

gboolean
ds_image_convert(const char *src, int src_format, const char *snapshot, const char *dest,
                 GError **error)
{
    DISPATCH(dest, convert, "copies", src, src_format, snapshot, dest, error);
}

gboolean
ds_image_snapshot_create(const char *image, const char *name, GError **error)
{
    DISPATCH(image, snapshot_create, "internal snapshots", image, name, error);
}

gboolean
ds_image_snapshot_apply(const char *image, const char *name, GError **error)
{
    DISPATCH(image, snapshot_apply, "internal snapshots", image, name, error);
}

gboolean
ds_image_snapshot_delete(const char *image, const char *name, GError **error)
{
    DISPATCH(image, snapshot_delete, "internal snapshots", image, name, error);
}

gboolean
ds_image_rebase(const char *image, const char *new_backing, int new_backing_format,
                GError **error)
{
    DISPATCH(image, rebase, "rebasing", image, new_backing, new_backing_format, error);
}

gboolean
ds_image_remove(const char *image, GError **error)
{
    DISPATCH(image, remove, "removal", image, error);
}
