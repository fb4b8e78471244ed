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
    gboolean summary;  /* read by a summary type too */
    const char *key;   /* its JSON key, where not its member's name */
} DsField;

struct _DsRecordType {
    const char *name;
    size_t size;
    const DsField *fields; /* ends with a { NULL } entry */
    /* Only the fields marked .summary are read and written (a listing's
     * view of a big record). */
    gboolean summary;
};

/*
 * A record type is described once, as a list macro whose entries are
 *   F(Struct, member, KIND, field options...)       a scalar, array or JSON
 *   S(Struct, SubStruct, member, field options...)  an embedded struct
 * (KIND: STRING, INT, BOOL, ENUM, STRV, ARRAY, JSON; options: .required,
 * .enums, .sub, .sparse, .summary, .key). The struct is declared from it with
 * DS_RECORD_STRUCT, the field table built from it with DS_RECORD_FIELDS,
 * so that the two cannot drift apart, and a member's C type follows from
 * its kind.
 */
#define DS_CTYPE_STRING char *
#define DS_CTYPE_INT gint64
#define DS_CTYPE_BOOL gboolean
#define DS_CTYPE_ENUM int
#define DS_CTYPE_STRV GStrv
#define DS_CTYPE_ARRAY GPtrArray *
#define DS_CTYPE_JSON json_object *

#define DS_RECORD_MEMBER_(st, member, kind, ...) DS_CTYPE_##kind member;
#define DS_RECORD_SUBMEMBER_(st, sub, member, ...) sub member;
#define DS_RECORD_FIELD_(st, member, kind, ...) \
    { #member, DS_FIELD_##kind, offsetof(st, member), __VA_ARGS__ },
#define DS_RECORD_SUBFIELD_(st, sub, member, ...) \
    { #member, DS_FIELD_STRUCT, offsetof(st, member), __VA_ARGS__ },

/* The members of a struct, in a struct definition: typedef struct {
 * DS_RECORD_STRUCT(LIST) } Name; */
#define DS_RECORD_STRUCT(LIST) LIST(DS_RECORD_MEMBER_, DS_RECORD_SUBMEMBER_)
/* The field table's entries, before its { NULL } end. */
#define DS_RECORD_FIELDS(LIST) LIST(DS_RECORD_FIELD_, DS_RECORD_SUBFIELD_)

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

/* A deep copy. */
void *ds_record_copy(const DsRecordType *type, const void *rec);
/* A deep copy of @src into @dst (whose old contents are cleared first). */
void ds_record_copy_to(const DsRecordType *type, void *dst, const void *src);
/* Moves what @src owns into @dst (cleared first); @src is left zeroed. */
void ds_record_move(const DsRecordType *type, void *dst, void *src);

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
