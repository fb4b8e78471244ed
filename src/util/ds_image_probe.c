#include "ds_image_probe.h"

#include <stdio.h>
#include <string.h>

gboolean
ds_image_is_qcow2(const char *path)
{
    char magic[4] = { 0 };
    FILE *f = fopen(path, "rb");
    gboolean qcow2;

    if (!f)
        return FALSE;
    qcow2 = fread(magic, 1, 4, f) == 4 && memcmp(magic, "QFI\xfb", 4) == 0;
    fclose(f);
    return qcow2;
}
