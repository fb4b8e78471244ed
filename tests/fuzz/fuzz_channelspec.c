/* One xl channel spec: what is accepted formats to a spec that parses the same. */
#include "fuzz.h"

#include "formats/channelspec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *spec = g_strndup((const char *)data, size);
    g_autoptr(GError) err = NULL;
    g_autoptr(DsChannel) ch = ds_channel_parse(spec, &err);
    g_autoptr(DsChannel) again = NULL;
    g_autofree char *text = NULL, *text2 = NULL;

    if (!ch) {
        fuzz_assert(err && err->message, "a refusal without a message");
        return 0;
    }
    text = ds_channel_format(ch);
    again = ds_channel_parse(text, &err);
    fuzz_assert(again, "'%s' formats to '%s', which is refused: %s", spec, text, err->message);
    text2 = ds_channel_format(again);
    fuzz_assert(strcmp(text, text2) == 0, "'%s' then '%s'", text, text2);
    return 0;
}
