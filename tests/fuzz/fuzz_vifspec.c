/* One xl vif spec: what is accepted formats to a spec that parses the same. */
#include "fuzz.h"

#include "formats/vifspec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *spec = g_strndup((const char *)data, size);
    g_autoptr(GError) err = NULL;
    g_autoptr(DsVif) vif = ds_vif_parse(spec, &err);
    g_autoptr(DsVif) again = NULL;
    g_autofree char *text = NULL, *text2 = NULL;

    if (!vif) {
        fuzz_assert(err && err->message, "a refusal without a message");
        return 0;
    }
    text = ds_vif_format(vif);
    again = ds_vif_parse(text, &err);
    fuzz_assert(again, "'%s' formats to '%s', which is refused: %s", spec, text, err->message);
    text2 = ds_vif_format(again);
    fuzz_assert(strcmp(text, text2) == 0, "'%s' then '%s'", text, text2);
    return 0;
}
