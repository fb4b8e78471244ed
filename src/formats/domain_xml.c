/*
 * domain_xml: a domain config as libvirt's <domain> element (a node tree,
 * written out by the one <domainsnapshot> writer in snapshot_xml.c), for
 * the hypervisor that runs it: <domain type='qemu'|'kvm'> as the qemu
 * driver runs it (virtio disks, an emulator), <domain type='xen'> as libxl
 * runs it (xenpv/xenpvh/xenfv, xen disks). domsnap's own config goes into
 * <metadata>, so that `snapshot-create --redefine` gets the record back
 * exactly.
 */
#include "domain_xml.h"

#include <string.h>

#include "util/ds_ovmf.h"

static xmlNode *
add(xmlNode *parent, const char *name, const char *text)
{
    return xmlNewTextChild(parent, NULL, BAD_CAST name, text ? BAD_CAST text : NULL);
}

static void
attr(xmlNode *node, const char *name, const char *value)
{
    if (value)
        xmlNewProp(node, BAD_CAST name, BAD_CAST value);
}

static xmlNode *
add_printf(xmlNode *parent, const char *name, const char *fmt, gint64 value)
{
    g_autofree char *text = g_strdup_printf(fmt, value);

    return add(parent, name, text);
}

/* A domain libxl took has its type in libxl's config only. */
static int
domain_type(const DsDomainConfig *c)
{
    json_object *c_info, *type;

    if (c->c_info.type != DS_DOMAIN_TYPE_UNSET || !c->xen.libxl_config)
        return c->c_info.type;
    if (!json_object_object_get_ex(c->xen.libxl_config, "c_info", &c_info) ||
        !json_object_object_get_ex(c_info, "type", &type))
        return DS_DOMAIN_TYPE_UNSET;
    return ds_enum_from_string(&ds_domain_type_table, json_object_get_string(type));
}

static void
add_disk(xmlNode *devices, const DsDomainDisk *d, gboolean xen)
{
    xmlNode *disk = add(devices, "disk", NULL);
    xmlNode *n;

    attr(disk, "type", "file");
    attr(disk, "device", "disk");
    n = add(disk, "driver", NULL);
    /* libxl: qcow2 is served by QEMU's qdisk, raw by blkback */
    attr(n, "name", !xen || d->format == DS_DISK_FORMAT_QCOW2 ? "qemu" : "phy");
    attr(n, "type", ds_enum_to_string(&ds_disk_format_table, d->format));
    attr(add(disk, "source", NULL), "file", d->pdev_path);
    n = add(disk, "target", NULL);
    attr(n, "dev", d->vdev);
    attr(n, "bus", xen ? "xen" : "virtio");
    if (!d->readwrite)
        add(disk, "readonly", NULL);
}

static void
add_cdrom(xmlNode *devices, const DsDomainCdrom *cd)
{
    xmlNode *disk = add(devices, "disk", NULL);
    xmlNode *n;

    attr(disk, "type", "file");
    attr(disk, "device", "cdrom");
    if (cd->pdev_path) {
        n = add(disk, "driver", NULL);
        attr(n, "name", "qemu");
        attr(n, "type", ds_enum_to_string(&ds_disk_format_table, cd->format));
        attr(add(disk, "source", NULL), "file", cd->pdev_path);
    }
    n = add(disk, "target", NULL);
    attr(n, "dev", cd->vdev);
    attr(n, "bus", "ide");
    add(disk, "readonly", NULL);
}

/* UEFI: OVMF's code as the loader, the domain's variable store as nvram;
 * and the boot order, as libvirt writes them in <os>. */
static void
add_firmware(xmlNode *os, const DsDomainConfig *c)
{
    const DsDomainDisk *nvram = ds_domain_config_nvram(c);
    xmlNode *n;

    if (c->b_info.bios == DS_BIOS_OVMF) {
        g_autofree char *code = ds_ovmf_code(NULL);
        n = add(os, "loader", code ? code : DS_OVMF_CODE);
        attr(n, "readonly", "yes");
        attr(n, "type", "pflash");
        attr(n, "format", "raw");
    }
    if (nvram)
        attr(add(os, "nvram", nvram->pdev_path), "format",
             ds_enum_to_string(&ds_disk_format_table, nvram->format));
    for (const char *b = c->b_info.boot; b && *b; b++)
        attr(add(os, "boot", NULL), "dev", *b == 'c' ? "hd" : *b == 'd' ? "cdrom" : "network");
}

static void
add_serial(xmlNode *devices, const char *port, guint index)
{
    const char *type = g_str_has_prefix(port, "file:") ? "file"
                       : g_str_has_prefix(port, "unix:") ? "unix" : port;
    xmlNode *serial = add(devices, "serial", NULL);
    xmlNode *n;

    attr(serial, "type", type);
    if (!strcmp(type, "file") || !strcmp(type, "unix")) {
        n = add(serial, "source", NULL);
        if (!strcmp(type, "unix"))
            attr(n, "mode", "bind");
        attr(n, "path", port + 5);
    }
    {
        g_autofree char *p = g_strdup_printf("%u", index);
        attr(add(serial, "target", NULL), "port", p);
    }
}

/* domsnap's own config, for --redefine: its JSON inside <metadata>. */
static void
add_metadata(xmlNode *domain, const DsDomainConfig *c)
{
    json_object *j = ds_record_to_json(&ds_domain_config_type, c);
    xmlNode *config = add(add(domain, "metadata", NULL), "config",
                          json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
                                                            JSON_C_TO_STRING_NOSLASHESCAPE));

    xmlSetNs(config, xmlNewNs(config, BAD_CAST DS_XML_NAMESPACE, BAD_CAST "domsnap"));
    json_object_put(j);
}

/* libvirt's <os><type> for a Xen guest: machine and OS type by its kind. */
static void
add_os_type(xmlNode *os, const DsDomainConfig *c, gboolean xen)
{
    int type = xen ? domain_type(c) : DS_DOMAIN_TYPE_HVM;
    const char *machine = !xen ? (c->qemu.machine ? c->qemu.machine : "pc")
                          : type == DS_DOMAIN_TYPE_PV ? "xenpv"
                          : type == DS_DOMAIN_TYPE_PVH ? "xenpvh" : "xenfv";
    xmlNode *n = add(os, "type", type == DS_DOMAIN_TYPE_PV ? "linux"
                                 : type == DS_DOMAIN_TYPE_PVH ? "xenpvh" : "hvm");

    attr(n, "arch", "x86_64");
    attr(n, "machine", machine);
}

xmlNode *
ds_domain_xml_new(xmlDoc *doc, const DsDomainConfig *c, const char *driver)
{
    gboolean xen = g_strcmp0(driver, "xen") == 0;
    xmlNode *domain = xmlNewDocNode(doc, NULL, BAD_CAST "domain", NULL);
    xmlNode *os, *devices;

    attr(domain, "type", xen ? "xen" : g_strcmp0(c->qemu.accel, "kvm") == 0 ? "kvm" : "qemu");
    add(domain, "name", c->c_info.name);
    if (c->c_info.uuid)
        add(domain, "uuid", c->c_info.uuid);
    add_metadata(domain, c);
    attr(add_printf(domain, "memory", "%" G_GINT64_FORMAT, c->b_info.max_memkb), "unit", "KiB");
    attr(add_printf(domain, "currentMemory", "%" G_GINT64_FORMAT, c->b_info.max_memkb),
         "unit", "KiB");
    attr(add_printf(domain, "vcpu", "%" G_GINT64_FORMAT, c->b_info.max_vcpus),
         "placement", "static");
    os = add(domain, "os", NULL);
    add_os_type(os, c, xen);
    if (c->b_info.kernel)
        add(os, "kernel", c->b_info.kernel);
    if (c->b_info.ramdisk)
        add(os, "initrd", c->b_info.ramdisk);
    if (c->b_info.cmdline)
        add(os, "cmdline", c->b_info.cmdline);
    add_firmware(os, c);
    devices = add(domain, "devices", NULL);
    if (!xen)
        add(devices, "emulator", "/usr/bin/qemu-system-x86_64");
    for (guint i = 0; c->disks && i < c->disks->len; i++)
        if (((DsDomainDisk *)c->disks->pdata[i])->role == DS_DISK_ROLE_DISK)
            add_disk(devices, c->disks->pdata[i], xen);
    for (guint i = 0; c->cdroms && i < c->cdroms->len; i++)
        add_cdrom(devices, c->cdroms->pdata[i]);
    for (guint i = 0; c->qemu.serial && c->qemu.serial[i]; i++)
        add_serial(devices, c->qemu.serial[i], i);
    return domain;
}
