/*
 * domain_config_display.c: the guest's screen and input: vnc*, vga=,
 * nographic=, usbdevice=.
 *
 * Without vnc = 1 a domain has no display at all (no graphics device), as
 * every domsnap domain had before these keys; with it the graphics device
 * defaults to stdvga. VNC listens on 127.0.0.1 unless vnclisten says
 * otherwise: a guest's screen reaches beyond this host only when asked to.
 */
#include "domain_config_priv.h"

#include <string.h>

#include "domsnap.h"

#define VNC_DEFAULT_LISTEN "127.0.0.1"
/* Port 5900 + display must be a TCP port. */
#define VNC_MAX_DISPLAY (65535 - 5900)

static const char *const vnc_keys[] = { "vnclisten", "vncdisplay", "vncunused", "vncpasswd", NULL };

/* Refuses a VNC setting given without vnc = 1 (it would do nothing). */
static gboolean
refuse_without_vnc(const DsCfg *cfg, GError **error)
{
    for (guint i = 0; vnc_keys[i]; i++) {
        const DsCfgSetting *s = ds_cfg_lookup(cfg, vnc_keys[i]);
        if (s) {
            ds_cfg_error(error, &s->loc, "'%s' needs vnc = 1", s->key);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
parse_display(const DsCfgValue *v, const char *text, gint64 *display, GError **error)
{
    char *end = NULL;
    guint64 n;

    if (!g_ascii_isdigit(*text))
        goto bad;
    n = g_ascii_strtoull(text, &end, 10);
    if (*end || n > VNC_MAX_DISPLAY)
        goto bad;
    *display = (gint64)n;
    return TRUE;
bad:
    ds_cfg_error(error, &v->loc, "vnclisten '%s': the display '%s' is not a number from 0 to %d",
                 v->str, text, VNC_MAX_DISPLAY);
    return FALSE;
}

/* vnclisten = "ADDRESS[:DISPLAYNUM]"; an IPv6 address is written [::1]. */
static gboolean
parse_listen(const DsCfgValue *v, char **addr, gint64 *display, gboolean *has_display,
             GError **error)
{
    const char *s = v->str, *colon;
    const char *addr_end;

    if (*s == '[') {
        addr_end = strchr(s, ']');
        if (!addr_end)
            goto bad;
        addr_end++;
        colon = *addr_end == ':' ? addr_end : NULL;
        if (*addr_end && !colon)
            goto bad;
    } else {
        colon = strchr(s, ':');
        if (colon && strchr(colon + 1, ':')) {
            ds_cfg_error(error, &v->loc, "vnclisten '%s': write an IPv6 address in brackets "
                         "([::1]:0)", s);
            return FALSE;
        }
        addr_end = colon ? colon : s + strlen(s);
    }
    if (addr_end == s || strpbrk(s, ", \t") || (addr_end - s == 2 && *s == '['))
        goto bad;
    *addr = g_strndup(s, addr_end - s);
    *has_display = colon != NULL;
    return !colon || parse_display(v, colon + 1, display, error);
bad:
    ds_cfg_error(error, &v->loc, "vnclisten '%s' is not ADDRESS[:DISPLAYNUM]", s);
    return FALSE;
}

static gboolean
read_vnc(const DsCfg *cfg, DsDomainVnc *vnc, GError **error)
{
    const DsCfgValue *listen = NULL, *passwd = NULL;
    gboolean has_display = FALSE, unused = TRUE;
    gint64 display = 0;

    if (!ds_cfg_get_bool(cfg, "vnc", &vnc->enable, error))
        return FALSE;
    if (!vnc->enable)
        return refuse_without_vnc(cfg, error);
    if (!ds_cfg_get_string(cfg, "vnclisten", &listen, error) ||
        !ds_cfg_get_string(cfg, "vncpasswd", &passwd, error))
        return FALSE;
    if (listen && !parse_listen(listen, &vnc->listen, &vnc->display, &has_display, error))
        return FALSE;
    if (ds_cfg_lookup(cfg, "vncdisplay")) {
        if (!ds_cfg_get_number(cfg, "vncdisplay", 0, VNC_MAX_DISPLAY, &display, error))
            return FALSE;
        if (has_display && display != vnc->display) {
            ds_cfg_error(error, &ds_cfg_lookup(cfg, "vncdisplay")->value->loc,
                         "vncdisplay %" G_GINT64_FORMAT " contradicts vnclisten '%s'",
                         display, listen->str);
            return FALSE;
        }
        vnc->display = display;
    }
    if (ds_cfg_lookup(cfg, "vncunused")) {
        if (!ds_cfg_get_bool(cfg, "vncunused", &unused, error))
            return FALSE;
        vnc->findunused = unused ? DS_DEFBOOL_TRUE : DS_DEFBOOL_FALSE;
    }
    if (!vnc->listen)
        vnc->listen = g_strdup(VNC_DEFAULT_LISTEN);
    vnc->passwd = passwd ? g_strdup(passwd->str) : NULL;
    return TRUE;
}

static gboolean
read_vga(const DsCfg *cfg, DsDomainBuildInfo *b, GError **error)
{
    const DsCfgValue *vga = NULL;
    const DsCfgSetting *nographic = ds_cfg_lookup(cfg, "nographic");

    if (!ds_domain_config_get_enum(cfg, "vga", &ds_vga_table, &b->vga, &vga, error) ||
        !ds_cfg_get_bool(cfg, "nographic", &b->nographic, error))
        return FALSE;
    if (b->nographic && b->vnc.enable) {
        ds_cfg_error(error, &nographic->value->loc,
                     "nographic = 1 (no graphics device) contradicts vnc = 1");
        return FALSE;
    }
    if (b->nographic && vga && b->vga != DS_VGA_NONE) {
        ds_cfg_error(error, &vga->loc, "vga '%s' contradicts nographic = 1", vga->str);
        return FALSE;
    }
    if (b->vga == DS_VGA_UNSET)
        b->vga = b->vnc.enable ? DS_VGA_STDVGA : DS_VGA_NONE;
    return TRUE;
}

static const char *const usb_devices[] = { "tablet", "mouse", "keyboard", NULL };

static gboolean
read_usb(const DsCfg *cfg, DsDomainBuildInfo *b, GError **error)
{
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(GStrvBuilder) out = g_strv_builder_new();

    if (!ds_cfg_get_string_list(cfg, "usbdevice", &items, error))
        return FALSE;
    if (!items)
        return TRUE;
    for (guint i = 0; i < items->len; i++) {
        const DsCfgValue *v = items->pdata[i];
        if (g_str_has_prefix(v->str, "host:")) {
            ds_cfg_error(error, &v->loc, "usbdevice '%s': passing a host USB device through "
                         "is not supported by the qemu driver", v->str);
            return FALSE;
        }
        if (!g_strv_contains(usb_devices, v->str)) {
            ds_cfg_error(error, &v->loc, "usbdevice '%s' is not one of tablet, mouse, keyboard",
                         v->str);
            return FALSE;
        }
        g_strv_builder_add(out, v->str);
    }
    b->usbdevice = g_strv_builder_end(out);
    return TRUE;
}

gboolean
ds_domain_config_read_display(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    return read_vnc(cfg, &config->b_info.vnc, error) &&
           read_vga(cfg, &config->b_info, error) &&
           read_usb(cfg, &config->b_info, error);
}
