/*
 * snapshot_combinations: the decision table of the snapshot planner, after
 * libvirt's: (domain online or shut off) x (memory omitted, no, internal,
 * external) x (a disk's mode: omitted, no, internal, external) x (the
 * disk-only flag) -> the memory and disk modes taken, or a refusal. The
 * steps each row plans for one running (or shut-off) qcow2 disk are in the
 * table too, and a test checks the planner against every row. Where
 * domsnap does more than libvirt 9.0 does, the row says so.
 *
 * A disk mode DEFAULT in a result means domsnap's default for the disk's
 * format: internal for qcow2, an external overlay for raw (and for every
 * disk with --external).
 */
#pragma once

#include "formats/snapshot_types.h"

typedef enum {
    DS_REFUSE_NONE,
    DS_REFUSE_REQUEST,   /* the request as a whole */
    DS_REFUSE_DISK,      /* this disk's mode */
    DS_REFUSE_ALL_DISKS, /* only if every disk comes to this row */
} DsRefusalScope;

typedef struct {
    gboolean online;
    DsMemoryMode memory;     /* asked */
    DsDiskSnapMode disk;     /* asked */
    gboolean disk_only;
    DsMemoryMode memory_taken;
    DsDiskSnapMode disk_taken;
    DsRefusalScope scope;
    const char *refusal;
    const char *steps;       /* for one qcow2 disk */
    const char *libvirt;     /* what libvirt 9.0 does, where it differs */
} DsCombination;

extern const DsCombination ds_snapshot_combinations[];
extern const guint ds_snapshot_combinations_count;

const DsCombination *ds_snapshot_combination(gboolean online, DsMemoryMode memory,
                                             DsDiskSnapMode disk, gboolean disk_only);
