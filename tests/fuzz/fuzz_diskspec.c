/* One xl disk spec (xl-disk-configuration(5)). */
#include "fuzz.h"

#include "formats/diskspec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *spec = g_strndup((const char *)data, size);
    g_autoptr(GError) err = NULL;
    g_autoptr(DsDiskSpec) disk = ds_disk_spec_parse(spec, &err);
    json_object *j;

    if (!disk) {
        fuzz_assert(err && err->message, "a refusal without a message");
        return 0;
    }
    j = ds_disk_spec_to_xl_json(disk);
    json_object_to_json_string(j);
    json_object_put(j);
    return 0;
}
