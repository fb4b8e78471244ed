#include "driver.h"

#include <stddef.h>
#include <string.h>

static const DsDriverOps *const drivers[] = {
    &ds_qemu_driver,
#ifdef DS_WITH_XEN
    &ds_xen_driver,
#endif
    NULL,
};

/* What each capability lets a driver do, phrased to follow "needs" and
 * "does not support". */
static const char *const cap_phrases[DS_DRIVER_CAP_COUNT] = {
    [DS_DRIVER_CAP_START] = "starting domains from a config",
    [DS_DRIVER_CAP_COMMAND_LINE] = "showing a command line (--dry-run)",
    [DS_DRIVER_CAP_ADOPT] = "adopting domains that the hypervisor's own tools started",
    [DS_DRIVER_CAP_RESTORE] = "restoring a domain in one step",
    [DS_DRIVER_CAP_SAVE_MEMORY] = "saving a domain's memory to a file and loading it back",
    [DS_DRIVER_CAP_OFFLINE_SNAPSHOT] = "snapshots of shut-off domains",
    [DS_DRIVER_CAP_LIVE_SNAPSHOT] = "snapshots of running domains",
    [DS_DRIVER_CAP_EXTERNAL_DISK] = "external disk snapshots (overlays)",
    [DS_DRIVER_CAP_INTERNAL_DISK] = "internal snapshots of the images a running domain has open",
    [DS_DRIVER_CAP_COPY_DISK] = "disk snapshots as copies of raw images",
    [DS_DRIVER_CAP_MEMORY_INTERNAL] = "memory inside the qcow2 disks (memory='internal')",
    [DS_DRIVER_CAP_MEMORY_CANCEL] = "stopping a memory write midway",
    [DS_DRIVER_CAP_BACKGROUND_SNAPSHOT] = "point-in-time memory (--live=background)",
    [DS_DRIVER_CAP_STREAM_ONLINE] = "block streaming in a running domain",
    [DS_DRIVER_CAP_GUEST_AGENT] = "a guest agent",
    [DS_DRIVER_CAP_CONSOLE] = "consoles",
    [DS_DRIVER_CAP_VNC] = "VNC displays",
    [DS_DRIVER_CAP_CDROM] = "changing cdrom media",
};

enum { EVERY_DRIVER = -1, OPTIONAL = -2 };

/* Every op of the table, and the capability that guards it. */
typedef struct {
    const char *name;
    size_t offset;
    int cap; /* a DsDriverCap, EVERY_DRIVER or OPTIONAL (NULL: nothing to do) */
} Slot;

#define SLOT(part, op, cap) { #part "." #op, offsetof(DsDriverOps, part.op), cap }

static const Slot slots[] = {
    SLOT(domain, resolve, DS_DRIVER_CAP_ADOPT),
    SLOT(domain, adopt, DS_DRIVER_CAP_ADOPT),
    SLOT(domain, refresh, DS_DRIVER_CAP_ADOPT),
    SLOT(domain, locate, DS_DRIVER_CAP_ADOPT),
    SLOT(domain, restore, DS_DRIVER_CAP_RESTORE),
    SLOT(domain, start, DS_DRIVER_CAP_START),
    SLOT(domain, command_line, DS_DRIVER_CAP_COMMAND_LINE),
    SLOT(domain, prepare_domain, OPTIONAL),
    SLOT(domain, get_state, EVERY_DRIVER),
    SLOT(domain, has_instance, EVERY_DRIVER),
    SLOT(domain, pause, EVERY_DRIVER),
    SLOT(domain, unpause, EVERY_DRIVER),
    SLOT(domain, destroy, EVERY_DRIVER),
    SLOT(domain, shutdown, EVERY_DRIVER),
    SLOT(domain, save_memory, DS_DRIVER_CAP_SAVE_MEMORY),
    SLOT(domain, load_memory, DS_DRIVER_CAP_SAVE_MEMORY),
    SLOT(session, session_open, DS_DRIVER_CAP_LIVE_SNAPSHOT),
    SLOT(session, session_close, DS_DRIVER_CAP_LIVE_SNAPSHOT),
    SLOT(session, session_pause_us, DS_DRIVER_CAP_LIVE_SNAPSHOT),
    SLOT(session, session_pause, DS_DRIVER_CAP_LIVE_SNAPSHOT),
    SLOT(session, session_resume, DS_DRIVER_CAP_LIVE_SNAPSHOT),
    SLOT(session, session_prepare, DS_DRIVER_CAP_LIVE_SNAPSHOT),
    SLOT(session, disk_transaction, DS_DRIVER_CAP_LIVE_SNAPSHOT),
    SLOT(session, undo_disk_transaction, DS_DRIVER_CAP_LIVE_SNAPSHOT),
    SLOT(session, memory_start, DS_DRIVER_CAP_LIVE_SNAPSHOT),
    SLOT(session, memory_wait, DS_DRIVER_CAP_LIVE_SNAPSHOT),
    SLOT(session, rollback_online, DS_DRIVER_CAP_LIVE_SNAPSHOT),
    SLOT(session, attach_overlays, DS_DRIVER_CAP_EXTERNAL_DISK),
    SLOT(session, detach_overlays, DS_DRIVER_CAP_EXTERNAL_DISK),
    SLOT(session, memory_cancel, DS_DRIVER_CAP_MEMORY_CANCEL),
    SLOT(session, save_internal, DS_DRIVER_CAP_MEMORY_INTERNAL),
    SLOT(session, delete_internal, DS_DRIVER_CAP_MEMORY_INTERNAL),
    SLOT(session, load_internal, DS_DRIVER_CAP_MEMORY_INTERNAL),
    SLOT(session, background_supported, DS_DRIVER_CAP_BACKGROUND_SNAPSHOT),
    SLOT(block, stream_online, DS_DRIVER_CAP_STREAM_ONLINE),
    SLOT(block, delete_internal_online, DS_DRIVER_CAP_INTERNAL_DISK),
    SLOT(device, has_guest_agent, DS_DRIVER_CAP_GUEST_AGENT),
    SLOT(device, fs_freeze, DS_DRIVER_CAP_GUEST_AGENT),
    SLOT(device, fs_thaw, DS_DRIVER_CAP_GUEST_AGENT),
    SLOT(device, guest_set_time, DS_DRIVER_CAP_GUEST_AGENT),
    SLOT(device, agent_command, DS_DRIVER_CAP_GUEST_AGENT),
    SLOT(device, console_socket, DS_DRIVER_CAP_CONSOLE),
    SLOT(device, vnc_address, DS_DRIVER_CAP_VNC),
    SLOT(device, cdrom_change, DS_DRIVER_CAP_CDROM),
};

/* Every op is in slots[] once: a new op must say what guards it. */
G_STATIC_ASSERT(sizeof(slots) / sizeof(slots[0]) * sizeof(void (*)(void)) ==
                sizeof(DsDriverDomainOps) + sizeof(DsDriverSessionOps) +
                    sizeof(DsDriverBlockOps) + sizeof(DsDriverDeviceOps));

const char *
ds_driver_default_name(void)
{
    g_autofree char *caps = NULL;

    if (g_file_get_contents("/proc/xen/capabilities", &caps, NULL, NULL) &&
        strstr(caps, "control_d"))
        return "xen";
    return "qemu";
}

const DsDriverOps *const *
ds_driver_list(void)
{
    return drivers;
}

const DsDriverOps *
ds_driver_get(const char *name, GError **error)
{
    for (guint i = 0; drivers[i]; i++)
        if (strcmp(drivers[i]->name, name) == 0)
            return drivers[i];
    g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED,
                "driver '%s' is not built into this domsnap%s", name,
                strcmp(name, "xen") == 0
                    ? " (it is built when libxen-dev is installed: make deps, or -Dxen=enabled)"
                    : "");
    return NULL;
}

gboolean
ds_driver_has_cap(const DsDriverOps *drv, DsDriverCap cap)
{
    return (drv->caps & DS_CAP(cap)) != 0;
}

/* What @cap lets a driver do, as a phrase: "block streaming in a running domain". */
static const char *
cap_describe(DsDriverCap cap)
{
    return cap < DS_DRIVER_CAP_COUNT ? cap_phrases[cap] : "?";
}

gboolean
ds_driver_require_cap(const DsDriverOps *drv, DsDriverCap cap, const char *domain,
                      const char *doing, const char *remedy, GError **error)
{
    g_autoptr(GString) msg = g_string_new(NULL);

    if (ds_driver_has_cap(drv, cap))
        return TRUE;
    if (domain && doing)
        g_string_append_printf(msg, "domain '%s' (%s driver): ", domain, drv->name);
    else if (domain)
        g_string_append_printf(msg, "domain '%s': ", domain);
    if (doing)
        g_string_append_printf(msg, "%s needs %s, which the %s driver does not support", doing,
                               cap_describe(cap), drv->name);
    else
        g_string_append_printf(msg, "the %s driver does not support %s", drv->name,
                               cap_describe(cap));
    if (remedy)
        g_string_append_printf(msg, "; %s", remedy);
    g_set_error_literal(error, DS_ERROR, DS_ERROR_UNSUPPORTED, msg->str);
    return FALSE;
}

static gboolean
slot_filled(const DsDriverOps *drv, const Slot *s)
{
    void (*const *fn)(void) = (void (*const *)(void))((const char *)drv + s->offset);

    return *fn != NULL;
}

gboolean
ds_driver_check_table(const DsDriverOps *drv, GError **error)
{
    for (guint i = 0; i < G_N_ELEMENTS(slots); i++) {
        const Slot *s = &slots[i];
        gboolean filled = slot_filled(drv, s);
        const char *problem = NULL;

        if (s->cap == EVERY_DRIVER && !filled)
            problem = "every driver needs it";
        else if (s->cap >= 0 && ds_driver_has_cap(drv, s->cap) && !filled)
            problem = "it claims the capability that needs it";
        else if (s->cap >= 0 && !ds_driver_has_cap(drv, s->cap) && filled)
            problem = "it has the op but not the capability that lets it be called";
        if (problem) {
            g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "%s driver: %s is %s, but %s%s%s%s",
                        drv->name, s->name, filled ? "there" : "missing", problem,
                        s->cap >= 0 ? " (" : "", s->cap >= 0 ? cap_phrases[s->cap] : "",
                        s->cap >= 0 ? ")" : "");
            return FALSE;
        }
    }
    return TRUE;
}

gboolean
ds_driver_start(const DsDriverOps *drv, DsDomainRecord *rec, DsStartFlags flags,
                GError **error)
{
    return ds_driver_require_cap(drv, DS_DRIVER_CAP_START, rec->name, NULL, NULL, error) &&
           drv->domain.start(rec, flags, error);
}

gboolean
ds_driver_get_state(const DsDriverOps *drv, const DsDomainRecord *rec,
                    DsDomainState *state, GError **error)
{
    return drv->domain.get_state(rec, state, error);
}

gboolean
ds_driver_has_instance(const DsDriverOps *drv, const DsDomainRecord *rec)
{
    return drv->domain.has_instance(rec);
}

gboolean
ds_driver_pause(const DsDriverOps *drv, const DsDomainRecord *rec, GError **error)
{
    return drv->domain.pause(rec, error);
}

gboolean
ds_driver_unpause(const DsDriverOps *drv, const DsDomainRecord *rec, GError **error)
{
    return drv->domain.unpause(rec, error);
}

gboolean
ds_driver_destroy(const DsDriverOps *drv, const DsDomainRecord *rec, GError **error)
{
    return drv->domain.destroy(rec, error);
}

gboolean
ds_driver_shutdown(const DsDriverOps *drv, const DsDomainRecord *rec, GError **error)
{
    return drv->domain.shutdown(rec, error);
}

gboolean
ds_driver_save_memory(const DsDriverOps *drv, const DsDomainRecord *rec, int fd,
                      DsProgressFunc progress, gpointer opaque, GError **error)
{
    return ds_driver_require_cap(drv, DS_DRIVER_CAP_SAVE_MEMORY, rec->name, NULL, NULL,
                                 error) &&
           drv->domain.save_memory(rec, fd, progress, opaque, error);
}

gboolean
ds_driver_load_memory(const DsDriverOps *drv, const DsDomainRecord *rec, int fd,
                      guint64 total, DsProgressFunc progress, gpointer opaque,
                      GError **error)
{
    return ds_driver_require_cap(drv, DS_DRIVER_CAP_SAVE_MEMORY, rec->name, NULL, NULL,
                                 error) &&
           drv->domain.load_memory(rec, fd, total, progress, opaque, error);
}

gboolean
ds_driver_prepare_domain(const DsDriverOps *drv, DsDomainConfig *config, const char *dir,
                         gboolean dry_run, GError **error)
{
    return !drv->domain.prepare_domain ||
           drv->domain.prepare_domain(config, dir, dry_run, error);
}
