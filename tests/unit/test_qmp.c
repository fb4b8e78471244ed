/*
 * The QMP client against a fake peer: the error paths that a real QEMU
 * will not produce on demand (death mid-command, silence, garbage, replies
 * of the wrong shape, a failed block job). The
 * client's normal path is exercised against real QEMU by the integration
 * tests.
 */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "domsnap.h"
#include "drivers/qemu/qmp_commands.h"
#include "drivers/qemu/qmp_wire.h"

typedef void (*PeerFunc)(int fd);

typedef struct {
    int fd;
    PeerFunc func;
} Peer;

static const char *GREETING =
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}}, "
    "\"capabilities\": [\"oob\"]}}\r\n";

static void
peer_write(int fd, const char *s)
{
    g_assert_cmpint(write(fd, s, strlen(s)), ==, (ssize_t)strlen(s));
}

/* Reads one line; returns the command's id (or NULL on EOF); *@arguments
 * (if asked for): the command's arguments as plain JSON text. */
static char *
peer_read(int fd, char **command, char **arguments, int *passed_fd)
{
    GString *line = g_string_new(NULL);
    json_object *o, *v;
    char *id = NULL;

    for (;;) {
        char c;
        struct iovec iov = { &c, 1 };
        char ctrl[CMSG_SPACE(sizeof(int))];
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                              .msg_control = ctrl, .msg_controllen = sizeof(ctrl) };
        ssize_t n = recvmsg(fd, &msg, 0);
        if (n <= 0) {
            g_string_free(line, TRUE);
            return NULL;
        }
        if (passed_fd && msg.msg_controllen > 0) {
            struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
            if (cm && cm->cmsg_type == SCM_RIGHTS)
                memcpy(passed_fd, CMSG_DATA(cm), sizeof(int));
        }
        if (c == '\n')
            break;
        g_string_append_c(line, c);
    }
    o = json_tokener_parse(line->str);
    g_assert_nonnull(o);
    if (json_object_object_get_ex(o, "id", &v))
        id = g_strdup(json_object_get_string(v));
    if (command && json_object_object_get_ex(o, "execute", &v))
        *command = g_strdup(json_object_get_string(v));
    if (arguments && json_object_object_get_ex(o, "arguments", &v))
        *arguments = g_strdup(json_object_to_json_string_ext(
            v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    g_string_free(line, TRUE);
    return id;
}

static char *
peer_read_command(int fd, char **command, int *passed_fd)
{
    return peer_read(fd, command, NULL, passed_fd);
}

static void
peer_reply(int fd, const char *id, const char *body)
{
    g_autofree char *s = g_strdup_printf("{%s, \"id\": \"%s\"}\r\n", body, id);
    peer_write(fd, s);
}

/* Greeting and the qmp_capabilities exchange. */
static void
peer_handshake(int fd)
{
    g_autofree char *id = NULL;

    peer_write(fd, GREETING);
    id = peer_read_command(fd, NULL, NULL);
    g_assert_nonnull(id);
    peer_reply(fd, id, "\"return\": {}");
}

static gpointer
peer_thread(gpointer data)
{
    Peer *p = data;

    p->func(p->fd);
    close(p->fd);
    g_free(p);
    return NULL;
}

static DsQmp *
start(PeerFunc func, GThread **thread, int timeout_ms, GError **error)
{
    int sv[2];
    Peer *p = g_new0(Peer, 1);

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    p->fd = sv[1];
    p->func = func;
    *thread = g_thread_new("peer", peer_thread, p);
    return ds_qmp_open_fd(sv[0], "fake", timeout_ms, error);
}

/* ---- peers ---- */

static void
peer_normal(int fd)
{
    g_autofree char *id = NULL, *cmd = NULL;

    peer_handshake(fd);
    id = peer_read_command(fd, &cmd, NULL);
    g_assert_cmpstr(cmd, ==, "query-status");
    /* An event arrives before the reply: it must be queued, not lost. */
    peer_write(fd, "{\"timestamp\": {\"seconds\": 100, \"microseconds\": 250}, "
                   "\"event\": \"STOP\"}\r\n");
    /* A stale reply with another id must be skipped. */
    peer_reply(fd, "stale-1", "\"return\": {\"status\": \"wrong\"}");
    peer_reply(fd, id, "\"return\": {\"status\": \"paused\", \"running\": false}");
    g_free(id);
    g_free(cmd);
    cmd = NULL;
    id = peer_read_command(fd, &cmd, NULL);
    g_assert_cmpstr(cmd, ==, "bogus");
    peer_reply(fd, id, "\"error\": {\"class\": \"CommandNotFound\", "
                       "\"desc\": \"The command bogus has not been found\"}");
    peer_write(fd, "{\"timestamp\": {\"seconds\": 100, \"microseconds\": 9000}, "
                   "\"event\": \"RESUME\"}\r\n");
    /* Wait for the client to close. */
    g_free(peer_read_command(fd, NULL, NULL));
}

static void
test_command_and_events(void)
{
    g_autoptr(GError) err = NULL;
    GThread *t;
    g_autoptr(DsQmp) qmp = start(peer_normal, &t, 2000, &err);
    json_object *r, *v;
    g_autoptr(DsQmpEvent) stop = NULL;
    g_autoptr(DsQmpEvent) resume = NULL;

    g_assert_no_error(err);
    r = ds_qmp_command(qmp, "query-status", NULL, &err);
    g_assert_no_error(err);
    g_assert_true(json_object_object_get_ex(r, "status", &v));
    g_assert_cmpstr(json_object_get_string(v), ==, "paused");
    json_object_put(r);

    g_assert_null(ds_qmp_command(qmp, "bogus", NULL, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_QMP);
    g_assert_cmpstr(err->message, ==,
                    "domain 'fake': QEMU refused 'bogus': The command bogus has not been found "
                    "(CommandNotFound)");

    stop = ds_qmp_take_event(qmp, "STOP");
    g_assert_nonnull(stop);
    g_assert_cmpint(stop->timestamp_us, ==, 100000250);
    resume = ds_qmp_wait_event(qmp, "RESUME", 2000, &err);
    g_clear_error(&err);
    g_assert_nonnull(resume);
    g_assert_cmpint(resume->timestamp_us - stop->timestamp_us, ==, 8750);
    g_clear_pointer(&qmp, ds_qmp_free);
    g_thread_join(t);
}

static void
peer_dies(int fd)
{
    g_autofree char *id = NULL;

    peer_handshake(fd);
    id = peer_read_command(fd, NULL, NULL);
    /* Exit mid-command, as a crashing QEMU does. */
}

static void
test_qemu_dies(void)
{
    g_autoptr(GError) err = NULL;
    GThread *t;
    g_autoptr(DsQmp) qmp = start(peer_dies, &t, 2000, &err);

    g_assert_no_error(err);
    g_assert_null(ds_qmp_command(qmp, "migrate", NULL, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_QEMU_GONE);
    g_assert_nonnull(strstr(err->message, "while running 'migrate'"));
    g_thread_join(t);
}

static void
peer_silent(int fd)
{
    peer_handshake(fd);
    g_free(peer_read_command(fd, NULL, NULL));
    g_free(peer_read_command(fd, NULL, NULL)); /* never answers; waits for close */
}

static void
test_timeout(void)
{
    g_autoptr(GError) err = NULL;
    GThread *t;
    g_autoptr(DsQmp) qmp = start(peer_silent, &t, 300, &err);
    gint64 t0 = g_get_monotonic_time();

    g_assert_no_error(err);
    g_assert_null(ds_qmp_command(qmp, "query-status", NULL, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_TIMEOUT);
    g_assert_cmpint(g_get_monotonic_time() - t0, >=, 250000);
    g_clear_pointer(&qmp, ds_qmp_free);
    g_thread_join(t);
}

static void
peer_garbage(int fd)
{
    peer_write(fd, "this is not QMP\r\n");
}

static void
test_bad_greeting(void)
{
    g_autoptr(GError) err = NULL;
    GThread *t;
    DsQmp *qmp = start(peer_garbage, &t, 1000, &err);

    g_assert_null(qmp);
    g_assert_error(err, DS_ERROR, DS_ERROR_QMP);
    g_thread_join(t);
}

static void
peer_getfd(int fd)
{
    g_autofree char *id = NULL, *cmd = NULL;
    int passed = -1;

    peer_handshake(fd);
    id = peer_read_command(fd, &cmd, &passed);
    g_assert_cmpstr(cmd, ==, "getfd");
    g_assert_cmpint(passed, >=, 0);
    /* Prove it is the client's file: write through it. */
    g_assert_cmpint(write(passed, "via-scm-rights", 14), ==, 14);
    close(passed);
    peer_reply(fd, id, "\"return\": {}");
    g_free(peer_read_command(fd, NULL, NULL));
}

static void
test_fd_passing(void)
{
    g_autoptr(GError) err = NULL;
    GThread *t;
    g_autoptr(DsQmp) qmp = start(peer_getfd, &t, 2000, &err);
    g_autofree char *path = NULL;
    g_autofree char *contents = NULL;
    int fd = g_file_open_tmp("qmp-fd-XXXXXX", &path, &err);

    g_assert_no_error(err);
    g_assert_true(ds_qmp_getfd(qmp, fd, "f", &err));
    g_assert_no_error(err);
    close(fd);
    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    g_assert_cmpstr(contents, ==, "via-scm-rights");
    unlink(path);
    g_clear_pointer(&qmp, ds_qmp_free);
    g_thread_join(t);
}

/* A chain of 100 snapshots: query-block nests 100 backing-image objects. */
static void
peer_deep(int fd)
{
    g_autofree char *id = NULL;
    GString *body = g_string_new("\"return\": ");

    peer_handshake(fd);
    id = peer_read_command(fd, NULL, NULL);
    for (int i = 0; i < 100; i++)
        g_string_append(body, "{\"backing-image\": ");
    g_string_append(body, "{}");
    for (int i = 0; i < 100; i++)
        g_string_append_c(body, '}');
    peer_reply(fd, id, body->str);
    g_string_free(body, TRUE);
    g_free(peer_read_command(fd, NULL, NULL));
}

static void
test_deep_reply(void)
{
    g_autoptr(GError) err = NULL;
    GThread *t;
    g_autoptr(DsQmp) qmp = start(peer_deep, &t, 2000, &err);
    json_object *r;

    g_assert_no_error(err);
    r = ds_qmp_command(qmp, "query-block", NULL, &err);
    g_assert_no_error(err);
    g_assert_nonnull(r);
    json_object_put(r);
    g_clear_pointer(&qmp, ds_qmp_free);
    g_thread_join(t);
}

/* The typed layer's failures: a refusal, a reply of the wrong shape, EOF. */
static void
peer_typed_failures(int fd)
{
    g_autofree char *id = NULL, *cmd = NULL, *args = NULL;

    peer_handshake(fd);
    id = peer_read(fd, &cmd, &args, NULL);
    g_assert_cmpstr(cmd, ==, "blockdev-add");
    g_assert_cmpstr(args, ==, "{\"driver\":\"qcow2\",\"node-name\":\"ov0\",\"file\":"
                              "{\"driver\":\"file\",\"filename\":\"/nope.qcow2\"},"
                              "\"backing\":null}");
    peer_reply(fd, id, "\"error\": {\"class\": \"GenericError\", \"desc\": "
                       "\"Could not open '/nope.qcow2': No such file or directory\"}");
    g_clear_pointer(&id, g_free);
    g_clear_pointer(&cmd, g_free);
    id = peer_read(fd, &cmd, NULL, NULL);
    g_assert_cmpstr(cmd, ==, "query-status");
    peer_reply(fd, id, "\"return\": [\"running\"]");
    g_clear_pointer(&id, g_free);
    g_clear_pointer(&cmd, g_free);
    id = peer_read(fd, &cmd, NULL, NULL);
    g_assert_cmpstr(cmd, ==, "query-migrate");
    /* Dies before answering. */
}

static void
test_typed_failures(void)
{
    g_autoptr(GError) err = NULL;
    GThread *t;
    g_autoptr(DsQmp) qmp = start(peer_typed_failures, &t, 2000, &err);
    DsQmpBlockdevOptions overlay = { "ov0", "qcow2", "/nope.qcow2", TRUE };
    g_auto(DsQmpStatusInfo) status = { 0 };
    g_auto(DsQmpMigrationInfo) migration = { 0 };

    g_assert_no_error(err);
    g_assert_false(ds_qmp_blockdev_add(qmp, &overlay, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_QMP);
    g_assert_cmpstr(err->message, ==,
                    "domain 'fake': QEMU refused 'blockdev-add': Could not open '/nope.qcow2': "
                    "No such file or directory (GenericError)");
    g_clear_error(&err);
    g_assert_false(ds_qmp_query_status(qmp, &status, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_QMP);
    g_assert_cmpstr(err->message, ==,
                    "domain 'fake': QEMU's reply to 'query-status' does not fit its schema: "
                    "the reply is an array, not an object");
    g_assert_null(status.status);
    g_clear_error(&err);
    g_assert_false(ds_qmp_query_migrate(qmp, &migration, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_QEMU_GONE);
    g_assert_nonnull(strstr(err->message, "while running 'query-migrate'"));
    g_thread_join(t);
}

/* Another job's event first, then this job's, which failed. */
static void
peer_job_events(int fd)
{
    peer_handshake(fd);
    peer_write(fd, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 0}, \"event\": "
                   "\"BLOCK_JOB_COMPLETED\", \"data\": {\"device\": \"other\", \"len\": 1, "
                   "\"offset\": 1, \"speed\": 0, \"type\": \"stream\"}}\r\n");
    peer_write(fd, "{\"timestamp\": {\"seconds\": 2, \"microseconds\": 0}, \"event\": "
                   "\"BLOCK_JOB_COMPLETED\", \"data\": {\"device\": \"j1\", \"len\": 1, "
                   "\"offset\": 0, \"speed\": 0, \"type\": \"commit\", "
                   "\"error\": \"Input/output error\"}}\r\n");
    g_free(peer_read_command(fd, NULL, NULL)); /* waits for the close */
}

static void
test_block_job_event(void)
{
    g_autoptr(GError) err = NULL;
    GThread *t;
    g_autoptr(DsQmp) qmp = start(peer_job_events, &t, 2000, &err);

    g_assert_no_error(err);
    g_assert_false(ds_qmp_wait_block_job_event(qmp, "BLOCK_JOB_COMPLETED", "j1", 2000, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_FAILED);
    g_assert_cmpstr(err->message, ==, "domain 'fake': block job j1 failed: Input/output error");
    g_clear_pointer(&qmp, ds_qmp_free);
    g_thread_join(t);
}

static void
test_connect_missing_socket(void)
{
    g_autoptr(GError) err = NULL;

    g_assert_null(ds_qmp_connect("/nonexistent/qmp.sock", "web1", 100, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_QEMU_GONE);
    g_assert_nonnull(strstr(err->message, "domain 'web1'"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp/command-and-events", test_command_and_events);
    g_test_add_func("/qmp/qemu-dies-mid-command", test_qemu_dies);
    g_test_add_func("/qmp/timeout", test_timeout);
    g_test_add_func("/qmp/bad-greeting", test_bad_greeting);
    g_test_add_func("/qmp/fd-passing", test_fd_passing);
    g_test_add_func("/qmp/connect-missing-socket", test_connect_missing_socket);
    g_test_add_func("/qmp/deep-reply", test_deep_reply);
    g_test_add_func("/qmp/typed-failures", test_typed_failures);
    g_test_add_func("/qmp/block-job-event", test_block_job_event);
    return g_test_run();
}
