/*
 * xlcfg: the xl.cfg syntax (xl.cfg(5), "SYNTAX"), used by domain configs and
 * snapshot configs.
 *
 *   KEY = VALUE      separated by newlines or ';'
 *   KEY += VALUE     appends to a list (or a string)
 *   VALUE := "string" | 'string' | NUMBER | [ VALUE, VALUE, ... ]
 *   # comment to the end of the line
 *
 * Every setting and value keeps its file:line:column so that the code that
 * interprets the keys can point at the offending text. A key given twice is
 * not an error: the last one wins, as in xl, which is what makes KEY=VALUE
 * lines from the command line (appended after the file) override it.
 */
#pragma once

#include <glib.h>

typedef enum {
    DS_CFG_STRING,
    DS_CFG_NUMBER,
    DS_CFG_LIST,
} DsCfgValueType;

typedef struct {
    const char *file; /* owned by the DsCfg */
    int line;
    int col;
} DsCfgLoc;

typedef struct _DsCfgValue DsCfgValue;
struct _DsCfgValue {
    DsCfgValueType type;
    DsCfgLoc loc;
    char *str;         /* DS_CFG_STRING; for NUMBER the text as written */
    gint64 num;        /* DS_CFG_NUMBER */
    GPtrArray *items;  /* DS_CFG_LIST: DsCfgValue */
};

typedef struct {
    char *key;
    DsCfgLoc loc;
    DsCfgValue *value;
} DsCfgSetting;

typedef struct {
    GPtrArray *settings; /* DsCfgSetting, in order */
    GPtrArray *files;    /* the names DsCfgLoc points into */
} DsCfg;

DsCfg *ds_cfg_new(void);
void ds_cfg_free(DsCfg *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DsCfg, ds_cfg_free)

/* Parses @text (named @filename in messages) and appends its settings. */
gboolean ds_cfg_parse_text(DsCfg *cfg, const char *filename, const char *text,
                           GError **error);
gboolean ds_cfg_parse_file(DsCfg *cfg, const char *path, GError **error);

/*
 * Appends one KEY=VALUE line from the command line (argument number @argno
 * in messages). A value that is not quoted, a number or a list is taken as
 * a string, so that `name=web2` works as a user expects.
 */
gboolean ds_cfg_parse_override(DsCfg *cfg, const char *line, int argno,
                               GError **error);

/* The setting that counts for @key (the last one), or NULL. */
const DsCfgSetting *ds_cfg_lookup(const DsCfg *cfg, const char *key);

/* Refuses any key not in @known (NULL-terminated), suggesting the nearest. */
gboolean ds_cfg_check_keys(const DsCfg *cfg, const char *const *known,
                           GError **error);

/* Typed access; an absent key leaves *out untouched and returns TRUE. */
gboolean ds_cfg_get_string(const DsCfg *cfg, const char *key,
                           const DsCfgValue **out, GError **error);
gboolean ds_cfg_get_number(const DsCfg *cfg, const char *key, gint64 min,
                           gint64 max, gint64 *out, GError **error);
/* xl's BOOLEAN: a number, 0 false and anything else true. */
gboolean ds_cfg_get_bool(const DsCfg *cfg, const char *key, gboolean *out,
                         GError **error);
/* A list of strings; a lone string is taken as a list of one. */
gboolean ds_cfg_get_string_list(const DsCfg *cfg, const char *key,
                                GPtrArray **out, GError **error);

/* Sets @error to "FILE:LINE:COL: MESSAGE" in the DS_ERROR_CONFIG code. */
void ds_cfg_error(GError **error, const DsCfgLoc *loc, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

const char *ds_cfg_value_type_name(DsCfgValueType type);

/* An absolute path for @path as written at @loc: relative to the directory
 * of the file it is in, or to the current directory on the command line. */
char *ds_cfg_resolve_path(const DsCfgLoc *loc, const char *path);
