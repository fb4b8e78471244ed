/*
 * qmp_types: the JSON side of qmp_commands.h and qga_commands.h, as pure
 * functions (no socket), so that each command's arguments and reply
 * parsing can be tested on their own: what QEMU's generated qapi-visit
 * code does for it.
 *
 * ds_qmp_args_*() build a command's "arguments" (a new object).
 * ds_qmp_parse_*() read a command's "return" (borrowed) into a C value and
 * fail with DS_ERROR_QMP naming the member that does not fit the schema;
 * qmp_commands.c puts the domain and the command in front of that.
 *
 * Only the layer (qmp_commands.c, qga_commands.c) and its unit test include
 * this header (tests/check-qmp-layer.sh).
 */
#pragma once

#include <json-c/json.h>

#include "qga_commands.h"
#include "qmp_commands.h"

/* ---- arguments ---- */

json_object *ds_qmp_args_change_vnc_password(const char *password);
json_object *ds_qmp_args_eject(const char *id, gboolean force);
json_object *ds_qmp_args_blockdev_change_medium(const DsQmpBlockdevChangeMedium *medium);
json_object *ds_qmp_args_blockdev_add(const DsQmpBlockdevOptions *options);
json_object *ds_qmp_args_blockdev_del(const char *node_name);
json_object *ds_qmp_args_transaction(const DsQmpTransactionAction *actions, guint n);
json_object *ds_qmp_args_blockdev_snapshot_delete_internal_sync(const char *device,
                                                                const char *name);
json_object *ds_qmp_args_block_commit(const DsQmpBlockCommit *commit);
json_object *ds_qmp_args_block_stream(const DsQmpBlockStream *stream);
/* block-job-complete and job-dismiss: the job's id ("device" or "id"). */
json_object *ds_qmp_args_block_job_complete(const char *device);
json_object *ds_qmp_args_job_dismiss(const char *id);
/* snapshot-save/-load/-delete (delete takes no vmstate: leave it NULL). */
json_object *ds_qmp_args_snapshot_job(const DsQmpSnapshotJob *job);
json_object *ds_qmp_args_migrate_set_capabilities(
    const DsQmpMigrationCapabilityStatus *capabilities, guint n);
json_object *ds_qmp_args_migrate_set_parameters(const DsQmpMigrateParameters *parameters);
json_object *ds_qmp_args_getfd(const char *fdname);
/* migrate and migrate-incoming: the URI. */
json_object *ds_qmp_args_migrate(const char *uri);

json_object *ds_qga_args_guest_set_time(gint64 ns);
json_object *ds_qga_args_guest_shutdown(const char *mode);

/* ---- replies ---- */

gboolean ds_qmp_parse_status_info(json_object *ret, DsQmpStatusInfo *info, GError **error);
gboolean ds_qmp_parse_vnc_info(json_object *ret, DsQmpVncInfo *info, GError **error);
GPtrArray *ds_qmp_parse_block_info_list(json_object *ret, GError **error);
GPtrArray *ds_qmp_parse_block_device_info_list(json_object *ret, GError **error);
GPtrArray *ds_qmp_parse_job_info_list(json_object *ret, GError **error);
char **ds_qmp_parse_migration_capability_names(json_object *ret, GError **error);
gboolean ds_qmp_parse_migration_info(json_object *ret, DsQmpMigrationInfo *info,
                                     GError **error);

/* A BLOCK_JOB_* event's data: the job's id and, if it failed, why. */
gboolean ds_qmp_parse_block_job_event(json_object *data, char **device, char **job_error,
                                      GError **error);

/* guest-fsfreeze-freeze and -thaw return how many filesystems they touched. */
gboolean ds_qga_parse_fsfreeze_count(json_object *ret, gint64 *count, GError **error);
