/*
 * ds_ovmf: where Debian's OVMF (package 'ovmf') puts the UEFI firmware that
 * bios = "ovmf" boots: the code image, mapped read-only, and the variable
 * store template each domain's NVRAM is made from. $DOMSNAP_OVMF_CODE and
 * $DOMSNAP_OVMF_VARS name other files (tests use them to see the message
 * a missing firmware gives).
 */
#pragma once

#include <glib.h>

#define DS_OVMF_CODE "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define DS_OVMF_VARS "/usr/share/OVMF/OVMF_VARS_4M.fd"

/* The code image / variable template, or NULL with an error that says which
 * package installs it. */
char *ds_ovmf_code(GError **error);
char *ds_ovmf_vars_template(GError **error);
