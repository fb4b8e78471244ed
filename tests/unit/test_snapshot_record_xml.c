/*
 * snapshot-dumpxml's document: one writer (formats/snapshot_xml) for every
 * <domainsnapshot>, and a <domain> that says which driver runs the domain.
 * Each output is read back by the parser, so what is written is what
 * --redefine takes.
 */
#include <string.h>

#include "domsnap.h"
#include "formats/snapshot_xml.h"
#include "store/snapshot_record_xml.h"

static DsSnapshotRecord *
sample(const char *libxl_type)
{
    DsSnapshotRecord *r = g_new0(DsSnapshotRecord, 1);
    DsDomainDisk *d = g_new0(DsDomainDisk, 1);
    DsSnapshotDisk *sd = g_new0(DsSnapshotDisk, 1), *copy = g_new0(DsSnapshotDisk, 1);

    r->name = g_strdup("s1");
    r->domain = g_strdup("guest");
    r->description = g_strdup("before <the> upgrade");
    r->creation_time = 1700000000;
    r->parent = g_strdup("s0");
    r->domain_state = g_strdup("running");
    r->quiesced = TRUE;
    r->memory.kind = DS_MEMORY_EXTERNAL;
    r->memory.file = g_strdup("/st/s1/memory.img");
    r->disks = g_ptr_array_new();
    sd->vdev = g_strdup("xvdb");
    sd->kind = DS_DISK_SNAP_EXTERNAL;
    sd->overlay = g_strdup("/st/s1/xvdb.qcow2");
    g_ptr_array_add(r->disks, sd);
    copy->vdev = g_strdup("xvda");
    copy->kind = DS_DISK_SNAP_COPY;
    g_ptr_array_add(r->disks, copy);
    r->config.c_info.name = g_strdup("guest");
    r->config.c_info.uuid = g_strdup("9d37b878-a7cc-9f9a-b78f-49b3abad25a8");
    r->config.b_info.max_memkb = 131072;
    r->config.b_info.max_vcpus = 1;
    r->config.disks = g_ptr_array_new();
    d->vdev = g_strdup("xvda");
    d->pdev_path = g_strdup("/img/a.raw");
    d->format = DS_DISK_FORMAT_RAW;
    d->readwrite = TRUE;
    g_ptr_array_add(r->config.disks, d);
    if (libxl_type) {
        g_autofree char *j = g_strdup_printf("{\"c_info\":{\"type\":\"%s\"}}", libxl_type);
        r->config.xen.libxl_config = json_tokener_parse(j);
    }
    return r;
}

static char *
dump(const DsSnapshotRecord *r, const char *driver)
{
    char *xml = ds_snapshot_record_to_xml(r, driver, TRUE);
    g_autoptr(GError) err = NULL;
    g_autoptr(DsSnapshotXml) back = ds_snapshot_xml_parse(xml, strlen(xml), "dump",
                                                          DS_XML_PARSE_REDEFINE, &err);

    g_assert_no_error(err);
    g_assert_cmpstr(back->name, ==, "s1");
    g_assert_cmpstr(back->parent, ==, "s0");
    g_assert_cmpint(back->disks->len, ==, 2);
    g_assert_cmpint(((DsXmlDisk *)back->disks->pdata[1])->snapshot, ==, DS_DISK_SNAP_COPY);
    g_assert_nonnull(back->domain);
    g_assert_nonnull(back->cookie);
    return xml;
}

static void
has(const char *xml, const char *what)
{
    if (!strstr(xml, what))
        g_error("no \"%s\" in:\n%s", what, xml);
}

static void
test_qemu(void)
{
    g_autoptr(DsSnapshotRecord) r = sample(NULL);
    g_autofree char *xml = dump(r, "qemu");

    has(xml, "<domainsnapshot>\n  <name>s1</name>\n");
    has(xml, "<description>before &lt;the&gt; upgrade</description>");
    has(xml, "<memory snapshot='external' file='/st/s1/memory.img'/>");
    has(xml, "<disk name='xvdb' snapshot='external' type='file'>\n"
             "      <driver type='qcow2'/>\n      <source file='/st/s1/xvdb.qcow2'/>\n");
    /* libvirt's word for a state kept by other means (a full copy) */
    has(xml, "<disk name='xvda' snapshot='manual'/>");
    has(xml, "  <domain type='qemu'>\n    <name>guest</name>\n");
    has(xml, "<type arch='x86_64' machine='pc'>hvm</type>");
    has(xml, "<emulator>/usr/bin/qemu-system-x86_64</emulator>");
    has(xml, "<target dev='xvda' bus='virtio'/>");
    has(xml, "<domsnap:config xmlns:domsnap=\"urn:domsnap:snapshot:1\">{");
    has(xml, "<cookie>\n    <domsnap:quiesced xmlns:domsnap='https://domsnap.org/xmlns/"
             "snapshot/1'>yes</domsnap:quiesced>\n  </cookie>\n</domainsnapshot>\n");
}

static void
test_xen(void)
{
    g_autoptr(DsSnapshotRecord) pv = sample("pv");
    g_autoptr(DsSnapshotRecord) hvm = sample("hvm");
    g_autofree char *xml = dump(pv, "xen");
    g_autofree char *xml_hvm = dump(hvm, "xen");

    has(xml, "  <domain type='xen'>\n");
    has(xml, "<type arch='x86_64' machine='xenpv'>linux</type>");
    has(xml, "<driver name='phy' type='raw'/>");
    has(xml, "<target dev='xvda' bus='xen'/>");
    g_assert_null(strstr(xml, "<emulator>"));
    g_assert_null(strstr(xml, "virtio"));
    has(xml_hvm, "<type arch='x86_64' machine='xenfv'>hvm</type>");
}

static void
test_uuid_only(void)
{
    g_autoptr(DsSnapshotRecord) r = sample(NULL);
    g_autofree char *xml = ds_snapshot_record_to_xml(r, "qemu", FALSE);

    has(xml, "  <domain>\n    <uuid>9d37b878-a7cc-9f9a-b78f-49b3abad25a8</uuid>\n  </domain>\n");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/snapshot_record_xml/qemu", test_qemu);
    g_test_add_func("/snapshot_record_xml/xen", test_xen);
    g_test_add_func("/snapshot_record_xml/uuid_only", test_uuid_only);
    return g_test_run();
}
