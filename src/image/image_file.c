/*
 * image_file.c: the file backend: raw and qcow2 image files, through
 * qemu-img, with the qcow2 header read directly where that is enough.
 */
#include "image.h"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include <unistd.h>

#include "domsnap.h"
#include "formats/diskspec.h"
#include "image/qcow2_header.h"
#include "image/qemu_img.h"

static int
format_of(const char *name)
{
    return MAX(0, ds_enum_from_string(&ds_disk_format_table, name));
}

/* The qcow2 header, read directly; FALSE if qemu-img must be asked. */
static gboolean
info_from_header(const char *file, DsImageInfo *info)
{
    DsQcow2Header h;

    /* Without a recorded backing format QEMU probes it: let qemu-img say. */
    if (!ds_qcow2_header_read(file, &h, NULL) || h.unusual ||
        (h.backing && (strchr(h.backing, ':') || !h.backing_format))) {
        ds_qcow2_header_clear(&h);
        return FALSE;
    }
    info->format = h.is_qcow2 ? DS_DISK_FORMAT_QCOW2 : DS_DISK_FORMAT_RAW;
    info->backing = g_steal_pointer(&h.backing);
    info->internal_snapshots = h.nb_snapshots;
    info->virtual_size = h.size;
    info->backing_format = DS_DISK_FORMAT_RAW;
    if (h.backing_format)
        info->backing_format = format_of(h.backing_format);
    ds_qcow2_header_clear(&h);
    return TRUE;
}

static gboolean
info_from_qemu_img(const char *file, DsImageInfo *info, GError **error)
{
    const char *args[] = { "info", "-U", "--output=json", file, NULL };
    g_autofree char *out = NULL;
    json_object *j, *v = NULL;

    if (!ds_qemu_img_run(args, &out, error))
        return FALSE;
    j = json_tokener_parse(out);
    if (!j) {
        g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "qemu-img info '%s': unreadable output", file);
        return FALSE;
    }
    info->format = DS_DISK_FORMAT_RAW;
    if (json_object_object_get_ex(j, "format", &v))
        info->format = format_of(json_object_get_string(v));
    if (json_object_object_get_ex(j, "full-backing-filename", &v) ||
        json_object_object_get_ex(j, "backing-filename", &v))
        info->backing = g_strdup(json_object_get_string(v));
    info->internal_snapshots = json_object_object_get_ex(j, "snapshots", &v)
                                   ? json_object_array_length(v) : 0;
    if (json_object_object_get_ex(j, "virtual-size", &v))
        info->virtual_size = json_object_get_int64(v);
    info->backing_format = DS_DISK_FORMAT_RAW;
    if (json_object_object_get_ex(j, "backing-filename-format", &v))
        info->backing_format = format_of(json_object_get_string(v));
    json_object_put(j);
    return TRUE;
}

static gboolean
file_info(const char *file, DsImageInfo *info, GError **error)
{
    return info_from_header(file, info) || info_from_qemu_img(file, info, error);
}

static gboolean
file_create_overlay(const char *overlay, const char *backing, int backing_format,
                    GError **error)
{
    const char *fmt = ds_enum_to_string(&ds_disk_format_table, backing_format);
    const char *args[] = { "create", "-q", "-f", "qcow2", "-b", backing, "-F", fmt, overlay, NULL };

    return ds_qemu_img_make(overlay, args, error);
}

static gboolean
file_convert(const char *src, int src_format, const char *snapshot, const char *dest,
             GError **error)
{
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();
    g_auto(GStrv) args = NULL;

    g_strv_builder_add_many(b, "convert", "-q", NULL);
    if (src_format >= 0)
        g_strv_builder_add_many(b, "-f", ds_enum_to_string(&ds_disk_format_table, src_format),
                                NULL);
    g_strv_builder_add_many(b, "-O", "qcow2", NULL);
    if (snapshot) {
        g_autofree char *opt = g_strdup_printf("snapshot.name=%s", snapshot);
        g_strv_builder_add_many(b, "-l", opt, NULL);
    }
    g_strv_builder_add_many(b, src, dest, NULL);
    args = g_strv_builder_end(b);
    return ds_qemu_img_make(dest, (const char *const *)args, error);
}

static gboolean
snapshot_op(const char *op, const char *file, const char *name, GError **error)
{
    const char *args[] = { "snapshot", op, name, file, NULL };

    return ds_qemu_img_run(args, NULL, error);
}

static gboolean
file_snapshot_create(const char *file, const char *name, GError **error)
{
    return snapshot_op("-c", file, name, error);
}

static gboolean
file_snapshot_apply(const char *file, const char *name, GError **error)
{
    return snapshot_op("-a", file, name, error);
}

static gboolean
file_snapshot_delete(const char *file, const char *name, GError **error)
{
    return snapshot_op("-d", file, name, error);
}

static gboolean
file_rebase(const char *file, const char *new_backing, int new_backing_format,
            GError **error)
{
    const char *fmt = ds_enum_to_string(&ds_disk_format_table, new_backing_format);
    /* Safe mode (no -u): qemu-img copies what differs, so @file's content
     * stays exactly as it was. */
    const char *with[] = { "rebase", "-q", "-f", "qcow2", "-b", new_backing, "-F", fmt, file, NULL };
    const char *standalone[] = { "rebase", "-q", "-f", "qcow2", "-b", "", file, NULL };

    return ds_qemu_img_run(new_backing ? with : standalone, NULL, error);
}

static gboolean
file_remove(const char *file, GError **error)
{
    if (unlink(file) == 0 || errno == ENOENT)
        return TRUE;
    g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot remove image '%s': %s", file,
                g_strerror(errno));
    return FALSE;
}

const DsImageBackend ds_image_file_backend = {
    .name = "file",
    .info = file_info,
    .create_overlay = file_create_overlay,
    .convert = file_convert,
    .snapshot_create = file_snapshot_create,
    .snapshot_apply = file_snapshot_apply,
    .snapshot_delete = file_snapshot_delete,
    .rebase = file_rebase,
    .remove = file_remove,
};
