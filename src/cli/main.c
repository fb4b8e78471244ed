/*
 * domsnap: snapshots of virtual machine domains, with xl's and virsh's
 * vocabulary. This file finds the subcommand and runs it.
 */
#include <locale.h>
#include <stdio.h>
#include <execinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util/ds_suggest.h"

static const CliCommand *const groups[] = { cli_domain_commands, cli_dumpcfg_commands,
                                             cli_snapshot_commands, cli_snapshot_list_commands,
                                             cli_agent_commands, cli_device_commands };

static void
print_help(void)
{
    printf("usage: domsnap [--state-dir DIR] [--driver qemu|xen] [--timeout S] COMMAND [ARGS...]\n\n"
           "--driver: for domains domsnap has not recorded yet (default: xen in a Xen\n"
           "control domain, else qemu; or $DOMSNAP_DRIVER). Under xen, a domain that\n"
           "'xl create' started is recorded when it is first named.\n"
           "--timeout S: wait up to S seconds for another domsnap operation on the same\n"
           "domain to finish (default 30, or $DOMSNAP_LOCK_TIMEOUT; 0: fail at once)\n\n"
           "commands:\n");
    for (guint g = 0; g < G_N_ELEMENTS(groups); g++)
        for (const CliCommand *c = groups[g]; c->name; c++)
            printf("  %-16s %s\n  %-16s   %s\n", c->name, c->usage, "", c->summary);
    printf("  version\n  %-16s   Print domsnap's version (as --version does)\n", "");
    printf("\n'domsnap COMMAND --help' describes a command's options.\n"
           "The state directory is also taken from $DOMSNAP_STATE_DIR.\n");
}

/* DOMSNAP_VERSION: meson's project version, given by meson.build. */
static void
print_version(void)
{
    printf("domsnap %s\n", DOMSNAP_VERSION);
}

static const CliCommand *
find_command(const char *name)
{
    for (guint g = 0; g < G_N_ELEMENTS(groups); g++)
        for (const CliCommand *c = groups[g]; c->name; c++)
            if (strcmp(c->name, name) == 0)
                return c;
    return NULL;
}

static void
unknown_command(const char *name)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const char *hint;

    for (guint g = 0; g < G_N_ELEMENTS(groups); g++)
        for (const CliCommand *c = groups[g]; c->name; c++)
            g_ptr_array_add(names, (gpointer)c->name);
    g_ptr_array_add(names, NULL);
    hint = ds_suggest(name, (const char *const *)names->pdata);
    if (hint)
        g_printerr("domsnap: unknown command '%s' (did you mean '%s'?)\n", name, hint);
    else
        g_printerr("domsnap: unknown command '%s'; 'domsnap --help' lists them\n", name);
}

static void
log_to_stderr(const gchar *domain, GLogLevelFlags level, const gchar *message,
              gpointer data)
{
    if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
        return;
    g_printerr("domsnap: warning: %s\n", message);
}

/*
 * A crash says where it happened (frames as FILE(+OFFSET), for addr2line),
 * then dies of the same signal: async-signal-safe calls only.
 */
static void
on_crash(int sig)
{
    static const char head[] = "domsnap: crashed; backtrace:\n";
    void *frames[64];
    int n = backtrace(frames, G_N_ELEMENTS(frames));

    (void)!write(STDERR_FILENO, head, sizeof(head) - 1);
    backtrace_symbols_fd(frames, n, STDERR_FILENO);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void
report_crashes(void)
{
    void *warm[1];

    backtrace(warm, 1); /* loads libgcc now, not inside the handler */
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGFPE, on_crash);
    signal(SIGABRT, on_crash); /* glibc's heap checks, failed assertions */
}

/* The library's own warnings and (asked-for) traces. */
static void
library_log(DsLogLevel level, const char *message, gpointer data)
{
    if (level == DS_LOG_DEBUG)
        g_printerr("%s\n", message);
    else
        g_printerr("domsnap: warning: %s\n", message);
}

int
main(int argc, char **argv)
{
    CliContext ctx = { 0 };
    const CliCommand *cmd;
    int i = 1, rc;

    setlocale(LC_ALL, "");
    g_log_set_default_handler(log_to_stderr, NULL);
    ds_set_log_handler(library_log, NULL);
    report_crashes();
    /* Options before the command: --state-dir, --timeout (and help, version). */
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--state-dir") && i + 1 < argc) {
            ctx.state_dir = g_strdup(argv[++i]);
        } else if (g_str_has_prefix(argv[i], "--state-dir=")) {
            ctx.state_dir = g_strdup(argv[i] + strlen("--state-dir="));
        } else if (!strcmp(argv[i], "--driver") && i + 1 < argc) {
            ctx.driver = argv[++i];
        } else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
            ctx.lock_timeout = argv[++i];
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            print_help();
            return CLI_OK;
        } else if (!strcmp(argv[i], "--version")) {
            print_version();
            return CLI_OK;
        } else {
            g_printerr("domsnap: unknown option '%s'\n", argv[i]);
            return CLI_USAGE;
        }
    }
    if (i >= argc) {
        print_help();
        return CLI_USAGE;
    }
    /* Not in the tables: it needs no state directory and takes nothing. */
    if (!strcmp(argv[i], "version")) {
        if (i + 1 < argc) {
            g_printerr("domsnap: 'version' takes no arguments\n");
            return CLI_USAGE;
        }
        print_version();
        return CLI_OK;
    }
    cmd = find_command(argv[i]);
    if (!cmd) {
        unknown_command(argv[i]);
        return CLI_USAGE;
    }
    ctx.command = cmd;
    rc = cmd->run(&ctx, argc - i, argv + i);
    ds_connection_free(ctx.conn);
    g_free(ctx.state_dir);
    return rc;
}
