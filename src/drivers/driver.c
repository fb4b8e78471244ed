#include "driver.h"

#include <string.h>

static const DsDriverOps *const drivers[] = {
    &ds_qemu_driver,
#ifdef DS_WITH_XEN
    &ds_xen_driver,
#endif
};

const char *
ds_driver_default_name(void)
{
    g_autofree char *caps = NULL;

    if (g_file_get_contents("/proc/xen/capabilities", &caps, NULL, NULL) &&
        strstr(caps, "control_d"))
        return "xen";
    return "qemu";
}

const DsDriverOps *
ds_driver_get(const char *name, GError **error)
{
    for (guint i = 0; i < G_N_ELEMENTS(drivers); i++)
        if (strcmp(drivers[i]->name, name) == 0)
            return drivers[i];
    g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED,
                "driver '%s' is not built into this domsnap%s", name,
                strcmp(name, "xen") == 0
                    ? " (it is built when libxen-dev is installed: make deps, or -Dxen=enabled)"
                    : "");
    return NULL;
}

static gboolean
unsupported(const DsDriverOps *drv, const char *op, const DsDomainRecord *rec,
            GError **error)
{
    g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED,
                "domain '%s': the %s driver does not support %s", rec->name,
                drv->name, op);
    return FALSE;
}

#define CALL(drv, slot, rec, ...) \
    ((drv)->slot ? (drv)->slot(rec, __VA_ARGS__) : unsupported(drv, #slot, rec, error))

gboolean
ds_driver_start(const DsDriverOps *drv, DsDomainRecord *rec, DsStartFlags flags,
                GError **error)
{
    return CALL(drv, start, rec, flags, error);
}

gboolean
ds_driver_get_state(const DsDriverOps *drv, const DsDomainRecord *rec,
                    DsDomainState *state, GError **error)
{
    return CALL(drv, get_state, rec, state, error);
}

gboolean
ds_driver_has_instance(const DsDriverOps *drv, const DsDomainRecord *rec)
{
    return drv->has_instance && drv->has_instance(rec);
}

gboolean
ds_driver_pause(const DsDriverOps *drv, const DsDomainRecord *rec, GError **error)
{
    return CALL(drv, pause, rec, error);
}

gboolean
ds_driver_unpause(const DsDriverOps *drv, const DsDomainRecord *rec, GError **error)
{
    return CALL(drv, unpause, rec, error);
}

gboolean
ds_driver_destroy(const DsDriverOps *drv, const DsDomainRecord *rec, GError **error)
{
    return CALL(drv, destroy, rec, error);
}

gboolean
ds_driver_shutdown(const DsDriverOps *drv, const DsDomainRecord *rec, GError **error)
{
    return CALL(drv, shutdown, rec, error);
}

gboolean
ds_driver_save_memory(const DsDriverOps *drv, const DsDomainRecord *rec, int fd,
                      DsProgressFunc progress, gpointer opaque, GError **error)
{
    return CALL(drv, save_memory, rec, fd, progress, opaque, error);
}

gboolean
ds_driver_load_memory(const DsDriverOps *drv, const DsDomainRecord *rec, int fd,
                      guint64 total, DsProgressFunc progress, gpointer opaque,
                      GError **error)
{
    return CALL(drv, load_memory, rec, fd, total, progress, opaque, error);
}

gboolean
ds_driver_require(const DsDriverOps *drv, gconstpointer slot, const char *what,
                  GError **error)
{
    if (slot)
        return TRUE;
    g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED, "the %s driver does not support %s",
                drv->name, what);
    return FALSE;
}
