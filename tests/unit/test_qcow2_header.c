/* The qcow2 header reader against qemu-img's own answers. */
#include <stdio.h>
#include <string.h>

#include "domsnap.h"
#include "image/qcow2_header.h"

static char *dir;

static void
run(const char *cmd)
{
    g_autofree char *full = g_strdup_printf("cd '%s' && %s", dir, cmd);
    g_assert_cmpint(system(full), ==, 0);
}

static void
test_images(void)
{
    g_autofree char *base = g_build_filename(dir, "base.qcow2", NULL);
    g_autofree char *ov = g_build_filename(dir, "ov.qcow2", NULL);
    g_autofree char *rel = g_build_filename(dir, "sub", "rel.qcow2", NULL);
    g_autofree char *raw = g_build_filename(dir, "disk.raw", NULL);
    g_autofree char *over_raw = g_build_filename(dir, "over-raw.qcow2", NULL);
    DsQcow2Header h;

    run("qemu-img create -q -f qcow2 base.qcow2 16M");
    run("qemu-img create -q -f raw disk.raw 1M");
    run("qemu-img create -q -f qcow2 -b \"$PWD/base.qcow2\" -F qcow2 ov.qcow2");
    run("qemu-img snapshot -c s1 ov.qcow2 && qemu-img snapshot -c s2 ov.qcow2");
    run("mkdir -p sub && qemu-img create -q -f qcow2 -b ../base.qcow2 -F qcow2 sub/rel.qcow2");
    run("qemu-img create -q -f qcow2 -b \"$PWD/disk.raw\" -F raw over-raw.qcow2");

    g_assert_true(ds_qcow2_header_read(base, &h, NULL));
    g_assert_true(h.is_qcow2);
    g_assert_null(h.backing);
    g_assert_cmpuint(h.nb_snapshots, ==, 0);
    g_assert_cmpuint(h.size, ==, 16 << 20);
    ds_qcow2_header_clear(&h);

    g_assert_true(ds_qcow2_header_read(ov, &h, NULL));
    g_assert_cmpstr(h.backing, ==, base);
    g_assert_cmpstr(h.backing_format, ==, "qcow2");
    g_assert_cmpuint(h.nb_snapshots, ==, 2);
    g_assert_false(h.unusual);
    ds_qcow2_header_clear(&h);

    g_assert_true(ds_qcow2_header_read(rel, &h, NULL));
    {
        /* QEMU resolves a relative backing name against the image's directory. */
        g_autofree char *want = g_build_filename(dir, "sub", "..", "base.qcow2", NULL);
        g_assert_cmpstr(h.backing, ==, want);
    }
    ds_qcow2_header_clear(&h);

    g_assert_true(ds_qcow2_header_read(over_raw, &h, NULL));
    g_assert_cmpstr(h.backing_format, ==, "raw");
    ds_qcow2_header_clear(&h);

    g_assert_true(ds_qcow2_header_read(raw, &h, NULL));
    g_assert_false(h.is_qcow2);
    g_assert_null(h.backing);
    g_assert_cmpuint(h.size, ==, 1 << 20);
    ds_qcow2_header_clear(&h);
}

int
main(int argc, char **argv)
{
    int rc;
    g_autoptr(GError) err = NULL;

    g_test_init(&argc, &argv, NULL);
    if (system("qemu-img --version >/dev/null 2>&1") != 0) {
        printf("1..0 # SKIP qemu-img is not installed\n");
        return 0;
    }
    dir = g_dir_make_tmp("qcow2-XXXXXX", &err);
    g_test_add_func("/qcow2-header/images", test_images);
    rc = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
        if (system(cmd) != 0)
            rc = 1;
    }
    return rc;
}
