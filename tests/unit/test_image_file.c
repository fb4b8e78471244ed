/*
 * The image layer's file backend on real images, against qemu-img's own
 * answers: info, overlays (0600, never over an existing file), internal
 * snapshots, convert, rebase, remove.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "domsnap.h"
#include "formats/diskspec.h"
#include "image/image.h"

static char *dir;

static void
run(const char *cmd)
{
    g_autofree char *full = g_strdup_printf("cd '%s' && %s", dir, cmd);

    g_assert_cmpint(system(full), ==, 0);
}

static char *
path(const char *name)
{
    return g_build_filename(dir, name, NULL);
}

static void
info_of(const char *image, DsImageInfo *info)
{
    g_autoptr(GError) err = NULL;

    if (!ds_image_info(image, info, &err))
        g_error("%s", err->message);
}

static void
test_backend_for_path(void)
{
    g_assert_true(ds_image_backend_for("/var/lib/a.qcow2") == &ds_image_file_backend);
    g_assert_cmpstr(ds_image_backend_for("disk.raw")->name, ==, "file");
}

static void
test_info(void)
{
    g_autofree char *raw = path("info.raw");
    g_autofree char *base = path("info-base.qcow2");
    g_autofree char *ov = path("info-ov.qcow2");
    g_auto(DsImageInfo) r = { 0 };
    g_auto(DsImageInfo) b = { 0 };
    g_auto(DsImageInfo) o = { 0 };
    g_autoptr(GError) err = NULL;
    DsImageInfo missing;

    run("qemu-img create -q -f raw info.raw 3M && qemu-img create -q -f qcow2 info-base.qcow2 8M");
    run("qemu-img create -q -f qcow2 -b \"$PWD/info.raw\" -F raw info-ov.qcow2");
    info_of(raw, &r);
    g_assert_cmpint(r.format, ==, DS_DISK_FORMAT_RAW);
    g_assert_null(r.backing);
    g_assert_cmpuint(r.virtual_size, ==, 3 << 20);
    info_of(base, &b);
    g_assert_cmpint(b.format, ==, DS_DISK_FORMAT_QCOW2);
    g_assert_cmpuint(b.virtual_size, ==, 8 << 20);
    info_of(ov, &o);
    g_assert_cmpstr(o.backing, ==, raw);
    g_assert_cmpint(o.backing_format, ==, DS_DISK_FORMAT_RAW);
    g_assert_cmpuint(o.virtual_size, ==, 3 << 20);
    g_assert_false(ds_image_info("/nonexistent/x.qcow2", &missing, &err));
    g_assert_nonnull(err);
}

/* A backing file name with a ':' is left to qemu-img (QEMU may read it as
 * a protocol): the answer is the same. */
static void
test_info_through_qemu_img(void)
{
    g_autofree char *ov = path("colon-ov.qcow2");
    g_autofree char *want = path("a:b.qcow2");
    g_auto(DsImageInfo) o = { 0 };

    run("qemu-img create -q -f qcow2 './a:b.qcow2' 2M");
    run("qemu-img create -q -f qcow2 -b \"$PWD/a:b.qcow2\" -F qcow2 colon-ov.qcow2");
    run("qemu-img snapshot -c t colon-ov.qcow2");
    info_of(ov, &o);
    g_assert_cmpint(o.format, ==, DS_DISK_FORMAT_QCOW2);
    g_assert_cmpstr(o.backing, ==, want);
    g_assert_cmpint(o.backing_format, ==, DS_DISK_FORMAT_QCOW2);
    g_assert_cmpuint(o.internal_snapshots, ==, 1);
    g_assert_cmpuint(o.virtual_size, ==, 2 << 20);
}

static void
test_overlay_snapshots_rebase(void)
{
    g_autofree char *base = path("base.qcow2");
    g_autofree char *ov = path("ov.qcow2");
    g_autofree char *copy = path("copy.qcow2");
    g_autoptr(GError) err = NULL;
    struct stat st;

    run("qemu-img create -q -f qcow2 base.qcow2 4M");
    run("qemu-io -c 'write -P 0x33 0 64k' base.qcow2 >/dev/null");
    g_assert_true(ds_image_create_overlay(ov, base, DS_DISK_FORMAT_QCOW2, &err));
    g_assert_no_error(err);
    g_assert_cmpint(stat(ov, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    {
        g_auto(DsImageInfo) i = { 0 };
        info_of(ov, &i);
        g_assert_cmpstr(i.backing, ==, base);
        g_assert_cmpint(i.backing_format, ==, DS_DISK_FORMAT_QCOW2);
    }
    /* Never over an existing image. */
    g_assert_false(ds_image_create_overlay(ov, base, DS_DISK_FORMAT_QCOW2, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_EXISTS);
    g_clear_error(&err);

    g_assert_true(ds_image_snapshot_create(ov, "s1", &err));
    run("qemu-io -c 'write -P 0x44 0 64k' ov.qcow2 >/dev/null");
    {
        g_auto(DsImageInfo) i = { 0 };
        info_of(ov, &i);
        g_assert_cmpuint(i.internal_snapshots, ==, 1);
    }
    /* The snapshot's state, copied out standalone and 0600. */
    g_assert_true(ds_image_convert(ov, -1, "s1", copy, &err));
    g_assert_cmpint(stat(copy, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    run("qemu-io -r -c 'read -P 0x33 0 64k' copy.qcow2 | grep -q 'read 65536/65536'");
    {
        g_auto(DsImageInfo) i = { 0 };
        info_of(copy, &i);
        g_assert_null(i.backing);
    }
    g_assert_true(ds_image_snapshot_apply(ov, "s1", &err));
    run("qemu-io -r -c 'read -P 0x33 0 64k' ov.qcow2 | grep -q 'read 65536/65536'");
    g_assert_true(ds_image_snapshot_delete(ov, "s1", &err));
    g_assert_no_error(err);

    /* Standalone: the data of base comes into ov. */
    g_assert_true(ds_image_rebase(ov, NULL, DS_DISK_FORMAT_RAW, &err));
    g_assert_no_error(err);
    g_assert_true(ds_image_remove(base, &err));
    g_assert_false(g_file_test(base, G_FILE_TEST_EXISTS));
    g_assert_true(ds_image_remove(base, &err)); /* gone already */
    run("qemu-io -r -c 'read -P 0x33 0 64k' ov.qcow2 | grep -q 'read 65536/65536'");
    {
        g_auto(DsImageInfo) i = { 0 };
        info_of(ov, &i);
        g_assert_null(i.backing);
        g_assert_cmpuint(i.internal_snapshots, ==, 0);
    }
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    int rc;

    g_test_init(&argc, &argv, NULL);
    if (system("qemu-img --version >/dev/null 2>&1 && qemu-io --version >/dev/null 2>&1") != 0) {
        printf("1..0 # SKIP qemu-img and qemu-io are not installed\n");
        return 0;
    }
    dir = g_dir_make_tmp("image-XXXXXX", &err);
    g_assert_no_error(err);
    g_test_add_func("/image-file/backend-for-path", test_backend_for_path);
    g_test_add_func("/image-file/info", test_info);
    g_test_add_func("/image-file/info-through-qemu-img", test_info_through_qemu_img);
    g_test_add_func("/image-file/overlay-snapshots-rebase", test_overlay_snapshots_rebase);
    rc = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
        g_assert_cmpint(system(cmd), ==, 0);
    }
    return rc;
}
