/*
 * test-conf.c: the reader of libvirt's conf syntax (core/vir-conf.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "vk-internal.h"
#include "vir-conf.h"

/* Parses @text and asserts success. */
static vkConf *
parse_ok(const char *text)
{
    g_autoptr(GError) err = NULL;
    vkConf *conf = vkConfParseString(text, "test.conf", &err);

    g_assert_no_error(err);
    g_assert_nonnull(conf);
    return conf;
}

static char *
get_string(const vkConf *conf, const char *key)
{
    g_autoptr(GError) err = NULL;
    char *value = NULL;

    g_assert_cmpint(vkConfGetString(conf, key, &value, &err), ==, 1);
    g_assert_no_error(err);
    return value;
}

static gint64
get_int(const vkConf *conf, const char *key)
{
    g_autoptr(GError) err = NULL;
    gint64 value = 0;

    g_assert_cmpint(vkConfGetInt(conf, key, &value, &err), ==, 1);
    g_assert_no_error(err);
    return value;
}

static char **
get_list(const vkConf *conf, const char *key)
{
    g_autoptr(GError) err = NULL;
    char **value = NULL;

    g_assert_cmpint(vkConfGetStringList(conf, key, &value, &err), ==, 1);
    g_assert_no_error(err);
    g_assert_nonnull(value);
    return value;
}

static void
assert_strv(char **got, const char *const *want)
{
    g_assert_cmpuint(g_strv_length(got), ==, g_strv_length((char **)want));
    for (guint i = 0; want[i]; i++)
        g_assert_cmpstr(got[i], ==, want[i]);
}

/* Parses @len bytes of @data and asserts the exact error. */
static void
assert_parse_error_data(const char *data, size_t len, const char *filename, int code,
                        const char *message)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(vkConf) conf = vkConfParseData(data, len, filename, &err);

    g_assert_null(conf);
    g_assert_error(err, VK_CONF_ERROR, code);
    g_assert_cmpstr(err->message, ==, message);
}

static void
assert_parse_error(const char *text, const char *message)
{
    assert_parse_error_data(text, strlen(text), "test.conf", VK_CONF_ERROR_SYNTAX, message);
}

/* ------------------------------------------------------------------ */
/* Good input                                                           */
/* ------------------------------------------------------------------ */

static const char good_file[] =
    "# virtkit client configuration\n"
    "\n"
    "uri_default = \"qemu:///system\"   # trailing comment\n"
    "\n"
    "   # indented comment\n"
    "uri_aliases = [\n"
    "  \"hail=qemu+ssh://root@hail.cloud.example.com/system\",\n"
    "  \"sleet=qemu+ssh://root@sleet.cloud.example.com/system\",\n"
    "]\n"
    "keepalive_interval = 5\n"
    "keepalive_count=-3\n"
    "\t\n";

static void
test_parse_good_file(void)
{
    g_autofree char *dir = g_dir_make_tmp("vk-conf-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "virtkit.conf", NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(vkConf) conf = NULL;
    g_autofree char *uri = NULL;
    g_auto(GStrv) aliases = NULL;
    const char *const want[] = {
        "hail=qemu+ssh://root@hail.cloud.example.com/system",
        "sleet=qemu+ssh://root@sleet.cloud.example.com/system",
        NULL,
    };

    g_assert_nonnull(dir);
    g_assert_true(g_file_set_contents(path, good_file, -1, NULL));

    conf = vkConfParseFile(path, &err);
    g_assert_no_error(err);
    g_assert_nonnull(conf);
    g_assert_cmpstr(vkConfGetFilename(conf), ==, path);

    uri = get_string(conf, "uri_default");
    g_assert_cmpstr(uri, ==, "qemu:///system");
    aliases = get_list(conf, "uri_aliases");
    assert_strv(aliases, want);
    g_assert_cmpint(get_int(conf, "keepalive_interval"), ==, 5);
    g_assert_cmpint(get_int(conf, "keepalive_count"), ==, -3);
    g_assert_cmpint(vkConfGetType(conf, "uri_default"), ==, VK_CONF_TYPE_STRING);
    g_assert_cmpint(vkConfGetType(conf, "uri_aliases"), ==, VK_CONF_TYPE_LIST);
    g_assert_cmpint(vkConfGetType(conf, "keepalive_interval"), ==, VK_CONF_TYPE_INT);
    g_assert_cmpint(vkConfGetType(conf, "nothing"), ==, VK_CONF_TYPE_NONE);

    g_assert_cmpint(g_unlink(path), ==, 0);
    g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
test_parse_empty(void)
{
    g_autoptr(vkConf) empty = parse_ok("");
    g_autoptr(vkConf) comments = parse_ok("# only\n\n  # comments\n");

    g_assert_cmpint(vkConfGetType(empty, "uri_default"), ==, VK_CONF_TYPE_NONE);
    g_assert_cmpint(vkConfGetType(comments, "uri_default"), ==, VK_CONF_TYPE_NONE);
}

static void
test_parse_list_multiline(void)
{
    g_autoptr(vkConf) conf = parse_ok(
        "l = [\n"
        "  \"a\",   # first\n"
        "\n"
        "  # between items\n"
        "  'b'\n"
        "  ,\"c\",\n"
        "]\n"
        "after = 1\n");
    g_auto(GStrv) list = get_list(conf, "l");
    const char *const want[] = { "a", "b", "c", NULL };

    assert_strv(list, want);
    g_assert_cmpint(get_int(conf, "after"), ==, 1);
}

static void
test_parse_list_forms(void)
{
    g_autoptr(vkConf) conf = parse_ok(
        "empty = []\n"
        "spaced = [ ]\n"
        "one = [\"x\"]\n"
        "trailing = [ \"x\", ]\n"
        "nested = [ [ 1, 2 ], \"s\" ]\n");
    g_auto(GStrv) empty = get_list(conf, "empty");
    g_auto(GStrv) spaced = get_list(conf, "spaced");
    g_auto(GStrv) one = get_list(conf, "one");
    g_auto(GStrv) trailing = get_list(conf, "trailing");
    g_autoptr(GError) err = NULL;
    char **untouched = NULL;

    g_assert_cmpuint(g_strv_length(empty), ==, 0);
    g_assert_cmpuint(g_strv_length(spaced), ==, 0);
    g_assert_cmpuint(g_strv_length(one), ==, 1);
    g_assert_cmpuint(g_strv_length(trailing), ==, 1);
    g_assert_cmpstr(trailing[0], ==, "x");

    /* Nested lists parse (libvirt allows them) but are no string list. */
    g_assert_cmpint(vkConfGetType(conf, "nested"), ==, VK_CONF_TYPE_LIST);
    g_assert_cmpint(vkConfGetStringList(conf, "nested", &untouched, &err), ==, -1);
    g_assert_error(err, VK_CONF_ERROR, VK_CONF_ERROR_TYPE);
    g_assert_cmpstr(err->message, ==,
                    "test.conf:5: the value of 'nested' must be a list of strings, "
                    "but item 1 is a list");
    g_assert_null(untouched);
}

static void
test_parse_strings(void)
{
    g_autoptr(vkConf) conf = parse_ok(
        "dq = \"it's\"\n"
        "sq = 'say \"hi\"'\n"
        "bs = \"C:\\new\\t\"\n"
        "hash = \"a#b\"   # the # inside quotes is kept\n"
        "tq = \"\"\"line 1\n"
        "line \"2\"\"\"\n"
        "empty = \"\"\n"
        "utf8 = \"h\xc3\xa9\"\n");
    g_autofree char *dq = get_string(conf, "dq");
    g_autofree char *sq = get_string(conf, "sq");
    g_autofree char *bs = get_string(conf, "bs");
    g_autofree char *hash = get_string(conf, "hash");
    g_autofree char *tq = get_string(conf, "tq");
    g_autofree char *empty = get_string(conf, "empty");
    g_autofree char *utf8 = get_string(conf, "utf8");

    g_assert_cmpstr(dq, ==, "it's");
    g_assert_cmpstr(sq, ==, "say \"hi\"");
    /* libvirt's strings have no escapes: backslashes are kept as they are. */
    g_assert_cmpstr(bs, ==, "C:\\new\\t");
    g_assert_cmpstr(hash, ==, "a#b");
    g_assert_cmpstr(tq, ==, "line 1\nline \"2");
    g_assert_cmpstr(empty, ==, "");
    g_assert_cmpstr(utf8, ==, "h\xc3\xa9");
}

static void
test_parse_integers(void)
{
    g_autoptr(vkConf) conf = parse_ok(
        "zero = 0\n"
        "plus = +42\n"
        "neg = -7\n"
        "max = 9223372036854775807\n"
        "min = -9223372036854775808\n"
        "lead = 007\n");

    g_assert_cmpint(get_int(conf, "zero"), ==, 0);
    g_assert_cmpint(get_int(conf, "plus"), ==, 42);
    g_assert_cmpint(get_int(conf, "neg"), ==, -7);
    g_assert_cmpint(get_int(conf, "max"), ==, G_MAXINT64);
    g_assert_cmpint(get_int(conf, "min"), ==, G_MININT64);
    g_assert_cmpint(get_int(conf, "lead"), ==, 7);
}

static void
test_parse_separators(void)
{
    g_autoptr(vkConf) conf = parse_ok("a = 1; b = \"two\" ;c=[\"3\"]\r\nd = 4\r\n");
    g_autofree char *b = get_string(conf, "b");
    g_auto(GStrv) c = get_list(conf, "c");

    g_assert_cmpint(get_int(conf, "a"), ==, 1);
    g_assert_cmpstr(b, ==, "two");
    g_assert_cmpstr(c[0], ==, "3");
    g_assert_cmpint(get_int(conf, "d"), ==, 4);
}

static void
test_parse_duplicate_first_wins(void)
{
    g_autofree char *dir = g_dir_make_tmp("vk-conf-XXXXXX", NULL);
    g_autofree char *log_path = g_build_filename(dir, "log", NULL);
    g_autofree char *outputs = g_strdup_printf("3:file:%s", log_path);
    g_autofree char *logged = NULL;
    g_autoptr(vkConf) conf = NULL;
    g_autofree char *value = NULL;

    /* The warning goes to a file, where the test reads it. */
    g_assert_cmpint(vkLogConfigure(NULL, NULL, outputs), ==, 0);
    conf = parse_ok("uri_default = \"first:///\"\n"
                    "uri_default = \"second:///\"\n");
    g_assert_cmpint(vkLogConfigure(NULL, NULL, NULL), ==, 0);

    value = get_string(conf, "uri_default");
    g_assert_cmpstr(value, ==, "first:///");

    g_assert_true(g_file_get_contents(log_path, &logged, NULL, NULL));
    g_assert_nonnull(strstr(logged, "test.conf:2: 'uri_default' is set again; the setting "
                                    "at line 1 wins"));
    g_assert_cmpint(g_unlink(log_path), ==, 0);
    g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
test_parse_names(void)
{
    g_autoptr(vkConf) conf = parse_ok("a_B9 = 1\nCamelCase=2\n");

    g_assert_cmpint(get_int(conf, "a_B9"), ==, 1);
    g_assert_cmpint(get_int(conf, "CamelCase"), ==, 2);
    /* Names are case-sensitive. */
    g_assert_cmpint(vkConfGetType(conf, "camelcase"), ==, VK_CONF_TYPE_NONE);
}

static void
test_parse_missing_file(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(vkConf) conf = vkConfParseFile("/nonexistent/virtkit/virtkit.conf", &err);

    g_assert_null(conf);
    g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
test_parse_too_big(void)
{
    g_autofree char *dir = g_dir_make_tmp("vk-conf-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "big.conf", NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(vkConf) conf = NULL;
    g_autofree char *data = g_malloc(VK_CONF_MAX_FILE_SIZE + 1);

    memset(data, '#', VK_CONF_MAX_FILE_SIZE + 1);
    g_assert_true(g_file_set_contents(path, data, VK_CONF_MAX_FILE_SIZE + 1, NULL));

    conf = vkConfParseFile(path, &err);
    g_assert_null(conf);
    g_assert_error(err, VK_CONF_ERROR, VK_CONF_ERROR_TOO_BIG);
    g_assert_true(g_str_has_prefix(err->message, path));

    g_assert_cmpint(g_unlink(path), ==, 0);
    g_assert_cmpint(g_rmdir(dir), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Syntax errors: file, line and column                                 */
/* ------------------------------------------------------------------ */

static void
test_error_expected_equals(void)
{
    const char text[] = "# line 1\n\nuri_default\"qemu:///system\"\n";

    assert_parse_error_data(text, strlen(text), "/etc/virtkit/virtkit.conf",
                            VK_CONF_ERROR_SYNTAX,
                            "/etc/virtkit/virtkit.conf:3:12: expected '=' after 'uri_default'");
    assert_parse_error("a = 1\nuri_default   \n",
                       "test.conf:2:15: expected '=' after 'uri_default'");
    assert_parse_error("name", "test.conf:1:5: expected '=' after 'name'");
}

static void
test_error_bad_name(void)
{
    assert_parse_error("  1abc = 2\n",
                       "test.conf:1:3: expected a setting name (a letter, then letters, "
                       "digits or '_'), found '1'");
    assert_parse_error("_a = 2\n",
                       "test.conf:1:1: expected a setting name (a letter, then letters, "
                       "digits or '_'), found '_'");
    assert_parse_error("a-b = 2\n", "test.conf:1:2: expected '=' after 'a'");
}

static void
test_error_missing_value(void)
{
    assert_parse_error("a =\n",
                       "test.conf:1:4: expected a value for 'a' (a quoted string, an integer "
                       "or a list in [ ]), found end of line");
    assert_parse_error("a = # nothing\n",
                       "test.conf:1:5: expected a value for 'a' (a quoted string, an integer "
                       "or a list in [ ]), found '#'");
    assert_parse_error("a = ",
                       "test.conf:1:5: expected a value for 'a' (a quoted string, an integer "
                       "or a list in [ ]), found end of file");
}

static void
test_error_unquoted(void)
{
    assert_parse_error("x = 1\nuri_default = qemu:///system\n",
                       "test.conf:2:15: expected a value for 'uri_default', found 'q': "
                       "strings must be quoted");
}

static void
test_error_unterminated_string(void)
{
    assert_parse_error("a = 1\nb = \"abc\nc = 2\n",
                       "test.conf:2:5: unterminated string in the value of 'b': no closing "
                       "'\"' on this line");
    assert_parse_error("b = 'abc",
                       "test.conf:1:5: unterminated string in the value of 'b': no closing "
                       "\"'\" on this line");
    assert_parse_error("a = 1\nb = \"\"\"abc\n\ndef\n",
                       "test.conf:2:5: unterminated string in the value of 'b': no closing "
                       "\"\"\" before the end of the file");
}

static void
test_error_unterminated_list(void)
{
    assert_parse_error("a = 1\nl = [ \"x\",\n  \"y\"\n",
                       "test.conf:2:5: unterminated list in the value of 'l': this '[' is "
                       "never closed with ']'");
    assert_parse_error("l = [", "test.conf:1:5: unterminated list in the value of 'l': "
                       "this '[' is never closed with ']'");
}

static void
test_error_list_separator(void)
{
    assert_parse_error("l = [ \"x\" \"y\" ]\n",
                       "test.conf:1:11: expected ',' or ']' in the list value of 'l', "
                       "found '\"'");
    assert_parse_error("l = [\n  \"x\",\n  \"y\";\n]\n",
                       "test.conf:3:6: expected ',' or ']' in the list value of 'l', "
                       "found ';'");
    assert_parse_error("l = [ , ]\n",
                       "test.conf:1:7: expected a value for 'l' (a quoted string, an integer "
                       "or a list in [ ]), found ','");
}

static void
test_error_after_value(void)
{
    assert_parse_error("a = 1 2\n",
                       "test.conf:1:7: unexpected '2' after the value of 'a': expected the "
                       "end of the line, ';' or a '#' comment");
    assert_parse_error("a = 12abc\n",
                       "test.conf:1:7: unexpected 'a' after the value of 'a': expected the "
                       "end of the line, ';' or a '#' comment");
    /* Columns count characters, not bytes. */
    assert_parse_error("a = \"\xc3\xa9\" x\n",
                       "test.conf:1:9: unexpected 'x' after the value of 'a': expected the "
                       "end of the line, ';' or a '#' comment");
}

static void
test_error_line_counting(void)
{
    /* Lines inside a multi-line list and a triple-quoted string count. */
    assert_parse_error("l = [\n  \"a\",\n  \"b\",\n]\ns = \"\"\"1\n2\"\"\"\nbad value\n",
                       "test.conf:7:5: expected '=' after 'bad'");
    assert_parse_error("a = 1\r\nb c\r\n", "test.conf:2:3: expected '=' after 'b'");
}

static void
test_error_numbers(void)
{
    assert_parse_error_data("a = 9223372036854775808\n", 24, "test.conf", VK_CONF_ERROR_RANGE,
                            "test.conf:1:5: the integer value of 'a' is out of range "
                            "(-9223372036854775808 to 9223372036854775807)");
    assert_parse_error_data("a = -9223372036854775809\n", 25, "test.conf",
                            VK_CONF_ERROR_RANGE,
                            "test.conf:1:5: the integer value of 'a' is out of range "
                            "(-9223372036854775808 to 9223372036854775807)");
    assert_parse_error("a = -\n",
                       "test.conf:1:6: expected digits after the sign in the value of 'a', "
                       "found end of line");
}

static void
test_error_bytes(void)
{
    static const char nul_in_string[] = "a = \"x\0y\"\n";
    static const char nul_at_start[] = "\0";

    assert_parse_error_data(nul_in_string, sizeof(nul_in_string) - 1, NULL,
                            VK_CONF_ERROR_SYNTAX,
                            "<string>:1:7: a NUL byte inside the string value of 'a'");
    assert_parse_error_data(nul_at_start, 1, NULL, VK_CONF_ERROR_SYNTAX,
                            "<string>:1:1: expected a setting name (a letter, then letters, "
                            "digits or '_'), found a NUL byte");
    assert_parse_error("a = \"\xff\"\n",
                       "test.conf:1:5: the string value of 'a' is not valid UTF-8");
    assert_parse_error("\x01 = 1",
                       "test.conf:1:1: expected a setting name (a letter, then letters, "
                       "digits or '_'), found byte 0x01");
}

static void
test_error_nesting(void)
{
    GString *text = g_string_new("a = ");

    for (int i = 0; i < 40; i++)
        g_string_append_c(text, '[');
    assert_parse_error(text->str,
                       "test.conf:1:37: lists in the value of 'a' are nested deeper than "
                       "32 levels");
    g_string_free(text, TRUE);
}

/* ------------------------------------------------------------------ */
/* Getters                                                              */
/* ------------------------------------------------------------------ */

static void
test_get_missing(void)
{
    g_autoptr(vkConf) conf = parse_ok("other = 1\n");
    g_autoptr(GError) err = NULL;
    char *str = (char *)"untouched";
    char **list = (char **)&str;
    gint64 num = 99;

    g_assert_cmpint(vkConfGetString(conf, "absent", &str, &err), ==, 0);
    g_assert_cmpint(vkConfGetStringList(conf, "absent", &list, &err), ==, 0);
    g_assert_cmpint(vkConfGetInt(conf, "absent", &num, &err), ==, 0);
    g_assert_no_error(err);
    g_assert_cmpstr(str, ==, "untouched");
    g_assert_true(list == (char **)&str);
    g_assert_cmpint(num, ==, 99);
}

static void
test_get_type_mismatch(void)
{
    g_autoptr(vkConf) conf = parse_ok("# comment\n"
                                      "s = \"x\"\n"
                                      "n = 3\n"
                                      "l = [ \"a\",\n 5 ]\n");
    struct {
        int rc;
        GError *err;
    } r[4] = { { 0, NULL } };
    char *str = NULL;
    char **list = NULL;
    gint64 num = 0;

    r[0].rc = vkConfGetString(conf, "n", &str, &r[0].err);
    r[1].rc = vkConfGetInt(conf, "s", &num, &r[1].err);
    r[2].rc = vkConfGetStringList(conf, "s", &list, &r[2].err);
    r[3].rc = vkConfGetStringList(conf, "l", &list, &r[3].err);

    for (int i = 0; i < 4; i++) {
        g_assert_cmpint(r[i].rc, ==, -1);
        g_assert_error(r[i].err, VK_CONF_ERROR, VK_CONF_ERROR_TYPE);
    }
    g_assert_cmpstr(r[0].err->message, ==,
                    "test.conf:3: the value of 'n' must be a string, not an integer");
    g_assert_cmpstr(r[1].err->message, ==,
                    "test.conf:2: the value of 's' must be an integer, not a string");
    g_assert_cmpstr(r[2].err->message, ==,
                    "test.conf:2: the value of 's' must be a list of strings, not a string");
    g_assert_cmpstr(r[3].err->message, ==,
                    "test.conf:5: the value of 'l' must be a list of strings, but item 2 "
                    "is an integer");
    g_assert_null(str);
    g_assert_null(list);
    g_assert_cmpint(num, ==, 0);
    for (int i = 0; i < 4; i++)
        g_error_free(r[i].err);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/conf/parse/good-file", test_parse_good_file);
    g_test_add_func("/conf/parse/empty", test_parse_empty);
    g_test_add_func("/conf/parse/list-multiline", test_parse_list_multiline);
    g_test_add_func("/conf/parse/list-forms", test_parse_list_forms);
    g_test_add_func("/conf/parse/strings", test_parse_strings);
    g_test_add_func("/conf/parse/integers", test_parse_integers);
    g_test_add_func("/conf/parse/separators", test_parse_separators);
    g_test_add_func("/conf/parse/duplicate-first-wins", test_parse_duplicate_first_wins);
    g_test_add_func("/conf/parse/names", test_parse_names);
    g_test_add_func("/conf/parse/missing-file", test_parse_missing_file);
    g_test_add_func("/conf/parse/too-big", test_parse_too_big);
    g_test_add_func("/conf/error/expected-equals", test_error_expected_equals);
    g_test_add_func("/conf/error/bad-name", test_error_bad_name);
    g_test_add_func("/conf/error/missing-value", test_error_missing_value);
    g_test_add_func("/conf/error/unquoted-string", test_error_unquoted);
    g_test_add_func("/conf/error/unterminated-string", test_error_unterminated_string);
    g_test_add_func("/conf/error/unterminated-list", test_error_unterminated_list);
    g_test_add_func("/conf/error/list-separator", test_error_list_separator);
    g_test_add_func("/conf/error/after-value", test_error_after_value);
    g_test_add_func("/conf/error/line-counting", test_error_line_counting);
    g_test_add_func("/conf/error/numbers", test_error_numbers);
    g_test_add_func("/conf/error/bytes", test_error_bytes);
    g_test_add_func("/conf/error/nesting", test_error_nesting);
    g_test_add_func("/conf/get/missing", test_get_missing);
    g_test_add_func("/conf/get/type-mismatch", test_get_type_mismatch);

    return g_test_run();
}
