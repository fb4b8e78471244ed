/*
 * record: record types described once, as tables of fields, from which
 * JSON (libxl-json style: lowercase_with_underscores keys, nested objects)
 * is written and read, and memory is freed. This is what libxl's IDL and
 * gentypes.py do for libxl_domain_config; one description means the writer
 * and the reader cannot drift apart.
 */
#pragma once

#include <glib.h>
#include <json-c/json.h>

#include "util/ds_enum.h"

typedef enum {
    DS_FIELD_STRING,  /* char * */
    DS_FIELD_INT,     /* gint64 */
    DS_FIELD_BOOL,    /* gboolean */
    DS_FIELD_ENUM,    /* int, named through .enums */
    DS_FIELD_STRV,    /* GStrv */
    DS_FIELD_STRUCT,  /* an embedded struct of type .sub */
    DS_FIELD_ARRAY,   /* GPtrArray * of g_malloc'd structs of type .sub */
    DS_FIELD_JSON,    /* json_object *, kept as it is */
} DsFieldType;

typedef struct _DsRecordType DsRecordType;

typedef struct {
    const char *name;
    DsFieldType type;
    size_t offset;
    const DsEnumTable *enums;
    const DsRecordType *sub;
    gboolean required; /* reading fails without it */
    /* INT, BOOL: written only when not 0 (an absent field reads as 0), so
     * that a setting most records do not use does not fill them all. (An
     * ENUM value without a name, such as an "unset" NULL at 0, is never
     * written either.) */
    gboolean sparse;
} DsField;

struct _DsRecordType {
    const char *name;
    size_t size;
    const DsField *fields; /* ends with a { NULL } entry */
};

#define DS_FIELD(st, member, type_, ...) \
    { #member, type_, offsetof(st, member), __VA_ARGS__ }

json_object *ds_record_to_json(const DsRecordType *type, const void *rec);

/*
 * Fills @rec (zeroed, of type->size) from @obj. Unknown keys are ignored, so
 * a newer writer's records still load. @where names the file in messages.
 */
gboolean ds_record_from_json(const DsRecordType *type, json_object *obj,
                             void *rec, const char *where, GError **error);

/* Frees what the fields own; not @rec itself. */
void ds_record_clear(const DsRecordType *type, void *rec);
void ds_record_free(const DsRecordType *type, void *rec);

/* A deep copy, through JSON. */
void *ds_record_copy(const DsRecordType *type, const void *rec);

/*
 * Parses a JSON file's text; a syntax error is reported as
 * "FILE:LINE:COLUMN: message".
 */
json_object *ds_json_parse(const char *text, gsize len, const char *where,
                           GError **error);

/* Reads (no symlinks) and parses a record file. */
gboolean ds_record_load(const DsRecordType *type, const char *path, void *rec,
                        GError **error);

/* Writes a record atomically, mode 0600, pretty-printed. */
gboolean ds_record_save(const DsRecordType *type, const void *rec,
                        const char *path, GError **error);
