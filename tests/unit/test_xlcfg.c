/* The xl.cfg syntax: values, lists, comments, overrides and located errors. */
#include <string.h>

#include "domsnap.h"
#include "formats/xlcfg.h"

static DsCfg *
parse_ok(const char *text)
{
    DsCfg *cfg = ds_cfg_new();
    g_autoptr(GError) err = NULL;

    if (!ds_cfg_parse_text(cfg, "t.cfg", text, &err))
        g_error("unexpected error: %s", err->message);
    return cfg;
}

static void
expect_error(const char *text, const char *message)
{
    g_autoptr(DsCfg) cfg = ds_cfg_new();
    g_autoptr(GError) err = NULL;

    g_assert_false(ds_cfg_parse_text(cfg, "t.cfg", text, &err));
    g_assert_error(err, DS_ERROR, DS_ERROR_CONFIG);
    if (strcmp(err->message, message) != 0)
        g_error("for %s\n  want: %s\n  got:  %s", text, message, err->message);
    g_assert_cmpuint(cfg->settings->len, ==, 0);
}

static void
test_values(void)
{
    g_autoptr(DsCfg) cfg = parse_ok(
        "# a comment\n"
        "name = \"web1\"   # trailing comment\n"
        "kernel='/boot/vmlinuz'; memory = 512\n"
        "hex = 0x10\n"
        "oct = 010\n"
        "esc = \"a\\\"b\\\\c\\n\"\n"
        "disk = [ '/a.img,raw,xvda', \"/b.qcow2,qcow2,xvdb\", ]\n"
        "nested = [ 1, [ 'x', 2 ],\n  'y' ]\n");
    const DsCfgSetting *s;

    s = ds_cfg_lookup(cfg, "name");
    g_assert_cmpstr(s->value->str, ==, "web1");
    g_assert_cmpint(s->loc.line, ==, 2);
    g_assert_cmpint(s->value->loc.col, ==, 8);
    g_assert_cmpint(ds_cfg_lookup(cfg, "memory")->value->num, ==, 512);
    g_assert_cmpint(ds_cfg_lookup(cfg, "hex")->value->num, ==, 16);
    g_assert_cmpint(ds_cfg_lookup(cfg, "oct")->value->num, ==, 8);
    g_assert_cmpstr(ds_cfg_lookup(cfg, "esc")->value->str, ==, "a\"b\\c\n");
    s = ds_cfg_lookup(cfg, "disk");
    g_assert_cmpint(s->value->type, ==, DS_CFG_LIST);
    g_assert_cmpuint(s->value->items->len, ==, 2);
    g_assert_cmpstr(((DsCfgValue *)s->value->items->pdata[1])->str, ==, "/b.qcow2,qcow2,xvdb");
    g_assert_cmpint(((DsCfgValue *)s->value->items->pdata[1])->loc.col, ==, 29);
    s = ds_cfg_lookup(cfg, "nested");
    g_assert_cmpuint(s->value->items->len, ==, 3);
    g_assert_cmpint(((DsCfgValue *)s->value->items->pdata[2])->loc.line, ==, 9);
}

static void
test_last_wins_and_overrides(void)
{
    g_autoptr(DsCfg) cfg = parse_ok("memory = 256\nname = 'a'\n");
    g_autoptr(GError) err = NULL;

    g_assert_true(ds_cfg_parse_override(cfg, "memory=1024", 1, &err));
    g_assert_true(ds_cfg_parse_override(cfg, "name=web2", 2, &err));
    g_assert_true(ds_cfg_parse_override(cfg, "extra=console=ttyS0 quiet", 3, &err));
    g_assert_true(ds_cfg_parse_override(cfg, "disk=['/x,raw,xvda']", 4, &err));
    g_assert_cmpint(ds_cfg_lookup(cfg, "memory")->value->num, ==, 1024);
    g_assert_cmpstr(ds_cfg_lookup(cfg, "name")->value->str, ==, "web2");
    g_assert_cmpstr(ds_cfg_lookup(cfg, "extra")->value->str, ==, "console=ttyS0 quiet");
    g_assert_cmpint(ds_cfg_lookup(cfg, "disk")->value->type, ==, DS_CFG_LIST);
    g_assert_false(ds_cfg_parse_override(cfg, "memroy", 5, &err));
    g_assert_cmpstr(err->message, ==, "command line argument 5:1:1: 'memroy' is not KEY=VALUE");
}

static void
test_append(void)
{
    g_autoptr(DsCfg) cfg = parse_ok("disk = ['a,,xvda']\ndisk += ['b,,xvdb']\nextra='x'\nextra+=' y'\n");
    const DsCfgSetting *s = ds_cfg_lookup(cfg, "disk");

    g_assert_cmpuint(s->value->items->len, ==, 2);
    g_assert_cmpstr(ds_cfg_lookup(cfg, "extra")->value->str, ==, "x y");
}

static void
test_errors(void)
{
    expect_error("name = \"web1\nmemory = 5\n", "t.cfg:1:8: unterminated string (the closing \" is missing)");
    expect_error("name = 'x'\nkernel = '/a\n", "t.cfg:2:10: unterminated string (the closing ' is missing)");
    expect_error("memory 5\n", "t.cfg:1:8: expected '=' after 'memory', found a number");
    expect_error("name = web\n", "t.cfg:1:8: expected a value, found the bare word 'web' (strings need quotes)");
    expect_error("disk = [ 'a' 'b' ]\n", "t.cfg:1:14: expected ',' or ']' in list, found a string");
    expect_error("disk = [ 'a',\n", "t.cfg:1:8: list is not closed (']' is missing)");
    expect_error("memory = 12x\n", "t.cfg:1:10: '12x' is not a number");
    expect_error("a = 1 2\n", "t.cfg:1:7: expected the end of the line after the value of 'a', found a number");
    expect_error("= 1\n", "t.cfg:1:1: expected a key, found '='");
    expect_error("a = \"\\q\"\n", "t.cfg:1:6: unknown escape sequence '\\q' in string");
    expect_error("a = 1\nb = $\n", "t.cfg:2:5: unexpected character '$'");
}

static void
test_unknown_key(void)
{
    g_autoptr(DsCfg) cfg = parse_ok("name='a'\n\n   memroy = 5\n");
    const char *const known[] = { "name", "memory", "vcpus", NULL };
    g_autoptr(GError) err = NULL;

    g_assert_false(ds_cfg_check_keys(cfg, known, &err));
    g_assert_cmpstr(err->message, ==, "t.cfg:3:4: unknown key 'memroy' (did you mean 'memory'?)");
    g_clear_error(&err);
    g_autoptr(DsCfg) cfg2 = parse_ok("zzzzzz = 5\n");
    g_assert_false(ds_cfg_check_keys(cfg2, known, &err));
    g_assert_cmpstr(err->message, ==, "t.cfg:1:1: unknown key 'zzzzzz'");
}

static void
test_typed_access(void)
{
    g_autoptr(DsCfg) cfg = parse_ok("memory = '5'\nvcpus = 100\nserial = 'file:/x'\n");
    g_autoptr(GError) err = NULL;
    gint64 n = 0;
    g_autoptr(GPtrArray) list = NULL;

    g_assert_false(ds_cfg_get_number(cfg, "memory", 1, 10, &n, &err));
    g_assert_cmpstr(err->message, ==, "t.cfg:1:10: 'memory' must be a number, not a string");
    g_clear_error(&err);
    g_assert_false(ds_cfg_get_number(cfg, "vcpus", 1, 64, &n, &err));
    g_assert_cmpstr(err->message, ==, "t.cfg:2:9: 'vcpus' must be between 1 and 64, not 100");
    g_assert_true(ds_cfg_get_string_list(cfg, "serial", &list, &err));
    g_assert_cmpuint(list->len, ==, 1);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/xlcfg/values", test_values);
    g_test_add_func("/xlcfg/last-wins-and-overrides", test_last_wins_and_overrides);
    g_test_add_func("/xlcfg/append", test_append);
    g_test_add_func("/xlcfg/errors", test_errors);
    g_test_add_func("/xlcfg/unknown-key", test_unknown_key);
    g_test_add_func("/xlcfg/typed-access", test_typed_access);
    return g_test_run();
}
