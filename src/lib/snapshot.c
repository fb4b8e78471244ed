/*
 * snapshot.c: snapshot-create and snapshot-revert. The library gathers the
 * request, checks it against the domain and the files, has the engine plan
 * it, and runs the plan; it holds the domain's lock throughout.
 */
#include "connection.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/snapshot_create.h"
#include "engine/snapshot_delete.h"
#include "engine/snapshot_plan.h"
#include "engine/snapshot_revert.h"
#include "formats/snapshot_config.h"
#include "store/snapshot_record_xml.h"
#include "lib/snapshot_xml_import.h"
#include "store/snapshot_record.h"
#include "util/ds_log.h"
#include "util/ds_names.h"

void
ds_snapshot_create_result_clear(DsSnapshotCreateResult *r)
{
    g_clear_pointer(&r->name, g_free);
    g_clear_pointer(&r->memory, g_free);
    g_clear_pointer(&r->live, g_free);
    g_clear_pointer(&r->plan, g_free);
}

static gboolean
parse_live(const char *live, DsSnapshotRequest *req, GError **error)
{
    if (!live)
        return TRUE;
    if (!strcmp(live, "auto")) {
        req->live = DS_LIVE_BACKGROUND;
        req->live_auto = TRUE;
        return TRUE;
    }
    req->live = ds_enum_from_string(&ds_live_mode_table, live);
    if (req->live <= 0) {
        req->live = DS_LIVE_NO;
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "--live=%s: the modes are 'background' and 'precopy'", live);
        return FALSE;
    }
    return TRUE;
}

static char *
absolute(const char *path)
{
    g_autofree char *cwd = g_get_current_dir();

    return g_canonicalize_filename(path, cwd);
}

static DsSnapshotRequest *
build_request(const DsSnapshotCreateOptions *o, GError **error)
{
    g_autoptr(DsSnapshotRequest) req = ds_snapshot_request_new();

    if (o->internal && (o->external || o->dir)) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "--internal conflicts with --external and --dir");
        return NULL;
    }
    req->name = g_strdup(o->name);
    req->description = g_strdup(o->description);
    req->internal = o->internal;
    req->external = o->external || o->dir;
    req->disk_only = o->disk_only;
    req->quiesce = o->quiesce;
    req->dir = o->dir ? absolute(o->dir) : NULL;
    if (!parse_live(o->live, req, error))
        return NULL;
    if (o->xml_path) {
        g_autoptr(DsSnapshotXml) def = NULL;
        if (o->config_path) {
            g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                        "give either a snapshot config or --xml, not both");
            return NULL;
        }
        def = ds_snapshot_xml_parse_file(o->xml_path, 0, error);
        if (!def || !ds_xml_to_request(def, o->xml_path, req, error))
            return NULL;
    }
    if (!ds_snapshot_config_load(o->config_path, o->overrides, req, error))
        return NULL;
    /* The default name is the creation time: a config's creationtime= too. */
    if (!req->name)
        req->name = g_strdup_printf("%" G_GINT64_FORMAT,
                                    req->creation_time > 0 ? req->creation_time
                                                           : g_get_real_time() / G_USEC_PER_SEC);
    if (!ds_name_check("snapshot", req->name, error))
        return NULL;
    return g_steal_pointer(&req);
}

/* Paths the plan will create must not exist: nothing is overwritten. */
static gboolean
check_paths(const DsSnapshotRequest *req, const DsSnapshotPlan *plan, const char *domain,
            GError **error)
{
    struct stat st;

    if (req->dir && lstat(req->dir, &st) == 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_EXISTS,
                    "--dir '%s' already exists; domsnap creates the snapshot's directory itself",
                    req->dir);
        return FALSE;
    }
    if (plan->memory_file && lstat(plan->memory_file, &st) == 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_EXISTS, "memory image '%s' already exists",
                    plan->memory_file);
        return FALSE;
    }
    for (guint i = 0; i < plan->disks->len; i++) {
        const DsDiskPlan *d = plan->disks->pdata[i];
        if (d->overlay && lstat(d->overlay, &st) == 0) {
            g_set_error(error, DS_ERROR, DS_ERROR_EXISTS,
                        "overlay '%s' for disk '%s' of domain '%s' already exists",
                        d->overlay, d->vdev, domain);
            return FALSE;
        }
        if (d->copy && lstat(d->copy, &st) == 0) {
            g_set_error(error, DS_ERROR, DS_ERROR_EXISTS,
                        "copy '%s' of disk '%s' of domain '%s' already exists", d->copy,
                        d->vdev, domain);
            return FALSE;
        }
        if (d->kind != DS_DISK_SNAP_NO && lstat(d->file, &st) < 0) {
            g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                        "disk '%s' of domain '%s': image '%s' is missing", d->vdev, domain,
                        d->file);
            return FALSE;
        }
    }
    return TRUE;
}

static DsSnapshotPlan *
plan_for(DsConnection *conn, DsDomainRecord *rec, DsDomainState state,
         const DsSnapshotRequest *req, GError **error)
{
    const DsDriverOps *drv = ds_driver_get(rec->driver, error);
    g_autofree char *dir = NULL;
    DsPlanInput in = { 0 };

    if (!drv)
        return NULL;
    dir = ds_snapshot_record_dir(conn->store, rec->name, req->name);
    in.domain = rec->name;
    in.running = state == DS_DOMAIN_RUNNING;
    in.paused = state == DS_DOMAIN_PAUSED;
    in.config = &rec->config;
    in.default_dir = dir;
    in.background_supported = req->live != DS_LIVE_NO &&
                              ds_driver_has_cap(drv, DS_DRIVER_CAP_BACKGROUND_SNAPSHOT) &&
                              drv->session.background_supported(rec);
    in.memory_stops_guest = drv->memory_stops_guest;
    in.copies_raw_disks = ds_driver_has_cap(drv, DS_DRIVER_CAP_COPY_DISK);
    in.no_external_disks = !ds_driver_has_cap(drv, DS_DRIVER_CAP_EXTERNAL_DISK);
    in.driver = drv->name;
    in.can_quiesce = ds_driver_has_cap(drv, DS_DRIVER_CAP_GUEST_AGENT);
    in.has_guest_agent = in.can_quiesce && drv->device.has_guest_agent(rec);
    return ds_snapshot_plan_create(&in, req, error);
}

static void
fill_result(DsSnapshotCreateResult *r, const DsSnapshotPlan *plan,
            const DsSnapshotOutcome *out)
{
    r->name = g_strdup(plan->name);
    r->memory = g_strdup(ds_enum_to_string(&ds_memory_mode_table, plan->memory));
    r->live = g_strdup(ds_enum_to_string(&ds_live_mode_table, plan->live));
    r->memory_bytes = out->memory_bytes;
    r->pause_us = out->pause_us;
    r->crash_consistent = plan->crash_consistent;
    r->plan = ds_snapshot_plan_describe(plan);
}

gboolean
ds_snapshot_create(DsConnection *conn, const char *domain,
                   const DsSnapshotCreateOptions *options, DsProgressFunc progress,
                   gpointer opaque, DsSnapshotCreateResult *result, GError **error)
{
    g_autoptr(DsSnapshotRequest) req = NULL;

    if (options->redefine) {
        if (!options->xml_path) {
            g_set_error(error, DS_ERROR, DS_ERROR_INVALID, "--redefine needs --xml FILE");
            return FALSE;
        }
        if (result)
            memset(result, 0, sizeof(*result));
        return ds_xml_redefine(conn, domain, options->xml_path, result ? &result->name : NULL,
                               error);
    }
    req = build_request(options, error);
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) rec = NULL;
    g_autoptr(DsSnapshotPlan) plan = NULL;
    DsSnapshotOutcome out = { -1, 0 };
    DsDomainState state;

    if (!req)
        return FALSE;
    rec = ds_conn_lock_domain(conn, domain, &lock, error);
    if (!rec || !ds_conn_domain_state(rec, &state, error))
        return FALSE;
    if (state == DS_DOMAIN_CRASHED) {
        g_set_error(error, DS_ERROR, DS_ERROR_STATE,
                    "domain '%s' has crashed; 'domsnap destroy %s' cleans it up", rec->name,
                    rec->name);
        return FALSE;
    }
    if (ds_snapshot_record_exists(conn->store, rec->name, req->name)) {
        g_set_error(error, DS_ERROR, DS_ERROR_EXISTS,
                    "snapshot '%s' already exists for domain '%s'", req->name, rec->name);
        return FALSE;
    }
    plan = plan_for(conn, rec, state, req, error);
    if (!plan || !check_paths(req, plan, rec->name, error))
        return FALSE;
    if (options->dry_run) {
        if (result)
            fill_result(result, plan, &out);
        return TRUE;
    }
    if (!ds_snapshot_create_run(conn->store, rec, ds_driver_get(rec->driver, NULL), plan,
                                req->description, progress, opaque, &out, error))
        return FALSE;
    if (result)
        fill_result(result, plan, &out);
    return TRUE;
}

/* SNAP, or the Xen design's snapshot config file that names it. */
static char *
snapshot_name(const char *arg, GError **error)
{
    g_autoptr(DsSnapshotRequest) req = NULL;

    if (!strchr(arg, '/') && !g_str_has_suffix(arg, ".cfg"))
        return g_strdup(arg);
    if (!g_file_test(arg, G_FILE_TEST_IS_REGULAR))
        return g_strdup(arg); /* ds_name_check will say what is wrong */
    req = ds_snapshot_request_new();
    if (!ds_snapshot_config_load(arg, NULL, req, error))
        return NULL;
    if (!req->name) {
        g_set_error(error, DS_ERROR, DS_ERROR_CONFIG,
                    "%s: a snapshot config used for a revert must say name=", arg);
        return NULL;
    }
    return g_steal_pointer(&req->name);
}

gboolean
ds_snapshot_revert(DsConnection *conn, const char *domain, const char *snapshot,
                   DsRevertState state, unsigned flags, DsProgressFunc progress,
                   gpointer opaque, GError **error)
{
    g_autofree char *name = snapshot_name(snapshot, error);
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) rec = NULL;
    g_autoptr(DsSnapshotRecord) snap = NULL;
    g_autoptr(GPtrArray) all = NULL;

    if (!name)
        return FALSE;
    rec = ds_conn_lock_domain(conn, domain, &lock, error);
    if (!rec)
        return FALSE;
    snap = ds_snapshot_record_load(conn->store, rec->name, name, error);
    if (!snap)
        return FALSE;
    all = ds_snapshot_record_list(conn->store, rec->name, error);
    if (!all)
        return FALSE;
    return ds_snapshot_revert_run(conn->store, conn->lock_timeout_ms, rec, snap, all,
                                  (DsRevertTarget)state, flags, progress, opaque, error);
}

char *
ds_snapshot_dumpxml(DsConnection *conn, const char *domain, const char *snapshot,
                    gboolean with_domain, GError **error)
{
    g_autoptr(DsDomainRecord) rec = ds_conn_find_domain(conn, domain, error);
    g_autoptr(DsSnapshotRecord) snap = NULL;

    if (!rec)
        return NULL;
    snap = ds_snapshot_record_load(conn->store, rec->name, snapshot, error);
    return snap ? ds_snapshot_record_to_xml(snap, rec->driver, with_domain) : NULL;
}

gboolean
ds_snapshot_delete(DsConnection *conn, const char *domain, const char *snapshot,
                   unsigned flags, GError **error)
{
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) rec = NULL;
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    const DsDriverOps *drv;
    gboolean ok;

    if (!ds_name_check("snapshot", snapshot, error))
        return FALSE;
    if ((flags & DS_SNAPSHOT_DELETE_CHILDREN) && (flags & DS_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "--children and --children-only exclude each other");
        return FALSE;
    }
    rec = ds_conn_lock_domain(conn, domain, &lock, error);
    if (!rec || !(drv = ds_driver_get(rec->driver, error)))
        return FALSE;
    ok = ds_snapshot_delete_run(conn->store, rec, drv, snapshot, flags, warnings, error);
    for (guint i = 0; i < warnings->len; i++)
        ds_log_warning("%s", (const char *)warnings->pdata[i]);
    return ok;
}
