#include "domain_record.h"

#include <errno.h>
#include <string.h>

#include "domsnap.h"
#include "util/ds_file.h"
#include "util/ds_names.h"

static const DsField fields[] = { DS_RECORD_FIELDS(DS_DOMAIN_RECORD) { NULL } };
const DsRecordType ds_domain_record_type = { "domain", sizeof(DsDomainRecord), fields };

DsDomainRecord *
ds_domain_record_new(const char *driver, DsDomainConfig *config)
{
    DsDomainRecord *rec = g_new0(DsDomainRecord, 1);

    if (!config->c_info.uuid)
        config->c_info.uuid = g_uuid_string_random();
    rec->name = g_strdup(config->c_info.name);
    rec->driver = g_strdup(driver);
    ds_record_move(&ds_domain_config_type, &rec->config, config);
    g_free(config);
    return rec;
}

void
ds_domain_record_free(DsDomainRecord *rec)
{
    ds_record_free(&ds_domain_record_type, rec);
}

static char *
record_path(const DsStore *store, const char *name)
{
    g_autofree char *dir = ds_store_domain_dir(store, name);

    return g_build_filename(dir, "domain.json", NULL);
}

DsDomainRecord *
ds_domain_record_load(const DsStore *store, const char *name, GError **error)
{
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autoptr(DsDomainRecord) rec = g_new0(DsDomainRecord, 1);
    g_autoptr(GError) local = NULL;

    if (!ds_name_check("domain", name, error))
        return NULL;
    dir = ds_store_domain_dir(store, name);
    if (!ds_store_refuse_link(dir, error))
        return NULL;
    path = record_path(store, name);
    if (!ds_record_load(&ds_domain_record_type, path, rec, &local)) {
        if (g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND))
            g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND, "domain '%s' does not exist", name);
        else
            g_propagate_error(error, g_steal_pointer(&local));
        return NULL;
    }
    /* A record copied or edited into another domain's place is not that domain. */
    if (strcmp(rec->name, name) != 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_INVALID,
                    "%s: the record is of domain '%s', not '%s' (was it moved or edited?)",
                    path, rec->name, name);
        return NULL;
    }
    if (rec->generation < 1)
        rec->generation = 1; /* written before generations were counted */
    return g_steal_pointer(&rec);
}

gboolean
ds_domain_record_lock_load(const DsStore *store, const char *name, int timeout_ms,
                           gboolean may_be_absent, DsLock **lock, DsDomainRecord **rec,
                           GError **error)
{
    g_autoptr(DsLock) l = NULL;
    g_autoptr(GError) local = NULL;

    *rec = NULL;
    if (!ds_name_check("domain", name, error))
        return FALSE;
    l = ds_lock_domain(store, name, timeout_ms, error);
    if (!l)
        return FALSE;
    *rec = ds_domain_record_load(store, name, &local);
    if (!*rec && !(may_be_absent && g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND))) {
        g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
    }
    *lock = g_steal_pointer(&l);
    return TRUE;
}

static gboolean
require_lock(const DsStore *store, const char *name, const char *what, GError **error)
{
    if (ds_lock_domain_held(store, name))
        return TRUE;
    g_set_error(error, DS_ERROR, DS_ERROR_FAILED,
                "internal error: domain '%s': its record was %s without its lock; nothing "
                "was written", name, what);
    return FALSE;
}

/* The generation of the record on disk now: 0 if there is none. */
static gboolean
generation_on_disk(const DsStore *store, const char *name, gint64 *generation,
                   GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(DsDomainRecord) now = ds_domain_record_load(store, name, &local);

    if (now) {
        *generation = now->generation;
        return TRUE;
    }
    if (g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND)) {
        *generation = 0;
        return TRUE;
    }
    g_propagate_prefixed_error(error, g_steal_pointer(&local),
                               "domain '%s': its record cannot be read, so it is not "
                               "overwritten: ", name);
    return FALSE;
}

gboolean
ds_domain_record_save(const DsStore *store, DsDomainRecord *rec, GError **error)
{
    g_autofree char *dir = ds_store_domain_dir(store, rec->name);
    g_autofree char *path = record_path(store, rec->name);
    gint64 on_disk;

    if (!require_lock(store, rec->name, "written", error) ||
        !generation_on_disk(store, rec->name, &on_disk, error))
        return FALSE;
    if (on_disk != rec->generation) {
        g_set_error(error, DS_ERROR, DS_ERROR_CONFLICT,
                    on_disk == 0 ? "domain '%s': its record was removed while this operation "
                                   "ran; nothing was written"
                    : rec->generation == 0 ? "domain '%s' is recorded already; its record "
                                             "was not replaced"
                                           : "domain '%s': its record changed since this "
                                             "operation read it; nothing was written",
                    rec->name);
        return FALSE;
    }
    if (!ds_mkdir_private(dir, error))
        return FALSE;
    rec->generation++;
    if (ds_record_save(&ds_domain_record_type, rec, path, error))
        return TRUE;
    rec->generation--;
    return FALSE;
}

gboolean
ds_domain_record_delete(const DsStore *store, const char *name, GError **error)
{
    g_autofree char *dir = ds_store_domain_dir(store, name);

    if (!require_lock(store, name, "removed", error) || !ds_remove_tree(dir, error))
        return FALSE;
    return ds_fsync_parent(dir, error);
}

static gboolean
is_number(const char *s)
{
    if (!*s)
        return FALSE;
    for (; *s; s++)
        if (!g_ascii_isdigit(*s))
            return FALSE;
    return TRUE;
}

DsDomainRecord *
ds_domain_record_find(const DsStore *store, const char *domain, GError **error)
{
    g_autoptr(GError) local = NULL;
    DsDomainRecord *rec = NULL;
    g_autoptr(GPtrArray) names = NULL;

    if (!is_number(domain))
        return ds_domain_record_load(store, domain, error);
    rec = ds_domain_record_load(store, domain, &local);
    if (rec || !g_error_matches(local, DS_ERROR, DS_ERROR_NOT_FOUND)) {
        if (!rec)
            g_propagate_error(error, g_steal_pointer(&local));
        return rec;
    }
    names = ds_store_list_domains(store, error);
    if (!names)
        return NULL;
    for (guint i = 0; i < names->len; i++) {
        rec = ds_domain_record_load(store, names->pdata[i], NULL);
        if (rec && rec->id == g_ascii_strtoll(domain, NULL, 10) && rec->pid > 0)
            return rec;
        ds_domain_record_free(rec);
    }
    g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND, "no domain has the name or id '%s'", domain);
    return NULL;
}

gint64
ds_domain_record_free_id(const DsStore *store, GError **error)
{
    g_autoptr(GPtrArray) names = ds_store_list_domains(store, error);
    g_autoptr(GHashTable) used = g_hash_table_new(g_int64_hash, g_int64_equal);
    g_autoptr(GPtrArray) recs = g_ptr_array_new_with_free_func((GDestroyNotify)ds_domain_record_free);
    gint64 id = 1;

    if (!names)
        return -1;
    for (guint i = 0; i < names->len; i++) {
        DsDomainRecord *rec = ds_domain_record_load(store, names->pdata[i], NULL);
        if (!rec)
            continue;
        g_ptr_array_add(recs, rec);
        if (rec->pid > 0)
            g_hash_table_add(used, &rec->id);
    }
    while (g_hash_table_contains(used, &id))
        id++;
    return id;
}
