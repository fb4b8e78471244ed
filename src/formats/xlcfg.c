/*
 * xlcfg.c: lexer and recursive-descent parser for the xl.cfg syntax.
 */
#include "xlcfg.h"

#include <errno.h>
#include <string.h>

#include "domsnap.h"
#include "util/ds_suggest.h"

typedef enum {
    TOK_EOF,
    TOK_NEWLINE, /* '\n' or ';': ends a setting */
    TOK_IDENT,
    TOK_STRING,
    TOK_NUMBER,
    TOK_EQUALS,
    TOK_PLUS_EQUALS,
    TOK_LBRACKET,
    TOK_RBRACKET,
    TOK_COMMA,
} TokType;

typedef struct {
    TokType type;
    DsCfgLoc loc;
    char *text; /* IDENT, STRING (unquoted), NUMBER */
} Token;

typedef struct {
    const char *file;
    const char *p;
    int line;
    int col;
    Token tok; /* the current token */
} Lexer;

void
ds_cfg_error(GError **error, const DsCfgLoc *loc, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, DS_ERROR, DS_ERROR_CONFIG, "%s:%d:%d: %s",
                loc->file, loc->line, loc->col, msg);
}

const char *
ds_cfg_value_type_name(DsCfgValueType type)
{
    switch (type) {
    case DS_CFG_STRING: return "a string";
    case DS_CFG_NUMBER: return "a number";
    case DS_CFG_LIST: return "a list";
    }
    return "?";
}

static void
value_free(gpointer p)
{
    DsCfgValue *v = p;

    if (!v)
        return;
    g_free(v->str);
    if (v->items)
        g_ptr_array_unref(v->items);
    g_free(v);
}

static void
setting_free(gpointer p)
{
    DsCfgSetting *s = p;

    g_free(s->key);
    value_free(s->value);
    g_free(s);
}

DsCfg *
ds_cfg_new(void)
{
    DsCfg *cfg = g_new0(DsCfg, 1);

    cfg->settings = g_ptr_array_new_with_free_func(setting_free);
    cfg->files = g_ptr_array_new_with_free_func(g_free);
    return cfg;
}

void
ds_cfg_free(DsCfg *cfg)
{
    if (!cfg)
        return;
    g_ptr_array_unref(cfg->settings);
    g_ptr_array_unref(cfg->files);
    g_free(cfg);
}

/* ---- lexer ---- */

static void
advance(Lexer *lx)
{
    if (*lx->p == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->p++;
}

static gboolean
is_ident_start(char c)
{
    return g_ascii_isalpha(c) || c == '_';
}

static gboolean
is_ident_char(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '.';
}

/* Decodes one backslash escape of a double-quoted string. */
static gboolean
lex_escape(Lexer *lx, GString *out, GError **error)
{
    DsCfgLoc loc = { lx->file, lx->line, lx->col };
    char c;

    advance(lx); /* the backslash */
    c = *lx->p;
    switch (c) {
    case 'n': g_string_append_c(out, '\n'); break;
    case 't': g_string_append_c(out, '\t'); break;
    case 'r': g_string_append_c(out, '\r'); break;
    case '\\': case '"': case '\'': g_string_append_c(out, c); break;
    default:
        ds_cfg_error(error, &loc, "unknown escape sequence '\\%c' in string", c ? c : ' ');
        return FALSE;
    }
    advance(lx);
    return TRUE;
}

static gboolean
lex_string(Lexer *lx, GError **error)
{
    char quote = *lx->p;
    g_autoptr(GString) s = g_string_new(NULL);

    advance(lx);
    while (*lx->p != quote) {
        if (*lx->p == '\0' || *lx->p == '\n') {
            ds_cfg_error(error, &lx->tok.loc,
                         "unterminated string (the closing %c is missing)", quote);
            return FALSE;
        }
        if (quote == '"' && *lx->p == '\\') {
            if (!lex_escape(lx, s, error))
                return FALSE;
            continue;
        }
        g_string_append_c(s, *lx->p);
        advance(lx);
    }
    advance(lx);
    lx->tok.type = TOK_STRING;
    lx->tok.text = g_string_free(g_steal_pointer(&s), FALSE);
    return TRUE;
}

static gboolean
lex_number(Lexer *lx, GError **error)
{
    const char *start = lx->p;

    while (g_ascii_isalnum(*lx->p))
        advance(lx);
    lx->tok.type = TOK_NUMBER;
    lx->tok.text = g_strndup(start, lx->p - start);
    {
        char *end = NULL;
        errno = 0;
        (void)g_ascii_strtoll(lx->tok.text, &end, 0);
        if (errno || *end) {
            ds_cfg_error(error, &lx->tok.loc, "'%s' is not a number", lx->tok.text);
            return FALSE;
        }
    }
    return TRUE;
}

static void
skip_blanks_and_comments(Lexer *lx)
{
    for (;;) {
        while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r')
            advance(lx);
        if (*lx->p != '#')
            return;
        while (*lx->p && *lx->p != '\n')
            advance(lx);
    }
}

/* Reads the next token into lx->tok. */
static gboolean
lex_next(Lexer *lx, GError **error)
{
    char c;

    g_clear_pointer(&lx->tok.text, g_free);
    skip_blanks_and_comments(lx);
    lx->tok.loc = (DsCfgLoc){ lx->file, lx->line, lx->col };
    c = *lx->p;
    if (c == '\0') {
        lx->tok.type = TOK_EOF;
        return TRUE;
    }
    if (c == '\n' || c == ';') {
        advance(lx);
        lx->tok.type = TOK_NEWLINE;
        return TRUE;
    }
    if (c == '"' || c == '\'')
        return lex_string(lx, error);
    if (g_ascii_isdigit(c))
        return lex_number(lx, error);
    if (is_ident_start(c)) {
        const char *start = lx->p;
        while (is_ident_char(*lx->p))
            advance(lx);
        lx->tok.type = TOK_IDENT;
        lx->tok.text = g_strndup(start, lx->p - start);
        return TRUE;
    }
    if (c == '+' && lx->p[1] == '=') {
        advance(lx);
        advance(lx);
        lx->tok.type = TOK_PLUS_EQUALS;
        return TRUE;
    }
    advance(lx);
    switch (c) {
    case '=': lx->tok.type = TOK_EQUALS; return TRUE;
    case '[': lx->tok.type = TOK_LBRACKET; return TRUE;
    case ']': lx->tok.type = TOK_RBRACKET; return TRUE;
    case ',': lx->tok.type = TOK_COMMA; return TRUE;
    default:
        ds_cfg_error(error, &lx->tok.loc, "unexpected character '%c'", c);
        return FALSE;
    }
}

/* ---- parser ---- */

static const char *
tok_describe(const Token *t)
{
    switch (t->type) {
    case TOK_EOF: return "end of file";
    case TOK_NEWLINE: return "end of line";
    case TOK_IDENT: return "a name";
    case TOK_STRING: return "a string";
    case TOK_NUMBER: return "a number";
    case TOK_EQUALS: return "'='";
    case TOK_PLUS_EQUALS: return "'+='";
    case TOK_LBRACKET: return "'['";
    case TOK_RBRACKET: return "']'";
    case TOK_COMMA: return "','";
    }
    return "?";
}

static gboolean
skip_newlines(Lexer *lx, GError **error)
{
    while (lx->tok.type == TOK_NEWLINE)
        if (!lex_next(lx, error))
            return FALSE;
    return TRUE;
}

static DsCfgValue *parse_value(Lexer *lx, GError **error);

/* '[' already current. Newlines are allowed anywhere inside a list. */
static DsCfgValue *
parse_list(Lexer *lx, GError **error)
{
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(value_free);
    DsCfgLoc open = lx->tok.loc;
    DsCfgValue *v;

    if (!lex_next(lx, error) || !skip_newlines(lx, error))
        return NULL;
    while (lx->tok.type != TOK_RBRACKET) {
        DsCfgValue *item;

        if (lx->tok.type == TOK_EOF) {
            ds_cfg_error(error, &open, "list is not closed (']' is missing)");
            return NULL;
        }
        item = parse_value(lx, error);
        if (!item)
            return NULL;
        g_ptr_array_add(items, item);
        if (!skip_newlines(lx, error))
            return NULL;
        if (lx->tok.type == TOK_COMMA) {
            if (!lex_next(lx, error) || !skip_newlines(lx, error))
                return NULL;
        } else if (lx->tok.type != TOK_RBRACKET) {
            ds_cfg_error(error, &lx->tok.loc, "expected ',' or ']' in list, found %s",
                         tok_describe(&lx->tok));
            return NULL;
        }
    }
    if (!lex_next(lx, error))
        return NULL;
    v = g_new0(DsCfgValue, 1);
    v->type = DS_CFG_LIST;
    v->loc = open;
    v->items = g_steal_pointer(&items);
    return v;
}

static DsCfgValue *
parse_value(Lexer *lx, GError **error)
{
    DsCfgValue *v;

    if (lx->tok.type == TOK_LBRACKET)
        return parse_list(lx, error);
    if (lx->tok.type != TOK_STRING && lx->tok.type != TOK_NUMBER) {
        if (lx->tok.type == TOK_IDENT)
            ds_cfg_error(error, &lx->tok.loc,
                         "expected a value, found the bare word '%s' (strings need quotes)",
                         lx->tok.text);
        else
            ds_cfg_error(error, &lx->tok.loc, "expected a value, found %s",
                         tok_describe(&lx->tok));
        return NULL;
    }
    v = g_new0(DsCfgValue, 1);
    v->type = lx->tok.type == TOK_STRING ? DS_CFG_STRING : DS_CFG_NUMBER;
    v->loc = lx->tok.loc;
    v->str = g_steal_pointer(&lx->tok.text);
    if (v->type == DS_CFG_NUMBER)
        v->num = g_ascii_strtoll(v->str, NULL, 0);
    if (!lex_next(lx, error)) {
        value_free(v);
        return NULL;
    }
    return v;
}

/* KEY += VALUE: appends to the earlier value of KEY, if any. */
static gboolean
append_to_previous(DsCfg *cfg, DsCfgSetting *s, GError **error)
{
    const DsCfgSetting *prev = ds_cfg_lookup(cfg, s->key);
    DsCfgValue *merged;

    if (!prev)
        return TRUE;
    if (prev->value->type != s->value->type || s->value->type == DS_CFG_NUMBER) {
        ds_cfg_error(error, &s->loc, "cannot append %s to '%s', which is %s",
                     ds_cfg_value_type_name(s->value->type), s->key,
                     ds_cfg_value_type_name(prev->value->type));
        return FALSE;
    }
    merged = g_new0(DsCfgValue, 1);
    merged->type = s->value->type;
    merged->loc = prev->value->loc;
    if (merged->type == DS_CFG_STRING) {
        merged->str = g_strconcat(prev->value->str, s->value->str, NULL);
    } else {
        merged->items = g_ptr_array_new_with_free_func(value_free);
        /* Steal the items of the new value; share nothing with the old one. */
        for (guint i = 0; i < prev->value->items->len; i++) {
            const DsCfgValue *old = g_ptr_array_index(prev->value->items, i);
            DsCfgValue *copy = g_new0(DsCfgValue, 1);
            *copy = *old;
            copy->str = g_strdup(old->str);
            copy->items = old->items ? g_ptr_array_ref(old->items) : NULL;
            g_ptr_array_add(merged->items, copy);
        }
        while (s->value->items->len)
            g_ptr_array_add(merged->items,
                            g_ptr_array_steal_index(s->value->items, 0));
    }
    value_free(s->value);
    s->value = merged;
    return TRUE;
}

static gboolean
parse_setting(DsCfg *cfg, Lexer *lx, GError **error)
{
    DsCfgSetting *s;
    gboolean append;

    if (lx->tok.type != TOK_IDENT) {
        ds_cfg_error(error, &lx->tok.loc, "expected a key, found %s",
                     tok_describe(&lx->tok));
        return FALSE;
    }
    s = g_new0(DsCfgSetting, 1);
    s->key = g_steal_pointer(&lx->tok.text);
    s->loc = lx->tok.loc;
    if (!lex_next(lx, error))
        goto fail;
    if (lx->tok.type != TOK_EQUALS && lx->tok.type != TOK_PLUS_EQUALS) {
        ds_cfg_error(error, &lx->tok.loc, "expected '=' after '%s', found %s",
                     s->key, tok_describe(&lx->tok));
        goto fail;
    }
    append = lx->tok.type == TOK_PLUS_EQUALS;
    if (!lex_next(lx, error))
        goto fail;
    s->value = parse_value(lx, error);
    if (!s->value)
        goto fail;
    if (lx->tok.type != TOK_NEWLINE && lx->tok.type != TOK_EOF) {
        ds_cfg_error(error, &lx->tok.loc,
                     "expected the end of the line after the value of '%s', found %s",
                     s->key, tok_describe(&lx->tok));
        goto fail;
    }
    if (append && !append_to_previous(cfg, s, error))
        goto fail;
    g_ptr_array_add(cfg->settings, s);
    return TRUE;

fail:
    setting_free(s);
    return FALSE;
}

static const char *
intern_file(DsCfg *cfg, const char *filename)
{
    char *copy = g_strdup(filename);

    g_ptr_array_add(cfg->files, copy);
    return copy;
}

gboolean
ds_cfg_parse_text(DsCfg *cfg, const char *filename, const char *text,
                  GError **error)
{
    Lexer lx = { .file = intern_file(cfg, filename), .p = text, .line = 1, .col = 1 };
    guint before = cfg->settings->len;
    gboolean ok = FALSE;

    if (!lex_next(&lx, error))
        goto out;
    for (;;) {
        if (!skip_newlines(&lx, error))
            goto out;
        if (lx.tok.type == TOK_EOF)
            break;
        if (!parse_setting(cfg, &lx, error))
            goto out;
    }
    ok = TRUE;
out:
    g_free(lx.tok.text);
    if (!ok) /* all or nothing: a failed parse adds no settings */
        g_ptr_array_set_size(cfg->settings, before);
    return ok;
}

gboolean
ds_cfg_parse_file(DsCfg *cfg, const char *path, GError **error)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) local = NULL;
    gsize len = 0;
    const char *nul;

    if (!g_file_get_contents(path, &text, &len, &local)) {
        g_set_error(error, DS_ERROR, DS_ERROR_NOT_FOUND, "cannot read config '%s': %s",
                    path, local->message);
        return FALSE;
    }
    /* The parser would stop there and take what comes after for absent. */
    nul = memchr(text, '\0', len);
    if (nul) {
        DsCfgLoc loc = { path, 1, 1 };
        for (const char *p = text; p < nul; p++) {
            loc.col = *p == '\n' ? 1 : loc.col + 1;
            loc.line += *p == '\n';
        }
        ds_cfg_error(error, &loc, "a NUL byte: a config is text");
        return FALSE;
    }
    return ds_cfg_parse_text(cfg, path, text, error);
}

static gboolean
looks_like_value(const char *v)
{
    char *end = NULL;

    if (*v == '"' || *v == '\'' || *v == '[')
        return TRUE;
    if (g_ascii_isdigit(*v)) {
        (void)g_ascii_strtoll(v, &end, 0);
        return end && *end == '\0';
    }
    return FALSE;
}

gboolean
ds_cfg_parse_override(DsCfg *cfg, const char *line, int argno, GError **error)
{
    g_autofree char *name = g_strdup_printf("command line argument %d", argno);
    const char *eq = strchr(line, '=');
    g_autofree char *key = NULL;
    const char *value;

    if (!eq) {
        DsCfgLoc loc = { name, 1, 1 };
        ds_cfg_error(error, &loc, "'%s' is not KEY=VALUE", line);
        return FALSE;
    }
    key = g_strstrip(g_strndup(line, eq - line));
    value = eq + 1;
    while (*value == ' ')
        value++;
    if ((eq > line && eq[-1] == '+') || looks_like_value(value))
        return ds_cfg_parse_text(cfg, name, line, error);
    {
        /* A bare value: quote it for the parser, escaping what needs it. */
        g_autoptr(GString) quoted = g_string_new(NULL);
        g_string_append_printf(quoted, "%s = \"", key);
        for (const char *p = value; *p; p++) {
            if (*p == '"' || *p == '\\')
                g_string_append_c(quoted, '\\');
            if (*p == '\n' || *p == '\r' || *p == '\t') /* a string holds them escaped */
                g_string_append_c(quoted, '\\');
            g_string_append_c(quoted, *p == '\n' ? 'n' : *p == '\r' ? 'r' : *p == '\t' ? 't' : *p);
        }
        g_string_append_c(quoted, '"');
        return ds_cfg_parse_text(cfg, name, quoted->str, error);
    }
}

const DsCfgSetting *
ds_cfg_lookup(const DsCfg *cfg, const char *key)
{
    for (guint i = cfg->settings->len; i > 0; i--) {
        const DsCfgSetting *s = g_ptr_array_index(cfg->settings, i - 1);
        if (strcmp(s->key, key) == 0)
            return s;
    }
    return NULL;
}

gboolean
ds_cfg_check_keys(const DsCfg *cfg, const char *const *known, GError **error)
{
    for (guint i = 0; i < cfg->settings->len; i++) {
        const DsCfgSetting *s = g_ptr_array_index(cfg->settings, i);
        const char *hint;

        if (g_strv_contains(known, s->key))
            continue;
        hint = ds_suggest(s->key, known);
        if (hint)
            ds_cfg_error(error, &s->loc, "unknown key '%s' (did you mean '%s'?)",
                         s->key, hint);
        else
            ds_cfg_error(error, &s->loc, "unknown key '%s'", s->key);
        return FALSE;
    }
    return TRUE;
}

static gboolean
expect_type(const DsCfgSetting *s, const DsCfgValue *v, DsCfgValueType type,
            GError **error)
{
    if (v->type == type)
        return TRUE;
    ds_cfg_error(error, &v->loc, "'%s' must be %s, not %s", s->key,
                 ds_cfg_value_type_name(type), ds_cfg_value_type_name(v->type));
    return FALSE;
}

gboolean
ds_cfg_get_string(const DsCfg *cfg, const char *key, const DsCfgValue **out,
                  GError **error)
{
    const DsCfgSetting *s = ds_cfg_lookup(cfg, key);

    if (!s)
        return TRUE;
    if (!expect_type(s, s->value, DS_CFG_STRING, error))
        return FALSE;
    *out = s->value;
    return TRUE;
}

gboolean
ds_cfg_get_number(const DsCfg *cfg, const char *key, gint64 min, gint64 max,
                  gint64 *out, GError **error)
{
    const DsCfgSetting *s = ds_cfg_lookup(cfg, key);

    if (!s)
        return TRUE;
    if (!expect_type(s, s->value, DS_CFG_NUMBER, error))
        return FALSE;
    if (s->value->num < min || s->value->num > max) {
        ds_cfg_error(error, &s->value->loc, "'%s' must be between %" G_GINT64_FORMAT
                     " and %" G_GINT64_FORMAT ", not %s", key, min, max, s->value->str);
        return FALSE;
    }
    *out = s->value->num;
    return TRUE;
}

gboolean
ds_cfg_get_bool(const DsCfg *cfg, const char *key, gboolean *out, GError **error)
{
    const DsCfgSetting *s = ds_cfg_lookup(cfg, key);

    if (!s)
        return TRUE;
    if (s->value->type != DS_CFG_NUMBER) {
        ds_cfg_error(error, &s->value->loc, "'%s' must be 0 or 1, not %s", key,
                     ds_cfg_value_type_name(s->value->type));
        return FALSE;
    }
    *out = s->value->num != 0;
    return TRUE;
}

gboolean
ds_cfg_get_string_list(const DsCfg *cfg, const char *key, GPtrArray **out,
                       GError **error)
{
    const DsCfgSetting *s = ds_cfg_lookup(cfg, key);
    g_autoptr(GPtrArray) list = g_ptr_array_new();

    if (!s)
        return TRUE;
    if (s->value->type == DS_CFG_STRING) {
        g_ptr_array_add(list, s->value);
    } else {
        if (!expect_type(s, s->value, DS_CFG_LIST, error))
            return FALSE;
        for (guint i = 0; i < s->value->items->len; i++) {
            DsCfgValue *item = g_ptr_array_index(s->value->items, i);
            if (!expect_type(s, item, DS_CFG_STRING, error))
                return FALSE;
            g_ptr_array_add(list, item);
        }
    }
    *out = g_steal_pointer(&list);
    return TRUE;
}

char *
ds_cfg_resolve_path(const DsCfgLoc *loc, const char *path)
{
    g_autofree char *cwd = g_get_current_dir();
    g_autofree char *base = NULL;
    g_autofree char *abs_base = NULL;

    if (g_path_is_absolute(path))
        return g_canonicalize_filename(path, NULL);
    base = g_str_has_prefix(loc->file, "command line") ? g_strdup(cwd)
                                                       : g_path_get_dirname(loc->file);
    abs_base = g_canonicalize_filename(base, cwd);
    return g_canonicalize_filename(path, abs_base);
}
