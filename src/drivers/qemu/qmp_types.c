/*
 * qmp_types.c: the arguments and replies of qmp_commands.h and
 * qga_commands.h, to and from json-c. Members are named as in QEMU's QAPI
 * schema (its qapi directory); a reply is read strictly where the schema
 * makes a member mandatory and leniently where it is optional.
 */
#include "qmp_types.h"

#include <string.h>

#include "domsnap.h"

/* ---- the structs' owners ---- */

void
ds_qmp_status_info_clear(DsQmpStatusInfo *info)
{
    g_clear_pointer(&info->status, g_free);
}

void
ds_qmp_vnc_info_clear(DsQmpVncInfo *info)
{
    g_clear_pointer(&info->host, g_free);
    g_clear_pointer(&info->service, g_free);
}

void
ds_qmp_block_info_free(DsQmpBlockInfo *info)
{
    if (!info)
        return;
    g_free(info->device);
    g_free(info->qdev);
    g_free(info->node_name);
    g_free(info);
}

void
ds_qmp_block_device_info_free(DsQmpBlockDeviceInfo *info)
{
    if (!info)
        return;
    g_free(info->node_name);
    g_free(info->drv);
    g_free(info->file);
    g_free(info);
}

void
ds_qmp_job_info_free(DsQmpJobInfo *info)
{
    if (!info)
        return;
    g_free(info->id);
    g_free(info->type);
    g_free(info->status);
    g_free(info->error);
    g_free(info);
}

void
ds_qmp_migration_info_clear(DsQmpMigrationInfo *info)
{
    g_clear_pointer(&info->status, g_free);
    g_clear_pointer(&info->error_desc, g_free);
}

/* ---- building arguments ---- */

/* Adds @key unless @value is NULL (QAPI's optional members). */
static void
add_string(json_object *obj, const char *key, const char *value)
{
    if (value)
        json_object_object_add(obj, key, json_object_new_string(value));
}

static json_object *
string_object(const char *key, const char *value)
{
    json_object *obj = json_object_new_object();

    add_string(obj, key, value);
    return obj;
}

json_object *
ds_qmp_args_change_vnc_password(const char *password)
{
    return string_object("password", password);
}

json_object *
ds_qmp_args_eject(const char *id, gboolean force)
{
    json_object *args = string_object("id", id);

    json_object_object_add(args, "force", json_object_new_boolean(force));
    return args;
}

json_object *
ds_qmp_args_blockdev_change_medium(const DsQmpBlockdevChangeMedium *medium)
{
    json_object *args = string_object("id", medium->id);

    add_string(args, "filename", medium->filename);
    add_string(args, "format", medium->format);
    add_string(args, "read-only-mode", medium->read_only_mode);
    return args;
}

json_object *
ds_qmp_args_blockdev_add(const DsQmpBlockdevOptions *options)
{
    json_object *args = string_object("driver", options->driver);
    json_object *file = string_object("driver", "file");

    add_string(file, "filename", options->filename);
    add_string(args, "node-name", options->node_name);
    json_object_object_add(args, "file", file);
    if (options->no_backing)
        json_object_object_add(args, "backing", NULL);
    return args;
}

json_object *
ds_qmp_args_blockdev_del(const char *node_name)
{
    return string_object("node-name", node_name);
}

static json_object *
transaction_action(const DsQmpTransactionAction *action)
{
    json_object *data = json_object_new_object();
    json_object *obj = json_object_new_object();
    const char *type;

    if (action->type == DS_QMP_ACTION_BLOCKDEV_SNAPSHOT_INTERNAL_SYNC) {
        type = "blockdev-snapshot-internal-sync";
        add_string(data, "device", action->node);
        add_string(data, "name", action->name);
    } else {
        type = "blockdev-snapshot";
        add_string(data, "node", action->node);
        add_string(data, "overlay", action->overlay);
    }
    add_string(obj, "type", type);
    json_object_object_add(obj, "data", data);
    return obj;
}

json_object *
ds_qmp_args_transaction(const DsQmpTransactionAction *actions, guint n)
{
    json_object *list = json_object_new_array();
    json_object *args = json_object_new_object();

    for (guint i = 0; i < n; i++)
        json_object_array_add(list, transaction_action(&actions[i]));
    json_object_object_add(args, "actions", list);
    return args;
}

json_object *
ds_qmp_args_blockdev_snapshot_delete_internal_sync(const char *device, const char *name)
{
    json_object *args = string_object("device", device);

    add_string(args, "name", name);
    return args;
}

json_object *
ds_qmp_args_block_commit(const DsQmpBlockCommit *commit)
{
    json_object *args = string_object("job-id", commit->job_id);

    add_string(args, "device", commit->device);
    add_string(args, "base-node", commit->base_node);
    json_object_object_add(args, "auto-dismiss", json_object_new_boolean(commit->auto_dismiss));
    return args;
}

json_object *
ds_qmp_args_block_stream(const DsQmpBlockStream *stream)
{
    json_object *args = string_object("job-id", stream->job_id);

    add_string(args, "device", stream->device);
    add_string(args, "base-node", stream->base_node);
    return args;
}

json_object *
ds_qmp_args_block_job_complete(const char *device)
{
    return string_object("device", device);
}

json_object *
ds_qmp_args_job_dismiss(const char *id)
{
    return string_object("id", id);
}

json_object *
ds_qmp_args_snapshot_job(const DsQmpSnapshotJob *job)
{
    json_object *args = string_object("job-id", job->job_id);
    json_object *devices = json_object_new_array();

    add_string(args, "tag", job->tag);
    add_string(args, "vmstate", job->vmstate);
    for (guint i = 0; job->devices && job->devices[i]; i++)
        json_object_array_add(devices, json_object_new_string(job->devices[i]));
    json_object_object_add(args, "devices", devices);
    return args;
}

json_object *
ds_qmp_args_migrate_set_capabilities(const DsQmpMigrationCapabilityStatus *capabilities,
                                     guint n)
{
    json_object *list = json_object_new_array();
    json_object *args = json_object_new_object();

    for (guint i = 0; i < n; i++) {
        json_object *cap = string_object("capability", capabilities[i].capability);
        json_object_object_add(cap, "state", json_object_new_boolean(capabilities[i].state));
        json_object_array_add(list, cap);
    }
    json_object_object_add(args, "capabilities", list);
    return args;
}

json_object *
ds_qmp_args_migrate_set_parameters(const DsQmpMigrateParameters *parameters)
{
    json_object *args = json_object_new_object();

    json_object_object_add(args, "max-bandwidth",
                           json_object_new_int64(parameters->max_bandwidth));
    return args;
}

json_object *
ds_qmp_args_getfd(const char *fdname)
{
    return string_object("fdname", fdname);
}

json_object *
ds_qmp_args_migrate(const char *uri)
{
    return string_object("uri", uri);
}

json_object *
ds_qga_args_guest_set_time(gint64 ns)
{
    json_object *args = json_object_new_object();

    json_object_object_add(args, "time", json_object_new_int64(ns));
    return args;
}

json_object *
ds_qga_args_guest_shutdown(const char *mode)
{
    return string_object("mode", mode);
}

/* ---- reading replies ---- */

static const char *
a_type(json_type type)
{
    switch (type) {
    case json_type_null: return "null";
    case json_type_boolean: return "a boolean";
    case json_type_double: return "a number with a fraction";
    case json_type_int: return "an integer";
    case json_type_object: return "an object";
    case json_type_array: return "an array";
    case json_type_string: return "a string";
    }
    return "something else";
}

static gboolean
is_a(json_object *value, json_type type, const char *what, GError **error)
{
    if (json_object_is_type(value, type))
        return TRUE;
    g_set_error(error, DS_ERROR, DS_ERROR_QMP, "%s is %s, not %s", what,
                a_type(json_object_get_type(value)), a_type(type));
    return FALSE;
}

/*
 * Member @key of @obj into *@out if it has @type; *@out NULL if it is
 * absent (an error if @required); an error if it has another type.
 */
static gboolean
member(json_object *obj, const char *key, json_type type, gboolean required, json_object **out,
       GError **error)
{
    g_autofree char *what = g_strdup_printf("'%s'", key);
    json_object *value = NULL;

    *out = NULL;
    if (!json_object_object_get_ex(obj, key, &value)) {
        if (required)
            g_set_error(error, DS_ERROR, DS_ERROR_QMP, "'%s' is missing", key);
        return !required;
    }
    if (!is_a(value, type, what, error))
        return FALSE;
    *out = value;
    return TRUE;
}

static gboolean
get_string(json_object *obj, const char *key, gboolean required, char **out, GError **error)
{
    json_object *value;

    if (!member(obj, key, json_type_string, required, &value, error))
        return FALSE;
    *out = value ? g_strdup(json_object_get_string(value)) : NULL;
    return TRUE;
}

static gboolean
get_int(json_object *obj, const char *key, gboolean required, gint64 *out, GError **error)
{
    json_object *value;

    if (!member(obj, key, json_type_int, required, &value, error))
        return FALSE;
    *out = value ? json_object_get_int64(value) : 0;
    return TRUE;
}

static gboolean
get_bool(json_object *obj, const char *key, gboolean required, gboolean *out, GError **error)
{
    json_object *value;

    if (!member(obj, key, json_type_boolean, required, &value, error))
        return FALSE;
    *out = value ? json_object_get_boolean(value) : FALSE;
    return TRUE;
}

typedef gpointer (*ItemParse)(json_object *item, GError **error);

/* An array of objects, each read by @parse; the error names the item. */
static GPtrArray *
parse_list(json_object *ret, ItemParse parse, GDestroyNotify free_item, GError **error)
{
    g_autoptr(GPtrArray) list = NULL;

    if (!is_a(ret, json_type_array, "the reply", error))
        return NULL;
    list = g_ptr_array_new_with_free_func(free_item);
    for (size_t i = 0; i < json_object_array_length(ret); i++) {
        json_object *item = json_object_array_get_idx(ret, i);
        gpointer parsed = is_a(item, json_type_object, "it", error) ? parse(item, error) : NULL;

        if (!parsed) {
            g_prefix_error(error, "item %zu: ", i);
            return NULL;
        }
        g_ptr_array_add(list, parsed);
    }
    return g_steal_pointer(&list);
}

gboolean
ds_qmp_parse_status_info(json_object *ret, DsQmpStatusInfo *info, GError **error)
{
    memset(info, 0, sizeof(*info));
    if (is_a(ret, json_type_object, "the reply", error) &&
        get_string(ret, "status", TRUE, &info->status, error) &&
        get_bool(ret, "running", TRUE, &info->running, error))
        return TRUE;
    ds_qmp_status_info_clear(info);
    return FALSE;
}

gboolean
ds_qmp_parse_vnc_info(json_object *ret, DsQmpVncInfo *info, GError **error)
{
    memset(info, 0, sizeof(*info));
    if (is_a(ret, json_type_object, "the reply", error) &&
        get_bool(ret, "enabled", TRUE, &info->enabled, error) &&
        get_string(ret, "host", FALSE, &info->host, error) &&
        get_string(ret, "service", FALSE, &info->service, error))
        return TRUE;
    ds_qmp_vnc_info_clear(info);
    return FALSE;
}

static gpointer
block_info(json_object *obj, GError **error)
{
    g_autoptr(DsQmpBlockInfo) info = g_new0(DsQmpBlockInfo, 1);
    json_object *inserted;

    if (!get_string(obj, "device", TRUE, &info->device, error) ||
        !get_string(obj, "qdev", FALSE, &info->qdev, error) ||
        !member(obj, "inserted", json_type_object, FALSE, &inserted, error))
        return NULL;
    if (inserted && !get_string(inserted, "node-name", FALSE, &info->node_name, error)) {
        g_prefix_error(error, "'inserted': ");
        return NULL;
    }
    return g_steal_pointer(&info);
}

GPtrArray *
ds_qmp_parse_block_info_list(json_object *ret, GError **error)
{
    return parse_list(ret, block_info, (GDestroyNotify)ds_qmp_block_info_free, error);
}

static gpointer
block_device_info(json_object *obj, GError **error)
{
    g_autoptr(DsQmpBlockDeviceInfo) info = g_new0(DsQmpBlockDeviceInfo, 1);

    if (!get_string(obj, "node-name", FALSE, &info->node_name, error) ||
        !get_string(obj, "drv", TRUE, &info->drv, error) ||
        !get_string(obj, "file", TRUE, &info->file, error))
        return NULL;
    return g_steal_pointer(&info);
}

GPtrArray *
ds_qmp_parse_block_device_info_list(json_object *ret, GError **error)
{
    return parse_list(ret, block_device_info, (GDestroyNotify)ds_qmp_block_device_info_free,
                      error);
}

static gpointer
job_info(json_object *obj, GError **error)
{
    g_autoptr(DsQmpJobInfo) info = g_new0(DsQmpJobInfo, 1);

    if (!get_string(obj, "id", TRUE, &info->id, error) ||
        !get_string(obj, "type", TRUE, &info->type, error) ||
        !get_string(obj, "status", TRUE, &info->status, error) ||
        !get_string(obj, "error", FALSE, &info->error, error))
        return NULL;
    return g_steal_pointer(&info);
}

GPtrArray *
ds_qmp_parse_job_info_list(json_object *ret, GError **error)
{
    return parse_list(ret, job_info, (GDestroyNotify)ds_qmp_job_info_free, error);
}

static gpointer
capability_name(json_object *obj, GError **error)
{
    g_autofree char *name = NULL;
    gboolean state;

    if (!get_string(obj, "capability", TRUE, &name, error) ||
        !get_bool(obj, "state", TRUE, &state, error))
        return NULL;
    return g_steal_pointer(&name);
}

char **
ds_qmp_parse_migration_capability_names(json_object *ret, GError **error)
{
    g_autoptr(GPtrArray) names = parse_list(ret, capability_name, g_free, error);

    if (!names)
        return NULL;
    g_ptr_array_set_free_func(names, NULL);
    g_ptr_array_add(names, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

static gboolean
migration_stats(json_object *ret, DsQmpMigrationInfo *info, GError **error)
{
    json_object *ram;
    gint64 transferred = 0, total = 0;

    if (!member(ret, "ram", json_type_object, FALSE, &ram, error))
        return FALSE;
    if (ram && (!get_int(ram, "transferred", TRUE, &transferred, error) ||
                !get_int(ram, "total", TRUE, &total, error))) {
        g_prefix_error(error, "'ram': ");
        return FALSE;
    }
    info->ram_transferred = MAX(transferred, 0);
    info->ram_total = MAX(total, 0);
    return TRUE;
}

gboolean
ds_qmp_parse_migration_info(json_object *ret, DsQmpMigrationInfo *info, GError **error)
{
    memset(info, 0, sizeof(*info));
    if (is_a(ret, json_type_object, "the reply", error) &&
        get_string(ret, "status", FALSE, &info->status, error) &&
        get_string(ret, "error-desc", FALSE, &info->error_desc, error) &&
        migration_stats(ret, info, error))
        return TRUE;
    ds_qmp_migration_info_clear(info);
    return FALSE;
}

gboolean
ds_qmp_parse_block_job_event(json_object *data, char **device, char **job_error,
                             GError **error)
{
    *device = NULL;
    *job_error = NULL;
    if (data && is_a(data, json_type_object, "the event's data", error) &&
        get_string(data, "device", TRUE, device, error) &&
        get_string(data, "error", FALSE, job_error, error))
        return TRUE;
    if (!data)
        g_set_error(error, DS_ERROR, DS_ERROR_QMP, "the event has no data");
    g_clear_pointer(device, g_free);
    return FALSE;
}

gboolean
ds_qga_parse_fsfreeze_count(json_object *ret, gint64 *count, GError **error)
{
    if (!is_a(ret, json_type_int, "the reply", error))
        return FALSE;
    *count = json_object_get_int64(ret);
    return TRUE;
}
