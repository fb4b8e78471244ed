/* Domain commands: create, start, list, pause, unpause, shutdown, destroy,
 * save, restore, undefine. Named and behaving as in xl. */
#include <json-c/json.h>
#include <stdio.h>

#include "cli.h"

static int
cmd_create(CliContext *ctx, int argc, char **argv);
static int
cmd_start(CliContext *ctx, int argc, char **argv);
static int
cmd_list(CliContext *ctx, int argc, char **argv);
static int
cmd_pause(CliContext *ctx, int argc, char **argv);
static int
cmd_unpause(CliContext *ctx, int argc, char **argv);
static int
cmd_shutdown(CliContext *ctx, int argc, char **argv);
static int
cmd_destroy(CliContext *ctx, int argc, char **argv);
static int
cmd_save(CliContext *ctx, int argc, char **argv);
static int
cmd_restore(CliContext *ctx, int argc, char **argv);
static int
cmd_undefine(CliContext *ctx, int argc, char **argv);

const CliCommand cli_domain_commands[] = {
    { "create", "CFGFILE [KEY=VALUE...] [-p] [--dry-run]", "Start a domain from an xl-style config", cmd_create },
    { "start", "DOM [-p]", "Start a shut-off domain again", cmd_start },
    { "list", "[DOM] [--json]", "List domains", cmd_list },
    { "pause", "DOM", "Pause a domain's vCPUs", cmd_pause },
    { "unpause", "DOM", "Resume a paused domain", cmd_unpause },
    { "shutdown", "DOM [-w] [--timeout S]", "Ask the guest to power off", cmd_shutdown },
    { "destroy", "DOM", "Stop a domain at once", cmd_destroy },
    { "save", "DOM FILE [-p|-c]", "Save memory and config to FILE", cmd_save },
    { "restore", "FILE [-p]", "Recreate a domain from a save file", cmd_restore },
    { "undefine", "DOM", "Forget a shut-off domain (its disks stay)", cmd_undefine },
    { NULL }
};

static int
cmd_create(CliContext *ctx, int argc, char **argv)
{
    gboolean paused = FALSE, dry_run = FALSE;
    GOptionEntry entries[] = {
        { "paused", 'p', 0, G_OPTION_ARG_NONE, &paused, "Leave the domain paused", NULL },
        { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
          "Print the QEMU command line and start nothing", NULL },
        { NULL }
    };
    g_autoptr(GError) error = NULL;
    g_autofree char *name = NULL;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 1, -1))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    if (dry_run) {
        g_autofree char *line = ds_domain_create_dry_run(ctx->conn, argv[1],
                                                         (const char *const *)argv + 2,
                                                         paused, &error);
        if (!line)
            return cli_fail(error);
        fputs(line, stdout);
        return CLI_OK;
    }
    printf("Parsing config from %s\n", argv[1]);
    if (!ds_domain_create(ctx->conn, argv[1], (const char *const *)argv + 2, paused,
                          &name, &error))
        return cli_fail(error);
    printf("Domain '%s' started%s\n", name, paused ? " (paused)" : "");
    return CLI_OK;
}

static int
cmd_start(CliContext *ctx, int argc, char **argv)
{
    gboolean paused = FALSE;
    GOptionEntry entries[] = {
        { "paused", 'p', 0, G_OPTION_ARG_NONE, &paused, "Leave the domain paused", NULL },
        { NULL }
    };
    g_autoptr(GError) error = NULL;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 1, 1))
        return CLI_USAGE;
    if (!cli_connect(ctx) )
        return CLI_FAILED;
    if (!ds_domain_start(ctx->conn, argv[1], paused, &error))
        return cli_fail(error);
    printf("Domain '%s' started%s\n", argv[1], paused ? " (paused)" : "");
    return CLI_OK;
}

static char *
format_uptime(gint64 start_time)
{
    gint64 s;

    if (start_time <= 0)
        return g_strdup("-");
    s = g_get_real_time() / G_USEC_PER_SEC - start_time;
    return g_strdup_printf("%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int)(s / 60 % 60),
                           (int)(s % 60));
}

static void
print_json(GPtrArray *infos)
{
    json_object *arr = json_object_new_array();

    for (guint i = 0; i < infos->len; i++) {
        DsDomainInfo *d = infos->pdata[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(d->name));
        json_object_object_add(o, "id", d->id < 0 ? NULL : json_object_new_int(d->id));
        json_object_object_add(o, "memory_mib", json_object_new_int64(d->memory_mib));
        json_object_object_add(o, "vcpus", json_object_new_int(d->vcpus));
        json_object_object_add(o, "state",
                               json_object_new_string(ds_domain_state_to_string(d->state)));
        json_object_object_add(o, "start_time", d->start_time ? json_object_new_int64(d->start_time) : NULL);
        json_object_array_add(arr, o);
    }
    printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
                                                           JSON_C_TO_STRING_SPACED));
    json_object_put(arr);
}

static int
cmd_list(CliContext *ctx, int argc, char **argv)
{
    gboolean json = FALSE;
    GOptionEntry entries[] = {
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
        { NULL }
    };
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) infos = NULL;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 0, 1))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    if (argc == 2) {
        DsDomainInfo *one = ds_domain_get_info(ctx->conn, argv[1], &error);
        if (!one)
            return cli_fail(error);
        infos = g_ptr_array_new_with_free_func((GDestroyNotify)ds_domain_info_free);
        g_ptr_array_add(infos, one);
    } else {
        infos = ds_domain_list(ctx->conn, &error);
        if (!infos)
            return cli_fail(error);
    }
    if (json) {
        print_json(infos);
        return CLI_OK;
    }
    printf("%-32s %5s %7s %5s %-8s %10s\n", "Name", "ID", "Mem", "VCPUs", "State", "Uptime");
    for (guint i = 0; i < infos->len; i++) {
        DsDomainInfo *d = infos->pdata[i];
        g_autofree char *id = d->id < 0 ? g_strdup("-") : g_strdup_printf("%d", d->id);
        g_autofree char *up = format_uptime(d->start_time);
        printf("%-32s %5s %7" G_GUINT64_FORMAT " %5u %-8s %10s\n", d->name, id,
               d->memory_mib, d->vcpus, ds_domain_state_to_string(d->state), up);
    }
    return CLI_OK;
}

typedef gboolean (*DomainOp)(DsConnection *, const char *, GError **);

static int
simple(CliContext *ctx, const char *name, DomainOp op, int argc, char **argv)
{
    g_autoptr(GError) error = NULL;

    if (!cli_parse(ctx, ctx->command, NULL, &argc, &argv, 1, 1))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    if (!op(ctx->conn, argv[1], &error))
        return cli_fail(error);
    return CLI_OK;
}

static int
cmd_pause(CliContext *ctx, int argc, char **argv)
{
    return simple(ctx, "pause", ds_domain_pause, argc, argv);
}

static int
cmd_unpause(CliContext *ctx, int argc, char **argv)
{
    return simple(ctx, "unpause", ds_domain_unpause, argc, argv);
}

static int
cmd_destroy(CliContext *ctx, int argc, char **argv)
{
    return simple(ctx, "destroy", ds_domain_destroy, argc, argv);
}

static int
cmd_undefine(CliContext *ctx, int argc, char **argv)
{
    return simple(ctx, "undefine", ds_domain_undefine, argc, argv);
}

static int
cmd_shutdown(CliContext *ctx, int argc, char **argv)
{
    gboolean wait = FALSE;
    int timeout = 60;
    GOptionEntry entries[] = {
        { "wait", 'w', 0, G_OPTION_ARG_NONE, &wait, "Wait until the guest has powered off", NULL },
        { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "With -w: give up after S seconds (60)", "S" },
        { NULL }
    };
    g_autoptr(GError) error = NULL;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 1, 1))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    if (!ds_domain_shutdown(ctx->conn, argv[1], wait, timeout, &error))
        return cli_fail(error);
    return CLI_OK;
}

static int
cmd_save(CliContext *ctx, int argc, char **argv)
{
    gboolean pause = FALSE, cont = FALSE;
    GOptionEntry entries[] = {
        { "pause", 'p', 0, G_OPTION_ARG_NONE, &pause, "Leave the domain paused after saving", NULL },
        { "continue", 'c', 0, G_OPTION_ARG_NONE, &cont, "Leave the domain running after saving", NULL },
        { NULL }
    };
    g_autoptr(GError) error = NULL;
    CliProgress progress = { "saving memory", FALSE };
    DsSaveThen then = DS_SAVE_THEN_DESTROY;
    gboolean ok;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 2, 2))
        return CLI_USAGE;
    if (pause && cont) {
        g_printerr("domsnap save: -p and -c exclude each other\n");
        return CLI_USAGE;
    }
    if (!cli_connect(ctx))
        return CLI_FAILED;
    then = pause ? DS_SAVE_THEN_PAUSE : cont ? DS_SAVE_THEN_CONTINUE : DS_SAVE_THEN_DESTROY;
    ok = ds_domain_save(ctx->conn, argv[1], argv[2], then, cli_progress, &progress, &error);
    cli_progress_end(&progress);
    if (!ok)
        return cli_fail(error);
    printf("Domain '%s' saved to %s\n", argv[1], argv[2]);
    return CLI_OK;
}

static int
cmd_restore(CliContext *ctx, int argc, char **argv)
{
    gboolean paused = FALSE;
    GOptionEntry entries[] = {
        { "paused", 'p', 0, G_OPTION_ARG_NONE, &paused, "Leave the domain paused", NULL },
        { NULL }
    };
    g_autoptr(GError) error = NULL;
    g_autofree char *name = NULL;
    CliProgress progress = { "loading memory", FALSE };
    gboolean ok;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 1, 1))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    ok = ds_domain_restore(ctx->conn, argv[1], paused, cli_progress, &progress, &name, &error);
    cli_progress_end(&progress);
    if (!ok)
        return cli_fail(error);
    printf("Domain '%s' restored from %s%s\n", name, argv[1], paused ? " (paused)" : "");
    return CLI_OK;
}
