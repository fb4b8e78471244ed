/*
 * Snapshot configs: the RFC's keys and the libxl snapshot document's
 * (creationtime, type, memory = "yes" | PATH, disk = [ 'VDEV=PATH,type=qcow2' ]),
 * what each makes of the request, and the located refusals.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "domsnap.h"
#include "formats/snapshot_config.h"

static char *tmpdir;

typedef struct {
    const char *label;
    const char *text;       /* the config file; "@" stands for the test's directory */
    const char *override;   /* one KEY=VALUE line, or NULL */
    /* what the request says, when accepted */
    const char *memory;     /* "default", "no", "internal", "external" */
    const char *memory_path; /* "@/..." or NULL */
    const char *type;       /* "-" (none), "internal", "external" */
    gint64 creation_time;
    const char *disks;      /* "vdev:mode:overlay ..." (mode: d n i e; overlay "@/..." or -) */
    const char *name;
    /* or the refusal: "LINE:COL: message" after the file's name */
    const char *error;
} Case;

static const Case cases[] = {
    /* the libxl document's forms */
    { "internal disk snapshot, creationtime as a string",
      "name = \"snap_int\"\ndescription = \"disks only\"\ncreationtime = \"1397207580\"\n"
      "type = \"internal\"\n", NULL,
      "no", NULL, "internal", 1397207580, "", "snap_int", NULL },
    { "creationtime as a number",
      "creationtime = 1397207580\n", NULL,
      "default", NULL, "-", 1397207580, "", NULL, NULL },
    { "creationtime from the command line",
      "type = \"internal\"\n", "creationtime=1397207580",
      "no", NULL, "internal", 1397207580, "", NULL, NULL },
    { "external with memory = yes and a disk per vdev",
      "name = \"ext\"\nmemory = \"yes\"\ntype = \"external\"\n"
      "disk = [ 'hda=@/snaps/<domain_uuid>/hda.qcow2,type=qcow2',\n"
      "         'hdc=@/snaps/<domain_uuid>/hdc.qcow2,type=qcow2' ]\n", NULL,
      "external", NULL, "external",
      0, "hda:e:@/snaps/<domain_uuid>/hda.qcow2 hdc:e:@/snaps/<domain_uuid>/hdc.qcow2", "ext",
      NULL },
    { "type = external and no memory: disks only, as the document says",
      "type = \"external\"\n", NULL, "no", NULL, "external", 0, "", NULL, NULL },
    { "memory = a path: an external image there",
      "memory = \"@/<domain_name>/mem.save\"\n", NULL,
      "external", "@/<domain_name>/mem.save", "-", 0, "", NULL, NULL },
    { "memory = a relative path, from the config's directory",
      "memory = \"./m/mem.save\"\n", NULL, "external", "@/m/mem.save", "-", 0, "", NULL, NULL },
    { "memory = no with type",
      "type = \"internal\"\nmemory = \"no\"\n", NULL, "no", NULL, "internal", 0, "", NULL, NULL },
    { "memory = yes with type internal: disks internal, memory to a file",
      "type = \"internal\"\nmemory = \"yes\"\n", NULL,
      "external", NULL, "internal", 0, "", NULL, NULL },
    { "a disk by its vdev only: as type says",
      "type = \"internal\"\ndisk = [ 'hda', 'hdc,type=qcow2' ]\n", NULL,
      "no", NULL, "internal", 0, "hda:d:- hdc:d:-", NULL, NULL },
    { "disk and disks for different disks",
      "disks = [ ',,hda' ]\ndisk = [ 'hdc=/x/hdc.qcow2' ]\n", NULL,
      "default", NULL, "-", 0, "hda:i:- hdc:e:/x/hdc.qcow2", NULL, NULL },
    /* ours, unchanged */
    { "the RFC's disks and memory",
      "memory = \"external\"\nmemory_path = \"mem.img\"\n"
      "disks = [ ',,xvda', 'o.qcow2,qcow2,xvdb', ',,xvdc,no' ]\n", NULL,
      "external", "@/mem.img", "-", 0, "xvda:i:- xvdb:e:@/o.qcow2 xvdc:n:-", NULL, NULL },
    /* refusals, located */
    { "unknown type", "type = \"intrenal\"\n", NULL, NULL, NULL, NULL, 0, NULL, NULL,
      ":1:8: type must be 'internal' or 'external', not 'intrenal' (did you mean 'internal'?)" },
    { "type not a string", "type = 1\n", NULL, NULL, NULL, NULL, 0, NULL, NULL,
      ":1:8: 'type' must be a string, not a number" },
    { "creationtime in the future", "name = \"x\"\ncreationtime = \"99999999999\"\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL, ":2:16: creationtime '99999999999' is in the future" },
    { "creationtime not a number", "creationtime = \"yesterday\"\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL,
      ":1:16: creationtime 'yesterday' is not a number of seconds since the epoch" },
    { "creationtime negative", "creationtime = \"-5\"\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL, ":1:16: creationtime '-5' is not a number" },
    { "creationtime a list", "creationtime = [ 1 ]\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL, ":1:16: creationtime must be a string or a number" },
    { "memory neither a word nor a path", "memory = \"maybe\"\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL,
      ":1:10: memory must be 'external', 'internal', 'no', 'yes' or the memory image's path" },
    { "memory path and memory_path", "memory = \"/a/m\"\nmemory_path = \"/b/m\"\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL, ":2:15: memory_path conflicts with memory = \"/a/m\"" },
    { "disk and disks for the same disk",
      "disks = [ ',,hda' ]\ndisk = [ 'hdc', 'hda=/x/hda.qcow2,type=qcow2' ]\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL,
      ":2:17: disk 'hda' is given both by disks= (at @/bad.cfg:1:11) and by disk=" },
    { "disk twice", "disk = [ 'hda', 'hda=/x/a.qcow2' ]\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL, ":1:17: disk 'hda' is listed twice" },
    { "a disk's overlay is qcow2", "disk = [ 'hda=/x/a.raw,type=raw' ]\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL, ":1:10: disk 'hda': type must be 'qcow2'" },
    { "unknown setting in a disk entry", "disk = [ 'hda=/x/a.qcow2,fromat=qcow2' ]\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL,
      ":1:10: disk 'hda': unknown setting 'fromat' (did you mean 'format'?)" },
    { "empty overlay path", "disk = [ 'hda=,type=qcow2' ]\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL, ":1:10: disk 'hda': no overlay path after 'hda='" },
    { "no vdev", "disk = [ '=/x/a.qcow2' ]\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL, ":1:10: disk entry '=/x/a.qcow2' is not 'VDEV'" },
    { "unknown placeholder", "disk = [ 'hda=/s/<domain_id>/a.qcow2' ]\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL,
      ":1:10: path '/s/<domain_id>/a.qcow2': unknown placeholder '<domain_id>' "
      "(known: <domain_uuid>, <domain_name>)" },
    { "unknown placeholder in memory", "memory = \"/s/<uuid>/m\"\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL, ":1:10: path '/s/<uuid>/m': unknown placeholder" },
    { "unknown key, suggested", "creationtme = \"1\"\n", NULL,
      NULL, NULL, NULL, 0, NULL, NULL,
      ":1:1: unknown key 'creationtme' (did you mean 'creationtime'?)" },
};

/* @s with each "@" replaced by the test's directory. */
static char *
at(const char *s)
{
    g_auto(GStrv) parts = g_strsplit(s, "@", -1);

    return g_strjoinv(tmpdir, parts);
}

static char *
describe_disks(const DsSnapshotRequest *req)
{
    g_autoptr(GString) out = g_string_new(NULL);

    for (guint i = 0; i < req->disks->len; i++) {
        const DsDiskRequest *d = req->disks->pdata[i];
        g_string_append_printf(out, "%s%s:%c:%s", i ? " " : "", d->vdev, "dnie"[d->mode],
                               d->overlay ? d->overlay : "-");
        g_assert_nonnull(d->where); /* every disk says where it was asked for */
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
test_case(gconstpointer data)
{
    const Case *c = data;
    g_autofree char *cfg = g_build_filename(tmpdir, c->error ? "bad.cfg" : "ok.cfg", NULL);
    g_autofree char *text = at(c->text);
    const char *overrides[] = { c->override, NULL };
    g_autoptr(DsSnapshotRequest) req = ds_snapshot_request_new();
    g_autoptr(GError) err = NULL;
    gboolean ok;

    g_assert_true(g_file_set_contents(cfg, text, -1, NULL));
    ok = ds_snapshot_config_load(cfg, overrides, req, &err);
    if (c->error) {
        g_autofree char *want_tail = at(c->error);
        g_autofree char *want = g_strconcat(cfg, want_tail, NULL);
        g_assert_false(ok);
        g_assert_nonnull(err);
        if (!g_str_has_prefix(err->message, want))
            g_error("%s:\n want %s...\n got  %s", c->label, want, err->message);
        return;
    }
    if (!ok)
        g_error("%s: refused: %s", c->label, err->message);
    {
        g_autofree char *disks = describe_disks(req);
        g_autofree char *want_disks = at(c->disks);
        g_autofree char *want_path = c->memory_path ? at(c->memory_path) : NULL;
        const char *memory = req->memory ? ds_enum_to_string(&ds_memory_mode_table, req->memory)
                                         : "default";
        const char *type = req->internal ? "internal" : req->external ? "external" : "-";

        g_assert_cmpstr(memory, ==, c->memory);
        g_assert_cmpstr(req->memory_path, ==, want_path);
        g_assert_cmpstr(type, ==, c->type);
        g_assert_cmpint(req->creation_time, ==, c->creation_time);
        g_assert_cmpstr(disks, ==, want_disks);
        g_assert_cmpstr(req->name, ==, c->name);
        g_assert_true((req->type_where != NULL) == (strcmp(c->type, "-") != 0));
    }
}

/* A KEY=VALUE line is located by its argument number. */
static void
test_override_located(void)
{
    const char *overrides[] = { "name=x", "type=sideways", NULL };
    g_autoptr(DsSnapshotRequest) req = ds_snapshot_request_new();
    g_autoptr(GError) err = NULL;

    g_assert_false(ds_snapshot_config_load(NULL, overrides, req, &err));
    g_assert_nonnull(err);
    g_assert_true(g_str_has_prefix(err->message, "command line argument 2:1:"));
    g_assert_nonnull(strstr(err->message, "type must be 'internal' or 'external', not 'sideways'"));
}

/* type= in the config wins over --internal/--external, as name= over --name. */
static void
test_type_wins(void)
{
    const char *overrides[] = { "type=external", NULL };
    g_autoptr(DsSnapshotRequest) req = ds_snapshot_request_new();
    g_autoptr(GError) err = NULL;

    req->internal = TRUE;
    g_assert_true(ds_snapshot_config_load(NULL, overrides, req, &err));
    g_assert_no_error(err);
    g_assert_false(req->internal);
    g_assert_true(req->external);
}

static void
test_expand(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *p = ds_snapshot_path_expand("/s/<domain_uuid>/<domain_name>-<x>.qcow2",
                                                 "web1", "0a1b", &err);
    g_autofree char *bad = NULL;

    g_assert_no_error(err);
    g_assert_cmpstr(p, ==, "/s/0a1b/web1-<x>.qcow2");
    g_assert_null(ds_snapshot_path_expand("/s/<domain_uuid>/a", "web1", NULL, &err));
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, "domain 'web1' has no UUID recorded"));
    bad = ds_snapshot_path_unknown_placeholder("/a<b/<domain_name>/<c d>/<vm>");
    g_assert_cmpstr(bad, ==, "<vm>");
}

int
main(int argc, char **argv)
{
    int rc;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("ds-snapcfg-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/snapshot-config/%02u", i);
        g_test_add_data_func(path, &cases[i], test_case);
    }
    g_test_add_func("/snapshot-config/override-located", test_override_located);
    g_test_add_func("/snapshot-config/type-wins", test_type_wins);
    g_test_add_func("/snapshot-config/expand", test_expand);
    rc = g_test_run();
    {
        g_autoptr(GDir) d = g_dir_open(tmpdir, 0, NULL);
        const char *n;
        while (d && (n = g_dir_read_name(d))) {
            g_autofree char *p = g_build_filename(tmpdir, n, NULL);
            g_unlink(p);
        }
    }
    g_rmdir(tmpdir);
    return rc;
}
