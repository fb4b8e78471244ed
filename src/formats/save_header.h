/*
 * save_header: the header of a domsnap memory image (save file).
 *
 *   0   16 bytes  magic "DomSnapMemImage\n"
 *   16  u32 LE    version (1)
 *   20  u32 LE    reserved, 0
 *   24  u64 LE    length N of the JSON that follows
 *   32  N bytes   JSON: {"driver", "saved_at", "domain_state", "config"}
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
    S(DsSaveHeader, DsDomainConfig, config, .sub = &ds_domain_config_type, .required = TRUE)

typedef struct {
    DS_RECORD_STRUCT(DS_SAVE_HEADER)
} DsSaveHeader;

extern const DsRecordType ds_save_header_type;

void ds_save_header_free(DsSaveHeader *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsSaveHeader, ds_save_header_free)

/* Writes the header at the start of @fd; leaves the offset at the stream. */
gboolean ds_save_header_write(int fd, const DsSaveHeader *h, const char *path,
                              GError **error);

/*
 * Reads the header of @fd; leaves the offset at the stream and sets
 * *@stream_bytes to the stream's length.
 */
DsSaveHeader *ds_save_header_read(int fd, const char *path,
                                  guint64 *stream_bytes, GError **error);
