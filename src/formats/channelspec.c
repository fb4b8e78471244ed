#include "channelspec.h"

#include <string.h>

#include "domsnap.h"
#include "formats/kvspec.h"
#include "util/ds_suggest.h"

DS_ENUM_TABLE(ds_channel_connection_table, "channel connection", NULL, "socket", "pty");

static const DsField channel_fields[] = { DS_RECORD_FIELDS(DS_CHANNEL) { NULL } };
const DsRecordType ds_channel_type = { "channel", sizeof(DsChannel), channel_fields };

static const char *const known_keys[] = { "name", "connection", "path", "backend", NULL };

void
ds_channel_free(DsChannel *channel)
{
    ds_record_free(&ds_channel_type, channel);
}

/* A refusal, as the NULL a parse returns. */
#define fail ds_kv_fail

/* The name is the guest's port name and the default socket's file name. */
static gboolean
name_ok(const char *name)
{
    if (!*name || strlen(name) > 100 || name[0] == '.' || name[0] == '-')
        return FALSE;
    for (const char *p = name; *p; p++)
        if (!g_ascii_isalnum(*p) && !strchr("._-", *p))
            return FALSE;
    return TRUE;
}

static gboolean
apply_key(DsChannel *ch, const DsKv *kv, GError **error)
{
    const char *hint;
    int conn;

    if (!strcmp(kv->key, "backend")) {
        fail(error, "backend= (a driver domain) is a Xen setting the qemu driver does not support");
        return FALSE;
    }
    if (!g_strv_contains(known_keys, kv->key)) {
        hint = ds_suggest(kv->key, known_keys);
        if (hint)
            fail(error, "unknown key '%s' (did you mean '%s'?)", kv->key, hint);
        else
            fail(error, "unknown key '%s'", kv->key);
        return FALSE;
    }
    if (!kv->value || !*kv->value) {
        fail(error, "'%s' needs a value (%s=...)", kv->key, kv->key);
        return FALSE;
    }
    if (!strcmp(kv->key, "name")) {
        if (!name_ok(kv->value)) {
            fail(error, "name '%s' must be letters, digits, '.', '_' or '-' (not first: '.', '-')",
                 kv->value);
            return FALSE;
        }
        g_free(ch->name);
        ch->name = g_strdup(kv->value);
    } else if (!strcmp(kv->key, "connection")) {
        conn = ds_enum_from_string(&ds_channel_connection_table, kv->value);
        if (conn <= 0) {
            g_autofree char *list = ds_enum_list(&ds_channel_connection_table);
            fail(error, "connection '%s' is not one of %s", kv->value, list);
            return FALSE;
        }
        ch->connection = conn;
    } else {
        g_free(ch->path);
        ch->path = g_strdup(kv->value);
    }
    return TRUE;
}

DsChannel *
ds_channel_parse(const char *spec, GError **error)
{
    g_autoptr(DsChannel) ch = g_new0(DsChannel, 1);
    g_autoptr(GPtrArray) kvs = ds_kv_split(spec);

    for (guint i = 0; i < kvs->len; i++)
        if (!apply_key(ch, kvs->pdata[i], error))
            return NULL;
    if (!ch->name) {
        fail(error, "a channel needs name= (such as name=" DS_GUEST_AGENT_CHANNEL ")");
        return NULL;
    }
    if (!ch->connection)
        ch->connection = DS_CHANNEL_SOCKET;
    if (ch->path && ch->connection != DS_CHANNEL_SOCKET) {
        fail(error, "path= is for connection=socket only");
        return NULL;
    }
    return g_steal_pointer(&ch);
}

char *
ds_channel_format(const DsChannel *ch)
{
    GString *out = g_string_new(NULL);

    g_string_append_printf(out, "name=%s,connection=%s", ch->name,
                           ds_enum_to_string(&ds_channel_connection_table, ch->connection));
    if (ch->path)
        g_string_append_printf(out, ",path=%s", ch->path);
    return g_string_free(out, FALSE);
}
