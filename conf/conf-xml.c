/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conf-xml.c: parsing libvirt XML into a plain tree and formatting it back,
 * plus the value helpers (units, UUIDs, bitmaps, enums) every model shares.
 */
#include "virtkit-conf-xml.h"

#include <virtkit/virtkit.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/vk-uuid.h"
#include "vk-xml-error.h"

GQuark
virtkitConfErrorQuark(void)
{
    return g_quark_from_static_string("virtkit-conf-error");
}

GQuark
virtkitConfXmlErrorQuark(void)
{
    return g_quark_from_static_string("virtkit-conf-xml-error");
}

GQuark
virtkitConfCpuErrorQuark(void)
{
    return g_quark_from_static_string("virtkit-conf-cpu-error");
}

GQuark
virtkitConfResctrlErrorQuark(void)
{
    return g_quark_from_static_string("virtkit-conf-resctrl-error");
}

int
virtkitConfErrorCode(const GError *error, int *from)
{
    if (!error || error->code <= 0)
        return VIR_ERR_INTERNAL_ERROR;
    if (error->domain == VIRTKIT_CONF_XML_ERROR)
        *from = VIR_FROM_XML;
    else if (error->domain == VIRTKIT_CONF_CPU_ERROR)
        *from = VIR_FROM_CPU;
    else if (error->domain == VIRTKIT_CONF_RESCTRL_ERROR)
        *from = VIR_FROM_RESCTRL;
    else if (error->domain != VIRTKIT_CONF_ERROR)
        return VIR_ERR_INTERNAL_ERROR;
    return error->code;
}

/* ---- the tree ----------------------------------------------------------- */

static void
virtkitXmlAttrFree(gpointer p)
{
    virtkitXmlAttr *a = p;
    g_free(a->name);
    g_free(a->value);
    g_free(a);
}

virtkitXmlNode *
virtkitXmlNodeNew(const char *name)
{
    virtkitXmlNode *n = g_new0(virtkitXmlNode, 1);
    n->name = g_strdup(name);
    n->attrs = g_ptr_array_new_with_free_func(virtkitXmlAttrFree);
    n->children = g_ptr_array_new_with_free_func((GDestroyNotify) virtkitXmlNodeFree);
    return n;
}

void
virtkitXmlNodeFree(virtkitXmlNode *node)
{
    if (!node)
        return;
    g_ptr_array_unref(node->children);
    g_ptr_array_unref(node->attrs);
    g_free(node->name);
    g_free(node->ns_href);
    g_free(node->text);
    g_free(node->verbatim);
    g_free(node);
}

virtkitXmlNode *
virtkitXmlNodeCopy(const virtkitXmlNode *node)
{
    virtkitXmlNode *n = virtkitXmlNodeNew(node->name);
    n->ns_href = g_strdup(node->ns_href);
    n->text = g_strdup(node->text);
    n->verbatim = g_strdup(node->verbatim);
    n->line = node->line;
    n->flags = node->flags;
    for (guint i = 0; i < node->attrs->len; i++) {
        const virtkitXmlAttr *a = node->attrs->pdata[i];
        virtkitXmlNodeSetAttr(n, a->name, a->value);
    }
    for (guint i = 0; i < node->children->len; i++)
        virtkitXmlNodeAddChild(n, virtkitXmlNodeCopy(node->children->pdata[i]), -1);
    return n;
}

const char *
virtkitXmlNodeGetAttr(const virtkitXmlNode *node, const char *name)
{
    if (!node)
        return NULL;
    for (guint i = 0; i < node->attrs->len; i++) {
        const virtkitXmlAttr *a = node->attrs->pdata[i];
        if (strcmp(a->name, name) == 0)
            return a->value;
    }
    return NULL;
}

void
virtkitXmlNodeSetAttr(virtkitXmlNode *node, const char *name, const char *value)
{
    if (!value) {
        virtkitXmlNodeRemoveAttr(node, name);
        return;
    }
    for (guint i = 0; i < node->attrs->len; i++) {
        virtkitXmlAttr *a = node->attrs->pdata[i];
        if (strcmp(a->name, name) == 0) {
            char *v = g_strdup(value);
            g_free(a->value);
            a->value = v;
            return;
        }
    }
    virtkitXmlAttr *a = g_new0(virtkitXmlAttr, 1);
    a->name = g_strdup(name);
    a->value = g_strdup(value);
    g_ptr_array_add(node->attrs, a);
}

void
virtkitXmlNodeSetAttrf(virtkitXmlNode *node, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *v = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    virtkitXmlNodeSetAttr(node, name, v);
}

gboolean
virtkitXmlNodeRemoveAttr(virtkitXmlNode *node, const char *name)
{
    for (guint i = 0; i < node->attrs->len; i++) {
        const virtkitXmlAttr *a = node->attrs->pdata[i];
        if (strcmp(a->name, name) == 0) {
            g_ptr_array_remove_index(node->attrs, i);
            return TRUE;
        }
    }
    return FALSE;
}

virtkitXmlNode *
virtkitXmlNodeChild(const virtkitXmlNode *node, const char *name)
{
    if (!node)
        return NULL;
    for (guint i = 0; i < node->children->len; i++) {
        virtkitXmlNode *c = node->children->pdata[i];
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

const char *
virtkitXmlNodeChildText(const virtkitXmlNode *node, const char *name)
{
    virtkitXmlNode *c = virtkitXmlNodeChild(node, name);
    return c ? c->text : NULL;
}

guint
virtkitXmlNodeCountChildren(const virtkitXmlNode *node, const char *name)
{
    guint n = 0;
    for (guint i = 0; node && i < node->children->len; i++) {
        const virtkitXmlNode *c = node->children->pdata[i];
        if (strcmp(c->name, name) == 0)
            n++;
    }
    return n;
}

virtkitXmlNode *
virtkitXmlNodeAddChild(virtkitXmlNode *node, virtkitXmlNode *child, int index)
{
    child->parent = node;
    if (index < 0 || (guint) index >= node->children->len)
        g_ptr_array_add(node->children, child);
    else
        g_ptr_array_insert(node->children, index, child);
    return child;
}

virtkitXmlNode *
virtkitXmlNodeAddNewChild(virtkitXmlNode *node, const char *name)
{
    return virtkitXmlNodeAddChild(node, virtkitXmlNodeNew(name), -1);
}

virtkitXmlNode *
virtkitXmlNodeEnsureChild(virtkitXmlNode *node, const char *name)
{
    virtkitXmlNode *c = virtkitXmlNodeChild(node, name);
    return c ? c : virtkitXmlNodeAddNewChild(node, name);
}

void
virtkitXmlNodeRemoveChild(virtkitXmlNode *node, virtkitXmlNode *child)
{
    g_ptr_array_remove(node->children, child);
}

void
virtkitXmlNodeSetText(virtkitXmlNode *node, const char *text)
{
    char *t = g_strdup(text);
    g_free(node->text);
    node->text = t;
}

char *
virtkitXmlNodePath(const virtkitXmlNode *node)
{
    GString *s = g_string_new(NULL);
    for (const virtkitXmlNode *n = node; n; n = n->parent) {
        g_string_prepend(s, n->name);
        if (n->parent)
            g_string_prepend_c(s, '/');
    }
    return g_string_free(s, FALSE);
}

/* ---- parsing ------------------------------------------------------------ */

static gboolean
virtkitXmlIsBlank(const char *s)
{
    for (; s && *s; s++)
        if (!g_ascii_isspace(*s))
            return FALSE;
    return TRUE;
}

/* Drop whitespace-only text nodes so xmlNodeDump can re-indent the tree. */
static void
virtkitXmlStripBlanks(xmlNodePtr node)
{
    xmlNodePtr c = node->children;
    while (c) {
        xmlNodePtr next = c->next;
        if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c) && node->children != node->last) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else if (c->type == XML_COMMENT_NODE) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else if (c->type == XML_ELEMENT_NODE) {
            virtkitXmlStripBlanks(c);
        }
        c = next;
    }
}

/* <metadata> children: each formatted by libxml2 with its namespace
 * declarations made local, indented under <metadata>. */
static char *
virtkitXmlFormatMetadata(xmlNodePtr meta, int indent)
{
    GString *out = g_string_new(NULL);
    for (xmlNodePtr c = meta->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
        xmlNodePtr copy = xmlDocCopyNode(c, doc, 1);
        if (!copy) {
            xmlFreeDoc(doc);
            continue;
        }
        xmlDocSetRootElement(doc, copy);
        xmlReconciliateNs(doc, copy);
        virtkitXmlStripBlanks(copy);
        xmlBufferPtr xb = xmlBufferCreate();
        xmlNodeDump(xb, doc, copy, 0, 1);
        g_auto(GStrv) lines = g_strsplit((const char *) xmlBufferContent(xb), "\n", -1);
        for (guint i = 0; lines[i]; i++) {
            if (!*lines[i])
                continue;
            g_string_append_printf(out, "%*s%s\n", indent, "", lines[i]);
        }
        xmlBufferFree(xb);
        xmlFreeDoc(doc);
    }
    return g_string_free(out, FALSE);
}

static virtkitXmlNode *
virtkitXmlConvert(xmlNodePtr x, int depth, GError **error)
{
    g_autoptr(virtkitXmlNode) n = NULL;
    g_autofree char *name = NULL;

    if (depth > 256) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                    "XML error at line %d: elements are nested more than 256 deep",
                    (int) xmlGetLineNo(x));
        return NULL;
    }
    if (x->ns && x->ns->href && x->ns->prefix)
        name = g_strdup_printf("%s:%s", (const char *) x->ns->prefix, (const char *) x->name);
    else
        name = g_strdup((const char *) x->name);
    n = virtkitXmlNodeNew(name);
    if (x->ns && x->ns->href)
        n->ns_href = g_strdup((const char *) x->ns->href);
    n->line = (int) xmlGetLineNo(x);

    for (xmlAttrPtr a = x->properties; a; a = a->next) {
        xmlChar *v = xmlNodeGetContent((xmlNodePtr) a);
        g_autofree char *aname = NULL;
        if (a->ns && a->ns->prefix)
            aname = g_strdup_printf("%s:%s", (const char *) a->ns->prefix, (const char *) a->name);
        else
            aname = g_strdup((const char *) a->name);
        virtkitXmlNodeSetAttr(n, aname, v ? (const char *) v : "");
        xmlFree(v);
    }

    if (!x->ns && strcmp((const char *) x->name, "metadata") == 0 && x->parent &&
        x->parent->type == XML_ELEMENT_NODE && !x->parent->parent->parent) {
        n->verbatim = virtkitXmlFormatMetadata(x, 0);
        return g_steal_pointer(&n);
    }

    GString *text = NULL;
    for (xmlNodePtr c = x->children; c; c = c->next) {
        switch (c->type) {
        case XML_ELEMENT_NODE: {
            virtkitXmlNode *child = virtkitXmlConvert(c, depth + 1, error);
            if (!child) {
                if (text)
                    g_string_free(text, TRUE);
                return NULL;
            }
            virtkitXmlNodeAddChild(n, child, -1);
            break;
        }
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (!text)
                text = g_string_new(NULL);
            g_string_append(text, (const char *) c->content);
            break;
        case XML_ENTITY_REF_NODE:
            if (text)
                g_string_free(text, TRUE);
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                        "XML error at line %d: entity reference '&%s;' in <%s> is not allowed",
                        (int) xmlGetLineNo(c), (const char *) c->name, n->name);
            return NULL;
        default:
            break;
        }
    }
    if (text) {
        if (n->children->len == 0 || !virtkitXmlIsBlank(text->str))
            n->text = g_strdup(text->str);
        g_string_free(text, TRUE);
    }
    return g_steal_pointer(&n);
}

virtkitXmlNode *
virtkitXmlParse(const char *xml, gsize max_size, const char *root_name,
                const char *what, GError **error)
{
    gsize len;
    vkXmlErrors xerr;
    xmlDocPtr doc;
    virtkitXmlNode *root;

    if (!what)
        what = "document";
    if (!xml) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG,
                    "No XML given for the %s", what);
        return NULL;
    }
    if (max_size == 0)
        max_size = VIRTKIT_XML_DEFAULT_MAX_SIZE;
    len = strnlen(xml, max_size + 1);
    if (len > max_size) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                    "XML error: the %s is larger than the limit of %" G_GSIZE_FORMAT " bytes",
                    what, max_size);
        return NULL;
    }
    if (len > G_MAXINT) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                    "XML error: the %s is too large", what);
        return NULL;
    }

    /* No XML_PARSE_NOENT (entities stay references, refused below), no
     * XML_PARSE_DTDLOAD/DTDATTR/DTDVALID, no network; libxml2's errors to
     * the scope's handler, never the application's stderr. */
    vkXmlErrorsBegin(&xerr);
    doc = vkXmlReadMemory(&xerr, xml, (int) len, XML_PARSE_NOCDATA);
    if (!doc) {
        /* libvirt's code and shape for a document that is not well formed:
         * "(domain_definition):LINE: MESSAGE", then the line and a caret
         * under the column. */
        g_autofree char *label = g_strdelimit(g_strdup(what), " ", '_');
        g_autofree char *msg = vkXmlErrorsFormat(&xerr, label, xml);

        vkXmlErrorsEnd(&xerr);
        g_set_error_literal(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL, msg);
        return NULL;
    }
    vkXmlErrorsEnd(&xerr);

    if (doc->intSubset && (doc->intSubset->entities || doc->intSubset->pentities)) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                    "XML error in the %s: entity declarations are not allowed", what);
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlNodePtr xroot = xmlDocGetRootElement(doc);
    if (!xroot) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                    "XML error in the %s: no root element", what);
        xmlFreeDoc(doc);
        return NULL;
    }
    if (root_name && (xroot->ns || strcmp((const char *) xroot->name, root_name) != 0)) {
        /* libvirt's words, which scripts match */
        g_set_error(error, VIRTKIT_CONF_XML_ERROR, VIR_ERR_XML_ERROR,
                    "expecting root element of '%s', not '%s'",
                    root_name, (const char *) xroot->name);
        xmlFreeDoc(doc);
        return NULL;
    }
    root = virtkitXmlConvert(xroot, 0, error);
    xmlFreeDoc(doc);
    return root;
}

/* ---- formatting --------------------------------------------------------- */

void
virtkitXmlEscape(GString *buf, const char *text)
{
    const char *run = text;     /* the characters written as they are */

    for (const char *p = text; p && *p; p++) {
        const char *with;
        unsigned char c = (unsigned char) *p;

        switch (c) {
        case '&': with = "&amp;"; break;
        case '<': with = "&lt;"; break;
        case '>': with = "&gt;"; break;
        case '\'': with = "&apos;"; break;
        case '"': with = "&quot;"; break;
        default:
            /* Control characters other than tab/newline/CR cannot appear in
             * XML 1.0 at all: drop them rather than write a broken document. */
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                with = "";
                break;
            }
            continue;
        }
        virtkitXmlPut(buf, run, p - run);
        virtkitXmlPutStr(buf, with);
        run = p + 1;
    }
    if (run && *run)
        virtkitXmlPutStr(buf, run);
}

static const char *
virtkitXmlNsPrefix(const char *name, char *out, gsize outlen)
{
    const char *colon = strchr(name, ':');
    if (!colon || (gsize) (colon - name) >= outlen)
        return NULL;
    memcpy(out, name, colon - name);
    out[colon - name] = '\0';
    return out;
}

void
virtkitXmlFormat(GString *buf, const virtkitXmlNode *node, int indent)
{
    char pfx[64];
    g_string_append_printf(buf, "%*s<%s", indent, "", node->name);
    if (node->ns_href && virtkitXmlNsPrefix(node->name, pfx, sizeof(pfx)) &&
        !(node->parent && node->parent->ns_href &&
          strcmp(node->parent->ns_href, node->ns_href) == 0)) {
        g_string_append_printf(buf, " xmlns:%s='", pfx);
        virtkitXmlEscape(buf, node->ns_href);
        g_string_append_c(buf, '\'');
    }
    for (guint i = 0; i < node->attrs->len; i++) {
        const virtkitXmlAttr *a = node->attrs->pdata[i];
        g_string_append_printf(buf, " %s='", a->name);
        virtkitXmlEscape(buf, a->value);
        g_string_append_c(buf, '\'');
    }
    if (node->verbatim && *node->verbatim) {
        g_string_append(buf, ">\n");
        g_auto(GStrv) lines = g_strsplit(node->verbatim, "\n", -1);
        for (guint i = 0; lines[i]; i++)
            if (*lines[i])
                g_string_append_printf(buf, "%*s%s\n", indent + 2, "", lines[i]);
        g_string_append_printf(buf, "%*s</%s>\n", indent, "", node->name);
        return;
    }
    if (node->children->len == 0) {
        if (node->text && *node->text) {
            g_string_append_c(buf, '>');
            virtkitXmlEscape(buf, node->text);
            g_string_append_printf(buf, "</%s>\n", node->name);
        } else if (node->flags & VIRTKIT_XML_NODE_OPEN_CLOSE) {
            g_string_append_printf(buf, ">\n%*s</%s>\n", indent, "", node->name);
        } else {
            g_string_append(buf, "/>\n");
        }
        return;
    }
    g_string_append_c(buf, '>');
    if (node->text && !virtkitXmlIsBlank(node->text))
        virtkitXmlEscape(buf, node->text);
    g_string_append_c(buf, '\n');
    for (guint i = 0; i < node->children->len; i++)
        virtkitXmlFormat(buf, node->children->pdata[i], indent + 2);
    g_string_append_printf(buf, "%*s</%s>\n", indent, "", node->name);
}

/* ---- values ------------------------------------------------------------- */

guint64
virtkitUnitScale(const char *unit)
{
    static const struct { const char *name; int power; gboolean si; } units[] = {
        { "b", 0, FALSE }, { "byte", 0, FALSE }, { "bytes", 0, FALSE },
        { "k", 1, FALSE }, { "kib", 1, FALSE }, { "kb", 1, TRUE },
        { "m", 2, FALSE }, { "mib", 2, FALSE }, { "mb", 2, TRUE },
        { "g", 3, FALSE }, { "gib", 3, FALSE }, { "gb", 3, TRUE },
        { "t", 4, FALSE }, { "tib", 4, FALSE }, { "tb", 4, TRUE },
        { "p", 5, FALSE }, { "pib", 5, FALSE }, { "pb", 5, TRUE },
        { "e", 6, FALSE }, { "eib", 6, FALSE }, { "eb", 6, TRUE },
    };
    if (!unit)
        return 0;
    for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
        if (g_ascii_strcasecmp(unit, units[i].name) == 0) {
            guint64 s = 1;
            for (int p = 0; p < units[i].power; p++)
                s *= units[i].si ? 1000 : 1024;
            return s;
        }
    }
    return 0;
}

gboolean
virtkitParseUInt64(const char *s, guint64 *out)
{
    char *end = NULL;
    guint64 v;
    if (!s || !*s || *s == '-' || g_ascii_isspace(*s))
        return FALSE;
    errno = 0;
    v = g_ascii_strtoull(s, &end, 0);
    if (errno || !end || *end)
        return FALSE;
    *out = v;
    return TRUE;
}

gboolean
virtkitParseInt64(const char *s, gint64 *out)
{
    char *end = NULL;
    gint64 v;
    if (!s || !*s || g_ascii_isspace(*s))
        return FALSE;
    errno = 0;
    v = g_ascii_strtoll(s, &end, 10);
    if (errno || !end || *end)
        return FALSE;
    *out = v;
    return TRUE;
}

gboolean
virtkitParseScaled(const char *value, const char *unit, const char *default_unit,
                   const char *result_unit, guint64 max, const char *what,
                   guint64 *result, GError **error)
{
    guint64 v, scale, rscale;

    if (!virtkitParseUInt64(value, &v)) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL,
                    "Invalid value '%s' for <%s>: expected a non-negative integer",
                    value ? value : "", what);
        return FALSE;
    }
    scale = virtkitUnitScale(unit ? unit : default_unit);
    if (scale == 0) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG,
                    "Unknown unit '%s' for <%s>", unit ? unit : "", what);
        return FALSE;
    }
    rscale = virtkitUnitScale(result_unit);
    if (v > G_MAXUINT64 / scale) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_OVERFLOW,
                    "Value '%s %s' for <%s> is too large", value, unit ? unit : default_unit,
                    what);
        return FALSE;
    }
    v *= scale;
    v = v / rscale + (v % rscale ? 1 : 0);
    if (v > max) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_OVERFLOW,
                    "Value '%s %s' for <%s> exceeds the limit of %" G_GUINT64_FORMAT " %s",
                    value, unit ? unit : default_unit, what, max, result_unit);
        return FALSE;
    }
    *result = v;
    return TRUE;
}

gboolean
virtkitUUIDParse(const char *str, unsigned char uuid[16])
{
    /* The core's parser, so <uuid> and the API take the same texts. */
    return vkUUIDParseText(str, uuid) == 0;
}

void
virtkitUUIDFormat(const unsigned char u[16], char out[37])
{
    g_snprintf(out, 37,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
               u[12], u[13], u[14], u[15]);
}

void
virtkitUUIDGenerate(unsigned char uuid[16])
{
    g_autofree char *s = g_uuid_string_random();
    virtkitUUIDParse(s, uuid);
}

/* Sets (or clears) bits @lo..@hi of @words a word at a time. */
static void
virtkitXmlBitmapRange(guint64 *words, guint64 lo, guint64 hi, gboolean on)
{
    while (lo <= hi) {
        guint64 w = lo / 64, bit = lo % 64;
        guint64 n = MIN(64 - bit, hi - lo + 1);
        guint64 mask = (n == 64 ? G_MAXUINT64 : ((G_GUINT64_CONSTANT(1) << n) - 1)) << bit;
        if (on)
            words[w] |= mask;
        else
            words[w] &= ~mask;
        lo += n;
    }
}

/* The word bitmap of @str (max_bit / 64 + 1 words), *top its highest set
 * bit ever; NULL with @error when @str is not a bitmap. */
static guint64 *
virtkitBitmapParseWords(const char *str, guint max_bit, guint64 *top, GError **error)
{
    /* A word bitmap: a range costs (its width / 64) word operations and the
     * scan stops at the highest bit ever set, so a long list of wide ranges
     * ("0-65535,0-65535,...") costs what its text does, not a hash insert
     * per bit. */
    g_autofree guint64 *set = NULL;
    g_auto(GStrv) parts = NULL;
    gboolean any = FALSE;

    *top = 0;
    if (!str)
        str = "";
    parts = g_strsplit(str, ",", -1);
    for (guint i = 0; parts[i]; i++) {
        g_autofree char *t = g_strstrip(g_strdup(parts[i]));
        gboolean neg = FALSE;
        guint64 lo, hi;
        char *dash;
        if (*t == '^') {
            neg = TRUE;
            memmove(t, t + 1, strlen(t));
        }
        dash = strchr(t, '-');
        if (dash && !neg) {
            *dash = '\0';
            if (!virtkitParseUInt64(t, &lo) || !virtkitParseUInt64(dash + 1, &hi) || lo > hi)
                goto bad;
        } else {
            if (!virtkitParseUInt64(t, &lo))
                goto bad;
            hi = lo;
        }
        if (hi > max_bit) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG,
                        "Bit %" G_GUINT64_FORMAT " in '%s' is above the limit of %u",
                        hi, str, max_bit);
            return NULL;
        }
        if (!set)
            set = g_new0(guint64, (gsize) max_bit / 64 + 1);
        virtkitXmlBitmapRange(set, lo, hi, !neg);
        if (!neg)
            *top = MAX(*top, hi);
        any = TRUE;
    }
    if (!any)
        goto bad;
    return g_steal_pointer(&set);

 bad:
    g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL,
                "Invalid CPU or node set '%s'", str);
    return NULL;
}

GArray *
virtkitBitmapParse(const char *str, guint max_bit, GError **error)
{
    guint64 top;
    g_autofree guint64 *set = virtkitBitmapParseWords(str, max_bit, &top, error);
    GArray *bits;

    if (!set)
        return NULL;
    bits = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint64 w = 0; w <= top / 64; w++) {
        for (guint64 v = set[w]; v; v &= v - 1) {
            guint b = (guint) (w * 64 + (guint64) __builtin_ctzll(v));
            g_array_append_val(bits, b);
        }
    }
    return bits;
}

GArray *
virtkitBitmapParseRanges(const char *str, guint max_bit, GError **error)
{
    guint64 top;
    g_autofree guint64 *set = virtkitBitmapParseWords(str, max_bit, &top, error);
    GArray *ranges;
    guint64 b = 0, end;

    if (!set)
        return NULL;
    ranges = g_array_new(FALSE, FALSE, sizeof(virtkitBitRange));
    end = (top / 64 + 1) * 64;
    /* run by run: a run costs its number of words, not its number of bits */
    while (b < end) {
        virtkitBitRange r;
        guint64 w = b / 64, v = set[w] >> (b % 64);

        if (!v) {
            b = (w + 1) * 64;
            continue;
        }
        b += (guint64) __builtin_ctzll(v);
        r.first = (guint) b;
        for (;;) {
            guint64 inv = ~set[b / 64] >> (b % 64);
            if (inv) {
                b += (guint64) __builtin_ctzll(inv);
                break;
            }
            b = (b / 64 + 1) * 64;
            if (b >= end)
                break;
        }
        r.last = (guint) MIN(b, end) - 1;
        g_array_append_val(ranges, r);
    }
    return ranges;
}

char *
virtkitBitmapFormat(const GArray *bits)
{
    GString *s = g_string_new(NULL);
    guint i = 0;
    while (i < bits->len) {
        guint start = g_array_index(bits, guint, i), end = start;
        while (i + 1 < bits->len && g_array_index(bits, guint, i + 1) == end + 1) {
            end++;
            i++;
        }
        if (s->len)
            g_string_append_c(s, ',');
        if (end == start)
            g_string_append_printf(s, "%u", start);
        else
            g_string_append_printf(s, "%u-%u", start, end);
        i++;
    }
    return g_string_free(s, FALSE);
}

char *
virtkitBitmapNormalize(const char *str, GError **error)
{
    g_autoptr(GArray) bits = virtkitBitmapParse(str, 65535, error);
    if (!bits)
        return NULL;
    return virtkitBitmapFormat(bits);
}

int
virtkitEnumFromString(const char *const *names, const char *str)
{
    if (!str)
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], str) == 0)
            return i;
    return -1;
}

const char *
virtkitEnumToString(const char *const *names, int value)
{
    for (int i = 0; names[i]; i++)
        if (i == value)
            return names[i];
    return NULL;
}

void
virtkitMacGenerate(char out[18])
{
    g_snprintf(out, 18, "52:54:00:%02x:%02x:%02x", g_random_int_range(0, 256),
               g_random_int_range(0, 256), g_random_int_range(0, 256));
}
