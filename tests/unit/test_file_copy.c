/*
 * ds_file_copy_image: a copy holds the same bytes, keeps holes as holes,
 * is created with the mode asked, and never overwrites or follows a link.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domsnap.h"
#include "util/ds_file_copy.h"

static char *dir;

static char *
path(const char *name)
{
    return g_build_filename(dir, name, NULL);
}

/* 8 MiB with data at 0 and at 6 MiB, holes elsewhere. */
static void
make_sparse(const char *p)
{
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pwrite(fd, "marker-A", 8, 0), ==, 8);
    g_assert_cmpint(pwrite(fd, "marker-B", 8, 6 << 20), ==, 8);
    g_assert_cmpint(ftruncate(fd, 8 << 20), ==, 0);
    close(fd);
}

static void
test_copy(void)
{
    g_autofree char *src = path("src.raw"), *dst = path("copy.raw");
    g_autofree char *a = NULL, *b = NULL;
    gsize la, lb;
    struct stat ss, ds;
    g_autoptr(GError) err = NULL;

    make_sparse(src);
    g_assert_true(ds_file_copy_image(src, dst, 0600, &err));
    g_assert_no_error(err);
    g_assert_true(g_file_get_contents(src, &a, &la, NULL));
    g_assert_true(g_file_get_contents(dst, &b, &lb, NULL));
    g_assert_cmpuint(la, ==, lb);
    g_assert_true(memcmp(a, b, la) == 0);
    g_assert_cmpint(stat(src, &ss), ==, 0);
    g_assert_cmpint(stat(dst, &ds), ==, 0);
    g_assert_cmpint(ds.st_mode & 0777, ==, 0600);
    /* the holes stayed holes: no more blocks than the source */
    g_assert_cmpint(ds.st_blocks, <=, ss.st_blocks);
    g_assert_cmpint(ds.st_blocks * 512, <, 8 << 20);
}

static void
test_no_overwrite(void)
{
    g_autofree char *src = path("src2.raw"), *dst = path("taken.raw");
    g_autofree char *kept = NULL;
    g_autoptr(GError) err = NULL;

    make_sparse(src);
    g_assert_true(g_file_set_contents(dst, "mine", 4, NULL));
    g_assert_false(ds_file_copy_image(src, dst, 0600, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_EXISTS);
    g_assert_nonnull(strstr(err->message, dst));
    g_assert_true(g_file_get_contents(dst, &kept, NULL, NULL));
    g_assert_cmpstr(kept, ==, "mine");
}

static void
test_no_symlink_or_dir(void)
{
    g_autofree char *src = path("src3.raw"), *link = path("link.raw");
    g_autofree char *d1 = path("from-link.raw"), *d2 = path("from-dir.raw");
    g_autoptr(GError) e1 = NULL, e2 = NULL;

    make_sparse(src);
    g_assert_cmpint(symlink(src, link), ==, 0);
    g_assert_false(ds_file_copy_image(link, d1, 0600, &e1));
    g_assert_error(e1, DS_ERROR, DS_ERROR_IO);
    g_assert_false(g_file_test(d1, G_FILE_TEST_EXISTS));
    g_assert_false(ds_file_copy_image(dir, d2, 0600, &e2));
    g_assert_nonnull(e2);
    g_assert_false(g_file_test(d2, G_FILE_TEST_EXISTS));
}

int
main(int argc, char **argv)
{
    int rc;

    g_test_init(&argc, &argv, NULL);
    dir = g_dir_make_tmp("ds-copy-XXXXXX", NULL);
    g_test_add_func("/file-copy/copy", test_copy);
    g_test_add_func("/file-copy/no-overwrite", test_no_overwrite);
    g_test_add_func("/file-copy/no-symlink-or-dir", test_no_symlink_or_dir);
    rc = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
        (void)!system(cmd);
    }
    return rc;
}
