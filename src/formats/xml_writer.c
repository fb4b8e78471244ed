#include "xml_writer.h"

#include <string.h>

void
ds_xml_escape_attr(GString *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '\'': g_string_append(out, "&apos;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        default: g_string_append_c(out, *p);
        }
    }
}

void
ds_xml_escape_text(GString *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        default: g_string_append_c(out, *p);
        }
    }
}

static gboolean
has_element_children(xmlNode *node)
{
    for (xmlNode *c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return TRUE;
    return FALSE;
}

static void
write_qname(GString *out, xmlNode *node)
{
    if (node->ns && node->ns->prefix)
        g_string_append_printf(out, "%s:", (const char *)node->ns->prefix);
    g_string_append(out, (const char *)node->name);
}

static void
write_attrs(GString *out, xmlNode *node, char quote)
{
    for (xmlNs *ns = node->nsDef; ns; ns = ns->next) {
        g_string_append_printf(out, " xmlns%s%s=%c", ns->prefix ? ":" : "",
                               ns->prefix ? (const char *)ns->prefix : "", quote);
        ds_xml_escape_attr(out, (const char *)ns->href);
        g_string_append_c(out, quote);
    }
    for (xmlAttr *a = node->properties; a; a = a->next) {
        xmlChar *v = xmlNodeListGetString(node->doc, a->children, 1);
        g_string_append_c(out, ' ');
        if (a->ns && a->ns->prefix)
            g_string_append_printf(out, "%s:", (const char *)a->ns->prefix);
        g_string_append_printf(out, "%s=%c", (const char *)a->name, quote);
        ds_xml_escape_attr(out, v ? (const char *)v : "");
        g_string_append_c(out, quote);
        xmlFree(v);
    }
}

static void write_element(GString *out, xmlNode *node, int indent, gboolean foreign);

static void
write_children(GString *out, xmlNode *node, int indent, gboolean foreign)
{
    for (xmlNode *c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            write_element(out, c, indent, foreign);
}

static void
write_element(GString *out, xmlNode *node, int indent, gboolean foreign)
{
    gboolean children = has_element_children(node);
    xmlChar *text = children ? NULL : xmlNodeGetContent(node);
    /* libvirt hands <metadata>'s foreign children to libxml2 to write. */
    gboolean child_foreign = foreign || strcmp((const char *)node->name, "metadata") == 0;

    g_string_append_printf(out, "%*s<", indent, "");
    write_qname(out, node);
    write_attrs(out, node, foreign ? '"' : '\'');
    if (children) {
        g_string_append(out, ">\n");
        write_children(out, node, indent + 2, child_foreign);
        g_string_append_printf(out, "%*s</", indent, "");
        write_qname(out, node);
        g_string_append(out, ">\n");
    } else if (text && *text) {
        g_string_append_c(out, '>');
        ds_xml_escape_text(out, (const char *)text);
        g_string_append(out, "</");
        write_qname(out, node);
        g_string_append(out, ">\n");
    } else {
        g_string_append(out, "/>\n");
    }
    xmlFree(text);
}

void
ds_xml_write_node(GString *out, xmlNode *node, int indent)
{
    write_element(out, node, indent, FALSE);
}

void
ds_xml_write_element(GString *out, int indent, const char *name, const char *text)
{
    g_string_append_printf(out, "%*s<%s>", indent, "", name);
    ds_xml_escape_text(out, text);
    g_string_append_printf(out, "</%s>\n", name);
}

void
ds_xml_write_attr(GString *out, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(out, " %s='", name);
    ds_xml_escape_attr(out, value);
    g_string_append_c(out, '\'');
}
