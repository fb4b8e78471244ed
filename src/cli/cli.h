/* The domsnap command: shared pieces of its subcommands. No decisions here. */
#pragma once

#include <glib.h>

#include "domsnap.h"

typedef struct {
    char *state_dir;
    const char *lock_timeout; /* --timeout S before the command */
    const char *driver;       /* --driver NAME before the command */
    DsConnection *conn;
    gboolean json;
    const struct CliCommand *command; /* the one running */
} CliContext;

typedef int (*CliRunFunc)(CliContext *ctx, int argc, char **argv);

typedef struct CliCommand {
    const char *name;
    const char *usage;   /* "DOM FILE [-p|-c]" */
    const char *summary;
    CliRunFunc run;
} CliCommand;

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* Opens the state directory on first use; NULL after printing the error. */
DsConnection *cli_connect(CliContext *ctx);

/* Prints "domsnap: MESSAGE" and returns CLI_FAILED. */
int cli_fail(GError *error);

/*
 * Parses a subcommand's options with @entries (plus --state-dir); leaves
 * the positional arguments in argc and argv. Returns FALSE after printing the
 * error or the help.
 */
gboolean cli_parse(CliContext *ctx, const CliCommand *cmd, GOptionEntry *entries,
                   int *argc, char ***argv, int min_args, int max_args);

/*
 * -n/--name N (the libxl snapshot document's -n): a GOptionArgFunc that
 * takes the snapshot's name once and refuses it given twice, naming the
 * option. cli_snapshot_name() is the name given, or NULL.
 */
gboolean cli_on_snapshot_name(const char *option, const char *value, gpointer data,
                              GError **error);
const char *cli_snapshot_name(void);

/*
 * The domain and snapshot of `CMD DOM SNAP` or of the libxl document's
 * `CMD -n SNAP DOM` (argv as cli_parse left it, with 1 or 2 positionals).
 * Returns FALSE after printing what is wrong.
 */
gboolean cli_domain_and_snapshot(const CliCommand *cmd, int argc, char **argv,
                                 const char **domain, const char **snapshot);

/* Progress on a terminal: "\rLABEL: 12.0 / 256.0 MiB (4%)". */
typedef struct {
    const char *label;
    gboolean shown;
} CliProgress;

void cli_progress(guint64 done, guint64 total, gpointer opaque);
void cli_progress_end(CliProgress *p);

/* The commands of cli_domain.c */
extern const CliCommand cli_domain_commands[];
extern const CliCommand cli_dumpcfg_commands[];
extern const CliCommand cli_snapshot_commands[];
extern const CliCommand cli_snapshot_list_commands[];
extern const CliCommand cli_agent_commands[];
extern const CliCommand cli_device_commands[];
