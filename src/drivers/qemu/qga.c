#include "qga_wire.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "domsnap.h"

struct _DsQga {
    int fd;
    char *who;
    int timeout_ms;
    GString *buf; /* bytes read and not yet parsed */
};

void
ds_qga_free(DsQga *qga)
{
    if (!qga)
        return;
    if (qga->fd >= 0)
        close(qga->fd);
    g_free(qga->who);
    g_string_free(qga->buf, TRUE);
    g_free(qga);
}

void
ds_qga_set_timeout(DsQga *qga, int timeout_ms)
{
    qga->timeout_ms = timeout_ms;
}

const char *
ds_qga_who(DsQga *qga)
{
    return qga->who;
}

static gboolean
no_answer(DsQga *qga, const char *during, GError **error)
{
    g_set_error(error, DS_ERROR, DS_ERROR_TIMEOUT,
                "domain '%s': the guest agent did not answer %s within %d ms (is "
                "qemu-guest-agent running in the guest?)", qga->who, during, qga->timeout_ms);
    return FALSE;
}

static gboolean
send_text(DsQga *qga, const char *text, gsize len, const char *during, GError **error)
{
    while (len > 0) {
        ssize_t n = send(qga->fd, text, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            g_set_error(error, DS_ERROR, DS_ERROR_QEMU_GONE,
                        "domain '%s': cannot talk to the guest agent (%s): %s", qga->who,
                        during, g_strerror(errno));
            return FALSE;
        }
        text += n;
        len -= n;
    }
    return TRUE;
}

/* Reads what is there, waiting until @deadline (monotonic µs). */
static gboolean
read_more(DsQga *qga, gint64 deadline, const char *during, GError **error)
{
    char chunk[4096];
    struct pollfd p = { qga->fd, POLLIN, 0 };
    gint64 left = (deadline - g_get_monotonic_time()) / 1000;
    int r;
    ssize_t n;

    if (left <= 0)
        return no_answer(qga, during, error);
    r = poll(&p, 1, (int)left);
    if (r < 0 && errno == EINTR)
        return TRUE;
    if (r == 0)
        return no_answer(qga, during, error);
    n = recv(qga->fd, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR)
        return TRUE;
    if (n <= 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_QEMU_GONE,
                    "domain '%s': the guest agent's socket closed (%s)", qga->who, during);
        return FALSE;
    }
    g_string_append_len(qga->buf, chunk, n);
    return TRUE;
}

/*
 * The next JSON line, or NULL when none is complete yet. Bytes before a
 * 0xff (the agent's sync delimiter) and lines that are not JSON objects
 * (left over from an earlier client) are dropped.
 */
static json_object *
next_line(DsQga *qga)
{
    char *nl;

    while ((nl = memchr(qga->buf->str, '\n', qga->buf->len))) {
        gsize len = nl - qga->buf->str;
        g_autofree char *line = g_strndup(qga->buf->str, len);
        char *start = strrchr(line, '\xff');
        json_object *obj;

        g_string_erase(qga->buf, 0, len + 1);
        obj = json_tokener_parse(start ? start + 1 : line);
        if (obj && json_object_is_type(obj, json_type_object))
            return obj;
        if (obj)
            json_object_put(obj);
    }
    return NULL;
}

typedef gboolean (*WantFunc)(json_object *reply, gint64 data);

static json_object *
read_until(DsQga *qga, WantFunc want, gint64 data, const char *during, GError **error)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)qga->timeout_ms * 1000;

    for (;;) {
        json_object *reply = next_line(qga);
        if (reply && want(reply, data))
            return reply;
        if (reply) {
            json_object_put(reply);
            continue;
        }
        if (!read_more(qga, deadline, during, error))
            return NULL;
    }
}

static gboolean
is_sync_reply(json_object *reply, gint64 id)
{
    json_object *ret = NULL;

    return json_object_object_get_ex(reply, "return", &ret) &&
           json_object_is_type(ret, json_type_int) && json_object_get_int64(ret) == id;
}

static gboolean
is_any_reply(json_object *reply, gint64 unused)
{
    return json_object_object_get_ex(reply, "return", NULL) ||
           json_object_object_get_ex(reply, "error", NULL);
}

/* guest-sync-delimited: after it, the next reply is the next command's. */
static gboolean
sync_agent(DsQga *qga, GError **error)
{
    gint64 id = g_random_int_range(1, G_MAXINT32);
    g_autofree char *cmd = g_strdup_printf(
        "\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":%" G_GINT64_FORMAT "}}\n",
        id);
    json_object *reply;

    if (!send_text(qga, cmd, strlen(cmd), "guest-sync-delimited", error))
        return FALSE;
    reply = read_until(qga, is_sync_reply, id, "guest-sync-delimited", error);
    if (!reply)
        return FALSE;
    json_object_put(reply);
    return TRUE;
}

DsQga *
ds_qga_connect(const char *socket_path, const char *who, int timeout_ms, GError **error)
{
    g_autoptr(DsQga) qga = g_new0(DsQga, 1);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    qga->fd = -1;
    qga->who = g_strdup(who);
    qga->timeout_ms = timeout_ms;
    qga->buf = g_string_new(NULL);
    if (strlen(socket_path) >= sizeof(addr.sun_path)) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "domain '%s': guest agent socket path '%s' is too long", who, socket_path);
        return NULL;
    }
    strcpy(addr.sun_path, socket_path);
    qga->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (qga->fd < 0 || connect(qga->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        g_set_error(error, DS_ERROR, errno == ENOENT ? DS_ERROR_NOT_FOUND : DS_ERROR_IO,
                    "domain '%s': cannot connect to the guest agent socket '%s': %s", who,
                    socket_path, g_strerror(errno));
        return NULL;
    }
    if (!sync_agent(qga, error))
        return NULL;
    return g_steal_pointer(&qga);
}

static json_object *
reply_result(DsQga *qga, const char *command, json_object *reply, GError **error)
{
    json_object *ret = NULL, *err = NULL, *desc = NULL;

    if (json_object_object_get_ex(reply, "return", &ret)) {
        ret = ret ? json_object_get(ret) : json_object_new_object();
        json_object_put(reply);
        return ret;
    }
    json_object_object_get_ex(reply, "error", &err);
    if (err)
        json_object_object_get_ex(err, "desc", &desc);
    g_set_error(error, DS_ERROR, DS_ERROR_QMP, "domain '%s': the guest agent refused %s: %s",
                qga->who, command, desc ? json_object_get_string(desc) : "no reason given");
    json_object_put(reply);
    return NULL;
}

gboolean
ds_qga_send(DsQga *qga, const char *command, json_object *args, GError **error)
{
    json_object *msg = json_object_new_object();
    const char *text;
    gboolean ok;

    json_object_object_add(msg, "execute", json_object_new_string(command));
    if (args)
        json_object_object_add(msg, "arguments", args);
    text = json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN);
    ok = send_text(qga, text, strlen(text), command, error) &&
         send_text(qga, "\n", 1, command, error);
    json_object_put(msg);
    return ok;
}

json_object *
ds_qga_command(DsQga *qga, const char *command, json_object *args, GError **error)
{
    json_object *reply;

    if (!ds_qga_send(qga, command, args, error))
        return NULL;
    reply = read_until(qga, is_any_reply, 0, command, error);
    return reply ? reply_result(qga, command, reply, error) : NULL;
}
