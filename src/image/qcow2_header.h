/*
 * qcow2_header: what domsnap needs from a qcow2 header (the backing file,
 * its format, the number of internal snapshots, the virtual size), read
 * straight from the file. Finding which images are built on one means asking that of every
 * image in the snapshot directories; a qemu-img process per image made a
 * delete take seconds.
 */
#pragma once

#include <glib.h>

typedef struct {
    gboolean is_qcow2;
    char *backing;       /* absolute (relative names resolved as QEMU does), or NULL */
    char *backing_format;/* the header extension's, or NULL */
    guint nb_snapshots;
    guint64 size;        /* the guest's size: qcow2's, or the length of anything else */
    gboolean unusual;    /* features this reader does not follow: ask qemu-img */
} DsQcow2Header;

void ds_qcow2_header_clear(DsQcow2Header *h);

gboolean ds_qcow2_header_read(const char *path, DsQcow2Header *h, GError **error);
