/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * virtkit-conf-xml.h: the XML helpers every model of libvirtkit-conf is built
 * on (domain, capabilities, node; network, storage and snapshot later).
 *
 * A document is read with libxml2 with network access, entity expansion and
 * DTD loading off and a size limit, and turned into a plain tree of
 * virtkitXmlNode (name, ordered attributes, text, children).  The models
 * walk and rewrite that tree without XPath and format it back the way
 * libvirt does: two spaces per level, attributes in single quotes, and
 * & < > ' " escaped in attributes and text alike.
 *
 * Errors are reported through GError in the domain VIRTKIT_CONF_ERROR; the
 * code is the libvirt virErrorNumber that the condition maps to, so a plugin
 * forwards code and message to the core unchanged.
 *
 * Thread rules: nothing here has global state apart from libxml2's own; a
 * tree belongs to one thread at a time.
 *
 * Naming, for all of conf/ (one style; tests/check-conf-names.py holds it):
 * functions, types, struct tags and file-scope variables are virtkit +
 * CamelCase, virtkit<Object><Verb> (virtkitDomainDefParseString), static
 * ones included (virtkitDomainPostDisks), so a backtrace or sanitizer report
 * names conf/ at once and no helper clashes with a plugin's; macros in
 * headers are VIRTKIT_UPPER_CASE; struct fields, parameters and locals are
 * snake_case, as in GLib.
 */
#ifndef VIRTKIT_CONF_XML_H
#define VIRTKIT_CONF_XML_H

#include <string.h>
#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/**
 * VIRTKIT_CONF_ERROR:
 *
 * The GError domain ("virtkit-conf-error") of libvirtkit-conf.  Codes are
 * virErrorNumber values: VIR_ERR_XML_ERROR for documents that are not
 * well-formed or too big, VIR_ERR_XML_DETAIL for values that do not parse,
 * VIR_ERR_CONFIG_UNSUPPORTED for what the model refuses, and so on.
 *
 * Since: 0.1.0
 */
#define VIRTKIT_CONF_ERROR (virtkitConfErrorQuark())
GQuark virtkitConfErrorQuark(void);

/**
 * VIRTKIT_CONF_XML_ERROR:
 *
 * The GError domain ("virtkit-conf-xml-error") of the few conditions that
 * libvirt reports from its XML layer (VIR_FROM_XML) rather than from the
 * model being parsed: a document whose root element is not the expected
 * one ("expecting root element of 'domain', not 'pool'").  Codes are
 * virErrorNumber values, as in VIRTKIT_CONF_ERROR.
 *
 * Since: 0.1.0
 */
#define VIRTKIT_CONF_XML_ERROR (virtkitConfXmlErrorQuark())
GQuark virtkitConfXmlErrorQuark(void);

/**
 * VIRTKIT_CONF_CPU_ERROR:
 *
 * The GError domain ("virtkit-conf-cpu-error") of what libvirt reports
 * from its CPU layer (VIR_FROM_CPU) while parsing a definition's <cpu>
 * ("CPU vendor specified without CPU model").  Codes are virErrorNumber
 * values, as in VIRTKIT_CONF_ERROR.
 *
 * Since: 0.1.0
 */
#define VIRTKIT_CONF_CPU_ERROR (virtkitConfCpuErrorQuark())
GQuark virtkitConfCpuErrorQuark(void);

/**
 * VIRTKIT_CONF_RESCTRL_ERROR:
 *
 * The GError domain ("virtkit-conf-resctrl-error") of what libvirt reports
 * from its resctrl layer (VIR_FROM_RESCTRL) while parsing <cachetune> and
 * <memorytune> ("Colliding cache allocations ...").  Codes are
 * virErrorNumber values, as in VIRTKIT_CONF_ERROR.
 *
 * Since: 0.1.0
 */
#define VIRTKIT_CONF_RESCTRL_ERROR (virtkitConfResctrlErrorQuark())
GQuark virtkitConfResctrlErrorQuark(void);

/**
 * virtkitConfErrorCode:
 * @error: (nullable): an error from a conf parser
 * @from: (inout): the libvirt error domain to report from; replaced by
 *   VIR_FROM_XML, VIR_FROM_CPU or VIR_FROM_RESCTRL when @error's GError
 *   domain is one of those layers'
 *
 * Returns: the virErrorNumber @error carries, VIR_ERR_INTERNAL_ERROR when
 *   it carries none.  Since: 0.1.0
 */
int virtkitConfErrorCode(const GError *error, int *from);

/**
 * VIRTKIT_XML_DEFAULT_MAX_SIZE:
 *
 * The size limit used when a caller passes 0: 10 MiB, far above any real
 * domain definition and far below what would hurt a daemon.
 *
 * Since: 0.1.0
 */
#define VIRTKIT_XML_DEFAULT_MAX_SIZE (10 * 1024 * 1024)

typedef struct _virtkitXmlAttr {
    char *name;
    char *value;
} virtkitXmlAttr;

typedef struct _virtkitXmlNode virtkitXmlNode;

/**
 * virtkitXmlNode:
 * @name: the element name; for an element outside libvirt's namespace it is
 *        "prefix:local" as written in the document
 * @ns_href: the namespace URI of such an element, NULL for libvirt's own
 * @attrs: virtkitXmlAttr, in document order until a model reorders them
 * @children: virtkitXmlNode, in document order until a model reorders them
 * @text: the element's character data, NULL when there is none (whitespace
 *        between child elements is not kept)
 * @verbatim: when set, formatted XML printed as is in place of the children
 *        (used for <metadata> content)
 * @parent: the parent element, NULL for the root
 * @line: the line the element started on, 0 for elements a model added
 * @flags: VIRTKIT_XML_NODE_OPEN_CLOSE: printed as a start and an end tag on
 *         two lines even when empty (libvirt does so for a few elements)
 *
 * Since: 0.1.0
 */
#define VIRTKIT_XML_NODE_OPEN_CLOSE (1u << 0)

struct _virtkitXmlNode {
    char *name;
    char *ns_href;
    GPtrArray *attrs;
    GPtrArray *children;
    char *text;
    char *verbatim;
    virtkitXmlNode *parent;
    int line;
    unsigned int flags;
};

virtkitXmlNode *virtkitXmlNodeNew(const char *name);
void virtkitXmlNodeFree(virtkitXmlNode *node);
virtkitXmlNode *virtkitXmlNodeCopy(const virtkitXmlNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virtkitXmlNode, virtkitXmlNodeFree)

/* Attribute access.  Get returns borrowed storage or NULL. */
const char *virtkitXmlNodeGetAttr(const virtkitXmlNode *node, const char *name);
void virtkitXmlNodeSetAttr(virtkitXmlNode *node, const char *name, const char *value);
void virtkitXmlNodeSetAttrf(virtkitXmlNode *node, const char *name, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
gboolean virtkitXmlNodeRemoveAttr(virtkitXmlNode *node, const char *name);

/* Children.  Child() returns the first child element called @name. */
virtkitXmlNode *virtkitXmlNodeChild(const virtkitXmlNode *node, const char *name);
const char *virtkitXmlNodeChildText(const virtkitXmlNode *node, const char *name);
guint virtkitXmlNodeCountChildren(const virtkitXmlNode *node, const char *name);
/* Append (or, with index >= 0, insert at @index) @child; takes ownership. */
virtkitXmlNode *virtkitXmlNodeAddChild(virtkitXmlNode *node, virtkitXmlNode *child, int index);
virtkitXmlNode *virtkitXmlNodeAddNewChild(virtkitXmlNode *node, const char *name);
/* Return the first child called @name, appending an empty one if absent. */
virtkitXmlNode *virtkitXmlNodeEnsureChild(virtkitXmlNode *node, const char *name);
void virtkitXmlNodeRemoveChild(virtkitXmlNode *node, virtkitXmlNode *child);
void virtkitXmlNodeSetText(virtkitXmlNode *node, const char *text);
/* "domain/devices/disk": the names from the root, for messages. */
char *virtkitXmlNodePath(const virtkitXmlNode *node);

/**
 * virtkitXmlParse:
 * @xml: the document
 * @max_size: the largest document accepted, 0 for VIRTKIT_XML_DEFAULT_MAX_SIZE
 * @root_name: the name the root element must have, or NULL
 * @what: what the document is, for messages ("domain definition")
 * @error: return location for a GError
 *
 * Parses @xml with network access, entity substitution and DTD loading off.
 * A document with entity references or an internal DTD subset is refused.
 * Errors quote the line and column (VIR_ERR_XML_ERROR).  <metadata> content
 * is kept verbatim, formatted as libvirt formats it.
 *
 * Returns: (transfer full): the root of the tree, or NULL with @error set.
 * Since: 0.1.0
 */
virtkitXmlNode *virtkitXmlParse(const char *xml, gsize max_size, const char *root_name,
                                const char *what, GError **error);

/**
 * virtkitXmlFormat:
 * @buf: where to append
 * @node: the element
 * @indent: the number of spaces before the element's start tag
 *
 * Formats @node and its subtree as it stands (the models order the tree
 * first), libvirt style.  Namespaced elements carry their xmlns declaration
 * when their parent does not share it.
 *
 * Since: 0.1.0
 */
void virtkitXmlFormat(GString *buf, const virtkitXmlNode *node, int indent);

/* Escapes & < > ' " as libvirt does in both attribute values and text. */
void virtkitXmlEscape(GString *buf, const char *text);

/* g_string_append_len for the formatters' many short pieces: the copy
 * inline while the buffer has room (GLib 2.74 makes a call of each). */
static inline void
virtkitXmlPut(GString *buf, const char *s, gsize n)
{
    if (G_LIKELY(buf->len + n < buf->allocated_len)) {
        memcpy(buf->str + buf->len, s, n);
        buf->len += n;
        buf->str[buf->len] = '\0';
    } else {
        g_string_append_len(buf, s, (gssize) n);
    }
}

static inline void
virtkitXmlPutStr(GString *buf, const char *s)
{
    virtkitXmlPut(buf, s, strlen(s));
}

/* ---- values ------------------------------------------------------------ */

/**
 * virtkitUnitScale:
 * @unit: a libvirt unit ("b", "bytes", "k", "KiB", "KB", "M", "MiB", "MB", ...
 *        up to exbibytes), case-insensitive
 *
 * Returns: the number of bytes in one @unit, or 0 when @unit is not one.
 * Since: 0.1.0
 */
guint64 virtkitUnitScale(const char *unit);

/**
 * virtkitParseScaled:
 * @value: the number as written
 * @unit: its unit attribute, or NULL
 * @default_unit: the unit to assume when @unit is NULL ("KiB" for memory)
 * @result_unit: the unit to express the result in ("KiB")
 * @max: the largest result accepted, in @result_unit
 * @what: the element, for messages
 * @result: where the value goes, rounded up to whole @result_unit
 * @error: return location for a GError (VIR_ERR_XML_DETAIL /
 *         VIR_ERR_OVERFLOW)
 *
 * Returns: TRUE on success.
 * Since: 0.1.0
 */
gboolean virtkitParseScaled(const char *value, const char *unit, const char *default_unit,
                            const char *result_unit, guint64 max, const char *what,
                            guint64 *result, GError **error);

/* Strict unsigned/signed integer parsing (whole string, base 10 or 0x). */
gboolean virtkitParseUInt64(const char *s, guint64 *out);
gboolean virtkitParseInt64(const char *s, gint64 *out);

/**
 * virtkitUUIDParse:
 * @str: libvirt's UUID text: leading whitespace, 32 hex digits with any
 *   '-' or ' ' between pairs, trailing whitespace (the core's parser, the
 *   one host->uuidParse uses)
 * @uuid: 16 bytes out
 *
 * Returns: TRUE when @str is a UUID.
 * Since: 0.1.0
 */
gboolean virtkitUUIDParse(const char *str, unsigned char uuid[16]);
/* Formats into @out (37 bytes) as 8-4-4-4-12 lowercase. */
void virtkitUUIDFormat(const unsigned char uuid[16], char out[37]);
void virtkitUUIDGenerate(unsigned char uuid[16]);

/**
 * virtkitBitmapParse:
 * @str: a libvirt cpuset/nodeset ("0-5,^4,8")
 * @max_bit: the largest bit accepted
 *
 * Returns: (transfer full): a GArray of guint, sorted, without duplicates,
 * or NULL with @error set (VIR_ERR_XML_DETAIL / VIR_ERR_INVALID_ARG).
 * Since: 0.1.0
 */
GArray *virtkitBitmapParse(const char *str, guint max_bit, GError **error);

/* One run of set bits, first to last inclusive. */
typedef struct {
    guint first;
    guint last;
} virtkitBitRange;

/* virtkitBitmapParse's set as its runs, in order (GArray of
 * virtkitBitRange): the cost is the text's and the bitmap's words', never
 * one step per bit, so "0-16383" is one range.  Since: 0.1.0 */
GArray *virtkitBitmapParseRanges(const char *str, guint max_bit, GError **error);
/* Formats a sorted set back as libvirt does ("0-3,5"). */
char *virtkitBitmapFormat(const GArray *bits);
/* Parse + format; NULL with @error set when @str is not a bitmap. */
char *virtkitBitmapNormalize(const char *str, GError **error);

/**
 * virtkitEnumFromString:
 * @names: a NULL-terminated table, index = enum value
 * @str: the name, may be NULL
 *
 * Returns: the index of @str in @names, or -1.
 * Since: 0.1.0
 */
int virtkitEnumFromString(const char *const *names, const char *str);
const char *virtkitEnumToString(const char *const *names, int value);

/* A random locally administered MAC in libvirt's 52:54:00 prefix. */
void virtkitMacGenerate(char out[18]);

G_END_DECLS

#endif /* VIRTKIT_CONF_XML_H */
