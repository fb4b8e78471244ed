/*
 * domain_config_actions.c: xl's on_poweroff, on_reboot and on_crash.
 *
 * Every value xl has is understood; the qemu driver takes those QEMU can
 * carry out by itself (there is no daemon watching the guest to restart
 * it), and refuses the others saying which it takes:
 *   on_poweroff  destroy, preserve: QEMU keeps the stopped guest
 *                (-no-shutdown) and the domain is shut off either way
 *   on_reboot    restart (QEMU resets the guest), destroy or preserve
 *                (the reboot powers it off: -action reboot=shutdown)
 *   on_crash     destroy (QEMU exits: -action panic=exit-failure) or
 *                preserve (QEMU keeps it: panic=pause); both add a pvpanic
 *                device, through which the guest reports its panic
 * Unset: destroy, restart, and no pvpanic device (as before these keys).
 */
#include "domain_config_priv.h"

#include "domsnap.h"

static const struct {
    const char *key;
    gsize offset;
    guint supported; /* a bit per DsAction */
    const char *list;
} actions[] = {
    { "on_poweroff", G_STRUCT_OFFSET(DsDomainConfig, on_poweroff),
      1u << DS_ACTION_DESTROY | 1u << DS_ACTION_PRESERVE, "destroy, preserve" },
    { "on_reboot", G_STRUCT_OFFSET(DsDomainConfig, on_reboot),
      1u << DS_ACTION_RESTART | 1u << DS_ACTION_DESTROY | 1u << DS_ACTION_PRESERVE,
      "restart, destroy, preserve" },
    { "on_crash", G_STRUCT_OFFSET(DsDomainConfig, on_crash),
      1u << DS_ACTION_DESTROY | 1u << DS_ACTION_PRESERVE, "destroy, preserve" },
};

gboolean
ds_domain_config_read_actions(const DsCfg *cfg, DsDomainConfig *config, GError **error)
{
    for (guint i = 0; i < G_N_ELEMENTS(actions); i++) {
        int *slot = G_STRUCT_MEMBER_P(config, actions[i].offset);
        const DsCfgValue *v = NULL;

        if (!ds_domain_config_get_enum(cfg, actions[i].key, &ds_action_table, slot, &v, error))
            return FALSE;
        if (v && !(actions[i].supported & (1u << *slot))) {
            ds_cfg_error(error, &v->loc, "%s '%s' is not supported by the qemu driver "
                         "(it supports %s)", actions[i].key, v->str, actions[i].list);
            return FALSE;
        }
    }
    return TRUE;
}
