/*
 * diskspec.c: a hand-written scanner with the same rules and the same
 * longest-match-then-first-rule choice as xl's flex scanner, so that every
 * spec xl accepts means the same thing here.
 */
#include "diskspec.h"

#include <string.h>

#include "domsnap.h"

DS_ENUM_TABLE(ds_disk_format_table, "disk format",
              "unknown", "qcow", "qcow2", "vhd", "raw", "empty", "qed");
DS_ENUM_TABLE(ds_disk_backend_table, "disk backend",
              "unknown", "phy", "tap", "qdisk", "standalone");
DS_ENUM_TABLE(ds_disk_specification_table, "disk specification",
              "unknown", "xen", "virtio");
DS_ENUM_TABLE(ds_defbool_table, "boolean", NULL, "False", "True");

typedef struct {
    const char *spec;
    DsDiskSpec *disk;
    gboolean had_depr_prefix;
    gboolean access_set;
    GError *err; /* the first error; xl reports the first one too */
} Ctx;

void
ds_disk_spec_free(DsDiskSpec *d)
{
    if (!d)
        return;
    g_free(d->pdev_path);
    g_free(d->vdev);
    g_free(d->backend_domname);
    g_free(d->script);
    g_free(d->colo_host);
    g_free(d->colo_export);
    g_free(d->active_disk);
    g_free(d->hidden_disk);
    g_free(d);
}

static void G_GNUC_PRINTF(3, 4)
fail(Ctx *c, const char *near, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    if (c->err)
        return;
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (near)
        c->err = g_error_new(DS_ERROR, DS_ERROR_CONFIG, "disk spec '%s': %s '%s'",
                             c->spec, msg, near);
    else
        c->err = g_error_new(DS_ERROR, DS_ERROR_CONFIG, "disk spec '%s': %s",
                             c->spec, msg);
}

/* Overwriting an empty string is allowed, as in xl. */
static void
save_string(Ctx *c, const char *what, char **slot, const char *value)
{
    if (*slot && **slot) {
        fail(c, value, "%s respecified:", what);
        return;
    }
    g_free(*slot);
    *slot = g_strdup(value);
}

static void
set_enum(Ctx *c, int *slot, const DsEnumTable *table, const char *what,
         const char *str)
{
    int v = ds_enum_from_string(table, str);

    if (*str == '\0' && table == &ds_disk_format_table)
        v = DS_DISK_FORMAT_RAW;
    if (v <= 0) {
        fail(c, str, "unknown value for %s:", what);
        return;
    }
    if (*slot != 0 && *slot != v) {
        fail(c, str, "%s respecified:", what);
        return;
    }
    *slot = v;
}

static void
set_format(Ctx *c, const char *str)
{
    set_enum(c, (int *)&c->disk->format, &ds_disk_format_table, "format", str);
}

static void
set_access(Ctx *c, const char *str)
{
    if (!strcmp(str, "r") || !strcmp(str, "ro"))
        c->disk->readwrite = FALSE;
    else if (!strcmp(str, "rw") || !strcmp(str, "w") || !*str)
        c->disk->readwrite = TRUE;
    else
        fail(c, str, "unknown value for access:");
}

/* `vdev:devtype`: returns FALSE (doing nothing) when there is no colon. */
static gboolean
vdev_and_devtype(Ctx *c, char *str)
{
    char *colon = strrchr(str, ':');

    if (!colon)
        return FALSE;
    *colon++ = '\0';
    save_string(c, "vdev", &c->disk->vdev, str);
    if (!strcmp(colon, "cdrom"))
        c->disk->is_cdrom = TRUE;
    else if (!strcmp(colon, "disk"))
        c->disk->is_cdrom = FALSE;
    else
        fail(c, colon, "unknown deprecated type");
    return TRUE;
}

static void
positional(Ctx *c, char *word)
{
    DsDiskSpec *d = c->disk;

    if (!d->pdev_path) {
        save_string(c, "target", &d->pdev_path, word);
    } else if (!c->had_depr_prefix && d->format == DS_DISK_FORMAT_UNKNOWN) {
        if (!*d->pdev_path && vdev_and_devtype(c, word))
            d->format = DS_DISK_FORMAT_EMPTY;
        else
            set_format(c, word);
    } else if (!d->vdev) {
        if (!vdev_and_devtype(c, word))
            save_string(c, "vdev", &d->vdev, word);
    } else if (!c->access_set) {
        c->access_set = TRUE;
        set_access(c, word);
    } else {
        fail(c, word, "too many positional parameters:");
    }
}

/* ---- the scanner's rules ---- */

typedef enum {
    R_NONE,
    R_SPACE,
    R_KEY,        /* key=value or a flag */
    R_TARGET,     /* target=... eats the rest */
    R_UNKNOWN_KEY,
    R_DEPR_PREFIX,
    R_BAD_PREFIX,
    R_POSITIONAL,
} Rule;

typedef struct {
    Rule rule;
    gsize consume; /* bytes taken from the input */
    gsize length;  /* bytes the rule counts as matched (trailing context too) */
    int prio;      /* the rule's place in xl's scanner: lower wins a tie */
    int key;       /* index into keys[] for R_KEY */
} Match;

typedef enum { K_VALUE, K_FLAG } KeyKind;

/* In xl's order: on a tie in length the earlier one wins. */
static const struct {
    const char *text; /* "format=" takes a value; "cdrom" is a flag */
    KeyKind kind;
} keys[] = {
    { "format=", K_VALUE },        { "cdrom", K_FLAG },
    { "devtype=cdrom", K_FLAG },   { "devtype=disk", K_FLAG },
    { "devtype=", K_VALUE },       { "access=", K_VALUE },
    { "backend=", K_VALUE },       { "backendtype=", K_VALUE },
    { "specification=", K_VALUE }, { "vdev=", K_VALUE },
    { "script=", K_VALUE },        { "direct-io-safe", K_FLAG },
    { "discard", K_FLAG },         { "no-discard", K_FLAG },
    { "colo", K_FLAG },            { "no-colo", K_FLAG },
    { "colo-host=", K_VALUE },     { "colo-port=", K_VALUE },
    { "colo-export=", K_VALUE },   { "active-disk=", K_VALUE },
    { "hidden-disk=", K_VALUE },   { "trusted", K_FLAG },
    { "untrusted", K_FLAG },       { "grant_usage=1", K_FLAG },
    { "grant_usage=0", K_FLAG },
};

enum { PRIO_TARGET = 100, PRIO_UNKNOWN_KEY, PRIO_DEPR, PRIO_BAD_PREFIX, PRIO_POSITIONAL };

static const char *const depr_prefixes[] = {
    "raw", "qcow", "qcow2", "vhd", "iscsi", "nbd", "enbd", "drbd",
    "tapdisk", "tap", "tap2", "aio", "ioemu", "file", "phy", NULL,
};

static void
consider(Match *best, Rule rule, gsize consume, gsize length, int prio, int key)
{
    if (length == 0)
        return;
    if (length > best->length || (length == best->length && prio < best->prio))
        *best = (Match){ rule, consume, length, prio, key };
}

static gsize
span_not(const char *p, const char *stop)
{
    return strcspn(p, stop);
}

static void
match_keys(const char *p, Match *best)
{
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
        gsize n = strlen(keys[i].text);

        if (strncmp(p, keys[i].text, n) != 0)
            continue;
        if (keys[i].kind == K_VALUE)
            n += span_not(p + n, ",");
        if (p[n] == ',')
            n++;
        consider(best, R_KEY, n, n, (int)i, (int)i);
    }
}

static void
match_prefixes(const char *p, gsize rest, Match *best)
{
    gsize n = 0;

    if (!g_ascii_islower(p[0]))
        return;
    while (g_ascii_islower(p[n]) || g_ascii_isdigit(p[n]))
        n++;
    if (p[n] != ':')
        return;
    for (const char *const *d = depr_prefixes; *d; d++) {
        if (strlen(*d) == n && strncmp(p, *d, n) == 0) {
            consider(best, R_DEPR_PREFIX, n + 1, rest, PRIO_DEPR, -1);
            return;
        }
    }
    /* Unknown prefix: only when what follows the colon is not alphanumeric. */
    if (!g_ascii_isalnum(p[n + 1]))
        consider(best, R_BAD_PREFIX, n + 1, rest, PRIO_BAD_PREFIX, -1);
}

static Match
scan(const char *p)
{
    gsize rest = strlen(p);
    Match best = { R_NONE, 0, 0, G_MAXINT, -1 };
    gsize n;

    n = strspn(p, " \t\n");
    if (n > 0)
        return (Match){ R_SPACE, n, rest, -1, -1 };

    match_keys(p, &best);
    if (strncmp(p, "target=", 7) == 0)
        consider(&best, R_TARGET, rest, rest, PRIO_TARGET, -1);

    /* [a-z][-a-z0-9]*=[^,],?  (one character of value, as in xl) */
    if (g_ascii_islower(p[0])) {
        n = 1;
        while (g_ascii_islower(p[n]) || g_ascii_isdigit(p[n]) || p[n] == '-')
            n++;
        if (p[n] == '=' && p[n + 1] && p[n + 1] != ',') {
            n += 2;
            if (p[n] == ',')
                n++;
            consider(&best, R_UNKNOWN_KEY, n, n, PRIO_UNKNOWN_KEY, -1);
        }
    }
    match_prefixes(p, rest, &best);

    /* [^=,]*,|[^=,]+,? */
    n = span_not(p, "=,");
    if (p[n] == ',')
        consider(&best, R_POSITIONAL, n + 1, n + 1, PRIO_POSITIONAL, -1);
    else if (n > 0)
        consider(&best, R_POSITIONAL, n, n, PRIO_POSITIONAL, -1);
    return best;
}

static void
apply_key(Ctx *c, int k, char *value)
{
    const char *key = keys[k].text;
    DsDiskSpec *d = c->disk;

    if (!strcmp(key, "format="))
        set_format(c, value);
    else if (!strcmp(key, "cdrom") || !strcmp(key, "devtype=cdrom"))
        d->is_cdrom = TRUE;
    else if (!strcmp(key, "devtype=disk"))
        d->is_cdrom = FALSE;
    else if (!strcmp(key, "devtype="))
        fail(c, value, "unknown value for type:");
    else if (!strcmp(key, "access="))
        set_access(c, value);
    else if (!strcmp(key, "backend="))
        save_string(c, "backend", &d->backend_domname, value);
    else if (!strcmp(key, "backendtype="))
        set_enum(c, (int *)&d->backend, &ds_disk_backend_table, "backendtype", value);
    else if (!strcmp(key, "specification="))
        set_enum(c, (int *)&d->specification, &ds_disk_specification_table,
                 "specification", value);
    else if (!strcmp(key, "vdev="))
        save_string(c, "vdev", &d->vdev, value);
    else if (!strcmp(key, "script="))
        save_string(c, "script", &d->script, value);
    else if (!strcmp(key, "direct-io-safe"))
        d->direct_io_safe = TRUE;
    else if (!strcmp(key, "discard"))
        d->discard_enable = DS_DEFBOOL_TRUE;
    else if (!strcmp(key, "no-discard"))
        d->discard_enable = DS_DEFBOOL_FALSE;
    else if (!strcmp(key, "colo"))
        d->colo_enable = DS_DEFBOOL_TRUE;
    else if (!strcmp(key, "no-colo"))
        d->colo_enable = DS_DEFBOOL_FALSE;
    else if (!strcmp(key, "colo-host="))
        save_string(c, "colo-host", &d->colo_host, value);
    else if (!strcmp(key, "colo-port=")) {
        d->colo_port = atoi(value);
        if (!d->colo_port)
            fail(c, value, "unknown value for colo_port:");
    } else if (!strcmp(key, "colo-export="))
        save_string(c, "colo-export", &d->colo_export, value);
    else if (!strcmp(key, "active-disk="))
        save_string(c, "active-disk", &d->active_disk, value);
    else if (!strcmp(key, "hidden-disk="))
        save_string(c, "hidden-disk", &d->hidden_disk, value);
    else if (!strcmp(key, "trusted"))
        d->trusted = DS_DEFBOOL_TRUE;
    else if (!strcmp(key, "untrusted"))
        d->trusted = DS_DEFBOOL_FALSE;
    else if (!strcmp(key, "grant_usage=1"))
        d->grant_usage = DS_DEFBOOL_TRUE;
    else if (!strcmp(key, "grant_usage=0"))
        d->grant_usage = DS_DEFBOOL_FALSE;
}

static void
apply_depr_prefix(Ctx *c, char *prefix)
{
    c->had_depr_prefix = TRUE;
    if (!strcmp(prefix, "raw") || !strcmp(prefix, "qcow") ||
        !strcmp(prefix, "qcow2") || !strcmp(prefix, "vhd")) {
        set_format(c, prefix);
    } else if (!strcmp(prefix, "iscsi") || !strcmp(prefix, "nbd") ||
               !strcmp(prefix, "enbd") || !strcmp(prefix, "drbd")) {
        g_autofree char *script = g_strdup_printf("block-%s", prefix);
        save_string(c, "script", &c->disk->script, script);
    }
    /* tap:, tap2:, tapdisk:, aio:, ioemu:, file:, phy: are just dropped. */
}

/* Strips one trailing @delim, as xl's STRIP() does. */
static char *
strip_copy(const char *p, gsize n, char delim)
{
    if (n > 0 && p[n - 1] == delim)
        n--;
    return g_strndup(p, n);
}

static gboolean
scan_all(Ctx *c)
{
    const char *p = c->spec;

    while (*p && !c->err) {
        Match m = scan(p);
        g_autofree char *text = NULL;

        switch (m.rule) {
        case R_SPACE:
            break;
        case R_KEY:
            text = strip_copy(p, m.consume, ',');
            apply_key(c, m.key, strchr(text, '=') ? strchr(text, '=') + 1 : text);
            break;
        case R_TARGET:
            text = strip_copy(p, m.consume, ',');
            save_string(c, "target", &c->disk->pdev_path, text + 7);
            break;
        case R_UNKNOWN_KEY:
            text = g_strndup(p, m.consume);
            fail(c, text, "unknown parameter");
            break;
        case R_DEPR_PREFIX:
            text = strip_copy(p, m.consume, ':');
            apply_depr_prefix(c, text);
            break;
        case R_BAD_PREFIX:
            fail(c, p, "unknown deprecated disk prefix in");
            break;
        case R_POSITIONAL:
            text = strip_copy(p, m.consume, ',');
            positional(c, text);
            break;
        case R_NONE:
            fail(c, p, "bad disk syntax near");
            break;
        }
        p += m.consume ? m.consume : strlen(p);
    }
    return c->err == NULL;
}

/* What xl does after scanning: defaults and the checks on the whole disk. */
static void
finish(Ctx *c)
{
    DsDiskSpec *d = c->disk;

    if (d->format == DS_DISK_FORMAT_UNKNOWN)
        d->format = DS_DISK_FORMAT_RAW;
    if (d->is_cdrom) {
        d->removable = TRUE;
        d->readwrite = FALSE;
        if (!d->pdev_path || !*d->pdev_path)
            d->format = DS_DISK_FORMAT_EMPTY;
    }
    if (!d->vdev || !*d->vdev)
        fail(c, NULL, "no vdev specified");
    else if ((!d->pdev_path || !*d->pdev_path) && !d->is_cdrom)
        fail(c, NULL, "no target specified (only an empty cdrom may have none)");
}

DsDiskSpec *
ds_disk_spec_parse(const char *spec, GError **error)
{
    Ctx c = { .spec = spec };
    g_autoptr(DsDiskSpec) disk = g_new0(DsDiskSpec, 1);

    disk->readwrite = TRUE;
    c.disk = disk;
    if (scan_all(&c))
        finish(&c);
    if (c.err) {
        g_propagate_error(error, c.err);
        return NULL;
    }
    return g_steal_pointer(&disk);
}

static void
add_defbool(json_object *o, const char *key, DsDefbool b)
{
    if (b != DS_DEFBOOL_DEFAULT)
        json_object_object_add(o, key, json_object_new_string(
                                   b == DS_DEFBOOL_TRUE ? "True" : "False"));
}

static void
add_string(json_object *o, const char *key, const char *v)
{
    if (v)
        json_object_object_add(o, key, json_object_new_string(v));
}

json_object *
ds_disk_spec_to_xl_json(const DsDiskSpec *d)
{
    json_object *o = json_object_new_object();

    add_string(o, "pdev_path", d->pdev_path);
    add_string(o, "vdev", d->vdev);
    if (d->backend)
        add_string(o, "backend", ds_enum_to_string(&ds_disk_backend_table, d->backend));
    add_string(o, "format", ds_enum_to_string(&ds_disk_format_table, d->format));
    add_string(o, "script", d->script);
    if (d->removable)
        json_object_object_add(o, "removable", json_object_new_int(1));
    if (d->readwrite)
        json_object_object_add(o, "readwrite", json_object_new_int(1));
    if (d->is_cdrom)
        json_object_object_add(o, "is_cdrom", json_object_new_int(1));
    if (d->direct_io_safe)
        json_object_object_add(o, "direct_io_safe", json_object_new_boolean(1));
    add_defbool(o, "discard_enable", d->discard_enable);
    add_defbool(o, "colo_enable", d->colo_enable);
    add_string(o, "colo_host", d->colo_host);
    if (d->colo_port)
        json_object_object_add(o, "colo_port", json_object_new_int(d->colo_port));
    add_string(o, "colo_export", d->colo_export);
    add_string(o, "active_disk", d->active_disk);
    add_string(o, "hidden_disk", d->hidden_disk);
    add_defbool(o, "trusted", d->trusted);
    add_defbool(o, "grant_usage", d->grant_usage);
    if (d->specification)
        add_string(o, "specification",
                   ds_enum_to_string(&ds_disk_specification_table, d->specification));
    add_string(o, "backend_domname", d->backend_domname);
    return o;
}
