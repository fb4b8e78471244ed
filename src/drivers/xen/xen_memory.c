/*
 * xen_memory: the guest's memory through libxl's save stream, written
 * after domsnap's header into the memory image, and read back by
 * libxl_domain_create_restore, which rebuilds the domain from the recorded
 * libxl config, as `xl save -p` and `xl restore` do.
 */
#include "xen_session.h"

#include "domsnap.h"
#include "xen_config.h"

/* The suspend stops the guest when it answers it: libxl reports that as a
 * shutdown (reason suspend) of the domain. */
static void
note_suspend(const libxl_event *ev, void *user)
{
    DsDriverSession *s = user;

    if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN && ev->domid == s->domid)
        ds_xen_session_stopped(s, g_get_monotonic_time());
}

static gboolean
is_paused(DsDriverSession *s)
{
    libxl_dominfo info;
    gboolean paused = FALSE;

    libxl_dominfo_init(&info);
    if (libxl_domain_info(s->ctx, &info, s->domid) == 0)
        paused = info.paused;
    libxl_dominfo_dispose(&info);
    return paused;
}

/* After the save: the domain continues from the suspend, but stopped
 * (`xl save -p`), so that the disks can be taken at the same instant. */
static gboolean
stay_stopped(DsDriverSession *s, GError **error)
{
    return ds_xen_call(s->ctx, libxl_domain_pause, s->domid, "pause it", s->name, error) &&
           ds_xen_call(s->ctx, ds_xen_resume_from_suspend, s->domid,
                       "resume it after the save", s->name, error);
}

gboolean
ds_xen_memory_save(DsDriverSession *s, DsLiveMode live, GError **error)
{
    libxl_evgen_domain_death *watch = NULL;
    libxl_asyncop_how how;
    gint64 start = g_get_monotonic_time();
    gboolean ok;
    int rc;

    /* A paused guest cannot answer the suspend request: it runs for the
     * moment of the save, then stays paused (the plan has no resume). */
    if (is_paused(s) && !ds_xen_call(s->ctx, libxl_domain_unpause, s->domid,
                                     "unpause it for the save", s->name, error))
        return FALSE;
    libxl_evenable_domain_death(s->ctx, s->domid, 0, &watch);
    how = ds_xen_ao();
    rc = libxl_domain_suspend(s->ctx, s->domid, s->mem_fd,
                              live == DS_LIVE_PRECOPY ? LIBXL_SUSPEND_LIVE : 0, &how);
    ok = ds_xen_complete_watching(s->ctx, rc, &how, note_suspend, s, "save its memory",
                                  s->name, error);
    if (watch)
        libxl_evdisable_domain_death(s->ctx, watch);
    if (!ok)
        return FALSE; /* libxl resumes the guest when a save fails */
    /* Not seen (no event): a non-live save stops it at once. */
    ds_xen_session_stopped(s, live == DS_LIVE_PRECOPY ? g_get_monotonic_time() : start);
    return stay_stopped(s, error);
}

gboolean
ds_xen_memory_wait(DsDriverSession *s, DsProgressFunc progress, gpointer opaque,
                   GError **error)
{
    return TRUE; /* ds_xen_memory_save waits for libxl's completion itself */
}

static gboolean
create(libxl_ctx *ctx, libxl_domain_config *c, int fd, uint32_t *domid, const char *name,
       GError **error)
{
    libxl_asyncop_how how = ds_xen_ao();
    libxl_domain_restore_params params;
    gboolean ok;
    int rc;

    if (fd < 0) {
        rc = libxl_domain_create_new(ctx, c, domid, &how, NULL);
        return ds_xen_complete(ctx, rc, &how, "create it", name, error);
    }
    libxl_domain_restore_params_init(&params);
    params.checkpointed_stream = LIBXL_CHECKPOINTED_STREAM_NONE;
    params.stream_version = 2; /* what libxl_domain_suspend writes */
    rc = libxl_domain_create_restore(ctx, c, domid, fd, -1, &params, &how, NULL);
    ok = ds_xen_complete(ctx, rc, &how, "restore it from its memory image", name, error);
    libxl_domain_restore_params_dispose(&params);
    return ok;
}

gboolean
ds_xen_restore(DsDomainRecord *rec, int fd, gboolean paused, GError **error)
{
    libxl_ctx *ctx = ds_xen_ctx(error);
    libxl_domain_config c;
    uint32_t domid = INVALID_DOMID;
    gboolean ok;

    if (!ctx || !ds_xen_config_to_libxl(ctx, &rec->config, &c, error))
        return FALSE;
    ok = create(ctx, &c, fd, &domid, rec->name, error);
    libxl_domain_config_dispose(&c);
    if (!ok)
        return FALSE; /* libxl destroys what it half made */
    rec->id = domid;
    rec->start_time = g_get_real_time() / G_USEC_PER_SEC;
    /* libxl leaves a new domain paused */
    return paused || ds_xen_call(ctx, libxl_domain_unpause, domid, "unpause it", rec->name, error);
}
