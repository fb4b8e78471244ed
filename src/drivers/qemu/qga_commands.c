/*
 * qga_commands.c: each agent command is its arguments (qmp_types.c), one
 * round trip (qga.c) and its reply parsed (qmp_types.c); the replies'
 * references are dropped here and nowhere else.
 */
#include "qga_commands.h"

#include "domsnap.h"
#include "qga_wire.h"
#include "qmp_types.h"

struct _DsQgaRequest {
    char *execute;
    json_object *arguments; /* NULL if none */
};

/* Runs a command whose reply holds nothing domsnap reads. */
static gboolean
run(DsQga *qga, const char *command, json_object *args, GError **error)
{
    json_object *ret = ds_qga_command(qga, command, args, error);

    if (!ret)
        return FALSE;
    json_object_put(ret);
    return TRUE;
}

static gboolean
fsfreeze(DsQga *qga, const char *command, gint64 *count, GError **error)
{
    json_object *ret = ds_qga_command(qga, command, NULL, error);
    gint64 n = 0;
    gboolean ok;

    if (!ret)
        return FALSE;
    ok = ds_qga_parse_fsfreeze_count(ret, &n, error);
    json_object_put(ret);
    if (!ok)
        g_prefix_error(error, "domain '%s': the guest agent's reply to '%s' does not fit its "
                       "schema: ", ds_qga_who(qga), command);
    else if (count)
        *count = n;
    return ok;
}

gboolean
ds_qga_guest_fsfreeze_freeze(DsQga *qga, gint64 *frozen, GError **error)
{
    return fsfreeze(qga, "guest-fsfreeze-freeze", frozen, error);
}

gboolean
ds_qga_guest_fsfreeze_thaw(DsQga *qga, gint64 *thawed, GError **error)
{
    return fsfreeze(qga, "guest-fsfreeze-thaw", thawed, error);
}

gboolean
ds_qga_guest_set_time(DsQga *qga, gint64 ns, GError **error)
{
    return run(qga, "guest-set-time", ds_qga_args_guest_set_time(ns), error);
}

gboolean
ds_qga_guest_shutdown(DsQga *qga, const char *mode, GError **error)
{
    return ds_qga_send(qga, "guest-shutdown", ds_qga_args_guest_shutdown(mode), error);
}

void
ds_qga_request_free(DsQgaRequest *request)
{
    if (!request)
        return;
    g_free(request->execute);
    if (request->arguments)
        json_object_put(request->arguments);
    g_free(request);
}

DsQgaRequest *
ds_qga_request_parse(const char *text, const char *who, GError **error)
{
    json_object *msg = json_tokener_parse(text);
    json_object *execute = NULL, *arguments = NULL;
    DsQgaRequest *request = NULL;

    if (msg && json_object_is_type(msg, json_type_object) &&
        json_object_object_get_ex(msg, "execute", &execute) &&
        json_object_is_type(execute, json_type_string)) {
        request = g_new0(DsQgaRequest, 1);
        request->execute = g_strdup(json_object_get_string(execute));
        if (json_object_object_get_ex(msg, "arguments", &arguments) && arguments)
            request->arguments = json_object_get(arguments);
    } else {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "domain '%s': an agent command is a JSON object with \"execute\" "
                    "(and \"arguments\"), not '%s'", who, text);
    }
    if (msg)
        json_object_put(msg);
    return request;
}

char *
ds_qga_request_run(DsQga *qga, const DsQgaRequest *request, GError **error)
{
    json_object *args = request->arguments ? json_object_get(request->arguments) : NULL;
    json_object *ret = ds_qga_command(qga, request->execute, args, error);
    char *text;

    if (!ret)
        return NULL;
    text = g_strdup(json_object_to_json_string_ext(ret, JSON_C_TO_STRING_PLAIN));
    json_object_put(ret);
    return text;
}
