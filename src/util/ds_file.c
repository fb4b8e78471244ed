#include "ds_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "domsnap.h"

static gboolean
io_error(GError **error, int err, const char *what, const char *path)
{
    g_set_error(error, DS_ERROR, err == ENOENT ? DS_ERROR_NOT_FOUND : DS_ERROR_IO,
                "%s '%s': %s", what, path, g_strerror(err));
    return FALSE;
}

gboolean
ds_mkdir_private(const char *path, GError **error)
{
    struct stat st;

    if (lstat(path, &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
            g_set_error(error, DS_ERROR, DS_ERROR_IO,
                        "'%s' is a symbolic link; domsnap does not follow links in its state directory",
                        path);
            return FALSE;
        }
        if (!S_ISDIR(st.st_mode)) {
            g_set_error(error, DS_ERROR, DS_ERROR_IO, "'%s' is not a directory", path);
            return FALSE;
        }
        return TRUE;
    }
    if (errno != ENOENT)
        return io_error(error, errno, "cannot look at", path);
    {
        g_autofree char *parent = g_path_get_dirname(path);
        if (strcmp(parent, path) != 0 && !ds_mkdir_private(parent, error))
            return FALSE;
    }
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        return io_error(error, errno, "cannot create directory", path);
    return TRUE;
}

int
ds_file_create_temp_beside(const char *path, char **tmp_path, GError **error)
{
    g_autofree char *tmpl = g_strdup_printf("%s.tmp-XXXXXX", path);
    int fd = g_mkstemp_full(tmpl, O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);

    if (fd < 0) {
        io_error(error, errno, "cannot create", tmpl);
        return -1;
    }
    *tmp_path = g_steal_pointer(&tmpl);
    return fd;
}

gboolean
ds_fsync_parent(const char *path, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    gboolean ok;

    if (fd < 0)
        return io_error(error, errno, "cannot open directory", dir);
    ok = fsync(fd) == 0;
    if (!ok)
        io_error(error, errno, "cannot fsync directory", dir);
    close(fd);
    return ok;
}

static gboolean
write_all(int fd, const char *data, gsize len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}

static gboolean
write_and_rename(const char *path, const char *data, gsize len, gboolean sync,
                 GError **error)
{
    g_autofree char *tmp = NULL;
    int fd = ds_file_create_temp_beside(path, &tmp, error);

    if (fd < 0)
        return FALSE;
    if (!write_all(fd, data, len) || (sync && fsync(fd) < 0)) {
        int err = errno;
        close(fd);
        unlink(tmp);
        return io_error(error, err, "cannot write", tmp);
    }
    close(fd);
    if (rename(tmp, path) < 0) {
        int err = errno;
        unlink(tmp);
        return io_error(error, err, "cannot rename into place", path);
    }
    return !sync || ds_fsync_parent(path, error);
}

gboolean
ds_file_write_atomic(const char *path, const char *data, gsize len, GError **error)
{
    return write_and_rename(path, data, len, TRUE, error);
}

gboolean
ds_file_replace(const char *path, const char *data, gsize len, GError **error)
{
    return write_and_rename(path, data, len, FALSE, error);
}

gboolean
ds_file_read_nofollow(const char *path, char **contents, gsize *len,
                      GError **error)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    g_autoptr(GByteArray) buf = g_byte_array_new();
    char chunk[65536];

    if (fd < 0) {
        if (errno == ELOOP)
            g_set_error(error, DS_ERROR, DS_ERROR_IO,
                        "'%s' is a symbolic link; domsnap does not follow links in its state directory",
                        path);
        else
            io_error(error, errno, "cannot open", path);
        return FALSE;
    }
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            return io_error(error, err, "cannot read", path);
        }
        if (n == 0)
            break;
        g_byte_array_append(buf, (guint8 *)chunk, n);
    }
    close(fd);
    if (len)
        *len = buf->len;
    g_byte_array_append(buf, (guint8 *)"", 1);
    *contents = (char *)g_byte_array_free(g_steal_pointer(&buf), FALSE);
    return TRUE;
}

gboolean
ds_remove_tree(const char *path, GError **error)
{
    struct stat st;
    DIR *d;
    struct dirent *e;

    if (lstat(path, &st) < 0)
        return errno == ENOENT ? TRUE : io_error(error, errno, "cannot look at", path);
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) < 0 && errno != ENOENT)
            return io_error(error, errno, "cannot remove", path);
        return TRUE;
    }
    d = opendir(path);
    if (!d)
        return io_error(error, errno, "cannot open directory", path);
    while ((e = readdir(d))) {
        g_autofree char *child = NULL;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        child = g_build_filename(path, e->d_name, NULL);
        if (!ds_remove_tree(child, error)) {
            closedir(d);
            return FALSE;
        }
    }
    closedir(d);
    if (rmdir(path) < 0 && errno != ENOENT)
        return io_error(error, errno, "cannot remove directory", path);
    return TRUE;
}
