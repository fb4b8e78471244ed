/*
 * The QMP client's side of the conversation: the input is everything
 * "QEMU" says (greeting, replies, events, in any order and any shape),
 * written into a socketpair whose far end then closes for writing, so
 * every read ends in data or EOF, never in a wait. The client negotiates,
 * runs typed commands (query-status and query-migrate, whose replies are
 * parsed into structs), passes an fd (getfd), and takes the events.
 */
#include "fuzz.h"

#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drivers/qemu/qmp.h"
#include "drivers/qemu/qmp_commands.h"

/* Well below a unix socket's send buffer: the write never blocks. */
#define FUZZ_QMP_MAX_INPUT (96 * 1024)

static void
converse(DsQmp *qmp)
{
    g_autoptr(GError) err = NULL;
    g_auto(DsQmpStatusInfo) status = { 0 };
    g_auto(DsQmpMigrationInfo) migration = { 0 };
    int fd;

    if (!ds_qmp_query_status(qmp, &status, &err))
        fuzz_assert(err && strstr(err->message, "domain 'fz'"),
                    "a refusal that does not name the domain: %s", err ? err->message : "-");
    g_clear_error(&err);
    if (!ds_qmp_query_migrate(qmp, &migration, &err))
        fuzz_assert(err && err->message, "a refusal without a message");
    g_clear_error(&err);
    fd = memfd_create("fuzz-qmp", MFD_CLOEXEC);
    if (fd < 0)
        abort();
    ds_qmp_getfd(qmp, fd, "fuzz", &err);
    close(fd);
    g_clear_error(&err);
    {
        g_autoptr(DsQmpEvent) stop = ds_qmp_wait_event(qmp, "STOP", 0, &err);
        g_autoptr(DsQmpEvent) resume = NULL;
        g_clear_error(&err);
        ds_qmp_poll_events(qmp, &err);
        resume = ds_qmp_take_event(qmp, "RESUME");
        if (stop && resume)
            (void)(resume->timestamp_us - stop->timestamp_us);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int sv[2];
    g_autoptr(GError) err = NULL;
    g_autoptr(DsQmp) qmp = NULL;

    if (size > FUZZ_QMP_MAX_INPUT)
        return 0;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        abort();
    if (size && write(sv[1], data, size) != (ssize_t)size)
        abort();
    shutdown(sv[1], SHUT_WR);
    qmp = ds_qmp_open_fd(sv[0], "fz", 1000, &err);
    if (qmp)
        converse(qmp);
    else
        fuzz_assert(err && err->message, "a refusal without a message");
    close(sv[1]);
    return 0;
}
