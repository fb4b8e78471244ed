/*
 * snapshot_xml: libvirt's domainsnapshot XML (formatsnapshot.rst), parse
 * and format as a pair. The formatter is canonical: it writes what libvirt
 * writes for the same snapshot, in libvirt's order and style, so the test
 * compares with libvirt's own expected outputs byte for byte.
 *
 * This layer knows the XML only. What domsnap can do with a snapshot so
 * described (import) is decided above it.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

typedef enum {
    DS_XML_PARSE_REDEFINE = 1 << 0, /* keep state, parent, creationTime, domain, ... */
    DS_XML_PARSE_INTERNAL = 1 << 1, /* <active> is allowed */
} DsXmlParseFlags;

typedef enum {
    DS_XML_FORMAT_INTERNAL = 1 << 0, /* write <active> */
} DsXmlFormatFlags;

typedef struct {
    char *name;
    int snapshot;        /* DsDiskSnapMode ('manual' is DS_DISK_SNAP_COPY); 0: not said */
    char *type;          /* file, block, network; NULL: not said */
    char *driver_type;   /* <driver type=...> */
    char *source_file;   /* <source file=...> */
    xmlNode *driver;     /* kept as written, if it says anything */
    xmlNode *source;     /* kept as written, if it says anything */
    int line;
} DsXmlDisk;

typedef struct {
    char *name;
    char *description;
    char *state;
    char *parent;
    gint64 creation_time;   /* 0: none */
    int memory;             /* DsMemoryMode; 0: no <memory> */
    char *memory_file;
    int memory_line;
    GPtrArray *disks;       /* DsXmlDisk; NULL: no <disks> */
    xmlNode *domain;        /* <domain>, kept as written (redefine) */
    xmlNode *inactive_domain;
    xmlNode *cookie;
    int active;             /* -1: none */
    xmlDoc *doc;            /* owns the kept nodes (in its tree) */
} DsSnapshotXml;

/* (a DsXmlDisk; for building a description to write) */
void ds_snapshot_xml_disk_free(gpointer disk);
void ds_snapshot_xml_free(DsSnapshotXml *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsSnapshotXml, ds_snapshot_xml_free)

/* @where names the document in messages ("FILE:LINE: ..."). */
DsSnapshotXml *ds_snapshot_xml_parse(const char *text, gsize len, const char *where,
                                     unsigned flags, GError **error);
DsSnapshotXml *ds_snapshot_xml_parse_file(const char *path, unsigned flags,
                                          GError **error);

/*
 * Writes @def as libvirt does. @uuid: written as <domain><uuid/></domain>
 * when @def keeps no <domain> (libvirt writes the domain's UUID there).
 */
char *ds_snapshot_xml_format(const DsSnapshotXml *def, const char *uuid, unsigned flags);

/* The <uuid> of the kept <domain>, or NULL. */
char *ds_snapshot_xml_domain_uuid(const DsSnapshotXml *def);
