#include "xen_ctx.h"

#include <stdlib.h>
#include <string.h>

#include "domsnap.h"

static libxl_ctx *ctx;
static xentoollog_logger_stdiostream *logger;
static libxl_ev_user last_id;

libxl_ctx *
ds_xen_ctx(GError **error)
{
    int rc;

    if (ctx)
        return ctx;
    /* libxl's own messages go to stderr; DOMSNAP_DEBUG_XEN shows them all. */
    logger = xtl_createlogger_stdiostream(stderr,
                                          g_getenv("DOMSNAP_DEBUG_XEN") ? XTL_DEBUG : XTL_ERROR,
                                          0);
    rc = libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, (xentoollog_logger *)logger);
    if (rc) {
        ctx = NULL;
        g_set_error(error, DS_ERROR, DS_ERROR_UNSUPPORTED,
                    "cannot talk to Xen through libxl (%s): is this a Xen control domain "
                    "with xenstored running?", libxl_error_to_string(rc));
        return NULL;
    }
    return ctx;
}

libxl_asyncop_how
ds_xen_ao(void)
{
    libxl_asyncop_how how = { 0 };

    how.u.for_event = ++last_id;
    return how;
}

gboolean
ds_xen_fail(int rc, const char *what, const char *domain, GError **error)
{
    g_set_error(error, DS_ERROR, rc == ERROR_DOMAIN_NOTFOUND ? DS_ERROR_NOT_FOUND : DS_ERROR_FAILED,
                "domain '%s': libxl could not %s (%s)", domain, what,
                libxl_error_to_string(rc));
    return FALSE;
}

typedef struct {
    libxl_ev_user id;
    void (*seen)(const libxl_event *ev, void *user);
    void *user;
} Waiting;

static int
is_completion(const libxl_event *ev, void *user)
{
    Waiting *w = user;

    if (ev->type == LIBXL_EVENT_TYPE_OPERATION_COMPLETE && ev->for_user == w->id)
        return 1;
    if (w->seen)
        w->seen(ev, w->user);
    return 0;
}

gboolean
ds_xen_complete(libxl_ctx *c, int rc, const libxl_asyncop_how *how, const char *what,
                const char *domain, GError **error)
{
    return ds_xen_complete_watching(c, rc, how, NULL, NULL, what, domain, error);
}

gboolean
ds_xen_complete_watching(libxl_ctx *c, int rc, const libxl_asyncop_how *how,
                         void (*seen)(const libxl_event *ev, void *user), void *user,
                         const char *what, const char *domain, GError **error)
{
    Waiting w = { how->u.for_event, seen, user };
    libxl_event *ev = NULL;

    if (rc)
        return ds_xen_fail(rc, what, domain, error);
    rc = libxl_event_wait(c, &ev, LIBXL_EVENTMASK_ALL, is_completion, &w);
    if (rc)
        return ds_xen_fail(rc, what, domain, error);
    rc = ev->u.operation_complete.rc;
    libxl_event_free(c, ev);
    return rc == 0 || ds_xen_fail(rc, what, domain, error);
}

char *
ds_xen_find(libxl_ctx *c, const char *domain, uint32_t *domid, GError **error)
{
    char *end = NULL;
    unsigned long id = strtoul(domain, &end, 10);
    char *name;

    if (*domain && end && *end == '\0')
        *domid = id;
    else if (libxl_name_to_domid(c, domain, domid) != 0)
        *domid = (uint32_t)INVALID_DOMID;
    name = *domid == (uint32_t)INVALID_DOMID ? NULL : libxl_domid_to_name(c, *domid);
    if (!name) {
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                    "Xen has no domain '%s' ('xl list' shows the domains)", domain);
        return NULL;
    }
    return name;
}

gboolean
ds_xen_runs(libxl_ctx *c, gint64 id, const char *name)
{
    return id >= 0 && ds_xen_is(c, id, name);
}

gboolean
ds_xen_call(libxl_ctx *c, DsXenDomainCall fn, uint32_t domid, const char *what,
            const char *domain, GError **error)
{
    libxl_asyncop_how how = ds_xen_ao();

    return ds_xen_complete(c, fn(c, domid, &how), &how, what, domain, error);
}

int
ds_xen_resume_from_suspend(libxl_ctx *c, uint32_t domid, const libxl_asyncop_how *how)
{
    return libxl_domain_resume(c, domid, 1, how);
}

gboolean
ds_xen_is(libxl_ctx *c, uint32_t domid, const char *name)
{
    char *now = libxl_domid_to_name(c, domid);
    gboolean same = now && strcmp(now, name) == 0;

    free(now);
    return same;
}
