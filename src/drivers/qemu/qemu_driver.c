/*
 * qemu_driver.c: starting, querying and stopping QEMU processes.
 */
#include "qemu_driver.h"
#include "qemu_agent.h"
#include "qemu_devices.h"

#include <errno.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drivers/qemu/qemu_argv.h"
#include "formats/diskspec.h"
#include "image/image.h"
#include "util/ds_file.h"
#include "util/ds_ovmf.h"

/* Field 22 of /proc/PID/stat: the start time, and field 3: the state. */
static gboolean
read_proc_stat(gint64 pid, gint64 *start, char *state)
{
    g_autofree char *path = g_strdup_printf("/proc/%" G_GINT64_FORMAT "/stat", pid);
    g_autofree char *text = NULL;
    g_auto(GStrv) f = NULL;
    const char *close_paren;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return FALSE;
    /* The command name may hold spaces: split after its closing paren. */
    close_paren = strrchr(text, ')');
    if (!close_paren)
        return FALSE;
    f = g_strsplit(close_paren + 2, " ", 0);
    if (g_strv_length(f) < 20)
        return FALSE;
    *state = f[0][0];
    *start = g_ascii_strtoll(f[19], NULL, 10);
    return TRUE;
}

gboolean
ds_qemu_process_alive(gint64 pid, gint64 start)
{
    gint64 now_start = 0;
    char state = 0;

    if (pid <= 0 || !read_proc_stat(pid, &now_start, &state))
        return FALSE;
    return state != 'Z' && state != 'X' && (start == 0 || now_start == start);
}

DsQmp *
ds_qemu_connect(const DsDomainRecord *rec, int timeout_ms, GError **error)
{
    if (!ds_qemu_process_alive(rec->pid, rec->pid_start)) {
        g_set_error(error, DS_ERROR, DS_ERROR_QEMU_GONE,
                    "domain '%s': its QEMU process (pid %" G_GINT64_FORMAT ") is gone",
                    rec->name, rec->pid);
        return NULL;
    }
    return ds_qmp_connect(rec->qmp_socket, rec->name, timeout_ms, error);
}

static gboolean
read_pidfile(const char *path, gint64 *pid, GError **error)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) local = NULL;

    if (!g_file_get_contents(path, &text, NULL, &local)) {
        g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "QEMU wrote no pidfile: %s",
                    local->message);
        return FALSE;
    }
    *pid = g_ascii_strtoll(g_strstrip(text), NULL, 10);
    return *pid > 0;
}

/* The path QEMU will use for its QMP socket, set before the command line. */
static void
set_qmp_socket(DsDomainRecord *rec)
{
    g_free(rec->qmp_socket);
    rec->qmp_socket = g_build_filename(rec->run_dir, "qmp.sock", NULL);
}

static GStrv
qemu_command_line(DsDomainRecord *rec, DsStartFlags flags, GError **error)
{
    g_autofree char *pidfile = g_build_filename(rec->run_dir, "qemu.pid", NULL);

    set_qmp_socket(rec);
    return ds_qemu_build_argv(rec, flags, pidfile, error);
}

/* Opens the tap of every NIC on a bridge, handed to QEMU as the descriptor
 * number its -netdev names. */
static gboolean
open_taps(const DsDomainRecord *rec, GSubprocessLauncher *launcher, GError **error)
{
    const DsDomainConfig *c = &rec->config;

    for (guint i = 0; c->nics && i < c->nics->len; i++) {
        const DsVif *v = c->nics->pdata[i];
        g_autofree char *name = NULL;
        g_autoptr(GError) local = NULL;
        int fd;

        if (!v->bridge)
            continue;
        name = ds_qemu_nic_tap_name(v, rec->id, i);
        fd = ds_qemu_tap_open(name, v->bridge, &local);
        if (fd < 0) {
            g_set_error(error, DS_ERROR, local->code, "domain '%s': vif %u: %s", rec->name, i,
                        local->message);
            return FALSE;
        }
        g_subprocess_launcher_take_fd(launcher, fd, ds_qemu_nic_tap_fd(c, i));
    }
    return TRUE;
}

/* Runs QEMU; -daemonize: it returns once its sockets and files exist. */
static gboolean
spawn_qemu(const DsDomainRecord *rec, const char *const *argv, GError **error)
{
    g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(GSubprocess) proc = NULL;
    g_autofree char *err_text = NULL;
    g_autoptr(GError) local = NULL;

    if (!open_taps(rec, launcher, error))
        return FALSE;
    proc = g_subprocess_launcher_spawnv(launcher, argv, &local);
    /* The launcher's copies of the taps close with it: QEMU holds its own. */
    if (!proc || !g_subprocess_communicate_utf8(proc, NULL, NULL, NULL, &err_text, &local)) {
        g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "domain '%s': cannot run %s: %s",
                    rec->name, argv[0], local->message);
        return FALSE;
    }
    if (!g_subprocess_get_if_exited(proc) || g_subprocess_get_exit_status(proc) != 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "domain '%s': QEMU failed to start: %s",
                    rec->name, err_text && *err_text ? g_strstrip(err_text) : "no message");
        return FALSE;
    }
    return TRUE;
}

/* vncpasswd: given over QMP, never on a command line others can read. */
static gboolean
set_vnc_password(const DsDomainRecord *rec, GError **error)
{
    const char *passwd = rec->config.b_info.vnc.passwd;
    g_autoptr(DsQmp) qmp = NULL;

    if (!rec->config.b_info.vnc.enable || !passwd || !*passwd)
        return TRUE;
    qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, error);
    return qmp && ds_qmp_change_vnc_password(qmp, passwd, error);
}

static gboolean
qemu_start(DsDomainRecord *rec, DsStartFlags flags, GError **error)
{
    g_autofree char *pidfile = g_build_filename(rec->run_dir, "qemu.pid", NULL);
    g_auto(GStrv) argv = qemu_command_line(rec, flags, error);
    char state;

    if (!argv)
        return FALSE;
    if (g_getenv("DOMSNAP_DEBUG_QEMU")) {
        g_autofree char *line = g_strjoinv(" ", argv);
        g_printerr("domsnap: %s\n", line);
    }
    if (!spawn_qemu(rec, (const char *const *)argv, error))
        return FALSE;
    if (!read_pidfile(pidfile, &rec->pid, error))
        return FALSE;
    if (!read_proc_stat(rec->pid, &rec->pid_start, &state)) {
        g_set_error(error, DS_ERROR, DS_ERROR_QEMU_GONE,
                    "domain '%s': QEMU exited right after starting", rec->name);
        return FALSE;
    }
    return set_vnc_password(rec, error);
}

/* A new UEFI variable store at @path (0600): OVMF's template as qcow2. */
static gboolean
nvram_create(const char *path, GError **error)
{
    g_autofree char *vars = ds_ovmf_vars_template(error);

    return vars && ds_image_convert(vars, DS_DISK_FORMAT_RAW, NULL, path, error);
}

/*
 * A new domain's UEFI variable store: a qcow2 copy of OVMF's template in
 * the domain's directory (qcow2, so that every kind of snapshot takes it),
 * recorded as one more disk. nvram= names one instead.
 */
static gboolean
qemu_prepare_domain(DsDomainConfig *config, const char *dir, gboolean dry_run, GError **error)
{
    g_autofree char *path = NULL;
    DsDomainDisk *d;

    if (config->b_info.bios != DS_BIOS_OVMF || ds_domain_config_nvram(config))
        return TRUE;
    path = g_build_filename(dir, "nvram.qcow2", NULL);
    if (!dry_run && (!ds_mkdir_private(dir, error) || !nvram_create(path, error)))
        return FALSE;
    d = g_new0(DsDomainDisk, 1);
    d->vdev = g_strdup(DS_NVRAM_VDEV);
    d->pdev_path = g_steal_pointer(&path);
    d->format = DS_DISK_FORMAT_QCOW2;
    d->readwrite = TRUE;
    d->role = DS_DISK_ROLE_NVRAM;
    g_ptr_array_add(config->disks, d);
    return TRUE;
}

char *
ds_qemu_channel_socket(const DsDomainRecord *rec, const char *name, GError **error)
{
    const DsChannel *ch = ds_domain_config_find_channel(&rec->config, name);

    if (!ch || ch->connection != DS_CHANNEL_SOCKET) {
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                    "domain '%s' has no channel '%s' on a socket%s", rec->name, name,
                    !strcmp(name, DS_GUEST_AGENT_CHANNEL) ? " (guest_agent = 1 in its config)" : "");
        return NULL;
    }
    if (!rec->run_dir || rec->pid <= 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE, "domain '%s' is not running", rec->name);
        return NULL;
    }
    return ds_qemu_channel_path(rec, ch);
}

char *
ds_qemu_agent_socket(const DsDomainRecord *rec, GError **error)
{
    return ds_qemu_channel_socket(rec, DS_GUEST_AGENT_CHANNEL, error);
}

static DsDomainState
state_from_status(const char *status)
{
    if (!strcmp(status, "running"))
        return DS_DOMAIN_RUNNING;
    if (!strcmp(status, "shutdown"))
        return DS_DOMAIN_SHUTOFF;
    if (!strcmp(status, "guest-panicked") || !strcmp(status, "internal-error"))
        return DS_DOMAIN_CRASHED;
    return DS_DOMAIN_PAUSED;
}

static gboolean
qemu_get_state(const DsDomainRecord *rec, DsDomainState *state, GError **error)
{
    g_autoptr(DsQmp) qmp = NULL;
    g_auto(DsQmpStatusInfo) status = { 0 };

    if (rec->pid <= 0) {
        *state = DS_DOMAIN_SHUTOFF;
        return TRUE;
    }
    if (!ds_qemu_process_alive(rec->pid, rec->pid_start)) {
        *state = DS_DOMAIN_CRASHED;
        return TRUE;
    }
    qmp = ds_qemu_connect(rec, 5000, error);
    if (!qmp)
        return FALSE;
    if (!ds_qmp_query_status(qmp, &status, error))
        return FALSE;
    *state = state_from_status(status.status);
    return TRUE;
}

typedef gboolean (*SimpleCommand)(DsQmp *qmp, GError **error);

static gboolean
simple_command(const DsDomainRecord *rec, SimpleCommand command, GError **error)
{
    g_autoptr(DsQmp) qmp = ds_qemu_connect(rec, DS_QMP_TIMEOUT_MS, error);

    return qmp && command(qmp, error);
}

static gboolean
qemu_pause(const DsDomainRecord *rec, GError **error)
{
    return simple_command(rec, ds_qmp_stop, error);
}

static gboolean
qemu_unpause(const DsDomainRecord *rec, GError **error)
{
    return simple_command(rec, ds_qmp_cont, error);
}

/*
 * The guest agent's guest-shutdown when the domain has an agent that
 * answers (a clean shutdown whatever the guest does with ACPI), else the
 * ACPI power button, as libvirt's default does. A short wait for the
 * agent: one that is not up yet must not delay the power button long.
 */
static gboolean
qemu_shutdown(const DsDomainRecord *rec, GError **error)
{
    if (ds_qemu_has_guest_agent(rec) && ds_qemu_agent_shutdown(rec, NULL))
        return TRUE;
    return simple_command(rec, ds_qmp_system_powerdown, error);
}

static gboolean
wait_exit(const DsDomainRecord *rec, int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    while (ds_qemu_process_alive(rec->pid, rec->pid_start)) {
        if (g_get_monotonic_time() > deadline)
            return FALSE;
        g_usleep(10000);
    }
    return TRUE;
}

/* quit over QMP if QEMU answers, SIGKILL if it does not. */
static gboolean
qemu_destroy(const DsDomainRecord *rec, GError **error)
{
    if (!ds_qemu_process_alive(rec->pid, rec->pid_start))
        return TRUE;
    {
        g_autoptr(DsQmp) qmp = ds_qmp_connect(rec->qmp_socket, rec->name, 2000, NULL);
        if (qmp)
            ds_qmp_quit(qmp, NULL);
    }
    if (wait_exit(rec, 5000))
        return TRUE;
    if (kill((pid_t)rec->pid, SIGKILL) < 0 && errno != ESRCH) {
        g_set_error(error, DS_ERROR, DS_ERROR_FAILED,
                    "domain '%s': cannot kill QEMU (pid %" G_GINT64_FORMAT "): %s",
                    rec->name, rec->pid, g_strerror(errno));
        return FALSE;
    }
    if (!wait_exit(rec, 10000)) {
        g_set_error(error, DS_ERROR, DS_ERROR_TIMEOUT,
                    "domain '%s': QEMU (pid %" G_GINT64_FORMAT ") did not exit after SIGKILL",
                    rec->name, rec->pid);
        return FALSE;
    }
    return TRUE;
}

/* A QEMU process: kept after a guest power-off (-no-shutdown) until reaped. */
static gboolean
qemu_has_instance(const DsDomainRecord *rec)
{
    return rec->pid > 0;
}

/*
 * Everything but restore (QEMU starts, then loads memory), adopt (domsnap
 * starts every QEMU it knows) and copies of raw disks (overlays go on them).
 */
const DsDriverOps ds_qemu_driver = {
    .name = "qemu",
    .caps = DS_CAP(DS_DRIVER_CAP_START) | DS_CAP(DS_DRIVER_CAP_COMMAND_LINE) |
            DS_CAP(DS_DRIVER_CAP_SAVE_MEMORY) | DS_CAP(DS_DRIVER_CAP_OFFLINE_SNAPSHOT) |
            DS_CAP(DS_DRIVER_CAP_LIVE_SNAPSHOT) | DS_CAP(DS_DRIVER_CAP_EXTERNAL_DISK) |
            DS_CAP(DS_DRIVER_CAP_INTERNAL_DISK) | DS_CAP(DS_DRIVER_CAP_MEMORY_INTERNAL) |
            DS_CAP(DS_DRIVER_CAP_MEMORY_CANCEL) | DS_CAP(DS_DRIVER_CAP_BACKGROUND_SNAPSHOT) |
            DS_CAP(DS_DRIVER_CAP_STREAM_ONLINE) | DS_CAP(DS_DRIVER_CAP_GUEST_AGENT) |
            DS_CAP(DS_DRIVER_CAP_CONSOLE) | DS_CAP(DS_DRIVER_CAP_VNC) |
            DS_CAP(DS_DRIVER_CAP_CDROM),
    .domain = {
        .start = qemu_start,
        .command_line = qemu_command_line,
        .prepare_domain = qemu_prepare_domain,
        .get_state = qemu_get_state,
        .has_instance = qemu_has_instance,
        .pause = qemu_pause,
        .unpause = qemu_unpause,
        .destroy = qemu_destroy,
        .shutdown = qemu_shutdown,
        .save_memory = ds_qemu_save_memory,
        .load_memory = ds_qemu_load_memory,
    },
    .session = {
        .session_open = ds_qemu_session_open,
        .session_close = ds_qemu_session_close,
        .session_pause_us = ds_qemu_session_pause_us,
        .session_pause = ds_qemu_session_pause,
        .session_resume = ds_qemu_session_resume,
        .session_prepare = ds_qemu_session_prepare,
        .attach_overlays = ds_qemu_attach_overlays,
        .detach_overlays = ds_qemu_detach_overlays,
        .disk_transaction = ds_qemu_disk_transaction,
        .undo_disk_transaction = ds_qemu_undo_disk_transaction,
        .memory_start = ds_qemu_memory_start,
        .memory_wait = ds_qemu_memory_wait,
        .memory_cancel = ds_qemu_memory_cancel,
        .save_internal = ds_qemu_save_internal,
        .delete_internal = ds_qemu_delete_internal,
        .load_internal = ds_qemu_load_internal,
        .background_supported = ds_qemu_background_supported,
        .rollback_online = ds_qemu_rollback_online,
    },
    .block = {
        .stream_online = ds_qemu_stream_online,
        .delete_internal_online = ds_qemu_delete_internal_online,
    },
    .device = {
        .has_guest_agent = ds_qemu_has_guest_agent,
        .fs_freeze = ds_qemu_fs_freeze,
        .fs_thaw = ds_qemu_fs_thaw,
        .guest_set_time = ds_qemu_guest_set_time,
        .agent_command = ds_qemu_agent_command,
        .console_socket = ds_qemu_console_socket,
        .vnc_address = ds_qemu_vnc_address,
        .cdrom_change = ds_qemu_cdrom_change,
    },
};
