#include "ds_ovmf.h"

#include "domsnap.h"

static char *
firmware_file(const char *env, const char *path, const char *what, GError **error)
{
    const char *over = g_getenv(env);

    if (over && *over)
        path = over;
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
        return g_strdup(path);
    g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND,
                "the OVMF %s '%s' is missing (install the 'ovmf' package)", what, path);
    return NULL;
}

char *
ds_ovmf_code(GError **error)
{
    return firmware_file("DOMSNAP_OVMF_CODE", DS_OVMF_CODE, "firmware code", error);
}

char *
ds_ovmf_vars_template(GError **error)
{
    return firmware_file("DOMSNAP_OVMF_VARS", DS_OVMF_VARS, "variable store template", error);
}
