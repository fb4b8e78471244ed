/*
 * vifspec.c: parse and format of xl vif specs, and the NIC record.
 */
#include "vifspec.h"

#include <stdlib.h>
#include <string.h>

#include "domsnap.h"
#include "formats/kvspec.h"
#include "util/ds_suggest.h"

DS_ENUM_TABLE(ds_vif_model_table, "vif model", NULL, "e1000", "rtl8139", "virtio-net");
DS_ENUM_TABLE(ds_vif_type_table, "vif type", NULL, "ioemu", "vif", "user");
DS_ENUM_TABLE(ds_vif_restrict_table, "vif restrict", NULL, "off", "on");

static const DsField vif_fields[] = { DS_RECORD_FIELDS(DS_VIF) { NULL } };
const DsRecordType ds_vif_type = { "vif", sizeof(DsVif), vif_fields };

/* The keys xl knows, and those domsnap adds, for "did you mean". */
static const char *const known_keys[] = {
    "mac", "type", "model", "bridge", "vifname", "hostfwd", "restrict", "script",
    "ip", "rate", "backend", "gatewaydev", "netdev", "mtu", "devid", "accel",
    "forwarddev", "trusted", "untrusted", NULL,
};

/* xl keys whose work (hotplug scripts, netback) the qemu driver has no part of. */
static const char *const xen_only_keys[] = {
    "ip", "rate", "backend", "gatewaydev", "netdev", "mtu", "devid", "accel",
    "forwarddev", "trusted", "untrusted", NULL,
};

void
ds_vif_free(DsVif *vif)
{
    ds_record_free(&ds_vif_type, vif);
}

#define fail ds_kv_fail

static gboolean
set_enum(int *slot, const DsEnumTable *table, const char *key, const char *value,
         GError **error)
{
    int v = ds_enum_from_string(table, value);
    g_autofree char *list = NULL;

    if (v > 0) {
        *slot = v;
        return TRUE;
    }
    list = ds_enum_list(table);
    return fail(error, "%s '%s' is not one of %s", key, value, list);
}

/* Six pairs of hex digits separated by colons, not a multicast address. */
static gboolean
set_mac(DsVif *vif, const char *value, GError **error)
{
    guint8 b[6];

    if (strlen(value) != 17)
        goto bad;
    for (int i = 0; i < 6; i++) {
        const char *p = value + i * 3;
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]) || (i < 5 && p[2] != ':'))
            goto bad;
        b[i] = (guint8)(g_ascii_xdigit_value(p[0]) * 16 + g_ascii_xdigit_value(p[1]));
    }
    if (b[0] & 1)
        return fail(error, "mac '%s' is a multicast address (the first byte must be even)",
                    value);
    g_free(vif->mac);
    vif->mac = g_ascii_strdown(value, -1);
    return TRUE;
bad:
    return fail(error, "mac '%s' is not six pairs of hex digits separated by ':'", value);
}

/* A network interface name as Linux takes it: 1 to 15 bytes, no '/', no blanks. */
static gboolean
set_ifname(char **slot, const char *key, const char *value, GError **error)
{
    if (!*value || strlen(value) > 15 || strpbrk(value, "/ \t:") ||
        !strcmp(value, ".") || !strcmp(value, ".."))
        return fail(error, "%s '%s' is not a network interface name (1 to 15 characters, "
                    "no '/', ':' or blanks)", key, value);
    g_free(*slot);
    *slot = g_strdup(value);
    return TRUE;
}

static gboolean
parse_port(const char *s, guint *port)
{
    char *end = NULL;
    guint64 v;

    if (!g_ascii_isdigit(*s))
        return FALSE;
    v = g_ascii_strtoull(s, &end, 10);
    if (*end || v == 0 || v > 65535)
        return FALSE;
    *port = (guint)v;
    return TRUE;
}

/*
 * QEMU's PROTO:HOSTADDR:HOSTPORT-GUESTADDR:GUESTPORT. The protocol defaults
 * to tcp and an empty host address to 127.0.0.1 (QEMU's would be every
 * address): a forward reaches beyond this host only when asked to.
 */
static char *
normalize_hostfwd(const char *value, GError **error)
{
    g_auto(GStrv) halves = g_strsplit(value, "-", 2);
    g_auto(GStrv) host = NULL, guest = NULL;
    guint hport, gport;
    const char *proto;

    if (g_strv_length(halves) != 2)
        goto bad;
    host = g_strsplit(halves[0], ":", -1);
    guest = g_strsplit(halves[1], ":", -1);
    if (g_strv_length(host) != 3 || g_strv_length(guest) != 2)
        goto bad;
    proto = *host[0] ? host[0] : "tcp";
    if (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0)
        goto bad;
    if (!parse_port(host[2], &hport) || !parse_port(guest[1], &gport))
        goto bad;
    return g_strdup_printf("%s:%s:%u-%s:%u", proto, *host[1] ? host[1] : "127.0.0.1", hport,
                           guest[0], gport);
bad:
    fail(error, "hostfwd '%s' is not [tcp|udp]:[HOSTADDR]:PORT-[GUESTADDR]:PORT", value);
    return NULL;
}

static gboolean
add_hostfwd(GPtrArray *fwds, const char *value, GError **error)
{
    char *fwd = normalize_hostfwd(value, error);

    if (!fwd)
        return FALSE;
    g_ptr_array_add(fwds, fwd);
    return TRUE;
}

static gboolean
unknown_key(const char *key, GError **error)
{
    const char *hint = ds_suggest(key, known_keys);

    if (hint)
        return fail(error, "unknown key '%s' (did you mean '%s'?)", key, hint);
    return fail(error, "unknown key '%s'", key);
}

static gboolean
apply_key(DsVif *vif, GPtrArray *fwds, const DsKv *kv, GError **error)
{
    const char *k = kv->key, *v = kv->value;

    if (g_strv_contains(xen_only_keys, k))
        return fail(error, "'%s' is a Xen network setting the qemu driver does not support", k);
    if (!v)
        return g_strv_contains(known_keys, k) ? fail(error, "'%s' needs a value (%s=...)", k, k)
                                              : fail(error, "'%s' is not KEY=VALUE", k);
    if (!strcmp(k, "mac"))
        return set_mac(vif, v, error);
    if (!strcmp(k, "type"))
        return set_enum(&vif->type, &ds_vif_type_table, k, v, error);
    if (!strcmp(k, "model"))
        return set_enum(&vif->model, &ds_vif_model_table, k, v, error);
    if (!strcmp(k, "bridge"))
        return set_ifname(&vif->bridge, k, v, error);
    if (!strcmp(k, "vifname"))
        return set_ifname(&vif->vifname, k, v, error);
    if (!strcmp(k, "hostfwd"))
        return add_hostfwd(fwds, v, error);
    if (!strcmp(k, "restrict"))
        return set_enum(&vif->restrict_net, &ds_vif_restrict_table, k, v, error);
    if (!strcmp(k, "script"))
        return fail(error, "script= (a hotplug script) is not supported: domsnap puts the tap "
                    "on bridge= itself, or uses the existing tap vifname=");
    return unknown_key(k, error);
}

/* The checks on the whole NIC, and its defaults. */
static gboolean
resolve(DsVif *vif, GError **error)
{
    gboolean tap = vif->bridge || vif->vifname;

    if (vif->type == DS_VIF_TYPE_VIF)
        return fail(error, "type 'vif' (Xen's paravirtual NIC) is not available with the qemu "
                    "driver; use type=ioemu with bridge= or vifname=, or type=user");
    if (vif->type == DS_VIF_TYPE_UNSET)
        vif->type = tap ? DS_VIF_TYPE_IOEMU : DS_VIF_TYPE_USER;
    if (vif->type == DS_VIF_TYPE_USER && tap)
        return fail(error, "type=user takes no %s= (that is a tap: type=ioemu)",
                    vif->bridge ? "bridge" : "vifname");
    if (vif->type == DS_VIF_TYPE_IOEMU && !tap)
        return fail(error, "type=ioemu needs bridge= (a tap domsnap puts on that bridge) or "
                    "vifname= (an existing tap)");
    if (vif->type != DS_VIF_TYPE_USER && (vif->hostfwd || vif->restrict_net))
        return fail(error, "%s= is for type=user only", vif->hostfwd ? "hostfwd" : "restrict");
    if (vif->type == DS_VIF_TYPE_USER && !vif->restrict_net)
        vif->restrict_net = DS_VIF_RESTRICT_ON;
    if (!vif->model)
        vif->model = DS_VIF_MODEL_RTL8139;
    return TRUE;
}

DsVif *
ds_vif_parse(const char *spec, GError **error)
{
    g_autoptr(DsVif) vif = g_new0(DsVif, 1);
    g_autoptr(GPtrArray) kvs = ds_kv_split(spec);
    g_autoptr(GPtrArray) fwds = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < kvs->len; i++)
        if (!apply_key(vif, fwds, kvs->pdata[i], error))
            return NULL;
    if (fwds->len) {
        g_ptr_array_add(fwds, NULL);
        vif->hostfwd = (GStrv)g_ptr_array_steal(fwds, NULL);
    }
    if (!resolve(vif, error))
        return NULL;
    return g_steal_pointer(&vif);
}

static void
add_pair(GString *out, const char *key, const char *value)
{
    if (!value)
        return;
    if (out->len)
        g_string_append_c(out, ',');
    g_string_append_printf(out, "%s=%s", key, value);
}

char *
ds_vif_format(const DsVif *vif)
{
    GString *out = g_string_new(NULL);

    add_pair(out, "mac", vif->mac);
    add_pair(out, "type", ds_enum_to_string(&ds_vif_type_table, vif->type));
    add_pair(out, "model", ds_enum_to_string(&ds_vif_model_table, vif->model));
    add_pair(out, "bridge", vif->bridge);
    add_pair(out, "vifname", vif->vifname);
    for (guint i = 0; vif->hostfwd && vif->hostfwd[i]; i++)
        add_pair(out, "hostfwd", vif->hostfwd[i]);
    add_pair(out, "restrict", ds_enum_to_string(&ds_vif_restrict_table, vif->restrict_net));
    return g_string_free(out, FALSE);
}

char *
ds_vif_random_mac(void)
{
    return g_strdup_printf("00:16:3e:%02x:%02x:%02x", g_random_int_range(0, 0x80),
                           g_random_int_range(0, 0x100), g_random_int_range(0, 0x100));
}
