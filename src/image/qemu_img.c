#include "qemu_img.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "domsnap.h"

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

gboolean
ds_qemu_img_make(const char *path, const char *const *args, GError **error)
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
