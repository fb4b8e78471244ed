#include "qcow2_header.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "domsnap.h"

#define QCOW2_MAGIC 0x514649fbu
#define EXT_BACKING_FORMAT 0xe2792acau
#define EXT_END 0u
#define INCOMPAT_DATA_FILE (1u << 2)
#define READ_MAX 65536

static guint32
be32(const guint8 *p)
{
    return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static guint64
be64(const guint8 *p)
{
    return (guint64)be32(p) << 32 | be32(p + 4);
}

void
ds_qcow2_header_clear(DsQcow2Header *h)
{
    g_clear_pointer(&h->backing, g_free);
    g_clear_pointer(&h->backing_format, g_free);
}

static void
read_extensions(const guint8 *buf, gsize len, gsize at, DsQcow2Header *h)
{
    while (at + 8 <= len) {
        guint32 type = be32(buf + at), n = be32(buf + at + 4);
        if (type == EXT_END || at + 8 + n > len)
            return;
        if (type == EXT_BACKING_FORMAT)
            h->backing_format = g_strndup((const char *)buf + at + 8, n);
        at += 8 + ((n + 7) & ~7u);
    }
}

gboolean
ds_qcow2_header_read(const char *path, DsQcow2Header *h, GError **error)
{
    g_autofree guint8 *buf = g_malloc(READ_MAX);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t len;
    guint32 version;
    guint64 boff;
    guint32 bsize;

    memset(h, 0, sizeof(*h));
    if (fd < 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot open '%s': %s", path, g_strerror(errno));
        return FALSE;
    }
    len = pread(fd, buf, READ_MAX, 0);
    if (len < 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot read '%s': %s", path, g_strerror(errno));
        close(fd);
        return FALSE;
    }
    if (len < 72 || be32(buf) != QCOW2_MAGIC) {
        /* Not qcow2: no backing, no snapshots; its length (a block
         * device's too) is what the guest sees. */
        off_t end = lseek(fd, 0, SEEK_END);
        h->size = end > 0 ? (guint64)end : 0;
        close(fd);
        return TRUE;
    }
    close(fd);
    h->is_qcow2 = TRUE;
    h->size = be64(buf + 24);
    version = be32(buf + 4);
    boff = be64(buf + 8);
    bsize = be32(buf + 16);
    h->nb_snapshots = be32(buf + 60);
    if (version >= 3 && len >= 104) {
        if (be64(buf + 72) & INCOMPAT_DATA_FILE)
            h->unusual = TRUE;
        read_extensions(buf, len, be32(buf + 100), h);
    } else if (version == 2) {
        read_extensions(buf, len, 72, h);
    } else {
        h->unusual = TRUE;
    }
    if (boff && bsize) {
        g_autofree char *name = NULL;
        if (boff + bsize > (guint64)len || bsize > 4096) {
            h->unusual = TRUE;
            return TRUE;
        }
        name = g_strndup((const char *)buf + boff, bsize);
        if (g_path_is_absolute(name) || strstr(name, ":")) {
            h->backing = g_steal_pointer(&name);
        } else {
            /* As QEMU does: relative to the directory of the image. */
            g_autofree char *dir = g_path_get_dirname(path);
            h->backing = g_build_filename(dir, name, NULL);
        }
    }
    return TRUE;
}
