/*
 * A whole domain config: the file's text (as if it were in
 * tests/data/domain_config, so that its relative paths find the files
 * there), then command-line lines after NUL bytes. What is accepted must
 * format to a config that parses to the same thing, and survive the
 * record's JSON.
 */
#include "fuzz.h"

#include "formats/domain_config.h"
#include "formats/record.h"

static DsDomainConfig *
load(const char *const *parts, GError **error)
{
    g_autoptr(DsCfg) cfg = ds_cfg_new();

    if (!ds_cfg_parse_text(cfg, FUZZ_DATA_DIR "/domain_config/fuzz.cfg", parts[0], error))
        return NULL;
    for (guint i = 1; parts[i]; i++)
        if (!ds_cfg_parse_override(cfg, parts[i], i, error))
            return NULL;
    return ds_domain_config_from_cfg(cfg, error);
}

static char *
to_json(const DsDomainConfig *c)
{
    json_object *o = ds_record_to_json(&ds_domain_config_type, c);
    char *s = g_strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));

    json_object_put(o);
    return s;
}

static void
check_round_trips(const DsDomainConfig *c)
{
    g_autofree char *text = ds_domain_config_format(c);
    const char *parts[] = { text, NULL };
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDomainConfig) again = load(parts, &err);
    g_autofree char *json = to_json(c);
    g_autofree char *text2 = NULL;
    json_object *obj;
    g_autoptr(DsDomainConfig) from_json = g_new0(DsDomainConfig, 1);

    fuzz_assert(again, "the formatted config is refused: %s\n%s", err->message, text);
    text2 = ds_domain_config_format(again);
    fuzz_assert(strcmp(text, text2) == 0, "format(parse(format)) differs:\n%s\n---\n%s",
                text, text2);
    obj = ds_json_parse(json, strlen(json), "json", &err);
    fuzz_assert(obj, "its JSON does not parse: %s", err->message);
    fuzz_assert(ds_record_from_json(&ds_domain_config_type, obj, from_json, "json", &err),
                "its JSON is refused: %s\n%s", err->message, json);
    json_object_put(obj);
    {
        g_autofree char *json2 = to_json(from_json);
        fuzz_assert(strcmp(json, json2) == 0, "JSON round trip differs:\n%s\n%s", json, json2);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_auto(GStrv) parts = fuzz_split(data, size, 3);
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDomainConfig) c = load((const char *const *)parts, &err);

    if (!c) {
        fuzz_assert(err && err->message, "a refusal without a message");
        return 0;
    }
    check_round_trips(c);
    return 0;
}
