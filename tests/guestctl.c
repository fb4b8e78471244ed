/*
 * guestctl: talks to guestd (the test guest's agent) through the unix
 * socket QEMU serves for the guest's ttyS1, or through a terminal: the pty
 * that xenconsoled gives a Xen guest's PV console (xenstore
 * /local/domain/ID/console/tty).
 *
 *   guestctl [--wait SECONDS] SOCKET|TTY COMMAND...
 *
 * Each COMMAND (one argument, e.g. "set 41") is sent as a line and its
 * reply printed on a line of its own. Before the commands, a random
 * "echo TOKEN" is sent and everything up to its reply discarded, so that
 * left-over output of an earlier session cannot be taken for a reply.
 * Exit status: 0 if every reply came, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

static int
connect_socket(const char *path)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    if (fd < 0 || strlen(path) >= sizeof(a.sun_path))
        return -1;
    strcpy(a.sun_path, path);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* A terminal, raw: no echo (which would send guestd's replies back to it
 * as commands) and no line editing. */
static int
open_tty(const char *path)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct termios t;

    if (fd < 0)
        return -1;
    if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(fd, TCSANOW, &t);
    }
    tcflush(fd, TCIOFLUSH);
    return fd;
}

static int
open_channel(const char *path)
{
    struct stat st;

    if (stat(path, &st) == 0 && S_ISCHR(st.st_mode))
        return open_tty(path);
    return connect_socket(path);
}

static gboolean
send_line(int fd, const char *line)
{
    g_autofree char *l = g_strconcat(line, "\n", NULL);
    size_t n = strlen(l);

    return write(fd, l, n) == (ssize_t)n;
}

/* Reads one line (without '\n') within @timeout_ms; NULL on timeout/EOF. */
static char *
read_line(int fd, GString *buf, int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    for (;;) {
        char *nl = memchr(buf->str, '\n', buf->len);
        struct pollfd p = { fd, POLLIN, 0 };
        char chunk[4096];
        ssize_t n;
        int left;

        if (nl) {
            char *line = g_strndup(buf->str, nl - buf->str);
            g_string_erase(buf, 0, nl - buf->str + 1);
            g_strdelimit(line, "\r", ' ');
            return g_strchomp(line);
        }
        left = (int)((deadline - g_get_monotonic_time()) / 1000);
        if (left <= 0 || poll(&p, 1, left) <= 0)
            return NULL;
        n = read(fd, chunk, sizeof(chunk));
        if (n <= 0)
            return NULL;
        g_string_append_len(buf, chunk, n);
    }
}

/*
 * Sends "echo TOKEN" and skips everything up to the TOKEN line. A resend
 * (the first may have been lost, or only be slow) gets a new token, and the
 * last one is waited for: guestd answers in order, so the answers to the
 * earlier ones come before it and are skipped too, instead of being taken
 * later for the answer to a command.
 */
static gboolean
sync_session(int fd, GString *buf, int timeout_ms)
{
    g_autofree char *token = NULL;
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    while (g_get_monotonic_time() < deadline) {
        g_autofree char *line = NULL;
        if (!token) {
            g_autofree char *cmd = NULL;
            token = g_strdup_printf("sync-%08x", g_random_int());
            cmd = g_strdup_printf("echo %s", token);
            if (!send_line(fd, cmd))
                return FALSE;
        }
        line = read_line(fd, buf, 1000);
        if (line && strcmp(line, token) == 0)
            return TRUE;
        if (!line)
            g_clear_pointer(&token, g_free);
    }
    return FALSE;
}

int
main(int argc, char **argv)
{
    int wait_s = 0, i = 1, fd = -1;
    g_autoptr(GString) buf = g_string_new(NULL);
    gint64 deadline;

    if (argc > 2 && strcmp(argv[1], "--wait") == 0) {
        wait_s = atoi(argv[2]);
        i = 3;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: guestctl [--wait SECONDS] SOCKET COMMAND...\n");
        return 2;
    }
    deadline = g_get_monotonic_time() + (gint64)MAX(wait_s, 5) * G_USEC_PER_SEC;
    for (;;) {
        fd = open_channel(argv[i]);
        if (fd >= 0 && sync_session(fd, buf, wait_s ? 2000 : 5000))
            break;
        if (fd >= 0)
            close(fd);
        g_string_truncate(buf, 0);
        if (g_get_monotonic_time() >= deadline) {
            fprintf(stderr, "guestctl: guestd does not answer on %s\n", argv[i]);
            return 1;
        }
        g_usleep(200000);
    }
    for (i++; i < argc; i++) {
        g_autofree char *reply = NULL;
        if (!send_line(fd, argv[i]) || !(reply = read_line(fd, buf, 20000))) {
            fprintf(stderr, "guestctl: no reply to '%s'\n", argv[i]);
            return 1;
        }
        printf("%s\n", reply);
    }
    close(fd);
    return 0;
}
