#include "qemu_argv.h"

#include <string.h>

/* QEMU option values double their commas. */
static char *
opt_escape(const char *s)
{
    g_autoptr(GString) out = g_string_new(NULL);

    for (; *s; s++) {
        if (*s == ',')
            g_string_append_c(out, ',');
        g_string_append_c(out, *s);
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

char *
ds_qemu_disk_device_id(guint index)
{
    return g_strdup_printf("ds-disk%u", index);
}

char *
ds_qemu_disk_node_name(guint index)
{
    return g_strdup_printf("ds-disk%u-fmt", index);
}

const char *
ds_qemu_binary(void)
{
    const char *env = g_getenv("DOMSNAP_QEMU");

    return env && *env ? env : "qemu-system-x86_64";
}

static void
add(GStrvBuilder *b, const char *a, const char *v)
{
    g_strv_builder_add(b, a);
    if (v)
        g_strv_builder_add(b, v);
}

static void
add_printf(GStrvBuilder *b, const char *opt, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
add_printf(GStrvBuilder *b, const char *opt, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *v = NULL;

    va_start(ap, fmt);
    v = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    add(b, opt, v);
}

static void
add_serial(GStrvBuilder *b, guint i, const char *port)
{
    g_autofree char *path = NULL;

    if (g_str_has_prefix(port, "file:")) {
        path = opt_escape(port + 5);
        add_printf(b, "-chardev", "file,id=serial%u,path=%s", i, path);
    } else if (g_str_has_prefix(port, "unix:")) {
        path = opt_escape(port + 5);
        add_printf(b, "-chardev", "socket,id=serial%u,path=%s,server=on,wait=off", i, path);
    } else {
        add_printf(b, "-chardev", "%s,id=serial%u", port, i);
    }
    add_printf(b, "-serial", "chardev:serial%u", i);
}

static void
add_disks(GStrvBuilder *b, const DsDomainConfig *c)
{
    for (guint i = 0; c->disks && i < c->disks->len; i++) {
        const DsDomainDisk *d = c->disks->pdata[i];
        g_autofree char *path = opt_escape(d->pdev_path);
        g_autofree char *node = ds_qemu_disk_node_name(i);
        g_autofree char *dev = ds_qemu_disk_device_id(i);
        const char *fmt = d->format == DS_DISK_FORMAT_QCOW2 ? "qcow2" : "raw";
        const char *ro = d->readwrite ? "off" : "on";

        add_printf(b, "-blockdev",
                   "driver=%s,node-name=%s,read-only=%s,file.driver=file,"
                   "file.node-name=%s-file,file.filename=%s,file.read-only=%s",
                   fmt, node, ro, node, path, ro);
        add_printf(b, "-device", "virtio-blk-pci,drive=%s,id=%s", node, dev);
    }
}

GStrv
ds_qemu_build_argv(const DsDomainRecord *rec, DsStartFlags flags,
                   const char *pidfile)
{
    const DsDomainConfig *c = &rec->config;
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();
    g_autofree char *name = opt_escape(c->c_info.name);
    g_autofree char *qmp = opt_escape(rec->qmp_socket);

    add(b, ds_qemu_binary(), NULL);
    add_printf(b, "-name", "guest=%s,debug-threads=on", name);
    if (c->c_info.uuid)
        add(b, "-uuid", c->c_info.uuid);
    add(b, "-machine", c->qemu.machine);
    add(b, "-accel", c->qemu.accel);
    add_printf(b, "-m", "%" G_GINT64_FORMAT "M", c->b_info.max_memkb / 1024);
    add_printf(b, "-smp", "%" G_GINT64_FORMAT, c->b_info.max_vcpus);
    add(b, "-nodefaults", NULL);
    add(b, "-no-user-config", NULL);
    add(b, "-display", "none");
    /* Keep QEMU alive when the guest powers off, so that domsnap can tell a
     * clean shutdown from a crash. */
    add(b, "-no-shutdown", NULL);
    if (c->b_info.kernel)
        add(b, "-kernel", c->b_info.kernel);
    if (c->b_info.ramdisk)
        add(b, "-initrd", c->b_info.ramdisk);
    if (c->b_info.cmdline)
        add(b, "-append", c->b_info.cmdline);
    if (c->qemu.serial && c->qemu.serial[0]) {
        for (guint i = 0; c->qemu.serial[i]; i++)
            add_serial(b, i, c->qemu.serial[i]);
    } else {
        g_autofree char *log = g_build_filename(rec->run_dir, "console.log", NULL);
        g_autofree char *port = g_strconcat("file:", log, NULL);
        add_serial(b, 0, port);
    }
    add_disks(b, c);
    add_printf(b, "-qmp", "unix:%s,server=on,wait=off", qmp);
    if (flags & (DS_START_PAUSED | DS_START_INCOMING))
        add(b, "-S", NULL);
    if (flags & DS_START_INCOMING)
        add(b, "-incoming", "defer");
    add(b, "-pidfile", pidfile);
    add(b, "-daemonize", NULL);
    return g_strv_builder_end(b);
}
