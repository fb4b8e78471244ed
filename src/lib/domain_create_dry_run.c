/*
 * domain_create_dry_run.c: `domsnap create --dry-run`: the QEMU command
 * line create would run, with everything checked as create checks it, and
 * nothing made, started or recorded.
 */
#include "connection.h"
#include "domain_prepare.h"

#include <string.h>

/* Quoted for a shell only when it needs it, so that the line reads well. */
static void
append_arg(GString *out, const char *arg)
{
    gboolean plain = *arg != '\0';

    for (const char *p = arg; *p && plain; p++)
        plain = g_ascii_isalnum(*p) || strchr("_,.=:/@%+-", *p);
    if (plain) {
        g_string_append(out, arg);
    } else {
        g_autofree char *q = g_shell_quote(arg);
        g_string_append(out, q);
    }
}

/* One option (and its value) a line, as a shell command. */
static char *
format_command(char *const *argv)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; argv[i]; i++) {
        if (i > 0)
            g_string_append(out, argv[i][0] == '-' ? " \\\n    " : " ");
        append_arg(out, argv[i]);
    }
    g_string_append_c(out, '\n');
    return g_string_free(out, FALSE);
}

static gboolean
refuse_recorded(DsConnection *conn, const char *name, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(DsDomainRecord) old = ds_domain_record_load(conn->store, name, &local);

    if (!old && g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND))
        return TRUE;
    if (!old) {
        g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
    }
    g_set_error(error, DS_ERROR, DS_ERROR_EXISTS, "domain '%s' already exists", name);
    return FALSE;
}

char *
ds_domain_create_dry_run(DsConnection *conn, const char *config_path,
                         const char *const *overrides, gboolean paused, GError **error)
{
    g_autoptr(DsDomainConfig) config = ds_domain_config_load(config_path, overrides, error);
    g_autoptr(DsDomainRecord) rec = NULL;
    g_auto(GStrv) argv = NULL;
    g_autofree char *id = NULL;
    const DsDriverOps *drv;

    if (!config || !(drv = ds_driver_get(conn->driver, error)) ||
        !ds_driver_require_cap(drv, DS_DRIVER_CAP_COMMAND_LINE, NULL, NULL, NULL, error) ||
        !refuse_recorded(conn, config->c_info.name, error))
        return NULL;
    rec = ds_domain_record_new(drv->name, g_steal_pointer(&config));
    /* The id and run directory a start now would take (neither is made). */
    rec->id = ds_domain_record_free_id(conn->store, error);
    if (rec->id < 0)
        return NULL;
    id = g_strdup_printf("%" G_GINT64_FORMAT, rec->id);
    rec->run_dir = g_build_filename(conn->store->run_dir, id, NULL);
    if (!ds_domain_prepare(conn, rec, TRUE, error))
        return NULL;
    argv = drv->domain.command_line(rec, paused ? DS_START_PAUSED : 0, error);
    return argv ? format_command(argv) : NULL;
}
