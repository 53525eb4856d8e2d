/*
 * vksh-xml.h: the little XML reading vksh needs (disk lists, --xpath),
 * with libxml2, network access and entity expansion off.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VKSH_XML_H
# define VKSH_XML_H

# include <libxml/tree.h>
# include "vksh.h"

typedef struct _vkshXml vkshXml;

/* Parses @xml; prints an error and returns NULL when it does not parse. */
vkshXml *vkshXmlParse(vkshControl *ctl, const char *xml);
void vkshXmlFree(vkshXml *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkshXml, vkshXmlFree)

/* The first node matching @xpath, or NULL. */
xmlNodePtr vkshXmlFirst(vkshXml *doc, const char *xpath);
/* The next sibling element of @node named @name, or NULL. */
xmlNodePtr vkshXmlNextSibling(xmlNodePtr node, const char *name);
/* Attribute @attr of @node's first child element @child (or of @node
 * itself when @child is NULL); a new string or NULL. */
char *vkshXmlProp(xmlNodePtr node, const char *child, const char *attr);

/* The string value of XPath @xpath (as XPath's string()), or NULL when
 * it is empty: virXPathString's contract. */
char *vkshXmlString(vkshXml *doc, const char *xpath);
/* Whether @xpath selects at least one node. */
bool vkshXmlHas(vkshXml *doc, const char *xpath);

/* Prints the nodes @xpath selects in @xml (wrapped in <nodes> with @wrap),
 * as virsh's --xpath does. */
bool vkshXmlXPathPrint(vkshControl *ctl, const char *xml, const char *xpath, bool wrap);

#endif /* VKSH_XML_H */
