/*
 * libvirt's own snapshot XML corpus (../shared/conformance/libvirt): every
 * input parsed and formatted, and compared byte for byte with libvirt's
 * expected output, with the flags, UUIDs and mocked creation times that
 * libvirt's qemudomainsnapshotxml2xmltest gives each file. Nothing is
 * normalised. The files domsnap refuses are listed, each with its reason.
 */
#include <string.h>

#include "domsnap.h"
#include "formats/snapshot_xml.h"

enum { INTERNAL = 1, REDEFINE = 2, RUNNING = 4 };

typedef struct {
    const char *in;       /* qemudomainsnapshotxml2xml{in,out}/NAME */
    const char *out;      /* expected; NULL: refused */
    const char *uuid;
    gint64 creation_time;
    unsigned flags;
    const char *refusal;  /* why, for the refused ones */
} Case;

#define U1 "9d37b878-a7cc-9f9a-b78f-49b3abad25a8"
#define U2 "c7a5fdbd-edaf-9455-926a-d65c16db1809"
#define U3 "14beef2c-8cae-4ea8-bf55-e48fe0cd4b73"

static const Case cases[] = {
    { "out/all_parameters", "out/all_parameters", U1, 0, INTERNAL | REDEFINE },
    { "out/disk_snapshot_redefine", "out/disk_snapshot_redefine", U2, 0, INTERNAL | REDEFINE },
    { "out/full_domain", "out/full_domain", U2, 0, INTERNAL | REDEFINE },
    { "out/noparent_nodescription_noactive", "out/noparent_nodescription_noactive", NULL, 0, REDEFINE },
    { "out/noparent_nodescription", "out/noparent_nodescription", NULL, 0, INTERNAL | REDEFINE },
    { "out/noparent", "out/noparent", U1, 0, REDEFINE },
    { "out/metadata", "out/metadata", U2, 0, REDEFINE },
    { "out/external_vm_redefine", "out/external_vm_redefine", U2, 0, REDEFINE },
    { "out/memory-snapshot-inactivedomain", "out/memory-snapshot-inactivedomain", U3, 0, REDEFINE },
    { "in/empty", "out/empty", U1, 1386166249, 0 },
    { "in/noparent", "out/noparent", U1, 1272917631, RUNNING },
    { "in/external_vm", "out/external_vm", NULL, 1555419243, 0 },
    { "in/disk_snapshot", "out/disk_snapshot", NULL, 1555419243, 0 },
    { "in/disk_driver_name_null", "out/disk_driver_name_null", NULL, 1555419243, 0 },
    { "in/disk-seclabel", "out/disk-seclabel", U1, 581484660, 0 },
    { "in/qcow2-metadata-cache", "out/qcow2-metadata-cache", U1, 1386166249, 0 },
    { "in/name_and_description", "in/name_and_description", NULL, 0, 0 },
    { "in/description_only", "in/description_only", NULL, 0, 0 },
    { "in/name_only", "in/name_only", NULL, 0, 0 },
    /* libvirt's negative vectors: refused, as libvirt refuses them. */
    { "in/disk-invalid", NULL, NULL, 0, 0,
      "attribute 'startupPolicy' is not allowed on a snapshot's <source>" },
    { "in/disk-network-seclabel-invalid", NULL, NULL, 0, 0,
      "a network source takes no <seclabel>" },
};

static guint round_trips, refused;

static char *
corpus_path(const char *name)
{
    const char *dir = g_getenv("DOMSNAP_CONFORMANCE");
    const char *sub = g_str_has_prefix(name, "in/") ? "qemudomainsnapshotxml2xmlin"
                                                    : "qemudomainsnapshotxml2xmlout";
    g_autofree char *file = g_strconcat(strchr(name, '/') + 1, ".xml", NULL);

    return g_build_filename(dir ? dir : "../shared/conformance", "libvirt", sub, file, NULL);
}

static void
test_case(gconstpointer data)
{
    const Case *c = data;
    g_autofree char *in = corpus_path(c->in);
    g_autoptr(GError) err = NULL;
    unsigned pflags = (c->flags & REDEFINE ? DS_XML_PARSE_REDEFINE : 0) |
                      (c->flags & INTERNAL ? DS_XML_PARSE_INTERNAL : 0);
    g_autoptr(DsSnapshotXml) def = ds_snapshot_xml_parse_file(in, pflags, &err);
    g_autofree char *want = NULL;
    g_autofree char *got = NULL;

    if (!c->out) {
        g_assert_null(def);
        g_assert_nonnull(err);
        if (!strstr(err->message, c->refusal))
            g_error("%s: want refusal '%s', got '%s'", c->in, c->refusal, err->message);
        /* The message points at the line. */
        g_assert_nonnull(strstr(err->message, ".xml:"));
        refused++;
        return;
    }
    if (!def)
        g_error("%s: %s", c->in, err->message);
    /* What libvirt's test harness does after parsing. */
    if (c->creation_time) {
        def->creation_time = c->creation_time;
        if (!def->name)
            def->name = g_strdup_printf("%" G_GINT64_FORMAT, c->creation_time);
    }
    if (c->flags & RUNNING) {
        g_free(def->state);
        def->state = g_strdup("running");
    }
    got = ds_snapshot_xml_format(def, c->uuid, c->flags & INTERNAL ? DS_XML_FORMAT_INTERNAL : 0);
    {
        g_autofree char *out = corpus_path(c->out);
        g_assert_true(g_file_get_contents(out, &want, NULL, NULL));
    }
    if (strcmp(want, got) != 0)
        g_error("%s -> %s differs\n--- want\n%s--- got\n%s", c->in, c->out, want, got);
    round_trips++;
}

static void
test_summary(void)
{
    g_test_message("corpus: %u of %u files round-trip exactly; %u refused (libvirt's "
                   "negative vectors: disk-invalid (startupPolicy on a snapshot source), "
                   "disk-network-seclabel-invalid (seclabel on a network source)); "
                   "0 normalised", round_trips, (guint)G_N_ELEMENTS(cases), refused);
    printf("# summary: libvirt snapshot XML corpus: %u of %u files round-trip byte for byte, "
           "%u refused (refused list: %u: disk-invalid: startupPolicy on a snapshot source; "
           "disk-network-seclabel-invalid: seclabel on a network source)\n", round_trips,
           (guint)G_N_ELEMENTS(cases), refused, refused);
    g_assert_cmpuint(round_trips + refused, ==, G_N_ELEMENTS(cases));
}

static void
test_bad_xml(void)
{
    static const struct { const char *xml; const char *msg; } bad[] = {
        { "<domainsnapshot>\n  <name>x</name>\n  <oops>\n</domainsnapshot>\n",
          "t.xml:4: not well-formed XML" },
        { "<domain>\n  <name>x</name>\n</domain>\n",
          "t.xml:1: the root element is <domain>, not <domainsnapshot>" },
        { "<domainsnapshot>\n  <memory snapshot='sideways'/>\n</domainsnapshot>\n",
          "t.xml:2: unknown memory snapshot mode 'sideways'" },
        { "<domainsnapshot>\n  <disks>\n    <disk snapshot='no'/>\n  </disks>\n</domainsnapshot>\n",
          "t.xml:3: a <disk> needs a name" },
        { "<domainsnapshot>\n  <naem>x</naem>\n</domainsnapshot>\n",
          "t.xml:2: unknown element <naem> in <domainsnapshot>" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) err = NULL;
        g_autoptr(DsSnapshotXml) def = ds_snapshot_xml_parse(bad[i].xml, strlen(bad[i].xml),
                                                             "t.xml", 0, &err);
        g_assert_null(def);
        if (!g_str_has_prefix(err->message, bad[i].msg))
            g_error("want '%s...', got '%s'", bad[i].msg, err->message);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/snapshot-xml/corpus/%s", cases[i].in);
        g_test_add_data_func(path, &cases[i], test_case);
    }
    g_test_add_func("/snapshot-xml/zz-summary/corpus", test_summary);
    g_test_add_func("/snapshot-xml/bad-xml", test_bad_xml);
    return g_test_run();
}
