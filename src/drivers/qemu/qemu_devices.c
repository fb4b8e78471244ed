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
    json_object *r = qmp ? ds_qmp_command(qmp, "query-vnc", NULL, error) : NULL;
    json_object *enabled = NULL, *h = NULL, *s = NULL;
    gboolean ok = FALSE;

    if (!r)
        return FALSE;
    if (!json_object_object_get_ex(r, "enabled", &enabled) || !json_object_get_boolean(enabled))
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                    "domain '%s' has no VNC display (vnc = 1 in its config)", rec->name);
    else if (!json_object_object_get_ex(r, "host", &h) ||
             !json_object_object_get_ex(r, "service", &s))
        g_set_error(error, DS_ERROR, DS_ERROR_QMP,
                    "domain '%s': QEMU did not say where its VNC server listens", rec->name);
    else {
        *host = g_strdup(json_object_get_string(h));
        *port = (int)g_ascii_strtoll(json_object_get_string(s), NULL, 10);
        ok = TRUE;
    }
    json_object_put(r);
    return ok;
}

/* The media of cdrom @index (qdev id ds-cdN): @path in, or out (NULL). */
gboolean
ds_qemu_cdrom_change(const DsDomainRecord *rec, guint index, const char *path, int format,
                     GError **error)
{
    g_autoptr(DsQmp) qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, error);
    g_autofree char *id = g_strdup_printf("ds-cd%u", index);
    json_object *args = json_object_new_object();

    if (!qmp) {
        json_object_put(args);
        return FALSE;
    }
    json_object_object_add(args, "id", json_object_new_string(id));
    if (!path) {
        json_object_object_add(args, "force", json_object_new_boolean(TRUE));
        return ds_qmp_run(qmp, "eject", args, error);
    }
    json_object_object_add(args, "filename", json_object_new_string(path));
    json_object_object_add(args, "format", json_object_new_string(
        format == DS_DISK_FORMAT_QCOW2 ? "qcow2" : "raw"));
    json_object_object_add(args, "read-only-mode", json_object_new_string("read-only"));
    return ds_qmp_run(qmp, "blockdev-change-medium", args, error);
}
