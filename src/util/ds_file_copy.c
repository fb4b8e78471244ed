#include "ds_file_copy.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domsnap.h"

static gboolean
io_error(GError **error, const char *what, const char *path)
{
    int saved = errno;

    g_set_error(error, DS_ERROR, saved == EEXIST ? DS_ERROR_EXISTS : DS_ERROR_IO,
                "cannot %s '%s': %s", what, path, g_strerror(saved));
    return FALSE;
}

/*
 * Copies [@off, @off + @len) through a buffer, not with copy_file_range:
 * in the Xen tests' dom0 (tmpfs, loop devices under blkback, TCG), runs of
 * the stress test that copied disks with it saw files and processes
 * damaged; plain reads and writes take no in-kernel splice path.
 */
static gboolean
copy_range(int in, int out, off_t off, off_t len)
{
    g_autofree char *buf = g_malloc(1 << 20);

    while (len > 0) {
        ssize_t n = pread(in, buf, MIN(len, 1 << 20), off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = pwrite(out, buf + done, n - done, off + done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return FALSE;
            done += w;
        }
        off += n;
        len -= n;
    }
    return TRUE;
}

/* Only the data extents; the holes are left as holes by ftruncate. */
static gboolean
copy_sparse(int in, int out, off_t size)
{
    off_t data = 0;

    if (ftruncate(out, size) < 0)
        return FALSE;
    while (data < size) {
        off_t hole;
        data = lseek(in, data, SEEK_DATA);
        if (data < 0)
            return errno == ENXIO; /* no data after this point */
        hole = lseek(in, data, SEEK_HOLE);
        if (hole < 0 || !copy_range(in, out, data, hole - data))
            return FALSE;
        data = hole;
    }
    return TRUE;
}

gboolean
ds_file_copy_image(const char *src, const char *dest, int mode, GError **error)
{
    int in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int out = -1;
    struct stat st;
    gboolean ok = FALSE;

    if (in < 0)
        return io_error(error, "open", src);
    if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
        if (!S_ISREG(st.st_mode))
            errno = EINVAL;
        io_error(error, "copy (not a regular file)", src);
        close(in);
        return FALSE;
    }
    out = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (out < 0) {
        io_error(error, "create", dest);
        close(in);
        return FALSE;
    }
    /* A reflink where the filesystem has them (btrfs, xfs); else the data. */
    ok = ioctl(out, FICLONE, in) == 0 || copy_sparse(in, out, st.st_size);
    if (!ok)
        io_error(error, "copy the image to", dest);
    else if (fsync(out) < 0)
        ok = io_error(error, "write", dest);
    close(in);
    close(out);
    if (!ok)
        unlink(dest);
    return ok;
}
