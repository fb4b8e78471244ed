#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

DsConnection *
cli_connect(CliContext *ctx)
{
    g_autoptr(GError) error = NULL;

    if (ctx->conn)
        return ctx->conn;
    ctx->conn = ds_connection_open(ctx->state_dir, &error);
    if (!ctx->conn) {
        cli_fail(error);
        return NULL;
    }
    if (ctx->driver && !ds_connection_set_driver(ctx->conn, ctx->driver, &error)) {
        cli_fail(error);
        g_clear_pointer(&ctx->conn, ds_connection_free);
        return NULL;
    }
    if (ctx->lock_timeout)
        ds_connection_set_lock_timeout(ctx->conn,
                                       (int)(g_ascii_strtod(ctx->lock_timeout, NULL) * 1000));
    return ctx->conn;
}

int
cli_fail(GError *error)
{
    g_printerr("domsnap: %s\n", error ? error->message : "failed");
    return CLI_FAILED;
}

gboolean
cli_parse(CliContext *ctx, const CliCommand *cmd, GOptionEntry *entries,
          int *argc, char ***argv, int min_args, int max_args)
{
    g_autofree char *param = g_strdup_printf("%s %s", cmd->name, cmd->usage);
    g_autoptr(GOptionContext) oc = g_option_context_new(param);
    g_autoptr(GError) error = NULL;
    GOptionEntry common[] = {
        { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &ctx->state_dir,
          "State directory (default /var/lib/domsnap and /run/domsnap)", "DIR" },
        { NULL }
    };

    g_option_context_set_summary(oc, cmd->summary);
    if (entries)
        g_option_context_add_main_entries(oc, entries, NULL);
    g_option_context_add_main_entries(oc, common, NULL);
    if (!g_option_context_parse(oc, argc, argv, &error)) {
        g_printerr("domsnap %s: %s\n", cmd->name, error->message);
        return FALSE;
    }
    /* A "--" that ends the options is not an argument. */
    for (int i = 1; i < *argc; i++) {
        if (strcmp((*argv)[i], "--") == 0) {
            memmove(&(*argv)[i], &(*argv)[i + 1], (*argc - i) * sizeof(char *));
            (*argc)--;
            break;
        }
    }
    /* (*argv)[0] is the command name. */
    if (*argc - 1 < min_args || (max_args >= 0 && *argc - 1 > max_args)) {
        g_printerr("usage: domsnap %s %s\n", cmd->name, cmd->usage);
        return FALSE;
    }
    return TRUE;
}

static char *snapshot_name_arg;

gboolean
cli_on_snapshot_name(const char *option, const char *value, gpointer data, GError **error)
{
    if (snapshot_name_arg) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "%s given twice ('%s', then '%s'): a snapshot has one name", option,
                    snapshot_name_arg, value);
        return FALSE;
    }
    snapshot_name_arg = g_strdup(value);
    return TRUE;
}

const char *
cli_snapshot_name(void)
{
    return snapshot_name_arg;
}

gboolean
cli_domain_and_snapshot(const CliCommand *cmd, int argc, char **argv, const char **domain,
                        const char **snapshot)
{
    if (snapshot_name_arg && argc > 2) {
        g_printerr("domsnap %s: the snapshot is named both by -n ('%s') and as SNAP ('%s'); "
                   "give it once\n", cmd->name, snapshot_name_arg, argv[2]);
        return FALSE;
    }
    if (!snapshot_name_arg && argc < 3) {
        g_printerr("usage: domsnap %s %s\n", cmd->name, cmd->usage);
        return FALSE;
    }
    *domain = argv[1];
    *snapshot = snapshot_name_arg ? snapshot_name_arg : argv[2];
    return TRUE;
}

void
cli_progress(guint64 done, guint64 total, gpointer opaque)
{
    CliProgress *p = opaque;

    if (!isatty(STDERR_FILENO) || total == 0)
        return;
    fprintf(stderr, "\r%s: %.1f / %.1f MiB (%d%%)   ", p->label,
            done / 1048576.0, total / 1048576.0, (int)(done * 100 / total));
    p->shown = TRUE;
}

void
cli_progress_end(CliProgress *p)
{
    if (p->shown)
        fprintf(stderr, "\n");
}
