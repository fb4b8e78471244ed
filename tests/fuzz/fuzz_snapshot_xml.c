/*
 * libvirt domainsnapshot XML: the first byte picks the parse flags, the
 * rest is the document. What parses must format (canonically) to a
 * document that parses and formats the same; then it is taken as
 * snapshot-create --xml takes it (a request), and redefined into a store
 * with one domain as snapshot-create --xml --redefine does.
 */
#include "fuzz.h"

#include "lib/connection.h"
#include "lib/snapshot_xml_import.h"
#include "store/snapshot_record.h"

#define UUID "c7a5fdbd-edaf-9455-926a-d65c16db1809"

static DsConnection *conn;

/* A store with the shut-off domain "fz" of one qcow2 disk, hda. */
static void
setup(void)
{
    g_autofree char *state = g_build_filename(fuzz_tmpdir(), "state", NULL);
    g_autofree char *image = fuzz_write("hda.qcow2", "", 0);
    g_autofree char *dir = NULL, *json = NULL, *path = NULL;

    conn = ds_connection_open(state, NULL);
    if (!conn)
        abort();
    ds_connection_set_lock_timeout(conn, 0);
    dir = ds_store_domain_dir(conn->store, "fz");
    if (!ds_mkdir_private(dir, NULL))
        abort();
    json = g_strdup_printf(
        "{ \"name\": \"fz\", \"driver\": \"qemu\", \"id\": -1, \"config\": {"
        " \"c_info\": { \"name\": \"fz\", \"uuid\": \"" UUID "\" },"
        " \"b_info\": { \"max_vcpus\": 1, \"max_memkb\": 65536 },"
        " \"disks\": [ { \"vdev\": \"hda\", \"pdev_path\": \"%s\", \"format\": \"qcow2\","
        " \"readwrite\": true } ] } }\n", image);
    path = g_build_filename(dir, "domain.json", NULL);
    if (!g_file_set_contents(path, json, -1, NULL))
        abort();
}

static void
round_trip(const DsSnapshotXml *def, unsigned flags)
{
    unsigned fflags = flags & DS_XML_PARSE_INTERNAL ? DS_XML_FORMAT_INTERNAL : 0;
    g_autofree char *text = ds_snapshot_xml_format(def, UUID, fflags);
    g_autoptr(GError) err = NULL;
    g_autoptr(DsSnapshotXml) again = ds_snapshot_xml_parse(text, strlen(text), "formatted",
                                                           flags | DS_XML_PARSE_REDEFINE, &err);
    g_autofree char *text2 = NULL;

    fuzz_assert(again, "the formatted XML is refused: %s\n%s", err->message, text);
    text2 = ds_snapshot_xml_format(again, UUID, fflags);
    fuzz_assert(strcmp(text, text2) == 0, "format(parse(format)) differs:\n%s\n---\n%s",
                text, text2);
}

static void
redefine(const uint8_t *xml, size_t len)
{
    g_autofree char *path = fuzz_write("snap.xml", xml, len);
    g_autofree char *name = NULL;
    g_autoptr(GError) err = NULL;

    if (!conn)
        setup();
    if (!ds_xml_redefine(conn, "fz", path, &name, &err)) {
        fuzz_assert(err && err->message, "a refusal without a message");
        return;
    }
    fuzz_assert(ds_snapshot_record_exists(conn->store, "fz", name), "'%s' not recorded", name);
    {
        g_autoptr(DsSnapshotRecord) rec = ds_snapshot_record_load(conn->store, "fz", name, &err);
        fuzz_assert(rec, "the redefined record does not load: %s", err->message);
    }
    if (!ds_snapshot_record_delete(conn->store, "fz", name, &err))
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned flags;
    g_autoptr(GError) err = NULL;
    g_autoptr(DsSnapshotXml) def = NULL;

    if (size < 1)
        return 0;
    flags = data[0] & (DS_XML_PARSE_REDEFINE | DS_XML_PARSE_INTERNAL);
    def = ds_snapshot_xml_parse((const char *)data + 1, size - 1, "fuzz.xml", flags, &err);
    if (!def) {
        fuzz_assert(err && err->message, "a refusal without a message");
        return 0;
    }
    if (flags & DS_XML_PARSE_REDEFINE) {
        round_trip(def, flags);
        g_free(ds_snapshot_xml_domain_uuid(def));
        redefine(data + 1, size - 1);
    } else {
        g_autoptr(DsSnapshotRequest) req = ds_snapshot_request_new();
        g_autoptr(GError) e = NULL;
        round_trip(def, flags);
        ds_xml_to_request(def, "fuzz.xml", req, &e);
    }
    return 0;
}
