#include "snapshot_record_xml.h"

#include <string.h>

#include "formats/diskspec.h"
#include "formats/xml_writer.h"
#include "util/ds_ovmf.h"

const char *
ds_snapshot_record_libvirt_state(const DsSnapshotRecord *rec)
{
    /* libvirt's name for a disk-only snapshot of a running domain. */
    if (rec->memory.kind == DS_MEMORY_NO && g_strcmp0(rec->domain_state, "shutoff") != 0)
        return "disk-snapshot";
    return rec->domain_state;
}

static void
format_disk(GString *out, const DsSnapshotDisk *d)
{
    g_string_append(out, "    <disk");
    ds_xml_write_attr(out, "name", d->vdev);
    /* A full copy (xen's raw disks) is not a libvirt snapshot kind: libvirt
     * calls a disk state kept by other means 'manual'. */
    ds_xml_write_attr(out, "snapshot", d->kind == DS_DISK_SNAP_COPY
                                           ? "manual"
                                           : ds_enum_to_string(&ds_disk_snap_mode_table, d->kind));
    if (d->kind != DS_DISK_SNAP_EXTERNAL) {
        g_string_append(out, "/>\n");
        return;
    }
    ds_xml_write_attr(out, "type", "file");
    g_string_append(out, ">\n      <driver type='qcow2'/>\n      <source");
    ds_xml_write_attr(out, "file", d->overlay);
    g_string_append(out, "/>\n    </disk>\n");
}

static void
format_domain_disk(GString *out, const DsDomainDisk *d)
{
    g_string_append(out, "      <disk type='file' device='disk'>\n        <driver name='qemu'");
    ds_xml_write_attr(out, "type", ds_enum_to_string(&ds_disk_format_table, d->format));
    g_string_append(out, "/>\n        <source");
    ds_xml_write_attr(out, "file", d->pdev_path);
    g_string_append(out, "/>\n        <target");
    ds_xml_write_attr(out, "dev", d->vdev);
    g_string_append(out, " bus='virtio'/>\n");
    if (!d->readwrite)
        g_string_append(out, "        <readonly/>\n");
    g_string_append(out, "      </disk>\n");
}

static void
format_domain_cdrom(GString *out, const DsDomainCdrom *cd)
{
    g_string_append(out, "      <disk type='file' device='cdrom'>\n");
    if (cd->pdev_path) {
        g_string_append(out, "        <driver name='qemu'");
        ds_xml_write_attr(out, "type", ds_enum_to_string(&ds_disk_format_table, cd->format));
        g_string_append(out, "/>\n        <source");
        ds_xml_write_attr(out, "file", cd->pdev_path);
        g_string_append(out, "/>\n");
    }
    g_string_append(out, "        <target");
    ds_xml_write_attr(out, "dev", cd->vdev);
    g_string_append(out, " bus='ide'/>\n        <readonly/>\n      </disk>\n");
}

/* UEFI: OVMF's code as the loader, the domain's variable store as nvram;
 * and the boot order, as libvirt writes them in <os>. */
static void
format_firmware(GString *out, const DsDomainConfig *c)
{
    const DsDomainDisk *nvram = ds_domain_config_nvram(c);

    if (c->b_info.bios == DS_BIOS_OVMF) {
        g_autofree char *code = ds_ovmf_code(NULL);
        g_string_append(out, "      <loader readonly='yes' type='pflash' format='raw'>");
        ds_xml_escape_text(out, code ? code : DS_OVMF_CODE);
        g_string_append(out, "</loader>\n");
    }
    if (nvram) {
        g_string_append(out, "      <nvram");
        ds_xml_write_attr(out, "format", ds_enum_to_string(&ds_disk_format_table, nvram->format));
        g_string_append(out, ">");
        ds_xml_escape_text(out, nvram->pdev_path);
        g_string_append(out, "</nvram>\n");
    }
    for (const char *b = c->b_info.boot; b && *b; b++)
        g_string_append_printf(out, "      <boot dev='%s'/>\n",
                               *b == 'c' ? "hd" : *b == 'd' ? "cdrom" : "network");
}

static void
format_serial(GString *out, const char *port, guint index)
{
    const char *type = g_str_has_prefix(port, "file:") ? "file"
                       : g_str_has_prefix(port, "unix:") ? "unix" : port;

    g_string_append(out, "      <serial");
    ds_xml_write_attr(out, "type", type);
    g_string_append(out, ">\n");
    if (!strcmp(type, "file") || !strcmp(type, "unix")) {
        g_string_append(out, "        <source");
        if (!strcmp(type, "unix"))
            ds_xml_write_attr(out, "mode", "bind");
        ds_xml_write_attr(out, "path", port + 5);
        g_string_append(out, "/>\n");
    }
    g_string_append_printf(out, "        <target port='%u'/>\n      </serial>\n", index);
}

/* domsnap's own config, for --redefine: libxl-json inside <metadata>. */
static void
format_metadata(GString *out, const DsDomainConfig *c)
{
    json_object *j = ds_record_to_json(&ds_domain_config_type, c);

    g_string_append(out, "    <metadata>\n      <domsnap:config xmlns:domsnap=\"" DS_XML_NAMESPACE "\">");
    ds_xml_escape_text(out, json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
                                                              JSON_C_TO_STRING_NOSLASHESCAPE));
    g_string_append(out, "</domsnap:config>\n    </metadata>\n");
    json_object_put(j);
}

static void
format_domain(GString *out, const DsDomainConfig *c)
{
    g_autofree char *mem = g_strdup_printf("%" G_GINT64_FORMAT, c->b_info.max_memkb);
    g_autofree char *vcpus = g_strdup_printf("%" G_GINT64_FORMAT, c->b_info.max_vcpus);

    g_string_append(out, "  <domain");
    ds_xml_write_attr(out, "type", g_strcmp0(c->qemu.accel, "kvm") == 0 ? "kvm" : "qemu");
    g_string_append(out, ">\n");
    ds_xml_write_element(out, 4, "name", c->c_info.name);
    if (c->c_info.uuid)
        ds_xml_write_element(out, 4, "uuid", c->c_info.uuid);
    format_metadata(out, c);
    g_string_append_printf(out, "    <memory unit='KiB'>%s</memory>\n", mem);
    g_string_append_printf(out, "    <currentMemory unit='KiB'>%s</currentMemory>\n", mem);
    g_string_append_printf(out, "    <vcpu placement='static'>%s</vcpu>\n", vcpus);
    g_string_append(out, "    <os>\n      <type arch='x86_64'");
    ds_xml_write_attr(out, "machine", c->qemu.machine ? c->qemu.machine : "pc");
    g_string_append(out, ">hvm</type>\n");
    if (c->b_info.kernel)
        ds_xml_write_element(out, 6, "kernel", c->b_info.kernel);
    if (c->b_info.ramdisk)
        ds_xml_write_element(out, 6, "initrd", c->b_info.ramdisk);
    if (c->b_info.cmdline)
        ds_xml_write_element(out, 6, "cmdline", c->b_info.cmdline);
    format_firmware(out, c);
    g_string_append(out, "    </os>\n    <devices>\n");
    ds_xml_write_element(out, 6, "emulator", "/usr/bin/qemu-system-x86_64");
    for (guint i = 0; c->disks && i < c->disks->len; i++)
        if (((DsDomainDisk *)c->disks->pdata[i])->role == DS_DISK_ROLE_DISK)
            format_domain_disk(out, c->disks->pdata[i]);
    for (guint i = 0; c->cdroms && i < c->cdroms->len; i++)
        format_domain_cdrom(out, c->cdroms->pdata[i]);
    for (guint i = 0; c->qemu.serial && c->qemu.serial[i]; i++)
        format_serial(out, c->qemu.serial[i], i);
    g_string_append(out, "    </devices>\n  </domain>\n");
}

char *
ds_snapshot_record_to_xml(const DsSnapshotRecord *rec, gboolean with_domain)
{
    g_autoptr(GString) out = g_string_new("<domainsnapshot>\n");
    g_autofree char *ctime = g_strdup_printf("%" G_GINT64_FORMAT, rec->creation_time);

    ds_xml_write_element(out, 2, "name", rec->name);
    if (rec->description)
        ds_xml_write_element(out, 2, "description", rec->description);
    ds_xml_write_element(out, 2, "state", ds_snapshot_record_libvirt_state(rec));
    if (rec->parent) {
        g_string_append(out, "  <parent>\n");
        ds_xml_write_element(out, 4, "name", rec->parent);
        g_string_append(out, "  </parent>\n");
    }
    ds_xml_write_element(out, 2, "creationTime", ctime);
    g_string_append(out, "  <memory");
    ds_xml_write_attr(out, "snapshot", ds_enum_to_string(&ds_memory_mode_table, rec->memory.kind));
    if (rec->memory.kind == DS_MEMORY_EXTERNAL)
        ds_xml_write_attr(out, "file", rec->memory.file);
    g_string_append(out, "/>\n");
    if (rec->disks && rec->disks->len) {
        g_string_append(out, "  <disks>\n");
        for (guint i = 0; i < rec->disks->len; i++)
            format_disk(out, rec->disks->pdata[i]);
        g_string_append(out, "  </disks>\n");
    }
    if (with_domain) {
        format_domain(out, &rec->config);
    } else if (rec->config.c_info.uuid) {
        g_string_append(out, "  <domain>\n");
        ds_xml_write_element(out, 4, "uuid", rec->config.c_info.uuid);
        g_string_append(out, "  </domain>\n");
    }
    /* libvirt has no element for a quiesced snapshot (virsh's --quiesce is
     * a flag): the hypervisor-private <cookie> carries it, namespaced. */
    if (rec->quiesced)
        g_string_append(out, "  <cookie>\n    <domsnap:quiesced xmlns:domsnap="
                             "'https://domsnap.org/xmlns/snapshot/1'>yes</domsnap:quiesced>\n"
                             "  </cookie>\n");
    g_string_append(out, "</domainsnapshot>\n");
    return g_string_free(g_steal_pointer(&out), FALSE);
}
