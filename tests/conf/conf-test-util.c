/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conf-test-util.h"

#include "virtkit-conf-domain.h"

#include <virtkit/virtkit.h>

#include <gio/gio.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <string.h>

char *
conf_test_format_like_test_driver(const char *xml, GError **error)
{
    g_autoptr(virtkitCaps) caps = virtkitCapsNewTestDefault();
    /* the test driver keeps no foreign namespace */
    static const char *const no_ns[] = { NULL };
    virtkitDomainParseOptions opts = { .caps = caps, .keep_namespaces = no_ns };
    g_autoptr(virtkitDomainDef) def = virtkitDomainDefParseString(xml, &opts, 0, error);
    guint counter = 0;
    if (!def)
        return NULL;
    /* libvirt's test driver names every interface on define */
    virtkitDomainDefAssignIfnames(def, "testnet", &counter);
    return virtkitDomainDefFormat(def, VIR_DOMAIN_XML_SECURE);
}

char *
conf_test_virsh_dump(const char *path, const char *name, GError **error)
{
    g_autofree char *script = g_strdup_printf("define '%s'; dumpxml --security-info '%s'",
                                              path, name);
    g_autoptr(GSubprocess) p = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                G_SUBPROCESS_FLAGS_STDERR_PIPE, error,
                                                "virsh", "-q", "-c", "test:///default",
                                                script, NULL);
    char *out = NULL, *err = NULL;
    if (!p)
        return NULL;
    if (!g_subprocess_communicate_utf8(p, NULL, NULL, &out, &err, error))
        return NULL;
    if (!g_subprocess_get_successful(p)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "virsh failed: %s", err);
        g_free(out);
        g_free(err);
        return NULL;
    }
    g_free(err);
    return out;
}

typedef struct {
    const char *input;
} MaskData;

static gboolean
mask_cb(const GMatchInfo *info, GString *res, gpointer data)
{
    const MaskData *d = data;
    g_autofree char *all = g_match_info_fetch(info, 0);
    g_autofree char *pre = g_match_info_fetch(info, 1);
    g_autofree char *val = g_match_info_fetch(info, 2);
    g_autofree char *post = g_match_info_fetch(info, 3);
    if (strstr(d->input, val))
        g_string_append(res, all);
    else
        g_string_append_printf(res, "%sGENERATED%s", pre, post);
    return FALSE;
}

char *
conf_test_mask_generated(const char *xml, const char *input)
{
    static const char *const patterns[] = {
        "(<uuid>)([0-9a-f-]{36})(</uuid>)",
        "(<mac address=')([0-9a-f:]{17})(')",
        "( instanceid=')([0-9a-f-]{36})(')",
        "( interfaceid=')([0-9a-f-]{36})(')",
    };
    MaskData d = { input };
    char *cur = g_strdup(xml);
    for (guint i = 0; i < G_N_ELEMENTS(patterns); i++) {
        g_autoptr(GRegex) re = g_regex_new(patterns[i], 0, 0, NULL);
        char *next = g_regex_replace_eval(re, cur, -1, 0, 0, mask_cb, &d, NULL);
        g_free(cur);
        cur = next;
    }
    return cur;
}

static void
collect_error(void *ctx, const char *fmt, ...)
{
    GString *s = ctx;
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(s, fmt, ap);
    va_end(ap);
}

char *
conf_test_relaxng_errors(const char *xml, const char *schema_path)
{
    GString *errs = g_string_new(NULL);
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewParserCtxt(schema_path);
    xmlRelaxNGPtr schema;
    xmlRelaxNGValidCtxtPtr vctxt;
    xmlDocPtr doc;

    xmlRelaxNGSetParserErrors(pctxt, collect_error, collect_error, errs);
    schema = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!schema) {
        g_string_prepend(errs, "cannot load the schema: ");
        return g_string_free(errs, FALSE);
    }
    doc = xmlReadMemory(xml, (int) strlen(xml), NULL, NULL, XML_PARSE_NONET);
    if (!doc) {
        xmlRelaxNGFree(schema);
        g_string_append(errs, "our output is not well-formed");
        return g_string_free(errs, FALSE);
    }
    vctxt = xmlRelaxNGNewValidCtxt(schema);
    xmlRelaxNGSetValidErrors(vctxt, collect_error, collect_error, errs);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlRelaxNGFree(schema);
    xmlFreeDoc(doc);
    if (rc == 0) {
        g_string_free(errs, TRUE);
        return NULL;
    }
    if (errs->len == 0)
        g_string_append_printf(errs, "validation failed (%d)", rc);
    return g_string_free(errs, FALSE);
}

char *
conf_test_diff(const char *expected, const char *actual)
{
    g_auto(GStrv) a = g_strsplit(expected, "\n", -1);
    g_auto(GStrv) b = g_strsplit(actual, "\n", -1);
    guint na = g_strv_length(a), nb = g_strv_length(b);
    GString *out = g_string_new(NULL);
    /* LCS table: documents are small */
    guint *t = g_new0(guint, (na + 1) * (nb + 1));
#define T(i, j) t[(i) * (nb + 1) + (j)]
    for (int i = (int) na - 1; i >= 0; i--)
        for (int j = (int) nb - 1; j >= 0; j--)
            T(i, j) = strcmp(a[i], b[j]) == 0 ? T(i + 1, j + 1) + 1
                                              : MAX(T(i + 1, j), T(i, j + 1));
    guint i = 0, j = 0;
    while (i < na || j < nb) {
        if (i < na && j < nb && strcmp(a[i], b[j]) == 0) {
            i++, j++;
        } else if (j < nb && (i == na || T(i, j + 1) >= T(i + 1, j))) {
            g_string_append_printf(out, "+ %s\n", b[j++]);
        } else {
            g_string_append_printf(out, "- %s\n", a[i++]);
        }
    }
#undef T
    g_free(t);
    return g_string_free(out, FALSE);
}
