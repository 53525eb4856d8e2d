/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vk-xml-error.c: see vk-xml-error.h.
 */
#include "vk-xml-error.h"

#include <string.h>

static void
vkXmlErrorsStructured(void *data, xmlErrorPtr err)
{
    vkXmlErrors *e = data;

    e->count++;
    /* the first fatal error, as libvirt's handler keeps it */
    if (!err || err->level != XML_ERR_FATAL || e->message)
        return;
    e->message = g_strchomp(g_strdup(err->message ? err->message : "malformed document"));
    e->line = err->line;
    e->column = err->int2;
}

static void G_GNUC_PRINTF(2, 3)
vkXmlErrorsGeneric(void *data, const char *fmt, ...)
{
    vkXmlErrors *e = data;

    /* reached only by libxml2 paths without a structured report; the text
     * comes in pieces, so only the fact is kept */
    (void)fmt;
    e->count++;
}

void
vkXmlErrorsBegin(vkXmlErrors *e)
{
    memset(e, 0, sizeof(*e));
    e->saved_fn = xmlStructuredError;
    e->saved_data = xmlStructuredErrorContext;
    e->saved_generic = xmlGenericError;
    e->saved_generic_data = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(e, vkXmlErrorsStructured);
    xmlSetGenericErrorFunc(e, vkXmlErrorsGeneric);
}

void
vkXmlErrorsEnd(vkXmlErrors *e)
{
    xmlSetStructuredErrorFunc(e->saved_data, e->saved_fn);
    /* NULL puts libxml2's default back, which is what was there */
    xmlSetGenericErrorFunc(e->saved_generic_data, e->saved_generic);
    g_clear_pointer(&e->message, g_free);
}

xmlDocPtr
vkXmlReadMemory(vkXmlErrors *e, const char *xml, int len, int extra_options)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDocPtr doc;

    if (!ctxt) {
        if (!e->message)
            e->message = g_strdup("cannot allocate an XML parser");
        return NULL;
    }
    /* the context has no structured channel of its own, so libxml2 reports
     * the parser's errors to the thread's, which the scope set */
    doc = xmlCtxtReadMemory(ctxt, xml, len, NULL, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                            extra_options);
    if (doc && !ctxt->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && !e->message) {
        const xmlError *last = xmlCtxtGetLastError(ctxt);
        e->message = g_strchomp(g_strdup(last && last->message ? last->message
                                                               : "malformed document"));
        e->line = last ? last->line : 0;
        e->column = last ? last->int2 : 0;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

char *
vkXmlErrorsFormat(const vkXmlErrors *e, const char *label, const char *xml)
{
    int line = e->line, col = e->column;
    g_auto(GStrv) lines = g_strsplit(xml ? xml : "", "\n", -1);
    const char *text = (line > 0 && (guint)line <= g_strv_length(lines)) ? lines[line - 1] : "";
    /* At the very end of the input libvirt has no context to show and
     * prints "(null)" there; scripts see that text, so keep it. */
    g_autofree char *shown = *text ? g_strndup(text, 80) : g_strdup("(null)");
    g_autofree char *caret = g_strnfill(col > 1 && *text ? MIN((gsize)col - 1, strlen(shown)) : 0,
                                        '-');

    return g_strdup_printf("(%s):%d: %s\n%s\n%s^", label, line,
                           e->message ? e->message : "malformed document", shown, caret);
}
