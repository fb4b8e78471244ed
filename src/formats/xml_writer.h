/*
 * xml_writer: writes an XML subtree the way libvirt formats its documents:
 * two spaces per level, attributes in single quotes, empty elements as
 * <x/>. Used for the parts of a snapshot that domsnap keeps as they are
 * (<domain>, <inactiveDomain>, <cookie>), so they come out as libvirt wrote
 * them. Inside <metadata>, foreign elements are written as libxml2 writes
 * them (double quotes), as libvirt does.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

void ds_xml_write_node(GString *out, xmlNode *node, int indent);

/* <NAME>TEXT</NAME> on a line of its own, indented. */
void ds_xml_write_element(GString *out, int indent, const char *name, const char *text);

/* NAME='VALUE' (with a leading space); nothing if @value is NULL. */
void ds_xml_write_attr(GString *out, const char *name, const char *value);

/* Appends @text escaped for an attribute in single quotes / for content. */
void ds_xml_escape_attr(GString *out, const char *text);
void ds_xml_escape_text(GString *out, const char *text);
