/* Snapshot commands: snapshot-create, snapshot-revert (the Xen design's names). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int cmd_snapshot_create(CliContext *ctx, int argc, char **argv);
static int cmd_snapshot_revert(CliContext *ctx, int argc, char **argv);
static int cmd_snapshot_dumpxml(CliContext *ctx, int argc, char **argv);

const CliCommand cli_snapshot_commands[] = {
    { "snapshot-create",
      "DOM [CFGFILE] [-n|--name N] [--live[=background|precopy]] [--internal|--external] "
      "[--dir DIR] [--disk-only] [--quiesce] [--description TEXT] [--dry-run] [--xml FILE [--redefine]] "
      "[KEY=VALUE...]",
      "Take a snapshot (memory and disks) of a domain", cmd_snapshot_create },
    { "snapshot-revert", "DOM SNAP|CFGFILE | -n SNAP DOM [--running|--paused] [--force] [--no-time-sync]",
      "Put a domain back at a snapshot", cmd_snapshot_revert },
    { "snapshot-dumpxml", "DOM SNAP [--domain]",
      "Print a snapshot as libvirt domainsnapshot XML", cmd_snapshot_dumpxml },
    { NULL }
};

/* --live takes an optional mode, which GOption gives only to callbacks
 * (whose data would be a global): a bare --live is spelled out first. */
static void
spell_out_live(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (!strcmp(argv[i], "--live"))
            argv[i] = (char *)"--live=auto";
}

static void
print_created(const DsSnapshotCreateResult *r, const char *domain)
{
    g_autoptr(GString) s = g_string_new(NULL);

    g_string_append_printf(s, "Snapshot '%s' of domain '%s' created: memory %s", r->name,
                           domain, r->memory);
    if (!strcmp(r->memory, "external"))
        g_string_append_printf(s, " (%.1f MiB image)", r->memory_bytes / 1048576.0);
    if (strcmp(r->live, "no") != 0)
        g_string_append_printf(s, ", live %s", r->live);
    if (r->pause_us >= 0)
        g_string_append_printf(s, ", guest paused %" G_GINT64_FORMAT " ms",
                               (r->pause_us + 500) / 1000);
    if (r->crash_consistent)
        g_string_append(s, " (disks only: crash-consistent)");
    printf("%s\n", s->str);
}

static int
cmd_snapshot_create(CliContext *ctx, int argc, char **argv)
{
    /* (GOption fills these with copies) */
    g_autofree char *description = NULL, *dir = NULL, *live = NULL, *xml = NULL;
    gboolean internal = FALSE, external = FALSE, disk_only = FALSE, dry_run = FALSE;
    gboolean quiesce = FALSE;
    gboolean redefine = FALSE;
    GOptionEntry entries[] = {
        { "name", 'n', 0, G_OPTION_ARG_CALLBACK, cli_on_snapshot_name,
          "Snapshot name (default: epoch seconds); name= in CFGFILE wins", "N" },
        { "description", 0, 0, G_OPTION_ARG_STRING, &description, "Free text", "TEXT" },
        { "live", 0, 0, G_OPTION_ARG_STRING, &live,
          "Keep the guest running while memory is written (background or precopy)", "MODE" },
        { "internal", 0, 0, G_OPTION_ARG_NONE, &internal, "Internal qcow2 snapshots (the default for qcow2)", NULL },
        { "external", 0, 0, G_OPTION_ARG_NONE, &external, "Overlays for every disk", NULL },
        { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Put memory and overlays in DIR (created)", "DIR" },
        { "disk-only", 0, 0, G_OPTION_ARG_NONE, &disk_only, "No memory (crash-consistent if running)", NULL },
        { "quiesce", 0, 0, G_OPTION_ARG_NONE, &quiesce,
          "Freeze the guest's filesystems (guest agent) around the disk snapshot", NULL },
        { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Print the plan's steps; change nothing", NULL },
        { "xml", 0, 0, G_OPTION_ARG_FILENAME, &xml, "A libvirt domainsnapshot XML instead of a config", "FILE" },
        { "redefine", 0, 0, G_OPTION_ARG_NONE, &redefine,
          "With --xml: record a snapshot whose files exist (as virsh --redefine)", NULL },
        { NULL }
    };
    g_autoptr(GPtrArray) overrides = g_ptr_array_new();
    DsSnapshotCreateOptions o = { 0 };
    DsSnapshotCreateResult r = { 0 };
    CliProgress progress = { "writing memory", FALSE };
    g_autoptr(GError) error = NULL;
    gboolean ok;

    spell_out_live(argc, argv);
    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 1, -1))
        return CLI_USAGE;
    for (int i = 2; i < argc; i++) {
        if (strchr(argv[i], '='))
            g_ptr_array_add(overrides, argv[i]);
        else if (!o.config_path && overrides->len == 0)
            o.config_path = argv[i];
        else {
            g_printerr("domsnap snapshot-create: unexpected argument '%s' (KEY=VALUE expected)\n",
                       argv[i]);
            return CLI_USAGE;
        }
    }
    g_ptr_array_add(overrides, NULL);
    if (!cli_connect(ctx))
        return CLI_FAILED;
    o.overrides = (const char *const *)overrides->pdata;
    o.name = cli_snapshot_name();
    o.description = description;
    o.live = live;
    o.internal = internal;
    o.external = external;
    o.disk_only = disk_only;
    o.quiesce = quiesce;
    o.dir = dir;
    o.dry_run = dry_run;
    o.xml_path = xml;
    o.redefine = redefine;
    ok = ds_snapshot_create(ctx->conn, argv[1], &o, cli_progress, &progress, &r, &error);
    cli_progress_end(&progress);
    if (!ok)
        return cli_fail(error);
    if (redefine)
        printf("Snapshot '%s' of domain '%s' redefined\n", r.name, argv[1]);
    else if (dry_run)
        printf("Snapshot '%s' of domain '%s' would be taken: memory %s, live %s\nplan: %s\n",
               r.name, argv[1], r.memory, r.live, r.plan);
    else
        print_created(&r, argv[1]);
    ds_snapshot_create_result_clear(&r);
    return CLI_OK;
}

static int
cmd_snapshot_revert(CliContext *ctx, int argc, char **argv)
{
    gboolean running = FALSE, paused = FALSE, force = FALSE, no_time_sync = FALSE;
    GOptionEntry entries[] = {
        { "running", 0, 0, G_OPTION_ARG_NONE, &running, "End running, whatever was recorded", NULL },
        { "paused", 0, 0, G_OPTION_ARG_NONE, &paused, "End paused, whatever was recorded", NULL },
        { "no-time-sync", 0, 0, G_OPTION_ARG_NONE, &no_time_sync,
          "Leave the guest's clock as the snapshot had it (default: the guest agent sets "
          "it to the host's)", NULL },
        { "force", 0, 0, G_OPTION_ARG_NONE, &force,
          "Revert a running domain to a disk-only snapshot (its memory is lost)", NULL },
        { "name", 'n', 0, G_OPTION_ARG_CALLBACK, cli_on_snapshot_name,
          "The snapshot (then DOM is the only argument)", "SNAP" },
        { NULL }
    };
    CliProgress progress = { "loading memory", FALSE };
    g_autoptr(GError) error = NULL;
    DsRevertState state = DS_REVERT_STATE_AS_RECORDED;
    const char *domain, *snapshot;
    gboolean ok;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 1, 2) ||
        !cli_domain_and_snapshot(ctx->command, argc, argv, &domain, &snapshot))
        return CLI_USAGE;
    if (running && paused) {
        g_printerr("domsnap snapshot-revert: --running and --paused exclude each other\n");
        return CLI_USAGE;
    }
    if (!cli_connect(ctx))
        return CLI_FAILED;
    state = running ? DS_REVERT_STATE_RUNNING : paused ? DS_REVERT_STATE_PAUSED
                                                      : DS_REVERT_STATE_AS_RECORDED;
    ok = ds_snapshot_revert(ctx->conn, domain, snapshot, state,
                            (force ? DS_SNAPSHOT_REVERT_FORCE : 0) |
                                (no_time_sync ? DS_SNAPSHOT_REVERT_NO_TIME_SYNC : 0),
                            cli_progress,
                            &progress, &error);
    cli_progress_end(&progress);
    if (!ok)
        return cli_fail(error);
    printf("Domain '%s' reverted to snapshot '%s'\n", domain, snapshot);
    return CLI_OK;
}

static int
cmd_snapshot_dumpxml(CliContext *ctx, int argc, char **argv)
{
    gboolean domain = FALSE;
    GOptionEntry entries[] = {
        { "domain", 0, 0, G_OPTION_ARG_NONE, &domain, "Include the domain as it was", NULL },
        { NULL }
    };
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = NULL;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 2, 2))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    xml = ds_snapshot_dumpxml(ctx->conn, argv[1], argv[2], domain, &error);
    if (!xml)
        return cli_fail(error);
    fputs(xml, stdout);
    return CLI_OK;
}
