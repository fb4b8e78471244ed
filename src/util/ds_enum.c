#include "ds_enum.h"

#include <string.h>

int
ds_enum_from_string(const DsEnumTable *table, const char *str)
{
    for (int i = 0; str && i < table->count; i++)
        if (table->names[i] && strcmp(table->names[i], str) == 0)
            return i;
    return -1;
}

const char *
ds_enum_to_string(const DsEnumTable *table, int value)
{
    if (value < 0 || value >= table->count)
        return NULL;
    return table->names[value];
}

char *
ds_enum_list(const DsEnumTable *table)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (int i = 0; i < table->count; i++) {
        if (!table->names[i])
            continue;
        if (s->len)
            g_string_append(s, ", ");
        g_string_append(s, table->names[i]);
    }
    return g_string_free(g_steal_pointer(&s), FALSE);
}
