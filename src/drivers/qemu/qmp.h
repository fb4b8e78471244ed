/*
 * qmp: a client for the QEMU Machine Protocol over a unix socket.
 *
 * Synchronous by design (domsnap holds the domain's lock while it talks to
 * QEMU): a command is sent with an id and its reply is awaited, with a
 * timeout; events that arrive meanwhile are queued with QEMU's timestamps,
 * so that callers can measure e.g. the guest's pause from STOP to RESUME.
 */
#pragma once

#include <glib.h>
#include <json-c/json.h>

typedef struct _DsQmp DsQmp;

typedef struct {
    char *name;
    json_object *data;   /* may be NULL */
    gint64 timestamp_us; /* QEMU's clock, microseconds since the epoch */
} DsQmpEvent;

void ds_qmp_event_free(DsQmpEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsQmpEvent, ds_qmp_event_free)

/*
 * Connects, reads the greeting and negotiates capabilities. @timeout_ms
 * bounds each wait (connect, every reply). @who names the domain in errors.
 */
DsQmp *ds_qmp_connect(const char *socket_path, const char *who, int timeout_ms,
                      GError **error);

/* The same over an already connected socket (takes ownership of @fd). */
DsQmp *ds_qmp_open_fd(int fd, const char *who, int timeout_ms, GError **error);

void ds_qmp_free(DsQmp *qmp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsQmp, ds_qmp_free)

void ds_qmp_set_timeout(DsQmp *qmp, int timeout_ms);

/*
 * Runs @command with @args (taken over; may be NULL). Returns the "return"
 * member (a new reference; an empty object if QEMU returned none), or NULL
 * with an error carrying QEMU's class and description.
 */
json_object *ds_qmp_command(DsQmp *qmp, const char *command, json_object *args,
                            GError **error);

/* Like ds_qmp_command(), and passes @fd along with it (SCM_RIGHTS). */
json_object *ds_qmp_command_fd(DsQmp *qmp, const char *command,
                               json_object *args, int fd, GError **error);

/* Runs @command and discards its result. */
gboolean ds_qmp_run(DsQmp *qmp, const char *command, json_object *args,
                    GError **error);

/* getfd: hands @fd to QEMU under @fdname (for "fd:NAME" URIs). */
gboolean ds_qmp_getfd(DsQmp *qmp, int fd, const char *fdname, GError **error);

/* add-fd: puts @fd in an fd set (a new one if @fdset_id < 0); returns its id. */
gint64 ds_qmp_add_fd(DsQmp *qmp, int fd, gint64 fdset_id, GError **error);

/*
 * Waits for the event @name (or takes it from the queue), up to
 * @timeout_ms. Other events stay queued.
 */
DsQmpEvent *ds_qmp_wait_event(DsQmp *qmp, const char *name, int timeout_ms,
                              GError **error);

/* Takes a queued event @name without waiting, or NULL. */
DsQmpEvent *ds_qmp_take_event(DsQmp *qmp, const char *name);

/* Reads whatever QEMU has sent, without blocking (queues events). */
gboolean ds_qmp_poll_events(DsQmp *qmp, GError **error);
