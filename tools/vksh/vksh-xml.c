/*
 * vksh-xml.c: see vksh-xml.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xmlsave.h>

#include "vksh-xml.h"
#include "vk-xml-error.h"

struct _vkshXml {
    xmlDocPtr doc;
    xmlXPathContextPtr ctxt;
};

vkshXml *
vkshXmlParse(vkshControl *ctl, const char *xml)
{
    vkshXml *d;
    vkXmlErrors xerr;
    xmlDocPtr doc;

    vkXmlErrorsBegin(&xerr);
    doc = vkXmlReadMemory(&xerr, xml, (int)strlen(xml), XML_PARSE_NOBLANKS);
    vkXmlErrorsEnd(&xerr);
    if (!doc) {
        vkshError(ctl, "%s", "Failed to parse domain XML");
        return NULL;
    }
    d = g_new0(vkshXml, 1);
    d->doc = doc;
    d->ctxt = xmlXPathNewContext(doc);
    return d;
}

void
vkshXmlFree(vkshXml *d)
{
    if (!d)
        return;
    xmlXPathFreeContext(d->ctxt);
    xmlFreeDoc(d->doc);
    g_free(d);
}

xmlNodePtr
vkshXmlFirst(vkshXml *d, const char *xpath)
{
    xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)xpath, d->ctxt);
    xmlNodePtr node = NULL;

    if (obj && obj->type == XPATH_NODESET && obj->nodesetval && obj->nodesetval->nodeNr > 0)
        node = obj->nodesetval->nodeTab[0];
    xmlXPathFreeObject(obj);
    return node;
}

char *
vkshXmlString(vkshXml *d, const char *xpath)
{
    g_autofree char *expr = g_strdup_printf("string(%s)", xpath);
    xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)expr, d->ctxt);
    char *ret = NULL;

    if (obj && obj->type == XPATH_STRING && obj->stringval && *obj->stringval)
        ret = g_strdup((const char *)obj->stringval);
    xmlXPathFreeObject(obj);
    return ret;
}

bool
vkshXmlHas(vkshXml *d, const char *xpath)
{
    return vkshXmlFirst(d, xpath) != NULL;
}

xmlNodePtr
vkshXmlNextSibling(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr n = node->next; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return n;
    }
    return NULL;
}

char *
vkshXmlProp(xmlNodePtr node, const char *child, const char *attr)
{
    xmlNodePtr n = node;
    xmlChar *v;
    char *ret;

    if (child) {
        for (n = node->children; n; n = n->next) {
            if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, child) == 0)
                break;
        }
        if (!n)
            return NULL;
    }
    if (!(v = xmlGetProp(n, (const xmlChar *)attr)))
        return NULL;
    ret = g_strdup((const char *)v);
    xmlFree(v);
    return ret;
}

bool
vkshXmlXPathPrint(vkshControl *ctl, const char *xml, const char *xpath, bool wrap)
{
    g_autoptr(vkshXml) d = vkshXmlParse(ctl, xml);
    xmlXPathObjectPtr obj;
    g_autoptr(GString) out = g_string_new(NULL);

    if (!d)
        return false;
    obj = xmlXPathEvalExpression((const xmlChar *)xpath, d->ctxt);
    if (!obj || obj->type != XPATH_NODESET) {
        xmlXPathFreeObject(obj);
        vkshError(ctl, "internal error: Incorrect xpath '%s'", xpath);
        return false;
    }
    if (wrap) {
        /* copies of the nodes under one <nodes> element, as virsh does */
        xmlDocPtr wdoc = xmlNewDoc((const xmlChar *)"1.0");
        xmlNodePtr root = xmlNewNode(NULL, (const xmlChar *)"nodes");
        xmlBufferPtr buf = xmlBufferCreate();

        xmlDocSetRootElement(wdoc, root);
        for (int i = 0; obj->nodesetval && i < obj->nodesetval->nodeNr; i++) {
            xmlNodePtr copy = xmlDocCopyNode(obj->nodesetval->nodeTab[i], wdoc, 1);
            if (copy && !xmlAddChild(root, copy))
                xmlFreeNode(copy);
        }
        xmlNodeDump(buf, wdoc, root, 0, 1);
        g_string_append_printf(out, "%s\n", (const char *)xmlBufferContent(buf));
        xmlBufferFree(buf);
        xmlFreeDoc(wdoc);
    } else {
        for (int i = 0; obj->nodesetval && i < obj->nodesetval->nodeNr; i++) {
            xmlBufferPtr buf = xmlBufferCreate();

            xmlNodeDump(buf, d->doc, obj->nodesetval->nodeTab[i], 0, 1);
            g_string_append_printf(out, "%s\n", (const char *)xmlBufferContent(buf));
            xmlBufferFree(buf);
        }
    }
    xmlXPathFreeObject(obj);
    vkshPrint(ctl, "%s", out->str);
    return true;
}
