/*
 * vksh-util.c: output, error reporting, option accessors, domain lookup,
 * tables and size parsing shared by every vksh command.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vksh.h"
#include "vk-file.h"

/* virsh's VSH_MAX_XML_FILE: the largest file vksh reads as a document */
#define VKSH_MAX_XML_FILE (10 * 1024 * 1024)

/* The libvirt error saved by vkshErrorHandler (or by vksh itself for an
 * error that did not come from the library), printed once when the
 * command fails, as virsh does. */
static virErrorPtr lastError;
static char *pendingError;

void
vkshResetLibvirtError(void)
{
    g_clear_pointer(&lastError, virFreeError);
    g_clear_pointer(&pendingError, g_free);
    virResetLastError();
}

void
vkshSaveLibvirtError(void)
{
    g_clear_pointer(&lastError, virFreeError);
    lastError = virSaveLastError();
}

/* An error that the library would have raised for the same input: kept
 * so that it is printed after the command's own message. */
static void
vkshSetPendingError(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void
vkshSetPendingError(const char *fmt, ...)
{
    va_list ap;

    g_free(pendingError);
    va_start(ap, fmt);
    pendingError = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

void
vkshReportError(vkshControl *ctl)
{
    if (!lastError && !pendingError) {
        lastError = virSaveLastError();
        if (!lastError || lastError->code == VIR_ERR_OK)
            goto out;
    }
    if (pendingError && (!lastError || lastError->code == VIR_ERR_OK))
        vkshError(ctl, "%s", pendingError);
    else if (lastError->code == VIR_ERR_OK)
        vkshError(ctl, "%s", "unknown error");
    else
        vkshError(ctl, "%s", lastError->message ? lastError->message : "unknown error");
 out:
    vkshResetLibvirtError();
}

static void
vkshLogLine(vkshControl *ctl, int level, const char *msg)
{
    static const char *const names[] = { "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR" };
    g_autoptr(GDateTime) now = NULL;
    g_autofree char *stamp = NULL;

    if (!ctl || !ctl->logfp)
        return;
    now = g_date_time_new_now_local();
    stamp = g_date_time_format(now, "%Y.%m.%d %H:%M:%S");
    fprintf(ctl->logfp, "[%s vksh %d] %s %s%s", stamp, (int)getpid(),
            names[CLAMP(level, 0, 4)], msg, g_str_has_suffix(msg, "\n") ? "" : "\n");
    fflush(ctl->logfp);
}

void
vkshPrint(vkshControl *ctl, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *str = NULL;

    (void)ctl;
    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fputs(str, stdout);
}

void
vkshPrintExtra(vkshControl *ctl, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *str = NULL;

    if (ctl && ctl->quiet)
        return;
    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fputs(str, stdout);
}

void
vkshError(vkshControl *ctl, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *str = NULL;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vkshLogLine(ctl, 4, str);
    /* stdout first, so that 2>&1 interleaves in order */
    fflush(stdout);
    fprintf(stderr, "error: %s\n", str);
    fflush(stderr);
}

void
vkshDebug(vkshControl *ctl, int level, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *str = NULL;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vkshLogLine(ctl, level, str);
    if (!ctl || ctl->debug < 0 || level < ctl->debug)
        return;
    fputs(str, stdout);
    fflush(stdout);
}

/* ---- options ---------------------------------------------------------- */

static const vkshCmdOpt *
vkshOptFind(const vkshCmd *cmd, const char *name)
{
    for (const vkshCmdOpt *o = cmd->opts; o; o = o->next) {
        if (g_str_equal(o->def->name, name))
            return o;
    }
    return NULL;
}

bool
vkshOptBool(const vkshCmd *cmd, const char *name)
{
    return vkshOptFind(cmd, name) != NULL;
}

int
vkshOptString(vkshControl *ctl, const vkshCmd *cmd, const char *name, const char **value)
{
    const vkshCmdOpt *o = vkshOptFind(cmd, name);

    if (!o)
        return 0;
    if (!*o->data && !(o->def->flags & VKSH_OFLAG_EMPTY_OK)) {
        vkshError(ctl, "Failed to get option '%s': %s", name, "Option argument is empty");
        return -1;
    }
    *value = o->data;
    return 1;
}

static int
vkshParseErr(vkshControl *ctl, const char *data, const char *name)
{
    vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range", data, name);
    return -1;
}

/* virStrToLong_* semantics: base 10, the whole string, no overflow. */
static bool
vkshStrToLL(const char *s, long long *v)
{
    char *end = NULL;

    errno = 0;
    *v = strtoll(s, &end, 10);
    return !(errno || end == s || *end);
}

static bool
vkshStrToULL(const char *s, unsigned long long *v, bool allowNeg, char **endp)
{
    char *end = NULL;
    const char *p = s;

    while (g_ascii_isspace(*p))
        p++;
    if (!allowNeg && *p == '-') {
        /* "-0" is fine for virStrToLong_ullp; anything else negative is not */
        errno = 0;
        long long n = strtoll(p, &end, 10);
        if (errno || end == p || n != 0)
            return false;
        *v = 0;
        if (endp)
            *endp = end;
        else if (*end)
            return false;
        return true;
    }
    errno = 0;
    *v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    if (endp)
        *endp = end;
    else if (*end)
        return false;
    return true;
}

int
vkshOptInt(vkshControl *ctl, const vkshCmd *cmd, const char *name, int *value)
{
    const vkshCmdOpt *o = vkshOptFind(cmd, name);
    long long v;

    if (!o)
        return 0;
    if (!vkshStrToLL(o->data, &v) || v < INT_MIN || v > INT_MAX)
        return vkshParseErr(ctl, o->data, name);
    *value = v;
    return 1;
}

static int
vkshOptUIntInternal(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                    unsigned int *value, bool wrap)
{
    const vkshCmdOpt *o = vkshOptFind(cmd, name);
    long long v;

    if (!o)
        return 0;
    if (!vkshStrToLL(o->data, &v))
        return vkshParseErr(ctl, o->data, name);
    if (wrap ? (v < -(long long)UINT_MAX || v > UINT_MAX) : (v < 0 || v > UINT_MAX))
        return vkshParseErr(ctl, o->data, name);
    *value = (unsigned int)v;
    return 1;
}

int
vkshOptUInt(vkshControl *ctl, const vkshCmd *cmd, const char *name, unsigned int *value)
{
    return vkshOptUIntInternal(ctl, cmd, name, value, false);
}

int
vkshOptUIntWrap(vkshControl *ctl, const vkshCmd *cmd, const char *name, unsigned int *value)
{
    return vkshOptUIntInternal(ctl, cmd, name, value, true);
}

int
vkshOptLongLong(vkshControl *ctl, const vkshCmd *cmd, const char *name, long long *value)
{
    const vkshCmdOpt *o = vkshOptFind(cmd, name);

    if (!o)
        return 0;
    if (!vkshStrToLL(o->data, value))
        return vkshParseErr(ctl, o->data, name);
    return 1;
}

int
vkshOptULongLong(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                 unsigned long long *value)
{
    const vkshCmdOpt *o = vkshOptFind(cmd, name);

    if (!o)
        return 0;
    if (!vkshStrToULL(o->data, value, false, NULL))
        return vkshParseErr(ctl, o->data, name);
    return 1;
}

/* libvirt's virScaleInteger: a suffix of one letter or "iB" means powers
 * of 1024, "B" after the letter (KB, MB, ...) powers of 1000; no suffix
 * means @scale. */
int
vkshScaleInteger(const char *str, unsigned long long *value,
                 unsigned long long scale, unsigned long long max)
{
    unsigned long long v;
    char *suffix = NULL;

    if (!vkshStrToULL(str, &v, false, &suffix))
        return -1;
    if (!*suffix) {
        if (!scale) {
            vkshSetPendingError("invalid argument: invalid scale %llu", scale);
            return -1;
        }
    } else {
        unsigned long long base;
        int exp;

        switch (*suffix) {
        case 'b': case 'B': exp = 0; break;
        case 'k': case 'K': exp = 1; break;
        case 'm': case 'M': exp = 2; break;
        case 'g': case 'G': exp = 3; break;
        case 't': case 'T': exp = 4; break;
        case 'p': case 'P': exp = 5; break;
        case 'e': case 'E': exp = 6; break;
        default:
            vkshSetPendingError("invalid argument: unknown suffix '%s'", suffix);
            return -1;
        }
        if (!suffix[1] || g_ascii_strcasecmp(suffix + 1, "iB") == 0) {
            base = 1024;
        } else if (g_ascii_strcasecmp(suffix + 1, "B") == 0 && exp) {
            base = 1000;
        } else {
            vkshSetPendingError("invalid argument: unknown suffix '%s'", suffix);
            return -1;
        }
        scale = 1;
        while (exp--) {
            if (scale > ULLONG_MAX / base)
                goto overflow;
            scale *= base;
        }
    }
    if (v && scale > max / v)
        goto overflow;
    *value = v * scale;
    return 0;

 overflow:
    vkshSetPendingError("numerical overflow: value too large: %s", str);
    return -1;
}

int
vkshOptScaledInt(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                 unsigned long long *value, unsigned long long scale,
                 unsigned long long max)
{
    const vkshCmdOpt *o = vkshOptFind(cmd, name);

    if (!o)
        return 0;
    if (vkshScaleInteger(o->data, value, scale, max) < 0) {
        vkshError(ctl, "Scaled numeric value '%s' for <%s> option is malformed or out of range",
                  o->data, name);
        return -1;
    }
    return 1;
}

int
vkshOptTimeoutToMs(vkshControl *ctl, const vkshCmd *cmd, int *timeout)
{
    unsigned int t;
    int ret;

    if ((ret = vkshOptUInt(ctl, cmd, "timeout", &t)) <= 0)
        return ret;
    if (t == 0 || t > INT_MAX / 1000) {
        vkshError(ctl, "Numeric value '%u' for <%s> option is malformed or out of range",
                  t, "timeout");
        return -1;
    }
    *timeout = (int)t * 1000;
    return 1;
}

const vkshCmdOpt *
vkshOptArgv(const vkshCmd *cmd, const vkshCmdOpt *prev)
{
    for (const vkshCmdOpt *o = prev ? prev->next : cmd->opts; o; o = o->next) {
        if (o->def->type == VKSH_OT_ARGV)
            return o;
    }
    return NULL;
}

bool
vkshExclusive(vkshControl *ctl, const vkshCmd *cmd, const char *a, const char *b)
{
    if (vkshOptBool(cmd, a) && vkshOptBool(cmd, b)) {
        vkshError(ctl, "Options --%s and --%s are mutually exclusive", a, b);
        return false;
    }
    return true;
}

/* ---- domains ---------------------------------------------------------- */

virDomainPtr
vkshLookupDomain(vkshControl *ctl, const char *n)
{
    virDomainPtr dom = NULL;
    long long id;

    /* an id first, then a UUID, then a name: virsh's order */
    if (vkshStrToLL(n, &id) && id >= 0 && id <= INT_MAX)
        dom = virDomainLookupByID(ctl->conn, (int)id);
    if (!dom && strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        dom = virDomainLookupByUUIDString(ctl->conn, n);
    if (!dom)
        dom = virDomainLookupByName(ctl->conn, n);
    vkshResetLibvirtError();
    if (!dom)
        vkshError(ctl, "failed to get domain '%s'", n);
    return dom;
}

virDomainPtr
vkshCommandOptDomainBy(vkshControl *ctl, const vkshCmd *cmd, const char *optname,
                       const char **name)
{
    const char *n = NULL;

    if (vkshOptString(ctl, cmd, optname, &n) <= 0)
        return NULL;
    if (name)
        *name = n;
    return vkshLookupDomain(ctl, n);
}

virDomainPtr
vkshCommandOptDomain(vkshControl *ctl, const vkshCmd *cmd, const char **name)
{
    return vkshCommandOptDomainBy(ctl, cmd, "domain", name);
}

char *
vkshReadFile(vkshControl *ctl, const char *path)
{
    g_autoptr(GError) err = NULL;
    char *buf = NULL;

    /* virsh's limit and words: more than 10 MiB is EOVERFLOW's text */
    if (!vkFileReadBounded(path, VKSH_MAX_XML_FILE, &buf, NULL, NULL, &err)) {
        if (g_error_matches(err, VK_FILE_ERROR, VK_FILE_ERROR_TOO_BIG))
            vkshError(ctl, "Failed to read file '%s': %s", path, g_strerror(EOVERFLOW));
        else if (err->domain == G_FILE_ERROR && err->code == G_FILE_ERROR_NOENT)
            vkshError(ctl, "Failed to open file '%s': %s", path, g_strerror(ENOENT));
        else
            vkshError(ctl, "Failed to read file '%s' to parse: %s", path, err->message);
        return NULL;
    }
    return buf;
}

/* ---- tables ----------------------------------------------------------- */

struct _vkshTable {
    GPtrArray *rows;   /* of GStrv; row 0 is the header */
};

static GStrv
vkshRowFromVa(const char *first, va_list ap)
{
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();

    for (const char *s = first; s; s = va_arg(ap, const char *))
        g_strv_builder_add(b, s);
    return g_strv_builder_end(b);
}

vkshTable *
vkshTableNew(const char *first, ...)
{
    vkshTable *t = g_new0(vkshTable, 1);
    va_list ap;

    t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    va_start(ap, first);
    g_ptr_array_add(t->rows, vkshRowFromVa(first, ap));
    va_end(ap);
    return t;
}

void
vkshTableRowAdd(vkshTable *t, const char *first, ...)
{
    va_list ap;

    va_start(ap, first);
    g_ptr_array_add(t->rows, vkshRowFromVa(first, ap));
    va_end(ap);
}

void
vkshTablePrint(vkshControl *ctl, vkshTable *t, bool header)
{
    GStrv head = g_ptr_array_index(t->rows, 0);
    guint ncols = g_strv_length(head);
    g_autofree size_t *w = g_new0(size_t, ncols);
    g_autoptr(GString) out = g_string_new(NULL);
    size_t total = 0;

    bool withHeader = header && !(ctl && ctl->quiet);

    /* widths from the rows printed: no header in quiet mode */
    for (guint r = withHeader ? 0 : 1; r < t->rows->len; r++) {
        GStrv row = g_ptr_array_index(t->rows, r);
        for (guint c = 0; c < ncols && row[c]; c++)
            w[c] = MAX(w[c], (size_t)g_utf8_strlen(row[c], -1));
    }
    for (guint c = 0; c < ncols; c++)
        total += w[c];
    total += 3 * (ncols - 1) + 1;

    for (guint r = withHeader ? 0 : 1; r < t->rows->len; r++) {
        GStrv row = g_ptr_array_index(t->rows, r);
        g_string_append_c(out, ' ');
        for (guint c = 0; c < ncols; c++) {
            const char *cell = row[c] ? row[c] : "";
            g_string_append(out, cell);
            if (c + 1 < ncols) {
                for (size_t i = g_utf8_strlen(cell, -1); i < w[c] + 3; i++)
                    g_string_append_c(out, ' ');
            }
        }
        g_string_append_c(out, '\n');
        if (r == 0) {
            for (size_t i = 0; i < total + 2; i++)
                g_string_append_c(out, '-');
            g_string_append_c(out, '\n');
        }
    }
    vkshPrint(ctl, "%s", out->str);
}

void
vkshTableFree(vkshTable *t)
{
    if (!t)
        return;
    g_ptr_array_unref(t->rows);
    g_free(t);
}

double
vkshPrettyCapacity(unsigned long long val, const char **unit)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double limit = 1024;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(units) - 1; i++) {
        if (val < limit) {
            *unit = units[i];
            return val / (limit / 1024);
        }
        limit *= 1024;
    }
    *unit = units[i];
    return val / (limit / 1024);
}

char *
vkshTypedParamValue(virTypedParameterPtr item)
{
    switch (item->type) {
    case VIR_TYPED_PARAM_INT:
        return g_strdup_printf("%d", item->value.i);
    case VIR_TYPED_PARAM_UINT:
        return g_strdup_printf("%u", item->value.ui);
    case VIR_TYPED_PARAM_LLONG:
        return g_strdup_printf("%lld", item->value.l);
    case VIR_TYPED_PARAM_ULLONG:
        return g_strdup_printf("%llu", item->value.ul);
    case VIR_TYPED_PARAM_DOUBLE:
        return g_strdup_printf("%f", item->value.d);
    case VIR_TYPED_PARAM_BOOLEAN:
        return g_strdup(item->value.b ? "yes" : "no");
    case VIR_TYPED_PARAM_STRING:
        return g_strdup(item->value.s ? item->value.s : "");
    default:
        return g_strdup_printf("(unknown type %d)", item->type);
    }
}

/* ---- JSON ------------------------------------------------------------- */

void
vkshJsonPrint(vkshControl *ctl, JsonBuilder *b)
{
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    g_autofree char *text = NULL;

    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    json_generator_set_indent(gen, 2);
    text = json_generator_to_data(gen, NULL);
    vkshPrint(ctl, "%s\n", text);
}
