/* The record IDL: JSON round trip, located errors, atomic private files. */
#include <string.h>
#include <sys/stat.h>

#include "domsnap.h"
#include "formats/domain_config.h"
#include "formats/save_header.h"
#include "store/domain_record.h"
#include "store/journal.h"
#include "store/snapshot_record.h"

static DsDomainRecord *
sample(void)
{
    DsDomainRecord *r = g_new0(DsDomainRecord, 1);
    DsDomainDisk *d = g_new0(DsDomainDisk, 1);
    const char *serial[] = { "file:/tmp/c.log", "unix:/tmp/g.sock", NULL };

    r->name = g_strdup("web1");
    r->driver = g_strdup("qemu");
    r->id = 3;
    r->pid = 1234;
    r->config.c_info.name = g_strdup("web1");
    r->config.b_info.max_memkb = 262144;
    r->config.b_info.max_vcpus = 2;
    r->config.b_info.kernel = g_strdup("/boot/vmlinuz");
    r->config.qemu.serial = g_strdupv((char **)serial);
    r->config.disks = g_ptr_array_new();
    d->vdev = g_strdup("xvda");
    d->pdev_path = g_strdup("/img/a.qcow2");
    d->format = DS_DISK_FORMAT_QCOW2;
    d->readwrite = TRUE;
    g_ptr_array_add(r->config.disks, d);
    return r;
}

static void
test_round_trip(void)
{
    g_autoptr(DsDomainRecord) r = sample();
    json_object *j = ds_record_to_json(&ds_domain_record_type, r);
    g_autoptr(DsDomainRecord) back = g_new0(DsDomainRecord, 1);
    g_autoptr(GError) err = NULL;
    json_object *j2;
    const DsDomainDisk *d;

    g_assert_true(ds_record_from_json(&ds_domain_record_type, j, back, "t", &err));
    g_assert_no_error(err);
    g_assert_cmpstr(back->name, ==, "web1");
    g_assert_cmpint(back->config.b_info.max_memkb, ==, 262144);
    g_assert_cmpstr(back->config.qemu.serial[1], ==, "unix:/tmp/g.sock");
    d = back->config.disks->pdata[0];
    g_assert_cmpint(d->format, ==, DS_DISK_FORMAT_QCOW2);
    g_assert_cmpstr(d->pdev_path, ==, "/img/a.qcow2");
    j2 = ds_record_to_json(&ds_domain_record_type, back);
    g_assert_true(json_object_equal(j, j2));
    /* libxl-json names, as xl users know them. */
    g_assert_nonnull(strstr(json_object_to_json_string(j), "\"b_info\""));
    g_assert_nonnull(strstr(json_object_to_json_string(j), "\"max_memkb\""));
    json_object_put(j);
    json_object_put(j2);
}

static void
test_bad_json_is_located(void)
{
    g_autoptr(GError) err = NULL;
    const char *text = "{\n  \"name\": \"x\",\n  \"id\": 3,,\n}\n";

    g_assert_null(ds_json_parse(text, strlen(text), "domain.json", &err));
    g_assert_nonnull(err);
    g_assert_true(g_str_has_prefix(err->message, "domain.json:3:"));
}

static void
test_wrong_types(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDomainRecord) r = g_new0(DsDomainRecord, 1);
    json_object *j = json_tokener_parse(
        "{\"name\": \"x\", \"driver\": \"qemu\", \"config\": {\"c_info\": {\"name\": \"x\"}, "
        "\"b_info\": {\"max_vcpus\": 1, \"max_memkb\": \"lots\"}}}");

    g_assert_false(ds_record_from_json(&ds_domain_record_type, j, r, "d.json", &err));
    g_assert_cmpstr(err->message, ==, "d.json: field 'b_info.max_memkb' must be an integer");
    json_object_put(j);
    g_clear_error(&err);
    j = json_tokener_parse("{\"name\": \"x\"}");
    g_assert_false(ds_record_from_json(&ds_domain_record_type, j, r, "d.json", &err));
    g_assert_cmpstr(err->message, ==, "d.json: required field 'domain.driver' is missing");
    json_object_put(j);
}

static void
test_save_and_load_private(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("rec-XXXXXX", &err);
    g_autofree char *path = g_build_filename(dir, "domain.json", NULL);
    g_autofree char *link = g_build_filename(dir, "link.json", NULL);
    g_autoptr(DsDomainRecord) r = sample();
    g_autoptr(DsDomainRecord) back = g_new0(DsDomainRecord, 1);
    DsDomainRecord other = { 0 };
    struct stat st;

    g_assert_true(ds_record_save(&ds_domain_record_type, r, path, &err));
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_assert_true(ds_record_load(&ds_domain_record_type, path, back, &err));
    g_assert_cmpstr(back->config.b_info.kernel, ==, "/boot/vmlinuz");
    /* No symlink is followed in the state directory. */
    g_assert_cmpint(symlink(path, link), ==, 0);
    g_assert_false(ds_record_load(&ds_domain_record_type, link, &other, &err));
    g_assert_nonnull(strstr(err->message, "symbolic link"));
    unlink(link);
    unlink(path);
    rmdir(dir);
}

static void
test_save_header(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("hdr-XXXXXX", &path, &err);
    g_autoptr(DsDomainRecord) r = sample();
    DsSaveHeader h = { .driver = "qemu", .saved_at = 7, .domain_state = "running",
                       .config = r->config };
    g_autoptr(DsSaveHeader) back = NULL;
    guint64 bytes = 0;

    g_assert_true(ds_save_header_write(fd, &h, path, &err));
    g_assert_cmpint(lseek(fd, 0, SEEK_CUR) % 4096, ==, 0);
    g_assert_cmpint(write(fd, "STREAM", 6), ==, 6);
    back = ds_save_header_read(fd, path, &bytes, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(bytes, ==, 6);
    g_assert_cmpstr(back->config.c_info.name, ==, "web1");
    g_assert_cmpstr(back->domain_state, ==, "running");
    g_assert_cmpint(pwrite(fd, "X", 1, 0), ==, 1);
    g_assert_null(ds_save_header_read(fd, path, &bytes, &err));
    g_assert_nonnull(strstr(err->message, "not a domsnap memory image"));
    close(fd);
    unlink(path);
}

/* Every field set, by walking the type's own table. */
static void
fill(const DsRecordType *type, void *rec)
{
    for (const DsField *f = type->fields; f->name; f++) {
        char *p = (char *)rec + f->offset;
        const char *strv[] = { "a", "b", NULL };
        switch (f->type) {
        case DS_FIELD_STRING: *(char **)p = g_strdup_printf("v-%s", f->name); break;
        case DS_FIELD_INT: *(gint64 *)p = 7; break;
        case DS_FIELD_BOOL: *(gboolean *)p = TRUE; break;
        case DS_FIELD_ENUM: *(int *)p = 1; break;
        case DS_FIELD_STRV: *(GStrv *)p = g_strdupv((char **)strv); break;
        case DS_FIELD_STRUCT: fill(f->sub, p); break;
        case DS_FIELD_ARRAY: {
            void *item = g_malloc0(f->sub->size);
            fill(f->sub, item);
            *(GPtrArray **)p = g_ptr_array_new();
            g_ptr_array_add(*(GPtrArray **)p, item);
            break;
        }
        case DS_FIELD_JSON: *(json_object **)p = json_tokener_parse("{\"k\":1}"); break;
        }
    }
}

/* Every key of the table is in @obj, nested ones too. */
static void
assert_all_keys(const DsRecordType *type, json_object *obj)
{
    for (const DsField *f = type->fields; f->name; f++) {
        const char *key = f->key ? f->key : f->name;
        json_object *v = NULL;
        if (!json_object_object_get_ex(obj, key, &v))
            g_error("%s: key '%s' is not written", type->name, key);
        if (f->type == DS_FIELD_STRUCT)
            assert_all_keys(f->sub, v);
        if (f->type == DS_FIELD_ARRAY)
            assert_all_keys(f->sub, json_object_array_get_idx(v, 0));
    }
}

/* Each record type, from its one description: every member written, read
 * back the same, copied deeply and moved whole. */
static void
test_every_field(void)
{
    const DsRecordType *types[] = {
        &ds_domain_record_type, &ds_snapshot_record_type, &ds_journal_type,
        &ds_save_header_type, &ds_domain_config_type, &ds_vif_type, &ds_channel_type,
    };

    for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
        const DsRecordType *t = types[i];
        void *rec = g_malloc0(t->size), *back = g_malloc0(t->size), *moved = g_malloc0(t->size);
        void *copy, *rec_zero;
        json_object *j, *j2, *j3;
        g_autoptr(GError) err = NULL;

        fill(t, rec);
        j = ds_record_to_json(t, rec);
        assert_all_keys(t, j);
        g_assert_true(ds_record_from_json(t, j, back, t->name, &err));
        g_assert_no_error(err);
        j2 = ds_record_to_json(t, back);
        g_assert_true(json_object_equal(j, j2));
        copy = ds_record_copy(t, back);
        ds_record_free(t, back);               /* the copy shares nothing */
        ds_record_move(t, moved, copy);
        j3 = ds_record_to_json(t, moved);
        g_assert_true(json_object_equal(j, j3));
        json_object_put(j2);
        j2 = ds_record_to_json(t, copy);      /* moved out whole: as a new one */
        json_object_put(j3);
        j3 = ds_record_to_json(t, rec_zero = g_malloc0(t->size));
        g_assert_true(json_object_equal(j2, j3));
        g_free(rec_zero);
        json_object_put(j);
        json_object_put(j2);
        json_object_put(j3);
        ds_record_free(t, rec);
        ds_record_free(t, copy);
        ds_record_free(t, moved);
    }
}

/* A vif's restrict_net is "restrict" in records, as in xl's vif spec. */
static void
test_field_key(void)
{
    DsVif v = { .restrict_net = DS_VIF_RESTRICT_ON };
    json_object *j = ds_record_to_json(&ds_vif_type, &v);

    g_assert_cmpstr(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN), ==,
                    "{\"restrict\":\"on\"}");
    json_object_put(j);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/record/round-trip", test_round_trip);
    g_test_add_func("/record/bad-json-is-located", test_bad_json_is_located);
    g_test_add_func("/record/wrong-types", test_wrong_types);
    g_test_add_func("/record/private-and-no-symlinks", test_save_and_load_private);
    g_test_add_func("/record/save-header", test_save_header);
    g_test_add_func("/record/every-field", test_every_field);
    g_test_add_func("/record/field-key", test_field_key);
    return g_test_run();
}
