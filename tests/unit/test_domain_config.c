/*
 * Domain configs: keys, defaults, paths, disks, and located refusals; and the
 * parse/format pair, data-driven: every tests/data/domain_config/NAME.in is
 * parsed and formatted, and must give NAME.out (with the data directory
 * written @DIR@); formatting the parse of NAME.out gives it again, and so
 * does a trip through the record's JSON. NAME-invalid.in is refused with
 * the message in NAME-invalid.out (its path relative to the data
 * directory). DS_TEST_WRITE_OUT=1 writes the .out files instead (to be
 * read by a human before they are committed).
 */
#include "data_names.h"
#include <string.h>
#include <unistd.h>

#include "domsnap.h"
#include "formats/domain_config.h"

static char *tmpdir;
static char *datadir;

static char *
write_file(const char *name, const char *text)
{
    char *path = g_build_filename(tmpdir, name, NULL);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static void
test_full(void)
{
    g_autofree char *cfg = write_file("ok.cfg",
        "name = 'web1'\n"
        "memory = 256\n"
        "vcpus = 2\n"
        "kernel = 'vmlinuz'\n"
        "root = '/dev/vda'\n"
        "extra = 'console=ttyS0'\n"
        "disk = [ 'a.qcow2,qcow2,xvda,rw', 'format=raw, vdev=xvdb, access=ro, target=b.raw' ]\n"
        "serial = [ 'file:console.log', 'unix:/tmp/g.sock' ]\n");
    const char *overrides[] = { "memory=512", NULL };
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDomainConfig) c = NULL;
    g_autofree char *kernel = g_build_filename(tmpdir, "vmlinuz", NULL);
    const DsDomainDisk *d;

    g_free(write_file("vmlinuz", "k"));
    g_free(write_file("a.qcow2", "a"));
    g_free(write_file("b.raw", "b"));
    c = ds_domain_config_load(cfg, overrides, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(c->c_info.name, ==, "web1");
    g_assert_cmpint(c->b_info.max_memkb, ==, 512 * 1024);
    g_assert_cmpint(c->b_info.max_vcpus, ==, 2);
    g_assert_cmpstr(c->b_info.kernel, ==, kernel);
    g_assert_cmpstr(c->b_info.cmdline, ==, "root=/dev/vda console=ttyS0");
    g_assert_cmpstr(c->qemu.accel, ==, "tcg");
    g_assert_cmpuint(c->disks->len, ==, 2);
    d = ds_domain_config_find_disk(c, "xvdb");
    g_assert_nonnull(d);
    g_assert_cmpint(d->format, ==, DS_DISK_FORMAT_RAW);
    g_assert_false(d->readwrite);
    g_assert_true(g_str_has_prefix(c->qemu.serial[0], "file:/"));
    g_assert_true(g_str_has_suffix(c->qemu.serial[0], "/console.log"));
}

static void
expect(const char *text, const char *const *overrides, const char *message_suffix)
{
    g_autofree char *cfg = write_file("bad.cfg", text);
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDomainConfig) c = ds_domain_config_load(cfg, overrides, &err);
    g_autofree char *want = g_strdup_printf("%s%s", message_suffix[0] == ':' ? cfg : "",
                                            message_suffix);

    g_assert_null(c);
    g_assert_nonnull(err);
    if (!g_str_has_suffix(err->message, want))
        g_error("want ...%s\n got %s", want, err->message);
}

/* The xen driver's part (libxl's JSON) is kept as it is, and a QEMU
 * domain's record has no "xen" at all. */
static void
test_xen_part(void)
{
    const char *libxl = "{ \"c_info\": { \"type\": \"pv\", \"name\": \"g\" }, "
                        "\"disks\": [ { \"pdev_path\": \"/tmp/x.raw\", \"vdev\": \"xvda\" } ] }";
    DsDomainConfig c = { 0 };
    DsDomainConfig *back;
    json_object *j, *xen = NULL, *inner = NULL;

    c.c_info.name = g_strdup("g");
    c.b_info.max_vcpus = 1;
    c.b_info.max_memkb = 131072;
    j = ds_record_to_json(&ds_domain_config_type, &c);
    g_assert_false(json_object_object_get_ex(j, "xen", NULL));
    json_object_put(j);

    c.xen.libxl_config = json_tokener_parse(libxl);
    j = ds_record_to_json(&ds_domain_config_type, &c);
    g_assert_true(json_object_object_get_ex(j, "xen", &xen));
    g_assert_true(json_object_object_get_ex(xen, "libxl_config", &inner));
    back = g_new0(DsDomainConfig, 1);
    g_assert_true(ds_record_from_json(&ds_domain_config_type, j, back, "test", NULL));
    g_assert_true(json_object_equal(back->xen.libxl_config, c.xen.libxl_config));
    json_object_put(j);
    ds_domain_config_free(back);
    ds_record_clear(&ds_domain_config_type, &c);
}

static void
test_refusals(void)
{
    const char *bad_override[] = { "vcpu=2", NULL };

    g_free(write_file("a.qcow2", "a"));
    expect("name='x'\nmemroy = 5\n", NULL, ":2:1: unknown key 'memroy' (did you mean 'memory'?)");
    expect("name='x'\nkernel='nope'\n", NULL, "does not exist");
    expect("name='x'\ndisk=['missing.qcow2,qcow2,xvda']\n", NULL, "does not exist");
    expect("name='x'\ndisk=['a.qcow2,vhd,xvda']\n", NULL,
           ":2:7: disk 'xvda': format 'vhd' is unsupported (domsnap supports raw and qcow2)");
    expect("name='x'\ndisk=['a.qcow2,qcow2,xvda', 'a.qcow2,raw,xvda']\n", NULL,
           ":2:29: disk 'xvda' is listed twice");
    expect("name='x'\ndisk=['/x.iso,,hdc,cdrom']\n", NULL,
           ":2:7: cdrom 'hdc': file '/x.iso' does not exist");
    expect("name='bad/name'\n", NULL, ":1:6: domain name 'bad/name' must not contain '/' or control characters");
    expect("name='.hidden'\n", NULL, ":1:6: domain name '.hidden' must not start with '.'");
    expect("memory=5\n", NULL, ": the domain has no 'name'");
    expect("name='x'\n", bad_override,
           "command line argument 1:1:1: unknown key 'vcpu' (did you mean 'vcpus'?)");
    expect("name='x'\naccel='hvf'\n", NULL, ":2:7: accel must be 'tcg' or 'kvm', not 'hvf'");
    expect("name='x'\nserial=['tcp:1.2.3.4:5']\n", NULL,
           ":2:9: serial port 'tcp:1.2.3.4:5' is not one of file:PATH, unix:PATH, pty, null");
}

static char *
replace_all(const char *text, const char *from, const char *to)
{
    g_auto(GStrv) parts = g_strsplit(text, from, -1);

    return g_strjoinv(to, parts);
}

/* What the formatter gives, with the data directory written @DIR@. */
static char *
format_relative(const DsDomainConfig *c)
{
    g_autofree char *text = ds_domain_config_format(c);

    return replace_all(text, datadir, "@DIR@");
}

static void
check_text(const char *what, const char *name, const char *want, const char *got)
{
    if (g_strcmp0(want, got) != 0)
        g_error("%s: %s:\n--- want\n%s--- got\n%s", name, what, want, got);
}

static void
check_valid(const char *name, const char *want, DsDomainConfig *c)
{
    g_autofree char *got = format_relative(c);
    g_autofree char *expanded = NULL;
    g_autoptr(DsCfg) cfg = ds_cfg_new();
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDomainConfig) again = NULL;
    g_autoptr(DsDomainConfig) copy = NULL;
    g_autofree char *again_text = NULL, *copy_text = NULL;
    json_object *j;

    check_text("format(parse(in))", name, want, got);
    expanded = replace_all(want, "@DIR@", datadir);
    g_assert_true(ds_cfg_parse_text(cfg, "out", expanded, &err));
    again = ds_domain_config_from_cfg(cfg, &err);
    if (!again)
        g_error("%s: the .out does not parse: %s", name, err->message);
    again_text = format_relative(again);
    check_text("format(parse(out))", name, want, again_text);
    /* Everything the config says is recorded. */
    j = ds_record_to_json(&ds_domain_config_type, c);
    copy = g_new0(DsDomainConfig, 1);
    g_assert_true(ds_record_from_json(&ds_domain_config_type, j, copy, name, NULL));
    json_object_put(j);
    copy_text = format_relative(copy);
    check_text("format(record(parse(in)))", name, want, copy_text);
}

static void
test_data_case(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in = g_strdup_printf("%s/%s.in", datadir, name);
    g_autofree char *out = g_strdup_printf("%s/%s.out", datadir, name);
    g_autofree char *want = NULL;
    g_autofree char *got = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDomainConfig) c = ds_domain_config_load(in, NULL, &err);
    g_autofree char *prefix = g_strconcat(datadir, "/", NULL);

    if (c) {
        got = format_relative(c);
    } else {
        g_autofree char *msg = replace_all(err->message + (g_str_has_prefix(err->message, prefix)
                                                               ? strlen(prefix) : 0),
                                           datadir, "@DIR@");
        got = g_strconcat(msg, "\n", NULL);
    }
    if (g_getenv("DS_TEST_WRITE_OUT")) {
        g_assert_true(g_file_set_contents(out, got, -1, NULL));
        return;
    }
    if (!g_file_get_contents(out, &want, NULL, NULL))
        g_error("%s: no %s", name, out);
    if (g_str_has_suffix(name, "-invalid")) {
        if (c)
            g_error("%s: accepted, but it should be refused with: %s", name, want);
        check_text("the refusal", name, want, got);
        return;
    }
    if (!c)
        g_error("%s: refused: %s", name, err->message);
    check_valid(name, want, c);
}

static void
add_data_cases(void)
{
    g_autoptr(GPtrArray) names = data_names(datadir);

    g_assert_cmpuint(names->len, >, 0);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_strdup_printf("/domain-config/data/%s",
                                                (char *)names->pdata[i]);
        g_test_add_data_func_full(path, names->pdata[i], test_data_case, g_free);
    }
}

/* A missing OVMF says which package brings it, at the key that asks for it. */
static void
test_ovmf_missing(void)
{
    g_setenv("DOMSNAP_OVMF_CODE", "/nonexistent/OVMF_CODE_4M.fd", TRUE);
    expect("name='x'\nbios = 'ovmf'\n", NULL,
           ":2:8: the OVMF firmware code '/nonexistent/OVMF_CODE_4M.fd' is missing "
           "(install the 'ovmf' package)");
    g_setenv("DOMSNAP_OVMF_CODE", "files/ovmf-code.fd", TRUE);
    g_setenv("DOMSNAP_OVMF_VARS", "/nonexistent/OVMF_VARS_4M.fd", TRUE);
    expect("name='x'\nfirmware = 'uefi'\n", NULL,
           ":2:12: the OVMF variable store template '/nonexistent/OVMF_VARS_4M.fd' is "
           "missing (install the 'ovmf' package)");
    g_setenv("DOMSNAP_OVMF_VARS", "files/ovmf-vars.fd", TRUE);
}

/* A generated MAC is xl's: Xen's OUI, unicast, and recorded once made. */
static void
test_random_mac(void)
{
    for (int i = 0; i < 100; i++) {
        g_autofree char *mac = ds_vif_random_mac();
        g_autoptr(GError) err = NULL;
        g_autofree char *spec = g_strdup_printf("mac=%s", mac);
        g_autoptr(DsVif) vif = ds_vif_parse(spec, &err);

        g_assert_no_error(err);
        g_assert_true(g_str_has_prefix(mac, "00:16:3e:"));
        g_assert_cmpstr(vif->mac, ==, mac);
        g_assert_cmpint(g_ascii_xdigit_value(mac[9]), <, 8);
    }
}

int
main(int argc, char **argv)
{
    int rc;
    g_autoptr(GError) err = NULL;
    const char *data = g_getenv("DOMSNAP_TEST_DATA");

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("cfg-XXXXXX", &err);
    {
        g_autofree char *rel = g_build_filename(data ? data : "tests/data", "domain_config", NULL);
        datadir = g_canonicalize_filename(rel, NULL);
    }
    /* The OVMF files the data's bios = "ovmf" configs check for. */
    if (chdir(datadir) != 0)
        g_error("cannot enter %s", datadir);
    g_setenv("DOMSNAP_OVMF_CODE", "files/ovmf-code.fd", TRUE);
    g_setenv("DOMSNAP_OVMF_VARS", "files/ovmf-vars.fd", TRUE);
    g_test_add_func("/domain-config/full", test_full);
    g_test_add_func("/domain-config/refusals", test_refusals);
    g_test_add_func("/domain-config/xen-part", test_xen_part);
    g_test_add_func("/domain-config/ovmf-missing", test_ovmf_missing);
    g_test_add_func("/domain-config/random-mac", test_random_mac);
    add_data_cases();
    rc = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            rc = 1;
    }
    return rc;
}
