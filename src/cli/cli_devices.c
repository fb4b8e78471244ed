/* console, vncviewer, cd-insert, cd-eject: xl's names for a running domain's
 * devices. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

static int cmd_console(CliContext *ctx, int argc, char **argv);
static int cmd_vncviewer(CliContext *ctx, int argc, char **argv);
static int cmd_cd_insert(CliContext *ctx, int argc, char **argv);
static int cmd_cd_eject(CliContext *ctx, int argc, char **argv);

const CliCommand cli_device_commands[] = {
    { "console", "DOM", "Attach to the domain's serial console (Ctrl-] leaves)", cmd_console },
    { "vncviewer", "DOM [--print]",
      "Start a VNC viewer on the domain's display (or print its address)", cmd_vncviewer },
    { "cd-insert", "DOM VDEV PATH", "Put an image into a cdrom drive", cmd_cd_insert },
    { "cd-eject", "DOM VDEV", "Take the media out of a cdrom drive", cmd_cd_eject },
    { NULL }
};

#define ESCAPE_CHAR 0x1d /* Ctrl-], as xl console and virsh console */

static gboolean
write_all(int fd, const char *buf, ssize_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return FALSE;
        buf += w;
        n -= w;
    }
    return TRUE;
}

/* Copies the terminal to the console and back until Ctrl-] or either
 * side closes. Returns TRUE when the user left with Ctrl-]. */
static gboolean
relay(int console)
{
    struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 }, { console, POLLIN, 0 } };
    char buf[4096];

    for (;;) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return FALSE;
        }
        if (p[0].revents) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
            if (n <= 0)
                return FALSE;
            for (ssize_t i = 0; i < n; i++)
                if (buf[i] == ESCAPE_CHAR) {
                    write_all(console, buf, i);
                    return TRUE;
                }
            if (!write_all(console, buf, n))
                return FALSE;
        }
        if (p[1].revents) {
            ssize_t n = read(console, buf, sizeof(buf));
            if (n <= 0 || !write_all(STDOUT_FILENO, buf, n))
                return FALSE;
        }
    }
}

static int
cmd_console(CliContext *ctx, int argc, char **argv)
{
    GOptionEntry entries[] = { { NULL } };
    g_autoptr(GError) error = NULL;
    struct termios saved, raw;
    gboolean tty = isatty(STDIN_FILENO);
    int fd;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 1, 1))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    fd = ds_domain_console_open(ctx->conn, argv[1], &error);
    if (fd < 0)
        return cli_fail(error);
    if (tty) {
        g_printerr("Connected to domain '%s' (escape character is ^])\n", argv[1]);
        tcgetattr(STDIN_FILENO, &saved);
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    relay(fd);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        g_printerr("\n");
    }
    close(fd);
    return CLI_OK;
}

static int
cmd_vncviewer(CliContext *ctx, int argc, char **argv)
{
    gboolean print = FALSE;
    GOptionEntry entries[] = {
        { "print", 0, 0, G_OPTION_ARG_NONE, &print, "Print the address; start nothing", NULL },
        { NULL }
    };
    g_autoptr(GError) error = NULL;
    g_autofree char *host = NULL;
    g_autofree char *viewer = NULL;
    g_autofree char *target = NULL;
    int port = 0;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 1, 1))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    if (!ds_domain_vnc_address(ctx->conn, argv[1], &host, &port, &error))
        return cli_fail(error);
    /* HOST::PORT is the port itself to every common viewer. */
    target = g_strdup_printf(strchr(host, ':') ? "[%s]::%d" : "%s::%d", host, port);
    viewer = g_find_program_in_path("vncviewer");
    if (print || !viewer) {
        printf("%s\n", target);
        return CLI_OK;
    }
    execl(viewer, "vncviewer", target, (char *)NULL);
    g_printerr("domsnap vncviewer: cannot run '%s': %s\n", viewer, g_strerror(errno));
    return CLI_FAILED;
}

static int
media(CliContext *ctx, int argc, char **argv, const CliCommand *cmd, gboolean insert)
{
    GOptionEntry entries[] = { { NULL } };
    g_autoptr(GError) error = NULL;
    gboolean ok;

    if (!cli_parse(ctx, cmd, entries, &argc, &argv, insert ? 3 : 2, insert ? 3 : 2))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    ok = insert ? ds_domain_cd_insert(ctx->conn, argv[1], argv[2], argv[3], &error)
                : ds_domain_cd_eject(ctx->conn, argv[1], argv[2], &error);
    return ok ? CLI_OK : cli_fail(error);
}

static int
cmd_cd_insert(CliContext *ctx, int argc, char **argv)
{
    return media(ctx, argc, argv, ctx->command, TRUE);
}

static int
cmd_cd_eject(CliContext *ctx, int argc, char **argv)
{
    return media(ctx, argc, argv, ctx->command, FALSE);
}
