/*
 * A snapshot record (LIB/domains/DOM/snapshots/NAME/snapshot.json) as
 * domsnap reads it, whole and for a listing, then what is shown of it: the
 * libvirt XML (snapshot-dumpxml) and the JSON written back.
 */
#include "fuzz.h"

#include "formats/record.h"
#include "store/snapshot_record.h"
#include "store/snapshot_record_xml.h"

static DsStore *store;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(DsSnapshotRecord) rec = NULL;
    g_autoptr(GPtrArray) all = NULL;

    if (!store && !(store = ds_store_open(fuzz_tmpdir(), NULL)))
        abort();
    dir = ds_snapshot_record_dir(store, "fz", "s1");
    if (!ds_mkdir_private(dir, NULL))
        abort();
    path = g_build_filename(dir, "snapshot.json", NULL);
    fuzz_put(path, data, size);
    all = ds_snapshot_record_list_as(store, "fz", TRUE, &err);
    fuzz_assert(all, "the listing failed: %s", err->message);
    rec = ds_snapshot_record_load(store, "fz", "s1", &err);
    if (!rec) {
        fuzz_assert(err && err->message, "a refusal without a message");
        return 0;
    }
    {
        json_object *o = ds_record_to_json(&ds_snapshot_record_type, rec);
        g_autofree char *xml = ds_snapshot_record_to_xml(rec, TRUE);
        g_autofree char *brief = ds_snapshot_record_to_xml(rec, FALSE);

        fuzz_assert(xml && brief, "no XML");
        json_object_to_json_string(o);
        json_object_put(o);
        ds_snapshot_file_is_domsnaps(store, "fz", all, "/srv/x.qcow2");
        ds_snapshot_records_using(all, "/srv/x.qcow2", NULL, FALSE);
    }
    return 0;
}
