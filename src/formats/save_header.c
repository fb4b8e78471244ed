#include "save_header.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domsnap.h"

#define MAGIC "DomSnapMemImage\n"
#define VERSION 1
#define ALIGN 4096
#define MAX_JSON (16 << 20)

static const DsField fields[] = { DS_RECORD_FIELDS(DS_SAVE_HEADER) { NULL } };
const DsRecordType ds_save_header_type = { "save_header", sizeof(DsSaveHeader), fields };

void
ds_save_header_free(DsSaveHeader *h)
{
    ds_record_free(&ds_save_header_type, h);
}

static gboolean
pwrite_all(int fd, const void *buf, gsize len, off_t off)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        p += n;
        len -= n;
        off += n;
    }
    return TRUE;
}

static gboolean
pread_all(int fd, void *buf, gsize len, off_t off)
{
    char *p = buf;

    while (len > 0) {
        ssize_t n = pread(fd, p, len, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        p += n;
        len -= n;
        off += n;
    }
    return TRUE;
}

/* @h's JSON, blank-padded to the length it has with the longest
 * stream_bytes, so that setting it later rewrites the header in place. */
static char *
header_json(const DsSaveHeader *h)
{
    DsSaveHeader longest = *h;
    json_object *obj = ds_record_to_json(&ds_save_header_type, h);
    json_object *max;
    gsize width;
    GString *json;

    longest.stream_bytes = G_MAXINT64;
    max = ds_record_to_json(&ds_save_header_type, &longest);
    width = strlen(json_object_to_json_string_ext(max, JSON_C_TO_STRING_PLAIN));
    json = g_string_new(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
    while (json->len < width)
        g_string_append_c(json, ' ');
    json_object_put(obj);
    json_object_put(max);
    return g_string_free(json, FALSE);
}

gboolean
ds_save_header_write(int fd, const DsSaveHeader *h, const char *path,
                     GError **error)
{
    g_autofree char *json = header_json(h);
    guint64 len = strlen(json);
    gsize total = 32 + len;
    gsize padded = (total + ALIGN - 1) / ALIGN * ALIGN;
    g_autofree guint8 *buf = g_malloc0(padded);
    guint32 version = GUINT32_TO_LE(VERSION);
    guint64 len_le = GUINT64_TO_LE(len);
    gboolean ok;

    memcpy(buf, MAGIC, 16);
    memcpy(buf + 16, &version, 4);
    memcpy(buf + 24, &len_le, 8);
    memcpy(buf + 32, json, len);
    ok = pwrite_all(fd, buf, padded, 0) && lseek(fd, padded, SEEK_SET) == (off_t)padded;
    if (!ok)
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot write the header of '%s': %s",
                    path, g_strerror(errno));
    return ok;
}

gboolean
ds_save_header_finish(int fd, DsSaveHeader *h, const char *path, GError **error)
{
    g_autofree char *json = NULL;
    gsize padded;
    struct stat st;

    h->stream_bytes = 0;
    json = header_json(h);
    padded = (32 + strlen(json) + ALIGN - 1) / ALIGN * ALIGN;
    if (fstat(fd, &st) < 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot look at '%s': %s", path,
                    g_strerror(errno));
        return FALSE;
    }
    if ((gsize)st.st_size < padded) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "'%s' is shorter than its header", path);
        return FALSE;
    }
    h->stream_bytes = st.st_size - padded;
    g_free(json);
    json = header_json(h);
    if (!pwrite_all(fd, json, strlen(json), 32)) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot write the header of '%s': %s",
                    path, g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

DsSaveHeader *
ds_save_header_read(int fd, const char *path, guint64 *stream_bytes,
                    GError **error)
{
    guint8 fixed[32];
    guint32 version;
    guint64 len;
    g_autofree char *json = NULL;
    g_autoptr(DsSaveHeader) h = g_new0(DsSaveHeader, 1);
    json_object *obj;
    struct stat st;
    gsize offset;
    gboolean ok;

    if (fstat(fd, &st) < 0 || !pread_all(fd, fixed, sizeof(fixed), 0) ||
        memcmp(fixed, MAGIC, 16) != 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "'%s' is not a domsnap memory image (no header)", path);
        return NULL;
    }
    memcpy(&version, fixed + 16, 4);
    memcpy(&len, fixed + 24, 8);
    version = GUINT32_FROM_LE(version);
    len = GUINT64_FROM_LE(len);
    if (version != VERSION) {
        g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED,
                    "'%s' is a version %u memory image; this domsnap reads version %u",
                    path, version, VERSION);
        return NULL;
    }
    offset = (32 + len + ALIGN - 1) / ALIGN * ALIGN;
    if (len > MAX_JSON || (off_t)offset > st.st_size) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID, "'%s': the header is damaged", path);
        return NULL;
    }
    json = g_malloc0(len + 1);
    if (!pread_all(fd, json, len, 32)) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot read '%s'", path);
        return NULL;
    }
    obj = ds_json_parse(json, len, path, error);
    if (!obj)
        return NULL;
    ok = ds_record_from_json(&ds_save_header_type, obj, h, path, error);
    json_object_put(obj);
    if (!ok)
        return NULL;
    if (h->stream_bytes && (guint64)h->stream_bytes != st.st_size - offset) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "'%s' is damaged (truncated?): its memory stream is %" G_GUINT64_FORMAT
                    " bytes and its header says %" G_GINT64_FORMAT, path,
                    (guint64)(st.st_size - offset), h->stream_bytes);
        return NULL;
    }
    if (lseek(fd, offset, SEEK_SET) != (off_t)offset) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot seek in '%s'", path);
        return NULL;
    }
    if (stream_bytes)
        *stream_bytes = st.st_size - offset;
    return g_steal_pointer(&h);
}

gboolean
ds_save_header_is_image(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    char magic[16];
    gboolean ok;

    if (fd < 0)
        return FALSE;
    ok = pread_all(fd, magic, sizeof(magic), 0) && memcmp(magic, MAGIC, 16) == 0;
    close(fd);
    return ok;
}
