/*
 * record.c: JSON writing, reading and freeing driven by field tables.
 */
#include "record.h"

#include <string.h>

#include "domsnap.h"
#include "util/ds_file.h"

#define FIELD_PTR(rec, f) ((char *)(rec) + (f)->offset)
#define FIELD_KEY(f) ((f)->key ? (f)->key : (f)->name)

static json_object *
field_to_json(const DsField *f, const void *rec)
{
    const char *p = FIELD_PTR(rec, f);

    switch (f->type) {
    case DS_FIELD_STRING: {
        const char *s = *(char *const *)p;
        return s ? json_object_new_string(s) : NULL;
    }
    case DS_FIELD_INT:
        if (f->sparse && *(const gint64 *)p == 0)
            return NULL;
        return json_object_new_int64(*(const gint64 *)p);
    case DS_FIELD_BOOL:
        if (f->sparse && !*(const gboolean *)p)
            return NULL;
        return json_object_new_boolean(*(const gboolean *)p);
    case DS_FIELD_ENUM: {
        const char *name = ds_enum_to_string(f->enums, *(const int *)p);
        return name ? json_object_new_string(name) : NULL;
    }
    case DS_FIELD_STRV: {
        char *const *v = *(char **const *)p;
        json_object *a;
        if (!v)
            return NULL;
        a = json_object_new_array();
        for (; *v; v++)
            json_object_array_add(a, json_object_new_string(*v));
        return a;
    }
    case DS_FIELD_STRUCT: {
        json_object *o = ds_record_to_json(f->sub, p);
        /* An optional part nothing was said of (the other driver's) is left out. */
        if (!f->required && json_object_object_length(o) == 0) {
            json_object_put(o);
            return NULL;
        }
        return o;
    }
    case DS_FIELD_ARRAY: {
        const GPtrArray *arr = *(GPtrArray *const *)p;
        json_object *a;
        if (!arr)
            return NULL;
        a = json_object_new_array();
        for (guint i = 0; i < arr->len; i++)
            json_object_array_add(a, ds_record_to_json(f->sub, arr->pdata[i]));
        return a;
    }
    case DS_FIELD_JSON: {
        json_object *o = *(json_object *const *)p;
        return o ? json_object_get(o) : NULL;
    }
    }
    return NULL;
}

json_object *
ds_record_to_json(const DsRecordType *type, const void *rec)
{
    json_object *o = json_object_new_object();

    for (const DsField *f = type->fields; f->name; f++) {
        if (type->summary && !f->summary)
            continue;
        json_object *v = field_to_json(f, rec);
        if (v)
            json_object_object_add(o, FIELD_KEY(f), v);
    }
    return o;
}

/* @path is "TYPE.FIELD"; it is only built when there is an error to report. */
static gboolean
wrong_type(const char *where, const DsRecordType *type, const DsField *f,
           const char *expected, GError **error)
{
    g_set_error(error, DS_ERROR, DS_ERROR_INVALID, "%s: field '%s.%s' must be %s",
                where, type->name, FIELD_KEY(f), expected);
    return FALSE;
}

static void field_clear(const DsField *f, void *rec);

static gboolean
field_from_json(const DsRecordType *type, const DsField *f, json_object *v, void *rec,
                const char *where, GError **error)
{
    char *p = FIELD_PTR(rec, f);

    switch (f->type) {
    case DS_FIELD_STRING:
        if (!json_object_is_type(v, json_type_string))
            return wrong_type(where, type, f, "a string", error);
        *(char **)p = g_strdup(json_object_get_string(v));
        return TRUE;
    case DS_FIELD_INT:
        if (!json_object_is_type(v, json_type_int))
            return wrong_type(where, type, f, "an integer", error);
        *(gint64 *)p = json_object_get_int64(v);
        return TRUE;
    case DS_FIELD_BOOL:
        if (!json_object_is_type(v, json_type_boolean))
            return wrong_type(where, type, f, "true or false", error);
        *(gboolean *)p = json_object_get_boolean(v);
        return TRUE;
    case DS_FIELD_ENUM: {
        int e = json_object_is_type(v, json_type_string)
                    ? ds_enum_from_string(f->enums, json_object_get_string(v)) : -1;
        if (e < 0) {
            g_autofree char *list = ds_enum_list(f->enums);
            g_autofree char *expected = g_strdup_printf("one of: %s", list);
            return wrong_type(where, type, f, expected, error);
        }
        *(int *)p = e;
        return TRUE;
    }
    case DS_FIELD_STRV: {
        g_autoptr(GStrvBuilder) b = g_strv_builder_new();
        if (!json_object_is_type(v, json_type_array))
            return wrong_type(where, type, f, "a list of strings", error);
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            json_object *s = json_object_array_get_idx(v, i);
            if (!json_object_is_type(s, json_type_string))
                return wrong_type(where, type, f, "a list of strings", error);
            g_strv_builder_add(b, json_object_get_string(s));
        }
        *(GStrv *)p = g_strv_builder_end(b);
        return TRUE;
    }
    case DS_FIELD_STRUCT:
        if (!json_object_is_type(v, json_type_object))
            return wrong_type(where, type, f, "an object", error);
        return ds_record_from_json(f->sub, v, p, where, error);
    case DS_FIELD_ARRAY: {
        GPtrArray *arr;
        if (!json_object_is_type(v, json_type_array))
            return wrong_type(where, type, f, "a list", error);
        arr = g_ptr_array_new();
        *(GPtrArray **)p = arr;
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            json_object *item = json_object_array_get_idx(v, i);
            void *sub = g_malloc0(f->sub->size);
            g_ptr_array_add(arr, sub);
            if (!json_object_is_type(item, json_type_object))
                return wrong_type(where, type, f, "a list of objects", error);
            if (!ds_record_from_json(f->sub, item, sub, where, error))
                return FALSE;
        }
        return TRUE;
    }
    case DS_FIELD_JSON:
        *(json_object **)p = json_object_get(v);
        return TRUE;
    }
    return FALSE;
}

gboolean
ds_record_from_json(const DsRecordType *type, json_object *obj, void *rec,
                    const char *where, GError **error)
{
    for (const DsField *f = type->fields; f->name; f++) {
        if (type->summary && !f->summary)
            continue;
        json_object *v = NULL;

        if (!json_object_object_get_ex(obj, FIELD_KEY(f), &v) || !v) {
            if (f->required) {
                g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                            "%s: required field '%s.%s' is missing", where, type->name,
                            FIELD_KEY(f));
                return FALSE;
            }
            continue;
        }
        field_clear(f, rec); /* a value read before is replaced, not leaked */
        if (!field_from_json(type, f, v, rec, where, error))
            return FALSE;
    }
    return TRUE;
}

/* Frees what one field owns, and zeroes it. */
static void
field_clear(const DsField *f, void *rec)
{
    char *p = FIELD_PTR(rec, f);

    switch (f->type) {
    case DS_FIELD_STRING:
        g_clear_pointer((char **)p, g_free);
        break;
    case DS_FIELD_STRV:
        g_clear_pointer((GStrv *)p, g_strfreev);
        break;
    case DS_FIELD_STRUCT:
        ds_record_clear(f->sub, p);
        break;
    case DS_FIELD_ARRAY: {
        GPtrArray *arr = *(GPtrArray **)p;
        for (guint i = 0; arr && i < arr->len; i++)
            ds_record_free(f->sub, arr->pdata[i]);
        if (arr)
            g_ptr_array_unref(arr);
        *(GPtrArray **)p = NULL;
        break;
    }
    case DS_FIELD_JSON:
        g_clear_pointer((json_object **)p, json_object_put);
        break;
    default:
        break;
    }
}

void
ds_record_clear(const DsRecordType *type, void *rec)
{
    for (const DsField *f = type->fields; f->name; f++)
        if (!type->summary || f->summary)
            field_clear(f, rec);
}

void
ds_record_free(const DsRecordType *type, void *rec)
{
    if (!rec)
        return;
    ds_record_clear(type, rec);
    g_free(rec);
}

static void
field_copy(const DsField *f, const void *from, void *to)
{
    const char *src = FIELD_PTR(from, f);
    char *dst = FIELD_PTR(to, f);

    switch (f->type) {
    case DS_FIELD_STRING:
        *(char **)dst = g_strdup(*(char *const *)src);
        break;
    case DS_FIELD_INT:
        *(gint64 *)dst = *(const gint64 *)src;
        break;
    case DS_FIELD_BOOL:
        *(gboolean *)dst = *(const gboolean *)src;
        break;
    case DS_FIELD_ENUM:
        *(int *)dst = *(const int *)src;
        break;
    case DS_FIELD_STRV:
        *(GStrv *)dst = g_strdupv(*(char **const *)src);
        break;
    case DS_FIELD_STRUCT:
        for (const DsField *g = f->sub->fields; g->name; g++)
            field_copy(g, src, dst);
        break;
    case DS_FIELD_ARRAY: {
        const GPtrArray *arr = *(GPtrArray *const *)src;
        GPtrArray *out = arr ? g_ptr_array_new() : NULL;
        for (guint i = 0; arr && i < arr->len; i++)
            g_ptr_array_add(out, ds_record_copy(f->sub, arr->pdata[i]));
        *(GPtrArray **)dst = out;
        break;
    }
    case DS_FIELD_JSON: {
        json_object *o = *(json_object *const *)src;
        json_object *copy = NULL;
        /* A deep copy cannot fail but for memory, which GLib aborts on anyway. */
        if (o && json_object_deep_copy(o, &copy, NULL) != 0)
            g_abort();
        *(json_object **)dst = copy;
        break;
    }
    }
}

/* Every field of the table, deeply: the copy shares nothing. */
void *
ds_record_copy(const DsRecordType *type, const void *rec)
{
    void *copy = g_malloc0(type->size);

    for (const DsField *f = type->fields; f->name; f++)
        if (!type->summary || f->summary)
            field_copy(f, rec, copy);
    return copy;
}

void
ds_record_copy_to(const DsRecordType *type, void *dst, const void *src)
{
    void *copy = ds_record_copy(type, src);

    ds_record_move(type, dst, copy);
    g_free(copy);
}

void
ds_record_move(const DsRecordType *type, void *dst, void *src)
{
    if (dst == src)
        return;
    ds_record_clear(type, dst);
    memcpy(dst, src, type->size);
    memset(src, 0, type->size);
}

json_object *
ds_json_parse(const char *text, gsize len, const char *where, GError **error)
{
    json_tokener *tok = json_tokener_new();
    json_object *obj = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t offset = json_tokener_get_parse_end(tok);

    json_tokener_free(tok);
    if (obj && jerr == json_tokener_success) {
        /* Only white space may follow the value. */
        while (offset < len && g_ascii_isspace(text[offset]))
            offset++;
        if (offset == len)
            return obj;
        json_object_put(obj);
        obj = NULL;
        jerr = json_tokener_error_parse_unexpected;
    } else if (jerr == json_tokener_continue) {
        jerr = json_tokener_error_parse_eof;
        offset = len;
    }
    {
        int line = 1, col = 1;
        for (size_t i = 0; i < offset && i < len; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID, "%s:%d:%d: invalid JSON: %s",
                    where, line, col, json_tokener_error_desc(jerr));
    }
    return NULL;
}

gboolean
ds_record_load(const DsRecordType *type, const char *path, void *rec,
               GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    json_object *obj;
    gboolean ok;

    if (!ds_file_read_nofollow(path, &text, &len, error))
        return FALSE;
    obj = ds_json_parse(text, len, path, error);
    if (!obj)
        return FALSE;
    if (!json_object_is_type(obj, json_type_object)) {
        json_object_put(obj);
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID, "%s:1:1: a %s record must be a JSON object",
                    path, type->name);
        return FALSE;
    }
    ok = ds_record_from_json(type, obj, rec, path, error);
    json_object_put(obj);
    if (!ok)
        ds_record_clear(type, rec);
    return ok;
}

gboolean
ds_record_save(const DsRecordType *type, const void *rec, const char *path,
               GError **error)
{
    json_object *obj = ds_record_to_json(type, rec);
    const char *text = json_object_to_json_string_ext(
        obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    g_autofree char *with_nl = g_strconcat(text, "\n", NULL);
    gboolean ok = ds_file_write_atomic(path, with_nl, strlen(with_nl), error);

    json_object_put(obj);
    return ok;
}
