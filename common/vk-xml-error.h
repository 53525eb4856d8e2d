/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vk-xml-error.h: libxml2 never reports through its default handlers.
 *
 * libxml2's default error and warning handlers write to the process's
 * stderr: an application linking libvirtkit (or a plugin parsing what a
 * client sent) would get parser, namespace, tree and XPath messages on its
 * own stderr.  Every libxml2 call in virtkit runs inside a vkXmlErrors
 * scope instead: the thread's structured (and generic) handler collects
 * the errors, and the scope's end puts back whatever the application had
 * set.  libxml2 keeps these handlers per thread, so a scope affects only
 * the calling thread, for its duration.
 *
 * The source is compiled into each component that needs it (the conf
 * archive that plugins link, vksh), each copy hidden in its binary.
 */
#ifndef VK_XML_ERROR_H
#define VK_XML_ERROR_H

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

G_BEGIN_DECLS

typedef struct {
    xmlStructuredErrorFunc saved_fn;   /* the thread's handlers before the scope */
    void *saved_data;
    xmlGenericErrorFunc saved_generic;
    void *saved_generic_data;
    guint count;                       /* errors and warnings seen */
    int line;                          /* of the first fatal error */
    int column;
    char *message;                     /* its text, chomped */
} vkXmlErrors;

/* Starts a scope on the calling thread; @e needs no initialisation.  Every
 * vkXmlErrorsBegin has its vkXmlErrorsEnd on the same thread. */
void vkXmlErrorsBegin(vkXmlErrors *e);

/* Ends the scope: the thread's handlers are the application's again, and
 * what @e collected is freed. */
void vkXmlErrorsEnd(vkXmlErrors *e);

/* Parses @len bytes of @xml inside the scope @e: no network, no entity
 * substitution, no DTD loading, the parser's own messages off.  Returns
 * the document, or NULL with @e holding the first error when the input is
 * not well formed (a document libxml2 recovered is freed and refused). */
xmlDocPtr vkXmlReadMemory(vkXmlErrors *e, const char *xml, int len, int extra_options);

/* libvirt's words for a document that is not well formed, as its parser
 * reports them (VIR_ERR_XML_DETAIL): "(LABEL):LINE: MESSAGE", then that
 * line of @xml (at most 80 bytes, "(null)" when there is none) and a caret
 * under the column.  g_free() the result. */
char *vkXmlErrorsFormat(const vkXmlErrors *e, const char *label, const char *xml);

G_END_DECLS

#endif /* VK_XML_ERROR_H */
