/*
 * qemu_tap.c: the tap of a NIC on a bridge (vif bridge=). domsnap makes it
 * (it runs as root; QEMU's setuid bridge helper would need an ACL in
 * /etc/qemu/bridge.conf) and hands the descriptor to QEMU. The tap is not
 * persistent: it goes away, and leaves the bridge, when QEMU exits,
 * whichever way it exits, so nothing has to clean it up.
 */
#include "qemu_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/sockios.h>

static gboolean
fail(GError **error, const char *tap, const char *bridge, const char *what, int err)
{
    g_set_error(error, DS_ERROR, err == EPERM ? DS_ERROR_UNSUPPORTED : DS_ERROR_FAILED,
                "tap '%s' on bridge '%s': cannot %s: %s%s", tap, bridge, what, g_strerror(err),
                err == EPERM ? " (bridge= needs root, or CAP_NET_ADMIN)" : "");
    return FALSE;
}

/* Up, with the bridge's MTU (so that joining does not lower the bridge's). */
static gboolean
join_bridge(int sock, const char *tap, const char *bridge, GError **error)
{
    struct ifreq ifr = { 0 };

    g_strlcpy(ifr.ifr_name, bridge, IFNAMSIZ);
    if (ioctl(sock, SIOCGIFMTU, &ifr) == 0) {
        g_strlcpy(ifr.ifr_name, tap, IFNAMSIZ);
        ioctl(sock, SIOCSIFMTU, &ifr);
    }
    memset(&ifr, 0, sizeof(ifr));
    g_strlcpy(ifr.ifr_name, bridge, IFNAMSIZ);
    ifr.ifr_ifindex = (int)if_nametoindex(tap);
    if (ioctl(sock, SIOCBRADDIF, &ifr) < 0)
        return fail(error, tap, bridge, "join the bridge", errno);
    memset(&ifr, 0, sizeof(ifr));
    g_strlcpy(ifr.ifr_name, tap, IFNAMSIZ);
    if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
        return fail(error, tap, bridge, "read its flags", errno);
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
        return fail(error, tap, bridge, "bring it up", errno);
    return TRUE;
}

int
ds_qemu_tap_open(const char *tap, const char *bridge, GError **error)
{
    g_autofree char *brdir = g_strdup_printf("/sys/class/net/%s/bridge", bridge);
    struct ifreq ifr = { 0 };
    int fd, sock;
    gboolean ok;

    if (!g_file_test(brdir, G_FILE_TEST_IS_DIR)) {
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                    "tap '%s': bridge '%s' does not exist (or is not a bridge)", tap, bridge);
        return -1;
    }
    fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        fail(error, tap, bridge, "open /dev/net/tun", errno);
        return -1;
    }
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    g_strlcpy(ifr.ifr_name, tap, IFNAMSIZ);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fail(error, tap, bridge, "create it", errno);
        close(fd);
        return -1;
    }
    sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ok = sock >= 0 ? join_bridge(sock, tap, bridge, error)
                   : fail(error, tap, bridge, "open a socket", errno);
    if (sock >= 0)
        close(sock);
    if (!ok) {
        close(fd);
        return -1;
    }
    return fd;
}
