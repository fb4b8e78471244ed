/*
 * save_header: the header of a domsnap memory image (save file).
 *
 *   0   16 bytes  magic "DomSnapMemImage\n"
 *   16  u32 LE    version (1)
 *   20  u32 LE    reserved, 0
 *   24  u64 LE    length N of the JSON that follows
 *   32  N bytes   JSON: {"driver", "saved_at", "domain_state", "config",
 *                 "stream_bytes"}, padded with blanks to N
 *   ... zeros up to the next 4 KiB boundary, then the hypervisor's own
 *       memory stream (QEMU's migration stream) to the end of the file.
 *
 * The header carries the domain config, so a restore needs nothing else.
 */
#pragma once

#include <glib.h>

#include "formats/domain_config.h"

/* (The record types' lists: formats/record.h.) */
#define DS_SAVE_HEADER(F, S) \
    F(DsSaveHeader, driver, STRING, .required = TRUE) \
    F(DsSaveHeader, saved_at, INT)         /* seconds since the epoch */ \
    /* "running" or "paused" when it was saved */ \
    F(DsSaveHeader, domain_state, STRING) \
    S(DsSaveHeader, DsDomainConfig, config, .sub = &ds_domain_config_type, .required = TRUE) \
    /* The stream's length, written once it is complete (0: not known, as \
     * in images of older versions): a truncated image is refused before \
     * anything is started from it. */ \
    F(DsSaveHeader, stream_bytes, INT)

typedef struct {
    DS_RECORD_STRUCT(DS_SAVE_HEADER)
} DsSaveHeader;

extern const DsRecordType ds_save_header_type;

void ds_save_header_free(DsSaveHeader *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsSaveHeader, ds_save_header_free)

/* Writes the header at the start of @fd; leaves the offset at the stream.
 * Its JSON has room for any stream_bytes, set later. */
gboolean ds_save_header_write(int fd, const DsSaveHeader *h, const char *path,
                              GError **error);

/* Once the stream is written: records its length (the file's size less
 * the header) in the header @h, written before by ds_save_header_write(). */
gboolean ds_save_header_finish(int fd, DsSaveHeader *h, const char *path, GError **error);

/*
 * Reads the header of @fd; leaves the offset at the stream and sets
 * *@stream_bytes to the stream's length. Refuses an image whose stream is
 * not as long as its header says (truncated).
 */
DsSaveHeader *ds_save_header_read(int fd, const char *path,
                                  guint64 *stream_bytes, GError **error);

/* Whether @path (not followed if a symlink) starts as a memory image does:
 * what domsnap checks before it deletes a file a record names as one. */
gboolean ds_save_header_is_image(const char *path);
