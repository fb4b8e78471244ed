/* snapshot-list, snapshot-info, snapshot-current (virsh's names). */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int cmd_list(CliContext *ctx, int argc, char **argv);
static int cmd_info(CliContext *ctx, int argc, char **argv);
static int cmd_current(CliContext *ctx, int argc, char **argv);
static int cmd_delete(CliContext *ctx, int argc, char **argv);
static int cmd_check(CliContext *ctx, int argc, char **argv);

const CliCommand cli_snapshot_list_commands[] = {
    { "snapshot-list", "DOM [SNAP] [-l] [--tree] [--json]",
      "List a domain's snapshots (or one): name, time, the domain's state, disk-only; "
      "-l: every field", cmd_list },
    { "snapshot-info", "DOM SNAP", "Describe one snapshot", cmd_info },
    { "snapshot-current", "DOM", "The domain's current snapshot (the next one's parent)",
      cmd_current },
    { "snapshot-delete", "DOM SNAP | -n SNAP DOM [--children|--children-only] [--metadata]",
      "Delete a snapshot; nothing other snapshots or the domain see changes", cmd_delete },
    { "check", "[DOM] [--repair]",
      "Find (and with --repair finish or undo) interrupted operations and orphan files",
      cmd_check },
    { NULL }
};

static char *
format_time(gint64 t)
{
    /* Looked up once: GLib reads /etc/localtime again for every local time. */
    static GTimeZone *tz;
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(t);
    g_autoptr(GDateTime) dt = NULL;

    if (!tz)
        tz = g_time_zone_new_local();
    dt = utc ? g_date_time_to_timezone(utc, tz) : NULL;
    return dt ? g_date_time_format(dt, "%Y-%m-%d %H:%M:%S %z") : g_strdup("-");
}

/* The libxl snapshot document's short form (name, creation time, the
 * domain's state, disk-only), then memory, disks and parent. */
static void
print_table(GPtrArray *list)
{
    printf("  %-20s %-25s %-8s %-9s %-8s %-28s %s\n", "Name", "Creation Time", "State",
           "Disk-only", "Memory", "Disks", "Parent");
    printf("%s\n", "---------------------------------------------------------------------------"
                   "-------------------------------------");
    for (guint i = 0; i < list->len; i++) {
        DsSnapshotInfo *s = list->pdata[i];
        g_autofree char *t = format_time(s->creation_time);
        printf("%c %-20s %-25s %-8s %-9s %-8s %-28s %s\n", s->current ? '*' : ' ', s->name, t,
               s->domain_state, !strcmp(s->memory, "no") ? "yes" : "no", s->memory, s->disks,
               s->parent ? s->parent : "-");
    }
}

/* virsh's tree: each child under its parent, the current one marked. */
static void
print_subtree(GHashTable *kids_of, const char *parent, const char *prefix)
{
    GPtrArray *kids = g_hash_table_lookup(kids_of, parent ? parent : "");

    for (guint i = 0; kids && i < kids->len; i++) {
        DsSnapshotInfo *s = kids->pdata[i];
        gboolean last = i + 1 == kids->len;
        g_autofree char *deeper = NULL;

        if (parent) {
            printf("%s|\n%s+- %s%s\n", prefix, prefix, s->name, s->current ? " *" : "");
            deeper = g_strconcat(prefix, last ? "    " : "|   ", NULL);
        } else {
            printf("%s%s\n", s->name, s->current ? " *" : "");
            deeper = g_strdup("  ");
        }
        print_subtree(kids_of, s->name, deeper);
    }
}

static void
print_tree(GPtrArray *list)
{
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) kids_of = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify)g_ptr_array_unref);

    for (guint i = 0; i < list->len; i++)
        g_hash_table_add(names, ((DsSnapshotInfo *)list->pdata[i])->name);
    for (guint i = 0; i < list->len; i++) {
        DsSnapshotInfo *s = list->pdata[i];
        /* Roots: no parent, or a parent that is not recorded any more. */
        const char *p = s->parent && g_hash_table_contains(names, s->parent) ? s->parent : "";
        GPtrArray *kids = g_hash_table_lookup(kids_of, p);
        if (!kids) {
            kids = g_ptr_array_new();
            g_hash_table_insert(kids_of, (gpointer)p, kids);
        }
        g_ptr_array_add(kids, s);
    }
    print_subtree(kids_of, NULL, "");
}

static json_object *
info_json(const DsSnapshotInfo *s)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "name", json_object_new_string(s->name));
    json_object_object_add(o, "parent", s->parent ? json_object_new_string(s->parent) : NULL);
    json_object_object_add(o, "creation_time", json_object_new_int64(s->creation_time));
    json_object_object_add(o, "state", json_object_new_string(s->state));
    json_object_object_add(o, "domain_state", json_object_new_string(s->domain_state));
    json_object_object_add(o, "memory", json_object_new_string(s->memory));
    json_object_object_add(o, "current", json_object_new_boolean(s->current));
    json_object_object_add(o, "children", json_object_new_int(s->children));
    json_object_object_add(o, "record", json_tokener_parse(s->record_json));
    return o;
}

static int
cmd_list(CliContext *ctx, int argc, char **argv)
{
    gboolean lng = FALSE, tree = FALSE, json = FALSE;
    GOptionEntry entries[] = {
        { "long", 'l', 0, G_OPTION_ARG_NONE, &lng, "Every field of each record", NULL },
        { "tree", 0, 0, G_OPTION_ARG_NONE, &tree, "The parent/child tree", NULL },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "JSON, for scripts", NULL },
        { NULL }
    };
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) list = NULL;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 1, 2))
        return CLI_USAGE;
    if (argc > 2 && tree) {
        g_printerr("domsnap snapshot-list: --tree draws every snapshot; leave out SNAP\n");
        return CLI_USAGE;
    }
    if (!cli_connect(ctx))
        return CLI_FAILED;
    if (argc > 2) {
        /* One snapshot: the libxl document's `snapshot-list -l DOM NAME`. */
        DsSnapshotInfo *one = ds_snapshot_get_info(ctx->conn, argv[1], argv[2], &error);
        if (!one)
            return cli_fail(error);
        list = g_ptr_array_new_with_free_func((GDestroyNotify)ds_snapshot_info_free);
        g_ptr_array_add(list, one);
    } else {
        list = ds_snapshot_list(ctx->conn, argv[1], lng || json, &error);
        if (!list)
            return cli_fail(error);
    }
    if (json) {
        json_object *arr = json_object_new_array();
        for (guint i = 0; i < list->len; i++)
            json_object_array_add(arr, info_json(list->pdata[i]));
        printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
                                                               JSON_C_TO_STRING_SPACED |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(arr);
    } else if (tree) {
        print_tree(list);
    } else if (lng) {
        for (guint i = 0; i < list->len; i++)
            printf("%s%s\n", i ? "\n" : "", ((DsSnapshotInfo *)list->pdata[i])->record_json);
    } else {
        print_table(list);
    }
    return CLI_OK;
}

static int
cmd_info(CliContext *ctx, int argc, char **argv)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(DsSnapshotInfo) s = NULL;
    g_autofree char *t = NULL;

    if (!cli_parse(ctx, ctx->command, NULL, &argc, &argv, 2, 2))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    s = ds_snapshot_get_info(ctx->conn, argv[1], argv[2], &error);
    if (!s)
        return cli_fail(error);
    t = format_time(s->creation_time);
    printf("%-14s %s\n", "Name:", s->name);
    printf("%-14s %s\n", "Domain:", argv[1]);
    printf("%-14s %s\n", "Current:", s->current ? "yes" : "no");
    printf("%-14s %s\n", "State:", s->state);
    printf("%-14s %s\n", "Domain state:", s->domain_state);
    printf("%-14s %s\n", "Memory:", s->memory);
    if (s->crash_consistent)
        printf("%-14s %s\n", "Consistency:",
               "crash-consistent (disks only, taken while the domain was running)");
    if (s->quiesced)
        printf("%-14s %s\n", "Quiesced:", "yes (the guest agent froze the filesystems)");
    printf("%-14s %s\n", "Disks:", s->disks);
    printf("%-14s %s\n", "Live:", s->live);
    if (s->pause_us >= 0)
        printf("%-14s %.1f ms\n", "Guest paused:", s->pause_us / 1000.0);
    printf("%-14s %s\n", "Parent:", s->parent ? s->parent : "-");
    printf("%-14s %u\n", "Children:", s->children);
    printf("%-14s %s\n", "Created:", t);
    printf("%-14s %s\n", "Description:", s->description ? s->description : "");
    return CLI_OK;
}

static int
cmd_current(CliContext *ctx, int argc, char **argv)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *name = NULL;

    if (!cli_parse(ctx, ctx->command, NULL, &argc, &argv, 1, 1))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    name = ds_snapshot_current(ctx->conn, argv[1], &error);
    if (error)
        return cli_fail(error);
    if (!name) {
        g_printerr("domsnap: domain '%s' has no current snapshot\n", argv[1]);
        return CLI_FAILED;
    }
    printf("%s\n", name);
    return CLI_OK;
}

static int
cmd_delete(CliContext *ctx, int argc, char **argv)
{
    gboolean children = FALSE, children_only = FALSE, metadata = FALSE;
    GOptionEntry entries[] = {
        { "children", 0, 0, G_OPTION_ARG_NONE, &children, "And all its descendants", NULL },
        { "children-only", 0, 0, G_OPTION_ARG_NONE, &children_only, "Its descendants only", NULL },
        { "metadata", 0, 0, G_OPTION_ARG_NONE, &metadata, "Remove the records only; keep every file", NULL },
        { "name", 'n', 0, G_OPTION_ARG_CALLBACK, cli_on_snapshot_name,
          "The snapshot (then DOM is the only argument)", "SNAP" },
        { NULL }
    };
    g_autoptr(GError) error = NULL;
    unsigned flags;
    const char *domain, *snapshot;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 1, 2) ||
        !cli_domain_and_snapshot(ctx->command, argc, argv, &domain, &snapshot))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    flags = (children ? DS_SNAPSHOT_DELETE_CHILDREN : 0) |
            (children_only ? DS_SNAPSHOT_DELETE_CHILDREN_ONLY : 0) |
            (metadata ? DS_SNAPSHOT_DELETE_METADATA : 0);
    if (!ds_snapshot_delete(ctx->conn, domain, snapshot, flags, &error))
        return cli_fail(error);
    printf("Snapshot '%s' of domain '%s' deleted%s\n", snapshot, domain,
           children ? " with its descendants" : children_only ? " (its descendants)" : "");
    return CLI_OK;
}

static int
cmd_check(CliContext *ctx, int argc, char **argv)
{
    gboolean repair = FALSE;
    GOptionEntry entries[] = {
        { "repair", 0, 0, G_OPTION_ARG_NONE, &repair, "Finish or undo what is found", NULL },
        { NULL }
    };
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) report = g_ptr_array_new_with_free_func(g_free);
    guint problems = 0;
    gboolean ok;

    if (!cli_parse(ctx, ctx->command, entries, &argc, &argv, 0, 1))
        return CLI_USAGE;
    if (!cli_connect(ctx))
        return CLI_FAILED;
    ok = ds_check(ctx->conn, argc > 1 ? argv[1] : NULL, repair, report, &problems, &error);
    for (guint i = 0; i < report->len; i++)
        printf("%s\n", (const char *)report->pdata[i]);
    if (!ok)
        return cli_fail(error);
    if (problems == 0)
        printf("No problems found.\n");
    return problems == 0 || repair ? CLI_OK : CLI_FAILED;
}
