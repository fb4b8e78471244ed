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

static void
run(const uint8_t *data, size_t size, char **dir_out)
{
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(DsSnapshotRecord) rec = NULL;
    g_autoptr(GPtrArray) all = NULL;
    g_autofree char *domain = fuzz_json_name(data, size, "domain", "fz");
    g_autofree char *name = fuzz_json_name(data, size, "name", "s1");

    if (!store && !(store = ds_store_open(fuzz_tmpdir(), NULL)))
        abort();
    dir = ds_snapshot_record_dir(store, domain, name);
    *dir_out = ds_store_domain_dir(store, domain);
    if (!ds_mkdir_private(dir, NULL))
        abort();
    path = g_build_filename(dir, "snapshot.json", NULL);
    fuzz_put(path, data, size);
    all = ds_snapshot_record_list_as(store, domain, TRUE, &err);
    fuzz_assert(all, "the listing failed: %s", err->message);
    rec = ds_snapshot_record_load(store, domain, name, &err);
    if (!rec) {
        fuzz_assert(err && err->message, "a refusal without a message");
        return;
    }
    {
        json_object *o = ds_record_to_json(&ds_snapshot_record_type, rec);
        g_autofree char *xml = ds_snapshot_record_to_xml(rec, "qemu", TRUE);
        g_autofree char *xen = ds_snapshot_record_to_xml(rec, "xen", TRUE);
        g_autofree char *brief = ds_snapshot_record_to_xml(rec, "qemu", FALSE);

        fuzz_assert(xml && xen && brief, "no XML");
        json_object_to_json_string(o);
        json_object_put(o);
        ds_snapshot_file_is_domsnaps(store, domain, all, "/srv/x.qcow2");
        ds_snapshot_records_using(all, "/srv/x.qcow2", NULL, FALSE);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_run_in_state_dir(run, data, size);
}
