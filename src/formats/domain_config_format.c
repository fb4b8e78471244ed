/*
 * domain_config_format.c: a config as xl.cfg text, the formatter of the
 * parse/format pair (ds_domain_config_from_cfg() is the parser).
 *
 * Canonical: one key per line in a fixed order, a key only when it says
 * something (the defaults the parser resolved are said, so that the text
 * does not depend on today's defaults), strings in double quotes, disks in
 * xl's keyword form with target= last (a path may hold commas), lists of
 * more than one item one item a line.
 */
#include "domain_config.h"

#include <string.h>

static void
append_quoted(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (; *s; s++) {
        switch (*s) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\t': g_string_append(out, "\\t"); break;
        case '\r': g_string_append(out, "\\r"); break;
        default: g_string_append_c(out, *s);
        }
    }
    g_string_append_c(out, '"');
}

static void
put_string(GString *out, const char *key, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(out, "%s = ", key);
    append_quoted(out, value);
    g_string_append_c(out, '\n');
}

static void
put_number(GString *out, const char *key, gint64 value)
{
    g_string_append_printf(out, "%s = %" G_GINT64_FORMAT "\n", key, value);
}

static void
put_enum(GString *out, const char *key, const DsEnumTable *table, int value)
{
    put_string(out, key, ds_enum_to_string(table, value));
}

/* Takes ownership of @items (strings). */
static void
put_list(GString *out, const char *key, GPtrArray *items)
{
    g_autoptr(GPtrArray) owned = items;

    if (!items->len)
        return;
    g_string_append_printf(out, "%s = [", key);
    if (items->len == 1) {
        g_string_append_c(out, ' ');
        append_quoted(out, items->pdata[0]);
        g_string_append(out, " ]\n");
        return;
    }
    g_string_append_c(out, '\n');
    for (guint i = 0; i < items->len; i++) {
        g_string_append(out, "    ");
        append_quoted(out, items->pdata[i]);
        g_string_append(out, ",\n");
    }
    g_string_append(out, "]\n");
}

static void
put_strv(GString *out, const char *key, char *const *strv)
{
    GPtrArray *items = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; strv && strv[i]; i++)
        g_ptr_array_add(items, g_strdup(strv[i]));
    put_list(out, key, items);
}

static void
put_disks(GString *out, const DsDomainConfig *c)
{
    GPtrArray *items = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; c->disks && i < c->disks->len; i++) {
        const DsDomainDisk *d = c->disks->pdata[i];
        if (d->role != DS_DISK_ROLE_DISK)
            continue;
        g_ptr_array_add(items, g_strdup_printf("format=%s, vdev=%s, access=%s, target=%s",
                                               ds_enum_to_string(&ds_disk_format_table, d->format),
                                               d->vdev, d->readwrite ? "rw" : "ro",
                                               d->pdev_path));
    }
    for (guint i = 0; c->cdroms && i < c->cdroms->len; i++) {
        const DsDomainCdrom *cd = c->cdroms->pdata[i];
        if (cd->pdev_path)
            g_ptr_array_add(items, g_strdup_printf(
                "format=%s, vdev=%s, access=ro, devtype=cdrom, target=%s",
                ds_enum_to_string(&ds_disk_format_table, cd->format), cd->vdev, cd->pdev_path));
        else
            g_ptr_array_add(items, g_strdup_printf("vdev=%s, access=ro, devtype=cdrom", cd->vdev));
    }
    put_list(out, "disk", items);
}

static void
put_devices(GString *out, const DsDomainConfig *c)
{
    GPtrArray *vifs = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *channels = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; c->nics && i < c->nics->len; i++)
        g_ptr_array_add(vifs, ds_vif_format(c->nics->pdata[i]));
    put_list(out, "vif", vifs);
    for (guint i = 0; c->channels && i < c->channels->len; i++)
        g_ptr_array_add(channels, ds_channel_format(c->channels->pdata[i]));
    put_list(out, "channel", channels);
}

static void
put_boot(GString *out, const DsDomainConfig *c)
{
    const DsDomainBuildInfo *b = &c->b_info;
    const DsDomainDisk *nvram = ds_domain_config_nvram(c);

    put_string(out, "kernel", b->kernel);
    put_string(out, "ramdisk", b->ramdisk);
    put_string(out, "cmdline", b->cmdline);
    put_enum(out, "bios", &ds_bios_table, b->bios);
    if (nvram)
        put_string(out, "nvram", nvram->pdev_path);
    put_string(out, "boot", b->boot);
}

static void
put_display(GString *out, const DsDomainBuildInfo *b)
{
    int default_vga = b->vnc.enable ? DS_VGA_STDVGA : DS_VGA_NONE;

    if (b->vnc.enable) {
        put_number(out, "vnc", 1);
        put_string(out, "vnclisten", b->vnc.listen);
        if (b->vnc.display)
            put_number(out, "vncdisplay", b->vnc.display);
        if (b->vnc.findunused != DS_DEFBOOL_DEFAULT)
            put_number(out, "vncunused", b->vnc.findunused == DS_DEFBOOL_TRUE);
        put_string(out, "vncpasswd", b->vnc.passwd);
    }
    if (b->vga != DS_VGA_UNSET && b->vga != default_vga)
        put_enum(out, "vga", &ds_vga_table, b->vga);
    if (b->nographic)
        put_number(out, "nographic", 1);
    put_strv(out, "usbdevice", b->usbdevice);
}

static void
put_qemu(GString *out, const DsDomainQemuInfo *q)
{
    put_strv(out, "serial", q->serial);
    put_string(out, "accel", q->accel);
    put_string(out, "machine", q->machine);
    put_strv(out, "device_model_args", q->device_model_args);
    put_strv(out, "device_model_args_hvm", q->device_model_args_hvm);
    put_strv(out, "device_model_args_pv", q->device_model_args_pv);
}

char *
ds_domain_config_format(const DsDomainConfig *c)
{
    GString *out = g_string_new(NULL);

    put_string(out, "name", c->c_info.name);
    put_string(out, "uuid", c->c_info.uuid);
    put_enum(out, "type", &ds_domain_type_table, c->c_info.type);
    put_number(out, "memory", c->b_info.max_memkb / 1024);
    put_number(out, "vcpus", c->b_info.max_vcpus);
    put_boot(out, c);
    put_disks(out, c);
    put_devices(out, c);
    put_display(out, &c->b_info);
    put_enum(out, "on_poweroff", &ds_action_table, c->on_poweroff);
    put_enum(out, "on_reboot", &ds_action_table, c->on_reboot);
    put_enum(out, "on_crash", &ds_action_table, c->on_crash);
    put_qemu(out, &c->qemu);
    return g_string_free(out, FALSE);
}
