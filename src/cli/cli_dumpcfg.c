/* dumpcfg: a domain's recorded config as xl.cfg (like `xl list -l` or
 * `virsh dumpxml`). */
#include <stdio.h>

#include "cli.h"

static int cmd_dumpcfg(CliContext *ctx, int argc, char **argv);

const CliCommand cli_dumpcfg_commands[] = {
    { "dumpcfg", "DOM", "Print a domain's config as the xl.cfg that creates it", cmd_dumpcfg },
    { NULL }
};

static int
cmd_dumpcfg(CliContext *ctx, int argc, char **argv)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;

    if (!cli_parse(ctx, ctx->command, NULL, &argc, &argv, 1, 1))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    text = ds_domain_dumpcfg(ctx->conn, argv[1], &error);
    if (!text)
        return cli_fail(error);
    fputs(text, stdout);
    return CLI_OK;
}
