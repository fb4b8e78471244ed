/*
 * guestd: the test guest's agent.
 *
 * Runs inside the test guest (static binary, no libraries) and answers a
 * line protocol on a serial port, so that host-side tests can see what the
 * guest's memory and disks really hold after a save, restore or revert:
 *
 *   ping                -> pong
 *   echo TOKEN          -> TOKEN (lets the host find where its replies start)
 *   set N / inc / get   -> a counter held in this process's RAM
 *   disk-write DEV TEXT -> writes TEXT to the first sector of /dev/DEV
 *   disk-read DEV       -> the text in the first sector of /dev/DEV
 *   dirty MIB           -> a child keeps MIB of memory dirty; dirty 0 stops it
 *   gap                 -> the longest stretch (µs) since the last "gap" in
 *                          which a 1 ms ticker did not run: how long the
 *                          guest was stopped, as the guest itself saw it
 *
 * Every command gets exactly one reply line: the value, "ok" or "ERR reason".
 * Disk I/O uses O_DIRECT|O_SYNC so that neither the guest's page cache nor
 * a write-back delay can hide what is on the virtual disk.
 *
 * guestd also powers the guest off when the ACPI power button is pressed
 * (QMP system_powerdown), since the test guest has no init system to do it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define SECTOR 512
#define LINE_MAX_LEN 1024

static long long counter;
static pid_t dirty_child = -1;

static void
reply(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
reply(int fd, const char *fmt, ...)
{
    char buf[LINE_MAX_LEN + 64];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof(buf) - 2)
        n = sizeof(buf) - 2;
    buf[n++] = '\n';
    for (int off = 0; off < n;) {
        ssize_t w = write(fd, buf + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += w;
    }
}

/* Device names come from the host: accept only vda, vdb, ... (virtio)
 * and xvda, xvdb, ... (Xen's blkfront). */
static int
valid_dev(const char *dev)
{
    if (dev[0] == 'x')
        dev++;
    if (strncmp(dev, "vd", 2) != 0 || !dev[2])
        return 0;
    for (const char *p = dev + 2; *p; p++)
        if (!islower((unsigned char)*p))
            return 0;
    return 1;
}

static void
cmd_disk_write(int out, char *dev, const char *text)
{
    char path[64];
    void *buf;
    int fd;

    if (!valid_dev(dev)) {
        reply(out, "ERR bad device '%s'", dev);
        return;
    }
    if (strlen(text) >= SECTOR) {
        reply(out, "ERR text longer than %d bytes", SECTOR - 1);
        return;
    }
    if (posix_memalign(&buf, 4096, SECTOR) != 0) {
        reply(out, "ERR out of memory");
        return;
    }
    memset(buf, 0, SECTOR);
    memcpy(buf, text, strlen(text));
    snprintf(path, sizeof(path), "/dev/%s", dev);
    fd = open(path, O_WRONLY | O_DIRECT | O_SYNC);
    if (fd < 0) {
        reply(out, "ERR open %s: %s", path, strerror(errno));
    } else if (pwrite(fd, buf, SECTOR, 0) != SECTOR) {
        reply(out, "ERR write %s: %s", path, strerror(errno));
    } else if (fsync(fd) < 0) {
        reply(out, "ERR fsync %s: %s", path, strerror(errno));
    } else {
        reply(out, "ok");
    }
    if (fd >= 0)
        close(fd);
    free(buf);
}

static void
cmd_disk_read(int out, char *dev)
{
    char path[64];
    char *buf;
    int fd;

    if (!valid_dev(dev)) {
        reply(out, "ERR bad device '%s'", dev);
        return;
    }
    if (posix_memalign((void **)&buf, 4096, SECTOR) != 0) {
        reply(out, "ERR out of memory");
        return;
    }
    snprintf(path, sizeof(path), "/dev/%s", dev);
    fd = open(path, O_RDONLY | O_DIRECT);
    if (fd < 0) {
        reply(out, "ERR open %s: %s", path, strerror(errno));
    } else if (pread(fd, buf, SECTOR, 0) != SECTOR) {
        reply(out, "ERR read %s: %s", path, strerror(errno));
    } else {
        buf[SECTOR - 1] = '\0';
        for (char *p = buf; *p; p++)
            if (*p == '\n' || *p == '\r')
                *p = ' ';
        reply(out, "%s", buf);
    }
    if (fd >= 0)
        close(fd);
    free(buf);
}

/* The child touches one byte per page, round and round, until killed. */
static void
dirty_loop(size_t bytes)
{
    volatile unsigned char *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char v = 0;

    if (mem == MAP_FAILED)
        _exit(1);
    for (;;) {
        v++;
        for (size_t off = 0; off < bytes; off += 4096)
            mem[off] = v;
    }
}

static void
stop_dirty(void)
{
    if (dirty_child > 0) {
        kill(dirty_child, SIGKILL);
        waitpid(dirty_child, NULL, 0);
        dirty_child = -1;
    }
}

static void
cmd_dirty(int out, const char *arg)
{
    char *end;
    long mib = strtol(arg, &end, 10);

    if (*arg == '\0' || *end != '\0' || mib < 0 || mib > 65536) {
        reply(out, "ERR bad size '%s'", arg);
        return;
    }
    stop_dirty();
    if (mib > 0) {
        pid_t pid = fork();
        if (pid < 0) {
            reply(out, "ERR fork: %s", strerror(errno));
            return;
        }
        if (pid == 0)
            dirty_loop((size_t)mib << 20);
        dirty_child = pid;
    }
    reply(out, "ok");
}

/* The ticker: a child that wakes every millisecond and notes in a shared
 * page the longest time between two of its wake-ups. */
static volatile long long *longest_gap;

static long long
now_us(void)
{
    struct timespec ts;

    /* BOOTTIME: a suspended guest's MONOTONIC clock stands still (as after a
     * Xen suspend), its BOOTTIME does not */
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void
gap_ticker(void)
{
    long long last = now_us();

    for (;;) {
        struct timespec ms = { 0, 1000000 };
        long long t;
        nanosleep(&ms, NULL);
        t = now_us();
        if (t - last > *longest_gap)
            *longest_gap = t - last;
        last = t;
    }
}

static void
cmd_gap(int out)
{
    if (!longest_gap) {
        longest_gap = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                           -1, 0);
        if (longest_gap == MAP_FAILED) {
            longest_gap = NULL;
            reply(out, "ERR mmap: %s", strerror(errno));
            return;
        }
        if (fork() == 0)
            gap_ticker();
    }
    reply(out, "%lld", *longest_gap);
    *longest_gap = 0;
}

static void
cmd_set(int out, const char *arg)
{
    char *end;
    long long v = strtoll(arg, &end, 10);

    if (*arg == '\0' || *end != '\0') {
        reply(out, "ERR bad number '%s'", arg);
        return;
    }
    counter = v;
    reply(out, "ok");
}

static void
handle_line(int out, char *line)
{
    char *cmd = strtok(line, " \t");
    char *arg = strtok(NULL, " \t");
    char *rest = strtok(NULL, "");

    if (!cmd)
        return;
    if (strcmp(cmd, "ping") == 0)
        reply(out, "pong");
    else if (strcmp(cmd, "echo") == 0)
        reply(out, "%s", arg ? arg : "");
    else if (strcmp(cmd, "get") == 0)
        reply(out, "%lld", counter);
    else if (strcmp(cmd, "inc") == 0) {
        counter++;
        reply(out, "ok");
    } else if (strcmp(cmd, "set") == 0)
        cmd_set(out, arg ? arg : "");
    else if (strcmp(cmd, "disk-write") == 0 && arg && rest)
        cmd_disk_write(out, arg, rest);
    else if (strcmp(cmd, "disk-read") == 0 && arg)
        cmd_disk_read(out, arg);
    else if (strcmp(cmd, "dirty") == 0 && arg)
        cmd_dirty(out, arg);
    else if (strcmp(cmd, "gap") == 0)
        cmd_gap(out);
    else
        reply(out, "ERR unknown command '%s'", cmd);
}

/* Watches every input device for KEY_POWER and powers the guest off. */
static void
power_button_watcher(void)
{
    pid_t pid = fork();

    if (pid != 0)
        return;
    for (;;) {
        DIR *d = opendir("/dev/input");
        struct dirent *e;

        while (d && (e = readdir(d))) {
            char path[300];
            if (strncmp(e->d_name, "event", 5) != 0)
                continue;
            snprintf(path, sizeof(path), "/dev/input/%s", e->d_name);
            if (fork() == 0) {
                struct input_event ev;
                int fd = open(path, O_RDONLY);
                while (fd >= 0 && read(fd, &ev, sizeof(ev)) == sizeof(ev)) {
                    if (ev.type == EV_KEY && ev.code == KEY_POWER && ev.value) {
                        sync();
                        reboot(RB_POWER_OFF);
                    }
                }
                _exit(0);
            }
        }
        if (d)
            closedir(d);
        pause();
    }
}

static int
open_port(const char *path)
{
    struct termios t;
    int fd = open(path, O_RDWR | O_NOCTTY);

    if (fd < 0)
        return -1;
    if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        cfsetispeed(&t, B115200);
        cfsetospeed(&t, B115200);
        tcsetattr(fd, TCSANOW, &t);
    }
    return fd;
}

int
main(int argc, char **argv)
{
    const char *port = argc > 1 ? argv[1] : "/dev/ttyS1";
    char line[LINE_MAX_LEN];
    size_t len = 0;
    int fd;

    signal(SIGCHLD, SIG_DFL);
    power_button_watcher();
    fd = open_port(port);
    if (fd < 0) {
        fprintf(stderr, "guestd: cannot open %s: %s\n", port, strerror(errno));
        return 1;
    }
    fprintf(stderr, "guestd: listening on %s\n", port);
    for (;;) {
        char c;
        ssize_t n = read(fd, &c, 1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            sleep(1);
            continue;
        }
        if (c == '\r')
            continue;
        if (c == '\n') {
            line[len] = '\0';
            handle_line(fd, line);
            len = 0;
        } else if (len < sizeof(line) - 1) {
            line[len++] = c;
        }
    }
}
