/*
 * qmp.c: QMP framing (one JSON object per line), ids, events, fd passing.
 */
#include "qmp_wire.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "domsnap.h"
#include "util/ds_log.h"

struct _DsQmp {
    int fd;
    char *who;
    int timeout_ms;
    guint64 next_id;
    GString *inbuf;
    GQueue events; /* DsQmpEvent */
};

void
ds_qmp_event_free(DsQmpEvent *event)
{
    if (!event)
        return;
    g_free(event->name);
    if (event->data)
        json_object_put(event->data);
    g_free(event);
}

void
ds_qmp_free(DsQmp *qmp)
{
    if (!qmp)
        return;
    if (qmp->fd >= 0)
        close(qmp->fd);
    g_string_free(qmp->inbuf, TRUE);
    g_queue_clear_full(&qmp->events, (GDestroyNotify)ds_qmp_event_free);
    g_free(qmp->who);
    g_free(qmp);
}

void
ds_qmp_set_timeout(DsQmp *qmp, int timeout_ms)
{
    qmp->timeout_ms = timeout_ms;
}

const char *
ds_qmp_who(DsQmp *qmp)
{
    return qmp->who;
}

static gboolean
gone(DsQmp *qmp, const char *during, GError **error)
{
    g_set_error(error, DS_ERROR, DS_ERROR_QEMU_GONE,
                "domain '%s': QEMU closed its QMP connection %s (did QEMU exit or crash?)",
                qmp->who, during);
    return FALSE;
}

static gboolean
send_all(DsQmp *qmp, const char *data, gsize len, int fd, const char *during,
         GError **error)
{
    while (len > 0) {
        struct iovec iov = { (void *)data, len };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
        char ctrl[CMSG_SPACE(sizeof(int))];
        ssize_t n;

        if (fd >= 0) {
            struct cmsghdr *c;
            memset(ctrl, 0, sizeof(ctrl));
            msg.msg_control = ctrl;
            msg.msg_controllen = sizeof(ctrl);
            c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        n = sendmsg(qmp->fd, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            if (errno == EPIPE || errno == ECONNRESET)
                return gone(qmp, during, error);
            g_set_error(error, DS_ERROR, DS_ERROR_IO, "domain '%s': QMP write failed %s: %s",
                        qmp->who, during, g_strerror(errno));
            return FALSE;
        }
        fd = -1; /* the descriptor goes with the first byte only */
        data += n;
        len -= n;
    }
    return TRUE;
}

/* Reads once, waiting up to @timeout_ms; FALSE with an error on EOF/timeout. */
static gboolean
read_some(DsQmp *qmp, int timeout_ms, const char *during, GError **error)
{
    struct pollfd p = { qmp->fd, POLLIN, 0 };
    char buf[65536];
    ssize_t n;
    int r;

    do {
        r = poll(&p, 1, timeout_ms);
    } while (r < 0 && errno == EINTR);
    if (r == 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_TIMEOUT,
                    "domain '%s': QEMU did not answer within %d ms %s",
                    qmp->who, timeout_ms, during);
        return FALSE;
    }
    do {
        n = recv(qmp->fd, buf, sizeof(buf), 0);
    } while (n < 0 && errno == EINTR);
    if (n == 0 || (n < 0 && errno == ECONNRESET))
        return gone(qmp, during, error);
    if (n < 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "domain '%s': QMP read failed %s: %s",
                    qmp->who, during, g_strerror(errno));
        return FALSE;
    }
    g_string_append_len(qmp->inbuf, buf, n);
    return TRUE;
}

/*
 * QEMU nests a chain's images in its replies (query-block's backing-image):
 * a chain of 100 snapshots is deeper than json-c's default limit of 32.
 */
static json_object *
parse_deep(const char *line)
{
    json_tokener *tok = json_tokener_new_ex(4096);
    json_object *obj = json_tokener_parse_ex(tok, line, -1);

    if (json_tokener_get_error(tok) != json_tokener_success && obj) {
        json_object_put(obj);
        obj = NULL;
    }
    json_tokener_free(tok);
    return obj;
}

/* Takes one complete line off the input buffer, parsed; NULL if none yet. */
static json_object *
next_message(DsQmp *qmp, GError **error)
{
    for (;;) {
        char *nl = memchr(qmp->inbuf->str, '\n', qmp->inbuf->len);
        g_autofree char *line = NULL;
        json_object *obj;

        if (!nl)
            return NULL;
        line = g_strndup(qmp->inbuf->str, nl - qmp->inbuf->str);
        g_string_erase(qmp->inbuf, 0, nl - qmp->inbuf->str + 1);
        g_strstrip(line);
        if (!*line)
            continue;
        obj = parse_deep(line);
        if (!obj || !json_object_is_type(obj, json_type_object)) {
            if (obj)
                json_object_put(obj);
            g_set_error(error, DS_ERROR, DS_ERROR_QMP,
                        "domain '%s': QEMU sent something that is not a QMP message: %.80s",
                        qmp->who, line);
            return NULL;
        }
        return obj;
    }
}

/* QEMU's event time in microseconds; a time no clock gives (negative, or
 * past what 64 bits hold) reads as 0, "not known", instead of overflowing. */
static gint64
event_time_us(gint64 seconds, gint64 microseconds)
{
    if (seconds < 0 || microseconds < 0 || microseconds >= G_USEC_PER_SEC ||
        seconds > (G_MAXINT64 - microseconds) / G_USEC_PER_SEC)
        return 0;
    return seconds * G_USEC_PER_SEC + microseconds;
}

static void
queue_event(DsQmp *qmp, json_object *msg)
{
    DsQmpEvent *ev = g_new0(DsQmpEvent, 1);
    json_object *v, *ts;

    json_object_object_get_ex(msg, "event", &v);
    ev->name = g_strdup(json_object_get_string(v));
    if (json_object_object_get_ex(msg, "data", &v))
        ev->data = json_object_get(v);
    if (json_object_object_get_ex(msg, "timestamp", &ts)) {
        json_object *s = NULL, *us = NULL;
        json_object_object_get_ex(ts, "seconds", &s);
        json_object_object_get_ex(ts, "microseconds", &us);
        ev->timestamp_us = event_time_us(json_object_get_int64(s), json_object_get_int64(us));
    }
    if (g_getenv("DOMSNAP_DEBUG_QMP"))
        ds_log_debug("qmp %" G_GINT64_FORMAT " event %s", ev->timestamp_us, ev->name);
    g_queue_push_tail(&qmp->events, ev);
}

/*
 * Reads messages until one satisfies @want (queuing events on the way).
 * @want NULL: returns the next non-event message.
 */
typedef gboolean (*WantFunc)(json_object *msg, gconstpointer data);

static json_object *
read_until(DsQmp *qmp, WantFunc want, gconstpointer data, int timeout_ms,
           const char *during, GError **error)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    for (;;) {
        GError *local = NULL;
        json_object *msg = next_message(qmp, &local);
        gint64 left;

        if (local) {
            g_propagate_error(error, local);
            return NULL;
        }
        if (msg) {
            if (json_object_object_get_ex(msg, "event", NULL)) {
                queue_event(qmp, msg);
                if (want && want(msg, data))
                    return msg;
                json_object_put(msg);
                continue;
            }
            if (!want || want(msg, data))
                return msg;
            json_object_put(msg); /* e.g. the late reply of a timed-out command */
            continue;
        }
        left = (deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0)
            left = 0;
        if (!read_some(qmp, (int)MAX(left, 0), during, error))
            return NULL;
    }
}

static gboolean
want_id(json_object *msg, gconstpointer data)
{
    json_object *id;

    return json_object_object_get_ex(msg, "id", &id) &&
           g_strcmp0(json_object_get_string(id), data) == 0;
}

static json_object *
reply_result(DsQmp *qmp, const char *command, json_object *reply, GError **error)
{
    json_object *ret, *err;

    if (json_object_object_get_ex(reply, "return", &ret))
        return ret ? json_object_get(ret) : json_object_new_object();
    if (json_object_object_get_ex(reply, "error", &err)) {
        json_object *cls = NULL, *desc = NULL;
        json_object_object_get_ex(err, "class", &cls);
        json_object_object_get_ex(err, "desc", &desc);
        g_set_error(error, DS_ERROR, DS_ERROR_QMP, "domain '%s': QEMU refused '%s': %s (%s)",
                    qmp->who, command, json_object_get_string(desc),
                    cls ? json_object_get_string(cls) : "no class");
        return NULL;
    }
    g_set_error(error, DS_ERROR, DS_ERROR_QMP,
                "domain '%s': QEMU's reply to '%s' has neither 'return' nor 'error'",
                qmp->who, command);
    return NULL;
}

static json_object *
command_internal(DsQmp *qmp, const char *command, json_object *args, int fd,
                 GError **error)
{
    g_autofree char *id = g_strdup_printf("domsnap-%" G_GUINT64_FORMAT, ++qmp->next_id);
    g_autofree char *during = g_strdup_printf("while running '%s'", command);
    json_object *req = json_object_new_object();
    json_object *reply, *result;
    g_autofree char *text = NULL;

    json_object_object_add(req, "execute", json_object_new_string(command));
    if (args)
        json_object_object_add(req, "arguments", args);
    json_object_object_add(req, "id", json_object_new_string(id));
    text = g_strconcat(json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN), "\n", NULL);
    json_object_put(req);
    if (!send_all(qmp, text, strlen(text), fd, during, error))
        return NULL;
    reply = read_until(qmp, want_id, id, qmp->timeout_ms, during, error);
    if (g_getenv("DOMSNAP_DEBUG_QMP"))
        ds_log_debug("qmp %" G_GINT64_FORMAT " %s", g_get_real_time(), command);
    if (!reply)
        return NULL;
    result = reply_result(qmp, command, reply, error);
    json_object_put(reply);
    return result;
}

json_object *
ds_qmp_command(DsQmp *qmp, const char *command, json_object *args, GError **error)
{
    return command_internal(qmp, command, args, -1, error);
}

json_object *
ds_qmp_command_fd(DsQmp *qmp, const char *command, json_object *args, int fd,
                  GError **error)
{
    return command_internal(qmp, command, args, fd, error);
}

DsQmpEvent *
ds_qmp_take_event(DsQmp *qmp, const char *name)
{
    for (GList *l = qmp->events.head; l; l = l->next) {
        DsQmpEvent *ev = l->data;
        if (strcmp(ev->name, name) == 0) {
            g_queue_delete_link(&qmp->events, l);
            return ev;
        }
    }
    return NULL;
}

static gboolean
want_event(json_object *msg, gconstpointer name)
{
    json_object *ev;

    return json_object_object_get_ex(msg, "event", &ev) &&
           g_strcmp0(json_object_get_string(ev), name) == 0;
}

DsQmpEvent *
ds_qmp_wait_event(DsQmp *qmp, const char *name, int timeout_ms, GError **error)
{
    DsQmpEvent *ev = ds_qmp_take_event(qmp, name);
    g_autofree char *during = g_strdup_printf("while waiting for the %s event", name);
    json_object *msg;

    if (ev)
        return ev;
    msg = read_until(qmp, want_event, name, timeout_ms, during, error);
    if (!msg)
        return NULL;
    json_object_put(msg);
    return ds_qmp_take_event(qmp, name);
}

gboolean
ds_qmp_poll_events(DsQmp *qmp, GError **error)
{
    struct pollfd p = { qmp->fd, POLLIN, 0 };

    while (poll(&p, 1, 0) > 0) {
        json_object *msg;
        if (!read_some(qmp, 0, "while reading events", error))
            return FALSE;
        while ((msg = next_message(qmp, error))) {
            if (json_object_object_get_ex(msg, "event", NULL))
                queue_event(qmp, msg);
            json_object_put(msg);
        }
    }
    return TRUE;
}

static gboolean
negotiate(DsQmp *qmp, GError **error)
{
    json_object *greeting = read_until(qmp, NULL, NULL, qmp->timeout_ms,
                                       "before its greeting", error);

    if (!greeting)
        return FALSE;
    if (!json_object_object_get_ex(greeting, "QMP", NULL)) {
        json_object_put(greeting);
        g_set_error(error, DS_ERROR, DS_ERROR_QMP,
                    "domain '%s': the monitor socket did not greet with QMP", qmp->who);
        return FALSE;
    }
    json_object_put(greeting);
    /* The handshake, part of the protocol rather than a command. */
    greeting = ds_qmp_command(qmp, "qmp_capabilities", NULL, error);
    if (!greeting)
        return FALSE;
    json_object_put(greeting);
    return TRUE;
}

DsQmp *
ds_qmp_open_fd(int fd, const char *who, int timeout_ms, GError **error)
{
    DsQmp *qmp = g_new0(DsQmp, 1);

    qmp->fd = fd;
    qmp->who = g_strdup(who);
    qmp->timeout_ms = timeout_ms;
    qmp->inbuf = g_string_new(NULL);
    g_queue_init(&qmp->events);
    if (!negotiate(qmp, error)) {
        ds_qmp_free(qmp);
        return NULL;
    }
    return qmp;
}

DsQmp *
ds_qmp_connect(const char *socket_path, const char *who, int timeout_ms,
               GError **error)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(socket_path) >= sizeof(addr.sun_path)) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "domain '%s': QMP socket path '%s' is longer than %zu bytes",
                    who, socket_path, sizeof(addr.sun_path) - 1);
        return NULL;
    }
    strcpy(addr.sun_path, socket_path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        g_set_error(error, DS_ERROR, err == ENOENT || err == ECONNREFUSED
                                         ? DS_ERROR_QEMU_GONE : DS_ERROR_IO,
                    "domain '%s': cannot connect to QMP socket '%s': %s",
                    who, socket_path, g_strerror(err));
        return NULL;
    }
    return ds_qmp_open_fd(fd, who, timeout_ms, error);
}
