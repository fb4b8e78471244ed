/*
 * snapshot_record_xml: a snapshot record as libvirt domainsnapshot XML.
 * The record is turned into the description that formats/snapshot_xml
 * parses and writes, so that one writer makes every <domainsnapshot>.
 */
#include "snapshot_record_xml.h"

#include "formats/domain_xml.h"
#include "formats/snapshot_xml.h"

/* The cookie's namespace: libvirt has no element for a quiesced snapshot
 * (virsh's --quiesce is a flag), so the hypervisor-private <cookie> says it. */
#define DS_XML_COOKIE_NAMESPACE "https://domsnap.org/xmlns/snapshot/1"

const char *
ds_snapshot_record_libvirt_state(const DsSnapshotRecord *rec)
{
    /* libvirt's name for a disk-only snapshot of a running domain. */
    if (rec->memory.kind == DS_MEMORY_NO && g_strcmp0(rec->domain_state, "shutoff") != 0)
        return "disk-snapshot";
    return rec->domain_state;
}

/* A node of @doc, in its tree (under its root) so that freeing the doc
 * frees it; the writer takes the nodes it is given, not the tree. */
static xmlNode *
node(xmlDoc *doc, const char *name)
{
    return xmlAddChild(xmlDocGetRootElement(doc), xmlNewDocNode(doc, NULL, BAD_CAST name, NULL));
}

static DsXmlDisk *
xml_disk(xmlDoc *doc, const DsSnapshotDisk *d)
{
    DsXmlDisk *x = g_new0(DsXmlDisk, 1);

    x->name = g_strdup(d->vdev);
    x->snapshot = d->kind;
    if (d->kind != DS_DISK_SNAP_EXTERNAL)
        return x;
    x->type = g_strdup("file");
    x->driver = node(doc, "driver");
    xmlNewProp(x->driver, BAD_CAST "type", BAD_CAST "qcow2");
    x->source = node(doc, "source");
    xmlNewProp(x->source, BAD_CAST "file", BAD_CAST d->overlay);
    return x;
}

static xmlNode *
quiesced_cookie(xmlDoc *doc)
{
    xmlNode *cookie = node(doc, "cookie");
    xmlNode *q = xmlNewTextChild(cookie, NULL, BAD_CAST "quiesced", BAD_CAST "yes");

    xmlSetNs(q, xmlNewNs(q, BAD_CAST DS_XML_COOKIE_NAMESPACE, BAD_CAST "domsnap"));
    return cookie;
}

/* The description of @rec that snapshot_xml writes; its nodes are @doc's. */
static DsSnapshotXml *
to_def(const DsSnapshotRecord *rec, const char *driver, gboolean with_domain)
{
    DsSnapshotXml *def = g_new0(DsSnapshotXml, 1);

    def->doc = xmlNewDoc(BAD_CAST "1.0");
    xmlDocSetRootElement(def->doc, xmlNewDocNode(def->doc, NULL, BAD_CAST "kept", NULL));
    def->name = g_strdup(rec->name);
    def->description = g_strdup(rec->description);
    def->state = g_strdup(ds_snapshot_record_libvirt_state(rec));
    def->parent = g_strdup(rec->parent);
    def->creation_time = rec->creation_time;
    def->memory = rec->memory.kind;
    if (rec->memory.kind == DS_MEMORY_EXTERNAL)
        def->memory_file = g_strdup(rec->memory.file);
    if (rec->disks && rec->disks->len) {
        def->disks = g_ptr_array_new_with_free_func(ds_snapshot_xml_disk_free);
        for (guint i = 0; i < rec->disks->len; i++)
            g_ptr_array_add(def->disks, xml_disk(def->doc, rec->disks->pdata[i]));
    }
    if (with_domain)
        def->domain = xmlAddChild(xmlDocGetRootElement(def->doc),
                                  ds_domain_xml_new(def->doc, &rec->config, driver));
    if (rec->quiesced)
        def->cookie = quiesced_cookie(def->doc);
    def->active = -1;
    return def;
}

char *
ds_snapshot_record_to_xml(const DsSnapshotRecord *rec, const char *driver,
                          gboolean with_domain)
{
    g_autoptr(DsSnapshotXml) def = to_def(rec, driver, with_domain);

    return ds_snapshot_xml_format(def, rec->config.c_info.uuid, 0);
}
