/*
 * vir-conf.c: a reader for libvirt's configuration file syntax.
 *
 * The grammar and its deviations from libvirt are described in vir-conf.h.
 * The parser is a hand-written recursive descent over a byte range: the
 * syntax is libvirt's own (no GLib parser reads it) and the input is
 * untrusted, so every step checks the end of the buffer, and list nesting
 * is bounded.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#define VK_FROM VIR_FROM_CONF
#define VK_LOG_MODULE "core.conf"
#include "vk-internal.h"
#include "vir-conf.h"
#include "vk-file.h"

/* Deeper nesting than this is refused, so that hostile input cannot
 * exhaust the stack through recursion. */
#define VK_CONF_MAX_DEPTH 32

GQuark
vkConfErrorQuark(void)
{
    return g_quark_from_static_string("vk-conf-error-quark");
}

typedef struct _vkConfValue vkConfValue;
struct _vkConfValue {
    vkConfType type;
    int line;
    gint64 num;
    char *str;
    GPtrArray *list;    /* of vkConfValue *, owning */
};

typedef struct {
    char *name;
    int line;
    vkConfValue *value;
} vkConfEntry;

struct _vkConf {
    char *filename;
    GPtrArray *entries;     /* of vkConfEntry *, owning, in file order */
    GHashTable *index;      /* name -> first vkConfEntry with that name */
};

static void
vkConfValueFree(gpointer data)
{
    vkConfValue *val = data;

    if (!val)
        return;
    g_free(val->str);
    if (val->list)
        g_ptr_array_unref(val->list);
    g_free(val);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkConfValue, vkConfValueFree)

static void
vkConfEntryFree(gpointer data)
{
    vkConfEntry *ent = data;

    g_free(ent->name);
    vkConfValueFree(ent->value);
    g_free(ent);
}

void
vkConfFree(vkConf *conf)
{
    if (!conf)
        return;
    g_hash_table_unref(conf->index);
    g_ptr_array_unref(conf->entries);
    g_free(conf->filename);
    g_free(conf);
}

/* ------------------------------------------------------------------ */
/* The parser                                                           */
/* ------------------------------------------------------------------ */

typedef struct {
    const char *filename;
    const char *cur;
    const char *end;
    int line;                   /* of cur, from 1 */
    const char *line_start;     /* first byte of cur's line */
    GError **err;
} vkConfParser;

/* A remembered position, for errors that point back (an unclosed '['). */
typedef struct {
    const char *at;
    int line;
    const char *line_start;
} vkConfPos;

#define AT_END(p) ((p)->cur >= (p)->end)
#define CUR(p) (*(p)->cur)
#define IS_BLANK(c) ((c) == ' ' || (c) == '\t')
#define IS_EOL(c) ((c) == '\n' || (c) == '\r')

static vkConfPos
vkConfParserPos(const vkConfParser *p)
{
    vkConfPos pos = { p->cur, p->line, p->line_start };
    return pos;
}

/* Column of @at on the line starting at @line_start: characters, from 1.
 * UTF-8 continuation bytes do not start a character. */
static int
vkConfColumn(const char *line_start, const char *at)
{
    int col = 1;
    const char *q;

    for (q = line_start; q < at; q++) {
        if (((unsigned char)*q & 0xC0) != 0x80)
            col++;
    }
    return col;
}

static void G_GNUC_PRINTF(4, 5)
vkConfErrorAt(vkConfParser *p, const vkConfPos *pos, int code, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    /* Only the first error of a parse is kept. */
    if (p->err && *p->err)
        return;
    g_set_error(p->err, VK_CONF_ERROR, code, "%s:%d:%d: %s", p->filename, pos->line,
                vkConfColumn(pos->line_start, pos->at), msg);
}

#define vkConfErrorHere(p, ...) \
    do { \
        vkConfPos here_ = vkConfParserPos(p); \
        vkConfErrorAt((p), &here_, VK_CONF_ERROR_SYNTAX, __VA_ARGS__); \
    } while (0)

/* What stands at the current position, for "found ..." in messages. */
static char *
vkConfDescribeHere(const vkConfParser *p)
{
    unsigned char c;
    gunichar uc;

    if (AT_END(p))
        return g_strdup("end of file");
    c = (unsigned char)CUR(p);
    if (IS_EOL(c))
        return g_strdup("end of line");
    if (c == '\0')
        return g_strdup("a NUL byte");
    if (g_ascii_isprint(c))
        return g_strdup_printf("'%c'", c);
    if (c >= 0x80) {
        uc = g_utf8_get_char_validated(p->cur, p->end - p->cur);
        if (uc != (gunichar)-1 && uc != (gunichar)-2 && g_unichar_isprint(uc)) {
            char buf[8] = { 0 };
            g_unichar_to_utf8(uc, buf);
            return g_strdup_printf("'%s'", buf);
        }
    }
    return g_strdup_printf("byte 0x%02x", c);
}

static void
vkConfAdvance(vkConfParser *p)
{
    if (AT_END(p))
        return;
    if (CUR(p) == '\n') {
        p->line++;
        p->line_start = p->cur + 1;
    }
    p->cur++;
}

static void
vkConfSkipBlanks(vkConfParser *p)
{
    while (!AT_END(p) && IS_BLANK(CUR(p)))
        p->cur++;
}

static void
vkConfSkipComment(vkConfParser *p)
{
    while (!AT_END(p) && !IS_EOL(CUR(p)))
        p->cur++;
}

/* Blanks, line ends and comments: what may separate the items of a list
 * and the statements of a file. */
static void
vkConfSkipSpace(vkConfParser *p)
{
    while (!AT_END(p)) {
        if (IS_BLANK(CUR(p)) || IS_EOL(CUR(p)))
            vkConfAdvance(p);
        else if (CUR(p) == '#')
            vkConfSkipComment(p);
        else
            break;
    }
}

static vkConfValue *
vkConfValueNew(vkConfType type, int line)
{
    vkConfValue *val = g_new0(vkConfValue, 1);

    val->type = type;
    val->line = line;
    return val;
}

static vkConfValue *
vkConfParseQuoted(vkConfParser *p, const char *name)
{
    vkConfPos open = vkConfParserPos(p);
    const char *start;
    char quote = CUR(p);
    bool triple = false;
    g_autoptr(vkConfValue) val = vkConfValueNew(VK_CONF_TYPE_STRING, p->line);

    if (quote == '"' && p->end - p->cur >= 3 && memcmp(p->cur, "\"\"\"", 3) == 0)
        triple = true;

    p->cur += triple ? 3 : 1;
    start = p->cur;
    for (;;) {
        if (AT_END(p) || CUR(p) == '\0' || (!triple && IS_EOL(CUR(p)))) {
            if (!AT_END(p) && CUR(p) == '\0')
                vkConfErrorHere(p, "a NUL byte inside the string value of '%s'", name);
            else
                vkConfErrorAt(p, &open, VK_CONF_ERROR_SYNTAX,
                              "unterminated string in the value of '%s': no closing %s%s",
                              name, triple ? "\"\"\"" : (quote == '"' ? "'\"'" : "\"'\""),
                              triple ? " before the end of the file" : " on this line");
            return NULL;
        }
        if (triple && p->end - p->cur >= 3 && memcmp(p->cur, "\"\"\"", 3) == 0)
            break;
        if (!triple && CUR(p) == quote)
            break;
        vkConfAdvance(p);
    }
    val->str = g_strndup(start, p->cur - start);
    p->cur += triple ? 3 : 1;

    if (!g_utf8_validate(val->str, -1, NULL)) {
        vkConfErrorAt(p, &open, VK_CONF_ERROR_SYNTAX,
                      "the string value of '%s' is not valid UTF-8", name);
        return NULL;
    }
    return g_steal_pointer(&val);
}

static vkConfValue *
vkConfParseNumber(vkConfParser *p, const char *name)
{
    vkConfPos start = vkConfParserPos(p);
    bool neg = false;
    guint64 mag = 0;
    guint64 limit;
    vkConfValue *val;

    if (CUR(p) == '-' || CUR(p) == '+') {
        neg = CUR(p) == '-';
        p->cur++;
    }
    if (AT_END(p) || !g_ascii_isdigit(CUR(p))) {
        g_autofree char *found = vkConfDescribeHere(p);
        vkConfErrorHere(p, "expected digits after the sign in the value of '%s', found %s",
                        name, found);
        return NULL;
    }
    limit = neg ? (guint64)G_MAXINT64 + 1 : (guint64)G_MAXINT64;
    while (!AT_END(p) && g_ascii_isdigit(CUR(p))) {
        unsigned digit = CUR(p) - '0';

        if (mag > (limit - digit) / 10) {
            vkConfErrorAt(p, &start, VK_CONF_ERROR_RANGE,
                          "the integer value of '%s' is out of range (%" G_GINT64_FORMAT
                          " to %" G_GINT64_FORMAT ")", name, G_MININT64, G_MAXINT64);
            return NULL;
        }
        mag = mag * 10 + digit;
        p->cur++;
    }
    val = vkConfValueNew(VK_CONF_TYPE_INT, start.line);
    if (neg)
        val->num = mag == (guint64)G_MAXINT64 + 1 ? G_MININT64 : -(gint64)mag;
    else
        val->num = (gint64)mag;
    return val;
}

static vkConfValue *vkConfParseValue(vkConfParser *p, const char *name, int depth);

static vkConfValue *
vkConfParseList(vkConfParser *p, const char *name, int depth)
{
    vkConfPos open = vkConfParserPos(p);
    g_autoptr(vkConfValue) list = vkConfValueNew(VK_CONF_TYPE_LIST, p->line);

    if (depth >= VK_CONF_MAX_DEPTH) {
        vkConfErrorHere(p, "lists in the value of '%s' are nested deeper than %d levels",
                        name, VK_CONF_MAX_DEPTH);
        return NULL;
    }

    list->list = g_ptr_array_new_with_free_func(vkConfValueFree);
    p->cur++;   /* '[' */
    vkConfSkipSpace(p);

    while (!AT_END(p) && CUR(p) != ']') {
        vkConfValue *item = vkConfParseValue(p, name, depth + 1);

        if (!item)
            return NULL;
        g_ptr_array_add(list->list, item);

        vkConfSkipSpace(p);
        if (AT_END(p))
            break;
        if (CUR(p) == ',') {
            p->cur++;
            vkConfSkipSpace(p);
            continue;
        }
        if (CUR(p) != ']') {
            g_autofree char *found = vkConfDescribeHere(p);
            vkConfErrorHere(p, "expected ',' or ']' in the list value of '%s', found %s",
                            name, found);
            return NULL;
        }
    }
    if (AT_END(p)) {
        vkConfErrorAt(p, &open, VK_CONF_ERROR_SYNTAX,
                      "unterminated list in the value of '%s': this '[' is never closed with ']'",
                      name);
        return NULL;
    }
    p->cur++;   /* ']' */
    return g_steal_pointer(&list);
}

static vkConfValue *
vkConfParseValue(vkConfParser *p, const char *name, int depth)
{
    unsigned char c;
    g_autofree char *found = NULL;

    if (!AT_END(p)) {
        c = CUR(p);
        if (c == '"' || c == '\'')
            return vkConfParseQuoted(p, name);
        if (c == '[')
            return vkConfParseList(p, name, depth);
        if (g_ascii_isdigit(c) || c == '-' || c == '+')
            return vkConfParseNumber(p, name);
    }

    found = vkConfDescribeHere(p);
    if (!AT_END(p) && g_ascii_isalpha(CUR(p)))
        vkConfErrorHere(p, "expected a value for '%s', found %s: strings must be quoted",
                        name, found);
    else
        vkConfErrorHere(p, "expected a value for '%s' (a quoted string, an integer or a "
                        "list in [ ]), found %s", name, found);
    return NULL;
}

static vkConf *
vkConfParse(const char *data, size_t len, const char *filename, GError **err)
{
    vkConfParser p = {
        .filename = filename,
        .cur = data,
        .end = data + len,
        .line = 1,
        .line_start = data,
        .err = err,
    };
    g_autoptr(vkConf) conf = g_new0(vkConf, 1);

    conf->filename = g_strdup(filename);
    conf->entries = g_ptr_array_new_with_free_func(vkConfEntryFree);
    conf->index = g_hash_table_new(g_str_hash, g_str_equal);

    for (;;) {
        const char *name_start;
        int name_line;
        g_autofree char *name = NULL;
        g_autoptr(vkConfValue) value = NULL;
        vkConfEntry *ent;

        vkConfSkipSpace(&p);
        if (AT_END(&p))
            break;

        if (!g_ascii_isalpha(CUR(&p))) {
            g_autofree char *found = vkConfDescribeHere(&p);
            vkConfErrorHere(&p, "expected a setting name (a letter, then letters, digits "
                            "or '_'), found %s", found);
            return NULL;
        }
        name_start = p.cur;
        name_line = p.line;
        while (!AT_END(&p) && (g_ascii_isalnum(CUR(&p)) || CUR(&p) == '_'))
            p.cur++;
        name = g_strndup(name_start, p.cur - name_start);

        vkConfSkipBlanks(&p);
        if (AT_END(&p) || CUR(&p) != '=') {
            vkConfErrorHere(&p, "expected '=' after '%s'", name);
            return NULL;
        }
        p.cur++;
        vkConfSkipBlanks(&p);

        if (!(value = vkConfParseValue(&p, name, 0)))
            return NULL;

        vkConfSkipBlanks(&p);
        if (!AT_END(&p) && CUR(&p) == '#')
            vkConfSkipComment(&p);
        if (!AT_END(&p)) {
            if (CUR(&p) == ';') {
                p.cur++;
            } else if (!IS_EOL(CUR(&p))) {
                g_autofree char *found = vkConfDescribeHere(&p);
                vkConfErrorHere(&p, "unexpected %s after the value of '%s': expected the "
                                "end of the line, ';' or a '#' comment", found, name);
                return NULL;
            }
        }

        ent = g_new0(vkConfEntry, 1);
        ent->name = g_steal_pointer(&name);
        ent->line = name_line;
        ent->value = g_steal_pointer(&value);
        g_ptr_array_add(conf->entries, ent);
        if (g_hash_table_contains(conf->index, ent->name)) {
            vkConfEntry *first = g_hash_table_lookup(conf->index, ent->name);
            VK_WARN("%s:%d: '%s' is set again; the setting at line %d wins",
                    filename, ent->line, ent->name, first->line);
        } else {
            g_hash_table_insert(conf->index, ent->name, ent);
        }
    }

    return g_steal_pointer(&conf);
}

vkConf *
vkConfParseData(const char *data, size_t len, const char *filename_for_messages,
                GError **err)
{
    g_return_val_if_fail(data != NULL || len == 0, NULL);
    g_return_val_if_fail(err == NULL || *err == NULL, NULL);

    return vkConfParse(data ? data : "", len,
                       filename_for_messages ? filename_for_messages : "<string>", err);
}

vkConf *
vkConfParseString(const char *text, const char *filename_for_messages, GError **err)
{
    g_return_val_if_fail(text != NULL, NULL);

    return vkConfParseData(text, strlen(text), filename_for_messages, err);
}

vkConf *
vkConfParseFile(const char *path, GError **err)
{
    g_autofree char *contents = NULL;
    g_autoptr(GError) rerr = NULL;
    gsize len = 0;
    GStatBuf st;

    g_return_val_if_fail(path != NULL, NULL);
    g_return_val_if_fail(err == NULL || *err == NULL, NULL);

    VK_DEBUG("path=%s", path);

    /* Refuse a huge file before reading it; the bounded read covers one
     * that grows in between and sources stat cannot size (/dev/zero, a
     * FIFO): it never holds more than the limit and one byte. */
    if (g_stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > VK_CONF_MAX_FILE_SIZE) {
        g_set_error(err, VK_CONF_ERROR, VK_CONF_ERROR_TOO_BIG,
                    "%s: the file is larger than the limit of %d bytes for a "
                    "configuration file", path, VK_CONF_MAX_FILE_SIZE);
        return NULL;
    }
    if (!vkFileReadBounded(path, VK_CONF_MAX_FILE_SIZE, &contents, &len, NULL, &rerr)) {
        if (g_error_matches(rerr, VK_FILE_ERROR, VK_FILE_ERROR_TOO_BIG))
            g_set_error(err, VK_CONF_ERROR, VK_CONF_ERROR_TOO_BIG,
                        "%s: the file is larger than the limit of %d bytes for a "
                        "configuration file", path, VK_CONF_MAX_FILE_SIZE);
        else
            g_propagate_error(err, g_steal_pointer(&rerr));
        return NULL;
    }
    return vkConfParse(contents, len, path, err);
}

/* ------------------------------------------------------------------ */
/* Lookups                                                              */
/* ------------------------------------------------------------------ */

const char *
vkConfGetFilename(const vkConf *conf)
{
    g_return_val_if_fail(conf != NULL, NULL);
    return conf->filename;
}

static const vkConfEntry *
vkConfLookup(const vkConf *conf, const char *key)
{
    g_return_val_if_fail(conf != NULL, NULL);
    g_return_val_if_fail(key != NULL, NULL);
    return g_hash_table_lookup(conf->index, key);
}

vkConfType
vkConfGetType(const vkConf *conf, const char *key)
{
    const vkConfEntry *ent = vkConfLookup(conf, key);

    return ent ? ent->value->type : VK_CONF_TYPE_NONE;
}

static const char *
vkConfTypeName(vkConfType type)
{
    switch (type) {
    case VK_CONF_TYPE_INT:
        return "an integer";
    case VK_CONF_TYPE_STRING:
        return "a string";
    case VK_CONF_TYPE_LIST:
        return "a list";
    case VK_CONF_TYPE_NONE:
    default:
        return "nothing";
    }
}

static int
vkConfTypeError(const vkConf *conf, const vkConfEntry *ent, const char *wanted, GError **err)
{
    g_set_error(err, VK_CONF_ERROR, VK_CONF_ERROR_TYPE,
                "%s:%d: the value of '%s' must be %s, not %s",
                conf->filename, ent->line, ent->name, wanted,
                vkConfTypeName(ent->value->type));
    return -1;
}

int
vkConfGetString(const vkConf *conf, const char *key, char **value, GError **err)
{
    const vkConfEntry *ent = vkConfLookup(conf, key);

    g_return_val_if_fail(value != NULL, -1);
    if (!ent)
        return 0;
    if (ent->value->type != VK_CONF_TYPE_STRING)
        return vkConfTypeError(conf, ent, "a string", err);
    *value = g_strdup(ent->value->str);
    return 1;
}

int
vkConfGetStringList(const vkConf *conf, const char *key, char ***value, GError **err)
{
    const vkConfEntry *ent = vkConfLookup(conf, key);
    GPtrArray *items;
    char **strv;
    guint i;

    g_return_val_if_fail(value != NULL, -1);
    if (!ent)
        return 0;
    if (ent->value->type != VK_CONF_TYPE_LIST)
        return vkConfTypeError(conf, ent, "a list of strings", err);

    items = ent->value->list;
    for (i = 0; i < items->len; i++) {
        const vkConfValue *item = g_ptr_array_index(items, i);

        if (item->type != VK_CONF_TYPE_STRING) {
            g_set_error(err, VK_CONF_ERROR, VK_CONF_ERROR_TYPE,
                        "%s:%d: the value of '%s' must be a list of strings, but item %u "
                        "is %s", conf->filename, item->line, ent->name, i + 1,
                        vkConfTypeName(item->type));
            return -1;
        }
    }

    strv = g_new0(char *, items->len + 1);
    for (i = 0; i < items->len; i++)
        strv[i] = g_strdup(((const vkConfValue *)g_ptr_array_index(items, i))->str);
    *value = strv;
    return 1;
}

/* The entry @key when it holds a number; else NULL, with *rc 0 when the
 * file has no @key and -1 (and @err set, naming @what) when it holds
 * something else.  The typed number getters below all start here. */
static const vkConfEntry *
vkConfLookupNumber(const vkConf *conf, const char *key, const char *what, int *rc,
                   GError **err)
{
    const vkConfEntry *ent = vkConfLookup(conf, key);

    *rc = 0;
    if (ent && ent->value->type != VK_CONF_TYPE_INT) {
        *rc = vkConfTypeError(conf, ent, what, err);
        return NULL;
    }
    return ent;
}

int
vkConfGetInt(const vkConf *conf, const char *key, gint64 *value, GError **err)
{
    const vkConfEntry *ent;
    int rc;

    g_return_val_if_fail(value != NULL, -1);
    if (!(ent = vkConfLookupNumber(conf, key, "an integer", &rc, err)))
        return rc;
    *value = ent->value->num;
    return 1;
}

static int
vkConfRangeError(const vkConf *conf, const vkConfEntry *ent, const char *range, GError **err)
{
    g_set_error(err, VK_CONF_ERROR, VK_CONF_ERROR_RANGE,
                "%s:%d: the value of '%s' is %" G_GINT64_FORMAT ", outside its range %s",
                conf->filename, ent->line, ent->name, ent->value->num, range);
    return -1;
}

int
vkConfGetIntRange(const vkConf *conf, const char *key, gint64 min, gint64 max, gint64 *value,
                  GError **err)
{
    const vkConfEntry *ent;
    int rc;

    g_return_val_if_fail(value != NULL, -1);
    if (!(ent = vkConfLookupNumber(conf, key, "an integer", &rc, err)))
        return rc;
    if (ent->value->num < min || ent->value->num > max) {
        g_autofree char *range = g_strdup_printf("%" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                                                 min, max);
        return vkConfRangeError(conf, ent, range, err);
    }
    *value = ent->value->num;
    return 1;
}

int
vkConfGetUIntRange(const vkConf *conf, const char *key, guint64 max, guint64 *value,
                   GError **err)
{
    const vkConfEntry *ent;
    int rc;

    g_return_val_if_fail(value != NULL, -1);
    if (!(ent = vkConfLookupNumber(conf, key, "an integer", &rc, err)))
        return rc;
    if (ent->value->num < 0 || (guint64)ent->value->num > max) {
        g_autofree char *range = g_strdup_printf("0 to %" G_GUINT64_FORMAT, max);
        return vkConfRangeError(conf, ent, range, err);
    }
    *value = (guint64)ent->value->num;
    return 1;
}

int
vkConfGetBool(const vkConf *conf, const char *key, gboolean *value, GError **err)
{
    const vkConfEntry *ent;
    int rc;

    g_return_val_if_fail(value != NULL, -1);
    if (!(ent = vkConfLookupNumber(conf, key, "0 or 1", &rc, err)))
        return rc;
    if (ent->value->num != 0 && ent->value->num != 1)
        return vkConfRangeError(conf, ent, "0 to 1 (a boolean: 0 or 1)", err);
    *value = ent->value->num == 1;
    return 1;
}
