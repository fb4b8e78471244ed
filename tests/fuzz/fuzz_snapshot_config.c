/*
 * A snapshot config (the Xen design's, and the libxl document's keys): the
 * file's text, then command-line lines after NUL bytes, applied to a
 * request; its paths expanded for a domain as snapshot-create does.
 */
#include "fuzz.h"

#include "formats/snapshot_config.h"
#include "formats/xlcfg.h"

static void
expand(const char *path)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *p = NULL;

    if (path)
        p = ds_snapshot_path_expand(path, "web1", "5f0c9a8e-0b7a-4c1e-9d3e-1f2a3b4c5d6e", &err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_auto(GStrv) parts = fuzz_split(data, size, 3);
    g_autoptr(DsCfg) cfg = ds_cfg_new();
    g_autoptr(DsSnapshotRequest) req = ds_snapshot_request_new();
    g_autoptr(GError) err = NULL;

    if (!ds_cfg_parse_text(cfg, "/srv/snap/fuzz.cfg", parts[0], &err))
        return 0;
    for (guint i = 1; parts[i]; i++)
        if (!ds_cfg_parse_override(cfg, parts[i], i, &err))
            return 0;
    if (!ds_snapshot_config_apply(cfg, req, &err)) {
        fuzz_assert(err && err->message, "a refusal without a message");
        return 0;
    }
    expand(req->memory_path);
    for (guint i = 0; i < req->disks->len; i++) {
        const DsDiskRequest *d = req->disks->pdata[i];
        fuzz_assert(ds_snapshot_request_disk(req, d->vdev) != NULL, "disk '%s' lost", d->vdev);
        expand(d->overlay);
    }
    return 0;
}
