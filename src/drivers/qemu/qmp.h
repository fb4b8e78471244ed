/*
 * qmp: a client for the QEMU Machine Protocol over a unix socket.
 *
 * Synchronous by design (domsnap holds the domain's lock while it talks to
 * QEMU): a command is sent with an id and its reply is awaited, with a
 * timeout; events that arrive meanwhile are queued with QEMU's timestamps,
 * so that callers can measure e.g. the guest's pause from STOP to RESUME.
 *
 * This is the transport; the commands are in qmp_commands.h, and only it
 * (through qmp_wire.h) sends JSON.
 */
#pragma once

#include <glib.h>

typedef struct _DsQmp DsQmp;
struct json_object;

typedef struct {
    char *name;
    struct json_object *data; /* may be NULL; read through qmp_commands.h */
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

/* The domain's name, as errors give it. */
const char *ds_qmp_who(DsQmp *qmp);

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
