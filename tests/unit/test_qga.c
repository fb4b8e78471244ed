/*
 * The guest agent client against a fake agent: the paths a real
 * qemu-guest-agent does not take on demand (silence, a hang mid-freeze,
 * stale replies left by an earlier client, refusals). The normal path runs
 * against the real agent in the Debian guest's integration tests.
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "domsnap.h"
#include <json-c/json.h>

#include "drivers/qemu/qga_commands.h"

typedef enum {
    AGENT_SILENT,
    AGENT_STALE_THEN_OK,
    AGENT_REFUSES,
    AGENT_HANGS_IN_FREEZE,
    AGENT_ODD_REPLY, /* answers the freeze with an object, not a count */
} AgentMode;

typedef struct {
    int listen_fd;
    AgentMode mode;
    char *path;
    char *dir;
} Agent;

/* One line from the client, without the leading 0xff a sync carries. */
static char *
agent_read_line(int fd)
{
    GString *line = g_string_new(NULL);
    char c;

    while (read(fd, &c, 1) == 1) {
        if (c == '\n')
            return g_string_free(line, FALSE);
        if (c != '\xff')
            g_string_append_c(line, c);
    }
    g_string_free(line, TRUE);
    return NULL;
}

static void
agent_write(int fd, const char *s)
{
    g_assert_cmpint(write(fd, s, strlen(s)), ==, (ssize_t)strlen(s));
}

static gint64
sync_id(const char *line)
{
    json_object *o = json_tokener_parse(line), *args, *id;
    gint64 v = -1;

    if (o && json_object_object_get_ex(o, "arguments", &args) &&
        json_object_object_get_ex(args, "id", &id))
        v = json_object_get_int64(id);
    json_object_put(o);
    return v;
}

static gpointer
agent_main(gpointer data)
{
    Agent *a = data;
    int fd = accept(a->listen_fd, NULL, NULL);
    char *line;

    g_assert_cmpint(fd, >=, 0);
    while ((line = agent_read_line(fd))) {
        if (strstr(line, "guest-sync-delimited")) {
            g_autofree char *reply = g_strdup_printf("\xff{\"return\": %" G_GINT64_FORMAT "}\n",
                                                     sync_id(line));
            if (a->mode == AGENT_STALE_THEN_OK) /* left over from an earlier client */
                agent_write(fd, "{\"return\": 77}\nnot json\n{\"return\": {}}\n");
            if (a->mode != AGENT_SILENT)
                agent_write(fd, reply);
        } else if (strstr(line, "guest-fsfreeze-freeze")) {
            if (a->mode == AGENT_REFUSES)
                agent_write(fd, "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                                "\"fsfreeze is disabled\"}}\n");
            else if (a->mode == AGENT_ODD_REPLY)
                agent_write(fd, "{\"return\": {\"frozen\": 2}}\n");
            else if (a->mode != AGENT_HANGS_IN_FREEZE)
                agent_write(fd, "{\"return\": 2}\n");
        } else if (strstr(line, "guest-fsfreeze-thaw")) {
            agent_write(fd, "{\"return\": 2}\n");
        }
        g_free(line);
    }
    close(fd);
    return NULL;
}

static GThread *
agent_start(Agent *a, AgentMode mode)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    a->mode = mode;
    a->dir = g_dir_make_tmp("qga-XXXXXX", NULL);
    a->path = g_build_filename(a->dir, "qga.sock", NULL);
    strcpy(addr.sun_path, a->path);
    a->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(bind(a->listen_fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(a->listen_fd, 1), ==, 0);
    return g_thread_new("agent", agent_main, a);
}

static void
agent_stop(Agent *a, GThread *t)
{
    g_thread_join(t);
    close(a->listen_fd);
    unlink(a->path);
    rmdir(a->dir);
    g_free(a->path);
    g_free(a->dir);
}

static void
test_silent_agent_times_out(void)
{
    Agent a;
    GThread *t = agent_start(&a, AGENT_SILENT);
    g_autoptr(GError) error = NULL;
    gint64 start = g_get_monotonic_time();
    DsQga *qga = ds_qga_connect(a.path, "web1", 200, &error);

    g_assert_null(qga);
    g_assert_error(error, DS_ERROR, DS_ERROR_TIMEOUT);
    g_assert_nonnull(strstr(error->message, "domain 'web1'"));
    g_assert_nonnull(strstr(error->message, "qemu-guest-agent"));
    g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
    agent_stop(&a, t);
}

static void
test_stale_replies_are_skipped(void)
{
    Agent a;
    GThread *t = agent_start(&a, AGENT_STALE_THEN_OK);
    g_autoptr(GError) error = NULL;
    DsQga *qga = ds_qga_connect(a.path, "web1", 2000, &error);
    gint64 frozen = 0;

    g_assert_no_error(error);
    g_assert_true(ds_qga_guest_fsfreeze_freeze(qga, &frozen, &error));
    g_assert_no_error(error);
    g_assert_cmpint(frozen, ==, 2);
    g_assert_true(ds_qga_guest_fsfreeze_thaw(qga, NULL, &error));
    ds_qga_free(qga);
    agent_stop(&a, t);
}

static void
test_refusal_is_reported(void)
{
    Agent a;
    GThread *t = agent_start(&a, AGENT_REFUSES);
    g_autoptr(GError) error = NULL;
    DsQga *qga = ds_qga_connect(a.path, "web1", 2000, &error);
    gint64 frozen = 0;

    g_assert_nonnull(qga);
    g_assert_false(ds_qga_guest_fsfreeze_freeze(qga, &frozen, &error));
    g_assert_error(error, DS_ERROR, DS_ERROR_QMP);
    g_assert_nonnull(strstr(error->message, "fsfreeze is disabled"));
    ds_qga_free(qga);
    agent_stop(&a, t);
}

static void
test_hang_in_freeze_times_out(void)
{
    Agent a;
    GThread *t = agent_start(&a, AGENT_HANGS_IN_FREEZE);
    g_autoptr(GError) error = NULL;
    DsQga *qga = ds_qga_connect(a.path, "web1", 2000, &error);
    gint64 frozen = 0;

    g_assert_nonnull(qga);
    ds_qga_set_timeout(qga, 200);
    g_assert_false(ds_qga_guest_fsfreeze_freeze(qga, &frozen, &error));
    g_assert_error(error, DS_ERROR, DS_ERROR_TIMEOUT);
    g_assert_nonnull(strstr(error->message, "guest-fsfreeze-freeze"));
    ds_qga_free(qga);
    agent_stop(&a, t);
}

static void
test_odd_reply_is_reported(void)
{
    Agent a;
    GThread *t = agent_start(&a, AGENT_ODD_REPLY);
    g_autoptr(GError) error = NULL;
    DsQga *qga = ds_qga_connect(a.path, "web1", 2000, &error);
    gint64 frozen = -1;

    g_assert_nonnull(qga);
    g_assert_false(ds_qga_guest_fsfreeze_freeze(qga, &frozen, &error));
    g_assert_error(error, DS_ERROR, DS_ERROR_QMP);
    g_assert_cmpstr(error->message, ==,
                    "domain 'web1': the guest agent's reply to 'guest-fsfreeze-freeze' does not "
                    "fit its schema: the reply is an object, not an integer");
    g_assert_cmpint(frozen, ==, -1);
    ds_qga_free(qga);
    agent_stop(&a, t);
}

/* A command the user wrote, passed through; the reply comes back as text. */
static void
test_request_passes_through(void)
{
    Agent a;
    GThread *t = agent_start(&a, AGENT_STALE_THEN_OK);
    g_autoptr(GError) error = NULL;
    g_autoptr(DsQgaRequest) request =
        ds_qga_request_parse("{\"execute\": \"guest-fsfreeze-thaw\"}", "web1", &error);
    DsQga *qga = ds_qga_connect(a.path, "web1", 2000, &error);
    g_autofree char *reply = NULL;

    g_assert_no_error(error);
    reply = ds_qga_request_run(qga, request, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(reply, ==, "2");
    ds_qga_free(qga);
    agent_stop(&a, t);
}

static void
test_no_socket(void)
{
    g_autoptr(GError) error = NULL;

    g_assert_null(ds_qga_connect("/nonexistent/qga.sock", "web1", 200, &error));
    g_assert_error(error, DS_ERROR, DS_ERROR_NOT_FOUND);
    g_assert_nonnull(strstr(error->message, "/nonexistent/qga.sock"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qga/silent-agent-times-out", test_silent_agent_times_out);
    g_test_add_func("/qga/stale-replies-are-skipped", test_stale_replies_are_skipped);
    g_test_add_func("/qga/refusal-is-reported", test_refusal_is_reported);
    g_test_add_func("/qga/hang-in-freeze-times-out", test_hang_in_freeze_times_out);
    g_test_add_func("/qga/no-socket", test_no_socket);
    g_test_add_func("/qga/odd-reply-is-reported", test_odd_reply_is_reported);
    g_test_add_func("/qga/request-passes-through", test_request_passes_through);
    return g_test_run();
}
