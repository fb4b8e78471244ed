#include "qemu_devices.h"

#include <string.h>

#include "domsnap.h"
#include "formats/diskspec.h"
#include "qemu_driver.h"

/* The host end of the guest's first serial port, when it is a socket. */
char *
ds_qemu_console_socket(const DsDomainRecord *rec, GError **error)
{
    const char *first = rec->config.qemu.serial ? rec->config.qemu.serial[0] : NULL;

    if (!rec->run_dir || rec->pid <= 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE, "domain '%s' is not running", rec->name);
        return NULL;
    }
    if (!first)
        return g_build_filename(rec->run_dir, "console.sock", NULL);
    if (g_str_has_prefix(first, "unix:"))
        return g_strdup(first + 5);
    g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED,
                "domain '%s': its console is '%s', which cannot be attached to (leave "
                "serial= out, or make its first port 'unix:PATH')", rec->name, first);
    return NULL;
}

gboolean
ds_qemu_vnc_address(const DsDomainRecord *rec, char **host, int *port, GError **error)
{
    g_autoptr(DsQmp) qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, error);
    g_auto(DsQmpVncInfo) vnc = { 0 };

    if (!qmp || !ds_qmp_query_vnc(qmp, &vnc, error))
        return FALSE;
    if (!vnc.enabled) {
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                    "domain '%s' has no VNC display (vnc = 1 in its config)", rec->name);
        return FALSE;
    }
    if (!vnc.host || !vnc.service) {
        g_set_error(error, DS_ERROR, DS_ERROR_QMP,
                    "domain '%s': QEMU did not say where its VNC server listens", rec->name);
        return FALSE;
    }
    *host = g_steal_pointer(&vnc.host);
    *port = (int)g_ascii_strtoll(vnc.service, NULL, 10);
    return TRUE;
}

/* The media of cdrom @index (qdev id ds-cdN): @path in, or out (NULL). */
gboolean
ds_qemu_cdrom_change(const DsDomainRecord *rec, guint index, const char *path, int format,
                     GError **error)
{
    g_autoptr(DsQmp) qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, error);
    g_autofree char *id = g_strdup_printf("ds-cd%u", index);
    DsQmpBlockdevChangeMedium medium = {
        .id = id,
        .filename = path,
        .format = format == DS_DISK_FORMAT_QCOW2 ? "qcow2" : "raw",
        .read_only_mode = "read-only",
    };

    if (!qmp)
        return FALSE;
    if (!path)
        return ds_qmp_eject(qmp, id, TRUE, error);
    return ds_qmp_blockdev_change_medium(qmp, &medium, error);
}
