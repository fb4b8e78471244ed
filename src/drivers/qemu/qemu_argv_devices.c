/*
 * qemu_argv_devices.c: the devices beyond CPUs, memory and disks: cdroms,
 * NICs, channels, the display and USB input.
 */
#include "qemu_argv_priv.h"

#include <string.h>

/* ---- cdroms ---- */

/*
 * hda..hdd name IDE positions (primary/secondary, master/slave), which a
 * pc's IDE controller has; on q35 (AHCI, one unit a port) hdN is port N.
 * Another name gets the first free position.
 */
static char *
ide_position(const DsDomainConfig *c, const char *vdev)
{
    gboolean q35 = strstr(c->qemu.machine, "q35") != NULL;
    int i;

    if (strlen(vdev) != 3 || strncmp(vdev, "hd", 2) != 0 || vdev[2] < 'a' || vdev[2] > 'f')
        return g_strdup("");
    i = vdev[2] - 'a';
    if (q35)
        return g_strdup_printf(",bus=ide.%d", i);
    if (i > 3)
        return g_strdup("");
    return g_strdup_printf(",bus=ide.%d,unit=%d", i / 2, i % 2);
}

void
ds_qemu_argv_cdroms(GStrvBuilder *b, const DsDomainConfig *c)
{
    guint boot = ds_qemu_boot_index(c, 'd');

    for (guint i = 0; c->cdroms && i < c->cdroms->len; i++) {
        const DsDomainCdrom *cd = c->cdroms->pdata[i];
        g_autofree char *pos = ide_position(c, cd->vdev);
        g_autofree char *drive = NULL;
        g_autofree char *bootindex = boot ? g_strdup_printf(",bootindex=%u", boot) : NULL;

        boot = 0;
        if (cd->pdev_path) {
            g_autofree char *file = ds_qemu_opt_escape(cd->pdev_path);
            drive = g_strdup_printf(",drive=ds-cd%u-fmt", i);
            ds_qemu_argv_addf(b, "-blockdev",
                              "driver=%s,node-name=ds-cd%u-fmt,read-only=on,file.driver=file,"
                              "file.node-name=ds-cd%u-file,file.filename=%s,file.read-only=on",
                              cd->format == DS_DISK_FORMAT_QCOW2 ? "qcow2" : "raw", i, i, file);
        }
        ds_qemu_argv_addf(b, "-device", "ide-cd,id=ds-cd%u%s%s%s", i, drive ? drive : "", pos,
                          bootindex ? bootindex : "");
    }
}

/* ---- NICs ---- */

int
ds_qemu_nic_tap_fd(const DsDomainConfig *c, guint index)
{
    int fd = 3;

    for (guint i = 0; c->nics && i < c->nics->len; i++) {
        const DsVif *v = c->nics->pdata[i];
        if (!v->bridge)
            continue;
        if (i == index)
            return fd;
        fd++;
    }
    return -1;
}

char *
ds_qemu_nic_tap_name(const DsVif *vif, gint64 id, guint index)
{
    if (vif->vifname)
        return g_strdup(vif->vifname);
    return g_strdup_printf("vif%" G_GINT64_FORMAT ".%u-emu", id, index);
}

static const char *
nic_device(int model)
{
    switch (model) {
    case DS_VIF_MODEL_E1000: return "e1000";
    case DS_VIF_MODEL_VIRTIO_NET: return "virtio-net-pci";
    default: return "rtl8139";
    }
}

static void
add_netdev(GStrvBuilder *b, const DsDomainConfig *c, const DsVif *v, guint i)
{
    g_autoptr(GString) opt = g_string_new(NULL);

    if (v->type == DS_VIF_TYPE_USER) {
        g_string_printf(opt, "user,id=ds-net%u,restrict=%s", i,
                        v->restrict_net == DS_VIF_RESTRICT_OFF ? "off" : "on");
        for (guint j = 0; v->hostfwd && v->hostfwd[j]; j++)
            g_string_append_printf(opt, ",hostfwd=%s", v->hostfwd[j]);
    } else if (v->bridge) {
        /* domsnap opens the tap and puts it on the bridge (qemu_tap.c). */
        g_string_printf(opt, "tap,id=ds-net%u,fd=%d", i, ds_qemu_nic_tap_fd(c, i));
    } else {
        g_autofree char *name = ds_qemu_opt_escape(v->vifname);
        g_string_printf(opt, "tap,id=ds-net%u,ifname=%s,script=no,downscript=no", i, name);
    }
    ds_qemu_argv_add(b, "-netdev", opt->str);
}

void
ds_qemu_argv_nics(GStrvBuilder *b, const DsDomainRecord *rec)
{
    const DsDomainConfig *c = &rec->config;
    guint boot = ds_qemu_boot_index(c, 'n');

    for (guint i = 0; c->nics && i < c->nics->len; i++) {
        const DsVif *v = c->nics->pdata[i];
        g_autofree char *mac = v->mac ? g_strdup_printf(",mac=%s", v->mac) : NULL;
        g_autofree char *bootindex = boot ? g_strdup_printf(",bootindex=%u", boot) : NULL;

        boot = 0;
        add_netdev(b, c, v, i);
        ds_qemu_argv_addf(b, "-device", "%s,netdev=ds-net%u,id=ds-nic%u%s%s",
                          nic_device(v->model), i, i, mac ? mac : "",
                          bootindex ? bootindex : "");
    }
}

/* ---- channels ---- */

char *
ds_qemu_channel_path(const DsDomainRecord *rec, const DsChannel *ch)
{
    g_autofree char *base = NULL;

    if (ch->path)
        return g_strdup(ch->path);
    base = g_strconcat(ch->name, ".sock", NULL);
    return g_build_filename(rec->run_dir, base, NULL);
}

void
ds_qemu_argv_channels(GStrvBuilder *b, const DsDomainRecord *rec)
{
    const DsDomainConfig *c = &rec->config;

    if (!c->channels || !c->channels->len)
        return;
    ds_qemu_argv_add(b, "-device", "virtio-serial-pci,id=ds-vser0");
    for (guint i = 0; i < c->channels->len; i++) {
        const DsChannel *ch = c->channels->pdata[i];

        if (ch->connection == DS_CHANNEL_PTY) {
            ds_qemu_argv_addf(b, "-chardev", "pty,id=ds-chan%u", i);
        } else {
            g_autofree char *path = ds_qemu_channel_path(rec, ch);
            g_autofree char *escaped = ds_qemu_opt_escape(path);
            ds_qemu_argv_addf(b, "-chardev", "socket,id=ds-chan%u,path=%s,server=on,wait=off",
                              i, escaped);
        }
        ds_qemu_argv_addf(b, "-device", "virtserialport,bus=ds-vser0.0,chardev=ds-chan%u,"
                          "name=%s,id=ds-port%u", i, ch->name, i);
    }
}

/* ---- display and input ---- */

/* Port 5900 + display must be a TCP port. */
#define VNC_LAST_DISPLAY (65535 - 5900)

static void
add_vnc(GStrvBuilder *b, const DsDomainVnc *vnc)
{
    g_autoptr(GString) opt = g_string_new(NULL);
    g_autofree char *listen = ds_qemu_opt_escape(vnc->listen ? vnc->listen : "127.0.0.1");

    g_string_printf(opt, "%s:%" G_GINT64_FORMAT, listen, vnc->display);
    /* xl's vncunused (the default): the next free display if this one is taken. */
    if (vnc->findunused != DS_DEFBOOL_FALSE)
        g_string_append_printf(opt, ",to=%" G_GINT64_FORMAT,
                               MIN(vnc->display + 99, VNC_LAST_DISPLAY));
    /* The password itself goes over QMP once QEMU runs (change-vnc-password):
     * on the command line every user of the host could read it. */
    if (vnc->passwd && *vnc->passwd)
        g_string_append(opt, ",password=on");
    ds_qemu_argv_add(b, "-vnc", opt->str);
}

void
ds_qemu_argv_display(GStrvBuilder *b, const DsDomainConfig *c)
{
    const DsDomainBuildInfo *bi = &c->b_info;

    if (bi->vnc.enable)
        add_vnc(b, &bi->vnc);
    if (bi->vga == DS_VGA_STDVGA)
        ds_qemu_argv_add(b, "-device", "VGA,id=ds-vga");
    else if (bi->vga == DS_VGA_CIRRUS)
        ds_qemu_argv_add(b, "-device", "cirrus-vga,id=ds-vga");
    if (!bi->usbdevice || !bi->usbdevice[0])
        return;
    ds_qemu_argv_add(b, "-usb", NULL);
    for (guint i = 0; bi->usbdevice[i]; i++) {
        const char *u = bi->usbdevice[i];
        ds_qemu_argv_addf(b, "-device", "%s,id=ds-usb%u",
                          !strcmp(u, "tablet") ? "usb-tablet"
                          : !strcmp(u, "mouse") ? "usb-mouse" : "usb-kbd", i);
    }
}
