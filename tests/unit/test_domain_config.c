/* Domain configs: keys, defaults, paths, disks, and located refusals. */
#include <string.h>

#include "domsnap.h"
#include "formats/domain_config.h"

static char *tmpdir;

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
    expect("name='x'\ndisk=['/x.iso,,hdc,cdrom']\n", NULL, "cdrom devices are not supported by domsnap");
    expect("name='bad/name'\n", NULL, ":1:6: domain name 'bad/name' must not contain '/' or control characters");
    expect("name='.hidden'\n", NULL, ":1:6: domain name '.hidden' must not start with '.'");
    expect("memory=5\n", NULL, ": the domain has no 'name'");
    expect("name='x'\n", bad_override,
           "command line argument 1:1:1: unknown key 'vcpu' (did you mean 'vcpus'?)");
    expect("name='x'\naccel='hvf'\n", NULL, ":2:7: accel must be 'tcg' or 'kvm', not 'hvf'");
    expect("name='x'\nserial=['tcp:1.2.3.4:5']\n", NULL,
           ":2:9: serial port 'tcp:1.2.3.4:5' is not one of file:PATH, unix:PATH, pty, null");
}

int
main(int argc, char **argv)
{
    int rc;
    g_autoptr(GError) err = NULL;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("cfg-XXXXXX", &err);
    g_test_add_func("/domain-config/full", test_full);
    g_test_add_func("/domain-config/refusals", test_refusals);
    g_test_add_func("/domain-config/xen-part", test_xen_part);
    rc = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            rc = 1;
    }
    return rc;
}
