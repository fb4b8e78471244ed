/*
 * domain_devices.c: a running domain's console and VNC display, and its
 * cdroms' media (cd-insert, cd-eject).
 */
#include "connection.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/ds_image_probe.h"

/* @domain's driver, for a running domain, if it has @cap. */
static const DsDriverOps *
running_driver(DsDomainRecord *rec, DsDriverCap cap, GError **error)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, error);
    DsDomainState state;

    if (!drv || !ds_driver_require_cap(drv, cap, rec->name, NULL, NULL, error) ||
        !ds_conn_require_active(rec, &state, error))
        return NULL;
    return drv;
}

int
ds_domain_console_open(DsConnection *conn, const char *domain, GError **error)
{
    g_autoptr(DsDomainRecord) rec = ds_conn_find_domain(conn, domain, error);
    const DsDriverOps *drv = rec ? running_driver(rec, DS_DRIVER_CAP_CONSOLE, error) : NULL;
    g_autofree char *path = drv ? drv->device.console_socket(rec, error) : NULL;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (!path)
        return -1;
    if (strlen(path) >= sizeof(addr.sun_path)) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID, "domain '%s': console socket path "
                    "'%s' is too long", rec->name, path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "domain '%s': cannot attach to its console "
                    "'%s': %s", rec->name, path, g_strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

gboolean
ds_domain_vnc_address(DsConnection *conn, const char *domain, char **host, int *port,
                      GError **error)
{
    g_autoptr(DsDomainRecord) rec = ds_conn_find_domain(conn, domain, error);
    const DsDriverOps *drv = rec ? running_driver(rec, DS_DRIVER_CAP_VNC, error) : NULL;

    return drv && drv->device.vnc_address(rec, host, port, error);
}

static DsDomainCdrom *
find_cdrom(const DsDomainRecord *rec, const char *vdev, guint *index, GError **error)
{
    g_autoptr(GString) names = g_string_new(NULL);

    for (guint i = 0; rec->config.cdroms && i < rec->config.cdroms->len; i++) {
        DsDomainCdrom *cd = rec->config.cdroms->pdata[i];
        if (!strcmp(cd->vdev, vdev)) {
            *index = i;
            return cd;
        }
        g_string_append_printf(names, "%s%s", names->len ? ", " : "", cd->vdev);
    }
    g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND, "domain '%s' has no cdrom '%s' (%s%s)",
                rec->name, vdev, names->len ? "its cdroms: " : "it has none; a disk spec with "
                "devtype=cdrom makes one", names->str);
    return NULL;
}

/* The record changes first in memory, then the running domain, then the
 * record on disk: a refusal by the hypervisor leaves both as they were. */
static gboolean
change_media(DsConnection *conn, const char *domain, const char *vdev, const char *path,
             GError **error)
{
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) rec = ds_conn_lock_domain(conn, domain, &lock, error);
    g_autofree char *abs = NULL;
    const DsDriverOps *drv;
    DsDomainCdrom *cd;
    DsDomainState state;
    guint index = 0;
    int format;

    if (!rec || !(cd = find_cdrom(rec, vdev, &index, error)) ||
        !(drv = ds_driver_get(rec->driver, error)) ||
        !ds_conn_domain_state(rec, &state, error))
        return FALSE;
    if (path) {
        g_autofree char *cwd = g_get_current_dir();
        abs = g_canonicalize_filename(path, cwd);
        if (!g_file_test(abs, G_FILE_TEST_IS_REGULAR)) {
            g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND, "domain '%s', cdrom '%s': '%s' "
                        "is not a file", rec->name, vdev, abs);
            return FALSE;
        }
    }
    format = abs && ds_image_is_qcow2(abs) ? DS_DISK_FORMAT_QCOW2 : DS_DISK_FORMAT_RAW;
    if ((state == DS_DOMAIN_RUNNING || state == DS_DOMAIN_PAUSED) &&
        (!ds_driver_require_cap(drv, DS_DRIVER_CAP_CDROM, rec->name, NULL, NULL, error) ||
         !drv->device.cdrom_change(rec, index, abs, format, error)))
        return FALSE;
    g_free(cd->pdev_path);
    cd->pdev_path = g_steal_pointer(&abs);
    cd->format = format;
    return ds_domain_record_save(conn->store, rec, error);
}

gboolean
ds_domain_cd_insert(DsConnection *conn, const char *domain, const char *vdev,
                    const char *path, GError **error)
{
    return change_media(conn, domain, vdev, path, error);
}

gboolean
ds_domain_cd_eject(DsConnection *conn, const char *domain, const char *vdev, GError **error)
{
    return change_media(conn, domain, vdev, NULL, error);
}
