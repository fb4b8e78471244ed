#include "qemu_argv_priv.h"

#include <string.h>

#include "domsnap.h"
#include "util/ds_ovmf.h"

/* The read-only OVMF code image's node: not a disk of the domain's. */
#define OVMF_CODE_NODE "ds-ovmf-code"

char *
ds_qemu_opt_escape(const char *s)
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

char *
ds_qemu_disk_qdev_match(const DsDomainConfig *config, guint index)
{
    const DsDomainDisk *d = config->disks && index < config->disks->len
                                ? config->disks->pdata[index] : NULL;
    g_autofree char *dev = NULL;

    if (d && d->role == DS_DISK_ROLE_NVRAM)
        return g_strdup("/machine/system.flash1");
    dev = ds_qemu_disk_device_id(index);
    return g_strdup_printf("/%s/", dev);
}

const char *
ds_qemu_binary(void)
{
    const char *env = g_getenv("DOMSNAP_QEMU");

    return env && *env ? env : "qemu-system-x86_64";
}

void
ds_qemu_argv_add(GStrvBuilder *b, const char *a, const char *v)
{
    g_strv_builder_add(b, a);
    if (v)
        g_strv_builder_add(b, v);
}

void
ds_qemu_argv_addf(GStrvBuilder *b, const char *opt, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *v = NULL;

    va_start(ap, fmt);
    v = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    ds_qemu_argv_add(b, opt, v);
}

guint
ds_qemu_boot_index(const DsDomainConfig *config, char klass)
{
    const char *at = config->b_info.boot ? strchr(config->b_info.boot, klass) : NULL;

    return at ? (guint)(at - config->b_info.boot) + 1 : 0;
}

static void
add_serial(GStrvBuilder *b, guint i, const char *port)
{
    g_autofree char *path = NULL;

    if (g_str_has_prefix(port, "file:")) {
        path = ds_qemu_opt_escape(port + 5);
        ds_qemu_argv_addf(b, "-chardev", "file,id=serial%u,path=%s", i, path);
    } else if (g_str_has_prefix(port, "unix:")) {
        path = ds_qemu_opt_escape(port + 5);
        ds_qemu_argv_addf(b, "-chardev", "socket,id=serial%u,path=%s,server=on,wait=off", i, path);
    } else {
        ds_qemu_argv_addf(b, "-chardev", "%s,id=serial%u", port, i);
    }
    ds_qemu_argv_addf(b, "-serial", "chardev:serial%u", i);
}

static void
add_serials(GStrvBuilder *b, const DsDomainRecord *rec)
{
    const DsDomainConfig *c = &rec->config;

    if (c->qemu.serial && c->qemu.serial[0]) {
        for (guint i = 0; c->qemu.serial[i]; i++)
            add_serial(b, i, c->qemu.serial[i]);
    } else {
        /* A socket for `domsnap console`, and everything the guest prints
         * logged beside it, whether anyone is attached or not. */
        g_autofree char *sock = g_build_filename(rec->run_dir, "console.sock", NULL);
        g_autofree char *log = g_build_filename(rec->run_dir, "console.log", NULL);
        g_autofree char *esock = ds_qemu_opt_escape(sock);
        g_autofree char *elog = ds_qemu_opt_escape(log);
        ds_qemu_argv_addf(b, "-chardev", "socket,id=serial0,path=%s,server=on,wait=off,"
                          "logfile=%s,logappend=on", esock, elog);
        ds_qemu_argv_addf(b, "-serial", "chardev:serial0");
    }
}

static void
add_blockdev(GStrvBuilder *b, const char *node, const char *path, int format, gboolean rw)
{
    g_autofree char *file = ds_qemu_opt_escape(path);
    const char *fmt = format == DS_DISK_FORMAT_QCOW2 ? "qcow2" : "raw";
    const char *ro = rw ? "off" : "on";

    ds_qemu_argv_addf(b, "-blockdev",
                      "driver=%s,node-name=%s,read-only=%s,file.driver=file,"
                      "file.node-name=%s-file,file.filename=%s,file.read-only=%s",
                      fmt, node, ro, node, file, ro);
}

/*
 * Disks become virtio-blk devices in list order. The UEFI variable store is
 * a disk too (so snapshots take it), but the machine maps it as its second
 * flash unit (-machine pflash1=) instead of a device: its node keeps the
 * name of its index, which is how the snapshot steps find it.
 */
static void
add_disks(GStrvBuilder *b, const DsDomainConfig *c)
{
    guint boot = ds_qemu_boot_index(c, 'c');

    for (guint i = 0; c->disks && i < c->disks->len; i++) {
        const DsDomainDisk *d = c->disks->pdata[i];
        g_autofree char *node = ds_qemu_disk_node_name(i);
        g_autofree char *dev = ds_qemu_disk_device_id(i);
        g_autofree char *bootindex = NULL;

        add_blockdev(b, node, d->pdev_path, d->format, d->readwrite);
        if (d->role == DS_DISK_ROLE_NVRAM)
            continue;
        /* boot=c: the first disk, as a BIOS boots the first hard disk. */
        if (boot)
            bootindex = g_strdup_printf(",bootindex=%u", boot);
        boot = 0;
        ds_qemu_argv_addf(b, "-device", "virtio-blk-pci,drive=%s,id=%s%s", node, dev,
                          bootindex ? bootindex : "");
    }
}

/* -machine, with the UEFI flash units when the firmware is OVMF. */
static gboolean
add_machine(GStrvBuilder *b, const DsDomainConfig *c, GError **error)
{
    g_autofree char *code = NULL;
    g_autofree char *nvram_node = NULL;

    if (c->b_info.bios != DS_BIOS_OVMF) {
        ds_qemu_argv_add(b, "-machine", c->qemu.machine);
        return TRUE;
    }
    code = ds_ovmf_code(error);
    if (!code)
        return FALSE;
    for (guint i = 0; c->disks && i < c->disks->len; i++)
        if (((DsDomainDisk *)c->disks->pdata[i])->role == DS_DISK_ROLE_NVRAM)
            nvram_node = ds_qemu_disk_node_name(i);
    if (!nvram_node) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "domain '%s': bios 'ovmf' and no UEFI variable store (nvram) is recorded",
                    c->c_info.name);
        return FALSE;
    }
    ds_qemu_argv_addf(b, "-machine", "%s,pflash0=%s,pflash1=%s", c->qemu.machine,
                      OVMF_CODE_NODE, nvram_node);
    add_blockdev(b, OVMF_CODE_NODE, code, DS_DISK_FORMAT_RAW, FALSE);
    return TRUE;
}

/*
 * on_reboot and on_crash (see domain_config_actions.c). -no-shutdown (a
 * power-off pauses, so QEMU stays and domsnap sees a guest that powered off,
 * not a QEMU that died) is there whatever they say.
 */
static void
add_actions(GStrvBuilder *b, const DsDomainConfig *c)
{
    ds_qemu_argv_add(b, "-no-shutdown", NULL);
    if (c->on_reboot == DS_ACTION_DESTROY || c->on_reboot == DS_ACTION_PRESERVE)
        ds_qemu_argv_add(b, "-action", "reboot=shutdown");
    if (c->on_crash) {
        ds_qemu_argv_add(b, "-device", "pvpanic");
        ds_qemu_argv_add(b, "-action", c->on_crash == DS_ACTION_PRESERVE
                                           ? "panic=pause" : "panic=exit-failure");
    }
}

static void
add_kernel(GStrvBuilder *b, const DsDomainConfig *c)
{
    if (c->b_info.kernel)
        ds_qemu_argv_add(b, "-kernel", c->b_info.kernel);
    if (c->b_info.ramdisk)
        ds_qemu_argv_add(b, "-initrd", c->b_info.ramdisk);
    if (c->b_info.cmdline)
        ds_qemu_argv_add(b, "-append", c->b_info.cmdline);
}

/* device_model_args: last, so that they can add to anything before. */
static void
add_extra_args(GStrvBuilder *b, const DsDomainConfig *c)
{
    gboolean pv = c->c_info.type == DS_DOMAIN_TYPE_PV || c->c_info.type == DS_DOMAIN_TYPE_PVH;
    char *const *typed = pv ? c->qemu.device_model_args_pv : c->qemu.device_model_args_hvm;

    for (guint i = 0; c->qemu.device_model_args && c->qemu.device_model_args[i]; i++)
        g_strv_builder_add(b, c->qemu.device_model_args[i]);
    for (guint i = 0; typed && typed[i]; i++)
        g_strv_builder_add(b, typed[i]);
}

GStrv
ds_qemu_build_argv(const DsDomainRecord *rec, DsStartFlags flags, const char *pidfile,
                   GError **error)
{
    const DsDomainConfig *c = &rec->config;
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();
    g_autofree char *name = ds_qemu_opt_escape(c->c_info.name);
    g_autofree char *qmp = ds_qemu_opt_escape(rec->qmp_socket);

    ds_qemu_argv_add(b, ds_qemu_binary(), NULL);
    ds_qemu_argv_addf(b, "-name", "guest=%s,debug-threads=on", name);
    if (c->c_info.uuid)
        ds_qemu_argv_add(b, "-uuid", c->c_info.uuid);
    if (!add_machine(b, c, error))
        return NULL;
    ds_qemu_argv_add(b, "-accel", c->qemu.accel);
    ds_qemu_argv_addf(b, "-m", "%" G_GINT64_FORMAT "M", c->b_info.max_memkb / 1024);
    ds_qemu_argv_addf(b, "-smp", "%" G_GINT64_FORMAT, c->b_info.max_vcpus);
    ds_qemu_argv_add(b, "-nodefaults", NULL);
    ds_qemu_argv_add(b, "-no-user-config", NULL);
    ds_qemu_argv_add(b, "-display", "none");
    add_actions(b, c);
    add_kernel(b, c);
    add_serials(b, rec);
    add_disks(b, c);
    ds_qemu_argv_cdroms(b, c);
    ds_qemu_argv_nics(b, rec);
    ds_qemu_argv_channels(b, rec);
    ds_qemu_argv_display(b, c);
    ds_qemu_argv_addf(b, "-qmp", "unix:%s,server=on,wait=off", qmp);
    if (flags & (DS_START_PAUSED | DS_START_INCOMING))
        ds_qemu_argv_add(b, "-S", NULL);
    if (flags & DS_START_INCOMING)
        ds_qemu_argv_add(b, "-incoming", "defer");
    ds_qemu_argv_add(b, "-pidfile", pidfile);
    ds_qemu_argv_add(b, "-daemonize", NULL);
    add_extra_args(b, c);
    return g_strv_builder_end(b);
}
