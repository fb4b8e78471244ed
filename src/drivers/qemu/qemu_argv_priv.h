/* What the files of the QEMU command line share. */
#pragma once

#include "drivers/qemu/qemu_argv.h"

/* QEMU option values double their commas. */
char *ds_qemu_opt_escape(const char *s);

/* Adds @opt and (if not NULL) its value. */
void ds_qemu_argv_add(GStrvBuilder *b, const char *opt, const char *value);
void ds_qemu_argv_addf(GStrvBuilder *b, const char *opt, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* The bootindex of the first device of a class (c, d or n) from boot=,
 * 0 if the class is not in it. */
guint ds_qemu_boot_index(const DsDomainConfig *config, char klass);

/* qemu_argv_devices.c: cdroms, NICs, channels, display and input. */
void ds_qemu_argv_cdroms(GStrvBuilder *b, const DsDomainConfig *config);
void ds_qemu_argv_nics(GStrvBuilder *b, const DsDomainRecord *rec);
void ds_qemu_argv_channels(GStrvBuilder *b, const DsDomainRecord *rec);
void ds_qemu_argv_display(GStrvBuilder *b, const DsDomainConfig *config);
