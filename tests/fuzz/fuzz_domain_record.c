/*
 * A domain record (LIB/domains/NAME/domain.json) as domsnap reads it from
 * its state directory, then what is shown of it: the JSON written back and
 * the config as xl.cfg text (dumpcfg).
 */
#include "fuzz.h"

#include "formats/record.h"
#include "store/domain_record.h"

static DsStore *store;

static void
run(const uint8_t *data, size_t size, char **dir_out)
{
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDomainRecord) rec = NULL;
    g_autofree char *name = fuzz_json_name(data, size, "name", "fz");

    if (!store && !(store = ds_store_open(fuzz_tmpdir(), NULL)))
        abort();
    dir = ds_store_domain_dir(store, name);
    *dir_out = g_strdup(dir);
    if (!ds_mkdir_private(dir, NULL))
        abort();
    path = g_build_filename(dir, "domain.json", NULL);
    fuzz_put(path, data, size);
    rec = ds_domain_record_load(store, name, &err);
    if (!rec) {
        fuzz_assert(err && strstr(err->message, "domain"),
                    "a refusal that names neither the file nor the domain: %s",
                    err ? err->message : "(none)");
        return;
    }
    {
        json_object *o = ds_record_to_json(&ds_domain_record_type, rec);
        g_autofree DsDomainRecord *copy = ds_record_copy(&ds_domain_record_type, rec);
        g_autofree char *cfg = ds_domain_config_format(&rec->config);

        fuzz_assert(cfg != NULL, "no config text");
        json_object_to_json_string(o);
        json_object_put(o);
        ds_record_clear(&ds_domain_record_type, copy);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_run_in_state_dir(run, data, size);
}
