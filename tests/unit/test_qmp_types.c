/*
 * The typed QMP layer's pure halves (qmp_types.c): each command's
 * arguments as the JSON QEMU receives, and each reply read into its C
 * struct, including replies that do not fit QEMU's schema. The round trip
 * through a socket is test_qmp.c's; against real QEMU, the integration
 * tests'.
 */
#include <string.h>

#include "domsnap.h"
#include "drivers/qemu/qmp_types.h"

/* Takes @args over; compares its text with @expected. */
static void
assert_args(json_object *args, const char *expected)
{
    g_assert_nonnull(args);
    g_assert_cmpstr(json_object_to_json_string_ext(
                        args, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
                    ==, expected);
    json_object_put(args);
}

static void
test_args_run_state_and_media(void)
{
    DsQmpBlockdevChangeMedium iso = { "ds-cd1", "/img/a.iso", "raw", "read-only" };
    DsQmpBlockdevChangeMedium retain = { "ds-cd0", "/img/b.qcow2", "qcow2", NULL };

    assert_args(ds_qmp_args_change_vnc_password("s3cret"), "{\"password\":\"s3cret\"}");
    /* What made hand-built commands risky: quotes and backslashes in values. */
    assert_args(ds_qmp_args_change_vnc_password("a\"b\\c"), "{\"password\":\"a\\\"b\\\\c\"}");
    assert_args(ds_qmp_args_eject("ds-cd0", TRUE), "{\"id\":\"ds-cd0\",\"force\":true}");
    assert_args(ds_qmp_args_blockdev_change_medium(&iso),
                "{\"id\":\"ds-cd1\",\"filename\":\"/img/a.iso\",\"format\":\"raw\","
                "\"read-only-mode\":\"read-only\"}");
    assert_args(ds_qmp_args_blockdev_change_medium(&retain),
                "{\"id\":\"ds-cd0\",\"filename\":\"/img/b.qcow2\",\"format\":\"qcow2\"}");
}

static void
test_args_block_graph(void)
{
    DsQmpBlockdevOptions overlay = { "ds-ov0-1", "qcow2", "/snap/xvda.qcow2", TRUE };
    DsQmpBlockdevOptions plain = { "n1", "qcow2", "/img/a.qcow2", FALSE };
    DsQmpTransactionAction actions[] = {
        { DS_QMP_ACTION_BLOCKDEV_SNAPSHOT_INTERNAL_SYNC, "n0", "snap1", NULL },
        { DS_QMP_ACTION_BLOCKDEV_SNAPSHOT, "n1", NULL, "ds-ov1" },
    };

    assert_args(ds_qmp_args_blockdev_add(&overlay),
                "{\"driver\":\"qcow2\",\"node-name\":\"ds-ov0-1\",\"file\":{\"driver\":\"file\","
                "\"filename\":\"/snap/xvda.qcow2\"},\"backing\":null}");
    assert_args(ds_qmp_args_blockdev_add(&plain),
                "{\"driver\":\"qcow2\",\"node-name\":\"n1\",\"file\":{\"driver\":\"file\","
                "\"filename\":\"/img/a.qcow2\"}}");
    assert_args(ds_qmp_args_blockdev_del("ds-ov0-1"), "{\"node-name\":\"ds-ov0-1\"}");
    assert_args(ds_qmp_args_transaction(actions, 2),
                "{\"actions\":[{\"type\":\"blockdev-snapshot-internal-sync\",\"data\":"
                "{\"device\":\"n0\",\"name\":\"snap1\"}},{\"type\":\"blockdev-snapshot\","
                "\"data\":{\"node\":\"n1\",\"overlay\":\"ds-ov1\"}}]}");
    assert_args(ds_qmp_args_transaction(NULL, 0), "{\"actions\":[]}");
    assert_args(ds_qmp_args_blockdev_snapshot_delete_internal_sync("n0", "snap1"),
                "{\"device\":\"n0\",\"name\":\"snap1\"}");
}

static void
test_args_jobs(void)
{
    DsQmpBlockCommit commit = { "ds-undo-1", "ds-ov0", "n0", TRUE };
    DsQmpBlockStream stream = { "ds-stream-1", "n3", NULL };
    DsQmpBlockStream stream_to = { "ds-stream-2", "n3", "n1" };
    const char *const nodes[] = { "n0", "n1", NULL };
    DsQmpSnapshotJob save = { "ds-snapshot-save-1", "s1", "n0", nodes };
    DsQmpSnapshotJob none = { "j", "s1", NULL, NULL };

    assert_args(ds_qmp_args_block_commit(&commit),
                "{\"job-id\":\"ds-undo-1\",\"device\":\"ds-ov0\",\"base-node\":\"n0\","
                "\"auto-dismiss\":true}");
    assert_args(ds_qmp_args_block_stream(&stream), "{\"job-id\":\"ds-stream-1\",\"device\":\"n3\"}");
    assert_args(ds_qmp_args_block_stream(&stream_to),
                "{\"job-id\":\"ds-stream-2\",\"device\":\"n3\",\"base-node\":\"n1\"}");
    assert_args(ds_qmp_args_block_job_complete("ds-undo-1"), "{\"device\":\"ds-undo-1\"}");
    assert_args(ds_qmp_args_job_dismiss("ds-undo-1"), "{\"id\":\"ds-undo-1\"}");
    assert_args(ds_qmp_args_snapshot_job(&save),
                "{\"job-id\":\"ds-snapshot-save-1\",\"tag\":\"s1\",\"vmstate\":\"n0\","
                "\"devices\":[\"n0\",\"n1\"]}");
    assert_args(ds_qmp_args_snapshot_job(&none), "{\"job-id\":\"j\",\"tag\":\"s1\",\"devices\":[]}");
}

static void
test_args_migration_and_agent(void)
{
    DsQmpMigrationCapabilityStatus caps[] = { { "background-snapshot", FALSE },
                                              { "events", TRUE } };
    DsQmpMigrateParameters params = { G_MAXINT64 / 2 };

    assert_args(ds_qmp_args_migrate_set_capabilities(caps, 2),
                "{\"capabilities\":[{\"capability\":\"background-snapshot\",\"state\":false},"
                "{\"capability\":\"events\",\"state\":true}]}");
    assert_args(ds_qmp_args_migrate_set_parameters(&params),
                "{\"max-bandwidth\":4611686018427387903}");
    assert_args(ds_qmp_args_getfd("domsnap-memory"), "{\"fdname\":\"domsnap-memory\"}");
    assert_args(ds_qmp_args_migrate("fd:domsnap-memory"), "{\"uri\":\"fd:domsnap-memory\"}");
    assert_args(ds_qga_args_guest_set_time(1700000000123456789),
                "{\"time\":1700000000123456789}");
    assert_args(ds_qga_args_guest_shutdown("powerdown"), "{\"mode\":\"powerdown\"}");
}

/* ---- replies ---- */

static json_object *
reply(const char *text)
{
    json_object *ret = json_tokener_parse(text);

    g_assert_nonnull(ret);
    return ret;
}

/* The error a parser gave for a reply that does not fit. */
static void
assert_misfit(GError *error, const char *message)
{
    g_assert_error(error, DS_ERROR, DS_ERROR_QMP);
    g_assert_cmpstr(error->message, ==, message);
}

static void
test_parse_status(void)
{
    json_object *ok = reply("{\"status\": \"paused\", \"singlestep\": false, \"running\": false}");
    json_object *missing = reply("{\"running\": true}");
    json_object *wrong = reply("{\"status\": 3, \"running\": true}");
    json_object *list = reply("[]");
    g_auto(DsQmpStatusInfo) info = { 0 };
    GError *error = NULL;

    g_assert_true(ds_qmp_parse_status_info(ok, &info, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(info.status, ==, "paused");
    g_assert_false(info.running);
    ds_qmp_status_info_clear(&info);

    g_assert_false(ds_qmp_parse_status_info(missing, &info, &error));
    assert_misfit(error, "'status' is missing");
    g_clear_error(&error);
    g_assert_false(ds_qmp_parse_status_info(wrong, &info, &error));
    assert_misfit(error, "'status' is an integer, not a string");
    g_assert_null(info.status);
    g_clear_error(&error);
    g_assert_false(ds_qmp_parse_status_info(list, &info, &error));
    assert_misfit(error, "the reply is an array, not an object");
    g_clear_error(&error);
    json_object_put(ok);
    json_object_put(missing);
    json_object_put(wrong);
    json_object_put(list);
}

static void
test_parse_vnc(void)
{
    json_object *on = reply("{\"enabled\": true, \"host\": \"127.0.0.1\", \"service\": \"5901\", "
                            "\"family\": \"ipv4\", \"auth\": \"none\", \"clients\": []}");
    json_object *off = reply("{\"enabled\": false}");
    g_auto(DsQmpVncInfo) info = { 0 };
    GError *error = NULL;

    g_assert_true(ds_qmp_parse_vnc_info(on, &info, &error));
    g_assert_true(info.enabled);
    g_assert_cmpstr(info.host, ==, "127.0.0.1");
    g_assert_cmpstr(info.service, ==, "5901");
    ds_qmp_vnc_info_clear(&info);
    g_assert_true(ds_qmp_parse_vnc_info(off, &info, &error));
    g_assert_no_error(error);
    g_assert_false(info.enabled);
    g_assert_null(info.host);
    json_object_put(on);
    json_object_put(off);
}

static void
test_parse_block(void)
{
    json_object *ok = reply(
        "[{\"device\": \"\", \"qdev\": \"/machine/peripheral/ds-disk0/virtio-backend\", "
        "\"locked\": false, \"inserted\": {\"node-name\": \"#block123\", \"ro\": false}}, "
        "{\"device\": \"ide1-cd0\", \"qdev\": \"ds-cd0\", \"locked\": false}, "
        "{\"device\": \"pflash0\", \"locked\": false}]");
    json_object *bad_item = reply("[{\"device\": \"\"}, 5]");
    json_object *bad_node = reply("[{\"device\": \"x\", \"inserted\": {\"node-name\": 1}}]");
    g_autoptr(GPtrArray) blocks = NULL;
    DsQmpBlockInfo *b;
    GError *error = NULL;

    blocks = ds_qmp_parse_block_info_list(ok, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(blocks->len, ==, 3);
    b = blocks->pdata[0];
    g_assert_cmpstr(b->device, ==, "");
    g_assert_cmpstr(b->qdev, ==, "/machine/peripheral/ds-disk0/virtio-backend");
    g_assert_cmpstr(b->node_name, ==, "#block123");
    b = blocks->pdata[1];
    g_assert_cmpstr(b->qdev, ==, "ds-cd0");
    g_assert_null(b->node_name); /* no medium */
    g_assert_null(((DsQmpBlockInfo *)blocks->pdata[2])->qdev);

    g_assert_null(ds_qmp_parse_block_info_list(bad_item, &error));
    assert_misfit(error, "item 1: it is an integer, not an object");
    g_clear_error(&error);
    g_assert_null(ds_qmp_parse_block_info_list(bad_node, &error));
    assert_misfit(error, "item 0: 'inserted': 'node-name' is an integer, not a string");
    g_clear_error(&error);
    json_object_put(ok);
    json_object_put(bad_item);
    json_object_put(bad_node);
}

static void
test_parse_named_block_nodes(void)
{
    json_object *ok = reply("[{\"node-name\": \"n1\", \"drv\": \"qcow2\", \"file\": \"/a.qcow2\", "
                            "\"backing_file_depth\": 0}, "
                            "{\"drv\": \"file\", \"file\": \"/a.qcow2\"}]");
    json_object *no_drv = reply("[{\"node-name\": \"n1\", \"file\": \"/a.qcow2\"}]");
    g_autoptr(GPtrArray) nodes = NULL;
    DsQmpBlockDeviceInfo *n;
    GError *error = NULL;

    nodes = ds_qmp_parse_block_device_info_list(ok, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(nodes->len, ==, 2);
    n = nodes->pdata[0];
    g_assert_cmpstr(n->node_name, ==, "n1");
    g_assert_cmpstr(n->drv, ==, "qcow2");
    g_assert_cmpstr(n->file, ==, "/a.qcow2");
    g_assert_null(((DsQmpBlockDeviceInfo *)nodes->pdata[1])->node_name);
    g_assert_null(ds_qmp_parse_block_device_info_list(no_drv, &error));
    assert_misfit(error, "item 0: 'drv' is missing");
    g_clear_error(&error);
    json_object_put(ok);
    json_object_put(no_drv);
}

static void
test_parse_jobs_and_capabilities(void)
{
    json_object *jobs = reply("[{\"id\": \"j1\", \"type\": \"snapshot-save\", \"status\": "
                              "\"concluded\", \"current-progress\": 1, \"total-progress\": 1, "
                              "\"error\": \"No space left on device\"}, "
                              "{\"id\": \"j2\", \"type\": \"commit\", \"status\": \"running\", "
                              "\"current-progress\": 0, \"total-progress\": 1}]");
    json_object *caps = reply("[{\"capability\": \"xbzrle\", \"state\": false}, "
                              "{\"capability\": \"background-snapshot\", \"state\": false}]");
    json_object *bad_caps = reply("[{\"capability\": \"xbzrle\"}]");
    g_autoptr(GPtrArray) list = NULL;
    g_auto(GStrv) names = NULL;
    DsQmpJobInfo *j;
    GError *error = NULL;

    list = ds_qmp_parse_job_info_list(jobs, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(list->len, ==, 2);
    j = list->pdata[0];
    g_assert_cmpstr(j->id, ==, "j1");
    g_assert_cmpstr(j->type, ==, "snapshot-save");
    g_assert_cmpstr(j->status, ==, "concluded");
    g_assert_cmpstr(j->error, ==, "No space left on device");
    g_assert_null(((DsQmpJobInfo *)list->pdata[1])->error);

    names = ds_qmp_parse_migration_capability_names(caps, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(g_strv_length(names), ==, 2);
    g_assert_true(g_strv_contains((const char *const *)names, "background-snapshot"));
    g_assert_null(ds_qmp_parse_migration_capability_names(bad_caps, &error));
    assert_misfit(error, "item 0: 'state' is missing");
    g_clear_error(&error);
    json_object_put(jobs);
    json_object_put(caps);
    json_object_put(bad_caps);
}

static void
test_parse_migration(void)
{
    json_object *never = reply("{}");
    json_object *active = reply("{\"status\": \"active\", \"ram\": {\"transferred\": 10, "
                                "\"remaining\": 90, \"total\": 100}}");
    json_object *failed = reply("{\"status\": \"failed\", \"error-desc\": \"No space\"}");
    json_object *bad_ram = reply("{\"status\": \"active\", \"ram\": {\"total\": 100}}");
    g_auto(DsQmpMigrationInfo) info = { 0 };
    GError *error = NULL;

    g_assert_true(ds_qmp_parse_migration_info(never, &info, &error));
    g_assert_null(info.status);
    g_assert_cmpuint(info.ram_total, ==, 0);
    g_assert_true(ds_qmp_parse_migration_info(active, &info, &error));
    g_assert_cmpstr(info.status, ==, "active");
    g_assert_cmpuint(info.ram_transferred, ==, 10);
    g_assert_cmpuint(info.ram_total, ==, 100);
    ds_qmp_migration_info_clear(&info);
    g_assert_true(ds_qmp_parse_migration_info(failed, &info, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(info.error_desc, ==, "No space");
    ds_qmp_migration_info_clear(&info);
    g_assert_false(ds_qmp_parse_migration_info(bad_ram, &info, &error));
    assert_misfit(error, "'ram': 'transferred' is missing");
    g_assert_null(info.status);
    g_clear_error(&error);
    json_object_put(never);
    json_object_put(active);
    json_object_put(failed);
    json_object_put(bad_ram);
}

static void
test_parse_events_and_agent(void)
{
    json_object *done = reply("{\"device\": \"j1\", \"len\": 1, \"offset\": 1, \"speed\": 0, "
                              "\"type\": \"commit\"}");
    json_object *failed = reply("{\"device\": \"j1\", \"len\": 1, \"offset\": 0, \"speed\": 0, "
                                "\"type\": \"commit\", \"error\": \"Input/output error\"}");
    json_object *count = reply("2");
    json_object *object = reply("{}");
    g_autofree char *device = NULL;
    g_autofree char *job_error = NULL;
    GError *error = NULL;
    gint64 n = -1;

    g_assert_true(ds_qmp_parse_block_job_event(done, &device, &job_error, &error));
    g_assert_cmpstr(device, ==, "j1");
    g_assert_null(job_error);
    g_clear_pointer(&device, g_free);
    g_assert_true(ds_qmp_parse_block_job_event(failed, &device, &job_error, &error));
    g_assert_cmpstr(job_error, ==, "Input/output error");
    g_clear_pointer(&device, g_free);
    g_clear_pointer(&job_error, g_free);
    g_assert_false(ds_qmp_parse_block_job_event(NULL, &device, &job_error, &error));
    assert_misfit(error, "the event has no data");
    g_clear_error(&error);

    g_assert_true(ds_qga_parse_fsfreeze_count(count, &n, &error));
    g_assert_cmpint(n, ==, 2);
    g_assert_false(ds_qga_parse_fsfreeze_count(object, &n, &error));
    assert_misfit(error, "the reply is an object, not an integer");
    g_clear_error(&error);
    json_object_put(done);
    json_object_put(failed);
    json_object_put(count);
    json_object_put(object);
}

static void
test_agent_request(void)
{
    const char *bad[] = { "not json", "[1]", "{\"arguments\": {}}", "{\"execute\": 5}", NULL };
    g_autoptr(DsQgaRequest) ok = NULL;
    GError *error = NULL;

    for (guint i = 0; bad[i]; i++) {
        g_autofree char *expected = g_strdup_printf(
            "domain 'web1': an agent command is a JSON object with \"execute\" (and "
            "\"arguments\"), not '%s'", bad[i]);
        g_assert_null(ds_qga_request_parse(bad[i], "web1", &error));
        g_assert_error(error, DS_ERROR, DS_ERROR_INVALID);
        g_assert_cmpstr(error->message, ==, expected);
        g_clear_error(&error);
    }
    ok = ds_qga_request_parse("{\"execute\": \"guest-info\", \"arguments\": {}}", "web1", &error);
    g_assert_no_error(error);
    g_assert_nonnull(ok);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp-types/args/run-state-and-media", test_args_run_state_and_media);
    g_test_add_func("/qmp-types/args/block-graph", test_args_block_graph);
    g_test_add_func("/qmp-types/args/jobs", test_args_jobs);
    g_test_add_func("/qmp-types/args/migration-and-agent", test_args_migration_and_agent);
    g_test_add_func("/qmp-types/reply/status", test_parse_status);
    g_test_add_func("/qmp-types/reply/vnc", test_parse_vnc);
    g_test_add_func("/qmp-types/reply/block", test_parse_block);
    g_test_add_func("/qmp-types/reply/named-block-nodes", test_parse_named_block_nodes);
    g_test_add_func("/qmp-types/reply/jobs-and-capabilities", test_parse_jobs_and_capabilities);
    g_test_add_func("/qmp-types/reply/migration", test_parse_migration);
    g_test_add_func("/qmp-types/reply/events-and-agent", test_parse_events_and_agent);
    g_test_add_func("/qmp-types/agent-request", test_agent_request);
    return g_test_run();
}
