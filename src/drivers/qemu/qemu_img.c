/*
 * qemu_img.c: image files of a shut-off domain, through qemu-img.
 */
#include "qemu_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "drivers/qemu/qcow2_header.h"
#include "formats/diskspec.h"
#include "util/ds_ovmf.h"

static const char *
qemu_img_binary(void)
{
    const char *env = g_getenv("DOMSNAP_QEMU_IMG");

    return env && *env ? env : "qemu-img";
}

gboolean
ds_qemu_img_run(const char *const *args, char **out, GError **error)
{
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();
    g_auto(GStrv) argv = NULL;
    g_autofree char *err_text = NULL;
    g_autofree char *out_text = NULL;
    g_autoptr(GError) local = NULL;
    int status = 0;

    g_strv_builder_add(b, qemu_img_binary());
    g_strv_builder_addv(b, (const char **)args);
    argv = g_strv_builder_end(b);
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out_text,
                      &err_text, &status, &local)) {
        g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "cannot run qemu-img: %s", local->message);
        return FALSE;
    }
    if (!g_spawn_check_wait_status(status, NULL)) {
        g_autofree char *cmd = g_strjoinv(" ", argv);
        g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "'%s' failed: %s", cmd,
                    err_text && *err_text ? g_strstrip(err_text) : "no message");
        return FALSE;
    }
    if (out)
        *out = g_steal_pointer(&out_text);
    return TRUE;
}

/*
 * Runs qemu-img to make the new image @path. The file is created here
 * first, 0600 and exclusively: guest data is private, and an existing file
 * is never overwritten. qemu-img keeps the mode.
 */
static gboolean
make_image(const char *path, const char *const *args, GError **error)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    if (fd < 0) {
        g_set_error(error, DS_ERROR, errno == EEXIST ? DS_ERROR_EXISTS : DS_ERROR_IO,
                    "cannot create image '%s': %s", path, g_strerror(errno));
        return FALSE;
    }
    close(fd);
    if (!ds_qemu_img_run(args, NULL, error)) {
        unlink(path);
        return FALSE;
    }
    return TRUE;
}

gboolean
ds_qemu_disk_create_overlay(const char *overlay, const char *backing, int backing_format,
                            GError **error)
{
    const char *fmt = ds_enum_to_string(&ds_disk_format_table, backing_format);
    const char *args[] = { "create", "-q", "-f", "qcow2", "-b", backing, "-F", fmt, overlay, NULL };

    return make_image(overlay, args, error);
}

gboolean
ds_qemu_nvram_create(const char *path, GError **error)
{
    g_autofree char *vars = ds_ovmf_vars_template(error);
    const char *args[] = { "convert", "-q", "-f", "raw", "-O", "qcow2", vars, path, NULL };

    return vars && make_image(path, args, error);
}

gboolean
ds_qemu_disk_copy_internal(const char *file, const char *name, const char *dest,
                           GError **error)
{
    g_autofree char *snap = g_strdup_printf("snapshot.name=%s", name);
    const char *args[] = { "convert", "-q", "-O", "qcow2", "-l", snap, file, dest, NULL };

    return make_image(dest, args, error);
}

static gboolean
snapshot_op(const char *op, const char *file, const char *name, GError **error)
{
    const char *args[] = { "snapshot", op, name, file, NULL };

    return ds_qemu_img_run(args, NULL, error);
}

gboolean
ds_qemu_disk_snapshot_internal(const char *file, const char *name, GError **error)
{
    return snapshot_op("-c", file, name, error);
}

gboolean
ds_qemu_disk_apply_internal(const char *file, const char *name, GError **error)
{
    return snapshot_op("-a", file, name, error);
}

gboolean
ds_qemu_disk_delete_internal(const char *file, const char *name, GError **error)
{
    return snapshot_op("-d", file, name, error);
}

/* The qcow2 header, read directly; FALSE if qemu-img must be asked. */
static gboolean
backing_from_header(const char *file, char **backing, int *backing_format,
                    guint *internal_snapshots)
{
    DsQcow2Header h;

    /* Without a recorded backing format QEMU probes it: let qemu-img say. */
    if (!ds_qcow2_header_read(file, &h, NULL) || h.unusual ||
        (h.backing && (strchr(h.backing, ':') || !h.backing_format))) {
        ds_qcow2_header_clear(&h);
        return FALSE;
    }
    *backing = g_steal_pointer(&h.backing);
    if (internal_snapshots)
        *internal_snapshots = h.nb_snapshots;
    if (backing_format) {
        *backing_format = DS_DISK_FORMAT_RAW;
        if (h.backing_format)
            *backing_format = MAX(0, ds_enum_from_string(&ds_disk_format_table, h.backing_format));
    }
    ds_qcow2_header_clear(&h);
    return TRUE;
}

gboolean
ds_qemu_disk_backing(const char *file, char **backing, int *backing_format,
                     guint *internal_snapshots, GError **error)
{
    const char *args[] = { "info", "-U", "--output=json", file, NULL };
    g_autofree char *out = NULL;
    json_object *j, *v = NULL;

    *backing = NULL;
    if (backing_from_header(file, backing, backing_format, internal_snapshots))
        return TRUE;
    if (!ds_qemu_img_run(args, &out, error))
        return FALSE;
    j = json_tokener_parse(out);
    if (!j) {
        g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "qemu-img info '%s': unreadable output", file);
        return FALSE;
    }
    if (json_object_object_get_ex(j, "full-backing-filename", &v) ||
        json_object_object_get_ex(j, "backing-filename", &v))
        *backing = g_strdup(json_object_get_string(v));
    if (internal_snapshots) {
        json_object *snaps = NULL;
        *internal_snapshots = json_object_object_get_ex(j, "snapshots", &snaps)
                                  ? json_object_array_length(snaps) : 0;
    }
    if (backing_format) {
        json_object *f = NULL;
        *backing_format = DS_DISK_FORMAT_RAW;
        if (json_object_object_get_ex(j, "backing-filename-format", &f))
            *backing_format = MAX(0, ds_enum_from_string(&ds_disk_format_table,
                                                         json_object_get_string(f)));
    }
    json_object_put(j);
    return TRUE;
}

gboolean
ds_qemu_disk_rebase(const char *file, const char *new_backing, int new_backing_format,
                    GError **error)
{
    const char *fmt = ds_enum_to_string(&ds_disk_format_table, new_backing_format);
    /* Safe mode (no -u): qemu-img copies what differs, so @file's content
     * stays exactly as it was. */
    const char *with[] = { "rebase", "-q", "-f", "qcow2", "-b", new_backing, "-F", fmt, file, NULL };
    const char *standalone[] = { "rebase", "-q", "-f", "qcow2", "-b", "", file, NULL };

    return ds_qemu_img_run(new_backing ? with : standalone, NULL, error);
}
