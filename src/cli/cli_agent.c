/* qemu-agent-command: a command for the guest agent, as virsh has it. */
#include <stdio.h>

#include "cli.h"

static int cmd_agent(CliContext *ctx, int argc, char **argv);

const CliCommand cli_agent_commands[] = {
    { "qemu-agent-command", "DOM JSON [--timeout-agent S]",
      "Pass a command to the guest agent; print its reply", cmd_agent },
    { NULL }
};

static int
cmd_agent(CliContext *ctx, int argc, char **argv)
{
    int timeout = 10;
    GOptionEntry entries[] = {
        { "timeout-agent", 0, 0, G_OPTION_ARG_INT, &timeout,
          "Seconds to wait for the agent (10)", "S" },
        { NULL }
    };
    g_autoptr(GError) error = NULL;
    g_autofree char *reply = NULL;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 2, 2))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    if (!ds_domain_agent_command(ctx->conn, argv[1], argv[2], timeout, &reply, &error))
        return cli_fail(error);
    printf("%s\n", reply);
    return CLI_OK;
}
