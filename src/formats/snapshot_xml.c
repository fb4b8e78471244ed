/*
 * snapshot_xml.c: the <domainsnapshot> document, read with libxml2 and
 * written by hand in libvirt's style.
 */
#include "snapshot_xml.h"

#include <libxml/parser.h>
#include <string.h>

#include "domsnap.h"
#include "formats/snapshot_types.h"
#include "formats/xml_writer.h"

static const char *const states[] = {
    "nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed",
    "pmsuspended", "disk-snapshot", NULL,
};

/* libvirt's disk snapshot modes; 'manual' (a state kept by other means)
 * is domsnap's full copy (xen's raw disks). */
DS_ENUM_TABLE(xml_disk_snap_table, "disk snapshot mode", NULL, "no", "internal", "external",
              "manual");
G_STATIC_ASSERT(DS_DISK_SNAP_COPY == 4);

void
ds_snapshot_xml_disk_free(gpointer p)
{
    DsXmlDisk *d = p;

    g_free(d->name);
    g_free(d->type);
    g_free(d->driver_type);
    g_free(d->source_file);
    g_free(d);
}

void
ds_snapshot_xml_free(DsSnapshotXml *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->description);
    g_free(def->state);
    g_free(def->parent);
    g_free(def->memory_file);
    if (def->disks)
        g_ptr_array_unref(def->disks);
    if (def->doc)
        xmlFreeDoc(def->doc); /* the kept nodes belong to it */
    g_free(def);
}

static gboolean G_GNUC_PRINTF(4, 5)
fail(GError **error, const char *where, xmlNode *node, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, DS_ERROR, DS_ERROR_INVALID, "%s:%ld: %s", where,
                node ? xmlGetLineNo(node) : 0L, msg);
    return FALSE;
}

static char *
prop(xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    char *s = v ? g_strdup((const char *)v) : NULL;

    xmlFree(v);
    return s;
}

static char *
content(xmlNode *node)
{
    xmlChar *v = xmlNodeGetContent(node);
    char *s = g_strdup(v ? (const char *)v : "");

    xmlFree(v);
    return s;
}

static gboolean
is(xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

static xmlNode *
child(xmlNode *node, const char *name)
{
    for (xmlNode *c = node->children; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

/* An element that says nothing (<source/>, <driver/>) is as if absent. */
static gboolean
says_something(xmlNode *node)
{
    if (node->properties)
        return TRUE;
    for (xmlNode *c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return TRUE;
    return FALSE;
}

static gboolean
parse_source(DsXmlDisk *d, xmlNode *src, const char *where, GError **error)
{
    static const char *const allowed[] = { "file", "dev", "protocol", "name", NULL };

    for (xmlAttr *a = src->properties; a; a = a->next)
        if (!g_strv_contains(allowed, (const char *)a->name))
            return fail(error, where, src, "disk '%s': attribute '%s' is not allowed on a "
                        "snapshot's <source>", d->name, (const char *)a->name);
    for (xmlNode *c = src->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is(c, "seclabel") && g_strcmp0(d->type, "network") == 0)
            return fail(error, where, c, "disk '%s': a network source takes no <seclabel>",
                        d->name);
        if (!is(c, "seclabel") && !is(c, "host"))
            return fail(error, where, c, "disk '%s': <%s> is not allowed in a snapshot's "
                        "<source>", d->name, (const char *)c->name);
    }
    d->source_file = prop(src, "file");
    if (says_something(src))
        d->source = src;
    return TRUE;
}

static gboolean
parse_disk(DsSnapshotXml *def, xmlNode *node, const char *where, GError **error)
{
    DsXmlDisk *d = g_new0(DsXmlDisk, 1);
    g_autofree char *snap = prop(node, "snapshot");
    xmlNode *src = child(node, "source"), *drv = child(node, "driver");

    g_ptr_array_add(def->disks, d);
    d->line = xmlGetLineNo(node);
    d->name = prop(node, "name");
    d->type = prop(node, "type");
    if (!d->name)
        return fail(error, where, node, "a <disk> needs a name");
    if (snap) {
        d->snapshot = ds_enum_from_string(&xml_disk_snap_table, snap);
        if (d->snapshot <= 0)
            return fail(error, where, node, "disk '%s': unknown snapshot mode '%s' (no, "
                        "internal, external or manual)", d->name, snap);
    }
    if (d->type && strcmp(d->type, "file") && strcmp(d->type, "block") &&
        strcmp(d->type, "network"))
        return fail(error, where, node, "disk '%s': unknown type '%s'", d->name, d->type);
    if (src && !parse_source(d, src, where, error))
        return FALSE;
    if (drv) {
        d->driver_type = prop(drv, "type");
        if (says_something(drv))
            d->driver = drv;
    }
    /* A source or a driver makes the snapshot external, as in libvirt. */
    if (!d->snapshot && (d->source || d->driver))
        d->snapshot = DS_DISK_SNAP_EXTERNAL;
    if (d->snapshot == DS_DISK_SNAP_EXTERNAL && !d->type)
        d->type = g_strdup("file");
    if (d->snapshot != DS_DISK_SNAP_EXTERNAL && (d->source || d->driver))
        return fail(error, where, node, "disk '%s': only an external snapshot has a source "
                    "or a driver", d->name);
    return TRUE;
}

static gboolean
parse_memory(DsSnapshotXml *def, xmlNode *node, const char *where, GError **error)
{
    g_autofree char *snap = prop(node, "snapshot");

    def->memory_file = prop(node, "file");
    def->memory_line = xmlGetLineNo(node);
    if (snap) {
        def->memory = ds_enum_from_string(&ds_memory_mode_table, snap);
        if (def->memory <= 0)
            return fail(error, where, node, "unknown memory snapshot mode '%s' (no, internal "
                        "or external)", snap);
    } else {
        def->memory = def->memory_file ? DS_MEMORY_EXTERNAL : DS_MEMORY_DEFAULT;
    }
    if (def->memory_file && def->memory != DS_MEMORY_EXTERNAL)
        return fail(error, where, node, "memory snapshot '%s' cannot have a file",
                    ds_enum_to_string(&ds_memory_mode_table, def->memory));
    return TRUE;
}

static gboolean
parse_creation_time(DsSnapshotXml *def, xmlNode *node, const char *where, GError **error)
{
    g_autofree char *v = content(node);
    char *end = NULL;

    def->creation_time = g_ascii_strtoll(g_strstrip(v), &end, 10);
    if (!*v || *end || def->creation_time < 0)
        return fail(error, where, node, "creationTime '%s' is not a number of seconds", v);
    return TRUE;
}

static gboolean
parse_redefined(DsSnapshotXml *def, xmlNode *c, const char *where, GError **error)
{
    if (is(c, "state")) {
        def->state = content(c);
        if (!g_strv_contains(states, def->state))
            return fail(error, where, c, "unknown state '%s'", def->state);
    } else if (is(c, "parent")) {
        xmlNode *n = child(c, "name");
        def->parent = n ? content(n) : NULL;
    } else if (is(c, "creationTime")) {
        return parse_creation_time(def, c, where, error);
    } else if (is(c, "domain")) {
        def->domain = c;
    } else if (is(c, "inactiveDomain")) {
        def->inactive_domain = c;
    } else if (is(c, "cookie")) {
        def->cookie = c;
    }
    return TRUE;
}

/* An element said twice would have one of the two ignored: refused. */
static gboolean
given_before(const xmlNode *c)
{
    for (const xmlNode *p = c->prev; p; p = p->prev)
        if (p->type == XML_ELEMENT_NODE && xmlStrEqual(p->name, c->name))
            return TRUE;
    return FALSE;
}

static gboolean
parse_root(DsSnapshotXml *def, xmlNode *root, const char *where, unsigned flags,
           GError **error)
{
    static const char *const known[] = {
        "name", "description", "state", "parent", "creationTime", "memory", "disks",
        "domain", "inactiveDomain", "cookie", "active", NULL,
    };

    if (!is(root, "domainsnapshot"))
        return fail(error, where, root, "the root element is <%s>, not <domainsnapshot>",
                    (const char *)root->name);
    for (xmlNode *c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!g_strv_contains(known, (const char *)c->name))
            return fail(error, where, c, "unknown element <%s> in <domainsnapshot>",
                        (const char *)c->name);
        if (given_before(c))
            return fail(error, where, c, "<%s> is given twice in <domainsnapshot>",
                        (const char *)c->name);
        if (is(c, "name")) {
            def->name = content(c);
        } else if (is(c, "description")) {
            def->description = content(c);
        } else if (is(c, "memory")) {
            if (!parse_memory(def, c, where, error))
                return FALSE;
        } else if (is(c, "disks")) {
            def->disks = g_ptr_array_new_with_free_func(ds_snapshot_xml_disk_free);
            for (xmlNode *d = c->children; d; d = d->next)
                if (is(d, "disk") && !parse_disk(def, d, where, error))
                    return FALSE;
        } else if (is(c, "active")) {
            g_autofree char *v = content(c);
            if (!(flags & DS_XML_PARSE_INTERNAL))
                return fail(error, where, c, "<active> is only for libvirt's own records");
            def->active = (int)g_ascii_strtoll(v, NULL, 10);
        } else if (flags & DS_XML_PARSE_REDEFINE) {
            if (!parse_redefined(def, c, where, error))
                return FALSE;
        }
        /* Not redefining: state, parent, creationTime and the domain are
         * the hypervisor's to say, and are ignored, as libvirt does. */
    }
    return TRUE;
}

/* The first error libxml2 reports is the one that names the cause. */
typedef struct {
    int line;
    char *message;
} FirstError;

static void
keep_first_error(void *data, xmlErrorPtr e)
{
    FirstError *first = data;

    if (first->message || !e)
        return;
    first->line = e->line;
    first->message = g_strstrip(g_strdup(e->message ? e->message : "?"));
}

/*
 * A namespace URI with '&' in it is refused: libxml2 keeps a character
 * reference in a namespace declaration as written, so what is kept could
 * not be written back as it was read (fuzz_snapshot_xml).
 */
static gboolean
plain_namespaces(xmlNode *node, const char *where, GError **error)
{
    for (; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        for (xmlNs *ns = node->nsDef; ns; ns = ns->next)
            if (ns->href && strchr((const char *)ns->href, '&'))
                return fail(error, where, node, "namespace '%s': an '&' in a namespace "
                            "URI is not supported", (const char *)ns->href);
        if (!plain_namespaces(node->children, where, error))
            return FALSE;
    }
    return TRUE;
}

DsSnapshotXml *
ds_snapshot_xml_parse(const char *text, gsize len, const char *where, unsigned flags,
                      GError **error)
{
    g_autoptr(DsSnapshotXml) def = g_new0(DsSnapshotXml, 1);
    xmlParserCtxt *ctxt = xmlNewParserCtxt();
    FirstError first = { 0 };

    def->active = -1;
    xmlSetStructuredErrorFunc(&first, keep_first_error);
    def->doc = xmlCtxtReadMemory(ctxt, text, (int)len, where, NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlFreeParserCtxt(ctxt);
    if (!def->doc) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID, "%s:%d: not well-formed XML: %s",
                    where, first.line, first.message ? first.message : "?");
        g_free(first.message);
        return NULL;
    }
    g_free(first.message);
    if (!plain_namespaces(xmlDocGetRootElement(def->doc), where, error) ||
        !parse_root(def, xmlDocGetRootElement(def->doc), where, flags, error))
        return NULL;
    return g_steal_pointer(&def);
}

DsSnapshotXml *
ds_snapshot_xml_parse_file(const char *path, unsigned flags, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) local = NULL;

    if (!g_file_get_contents(path, &text, &len, &local)) {
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND, "cannot read '%s': %s", path,
                    local->message);
        return NULL;
    }
    return ds_snapshot_xml_parse(text, len, path, flags, error);
}

/* ---- format ---- */

static void
format_disk(GString *out, const DsXmlDisk *d)
{
    g_string_append(out, "    <disk");
    ds_xml_write_attr(out, "name", d->name);
    ds_xml_write_attr(out, "snapshot", d->snapshot ? ds_enum_to_string(&xml_disk_snap_table,
                                                          d->snapshot) : NULL);
    ds_xml_write_attr(out, "type", d->type);
    if (!d->driver && !d->source) {
        g_string_append(out, "/>\n");
        return;
    }
    g_string_append(out, ">\n");
    if (d->driver)
        ds_xml_write_node(out, d->driver, 6);
    if (d->source)
        ds_xml_write_node(out, d->source, 6);
    g_string_append(out, "    </disk>\n");
}

char *
ds_snapshot_xml_format(const DsSnapshotXml *def, const char *uuid, unsigned flags)
{
    g_autoptr(GString) out = g_string_new("<domainsnapshot>\n");

    if (def->name)
        ds_xml_write_element(out, 2, "name", def->name);
    if (def->description)
        ds_xml_write_element(out, 2, "description", def->description);
    if (def->state)
        ds_xml_write_element(out, 2, "state", def->state);
    if (def->parent) {
        g_string_append(out, "  <parent>\n");
        ds_xml_write_element(out, 4, "name", def->parent);
        g_string_append(out, "  </parent>\n");
    }
    if (def->creation_time) {
        g_autofree char *t = g_strdup_printf("%" G_GINT64_FORMAT, def->creation_time);
        ds_xml_write_element(out, 2, "creationTime", t);
    }
    if (def->memory) {
        g_string_append(out, "  <memory");
        ds_xml_write_attr(out, "snapshot", ds_enum_to_string(&ds_memory_mode_table, def->memory));
        ds_xml_write_attr(out, "file", def->memory_file);
        g_string_append(out, "/>\n");
    }
    if (def->disks) {
        g_string_append(out, "  <disks>\n");
        for (guint i = 0; i < def->disks->len; i++)
            format_disk(out, def->disks->pdata[i]);
        g_string_append(out, "  </disks>\n");
    }
    if (def->domain) {
        ds_xml_write_node(out, def->domain, 2);
    } else if (uuid) {
        g_string_append(out, "  <domain>\n");
        ds_xml_write_element(out, 4, "uuid", uuid);
        g_string_append(out, "  </domain>\n");
    }
    if (def->inactive_domain)
        ds_xml_write_node(out, def->inactive_domain, 2);
    if (def->cookie)
        ds_xml_write_node(out, def->cookie, 2);
    if ((flags & DS_XML_FORMAT_INTERNAL) && def->active >= 0)
        g_string_append_printf(out, "  <active>%d</active>\n", def->active);
    g_string_append(out, "</domainsnapshot>\n");
    return g_string_free(g_steal_pointer(&out), FALSE);
}

char *
ds_snapshot_xml_domain_uuid(const DsSnapshotXml *def)
{
    xmlNode *u = def->domain ? child(def->domain, "uuid") : NULL;

    return u ? content(u) : NULL;
}
