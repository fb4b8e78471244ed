#include "snapshot_combinations.h"

#define DEF DS_MEMORY_DEFAULT
#define MNO DS_MEMORY_NO
#define MINT DS_MEMORY_INTERNAL
#define MEXT DS_MEMORY_EXTERNAL
#define DDEF DS_DISK_SNAP_DEFAULT
#define DNO DS_DISK_SNAP_NO
#define DIN DS_DISK_SNAP_INTERNAL
#define DEX DS_DISK_SNAP_EXTERNAL

#define PAUSED_INT "pause, disk-transaction, save-memory, resume, write-record"
#define PAUSED_EXT "create-overlays, attach-overlays, pause, disk-transaction, save-memory, resume, write-record"
#define MEM_ONLY "pause, save-memory, resume, write-record"
#define DISKS_INT "disk-transaction, write-record"
#define DISKS_EXT "create-overlays, attach-overlays, disk-transaction, write-record"
#define SAVEVM "save-internal, write-record"
#define OFF_INT "offline-internal, write-record"
#define OFF_EXT "create-overlays, write-record"

#define NOTHING "nothing to snapshot: no memory and every disk left out"
#define NO_VMSTATE "memory='internal' needs at least one qcow2 disk with an internal snapshot to hold it"
#define VMSTATE_EXT "memory='internal' is stored in the qcow2 disks: no disk can be external"
#define OFF_MEMORY "it is shut off: it has no memory to snapshot"
#define DO_INT "--disk-only conflicts with memory='internal'"
#define DO_EXT "--disk-only conflicts with memory='external'"

#define LV_MIX "libvirt 9.0 refuses to mix internal disks with external memory"
#define LV_DISKONLY "libvirt 9.0 refuses: its disk-only snapshots of a running domain need external disks"
#define LV_EXT "libvirt 9.0 takes it but cannot revert to it (that came in 9.9); domsnap reverts and deletes it"

const DsCombination ds_snapshot_combinations[] = {
    /* online, memory, disk, disk-only: memory and disk taken, refusal, steps, libvirt */
    { 1, DEF, DDEF, 0, MEXT, DDEF, 0, NULL, PAUSED_INT, LV_MIX },
    { 1, DEF, DNO, 0, MEXT, DNO, 0, NULL, MEM_ONLY, NULL },
    { 1, DEF, DIN, 0, MEXT, DIN, 0, NULL, PAUSED_INT, LV_MIX },
    { 1, DEF, DEX, 0, MEXT, DEX, 0, NULL, PAUSED_EXT, LV_EXT },
    { 1, MNO, DDEF, 0, MNO, DDEF, 0, NULL, DISKS_INT, LV_DISKONLY },
    { 1, MNO, DNO, 0, MNO, DNO, DS_REFUSE_ALL_DISKS, NOTHING, NULL, NULL },
    { 1, MNO, DIN, 0, MNO, DIN, 0, NULL, DISKS_INT, LV_DISKONLY },
    { 1, MNO, DEX, 0, MNO, DEX, 0, NULL, DISKS_EXT, LV_EXT },
    { 1, MINT, DDEF, 0, MINT, DIN, 0, NULL, SAVEVM, NULL },
    { 1, MINT, DNO, 0, MINT, DNO, DS_REFUSE_ALL_DISKS, NO_VMSTATE, NULL, NULL },
    { 1, MINT, DIN, 0, MINT, DIN, 0, NULL, SAVEVM, NULL },
    { 1, MINT, DEX, 0, MINT, DEX, DS_REFUSE_DISK, VMSTATE_EXT, NULL, NULL },
    { 1, MEXT, DDEF, 0, MEXT, DDEF, 0, NULL, PAUSED_INT, LV_MIX },
    { 1, MEXT, DNO, 0, MEXT, DNO, 0, NULL, MEM_ONLY, NULL },
    { 1, MEXT, DIN, 0, MEXT, DIN, 0, NULL, PAUSED_INT, LV_MIX },
    { 1, MEXT, DEX, 0, MEXT, DEX, 0, NULL, PAUSED_EXT, LV_EXT },
    { 1, DEF, DDEF, 1, MNO, DDEF, 0, NULL, DISKS_INT, LV_DISKONLY },
    { 1, DEF, DNO, 1, MNO, DNO, DS_REFUSE_ALL_DISKS, NOTHING, NULL, NULL },
    { 1, DEF, DIN, 1, MNO, DIN, 0, NULL, DISKS_INT, LV_DISKONLY },
    { 1, DEF, DEX, 1, MNO, DEX, 0, NULL, DISKS_EXT, LV_EXT },
    { 1, MNO, DDEF, 1, MNO, DDEF, 0, NULL, DISKS_INT, LV_DISKONLY },
    { 1, MNO, DNO, 1, MNO, DNO, DS_REFUSE_ALL_DISKS, NOTHING, NULL, NULL },
    { 1, MNO, DIN, 1, MNO, DIN, 0, NULL, DISKS_INT, LV_DISKONLY },
    { 1, MNO, DEX, 1, MNO, DEX, 0, NULL, DISKS_EXT, LV_EXT },
    { 1, MINT, DDEF, 1, 0, 0, DS_REFUSE_REQUEST, DO_INT, NULL, NULL },
    { 1, MINT, DNO, 1, 0, 0, DS_REFUSE_REQUEST, DO_INT, NULL, NULL },
    { 1, MINT, DIN, 1, 0, 0, DS_REFUSE_REQUEST, DO_INT, NULL, NULL },
    { 1, MINT, DEX, 1, 0, 0, DS_REFUSE_REQUEST, DO_INT, NULL, NULL },
    { 1, MEXT, DDEF, 1, 0, 0, DS_REFUSE_REQUEST, DO_EXT, NULL, NULL },
    { 1, MEXT, DNO, 1, 0, 0, DS_REFUSE_REQUEST, DO_EXT, NULL, NULL },
    { 1, MEXT, DIN, 1, 0, 0, DS_REFUSE_REQUEST, DO_EXT, NULL, NULL },
    { 1, MEXT, DEX, 1, 0, 0, DS_REFUSE_REQUEST, DO_EXT, NULL, NULL },
    /* shut off: disks only, through the image files */
    { 0, DEF, DDEF, 0, MNO, DDEF, 0, NULL, OFF_INT, NULL },
    { 0, DEF, DNO, 0, MNO, DNO, DS_REFUSE_ALL_DISKS, NOTHING, NULL, NULL },
    { 0, DEF, DIN, 0, MNO, DIN, 0, NULL, OFF_INT, NULL },
    { 0, DEF, DEX, 0, MNO, DEX, 0, NULL, OFF_EXT, LV_EXT },
    { 0, MNO, DDEF, 0, MNO, DDEF, 0, NULL, OFF_INT, NULL },
    { 0, MNO, DNO, 0, MNO, DNO, DS_REFUSE_ALL_DISKS, NOTHING, NULL, NULL },
    { 0, MNO, DIN, 0, MNO, DIN, 0, NULL, OFF_INT, NULL },
    { 0, MNO, DEX, 0, MNO, DEX, 0, NULL, OFF_EXT, LV_EXT },
    { 0, MINT, DDEF, 0, 0, 0, DS_REFUSE_REQUEST, OFF_MEMORY, NULL, NULL },
    { 0, MINT, DNO, 0, 0, 0, DS_REFUSE_REQUEST, OFF_MEMORY, NULL, NULL },
    { 0, MINT, DIN, 0, 0, 0, DS_REFUSE_REQUEST, OFF_MEMORY, NULL, NULL },
    { 0, MINT, DEX, 0, 0, 0, DS_REFUSE_REQUEST, OFF_MEMORY, NULL, NULL },
    { 0, MEXT, DDEF, 0, 0, 0, DS_REFUSE_REQUEST, OFF_MEMORY, NULL, NULL },
    { 0, MEXT, DNO, 0, 0, 0, DS_REFUSE_REQUEST, OFF_MEMORY, NULL, NULL },
    { 0, MEXT, DIN, 0, 0, 0, DS_REFUSE_REQUEST, OFF_MEMORY, NULL, NULL },
    { 0, MEXT, DEX, 0, 0, 0, DS_REFUSE_REQUEST, OFF_MEMORY, NULL, NULL },
    { 0, DEF, DDEF, 1, MNO, DDEF, 0, NULL, OFF_INT, NULL },
    { 0, DEF, DNO, 1, MNO, DNO, DS_REFUSE_ALL_DISKS, NOTHING, NULL, NULL },
    { 0, DEF, DIN, 1, MNO, DIN, 0, NULL, OFF_INT, NULL },
    { 0, DEF, DEX, 1, MNO, DEX, 0, NULL, OFF_EXT, LV_EXT },
    { 0, MNO, DDEF, 1, MNO, DDEF, 0, NULL, OFF_INT, NULL },
    { 0, MNO, DNO, 1, MNO, DNO, DS_REFUSE_ALL_DISKS, NOTHING, NULL, NULL },
    { 0, MNO, DIN, 1, MNO, DIN, 0, NULL, OFF_INT, NULL },
    { 0, MNO, DEX, 1, MNO, DEX, 0, NULL, OFF_EXT, LV_EXT },
    { 0, MINT, DDEF, 1, 0, 0, DS_REFUSE_REQUEST, DO_INT, NULL, NULL },
    { 0, MINT, DNO, 1, 0, 0, DS_REFUSE_REQUEST, DO_INT, NULL, NULL },
    { 0, MINT, DIN, 1, 0, 0, DS_REFUSE_REQUEST, DO_INT, NULL, NULL },
    { 0, MINT, DEX, 1, 0, 0, DS_REFUSE_REQUEST, DO_INT, NULL, NULL },
    { 0, MEXT, DDEF, 1, 0, 0, DS_REFUSE_REQUEST, DO_EXT, NULL, NULL },
    { 0, MEXT, DNO, 1, 0, 0, DS_REFUSE_REQUEST, DO_EXT, NULL, NULL },
    { 0, MEXT, DIN, 1, 0, 0, DS_REFUSE_REQUEST, DO_EXT, NULL, NULL },
    { 0, MEXT, DEX, 1, 0, 0, DS_REFUSE_REQUEST, DO_EXT, NULL, NULL },
};

const guint ds_snapshot_combinations_count = G_N_ELEMENTS(ds_snapshot_combinations);

const DsCombination *
ds_snapshot_combination(gboolean online, DsMemoryMode memory, DsDiskSnapMode disk,
                        gboolean disk_only)
{
    for (guint i = 0; i < ds_snapshot_combinations_count; i++) {
        const DsCombination *c = &ds_snapshot_combinations[i];
        if (!c->online == !online && c->memory == memory && c->disk == disk &&
            !c->disk_only == !disk_only)
            return c;
    }
    return NULL;
}
