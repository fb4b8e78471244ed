/*
 * vifspec: xl's network interface specification (xl-network-configuration(5)),
 * one string per NIC of `vif = [ ... ]`:
 *
 *   mac=00:16:3e:12:34:56, bridge=br0, model=e1000
 *
 * What domsnap's qemu driver does with each NIC:
 *   type=ioemu  an emulated NIC on a tap: bridge=BR (domsnap makes a tap,
 *               named vifname= or vifDOMID.DEVID-emu, and puts it on BR),
 *               or vifname=TAP alone (an existing tap QEMU opens);
 *   type=user   QEMU's user-mode network (domsnap's extension), with
 *               hostfwd=PROTO:HOSTADDR:PORT-GUESTADDR:PORT (repeatable) and
 *               restrict=on|off (default on: the guest reaches nothing but
 *               the forwarded ports);
 *   type=vif    (Xen's PV-only NIC) is refused.
 * With no type, a vif with bridge= or vifname= is ioemu, any other is user.
 * The parser resolves the defaults (type, model, restrict, a hostfwd's
 * host address), so a recorded NIC says exactly what it is.
 */
#pragma once

#include <glib.h>

#include "formats/record.h"
#include "util/ds_enum.h"

typedef enum {
    DS_VIF_MODEL_UNSET,
    DS_VIF_MODEL_E1000,
    DS_VIF_MODEL_RTL8139,
    DS_VIF_MODEL_VIRTIO_NET,
} DsVifModel;

extern const DsEnumTable ds_vif_model_table;

typedef enum {
    DS_VIF_TYPE_UNSET,
    DS_VIF_TYPE_IOEMU,
    DS_VIF_TYPE_VIF,
    DS_VIF_TYPE_USER,
} DsVifType;

extern const DsEnumTable ds_vif_type_table;

typedef enum {
    DS_VIF_RESTRICT_UNSET,
    DS_VIF_RESTRICT_OFF,
    DS_VIF_RESTRICT_ON,
} DsVifRestrict;

extern const DsEnumTable ds_vif_restrict_table;

/* (The record types' lists: formats/record.h.) */
#define DS_VIF(F, S) \
    /* lowercase; NULL until domsnap create generates one */ \
    F(DsVif, mac, STRING) \
    F(DsVif, type, ENUM, .enums = &ds_vif_type_table) \
    F(DsVif, model, ENUM, .enums = &ds_vif_model_table) /* xl's default: rtl8139 */ \
    F(DsVif, bridge, STRING)  /* ioemu: the Linux bridge the tap joins */ \
    F(DsVif, vifname, STRING) /* ioemu: the tap's name */ \
    F(DsVif, hostfwd, STRV)   /* user: tcp:127.0.0.1:2222-:22, ... */ \
    /* user: "restrict" in records and specs (a C keyword) */ \
    F(DsVif, restrict_net, ENUM, .enums = &ds_vif_restrict_table, .key = "restrict")

typedef struct {
    DS_RECORD_STRUCT(DS_VIF)
} DsVif;

extern const DsRecordType ds_vif_type;

void ds_vif_free(DsVif *vif);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsVif, ds_vif_free)

/* Parses one spec; a refusal names the offending key and value (the
 * caller adds where the spec is and which vif it is). */
DsVif *ds_vif_parse(const char *spec, GError **error);

/* The canonical spec: keys in a fixed order, every resolved default said. */
char *ds_vif_format(const DsVif *vif);

/* A MAC as xl makes one: Xen's OUI 00:16:3e and three random bytes, the
 * first below 0x80. */
char *ds_vif_random_mac(void);
