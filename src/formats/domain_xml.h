/*
 * domain_xml: a domain config as libvirt's <domain> element, for the
 * driver that runs it.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "formats/domain_config.h"

/* The namespace of domsnap's config in the domain's <metadata>. */
#define DS_XML_NAMESPACE "urn:domsnap:snapshot:1"

/* A new <domain> node of @doc (not linked in) describing @c as the driver
 * named @driver ("qemu" or "xen") runs it. */
xmlNode *ds_domain_xml_new(xmlDoc *doc, const DsDomainConfig *c, const char *driver);
