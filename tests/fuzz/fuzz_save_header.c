/*
 * The header of a memory image (save file), read from a file of the input's
 * bytes as restore and revert read it.
 */
#include "fuzz.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "formats/record.h"
#include "formats/save_header.h"

static char *
to_json(const DsSaveHeader *h)
{
    json_object *o = ds_record_to_json(&ds_save_header_type, h);
    char *s = g_strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));

    json_object_put(o);
    return s;
}

/* What was read is written back as a save does (header, stream, the
 * stream's length in the header), and reads the same. */
static void
rewrite(DsSaveHeader *h)
{
    int fd = memfd_create("fuzz-save-2", MFD_CLOEXEC);
    g_autoptr(GError) err = NULL;
    g_autoptr(DsSaveHeader) again = NULL;
    g_autofree char *a = NULL, *b = NULL;

    if (fd < 0)
        abort();
    fuzz_assert(ds_save_header_write(fd, h, "rewritten", &err), "%s", err->message);
    fuzz_assert(write(fd, "stream", 6) == 6, "cannot write");
    fuzz_assert(ds_save_header_finish(fd, h, "rewritten", &err), "%s", err->message);
    fuzz_assert(h->stream_bytes == 6, "stream_bytes %lld", (long long)h->stream_bytes);
    again = ds_save_header_read(fd, "rewritten", NULL, &err);
    fuzz_assert(again, "the header written back is refused: %s", err->message);
    a = to_json(h);
    b = to_json(again);
    fuzz_assert(strcmp(a, b) == 0, "written back differently:\n%s\n%s", a, b);
    close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-save", MFD_CLOEXEC);
    g_autoptr(GError) err = NULL;
    g_autoptr(DsSaveHeader) h = NULL;
    guint64 stream = 0;

    if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
        abort();
    h = ds_save_header_read(fd, "fuzz.save", &stream, &err);
    if (!h) {
        fuzz_assert(err && strstr(err->message, "fuzz.save"),
                    "a refusal that does not name the file: %s", err ? err->message : "(none)");
    } else {
        off_t at = lseek(fd, 0, SEEK_CUR);
        fuzz_assert(at % 4096 == 0 && at <= (off_t)size && stream == size - at,
                    "the stream at %lld of %zu, %llu bytes", (long long)at, size,
                    (unsigned long long)stream);
        fuzz_assert(h->driver, "a header without its driver");
        rewrite(h);
    }
    close(fd);
    return 0;
}
