/*
 * qmp_commands.c: each command is its arguments (qmp_types.c), one round
 * trip (qmp.c) and its reply parsed (qmp_types.c); the replies' references
 * are dropped here and nowhere else.
 */
#include "qmp_commands.h"

#include <string.h>

#include "domsnap.h"
#include "qmp_types.h"
#include "qmp_wire.h"

/* Runs a command whose reply holds nothing domsnap reads. */
static gboolean
run(DsQmp *qmp, const char *command, json_object *args, GError **error)
{
    json_object *ret = ds_qmp_command(qmp, command, args, error);

    if (!ret)
        return FALSE;
    json_object_put(ret);
    return TRUE;
}

/* Drops the reply @ret once read; @ok: it fitted (else the error says
 * what did not, and gets the domain and the command in front). */
static gboolean
parsed(DsQmp *qmp, const char *command, json_object *ret, gboolean ok, GError **error)
{
    if (!ret)
        return FALSE;
    json_object_put(ret);
    if (!ok)
        g_prefix_error(error, "domain '%s': QEMU's reply to '%s' does not fit its schema: ",
                       ds_qmp_who(qmp), command);
    return ok;
}

typedef GPtrArray *(*ListParse)(json_object *ret, GError **error);

static GPtrArray *
query_list(DsQmp *qmp, const char *command, ListParse parse, GError **error)
{
    json_object *ret = ds_qmp_command(qmp, command, NULL, error);
    g_autoptr(GPtrArray) list = ret ? parse(ret, error) : NULL;

    return parsed(qmp, command, ret, list != NULL, error) ? g_steal_pointer(&list) : NULL;
}

/* ---- run state ---- */

gboolean
ds_qmp_query_status(DsQmp *qmp, DsQmpStatusInfo *info, GError **error)
{
    json_object *ret = ds_qmp_command(qmp, "query-status", NULL, error);

    memset(info, 0, sizeof(*info));
    return parsed(qmp, "query-status", ret, ret && ds_qmp_parse_status_info(ret, info, error),
                  error);
}

gboolean
ds_qmp_stop(DsQmp *qmp, GError **error)
{
    return run(qmp, "stop", NULL, error);
}

gboolean
ds_qmp_cont(DsQmp *qmp, GError **error)
{
    return run(qmp, "cont", NULL, error);
}

gboolean
ds_qmp_system_powerdown(DsQmp *qmp, GError **error)
{
    return run(qmp, "system_powerdown", NULL, error);
}

gboolean
ds_qmp_quit(DsQmp *qmp, GError **error)
{
    return run(qmp, "quit", NULL, error);
}

/* ---- display and removable media ---- */

gboolean
ds_qmp_query_vnc(DsQmp *qmp, DsQmpVncInfo *info, GError **error)
{
    json_object *ret = ds_qmp_command(qmp, "query-vnc", NULL, error);

    memset(info, 0, sizeof(*info));
    return parsed(qmp, "query-vnc", ret, ret && ds_qmp_parse_vnc_info(ret, info, error), error);
}

gboolean
ds_qmp_change_vnc_password(DsQmp *qmp, const char *password, GError **error)
{
    return run(qmp, "change-vnc-password", ds_qmp_args_change_vnc_password(password), error);
}

gboolean
ds_qmp_eject(DsQmp *qmp, const char *id, gboolean force, GError **error)
{
    return run(qmp, "eject", ds_qmp_args_eject(id, force), error);
}

gboolean
ds_qmp_blockdev_change_medium(DsQmp *qmp, const DsQmpBlockdevChangeMedium *medium,
                              GError **error)
{
    return run(qmp, "blockdev-change-medium", ds_qmp_args_blockdev_change_medium(medium), error);
}

/* ---- the block graph ---- */

GPtrArray *
ds_qmp_query_block(DsQmp *qmp, GError **error)
{
    return query_list(qmp, "query-block", ds_qmp_parse_block_info_list, error);
}

GPtrArray *
ds_qmp_query_named_block_nodes(DsQmp *qmp, GError **error)
{
    return query_list(qmp, "query-named-block-nodes", ds_qmp_parse_block_device_info_list, error);
}

gboolean
ds_qmp_blockdev_add(DsQmp *qmp, const DsQmpBlockdevOptions *options, GError **error)
{
    return run(qmp, "blockdev-add", ds_qmp_args_blockdev_add(options), error);
}

gboolean
ds_qmp_blockdev_del(DsQmp *qmp, const char *node_name, GError **error)
{
    return run(qmp, "blockdev-del", ds_qmp_args_blockdev_del(node_name), error);
}

gboolean
ds_qmp_transaction(DsQmp *qmp, const DsQmpTransactionAction *actions, guint n, GError **error)
{
    return run(qmp, "transaction", ds_qmp_args_transaction(actions, n), error);
}

gboolean
ds_qmp_blockdev_snapshot_delete_internal_sync(DsQmp *qmp, const char *device, const char *name,
                                              GError **error)
{
    return run(qmp, "blockdev-snapshot-delete-internal-sync",
               ds_qmp_args_blockdev_snapshot_delete_internal_sync(device, name), error);
}

/* ---- block jobs ---- */

gboolean
ds_qmp_block_commit(DsQmp *qmp, const DsQmpBlockCommit *commit, GError **error)
{
    return run(qmp, "block-commit", ds_qmp_args_block_commit(commit), error);
}

gboolean
ds_qmp_block_stream(DsQmp *qmp, const DsQmpBlockStream *stream, GError **error)
{
    return run(qmp, "block-stream", ds_qmp_args_block_stream(stream), error);
}

gboolean
ds_qmp_block_job_complete(DsQmp *qmp, const char *device, GError **error)
{
    return run(qmp, "block-job-complete", ds_qmp_args_block_job_complete(device), error);
}

gboolean
ds_qmp_wait_block_job_event(DsQmp *qmp, const char *event, const char *job_id, int timeout_ms,
                            GError **error)
{
    for (;;) {
        g_autoptr(DsQmpEvent) ev = ds_qmp_wait_event(qmp, event, timeout_ms, error);
        g_autofree char *device = NULL;
        g_autofree char *job_error = NULL;

        if (!ev)
            return FALSE;
        /* Another job's event (or one without a job's id): not ours. */
        if (!ds_qmp_parse_block_job_event(ev->data, &device, &job_error, NULL) ||
            g_strcmp0(device, job_id) != 0)
            continue;
        if (job_error) {
            g_set_error(error, DS_ERROR, DS_ERROR_FAILED, "domain '%s': block job %s failed: %s",
                        ds_qmp_who(qmp), job_id, job_error);
            return FALSE;
        }
        return TRUE;
    }
}

/* ---- jobs ---- */

gboolean
ds_qmp_snapshot_save(DsQmp *qmp, const DsQmpSnapshotJob *job, GError **error)
{
    return run(qmp, "snapshot-save", ds_qmp_args_snapshot_job(job), error);
}

gboolean
ds_qmp_snapshot_load(DsQmp *qmp, const DsQmpSnapshotJob *job, GError **error)
{
    return run(qmp, "snapshot-load", ds_qmp_args_snapshot_job(job), error);
}

gboolean
ds_qmp_snapshot_delete(DsQmp *qmp, const DsQmpSnapshotJob *job, GError **error)
{
    DsQmpSnapshotJob without_vmstate = *job;

    /* snapshot-delete has no vmstate member: QEMU would refuse it. */
    without_vmstate.vmstate = NULL;
    return run(qmp, "snapshot-delete", ds_qmp_args_snapshot_job(&without_vmstate), error);
}

GPtrArray *
ds_qmp_query_jobs(DsQmp *qmp, GError **error)
{
    return query_list(qmp, "query-jobs", ds_qmp_parse_job_info_list, error);
}

gboolean
ds_qmp_job_dismiss(DsQmp *qmp, const char *id, GError **error)
{
    return run(qmp, "job-dismiss", ds_qmp_args_job_dismiss(id), error);
}

/* ---- migration ---- */

gboolean
ds_qmp_migrate_set_capabilities(DsQmp *qmp, const DsQmpMigrationCapabilityStatus *capabilities,
                                guint n, GError **error)
{
    return run(qmp, "migrate-set-capabilities",
               ds_qmp_args_migrate_set_capabilities(capabilities, n), error);
}

char **
ds_qmp_query_migrate_capabilities(DsQmp *qmp, GError **error)
{
    json_object *ret = ds_qmp_command(qmp, "query-migrate-capabilities", NULL, error);
    g_auto(GStrv) names = ret ? ds_qmp_parse_migration_capability_names(ret, error) : NULL;

    return parsed(qmp, "query-migrate-capabilities", ret, names != NULL, error)
               ? g_steal_pointer(&names) : NULL;
}

gboolean
ds_qmp_migrate_set_parameters(DsQmp *qmp, const DsQmpMigrateParameters *parameters,
                              GError **error)
{
    return run(qmp, "migrate-set-parameters", ds_qmp_args_migrate_set_parameters(parameters),
               error);
}

gboolean
ds_qmp_getfd(DsQmp *qmp, int fd, const char *fdname, GError **error)
{
    json_object *ret = ds_qmp_command_fd(qmp, "getfd", ds_qmp_args_getfd(fdname), fd, error);

    if (!ret)
        return FALSE;
    json_object_put(ret);
    return TRUE;
}

gboolean
ds_qmp_migrate(DsQmp *qmp, const char *uri, GError **error)
{
    return run(qmp, "migrate", ds_qmp_args_migrate(uri), error);
}

gboolean
ds_qmp_migrate_incoming(DsQmp *qmp, const char *uri, GError **error)
{
    return run(qmp, "migrate-incoming", ds_qmp_args_migrate(uri), error);
}

gboolean
ds_qmp_migrate_cancel(DsQmp *qmp, GError **error)
{
    return run(qmp, "migrate_cancel", NULL, error);
}

gboolean
ds_qmp_query_migrate(DsQmp *qmp, DsQmpMigrationInfo *info, GError **error)
{
    json_object *ret = ds_qmp_command(qmp, "query-migrate", NULL, error);

    memset(info, 0, sizeof(*info));
    return parsed(qmp, "query-migrate", ret, ret && ds_qmp_parse_migration_info(ret, info, error),
                  error);
}
