/*
 * xen_ctx: domsnap's one libxl context, and libxl's asynchronous
 * operations turned into calls that wait for their completion event.
 *
 * Every long libxl call (suspend, restore, destroy, ...) is started with an
 * ao_how that asks for a completion event, and domsnap waits for that
 * event in libxl's own event loop, as libxl's documentation asks of a
 * program that has no event loop of its own.
 */
#pragma once

#include <glib.h>
#include <libxl.h>
#include <libxl_utils.h>

/* The process's libxl context (made on first use). */
libxl_ctx *ds_xen_ctx(GError **error);

/* An ao_how that reports completion as an event with a fresh id. */
libxl_asyncop_how ds_xen_ao(void);

/*
 * Waits for the completion of the operation that @how started (@rc is what
 * the starting call returned). @what and @domain are for the message.
 */
gboolean ds_xen_complete(libxl_ctx *ctx, int rc, const libxl_asyncop_how *how,
                         const char *what, const char *domain, GError **error);

/*
 * The same, and @seen(event, @user) is called for each other event libxl
 * reports meanwhile (when it is reported: it can time it).
 */
gboolean ds_xen_complete_watching(libxl_ctx *ctx, int rc, const libxl_asyncop_how *how,
                                  void (*seen)(const libxl_event *ev, void *user),
                                  void *user, const char *what, const char *domain,
                                  GError **error);

/* Sets a DS_ERROR for a libxl error code. */
gboolean ds_xen_fail(int rc, const char *what, const char *domain, GError **error);

/*
 * The domid of @domain (a name or a domid) and its name; NULL with
 * DS_ERROR_NOT_FOUND if Xen has no such domain.
 */
char *ds_xen_find(libxl_ctx *ctx, const char *domain, uint32_t *domid, GError **error);

/* TRUE if @domid is still the domain called @name (domids are reused). */
gboolean ds_xen_is(libxl_ctx *ctx, uint32_t domid, const char *name);

/* TRUE if Xen runs the domain recorded as @name with id @id (-1: none). */
gboolean ds_xen_runs(libxl_ctx *ctx, gint64 id, const char *name);

/* libxl's calls that take a domain and an ao_how (pause, unpause, destroy,
 * shutdown; ds_xen_resume_from_suspend). */
typedef int (*DsXenDomainCall)(libxl_ctx *ctx, uint32_t domid, const libxl_asyncop_how *how);

/* Starts @fn on @domid and waits for its completion. */
gboolean ds_xen_call(libxl_ctx *ctx, DsXenDomainCall fn, uint32_t domid, const char *what,
                     const char *domain, GError **error);

/* libxl_domain_resume with suspend_cancel: the guest goes on from its
 * suspend, as after `xl save -p` or a failed save. */
int ds_xen_resume_from_suspend(libxl_ctx *ctx, uint32_t domid, const libxl_asyncop_how *how);
