/*
 * snapshot_xml_import.c: `snapshot-create --xml FILE [--redefine]`, as
 * virsh snapshot-create does: a description of a snapshot to take, or the
 * record of one that exists.
 */
#include "snapshot_xml_import.h"

#include <glib/gstdio.h>
#include <string.h>

#include "formats/diskspec.h"
#include "formats/domain_xml.h"
#include "store/snapshot_record_xml.h"
#include "store/snapshot_record.h"
#include "util/ds_file.h"
#include "util/ds_names.h"

static gboolean G_GNUC_PRINTF(4, 5)
fail(GError **error, const char *path, int line, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, DS_ERROR, DS_ERROR_INVALID, "%s:%d: %s", path, line, msg);
    return FALSE;
}

/* What domsnap can take of a <disk>: files, qcow2 overlays. */
static gboolean
check_disk(const DsXmlDisk *d, const char *path, GError **error)
{
    if (d->type && strcmp(d->type, "file") != 0)
        return fail(error, path, d->line, "disk '%s': type '%s' is not supported by domsnap "
                    "(its overlays are files)", d->name, d->type);
    if (d->driver_type && strcmp(d->driver_type, "qcow2") != 0)
        return fail(error, path, d->line, "disk '%s': domsnap's overlays are qcow2, not '%s'",
                    d->name, d->driver_type);
    /* What domsnap writes for a Xen raw disk's full copy, whose file the XML
     * does not name: it cannot be taken or redefined from XML. */
    if (d->snapshot == DS_DISK_SNAP_COPY)
        return fail(error, path, d->line, "disk '%s': snapshot='manual' (a full copy of a "
                    "raw image, which the XML does not name) cannot be given in XML; "
                    "take the snapshot with snapshot-create instead", d->name);
    return TRUE;
}

gboolean
ds_xml_to_request(const DsSnapshotXml *def, const char *path, DsSnapshotRequest *req,
                  GError **error)
{
    if (def->name) {
        g_autoptr(GError) local = NULL;
        if (!ds_name_check("snapshot", def->name, &local))
            return fail(error, path, 0, "%s", local->message);
        g_free(req->name);
        req->name = g_strdup(def->name);
    }
    if (def->description) {
        g_free(req->description);
        req->description = g_strdup(def->description);
    }
    if (def->memory)
        req->memory = def->memory;
    if (def->memory_file) {
        g_free(req->memory_path);
        req->memory_path = g_strdup(def->memory_file);
    }
    for (guint i = 0; def->disks && i < def->disks->len; i++) {
        const DsXmlDisk *d = def->disks->pdata[i];
        DsDiskRequest *r;

        if (!check_disk(d, path, error))
            return FALSE;
        if (ds_snapshot_request_disk(req, d->name))
            return fail(error, path, d->line, "disk '%s' is listed twice", d->name);
        r = g_new0(DsDiskRequest, 1);
        r->vdev = g_strdup(d->name);
        r->mode = d->snapshot;
        r->overlay = g_strdup(d->source_file);
        r->where = g_strdup_printf("%s:%d", path, d->line);
        g_ptr_array_add(req->disks, r);
    }
    return TRUE;
}

/* ---- redefine ---- */

/* domsnap's own config, from the <metadata> of a domain it wrote. */
static DsDomainConfig *
config_from_metadata(const DsSnapshotXml *def, const char *path, GError **error)
{
    xmlNode *meta = NULL;

    for (xmlNode *c = def->domain ? def->domain->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "metadata"))
            meta = c;
    for (xmlNode *c = meta ? meta->children : NULL; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && c->ns &&
            !strcmp((const char *)c->ns->href, DS_XML_NAMESPACE)) {
            xmlChar *text = xmlNodeGetContent(c);
            DsDomainConfig *config = g_new0(DsDomainConfig, 1);
            json_object *j = ds_json_parse((const char *)text, strlen((const char *)text),
                                           path, error);
            gboolean ok = j && ds_record_from_json(&ds_domain_config_type, j, config, path, error);
            if (j)
                json_object_put(j);
            xmlFree(text);
            if (!ok) {
                ds_domain_config_free(config);
                return NULL;
            }
            return config;
        }
    }
    return NULL;
}

static gboolean
redefine_disks(DsSnapshotRecord *rec, const DsSnapshotXml *def, const char *path,
               GError **error)
{
    rec->disks = g_ptr_array_new();
    for (guint i = 0; rec->config.disks && i < rec->config.disks->len; i++) {
        const DsDomainDisk *dd = rec->config.disks->pdata[i];
        DsSnapshotDisk *sd = g_new0(DsSnapshotDisk, 1);
        const DsXmlDisk *x = NULL;

        for (guint j = 0; def->disks && j < def->disks->len; j++)
            if (!strcmp(((DsXmlDisk *)def->disks->pdata[j])->name, dd->vdev))
                x = def->disks->pdata[j];
        g_ptr_array_add(rec->disks, sd);
        sd->vdev = g_strdup(dd->vdev);
        sd->kind = x && x->snapshot ? x->snapshot : DS_DISK_SNAP_NO;
        sd->file = g_strdup(dd->pdev_path);
        sd->format = dd->format;
        if (x && !check_disk(x, path, error))
            return FALSE;
        if (sd->kind == DS_DISK_SNAP_EXTERNAL) {
            if (!x->source_file)
                return fail(error, path, x->line, "disk '%s': an external snapshot needs "
                            "<source file=...>", x->name);
            sd->overlay = g_strdup(x->source_file);
        }
        if (sd->kind != DS_DISK_SNAP_NO && !g_file_test(sd->file, G_FILE_TEST_IS_REGULAR))
            return fail(error, path, x ? x->line : 0, "disk '%s': image '%s' does not exist",
                        sd->vdev, sd->file);
    }
    for (guint j = 0; def->disks && j < def->disks->len; j++) {
        const DsXmlDisk *x = def->disks->pdata[j];
        if (!ds_snapshot_record_disk(rec, x->name))
            return fail(error, path, x->line, "domain '%s' has no disk '%s'", rec->domain,
                        x->name);
    }
    return TRUE;
}

static gboolean
redefine_state(DsSnapshotRecord *rec, const DsSnapshotXml *def, const char *path,
               GError **error)
{
    const char *s = def->state ? def->state : "shutoff";

    if (!strcmp(s, "disk-snapshot")) {
        rec->domain_state = g_strdup("running");
        rec->crash_consistent = TRUE;
    } else if (!strcmp(s, "running") || !strcmp(s, "paused") || !strcmp(s, "shutoff")) {
        rec->domain_state = g_strdup(s);
    } else {
        return fail(error, path, 0, "snapshot state '%s' is not one domsnap can revert to "
                    "(running, paused, shutoff, disk-snapshot)", s);
    }
    rec->memory.kind = def->memory ? def->memory : DS_MEMORY_NO;
    rec->memory.file = g_strdup(def->memory_file);
    if (rec->memory.kind == DS_MEMORY_EXTERNAL &&
        (!rec->memory.file || !g_file_test(rec->memory.file, G_FILE_TEST_IS_REGULAR)))
        return fail(error, path, def->memory_line, "memory image '%s' does not exist",
                    rec->memory.file ? rec->memory.file : "(none given)");
    if (rec->memory.kind == DS_MEMORY_EXTERNAL) {
        GStatBuf st;
        if (g_stat(rec->memory.file, &st) == 0)
            rec->memory.bytes = st.st_size;
    }
    if (rec->memory.kind == DS_MEMORY_INTERNAL)
        return fail(error, path, def->memory_line, "redefining a snapshot with internal "
                    "memory is not supported (its vmstate cannot be checked)");
    return TRUE;
}

static DsSnapshotRecord *
record_from_xml(DsConnection *conn, const DsDomainRecord *dom, const DsSnapshotXml *def,
                const char *path, GError **error)
{
    g_autoptr(DsSnapshotRecord) rec = g_new0(DsSnapshotRecord, 1);
    g_autoptr(DsDomainConfig) config = NULL;
    GError *local = NULL;

    if (!def->name) {
        fail(error, path, 1, "a redefined snapshot needs a <name>");
        return NULL;
    }
    if (!ds_name_check("snapshot", def->name, error))
        return NULL;
    rec->name = g_strdup(def->name);
    rec->domain = g_strdup(dom->name);
    rec->description = g_strdup(def->description);
    rec->creation_time = def->creation_time ? def->creation_time : g_get_real_time() / G_USEC_PER_SEC;
    rec->parent = g_strdup(def->parent);
    rec->pause_us = -1;
    /* The config as it was: domsnap's own, if it wrote this XML; else today's. */
    config = config_from_metadata(def, path, &local);
    if (local) {
        g_propagate_error(error, local);
        return NULL;
    }
    if (!config)
        config = ds_record_copy(&ds_domain_config_type, &dom->config);
    ds_record_move(&ds_domain_config_type, &rec->config, config);
    g_clear_pointer(&config, g_free);
    if (!redefine_state(rec, def, path, error) || !redefine_disks(rec, def, path, error))
        return NULL;
    rec->dir = rec->memory.file ? g_path_get_dirname(rec->memory.file)
                                : ds_snapshot_record_dir(conn->store, dom->name, def->name);
    return g_steal_pointer(&rec);
}

/* A snapshot of another domain (its <domain><uuid>) is not this one's:
 * virsh refuses to redefine it too. */
static gboolean
same_domain(const DsDomainRecord *dom, const DsSnapshotXml *def, const char *path,
            GError **error)
{
    g_autofree char *uuid = ds_snapshot_xml_domain_uuid(def);

    if (!uuid || !dom->config.c_info.uuid ||
        !g_ascii_strcasecmp(uuid, dom->config.c_info.uuid))
        return TRUE;
    g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                "%s: the snapshot is of the domain with UUID %s, and domain '%s' has UUID %s; "
                "nothing was redefined", path, uuid, dom->name, dom->config.c_info.uuid);
    return FALSE;
}

gboolean
ds_xml_redefine(DsConnection *conn, const char *domain, const char *path, char **name_out,
                GError **error)
{
    g_autoptr(DsSnapshotXml) def = ds_snapshot_xml_parse_file(path, DS_XML_PARSE_REDEFINE, error);
    g_autoptr(DsLock) lock = NULL;
    g_autoptr(DsDomainRecord) dom = NULL;
    g_autoptr(DsSnapshotRecord) rec = NULL;

    if (!def)
        return FALSE;
    dom = ds_conn_lock_domain(conn, domain, &lock, error);
    if (!dom)
        return FALSE;
    if (!same_domain(dom, def, path, error))
        return FALSE;
    if (def->name && ds_snapshot_record_exists(conn->store, dom->name, def->name)) {
        g_set_error(error, DS_ERROR, DS_ERROR_EXISTS,
                    "snapshot '%s' already exists for domain '%s'", def->name, dom->name);
        return FALSE;
    }
    rec = record_from_xml(conn, dom, def, path, error);
    if (!rec || !ds_snapshot_record_save(conn->store, rec, error))
        return FALSE;
    if (name_out)
        *name_out = g_strdup(rec->name);
    return TRUE;
}
