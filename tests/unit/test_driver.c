/*
 * The driver interface: every built-in driver's table says what it does
 * (each capability it claims has its ops, each op it has a capability),
 * and the engine refuses, with nothing changed, what a driver cannot do
 * instead of calling an op it lacks.
 *
 * The engine cases run a snapshot delete on real qcow2 images (qemu-img)
 * in a real store, with a driver built for the test: one that, like the
 * xen driver, cannot block-stream in a running domain. It reports the
 * domain's state and nothing else; anything more it is asked fails the
 * test.
 */
#include <stdio.h>
#include <string.h>

#include "domsnap.h"
#include "drivers/driver.h"
#include "engine/snapshot_delete.h"
#include "formats/diskspec.h"
#include "image/image.h"
#include "store/snapshot_record.h"

/* ---- the tables ---- */

static void
test_builtin_tables(void)
{
    const DsDriverOps *const *drivers = ds_driver_list();
    guint n = 0;

    for (; drivers[n]; n++) {
        g_autoptr(GError) err = NULL;
        if (!ds_driver_check_table(drivers[n], &err))
            g_error("%s", err->message);
    }
    g_assert_cmpuint(n, >=, 1);
#ifdef DS_WITH_XEN
    g_assert_cmpuint(n, ==, 2);
    /* The slots that were NULL on Xen and called anyway. */
    g_assert_false(ds_driver_has_cap(&ds_xen_driver, DS_DRIVER_CAP_STREAM_ONLINE));
    g_assert_false(ds_driver_has_cap(&ds_xen_driver, DS_DRIVER_CAP_EXTERNAL_DISK));
    g_assert_true(ds_driver_has_cap(&ds_xen_driver, DS_DRIVER_CAP_COPY_DISK));
#endif
    g_assert_true(ds_driver_has_cap(&ds_qemu_driver, DS_DRIVER_CAP_STREAM_ONLINE));
    g_assert_false(ds_driver_has_cap(&ds_qemu_driver, DS_DRIVER_CAP_COPY_DISK));
}

static void
expect_inconsistent(const DsDriverOps *drv, const char *slot, const char *why)
{
    g_autoptr(GError) err = NULL;

    g_assert_false(ds_driver_check_table(drv, &err));
    g_assert_nonnull(err);
    if (!strstr(err->message, slot) || !strstr(err->message, why))
        g_error("want '%s' and '%s' in: %s", slot, why, err->message);
}

/* The checker itself finds each kind of mismatch. */
static void
test_check_table(void)
{
    DsDriverOps t = ds_qemu_driver;

    t.block.stream_online = NULL; /* claimed, missing */
    expect_inconsistent(&t, "block.stream_online", "claims the capability");
    t = ds_qemu_driver;
    t.caps &= ~DS_CAP(DS_DRIVER_CAP_STREAM_ONLINE); /* there, not claimed */
    expect_inconsistent(&t, "block.stream_online", "not the capability");
    t = ds_qemu_driver;
    t.domain.pause = NULL; /* every driver has it */
    expect_inconsistent(&t, "domain.pause", "every driver");
    t = ds_qemu_driver;
    t.domain.prepare_domain = NULL; /* optional */
    g_assert_true(ds_driver_check_table(&t, NULL));
}

static void
test_require_cap_message(void)
{
    DsDriverOps t = ds_qemu_driver;
    g_autoptr(GError) err = NULL;

    t.name = "test";
    t.caps &= ~DS_CAP(DS_DRIVER_CAP_CDROM);
    g_assert_true(ds_driver_require_cap(&t, DS_DRIVER_CAP_VNC, "web1", NULL, NULL, NULL));
    g_assert_false(ds_driver_require_cap(&t, DS_DRIVER_CAP_CDROM, "web1", "cd-insert",
                                         "eject it from the guest", &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_UNSUPPORTED);
    g_assert_cmpstr(err->message, ==, "domain 'web1' (test driver): cd-insert needs changing "
                    "cdrom media, which the test driver does not support; eject it from the "
                    "guest");
    g_clear_error(&err);
    g_assert_false(ds_driver_require_cap(&t, DS_DRIVER_CAP_CDROM, NULL, NULL, NULL, &err));
    g_assert_cmpstr(err->message, ==, "the test driver does not support changing cdrom media");
}

/* ---- the engine, with a driver that cannot block-stream ---- */

static DsDomainState test_state;

static gboolean
t_get_state(const DsDomainRecord *rec, DsDomainState *state, GError **error)
{
    *state = test_state;
    return TRUE;
}

static gboolean
t_has_instance(const DsDomainRecord *rec)
{
    return test_state != DS_DOMAIN_SHUTOFF;
}

static gboolean
t_unexpected(const DsDomainRecord *rec, GError **error)
{
    g_error("the engine asked the test driver for more than the domain's state");
    return FALSE;
}

static const DsDriverOps test_driver = {
    .name = "test",
    .caps = 0,
    .domain = {
        .get_state = t_get_state,
        .has_instance = t_has_instance,
        .pause = t_unexpected,
        .unpause = t_unexpected,
        .destroy = t_unexpected,
        .shutdown = t_unexpected,
    },
};

static char *dir;
static gboolean have_tools; /* qemu-img and qemu-io */

#define NEED_TOOLS()                                                      \
    do {                                                                  \
        if (!have_tools) {                                                \
            g_test_skip("qemu-img and qemu-io are not installed");       \
            return;                                                       \
        }                                                                 \
    } while (0)

static void
run(const char *cmd)
{
    g_autofree char *full = g_strdup_printf("cd '%s' && %s", dir, cmd);

    g_assert_cmpint(system(full), ==, 0);
}

typedef struct {
    DsStore *store;
    DsDomainRecord *dom;
    DsLock *lock;
    char *base, *o1, *o2, *o3;
} Chain;

static DsSnapshotRecord *
external_snapshot(const Chain *c, const char *name, const char *parent, const char *file,
                  const char *overlay)
{
    DsSnapshotRecord *r = g_new0(DsSnapshotRecord, 1);
    DsSnapshotDisk *d = g_new0(DsSnapshotDisk, 1);

    r->name = g_strdup(name);
    r->domain = g_strdup("dom");
    r->parent = g_strdup(parent);
    r->domain_state = g_strdup("running");
    r->pause_us = -1;
    r->dir = ds_snapshot_record_dir(c->store, "dom", name);
    r->memory.kind = DS_MEMORY_NO;
    d->vdev = g_strdup("xvda");
    d->kind = DS_DISK_SNAP_EXTERNAL;
    d->file = g_strdup(file);
    d->format = DS_DISK_FORMAT_QCOW2;
    d->overlay = g_strdup(overlay);
    r->disks = g_ptr_array_new();
    g_ptr_array_add(r->disks, d);
    r->config.c_info.name = g_strdup("dom");
    r->config.disks = g_ptr_array_new();
    return r;
}

static void
save_snapshot(const Chain *c, DsSnapshotRecord *r)
{
    g_autoptr(DsSnapshotRecord) owned = r;
    g_autoptr(GError) err = NULL;

    if (!ds_snapshot_record_save(c->store, r, &err))
        g_error("%s", err->message);
}

/*
 * A domain on xvda whose images are base <- s1/xvda.qcow2 (o1) <-
 * s2/xvda.qcow2 (o2) <- s3/xvda.qcow2 (o3): s1 froze base, s2 froze o1,
 * s3 (with @with_s3) froze o2. The domain runs on @disk.
 */
static Chain
make_chain(gboolean with_s3, const char *disk)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *state = g_build_filename(dir, "state", NULL);
    g_autofree char *cmd = NULL;
    DsDomainConfig *config = g_new0(DsDomainConfig, 1);
    DsDomainDisk *d = g_new0(DsDomainDisk, 1);
    Chain c = { 0 };

    run("rm -rf state base.qcow2 other.qcow2");
    c.store = ds_store_open(state, &err);
    g_assert_no_error(err);
    c.base = g_build_filename(dir, "base.qcow2", NULL);
    c.o1 = g_build_filename(c.store->lib_dir, "domains", "dom", "snapshots", "s1", "xvda.qcow2", NULL);
    c.o2 = g_build_filename(c.store->lib_dir, "domains", "dom", "snapshots", "s2", "xvda.qcow2", NULL);
    c.o3 = g_build_filename(c.store->lib_dir, "domains", "dom", "snapshots", "s3", "xvda.qcow2", NULL);
    run("qemu-img create -q -f qcow2 base.qcow2 4M && qemu-img create -q -f qcow2 other.qcow2 4M");
    run("qemu-io -c 'write -P 0x11 0 64k' base.qcow2 >/dev/null");
    save_snapshot(&c, external_snapshot(&c, "s1", NULL, c.base, c.o1));
    save_snapshot(&c, external_snapshot(&c, "s2", "s1", c.o1, c.o2));
    if (with_s3)
        save_snapshot(&c, external_snapshot(&c, "s3", "s2", c.o2, c.o3));
    g_assert_true(ds_image_create_overlay(c.o1, c.base, DS_DISK_FORMAT_QCOW2, NULL));
    cmd = g_strdup_printf("qemu-io -c 'write -P 0x22 64k 64k' '%s' >/dev/null", c.o1);
    run(cmd);
    g_assert_true(ds_image_create_overlay(c.o2, c.o1, DS_DISK_FORMAT_QCOW2, NULL));
    if (with_s3)
        g_assert_true(ds_image_create_overlay(c.o3, c.o2, DS_DISK_FORMAT_QCOW2, NULL));

    config->c_info.name = g_strdup("dom");
    config->disks = g_ptr_array_new();
    d->vdev = g_strdup("xvda");
    d->pdev_path = g_strdup(disk ? disk : (with_s3 ? c.o3 : c.o2));
    d->format = DS_DISK_FORMAT_QCOW2;
    d->readwrite = TRUE;
    g_ptr_array_add(config->disks, d);
    g_assert_true(ds_domain_record_lock_load(c.store, "dom", 5000, TRUE, &c.lock, &c.dom, &err));
    g_assert_null(c.dom);
    c.dom = ds_domain_record_new("test", config);
    c.dom->current_snapshot = g_strdup(with_s3 ? "s3" : "s2");
    if (!ds_domain_record_save(c.store, c.dom, &err))
        g_error("%s", err->message);
    return c;
}

static void
chain_free(Chain *c)
{
    ds_domain_record_free(c->dom);
    ds_lock_release(c->lock);
    ds_store_free(c->store);
    g_free(c->base);
    g_free(c->o1);
    g_free(c->o2);
    g_free(c->o3);
}

static char *
backing_of(const char *image)
{
    g_auto(DsImageInfo) info = { 0 };
    g_autoptr(GError) err = NULL;

    if (!ds_image_info(image, &info, &err))
        g_error("%s", err->message);
    return g_steal_pointer(&info.backing);
}

/* What the guest reads at @offset of @image is @pattern. */
static void
expect_data(const char *image, const char *offset, const char *pattern)
{
    g_autofree char *cmd = g_strdup_printf("qemu-io -r -c 'read -P %s %s 64k' '%s' "
                                           "| grep -q 'read 65536/65536'", pattern, offset,
                                           image);
    run(cmd);
}

/*
 * Deleting s2 of a running domain merges o1 into o2, which the domain has
 * open: the test driver cannot block-stream, so the delete is refused,
 * naming the domain, the driver and what is missing, and nothing changes.
 * (Before the capabilities, the engine called the driver's NULL
 * stream_online here.)
 */
static void
test_delete_refused_without_streaming(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *b = NULL;
    Chain c;

    NEED_TOOLS();
    c = make_chain(FALSE, NULL);

    test_state = DS_DOMAIN_RUNNING;
    g_assert_false(ds_snapshot_delete_run(c.store, c.dom, &test_driver, "s2", 0, NULL, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_UNSUPPORTED);
    if (!strstr(err->message, "domain 'dom' (test driver)") ||
        !strstr(err->message, "needs block streaming in a running domain, which the test "
                              "driver does not support; shut the domain off first") ||
        !strstr(err->message, c.o1))
        g_error("unclear refusal: %s", err->message);
    g_assert_true(ds_snapshot_record_exists(c.store, "dom", "s2"));
    g_assert_true(g_file_test(c.o1, G_FILE_TEST_IS_REGULAR));
    b = backing_of(c.o2);
    g_assert_cmpstr(b, ==, c.o1);
    chain_free(&c);
}

/* Shut off, the same delete merges through the image layer: o2 keeps
 * what it showed, built on base now; o1 and the record are gone. */
static void
test_delete_offline_merges(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *b = NULL;
    Chain c;

    NEED_TOOLS();
    c = make_chain(FALSE, NULL);

    test_state = DS_DOMAIN_SHUTOFF;
    if (!ds_snapshot_delete_run(c.store, c.dom, &test_driver, "s2", 0, NULL, &err))
        g_error("%s", err->message);
    g_assert_false(ds_snapshot_record_exists(c.store, "dom", "s2"));
    g_assert_false(g_file_test(c.o1, G_FILE_TEST_EXISTS));
    b = backing_of(c.o2);
    g_assert_cmpstr(b, ==, c.base);
    expect_data(c.o2, "0", "0x11");
    expect_data(c.o2, "64k", "0x22");
    chain_free(&c);
}

/* Running, but on another image: o2 (s3's frozen state) is not open in
 * the domain, so o1 is merged into it offline, streaming or not. */
static void
test_delete_running_merges_what_it_does_not_use(void)
{
    g_autofree char *other = g_build_filename(dir, "other.qcow2", NULL);
    g_autoptr(GError) err = NULL;
    g_autofree char *b = NULL;
    Chain c;

    NEED_TOOLS();
    c = make_chain(TRUE, other);

    test_state = DS_DOMAIN_RUNNING;
    if (!ds_snapshot_delete_run(c.store, c.dom, &test_driver, "s2", 0, NULL, &err))
        g_error("%s", err->message);
    g_assert_false(g_file_test(c.o1, G_FILE_TEST_EXISTS));
    b = backing_of(c.o2);
    g_assert_cmpstr(b, ==, c.base);
    expect_data(c.o3, "64k", "0x22");
    chain_free(&c);
}

static guint
internal_count(const char *image)
{
    g_auto(DsImageInfo) info = { 0 };

    g_assert_true(ds_image_info(image, &info, NULL));
    return info.internal_snapshots;
}

/*
 * An internal snapshot of the image the running domain has open: the test
 * driver cannot delete it in the domain, and the image tool must not
 * change the qcow2 behind the domain's back, so the delete is refused;
 * shut off, it is deleted from the file.
 */
static void
test_delete_internal_refused_while_open(void)
{
    g_autoptr(GError) err = NULL;
    Chain c;

    NEED_TOOLS();
    c = make_chain(FALSE, NULL);
    {
        DsSnapshotRecord *r = external_snapshot(&c, "i1", "s2", c.o2, NULL);
        ((DsSnapshotDisk *)r->disks->pdata[0])->kind = DS_DISK_SNAP_INTERNAL;
        save_snapshot(&c, r);
    }
    g_assert_true(ds_image_snapshot_create(c.o2, "i1", NULL));

    test_state = DS_DOMAIN_PAUSED;
    g_assert_false(ds_snapshot_delete_run(c.store, c.dom, &test_driver, "i1", 0, NULL, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_UNSUPPORTED);
    if (!strstr(err->message, "domain 'dom' (test driver): deleting the internal snapshot 'i1'") ||
        !strstr(err->message, "shut the domain off first"))
        g_error("unclear refusal: %s", err->message);
    g_assert_cmpuint(internal_count(c.o2), ==, 1);
    g_assert_true(ds_snapshot_record_exists(c.store, "dom", "i1"));

    test_state = DS_DOMAIN_SHUTOFF;
    g_clear_error(&err);
    if (!ds_snapshot_delete_run(c.store, c.dom, &test_driver, "i1", 0, NULL, &err))
        g_error("%s", err->message);
    g_assert_cmpuint(internal_count(c.o2), ==, 0);
    g_assert_false(ds_snapshot_record_exists(c.store, "dom", "i1"));
    chain_free(&c);
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    int rc;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/driver/builtin-tables", test_builtin_tables);
    g_test_add_func("/driver/check-table", test_check_table);
    g_test_add_func("/driver/require-cap-message", test_require_cap_message);
    have_tools = system("qemu-img --version >/dev/null 2>&1 && "
                        "qemu-io --version >/dev/null 2>&1") == 0;
    dir = g_dir_make_tmp("driver-XXXXXX", &err);
    g_assert_no_error(err);
    g_test_add_func("/driver/delete-refused-without-streaming",
                    test_delete_refused_without_streaming);
    g_test_add_func("/driver/delete-offline-merges", test_delete_offline_merges);
    g_test_add_func("/driver/delete-running-merges-what-it-does-not-use",
                    test_delete_running_merges_what_it_does_not_use);
    g_test_add_func("/driver/delete-internal-refused-while-open",
                    test_delete_internal_refused_while_open);
    rc = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
        g_assert_cmpint(system(cmd), ==, 0);
    }
    return rc;
}
