/*
 * One table per string-valued attribute, shared by every parser and
 * formatter that reads or writes it (STYLE.md rule 2).
 */
#pragma once

#include <glib.h>

typedef struct {
    const char *const *names; /* indexed by the enum's value */
    int count;
    const char *what;         /* for messages: "memory mode", "disk format" */
} DsEnumTable;

#define DS_ENUM_TABLE(var, what_, ...)                                     \
    static const char *const var##_names[] = { __VA_ARGS__ };              \
    const DsEnumTable var = { var##_names, G_N_ELEMENTS(var##_names), what_ }

/* Returns the value, or -1 if @str names none of the table's values. */
int ds_enum_from_string(const DsEnumTable *table, const char *str);
const char *ds_enum_to_string(const DsEnumTable *table, int value);

/* "raw, qcow2" for messages. */
char *ds_enum_list(const DsEnumTable *table);
