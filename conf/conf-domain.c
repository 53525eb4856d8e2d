/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conf-domain.c: the domain model.  Parse into a tree, check the tree
 * against the schema table, fill in libvirt's defaults, format in libvirt's
 * order.
 */
#include "virtkit-conf-domain.h"
#include "conf-domain-schema.h"

#include <virtkit/virtkit.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <sys/utsname.h>
#include "vk-xml-error.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "virtkit-conf"

struct _virtkitDomainDef {
    virtkitXmlNode *root;
    GPtrArray *warnings;  /* char *, NULL-terminated */
    gint refs;            /* virtkitDomainDefRef / virtkitDomainDefFree */
    guint64 serial;       /* virtkitDomainDefGetSerial */
    /* the tree is in the order virtkitDomainOrderNode gives it, as the
     * parse left it: formatting need not sort it again */
    gboolean ordered;
};

/* The serial of the next definition made; never 0. */
static guint64
virtkitDomainDefNextSerial(void)
{
    static guint64 last;

    return __atomic_add_fetch(&last, 1, __ATOMIC_RELAXED);
}

/* @def is being changed through a setter: a new serial, and the tree may
 * be out of order now. */
static void
virtkitDomainDefTouch(virtkitDomainDef *def)
{
    def->serial = virtkitDomainDefNextSerial();
    def->ordered = FALSE;
}

/* ---- the schema table, compiled once ----------------------------------- */

/* A rule is compiled from its table entry the first time a lookup finds
 * it (a process that parses one domain needs a few dozen of the 612). */
typedef struct {
    const virtkitSchemaEntry *src;
    gsize compiled;          /* g_once: the fields below are set */
    GStrv attrs;
    GStrv children;
    unsigned int flags;
    GHashTable *attr_rank;   /* name -> its index in attrs + 1 */
    GHashTable *child_rank;  /* name -> its index in children + 1 */
} virtkitDomainRule;

static GHashTable *virtkitDomainRules;

static void
virtkitDomainRuleFree(gpointer p)
{
    virtkitDomainRule *e = p;
    g_clear_pointer(&e->attr_rank, g_hash_table_unref);
    g_clear_pointer(&e->child_rank, g_hash_table_unref);
    g_strfreev(e->attrs);
    g_strfreev(e->children);
    g_free(e);
}

/* name -> index + 1 of its first occurrence in @v (keys borrowed from @v) */
static GHashTable *
virtkitDomainRankTable(GStrv v)
{
    GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; v && v[i]; i++)
        if (!g_hash_table_contains(t, v[i]))
            g_hash_table_insert(t, v[i], GUINT_TO_POINTER(i + 1));
    return t;
}

static GHashTable *
virtkitDomainSchemaGet(void)
{
    static gsize once;
    if (g_once_init_enter(&once)) {
        /* keys borrowed from the static table */
        GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                              virtkitDomainRuleFree);
        for (const virtkitSchemaEntry *s = virtkitDomainSchema; s->path; s++) {
            if (g_hash_table_contains(t, s->path))
                continue;
            virtkitDomainRule *e = g_new0(virtkitDomainRule, 1);
            e->src = s;
            g_hash_table_insert(t, (gpointer) s->path, e);
        }
        virtkitDomainRules = t;
        g_once_init_leave(&once, 1);
    }
    return virtkitDomainRules;
}

static GHashTable *virtkitDomainEnumTable;

static guint
virtkitDomainEnumHash(gconstpointer p)
{
    const virtkitSchemaEnum *e = p;
    return g_str_hash(e->path) * 31 + g_str_hash(e->attr);
}

static gboolean
virtkitDomainEnumEqual(gconstpointer a, gconstpointer b)
{
    const virtkitSchemaEnum *x = a, *y = b;
    return strcmp(x->path, y->path) == 0 && strcmp(x->attr, y->attr) == 0;
}

/* (path, attr) -> its virtkitSchemaEnum (the last one of the table, as a
 * key may repeat); keys and values are the static table's entries, so
 * building it allocates nothing per entry. */
static GHashTable *
virtkitDomainEnumsGet(void)
{
    static gsize once;
    if (g_once_init_enter(&once)) {
        GHashTable *t = g_hash_table_new(virtkitDomainEnumHash, virtkitDomainEnumEqual);
        for (const virtkitSchemaEnum *e = virtkitDomainEnums; e->path; e++)
            g_hash_table_insert(t, (gpointer) e, (gpointer) e);
        virtkitDomainEnumTable = t;
        g_once_init_leave(&once, 1);
    }
    return virtkitDomainEnumTable;
}

/* @word is one of the space-separated @words. */
static gboolean
virtkitDomainWordIn(const char *words, const char *word)
{
    gsize n = strlen(word);

    /* the words g_strsplit(words, " ", -1) gives: none for "" */
    if (!*words)
        return FALSE;
    for (const char *p = words;; ) {
        const char *sp = strchr(p, ' ');
        gsize len = sp ? (gsize) (sp - p) : strlen(p);
        if (len == n && memcmp(p, word, n) == 0)
            return TRUE;
        if (!sp)
            return FALSE;
        p = sp + 1;
    }
}

static char *
virtkitDomainChildKey(const char *parent_key, const virtkitXmlNode *parent,
                      const virtkitXmlNode *child)
{
    if (strcmp(child->name, "backingStore") == 0 && strcmp(parent->name, "backingStore") == 0)
        return g_strdup(parent_key);
    return g_strdup_printf("%s/%s", parent_key, child->name);
}

/* @e compiled (thread-safe, once), or NULL when @e is. */
static const virtkitDomainRule *
virtkitDomainRuleReady(virtkitDomainRule *e)
{
    if (e && g_once_init_enter(&e->compiled)) {
        e->attrs = g_strsplit_set(e->src->attrs, " ", -1);
        e->children = g_strsplit_set(e->src->children, " ", -1);
        e->flags = e->src->flags;
        e->attr_rank = virtkitDomainRankTable(e->attrs);
        e->child_rank = virtkitDomainRankTable(e->children);
        g_once_init_leave(&e->compiled, 1);
    }
    return e;
}

static virtkitDomainRule *
virtkitDomainSchemaFind(const char *key, const virtkitXmlNode *node);

static const virtkitDomainRule *
virtkitDomainSchemaLookup(const char *key, const virtkitXmlNode *node)
{
    return virtkitDomainRuleReady(virtkitDomainSchemaFind(key, node));
}

/* The rule for @node (whose key is @key): its path, else "*" + "/parent/name",
 * else "*" + "/name"; not compiled yet. */
static virtkitDomainRule *
virtkitDomainSchemaFind(const char *key, const virtkitXmlNode *node)
{
    GHashTable *t = virtkitDomainSchemaGet();
    virtkitDomainRule *e = g_hash_table_lookup(t, key);
    if (e)
        return e;
    char buf[256];
    gsize nl = strlen(node->name);
    if (node->parent) {
        gsize pl = strlen(node->parent->name);
        if (pl + nl + 4 <= sizeof(buf)) {
            buf[0] = '*';
            buf[1] = '/';
            memcpy(buf + 2, node->parent->name, pl);
            buf[2 + pl] = '/';
            memcpy(buf + 3 + pl, node->name, nl + 1);
            if ((e = g_hash_table_lookup(t, buf)))
                return e;
        } else {
            g_autofree char *k2 = g_strdup_printf("*/%s/%s", node->parent->name, node->name);
            if ((e = g_hash_table_lookup(t, k2)))
                return e;
        }
    }
    if (nl + 3 <= sizeof(buf)) {
        buf[0] = '*';
        buf[1] = '/';
        memcpy(buf + 2, node->name, nl + 1);
        return g_hash_table_lookup(t, buf);
    }
    g_autofree char *k1 = g_strdup_printf("*/%s", node->name);
    return g_hash_table_lookup(t, k1);
}

static gboolean
virtkitDomainStrvHas(GStrv v, const char *s)
{
    for (guint i = 0; v && v[i]; i++)
        if (strcmp(v[i], s) == 0)
            return TRUE;
    return FALSE;
}

/* A device element: a direct child of <devices>. */
static gboolean
virtkitDomainIsDevice(const virtkitXmlNode *n)
{
    return n->parent && strcmp(n->parent->name, "devices") == 0 && n->parent->parent &&
           !n->parent->parent->parent;
}

static const char *const virtkitDomainDeviceInfo[] = { "boot", "alias", "rom", "address", NULL };

static gboolean
virtkitDomainChildKnown(const virtkitDomainRule *pe, const virtkitXmlNode *parent, const char *name)
{
    if (virtkitDomainStrvHas(pe->children, name))
        return TRUE;
    return virtkitDomainIsDevice(parent) && virtkitDomainStrvHas((GStrv) virtkitDomainDeviceInfo,
                                                                 name);
}

/* ---- checking against the table ---------------------------------------- */

typedef struct {
    gboolean validate;
    const char *const *keep_ns;
    GPtrArray *warnings;
} virtkitDomainCheckCtx;

static void
virtkitDomainWarn(virtkitDomainCheckCtx *ctx, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
virtkitDomainWarn(virtkitDomainCheckCtx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_log(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "%s", msg);
    g_ptr_array_add(ctx->warnings, msg);
}

static gboolean
virtkitDomainNsKept(virtkitDomainCheckCtx *ctx, const char *href)
{
    for (guint i = 0; ctx->keep_ns && ctx->keep_ns[i]; i++)
        if (strcmp(ctx->keep_ns[i], href) == 0)
            return TRUE;
    return FALSE;
}

static gboolean
virtkitDomainCheckNode(virtkitDomainCheckCtx *ctx, virtkitXmlNode *node, const char *key,
                       GError **error)
{
    const virtkitDomainRule *e = virtkitDomainSchemaLookup(key, node);
    g_autofree char *path = NULL;

    if (!e) /* the caller made sure the element is known */
        return TRUE;
    if (e->flags & VIRTKIT_SCHEMA_ANY)
        return TRUE;

    for (guint i = 0; i < node->attrs->len;) {
        const virtkitXmlAttr *a = node->attrs->pdata[i];
        if (virtkitDomainStrvHas(e->attrs, a->name) || g_str_has_prefix(a->name, "xmlns")) {
            const virtkitSchemaEnum ek = { key, a->name, NULL };
            const virtkitSchemaEnum *allowed = g_hash_table_lookup(virtkitDomainEnumsGet(), &ek);
            if (allowed && !virtkitDomainWordIn(allowed->values, a->value)) {
                /* libvirt's parser refuses values outside its enums */
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                            "unsupported configuration: unknown value '%s' for attribute "
                            "'%s' of <%s> at line %d", a->value, a->name, node->name,
                            node->line);
                return FALSE;
            }
            i++;
            continue;
        }
        if (!path)
            path = virtkitXmlNodePath(node);
        if (ctx->validate) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_INVALID_SCHEMA,
                        "Unsupported attribute '%s' of element <%s> at line %d (%s)",
                        a->name, node->name, node->line, path);
            return FALSE;
        }
        virtkitDomainWarn(ctx, "Ignoring unknown attribute '%s' of element <%s> at line %d (%s)",
                          a->name, node->name, node->line, path);
        g_ptr_array_remove_index(node->attrs, i);
    }
    if (node->text && !(e->flags & VIRTKIT_SCHEMA_TEXT)) {
        /* character data where libvirt expects none is simply not read,
         * beside child elements too (it came back as blank lines around
         * the text, and the next define read other text) */
        g_clear_pointer(&node->text, g_free);
    }

    for (guint i = 0; i < node->children->len;) {
        virtkitXmlNode *c = node->children->pdata[i];
        if (c->ns_href) {
            if (virtkitDomainNsKept(ctx, c->ns_href) && !node->parent) {
                i++;
                continue;
            }
            if (!path)
                path = virtkitXmlNodePath(node);
            if (ctx->validate) {
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_INVALID_SCHEMA,
                            "Unsupported element <%s> (namespace '%s') at line %d in %s",
                            c->name, c->ns_href, c->line, path);
                return FALSE;
            }
            virtkitDomainWarn(ctx,
                              "Ignoring element <%s> of unknown namespace '%s' at line %d in %s",
                 c->name, c->ns_href, c->line, path);
            g_ptr_array_remove_index(node->children, i);
            continue;
        }
        g_autofree char *ck = virtkitDomainChildKey(key, node, c);
        if (!virtkitDomainChildKnown(e, node, c->name) || !virtkitDomainSchemaLookup(ck, c)) {
            if (!path)
                path = virtkitXmlNodePath(node);
            if (ctx->validate) {
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_INVALID_SCHEMA,
                            "Unsupported element <%s> at line %d in %s",
                            c->name, c->line, path);
                return FALSE;
            }
            virtkitDomainWarn(ctx, "Ignoring unknown element <%s> at line %d in %s", c->name,
                              c->line, path);
            g_ptr_array_remove_index(node->children, i);
            continue;
        }
        if (!virtkitDomainCheckNode(ctx, c, ck, error))
            return FALSE;
        i++;
    }
    return TRUE;
}

/* ---- ordering ------------------------------------------------------------ */

/* Where a child element goes: its place in the parent's list; device info
 * (boot, alias, ...) after everything listed; anything else before those. */
static int
virtkitDomainChildRank(const virtkitDomainRule *e, const char *name)
{
    int r = GPOINTER_TO_INT(g_hash_table_lookup(e->child_rank, name)) - 1;
    if (r >= 0)
        return r;
    for (int i = 0; virtkitDomainDeviceInfo[i]; i++)
        if (strcmp(virtkitDomainDeviceInfo[i], name) == 0)
            return 1000 + i;
    return 999;
}

static int
virtkitDomainAttrRank(const virtkitDomainRule *e, const char *name)
{
    int r = GPOINTER_TO_INT(g_hash_table_lookup(e->attr_rank, name)) - 1;
    return r >= 0 ? r : 1000;
}

/* Stable sort of @n items by @rank (both permuted together).  Items are
 * usually in order already (a parsed definition was ordered once): that
 * case costs one pass. */
static void
virtkitDomainRankSort(gpointer *items, int *rank, guint n)
{
    guint i;
    for (i = 1; i < n; i++)
        if (rank[i] < rank[i - 1])
            break;
    if (i >= n)
        return;
    if (n > 32) {
        /* bottom-up merge sort: stable, n log n */
        gpointer *ti = g_new(gpointer, n);
        int *tr = g_new(int, n);
        for (guint width = 1; width < n; width *= 2) {
            for (guint lo = 0; lo < n; lo += 2 * width) {
                guint mid = MIN(lo + width, n), hi = MIN(lo + 2 * width, n);
                guint a = lo, b = mid, k = lo;
                while (a < mid && b < hi) {
                    if (rank[b] < rank[a]) {
                        ti[k] = items[b];
                        tr[k++] = rank[b++];
                    } else {
                        ti[k] = items[a];
                        tr[k++] = rank[a++];
                    }
                }
                for (; a < mid; a++, k++) {
                    ti[k] = items[a];
                    tr[k] = rank[a];
                }
                for (; b < hi; b++, k++) {
                    ti[k] = items[b];
                    tr[k] = rank[b];
                }
            }
            memcpy(items, ti, n * sizeof(gpointer));
            memcpy(rank, tr, n * sizeof(int));
        }
        g_free(ti);
        g_free(tr);
        return;
    }
    /* insertion sort from the first item out of place: stable */
    for (; i < n; i++) {
        gpointer it = items[i];
        int r = rank[i];
        guint j = i;
        while (j > 0 && rank[j - 1] > r) {
            items[j] = items[j - 1];
            rank[j] = rank[j - 1];
            j--;
        }
        items[j] = it;
        rank[j] = r;
    }
}

#define RANK_STACK 64

static void
virtkitDomainSortAttrs(const virtkitDomainRule *e, gpointer *attrs, guint n)
{
    int stack[RANK_STACK];
    int *rank = n <= RANK_STACK ? stack : g_new(int, n);
    for (guint i = 0; i < n; i++)
        rank[i] = virtkitDomainAttrRank(e, ((virtkitXmlAttr *) attrs[i])->name);
    virtkitDomainRankSort(attrs, rank, n);
    if (rank != stack)
        g_free(rank);
}

static void
virtkitDomainSortChildren(const virtkitDomainRule *e, gpointer *children, guint n)
{
    int stack[RANK_STACK];
    int *rank = n <= RANK_STACK ? stack : g_new(int, n);
    for (guint i = 0; i < n; i++)
        rank[i] = virtkitDomainChildRank(e, ((virtkitXmlNode *) children[i])->name);
    virtkitDomainRankSort(children, rank, n);
    if (rank != stack)
        g_free(rank);
}

/* The key of @child of @parent (whose key @key holds): appended to @key;
 * the caller truncates @key back afterwards. */
static void
virtkitDomainKeyPush(GString *key, const virtkitXmlNode *parent, const virtkitXmlNode *child)
{
    if (strcmp(child->name, "backingStore") == 0 && strcmp(parent->name, "backingStore") == 0)
        return;
    g_string_append_c(key, '/');
    g_string_append(key, child->name);
}

/* The entry by which @node is ordered, or NULL when it is left as written
 * (with everything below it). */
static const virtkitDomainRule *
virtkitDomainOrderEntry(const char *key, const virtkitXmlNode *node)
{
    const virtkitDomainRule *e = virtkitDomainSchemaLookup(key, node);
    if (!e || (e->flags & VIRTKIT_SCHEMA_ANY) || node->ns_href)
        return NULL;
    return e;
}

static void
virtkitDomainOrderNodeKey(virtkitXmlNode *node, GString *key)
{
    const virtkitDomainRule *e = virtkitDomainOrderEntry(key->str, node);
    if (!e)
        return;
    virtkitDomainSortAttrs(e, node->attrs->pdata, node->attrs->len);
    virtkitDomainSortChildren(e, node->children->pdata, node->children->len);
    for (guint i = 0; i < node->children->len; i++) {
        virtkitXmlNode *c = node->children->pdata[i];
        gsize len = key->len;
        virtkitDomainKeyPush(key, node, c);
        virtkitDomainOrderNodeKey(c, key);
        g_string_truncate(key, len);
    }
}

static void
virtkitDomainOrderNode(virtkitXmlNode *node, const char *key)
{
    GString *k = g_string_sized_new(256);
    g_string_append(k, key);
    virtkitDomainOrderNodeKey(node, k);
    g_string_free(k, TRUE);
}

/* ---- small tree helpers ------------------------------------------------- */

static void
virtkitDomainSetDefault(virtkitXmlNode *n, const char *attr, const char *value)
{
    if (!virtkitXmlNodeGetAttr(n, attr))
        virtkitXmlNodeSetAttr(n, attr, value);
}

static gboolean
virtkitDomainAttrIs(const virtkitXmlNode *n, const char *attr, const char *value)
{
    const char *v = virtkitXmlNodeGetAttr(n, attr);
    return v && strcmp(v, value) == 0;
}

static virtkitXmlNode *
virtkitDomainTextChild(virtkitXmlNode *parent, const char *name, const char *text)
{
    virtkitXmlNode *c = virtkitXmlNodeAddNewChild(parent, name);
    virtkitXmlNodeSetText(c, text);
    return c;
}

static GPtrArray *
virtkitDomainChildrenNamed(const virtkitXmlNode *node, const char *name)
{
    GPtrArray *a = g_ptr_array_new();
    for (guint i = 0; node && i < node->children->len; i++) {
        virtkitXmlNode *c = node->children->pdata[i];
        if (strcmp(c->name, name) == 0)
            g_ptr_array_add(a, c);
    }
    return a;
}

static gboolean
virtkitDomainParseUintAttr(const virtkitXmlNode *n, const char *attr, guint64 *out)
{
    return virtkitParseUInt64(virtkitXmlNodeGetAttr(n, attr), out);
}

/* Text with a unit attribute, rewritten in KiB as libvirt prints it. */
static gboolean
virtkitDomainNormScaledText(virtkitXmlNode *n, GError **error)
{
    guint64 kib;
    if (!n || !n->text)
        return TRUE;
    g_autofree char *t = g_strstrip(g_strdup(n->text));
    if (!virtkitParseScaled(t, virtkitXmlNodeGetAttr(n, "unit"), "KiB", "KiB",
                            G_MAXUINT64 / 1024, n->name, &kib, error))
        return FALSE;
    g_autofree char *v = g_strdup_printf("%" G_GUINT64_FORMAT, kib);
    virtkitXmlNodeSetText(n, v);
    virtkitXmlNodeSetAttr(n, "unit", "KiB");
    return TRUE;
}

static gboolean
virtkitDomainNormBitmapAttr(virtkitXmlNode *n, const char *attr, GError **error)
{
    const char *v = virtkitXmlNodeGetAttr(n, attr);
    if (!v)
        return TRUE;
    g_autofree char *s = virtkitBitmapNormalize(v, error);
    if (!s) {
        g_prefix_error(error, "In <%s %s='%s'>: ", n->name, attr, v);
        return FALSE;
    }
    if (!*s) {
        /* '0,^0' names no CPU or node at all: stored as '' it would not
         * parse back; libvirt's words */
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                    "unsupported configuration: Invalid value of '%s': %s", attr, v);
        return FALSE;
    }
    virtkitXmlNodeSetAttr(n, attr, s);
    return TRUE;
}

/* hda -> 0, sdb -> 1, vdaa -> 26: libvirt's disk name index (bijective base 26). */
static int
virtkitDomainDiskIndex(const char *name)
{
    static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd", NULL };
    const char *p = NULL;
    int idx = -1;
    if (!name)
        return -1;
    for (guint i = 0; prefixes[i]; i++)
        if (g_str_has_prefix(name, prefixes[i])) {
            p = name + strlen(prefixes[i]);
            break;
        }
    if (!p || !*p)
        return -1;
    for (; *p; p++) {
        if (!g_ascii_islower(*p))
            return -1;
        /* "vdzzzzzzz...": no index, rather than an int overflow. */
        if (idx > (G_MAXINT - 26) / 26 - 1)
            return -1;
        idx = (idx + 1) * 26 + (*p - 'a');
    }
    return idx;
}

/* ---- defaults ------------------------------------------------------------ */

typedef struct {
    virtkitXmlNode *root;
    virtkitXmlNode *devices;
    const virtkitDomainParseOptions *opts;
    const char *os_type;
} virtkitDomainPost;

static gboolean
virtkitDomainPostMemory(virtkitDomainPost *p, GError **error)
{
    virtkitXmlNode *root = p->root;
    virtkitXmlNode *mem = virtkitXmlNodeChild(root, "memory");
    virtkitXmlNode *cur = virtkitXmlNodeChild(root, "currentMemory");
    virtkitXmlNode *max = virtkitXmlNodeChild(root, "maxMemory");
    guint64 m = 0, c = 0;

    if (!virtkitDomainNormScaledText(mem, error) || !virtkitDomainNormScaledText(cur, error) ||
        !virtkitDomainNormScaledText(max, error))
        return FALSE;

    /* <memory> may be left out when NUMA cells give the total. */
    virtkitXmlNode *numa = virtkitXmlNodeChild(virtkitXmlNodeChild(root, "cpu"), "numa");
    if (numa) {
        guint64 total = 0;
        g_autoptr(GPtrArray) cells = virtkitDomainChildrenNamed(numa, "cell");
        for (guint i = 0; i < cells->len; i++) {
            virtkitXmlNode *cell = cells->pdata[i];
            const char *v = virtkitXmlNodeGetAttr(cell, "memory");
            guint64 kib;
            if (!v)
                continue;
            if (!virtkitParseScaled(v, virtkitXmlNodeGetAttr(cell, "unit"), "KiB", "KiB",
                                    G_MAXUINT64 / 1024, "cell", &kib, error))
                return FALSE;
            virtkitXmlNodeSetAttrf(cell, "memory", "%" G_GUINT64_FORMAT, kib);
            virtkitXmlNodeSetAttr(cell, "unit", "KiB");
            total += kib;
        }
        if (total && !mem) {
            /* libvirt's test driver keeps a given <memory> as it is */
            mem = virtkitXmlNodeAddNewChild(root, "memory");
            g_autofree char *t = g_strdup_printf("%" G_GUINT64_FORMAT, total);
            virtkitXmlNodeSetText(mem, t);
            virtkitXmlNodeSetAttr(mem, "unit", "KiB");
        }
    }
    if (!mem) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                    "The domain definition has no <memory> element (and no NUMA cells to "
                    "take the size from)");
        return FALSE;
    }
    virtkitParseUInt64(mem->text, &m);
    if (m == 0) {
        /* libvirt's words for a guest without memory */
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                    "XML error: Memory size must be specified via <memory> or in the "
                    "<numa> configuration");
        return FALSE;
    }
    if (cur)
        virtkitParseUInt64(cur->text, &c);
    if (!cur || c == 0 || c > m) {
        if (!cur)
            cur = virtkitXmlNodeAddNewChild(root, "currentMemory");
        virtkitXmlNodeSetText(cur, mem->text);
        virtkitXmlNodeSetAttr(cur, "unit", "KiB");
    }

    virtkitXmlNode *memtune = virtkitXmlNodeChild(root, "memtune");
    for (guint i = 0; memtune && i < memtune->children->len; i++)
        if (!virtkitDomainNormScaledText(memtune->children->pdata[i], error))
            return FALSE;
    /* hugepage sizes in KiB; a nodeset means nothing without guest NUMA */
    virtkitXmlNode *huge = virtkitXmlNodeChild(virtkitXmlNodeChild(root, "memoryBacking"),
                                               "hugepages");
    g_autoptr(GPtrArray) pages = virtkitDomainChildrenNamed(huge, "page");
    for (guint i = 0; i < pages->len; i++) {
        virtkitXmlNode *pg = pages->pdata[i];
        guint64 kib;
        const char *size = virtkitXmlNodeGetAttr(pg, "size");
        if (!size)
            continue;
        if (!virtkitParseScaled(size, virtkitXmlNodeGetAttr(pg, "unit"), "KiB", "KiB",
                                G_MAXUINT64 / 1024, "page", &kib, error))
            return FALSE;
        virtkitXmlNodeSetAttrf(pg, "size", "%" G_GUINT64_FORMAT, kib);
        virtkitXmlNodeSetAttr(pg, "unit", "KiB");
        if (!numa)
            virtkitXmlNodeRemoveAttr(pg, "nodeset");
    }
    /* memory devices: sizes in KiB */
    g_autoptr(GPtrArray) mems = virtkitDomainChildrenNamed(virtkitXmlNodeChild(root, "devices"),
                                                           "memory");
    for (guint i = 0; i < mems->len; i++) {
        virtkitXmlNode *t = virtkitXmlNodeChild(mems->pdata[i], "target");
        static const char *const sized[] = { "size", "requested", "block" };
        for (guint k = 0; k < G_N_ELEMENTS(sized); k++)
            if (!virtkitDomainNormScaledText(virtkitXmlNodeChild(t, sized[k]), error))
                return FALSE;
        virtkitXmlNode *label = virtkitXmlNodeChild(t, "label");
        if (!virtkitDomainNormScaledText(virtkitXmlNodeChild(label, "size"), error))
            return FALSE;
    }
    virtkitXmlNode *tcg = virtkitXmlNodeChild(virtkitXmlNodeChild(root, "features"), "tcg");
    if (!virtkitDomainNormScaledText(virtkitXmlNodeChild(tcg, "tb-cache"), error))
        return FALSE;
    return TRUE;
}

/* Stable O(n log n) ordering of @nodes by the keys the caller filled in
 * (@keys[i] for @nodes->pdata[i]); the original position is the last
 * tie-break, so qsort's instability cannot show. */
typedef struct {
    guint64 k1;
    gint64 k2;
    guint pos;
    gpointer node;
} virtkitDomainKeyedNode;

static int
virtkitDomainKeyedCmp(const void *pa, const void *pb)
{
    const virtkitDomainKeyedNode *a = pa, *b = pb;
    if (a->k1 != b->k1)
        return a->k1 < b->k1 ? -1 : 1;
    if (a->k2 != b->k2)
        return a->k2 < b->k2 ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static void
virtkitDomainKeyedSort(GPtrArray *nodes, virtkitDomainKeyedNode *keys)
{
    for (guint i = 0; i < nodes->len; i++) {
        keys[i].pos = i;
        keys[i].node = nodes->pdata[i];
    }
    if (nodes->len > 1)
        qsort(keys, nodes->len, sizeof(virtkitDomainKeyedNode), virtkitDomainKeyedCmp);
    for (guint i = 0; i < nodes->len; i++)
        nodes->pdata[i] = keys[i].node;
}

/* vcpusched/iothreadsched: libvirt keeps one setting per id and prints one
 * element per id, in id order.  Each id may be claimed once ("must not
 * overlap", as libvirt refuses it), so the elements written out number at
 * most @max_ids (the vCPU count; 16384 ids for iothreads), however many
 * elements and however wide their ranges: no per-element expansion, no
 * sort.  A vCPU id at or past @max_ids is refused as libvirt refuses it. */
static gboolean
virtkitDomainSplitSched(virtkitXmlNode *cputune, const char *elem, const char *attr,
                        guint max_ids, GError **error)
{
    guint limit = max_ids ? max_ids : 16384;
    g_autofree virtkitXmlNode **owner = NULL;
    GPtrArray *kept;
    guint first = G_MAXUINT;

    for (guint i = 0; i < cputune->children->len; i++) {
        virtkitXmlNode *el = cputune->children->pdata[i];
        const char *ids;
        g_autoptr(GArray) bits = NULL;

        if (strcmp(el->name, elem) != 0)
            continue;
        if (first == G_MAXUINT)
            first = i;
        if (!(ids = virtkitXmlNodeGetAttr(el, attr))) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                        "XML error: Missing attribute '%s' in element '%s'", attr, elem);
            return FALSE;
        }
        if (!(bits = virtkitBitmapParse(ids, 16383, error)))
            return FALSE;
        if (bits->len == 0) {
            /* libvirt's words for "0,^0" */
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                        "unsupported configuration: '%s' scheduler bitmap '%s' is empty",
                        attr, ids);
            return FALSE;
        }
        if (!owner)
            owner = g_new0(virtkitXmlNode *, limit);
        for (guint b = 0; b < bits->len; b++) {
            guint id = g_array_index(bits, guint, b);
            if (id >= limit) {
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                            "unsupported configuration: vCPU '%u' is not present in domain "
                            "definition", id);
                return FALSE;
            }
            if (owner[id]) {
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL,
                            "'%s' attributes '%s' must not overlap", elem, attr);
                return FALSE;
            }
            owner[id] = el;
        }
    }
    if (!owner)
        return TRUE;

    /* One pass: the other children as they were, the split elements where
     * the first one of @elem stood. */
    kept = g_ptr_array_new_full(cputune->children->len + limit,
                                (GDestroyNotify) virtkitXmlNodeFree);
    for (guint i = 0; i < cputune->children->len; i++) {
        virtkitXmlNode *el = cputune->children->pdata[i];
        if (i == first) {
            for (guint id = 0; id < limit; id++) {
                virtkitXmlNode *c;
                if (!owner[id])
                    continue;
                c = virtkitXmlNodeCopy(owner[id]);
                virtkitXmlNodeSetAttrf(c, attr, "%u", id);
                c->parent = cputune;
                g_ptr_array_add(kept, c);
            }
        }
        if (strcmp(el->name, elem) != 0)
            g_ptr_array_add(kept, el);
        else
            virtkitXmlNodeFree(el);
    }
    g_ptr_array_set_free_func(cputune->children, NULL);
    g_ptr_array_unref(cputune->children);
    cputune->children = kept;
    return TRUE;
}

/* The first child of @node named @name, its later namesakes removed:
 * libvirt reads one such element (the first) and ignores the others.  A
 * post step that drops the element it read must not let the next one
 * take its place on the following define. */
static virtkitXmlNode *
virtkitDomainKeepFirst(virtkitXmlNode *node, const char *name)
{
    virtkitXmlNode *first = NULL;
    guint kept = 0;

    if (!node)
        return NULL;
    /* one pass, compacting in place: a document of many namesakes costs
     * its length, not its length squared */
    for (guint i = 0; i < node->children->len; i++) {
        virtkitXmlNode *c = node->children->pdata[i];
        if (strcmp(c->name, name) == 0 && first) {
            virtkitXmlNodeFree(c);
            continue;
        }
        if (strcmp(c->name, name) == 0)
            first = c;
        node->children->pdata[kept++] = c;
    }
    if (kept < node->children->len) {
        GDestroyNotify fn = NULL;
        /* the dropped ones are freed already: shrink without freeing */
        g_ptr_array_set_free_func(node->children, fn);
        g_ptr_array_set_size(node->children, kept);
        g_ptr_array_set_free_func(node->children, (GDestroyNotify) virtkitXmlNodeFree);
    }
    return first;
}

/* <cachetune> and <memorytune> as libvirt groups them: one resctrl group
 * per distinct vCPU set (cut to the domain's vCPUs; an empty set drops the
 * element).  A cachetune opens a group, and two with one set are refused;
 * a memorytune joins the group of its exact set or opens one; sets that
 * overlap without being equal are refused.  libvirt reads every cachetune
 * before any memorytune, prints the cachetunes and then one memorytune per
 * group (its nodes merged), each in group order.
 *
 * Cost: a set is its runs (virtkitBitmapParseRanges), and each vCPU is
 * claimed by at most one group, so checking a set walks either free vCPUs
 * it then claims (at most the vCPU count over the whole document) or stops
 * at its first claimed one; a set that joins a group is compared run by
 * run.  O(vCPUs + text), however many elements. */
typedef struct {
    GArray *ranges;              /* virtkitBitRange */
    virtkitXmlNode *memorytune;  /* the group's printed memorytune, or NULL */
    GHashTable *nodes;           /* memorytune node ids seen */
} virtkitResctrlGroup;

static void
virtkitResctrlGroupFree(gpointer p)
{
    virtkitResctrlGroup *g = p;
    g_array_unref(g->ranges);
    if (g->nodes)
        g_hash_table_unref(g->nodes);
    g_free(g);
}

static gboolean
virtkitDomainRangesEqual(const GArray *a, const GArray *b)
{
    if (a->len != b->len)
        return FALSE;
    for (guint i = 0; i < a->len; i++) {
        const virtkitBitRange *x = &g_array_index(a, virtkitBitRange, i);
        const virtkitBitRange *y = &g_array_index(b, virtkitBitRange, i);
        if (x->first != y->first || x->last != y->last)
            return FALSE;
    }
    return TRUE;
}

static char *
virtkitDomainRangesFormat(const GArray *ranges)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < ranges->len; i++) {
        const virtkitBitRange *r = &g_array_index(ranges, virtkitBitRange, i);
        if (i)
            g_string_append_c(s, ',');
        if (r->first == r->last)
            g_string_append_printf(s, "%u", r->first);
        else
            g_string_append_printf(s, "%u-%u", r->first, r->last);
    }
    return g_string_free(s, FALSE);
}

/* The group @ranges belongs to (its index), -1 for a new one (the vCPUs are
 * then claimed for @next), -2 with @error on an overlap. */
static gint
virtkitDomainResctrlFind(gint *owner, GPtrArray *groups, const GArray *ranges, gint next,
                         GError **error)
{
    const virtkitBitRange *r0 = &g_array_index(ranges, virtkitBitRange, 0);
    gint g = owner[r0->first];

    if (g >= 0) {
        if (virtkitDomainRangesEqual(((virtkitResctrlGroup *) groups->pdata[g])->ranges, ranges))
            return g;
    } else {
        gboolean clash = FALSE;
        for (guint i = 0; i < ranges->len && !clash; i++) {
            const virtkitBitRange *r = &g_array_index(ranges, virtkitBitRange, i);
            for (guint v = r->first; v <= r->last; v++) {
                if (owner[v] >= 0) {
                    clash = TRUE;
                    break;
                }
            }
        }
        if (!clash) {
            for (guint i = 0; i < ranges->len; i++) {
                const virtkitBitRange *r = &g_array_index(ranges, virtkitBitRange, i);
                for (guint v = r->first; v <= r->last; v++)
                    owner[v] = next;
            }
            return -1;
        }
    }
    g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                "XML error: Overlapping vcpus in resctrls");
    return -2;
}

static gboolean
virtkitDomainPostResctrl(virtkitXmlNode *cputune, guint maxvcpus, GError **error)
{
    static const char *const kinds[] = { "cachetune", "memorytune" };
    g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func(virtkitResctrlGroupFree);
    g_autoptr(GPtrArray) drop = g_ptr_array_new();
    g_autoptr(GPtrArray) cachetunes = g_ptr_array_new();
    g_autofree gint *owner = NULL;
    GPtrArray *kept;
    gboolean any = FALSE;

    for (guint i = 0; i < cputune->children->len && !any; i++) {
        const char *n = ((virtkitXmlNode *) cputune->children->pdata[i])->name;
        any = strcmp(n, "cachetune") == 0 || strcmp(n, "memorytune") == 0;
    }
    if (!any)
        return TRUE;
    owner = g_new(gint, maxvcpus);
    for (guint v = 0; v < maxvcpus; v++)
        owner[v] = -1;

    for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
        for (guint i = 0; i < cputune->children->len; i++) {
            virtkitXmlNode *el = cputune->children->pdata[i];
            const char *vcpus;
            g_autoptr(GArray) ranges = NULL;
            g_autoptr(GError) berr = NULL;
            g_autofree char *norm = NULL;
            gint g;

            if (strcmp(el->name, kinds[k]) != 0)
                continue;
            if (!(vcpus = virtkitXmlNodeGetAttr(el, "vcpus"))) {
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                            "XML error: Missing %s attribute 'vcpus'", kinds[k]);
                return FALSE;
            }
            if (!(ranges = virtkitBitmapParseRanges(vcpus, 16383, &berr))) {
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                            "XML error: Invalid %s attribute 'vcpus' value '%s'", kinds[k],
                            vcpus);
                return FALSE;
            }
            /* cut to the domain's vCPUs, as libvirt shrinks the bitmap */
            while (ranges->len &&
                   g_array_index(ranges, virtkitBitRange, ranges->len - 1).first >= maxvcpus)
                g_array_set_size(ranges, ranges->len - 1);
            if (ranges->len) {
                virtkitBitRange *last = &g_array_index(ranges, virtkitBitRange, ranges->len - 1);
                last->last = MIN(last->last, maxvcpus - 1);
            }
            /* nothing to allocate (no vCPU left, or no cache, node or
             * monitor): libvirt keeps no group for it */
            if (!ranges->len || el->children->len == 0) {
                g_ptr_array_add(drop, el);
                continue;
            }
            if ((g = virtkitDomainResctrlFind(owner, groups, ranges, (gint) groups->len,
                                              error)) == -2)
                return FALSE;
            norm = virtkitDomainRangesFormat(ranges);
            virtkitXmlNodeSetAttr(el, "vcpus", norm);
            if (k == 0) {
                GHashTable *seen;
                if (g >= 0) {
                    g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                                "XML error: Identical vcpus in cachetunes found");
                    return FALSE;
                }
                /* two allocations of one cache (level, id, type) collide */
                seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
                for (guint c = 0; c < el->children->len; c++) {
                    virtkitXmlNode *cache = el->children->pdata[c];
                    char *key;
                    if (strcmp(cache->name, "cache") != 0)
                        continue;
                    key = g_strdup_printf("%s|%s|%s", virtkitXmlNodeGetAttr(cache, "level") ?: "",
                                          virtkitXmlNodeGetAttr(cache, "id") ?: "",
                                          virtkitXmlNodeGetAttr(cache, "type") ?: "");
                    if (!g_hash_table_add(seen, key)) {
                        g_set_error(error, VIRTKIT_CONF_RESCTRL_ERROR, VIR_ERR_XML_ERROR,
                                    "XML error: Colliding cache allocations for cache level "
                                    "'%s' id '%s', type '%s'",
                                    virtkitXmlNodeGetAttr(cache, "level") ?: "",
                                    virtkitXmlNodeGetAttr(cache, "id") ?: "",
                                    virtkitXmlNodeGetAttr(cache, "type") ?: "");
                        g_hash_table_unref(seen);
                        return FALSE;
                    }
                }
                g_hash_table_unref(seen);
                g_ptr_array_add(cachetunes, el);
            } else {
                virtkitResctrlGroup *grp;
                if (g < 0) {
                    grp = g_new0(virtkitResctrlGroup, 1);
                    grp->ranges = g_steal_pointer(&ranges);
                    g_ptr_array_add(groups, grp);
                } else {
                    grp = groups->pdata[g];
                }
                if (!grp->nodes)
                    grp->nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
                /* one memorytune per group: a later one gives its nodes
                 * to the first */
                for (guint c = 0; c < el->children->len; c++) {
                    virtkitXmlNode *node = el->children->pdata[c];
                    const char *id = virtkitXmlNodeGetAttr(node, "id");
                    if (strcmp(node->name, "node") == 0 && id &&
                        !g_hash_table_add(grp->nodes, g_strdup(id))) {
                        g_set_error(error, VIRTKIT_CONF_RESCTRL_ERROR, VIR_ERR_XML_ERROR,
                                    "XML error: Memory Bandwidth already defined for node %s",
                                    id);
                        return FALSE;
                    }
                    if (grp->memorytune)
                        virtkitXmlNodeAddChild(grp->memorytune, virtkitXmlNodeCopy(node), -1);
                }
                if (grp->memorytune)
                    g_ptr_array_add(drop, el);
                else
                    grp->memorytune = el;
                continue;
            }
            /* a cachetune's group */
            {
                virtkitResctrlGroup *grp = g_new0(virtkitResctrlGroup, 1);
                grp->ranges = g_steal_pointer(&ranges);
                g_ptr_array_add(groups, grp);
            }
        }
    }

    /* The other children as they were, then the cachetunes, then one
     * memorytune per group in group order (the formatter's schema order
     * puts them in place). */
    kept = g_ptr_array_new_full(cputune->children->len, (GDestroyNotify) virtkitXmlNodeFree);
    for (guint i = 0; i < cputune->children->len; i++) {
        virtkitXmlNode *el = cputune->children->pdata[i];
        if (strcmp(el->name, "cachetune") != 0 && strcmp(el->name, "memorytune") != 0)
            g_ptr_array_add(kept, el);
    }
    for (guint i = 0; i < cachetunes->len; i++)
        g_ptr_array_add(kept, cachetunes->pdata[i]);
    for (guint i = 0; i < groups->len; i++) {
        virtkitResctrlGroup *grp = groups->pdata[i];
        if (grp->memorytune)
            g_ptr_array_add(kept, grp->memorytune);
    }
    for (guint i = 0; i < drop->len; i++)
        virtkitXmlNodeFree(drop->pdata[i]);
    g_ptr_array_set_free_func(cputune->children, NULL);
    g_ptr_array_unref(cputune->children);
    cputune->children = kept;
    return TRUE;
}

static gboolean
virtkitDomainPostVcpu(virtkitDomainPost *p, GError **error)
{
    virtkitXmlNode *vcpu = virtkitXmlNodeChild(p->root, "vcpu");
    guint64 n = 1, cur;
    if (!vcpu)
        vcpu = virtkitDomainTextChild(p->root, "vcpu", "1");
    if (!vcpu->text || !virtkitParseUInt64(g_strstrip(vcpu->text), &n) || n == 0 ||
        n > 16384) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL,
                    "Invalid <vcpu> count '%s': expected 1 to 16384",
                    vcpu->text ? vcpu->text : "");
        return FALSE;
    }
    virtkitDomainSetDefault(vcpu, "placement", "static");
    if (!virtkitDomainNormBitmapAttr(vcpu, "cpuset", error))
        return FALSE;
    if (virtkitXmlNodeGetAttr(vcpu, "current")) {
        if (!virtkitDomainParseUintAttr(vcpu, "current", &cur) || cur == 0 || cur > n) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL,
                        "Invalid current vCPU count '%s': it must be between 1 and the "
                        "maximum of %" G_GUINT64_FORMAT,
                        virtkitXmlNodeGetAttr(vcpu, "current"), n);
            return FALSE;
        }
        if (cur == n)
            virtkitXmlNodeRemoveAttr(vcpu, "current");
    }

    virtkitXmlNode *cputune = virtkitXmlNodeChild(p->root, "cputune");
    if (cputune) {
        if (!virtkitDomainSplitSched(cputune, "vcpusched", "vcpus", (guint) n, error) ||
            !virtkitDomainSplitSched(cputune, "iothreadsched", "iothreads", 0, error) ||
            !virtkitDomainPostResctrl(cputune, (guint) n, error))
            return FALSE;
        /* libvirt prints no <cputune> that holds nothing */
        if (cputune->children->len == 0 && cputune->attrs->len == 0 && !cputune->text) {
            virtkitXmlNodeRemoveChild(p->root, cputune);
            cputune = NULL;
        }
        for (guint i = 0; cputune && i < cputune->children->len; i++) {
            virtkitXmlNode *c = cputune->children->pdata[i];
            if (!virtkitDomainNormBitmapAttr(c, "cpuset", error))
                return FALSE;
        }
    }

    virtkitXmlNode *numatune = virtkitXmlNodeChild(p->root, "numatune");
    if (numatune) {
        g_autoptr(GPtrArray) nodes = virtkitDomainChildrenNamed(numatune, "memnode");
        for (guint i = 0; i < numatune->children->len; i++)
            if (!virtkitDomainNormBitmapAttr(numatune->children->pdata[i], "nodeset", error))
                return FALSE;
        /* memnode sorted by cellid */
        g_autofree virtkitDomainKeyedNode *keys = g_new0(virtkitDomainKeyedNode,
                                                         nodes->len ? nodes->len : 1);
        for (guint i = 0; i < nodes->len; i++) {
            guint64 cell = 0;
            virtkitDomainParseUintAttr(nodes->pdata[i], "cellid", &cell);
            keys[i].k2 = (gint64) MIN(cell, (guint64) G_MAXINT64);
        }
        virtkitDomainKeyedSort(nodes, keys);
        GPtrArray *rest = g_ptr_array_new_with_free_func((GDestroyNotify) virtkitXmlNodeFree);
        for (guint i = 0; i < numatune->children->len; i++) {
            virtkitXmlNode *c = numatune->children->pdata[i];
            if (strcmp(c->name, "memnode") != 0)
                g_ptr_array_add(rest, c);
        }
        for (guint i = 0; i < nodes->len; i++)
            g_ptr_array_add(rest, nodes->pdata[i]);
        g_ptr_array_set_free_func(numatune->children, NULL);
        g_ptr_array_unref(numatune->children);
        numatune->children = rest;
    }
    return TRUE;
}

static gboolean
virtkitDomainPostOs(virtkitDomainPost *p, GError **error)
{
    virtkitXmlNode *os = virtkitXmlNodeChild(p->root, "os");
    virtkitXmlNode *type = virtkitXmlNodeChild(os, "type");
    if (!type || !type->text || !*type->text) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                    "XML error: an os <type> must be specified");
        return FALSE;
    }
    p->os_type = type->text;
    if (!virtkitXmlNodeGetAttr(type, "arch")) {
        const char *arch = virtkitCapsDefaultArch(p->opts ? p->opts->caps : NULL, type->text,
                                                  virtkitXmlNodeGetAttr(p->root, "type"));
        struct utsname u;
        if (!arch && uname(&u) == 0)
            arch = u.machine;
        if (arch)
            virtkitXmlNodeSetAttr(type, "arch", arch);
    }
    if (!virtkitXmlNodeGetAttr(type, "machine") && p->opts && p->opts->caps) {
        const char *m = virtkitCapsDefaultMachine(p->opts->caps, type->text,
                                                  virtkitXmlNodeGetAttr(type, "arch"),
                                                  virtkitXmlNodeGetAttr(p->root, "type"));
        if (m)
            virtkitXmlNodeSetAttr(type, "machine", m);
    }

    /* <boot dev='hd'/> when nothing says how to boot a full VM */
    if (strcmp(type->text, "hvm") == 0 && !virtkitXmlNodeChild(os, "boot")) {
        gboolean per_device = FALSE;
        for (guint i = 0; p->devices && i < p->devices->children->len; i++)
            if (virtkitXmlNodeChild(p->devices->children->pdata[i], "boot"))
                per_device = TRUE;
        if (!per_device)
            virtkitXmlNodeSetAttr(virtkitXmlNodeAddNewChild(os, "boot"), "dev", "hd");
    }
    return TRUE;
}

static gboolean
virtkitDomainPostFeaturesCpu(virtkitDomainPost *p, GError **error)
{
    virtkitXmlNode *features = virtkitXmlNodeChild(p->root, "features");
    virtkitXmlNode *hyperv = virtkitXmlNodeChild(features, "hyperv");
    if (hyperv) {
        virtkitDomainSetDefault(hyperv, "mode", "custom");
        /* libvirt prints an empty <hyperv> as start and end tag */
        hyperv->flags |= VIRTKIT_XML_NODE_OPEN_CLOSE;
    }

    virtkitXmlNode *cpu = virtkitXmlNodeChild(p->root, "cpu");
    if (cpu) {
        /* libvirt reads the first <model> and ignores the others (one
         * dropped below would let the next come back on the next define) */
        virtkitXmlNode *model = virtkitDomainKeepFirst(cpu, "model");
        const char *mode = virtkitXmlNodeGetAttr(cpu, "mode");
        if (model && model->text && !mode) {
            virtkitXmlNodeSetAttr(cpu, "mode", "custom");
            mode = "custom";
        }
        if (model && mode && strcmp(mode, "custom") == 0) {
            virtkitDomainSetDefault(model, "fallback", "allow");
            virtkitDomainSetDefault(cpu, "match", "exact");
        }
        /* libvirt keeps a model only with a name: host-model's default
         * fallback comes with the name, and a <model> without one (whatever
         * its attributes, 'fallback' included) is dropped in every mode but
         * custom, so it never comes back on the next define */
        if (model && mode && strcmp(mode, "host-model") == 0 && model->text)
            virtkitDomainSetDefault(model, "fallback", "allow");
        if (model && mode && strcmp(mode, "custom") != 0 && !model->text) {
            virtkitXmlNodeRemoveChild(cpu, model);
            model = NULL;
        }
        if (virtkitXmlNodeChild(cpu, "vendor") && !(model && model->text)) {
            g_set_error(error, VIRTKIT_CONF_CPU_ERROR, VIR_ERR_XML_ERROR,
                        "XML error: CPU vendor specified without CPU model");
            return FALSE;
        }
        virtkitXmlNode *topo = virtkitXmlNodeChild(cpu, "topology");
        if (topo)
            virtkitDomainSetDefault(topo, "dies", "1");
        virtkitXmlNode *numa = virtkitXmlNodeChild(cpu, "numa");
        g_autoptr(GPtrArray) cells = virtkitDomainChildrenNamed(numa, "cell");
        for (guint i = 0; i < cells->len; i++)
            if (!virtkitXmlNodeGetAttr(cells->pdata[i], "id"))
                virtkitXmlNodeSetAttrf(cells->pdata[i], "id", "%u", i);
    }

    if (!virtkitXmlNodeChild(p->root, "clock"))
        virtkitXmlNodeSetAttr(virtkitXmlNodeAddNewChild(p->root, "clock"), "offset", "utc");
    static const char *const lifecycle[][2] = {
        { "on_poweroff", "destroy" }, { "on_reboot", "restart" }, { "on_crash", "destroy" },
    };
    for (guint i = 0; i < G_N_ELEMENTS(lifecycle); i++)
        if (!virtkitXmlNodeChild(p->root, lifecycle[i][0]))
            virtkitDomainTextChild(p->root, lifecycle[i][0], lifecycle[i][1]);

    virtkitXmlNode *desc = virtkitDomainKeepFirst(p->root, "description");
    if (desc && (!desc->text || !*desc->text))
        virtkitXmlNodeRemoveChild(p->root, desc);
    virtkitXmlNode *title = virtkitDomainKeepFirst(p->root, "title");
    if (title && (!title->text || !*title->text))
        virtkitXmlNodeRemoveChild(p->root, title);
    virtkitXmlNode *meta = virtkitDomainKeepFirst(p->root, "metadata");
    if (meta && (!meta->verbatim || !*meta->verbatim))
        virtkitXmlNodeRemoveChild(p->root, meta);
    return TRUE;
}

/* Controllers: index defaults, then the implicit ones libvirt adds. */
static virtkitXmlNode *
virtkitDomainFindController(virtkitDomainPost *p, const char *type, guint64 index)
{
    for (guint i = 0; i < p->devices->children->len; i++) {
        virtkitXmlNode *c = p->devices->children->pdata[i];
        guint64 idx;
        if (strcmp(c->name, "controller") == 0 && virtkitDomainAttrIs(c, "type", type) &&
            virtkitDomainParseUintAttr(c, "index", &idx) && idx == index)
            return c;
    }
    return NULL;
}

/* libvirt's insertion rule: before the first controller of the same type
 * with a greater index, else after the last one of that type, else last. */
static void virtkitDomainInsertOneController(virtkitDomainPost *p, const char *type, guint64 index);

/* libvirt adds every index up to the one a device refers to */
static void
virtkitDomainInsertController(virtkitDomainPost *p, const char *type, guint64 index)
{
    for (guint64 i = 0; i <= index && i < 256; i++)
        virtkitDomainInsertOneController(p, type, i);
}

static void
virtkitDomainInsertOneController(virtkitDomainPost *p, const char *type, guint64 index)
{
    GPtrArray *ch = p->devices->children;
    int insert_at = -1;
    virtkitXmlNode *c;

    if (virtkitDomainFindController(p, type, index))
        return;
    c = virtkitXmlNodeNew("controller");
    virtkitXmlNodeSetAttr(c, "type", type);
    virtkitXmlNodeSetAttrf(c, "index", "%" G_GUINT64_FORMAT, index);
    for (int i = (int) ch->len - 1; i >= 0; i--) {
        virtkitXmlNode *cur = ch->pdata[i];
        guint64 idx = 0;
        if (strcmp(cur->name, "controller") != 0 || !virtkitDomainAttrIs(cur, "type", type))
            continue;
        virtkitDomainParseUintAttr(cur, "index", &idx);
        if (idx > index)
            insert_at = i;
        else if (insert_at == -1)
            insert_at = i + 1;
    }
    virtkitXmlNodeAddChild(p->devices, c, insert_at);
}

static void
virtkitDomainPciHex(virtkitXmlNode *addr)
{
    static const struct { const char *attr; const char *fmt; } f[] = {
        { "domain", "0x%04" G_GINT64_MODIFIER "x" }, { "bus", "0x%02" G_GINT64_MODIFIER "x" },
        { "slot", "0x%02" G_GINT64_MODIFIER "x" }, { "function", "0x%" G_GINT64_MODIFIER "x" },
    };
    for (guint i = 0; i < G_N_ELEMENTS(f); i++) {
        guint64 v;
        if (virtkitDomainParseUintAttr(addr, f[i].attr, &v))
            virtkitXmlNodeSetAttrf(addr, f[i].attr, f[i].fmt, v);
    }
}

static const char *
virtkitDomainDiskBusFor(const char *dev)
{
    if (!dev)
        return NULL;
    if (g_str_has_prefix(dev, "hd"))
        return "ide";
    if (g_str_has_prefix(dev, "sd"))
        return "scsi";
    if (g_str_has_prefix(dev, "vd"))
        return "virtio";
    if (g_str_has_prefix(dev, "xvd"))
        return "xen";
    if (g_str_has_prefix(dev, "fd"))
        return "fdc";
    if (g_str_has_prefix(dev, "ubd"))
        return "uml";
    return NULL;
}

static void
virtkitDomainPostDisks(virtkitDomainPost *p)
{
    g_autoptr(GPtrArray) disks = virtkitDomainChildrenNamed(p->devices, "disk");
    g_autoptr(GPtrArray) sorted = g_ptr_array_copy(disks, NULL, NULL);
    g_autoptr(GHashTable) groups = g_hash_table_new(g_str_hash, g_str_equal);
    g_autofree virtkitDomainKeyedNode *keys = g_new0(virtkitDomainKeyedNode,
                                                     disks->len ? disks->len : 1);
    guint no_bus_group = G_MAXUINT;

    /* libvirt keeps disks grouped by bus (as written: a bus it defaults
     * later does not count), in target name order: it inserts each disk
     * before the first one of its bus with a greater index, else after the
     * last one of its bus, else at the end.  That makes one contiguous
     * group per bus, groups in the order their first disk came, each sorted
     * stably by index: the same order, sorted in O(n log n) instead of
     * inserted one by one in O(n^2). */
    for (guint i = 0; i < disks->len; i++) {
        virtkitXmlNode *t0 = virtkitXmlNodeChild(disks->pdata[i], "target");
        const char *bus = virtkitXmlNodeGetAttr(t0, "bus");
        gpointer g;
        if (!bus) {
            if (no_bus_group == G_MAXUINT)
                no_bus_group = i;
            keys[i].k1 = no_bus_group;
        } else if (g_hash_table_lookup_extended(groups, bus, NULL, &g)) {
            keys[i].k1 = GPOINTER_TO_UINT(g);
        } else {
            g_hash_table_insert(groups, (gpointer) bus, GUINT_TO_POINTER(i));
            keys[i].k1 = i;
        }
        keys[i].k2 = virtkitDomainDiskIndex(virtkitXmlNodeGetAttr(t0, "dev"));
    }
    virtkitDomainKeyedSort(sorted, keys);

    for (guint i = 0; i < disks->len; i++) {
        virtkitXmlNode *d = disks->pdata[i];
        virtkitXmlNode *target = virtkitXmlNodeChild(d, "target");
        virtkitXmlNode *driver = virtkitXmlNodeChild(d, "driver");
        virtkitXmlNode *source = virtkitXmlNodeChild(d, "source");
        const char *dev;

        virtkitDomainSetDefault(d, "type", "file");
        virtkitDomainSetDefault(d, "device", "disk");
        if (!target)
            target = virtkitXmlNodeAddNewChild(d, "target");
        dev = virtkitXmlNodeGetAttr(target, "dev");
        if (!virtkitXmlNodeGetAttr(target, "bus") && virtkitDomainDiskBusFor(dev))
            virtkitXmlNodeSetAttr(target, "bus", virtkitDomainDiskBusFor(dev));
        if (driver && virtkitDomainAttrIs(driver, "cache", "default"))
            virtkitXmlNodeRemoveAttr(driver, "cache");
        if (virtkitDomainAttrIs(d, "device", "cdrom") ||
            virtkitDomainAttrIs(d, "device", "floppy")) {
            if (virtkitDomainAttrIs(d, "device", "cdrom") && !virtkitXmlNodeChild(d, "readonly"))
                virtkitXmlNodeAddNewChild(d, "readonly");
        }
        if (source && virtkitDomainAttrIs(d, "type", "network")) {
            const char *proto = virtkitXmlNodeGetAttr(source, "protocol");
            const char *name = virtkitXmlNodeGetAttr(source, "name");
            if (proto && strcmp(proto, "iscsi") == 0 && name && !strchr(name, '/')) {
                g_autofree char *n = g_strdup_printf("%s/0", name);
                virtkitXmlNodeSetAttr(source, "name", n);
            }
            g_autoptr(GPtrArray) hosts = virtkitDomainChildrenNamed(source, "host");
            for (guint h = 0; h < hosts->len; h++) {
                virtkitXmlNode *host = hosts->pdata[h];
                const char *tr = virtkitXmlNodeGetAttr(host, "transport");
                if (proto && strcmp(proto, "gluster") == 0 && (!tr || strcmp(tr, "tcp") == 0))
                    virtkitDomainSetDefault(host, "port", "24007");
            }
        }
        /* backingStore index is live-only */
        for (virtkitXmlNode *b = virtkitXmlNodeChild(d, "backingStore"); b;
             b = virtkitXmlNodeChild(b, "backingStore"))
            virtkitXmlNodeRemoveAttr(b, "index");

        /* drive addresses */
        const char *bus = virtkitXmlNodeGetAttr(target, "bus");
        virtkitXmlNode *addr = virtkitXmlNodeChild(d, "address");
        int idx = virtkitDomainDiskIndex(dev);
        if (!addr && bus && idx >= 0) {
            guint64 ctrl = 0, abus = 0, unit = 0;
            gboolean assign = TRUE;
            if (strcmp(bus, "ide") == 0) {
                ctrl = idx / 4; abus = (idx % 4) / 2; unit = idx % 2;
            } else if (strcmp(bus, "scsi") == 0) {
                ctrl = idx / 7; unit = idx % 7;
            } else if (strcmp(bus, "sata") == 0) {
                ctrl = idx / 6; unit = idx % 6;
            } else if (strcmp(bus, "fdc") == 0) {
                ctrl = idx / 2; unit = idx % 2;
            } else {
                assign = FALSE;
            }
            if (assign) {
                addr = virtkitXmlNodeAddNewChild(d, "address");
                virtkitXmlNodeSetAttr(addr, "type", "drive");
                virtkitXmlNodeSetAttrf(addr, "controller", "%" G_GUINT64_FORMAT, ctrl);
                virtkitXmlNodeSetAttrf(addr, "bus", "%" G_GUINT64_FORMAT, abus);
                virtkitXmlNodeSetAttr(addr, "target", "0");
                virtkitXmlNodeSetAttrf(addr, "unit", "%" G_GUINT64_FORMAT, unit);
            }
        }
        if (addr && virtkitDomainAttrIs(addr, "type", "drive")) {
            virtkitDomainSetDefault(addr, "controller", "0");
            virtkitDomainSetDefault(addr, "bus", "0");
            virtkitDomainSetDefault(addr, "target", "0");
            virtkitDomainSetDefault(addr, "unit", "0");
        }
    }
    /* put the disks back in their new order, where the first one was */
    for (guint i = 0, k = 0; i < p->devices->children->len; i++) {
        virtkitXmlNode *c = p->devices->children->pdata[i];
        if (strcmp(c->name, "disk") == 0)
            p->devices->children->pdata[i] = sorted->pdata[k++];
    }
}

static gboolean
virtkitDomainIsChardev(const virtkitXmlNode *n)
{
    return strcmp(n->name, "serial") == 0 || strcmp(n->name, "parallel") == 0 ||
           strcmp(n->name, "console") == 0 || strcmp(n->name, "channel") == 0;
}

static void
virtkitDomainPostChardevSource(virtkitXmlNode *dev)
{
    const char *type = virtkitXmlNodeGetAttr(dev, "type");
    g_autoptr(GPtrArray) sources = virtkitDomainChildrenNamed(dev, "source");
    if (!type)
        return;
    if (strcmp(type, "tcp") == 0) {
        for (guint i = 0; i < sources->len; i++)
            virtkitDomainSetDefault(sources->pdata[i], "mode", "connect");
        if (!virtkitXmlNodeChild(dev, "protocol"))
            virtkitXmlNodeSetAttr(virtkitXmlNodeAddNewChild(dev, "protocol"), "type", "raw");
    } else if (strcmp(type, "unix") == 0) {
        for (guint i = 0; i < sources->len; i++) {
            virtkitXmlNode *s = sources->pdata[i];
            if (!virtkitXmlNodeGetAttr(s, "path")) {
                virtkitXmlNodeRemoveChild(dev, s);
                continue;
            }
            virtkitDomainSetDefault(s, "mode", "connect");
        }
    } else if (strcmp(type, "udp") == 0) {
        virtkitXmlNode *bind = NULL, *conn = NULL;
        for (guint i = 0; i < sources->len; i++) {
            virtkitXmlNode *s = sources->pdata[i];
            const char *mode = virtkitXmlNodeGetAttr(s, "mode");
            if (mode && strcmp(mode, "bind") == 0)
                bind = s;
            else {
                virtkitDomainSetDefault(s, "mode", "connect");
                conn = s;
            }
        }
        /* bind first, then connect */
        if (bind && conn) {
            guint ib = 0, ic = 0;
            g_ptr_array_find(dev->children, bind, &ib);
            g_ptr_array_find(dev->children, conn, &ic);
            if (ic < ib) {
                dev->children->pdata[ic] = bind;
                dev->children->pdata[ib] = conn;
            }
        }
    }
}

static void
virtkitDomainPostChardevs(virtkitDomainPost *p)
{
    GPtrArray *ch = p->devices->children;
    g_autoptr(GPtrArray) serials = virtkitDomainChildrenNamed(p->devices, "serial");
    g_autoptr(GPtrArray) parallels = virtkitDomainChildrenNamed(p->devices, "parallel");
    g_autoptr(GPtrArray) consoles = virtkitDomainChildrenNamed(p->devices, "console");

    for (guint i = 0; i < ch->len; i++) {
        virtkitXmlNode *c = ch->pdata[i];
        if (virtkitDomainIsChardev(c) || strcmp(c->name, "redirdev") == 0 ||
            (strcmp(c->name, "smartcard") == 0 && virtkitDomainAttrIs(c, "mode", "passthrough")))
            virtkitDomainPostChardevSource(c);
        if (strcmp(c->name, "rng") == 0) {
            virtkitXmlNode *b = virtkitXmlNodeChild(c, "backend");
            if (b && virtkitDomainAttrIs(b, "model", "egd"))
                virtkitDomainPostChardevSource(b);
        }
    }
    for (guint i = 0; i < serials->len; i++) {
        virtkitXmlNode *t = virtkitXmlNodeEnsureChild(serials->pdata[i], "target");
        if (!virtkitXmlNodeGetAttr(t, "port"))
            virtkitXmlNodeSetAttrf(t, "port", "%u", i);
    }
    for (guint i = 0; i < parallels->len; i++) {
        virtkitXmlNode *t = virtkitXmlNodeEnsureChild(parallels->pdata[i], "target");
        if (!virtkitXmlNodeGetAttr(t, "port"))
            virtkitXmlNodeSetAttrf(t, "port", "%u", i);
    }
    if (consoles->len == 0 && serials->len) {
        /* the first serial port is also the console */
        virtkitXmlNode *con = virtkitXmlNodeCopy(serials->pdata[0]);
        g_free(con->name);
        con->name = g_strdup("console");
        con->line = 0;
        virtkitXmlNode *ct = virtkitXmlNodeEnsureChild(con, "target");
        g_ptr_array_set_size(ct->children, 0);
        g_ptr_array_set_size(ct->attrs, 0);
        virtkitXmlNodeSetAttr(ct, "type", "serial");
        virtkitXmlNodeSetAttr(ct, "port", "0");
        virtkitXmlNode *ca = virtkitDomainKeepFirst(con, "address");
        if (ca)
            virtkitXmlNodeRemoveChild(con, ca);
        virtkitXmlNodeAddChild(p->devices, con, -1);
    } else if (consoles->len) {
        virtkitXmlNode *con = consoles->pdata[0];
        virtkitXmlNode *t = virtkitXmlNodeChild(con, "target");
        const char *ttype = virtkitXmlNodeGetAttr(t, "type");
        if (!ttype || strcmp(ttype, "serial") == 0) {
            if (!t)
                t = virtkitXmlNodeAddNewChild(con, "target");
            virtkitXmlNodeSetAttr(t, "type", "serial");
            virtkitDomainSetDefault(t, "port", "0");
            if (serials->len == 0 && g_strcmp0(p->os_type, "hvm") == 0) {
                /* the console is the first serial port: libvirt lists both */
                virtkitXmlNode *s = virtkitXmlNodeCopy(con);
                g_free(s->name);
                s->name = g_strdup("serial");
                s->line = 0;
                virtkitXmlNode *st = virtkitXmlNodeChild(s, "target");
                virtkitXmlNodeRemoveAttr(st, "type");
                virtkitXmlNodeSetAttr(st, "port", "0");
                guint pos = 0;
                g_ptr_array_find(ch, con, &pos);
                virtkitXmlNodeAddChild(p->devices, s, (int) pos);
            }
        }
        for (guint i = 0; i < consoles->len; i++) {
            virtkitXmlNode *ti = virtkitXmlNodeChild(consoles->pdata[i], "target");
            if (ti && virtkitDomainAttrIs(ti, "type", "virtio"))
                virtkitXmlNodeSetAttrf(ti, "port", "%u", i);
        }
    }
}

static void
virtkitDomainPostInterfaces(virtkitDomainPost *p)
{
    g_autoptr(GPtrArray) ifs = virtkitDomainChildrenNamed(p->devices, "interface");
    for (guint i = 0; i < ifs->len; i++) {
        virtkitXmlNode *n = ifs->pdata[i];
        virtkitXmlNode *mac = virtkitXmlNodeChild(n, "mac");
        if (!mac)
            mac = virtkitXmlNodeAddChild(n, virtkitXmlNodeNew("mac"), 0);
        if (!virtkitXmlNodeGetAttr(mac, "address")) {
            char m[18];
            virtkitMacGenerate(m);
            virtkitXmlNodeSetAttr(mac, "address", m);
        } else {
            g_autofree char *lower = g_ascii_strdown(virtkitXmlNodeGetAttr(mac, "address"), -1);
            virtkitXmlNodeSetAttr(mac, "address", lower);
        }
        virtkitXmlNode *vp = virtkitXmlNodeChild(n, "virtualport");
        if (vp) {
            const char *vt = virtkitXmlNodeGetAttr(vp, "type");
            const char *gen = NULL;
            if (g_strcmp0(vt, "802.1Qbg") == 0)
                gen = "instanceid";
            else if (g_strcmp0(vt, "openvswitch") == 0)
                gen = "interfaceid";
            if (gen) {
                virtkitXmlNode *params = virtkitXmlNodeEnsureChild(vp, "parameters");
                if (!virtkitXmlNodeGetAttr(params, gen)) {
                    g_autofree char *u = g_uuid_string_random();
                    virtkitXmlNodeSetAttr(params, gen, u);
                }
            }
        }
        /* no traffic filters on macvtap or passed-through NICs */
        virtkitXmlNode *filter = virtkitDomainKeepFirst(n, "filterref");
        if (filter &&
            (virtkitDomainAttrIs(n, "type", "direct") || virtkitDomainAttrIs(n, "type", "hostdev")))
            virtkitXmlNodeRemoveChild(n, filter);
        /* <driver> belongs to virtio NICs: libvirt does not keep it otherwise */
        virtkitXmlNode *drv = virtkitDomainKeepFirst(n, "driver");
        const char *model = virtkitXmlNodeGetAttr(virtkitDomainKeepFirst(n, "model"), "type");
        if (drv && (!model || !g_str_has_prefix(model, "virtio")) &&
            !virtkitDomainAttrIs(n, "type", "hostdev"))
            virtkitXmlNodeRemoveChild(n, drv);
        virtkitXmlNode *co = virtkitDomainKeepFirst(n, "coalesce");
        if (co) {
            virtkitXmlNode *rx = virtkitDomainKeepFirst(co, "rx");
            virtkitXmlNode *fr = virtkitDomainKeepFirst(rx, "frames");
            if (fr && virtkitDomainAttrIs(fr, "max", "0"))
                virtkitXmlNodeRemoveChild(rx, fr);
            if (rx && rx->children->len == 0)
                virtkitXmlNodeRemoveChild(co, rx);
            if (co->children->len == 0)
                virtkitXmlNodeRemoveChild(n, co);
        }
    }
}

static void
virtkitDomainPostGraphicsVideo(virtkitDomainPost *p)
{
    g_autoptr(GPtrArray) gr = virtkitDomainChildrenNamed(p->devices, "graphics");
    g_autoptr(GPtrArray) vids = virtkitDomainChildrenNamed(p->devices, "video");

    for (guint i = 0; i < gr->len; i++) {
        virtkitXmlNode *g = gr->pdata[i];
        const char *type = virtkitXmlNodeGetAttr(g, "type");
        if (type && strcmp(type, "rdp") == 0) {
            virtkitDomainSetDefault(g, "port", "0");
            if (!virtkitXmlNodeChild(g, "listen"))
                virtkitXmlNodeSetAttr(virtkitXmlNodeAddChild(g, virtkitXmlNodeNew("listen"), 0),
                                      "type", "address");
            continue;
        }
        if (!type || (strcmp(type, "vnc") != 0 && strcmp(type, "spice") != 0))
            continue;
        if (strcmp(type, "spice") == 0 && virtkitDomainAttrIs(g, "autoport", "yes")) {
            /* ports are chosen at start: the inactive definition has none */
            virtkitXmlNodeRemoveAttr(g, "port");
            virtkitXmlNodeRemoveAttr(g, "tlsPort");
        }
        virtkitXmlNode *l0 = virtkitXmlNodeChild(g, "listen");
        if (strcmp(type, "spice") == 0 &&
            !(l0 &&
              (virtkitDomainAttrIs(l0, "type", "none") ||
               virtkitDomainAttrIs(l0, "type", "socket"))))
            virtkitDomainSetDefault(g, "autoport", "no");
        const char *sock = virtkitXmlNodeGetAttr(g, "socket");
        const char *listen = virtkitXmlNodeGetAttr(g, "listen");
        if (strcmp(type, "vnc") == 0 && !sock && !virtkitXmlNodeGetAttr(g, "port")) {
            virtkitXmlNodeSetAttr(g, "port", "-1");
            virtkitDomainSetDefault(g, "autoport", "yes");
        }
        if (strcmp(type, "vnc") == 0 && virtkitDomainAttrIs(g, "port", "-1"))
            virtkitDomainSetDefault(g, "autoport", "yes");
        virtkitXmlNode *l = virtkitXmlNodeChild(g, "listen");
        if (sock && strcmp(type, "vnc") == 0) {
            /* the socket attribute wins over any listen element */
            g_autoptr(GPtrArray) ls = virtkitDomainChildrenNamed(g, "listen");
            for (guint k = 0; k < ls->len; k++)
                virtkitXmlNodeRemoveChild(g, ls->pdata[k]);
            l = virtkitXmlNodeAddChild(g, virtkitXmlNodeNew("listen"), 0);
            virtkitXmlNodeSetAttr(l, "type", "socket");
            virtkitXmlNodeSetAttr(l, "socket", sock);
        } else if (!l) {
            l = virtkitXmlNodeAddChild(g, virtkitXmlNodeNew("listen"), 0);
            virtkitXmlNodeSetAttr(l, "type", "address");
            if (listen)
                virtkitXmlNodeSetAttr(l, "address", listen);
        } else if (!listen && virtkitDomainAttrIs(l, "type", "address") &&
                   virtkitXmlNodeGetAttr(l, "address")) {
            virtkitXmlNodeSetAttr(g, "listen", virtkitXmlNodeGetAttr(l, "address"));
        }
    }

    if (gr->len && vids->len == 0 && g_strcmp0(p->os_type, "hvm") == 0) {
        virtkitXmlNode *v = virtkitXmlNodeAddNewChild(p->devices, "video");
        virtkitXmlNode *m = virtkitXmlNodeAddNewChild(v, "model");
        virtkitXmlNodeSetAttr(m, "type", "cirrus");
        g_ptr_array_add(vids, v);
    }
    static const struct { const char *model; const char *vram; } vram[] = {
        { "cirrus", "16384" }, { "vga", "16384" }, { "vmvga", "4096" }, { "xen", "16384" },
        { "qxl", "65536" }, { "vbox", "8192" }, { "bochs", "16384" },
    };
    for (guint i = 0; i < vids->len; i++) {
        virtkitXmlNode *m = virtkitXmlNodeEnsureChild(vids->pdata[i], "model");
        const char *type = virtkitXmlNodeGetAttr(m, "type");
        if (!type) {
            type = "cirrus";
            virtkitXmlNodeSetAttr(m, "type", type);
        }
        if (strcmp(type, "qxl") == 0)
            virtkitDomainSetDefault(m, "ram", "65536");
        for (guint k = 0; k < G_N_ELEMENTS(vram); k++)
            if (strcmp(type, vram[k].model) == 0)
                virtkitDomainSetDefault(m, "vram", vram[k].vram);
        if (strcmp(type, "none") != 0)
            virtkitDomainSetDefault(m, "heads", "1");
        if (i == 0 && strcmp(type, "none") != 0)
            virtkitDomainSetDefault(m, "primary", "yes");
    }
}

static void
virtkitDomainPostMiscDevices(virtkitDomainPost *p)
{
    GPtrArray *ch = p->devices->children;
    guint ccid_slot = 0;
    for (guint i = 0; i < ch->len; i++) {
        virtkitXmlNode *c = ch->pdata[i];
        if (strcmp(c->name, "filesystem") == 0) {
            virtkitDomainSetDefault(c, "type", "mount");
            virtkitDomainSetDefault(c, "accessmode", "passthrough");
        } else if (strcmp(c->name, "hostdev") == 0) {
            if (virtkitDomainAttrIs(c, "mode", "subsystem") || !virtkitXmlNodeGetAttr(c, "mode")) {
                virtkitDomainSetDefault(c, "mode", "subsystem");
                virtkitDomainSetDefault(c, "managed", "no");
            }
            virtkitXmlNode *src = virtkitXmlNodeChild(c, "source");
            virtkitXmlNode *sa = virtkitXmlNodeChild(src, "address");
            if (sa && virtkitDomainAttrIs(c, "type", "pci"))
                virtkitDomainPciHex(sa);
        } else if (strcmp(c->name, "redirdev") == 0) {
            /* libvirt prints an empty <redirdev> as start and end tag */
            c->flags |= VIRTKIT_XML_NODE_OPEN_CLOSE;
        } else if (strcmp(c->name, "watchdog") == 0) {
            virtkitDomainSetDefault(c, "action", "reset");
        } else if (strcmp(c->name, "shmem") == 0) {
            if (!virtkitXmlNodeChild(c, "model"))
                virtkitXmlNodeSetAttr(virtkitXmlNodeAddChild(c, virtkitXmlNodeNew("model"), 0),
                                      "type", "ivshmem");
        } else if (strcmp(c->name, "smartcard") == 0) {
            virtkitXmlNode *a = virtkitXmlNodeChild(c, "address");
            if (!a) {
                a = virtkitXmlNodeAddNewChild(c, "address");
                virtkitXmlNodeSetAttr(a, "type", "ccid");
                virtkitXmlNodeSetAttr(a, "controller", "0");
                virtkitXmlNodeSetAttrf(a, "slot", "%u", ccid_slot);
            }
            ccid_slot++;
        } else if (strcmp(c->name, "interface") == 0) {
            virtkitXmlNode *src = virtkitXmlNodeChild(c, "source");
            virtkitXmlNode *sa = virtkitXmlNodeChild(src, "address");
            if (sa && virtkitDomainAttrIs(sa, "type", "pci"))
                virtkitDomainPciHex(sa);
        }
        virtkitXmlNode *addr = virtkitXmlNodeChild(c, "address");
        if (addr && virtkitDomainAttrIs(addr, "type", "pci"))
            virtkitDomainPciHex(addr);
        if (addr && virtkitDomainAttrIs(addr, "type", "virtio-serial")) {
            virtkitDomainSetDefault(addr, "controller", "0");
            virtkitDomainSetDefault(addr, "bus", "0");
            virtkitDomainSetDefault(addr, "port", "0");
        }
    }
}

static void
virtkitDomainPostControllers(virtkitDomainPost *p)
{
    GPtrArray *ch = p->devices->children;
    g_autoptr(GHashTable) next = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    /* explicit indexes first, then fill in the missing ones */
    for (guint i = 0; i < ch->len; i++) {
        virtkitXmlNode *c = ch->pdata[i];
        guint64 idx;
        if (strcmp(c->name, "controller") != 0 || !virtkitDomainParseUintAttr(c, "index", &idx))
            continue;
        const char *type = virtkitXmlNodeGetAttr(c, "type");
        guint64 cur = GPOINTER_TO_SIZE(g_hash_table_lookup(next, type ? type : ""));
        if (idx + 1 > cur)
            g_hash_table_insert(next, g_strdup(type ? type : ""), GSIZE_TO_POINTER(idx + 1));
        if (virtkitDomainAttrIs(c, "type", "pci") || virtkitDomainAttrIs(c, "model", "pcie-root")) {
            virtkitXmlNode *a = virtkitXmlNodeChild(c, "address");
            if (a && virtkitDomainAttrIs(a, "type", "pci"))
                virtkitDomainPciHex(a);
        }
    }
    virtkitXmlNode *last_usb = NULL;
    for (guint i = 0; i < ch->len; i++) {
        virtkitXmlNode *c = ch->pdata[i];
        if (strcmp(c->name, "controller") != 0)
            continue;
        const char *type = virtkitXmlNodeGetAttr(c, "type");
        const char *model = virtkitXmlNodeGetAttr(c, "model");
        gboolean companion = type && strcmp(type, "usb") == 0 && model &&
                             g_str_has_prefix(model, "ich9-") &&
                             (strstr(model, "uhci") || strstr(model, "ehci"));
        if (companion && g_str_has_prefix(model, "ich9-uhci") &&
            !virtkitXmlNodeChild(c, "master")) {
            /* UHCI companions sit behind the EHCI master's ports 0, 2, 4 */
            virtkitXmlNode *m = virtkitXmlNodeAddNewChild(c, "master");
            virtkitXmlNodeSetAttrf(m, "startport", "%d", (model[9] - '1') * 2);
        }
        if (!virtkitXmlNodeGetAttr(c, "index")) {
            guint64 cur = GPOINTER_TO_SIZE(g_hash_table_lookup(next, type ? type : ""));
            guint64 idx = cur;
            /* a companion joins the group of the USB controller before it
             * unless that group already has its model */
            if (companion && last_usb) {
                const char *lm = virtkitXmlNodeGetAttr(last_usb, "model");
                guint64 lidx = 0;
                virtkitDomainParseUintAttr(last_usb, "index", &lidx);
                if (lm && g_str_has_prefix(lm, "ich9-")) {
                    gboolean taken = FALSE;
                    for (guint k = 0; k < i; k++) {
                        virtkitXmlNode *o = ch->pdata[k];
                        guint64 oidx;
                        if (strcmp(o->name, "controller") == 0 &&
                            virtkitDomainAttrIs(o, "type", "usb") &&
                            virtkitDomainAttrIs(o, "model", model) &&
                            virtkitDomainParseUintAttr(o, "index", &oidx) &&
                            oidx == lidx)
                            taken = TRUE;
                    }
                    if (!taken)
                        idx = lidx;
                }
            }
            virtkitXmlNodeSetAttrf(c, "index", "%" G_GUINT64_FORMAT, idx);
            if (idx + 1 > cur)
                g_hash_table_insert(next, g_strdup(type ? type : ""), GSIZE_TO_POINTER(idx + 1));
        }
        if (type && strcmp(type, "usb") == 0)
            last_usb = c;
    }

    /* implicit controllers, in libvirt's order: disk buses, hostdev scsi,
     * virtio-serial, ccid */
    static const char *const buses[] = { "scsi", "fdc", "ide", "sata" };
    for (guint b = 0; b < G_N_ELEMENTS(buses); b++) {
        g_autoptr(GPtrArray) disks = virtkitDomainChildrenNamed(p->devices, "disk");
        for (guint i = 0; i < disks->len; i++) {
            virtkitXmlNode *d = disks->pdata[i];
            virtkitXmlNode *t = virtkitXmlNodeChild(d, "target");
            virtkitXmlNode *a = virtkitXmlNodeChild(d, "address");
            guint64 ctrl = 0;
            if (!virtkitDomainAttrIs(t, "bus", buses[b]) || !a ||
                !virtkitDomainAttrIs(a, "type", "drive"))
                continue;
            virtkitDomainParseUintAttr(a, "controller", &ctrl);
            virtkitDomainInsertController(p, buses[b], ctrl);
        }
    }
    for (guint i = 0; i < ch->len; i++) {
        virtkitXmlNode *c = ch->pdata[i];
        virtkitXmlNode *a = virtkitXmlNodeChild(c, "address");
        guint64 ctrl = 0;
        if (strcmp(c->name, "hostdev") != 0 || !virtkitDomainAttrIs(c, "type", "scsi") || !a ||
            !virtkitDomainAttrIs(a, "type", "drive"))
            continue;
        virtkitDomainParseUintAttr(a, "controller", &ctrl);
        virtkitDomainInsertController(p, "scsi", ctrl);
    }
    for (guint i = 0; i < ch->len; i++) {
        virtkitXmlNode *c = ch->pdata[i];
        if (strcmp(c->name, "channel") != 0 && strcmp(c->name, "console") != 0)
            continue;
        virtkitXmlNode *t = virtkitXmlNodeChild(c, "target");
        if (!virtkitDomainAttrIs(t, "type", "virtio"))
            continue;
        virtkitXmlNode *a = virtkitXmlNodeChild(c, "address");
        guint64 ctrl = 0;
        if (a && virtkitDomainAttrIs(a, "type", "virtio-serial"))
            virtkitDomainParseUintAttr(a, "controller", &ctrl);
        if (strcmp(c->name, "console") == 0 && !a) {
            /* virtio consoles need the controller only to exist */
            virtkitDomainInsertController(p, "virtio-serial", 0);
            continue;
        }
        virtkitDomainInsertController(p, "virtio-serial", ctrl);
    }
    if (virtkitXmlNodeChild(p->devices, "smartcard"))
        virtkitDomainInsertController(p, "ccid", 0);
}

/* The disk path libvirt names in its messages: a file, a block device, a
 * directory or a volume's name; NULL when there is none. */
static const char *
virtkitDomainDiskSourcePath(virtkitXmlNode *d)
{
    virtkitXmlNode *src = virtkitXmlNodeChild(d, "source");
    static const char *const attrs[] = { "file", "dev", "dir", "name", "volume", NULL };

    for (guint i = 0; src && attrs[i]; i++)
        if (virtkitXmlNodeGetAttr(src, attrs[i]))
            return virtkitXmlNodeGetAttr(src, attrs[i]);
    return NULL;
}

/* What libvirt refuses in a domain's disks: two disks with one target (the
 * guest would see one), and a file or block disk that is no removable drive
 * but has no source.  One pass with a hash table: O(n) in the disks. */
static gboolean
virtkitDomainCheckDisks(virtkitDomainPost *p, GError **error)
{
    g_autoptr(GPtrArray) disks = virtkitDomainChildrenNamed(p->devices, "disk");
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (guint i = 0; i < disks->len; i++) {
        virtkitXmlNode *d = disks->pdata[i];
        const char *dev = virtkitXmlNodeGetAttr(virtkitXmlNodeChild(d, "target"), "dev");
        const char *type = virtkitXmlNodeGetAttr(d, "type");
        const char *device = virtkitXmlNodeGetAttr(d, "device");
        gpointer other;

        if (!dev)
            continue;
        if (g_hash_table_lookup_extended(seen, dev, NULL, &other)) {
            const char *a = virtkitDomainDiskSourcePath(other);
            const char *b = virtkitDomainDiskSourcePath(d);

            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                        "XML error: target '%s' duplicated for disk sources '%s' and '%s'",
                        dev, a ? a : "<null>", b ? b : "<null>");
            return FALSE;
        }
        g_hash_table_insert(seen, (gpointer)dev, d);
        if ((!type || g_str_equal(type, "file") || g_str_equal(type, "block")) &&
            (!device || g_str_equal(device, "disk") || g_str_equal(device, "lun")) &&
            !virtkitDomainDiskSourcePath(d)) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_NO_SOURCE,
                        "missing source information for device %s", dev);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
virtkitDomainPostParse(virtkitXmlNode *root, const virtkitDomainParseOptions *opts, GError **error)
{
    virtkitDomainPost p = { .root = root, .opts = opts };
    virtkitXmlNode *name = virtkitXmlNodeChild(root, "name");
    virtkitXmlNode *uuid = virtkitXmlNodeChild(root, "uuid");
    unsigned char u[16];
    char ustr[37];

    if (!virtkitXmlNodeGetAttr(root, "type")) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                    "The <domain> element at line %d has no 'type' attribute", root->line);
        return FALSE;
    }
    if (!name || !name->text || !*name->text) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_NO_NAME,
                    "The domain definition has no <name>");
        return FALSE;
    }
    /* libvirt's check and words: a newline would make one domain two lines
     * in every listing by name */
    if (strchr(name->text, '\n')) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL, "invalid char in name: \n");
        return FALSE;
    }
    if (strchr(name->text, '/')) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                    "Domain name '%s' cannot contain '/'", name->text);
        return FALSE;
    }
    if (uuid) {
        if (!virtkitUUIDParse(uuid->text, u)) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL,
                        "Malformed <uuid> '%s' at line %d", uuid->text ? uuid->text : "",
                        uuid->line);
            return FALSE;
        }
    } else {
        virtkitUUIDGenerate(u);
        uuid = virtkitXmlNodeAddNewChild(root, "uuid");
    }
    virtkitUUIDFormat(u, ustr);
    virtkitXmlNodeSetText(uuid, ustr);
    virtkitXmlNode *genid = virtkitXmlNodeChild(root, "genid");
    if (genid) {
        if (genid->text && *genid->text) {
            if (!virtkitUUIDParse(genid->text, u)) {
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL,
                            "Malformed <genid> '%s' at line %d", genid->text, genid->line);
                return FALSE;
            }
        } else {
            virtkitUUIDGenerate(u);
        }
        virtkitUUIDFormat(u, ustr);
        virtkitXmlNodeSetText(genid, ustr);
    }

    p.devices = virtkitXmlNodeChild(root, "devices");
    if (!p.devices)
        p.devices = virtkitXmlNodeAddNewChild(root, "devices");

    if (!virtkitDomainPostMemory(&p, error) || !virtkitDomainPostVcpu(&p, error))
        return FALSE;
    if (!virtkitDomainPostOs(&p, error))
        return FALSE;
    if (!virtkitDomainPostFeaturesCpu(&p, error) || !virtkitDomainCheckDisks(&p, error))
        return FALSE;
    virtkitDomainPostDisks(&p);
    virtkitDomainPostChardevs(&p);
    virtkitDomainPostInterfaces(&p);
    virtkitDomainPostGraphicsVideo(&p);
    virtkitDomainPostMiscDevices(&p);
    virtkitDomainPostControllers(&p);
    return TRUE;
}

/* ---- public API ------------------------------------------------------- */

virtkitDomainDef *
virtkitDomainDefParseString(const char *xml, const virtkitDomainParseOptions *opts,
                            unsigned int flags, GError **error)
{
    g_autoptr(virtkitXmlNode) root = NULL;
    static const char *const default_ns[] = { VIRTKIT_DOMAIN_QEMU_NS, NULL };
    virtkitDomainCheckCtx ctx = { 0 };
    virtkitDomainDef *def;

    if (flags & ~VIR_DOMAIN_DEFINE_VALIDATE) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG,
                    "Unsupported flags 0x%x for parsing a domain definition",
                    flags & ~VIR_DOMAIN_DEFINE_VALIDATE);
        return NULL;
    }
    root = virtkitXmlParse(xml, opts ? opts->max_size : 0, "domain", "domain definition",
                           error);
    if (!root)
        return NULL;

    ctx.validate = (flags & VIR_DOMAIN_DEFINE_VALIDATE) != 0;
    ctx.keep_ns = opts && opts->keep_namespaces ? opts->keep_namespaces : default_ns;
    ctx.warnings = g_ptr_array_new_with_free_func(g_free);
    if (!virtkitDomainCheckNode(&ctx, root, "domain", error) ||
        !virtkitDomainPostParse(root, opts, error)) {
        g_ptr_array_unref(ctx.warnings);
        return NULL;
    }
    g_ptr_array_add(ctx.warnings, NULL);
    virtkitDomainOrderNode(root, "domain");

    def = g_new0(virtkitDomainDef, 1);
    def->refs = 1;
    def->root = g_steal_pointer(&root);
    def->warnings = ctx.warnings;
    def->serial = virtkitDomainDefNextSerial();
    def->ordered = TRUE;
    return def;
}

void
virtkitDomainDefFree(virtkitDomainDef *def)
{
    if (!def || !g_atomic_int_dec_and_test(&def->refs))
        return;
    virtkitXmlNodeFree(def->root);
    if (def->warnings)
        g_ptr_array_unref(def->warnings);
    g_free(def);
}

virtkitDomainDef *
virtkitDomainDefRef(virtkitDomainDef *def)
{
    g_atomic_int_inc(&def->refs);
    return def;
}

virtkitDomainDef *
virtkitDomainDefCopy(const virtkitDomainDef *def)
{
    virtkitDomainDef *c = g_new0(virtkitDomainDef, 1);
    c->refs = 1;
    c->root = virtkitXmlNodeCopy(def->root);
    c->warnings = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(c->warnings, NULL);
    c->serial = virtkitDomainDefNextSerial();
    c->ordered = def->ordered;
    return c;
}

guint64
virtkitDomainDefGetSerial(const virtkitDomainDef *def)
{
    return def->serial;
}

const char *const *
virtkitDomainDefGetWarnings(const virtkitDomainDef *def)
{
    return (const char *const *) def->warnings->pdata;
}

virtkitXmlNode *
virtkitDomainDefGetRoot(virtkitDomainDef *def)
{
    /* the caller may change anything, its order among it */
    def->ordered = FALSE;
    return def->root;
}

const virtkitXmlNode *
virtkitDomainDefPeekRoot(const virtkitDomainDef *def)
{
    return def->root;
}

/* ---- formatting without copying ------------------------------------------
 *
 * What virtkitDomainDefFormat's general path does (copy the tree, order it,
 * drop passwords, virtkitXmlFormat it) in one walk over the untouched tree:
 * each node's attributes and children are visited in the order virtkitDomainOrderNode
 * would have put them in.  Used when no element on the root has a namespace
 * (the general path moves their declarations onto the root). */

typedef struct {
    GString *buf;
    GString *key;                   /* the key of the node being formatted */
    const virtkitXmlNode *devices;  /* its graphics lose passwd unless secure */
    gboolean secure;
} virtkitDomainFmt;

static void
virtkitDomainFmtIndent(GString *buf, int indent)
{
    static const char spaces[] = "                                                                ";
    while (indent > 0) {
        int k = MIN(indent, (int) sizeof(spaces) - 1);
        virtkitXmlPut(buf, spaces, k);
        indent -= k;
    }
}

static void
virtkitDomainFmtAttr(GString *buf, const char *name, const char *value)
{
    virtkitXmlPut(buf, " ", 1);
    virtkitXmlPutStr(buf, name);
    virtkitXmlPut(buf, "='", 2);
    virtkitXmlEscape(buf, value);
    g_string_append_c(buf, '\'');
}

static void
virtkitDomainFmtClose(GString *buf, const char *name)
{
    virtkitXmlPut(buf, "</", 2);
    virtkitXmlPutStr(buf, name);
    virtkitXmlPut(buf, ">\n", 2);
}

/* virtkitXmlFormat's not-blank test */
static gboolean
virtkitDomainFmtBlank(const char *s)
{
    for (; s && *s; s++)
        if (!g_ascii_isspace(*s))
            return FALSE;
    return TRUE;
}

static void virtkitDomainFmtNode(virtkitDomainFmt *f, const virtkitXmlNode *node,
                                 const virtkitDomainRule *e, int indent);

/* @node's children at @indent, in @e's order (NULL: as written) */
static void
virtkitDomainFmtChildren(virtkitDomainFmt *f, const virtkitXmlNode *node,
                         const virtkitDomainRule *e, int indent)
{
    guint n = node->children->len;
    gpointer stack[RANK_STACK];
    gpointer *items;

    if (!e) {
        for (guint i = 0; i < n; i++)
            virtkitDomainFmtNode(f, node->children->pdata[i], NULL, indent);
        return;
    }
    if (n == 0)
        return;     /* (an empty GPtrArray's pdata is NULL: no memcpy from it) */
    items = n > RANK_STACK ? g_new(gpointer, n) : stack;
    memcpy(items, node->children->pdata, n * sizeof(gpointer));
    virtkitDomainSortChildren(e, items, n);
    for (guint i = 0; i < n; i++) {
        const virtkitXmlNode *c = items[i];
        gsize len = f->key->len;
        virtkitDomainKeyPush(f->key, node, c);
        virtkitDomainFmtNode(f, c, virtkitDomainOrderEntry(f->key->str, c), indent);
        g_string_truncate(f->key, len);
    }
    if (items != stack)
        g_free(items);
}

/* @e: the entry ordering @node (f->key holds its key), or NULL: as written */
static void
virtkitDomainFmtNode(virtkitDomainFmt *f, const virtkitXmlNode *node, const virtkitDomainRule *e,
                     int indent)
{
    GString *buf = f->buf;
    gpointer stack[RANK_STACK];
    gpointer *items = stack;
    gboolean drop_passwd = !f->secure && f->devices && node->parent == f->devices &&
                           strcmp(node->name, "graphics") == 0;
    guint n;

    virtkitDomainFmtIndent(buf, indent);
    virtkitXmlPut(buf, "<", 1);
    virtkitXmlPutStr(buf, node->name);
    if (node->ns_href) {
        const char *colon = strchr(node->name, ':');
        if (colon && colon - node->name < 64 &&
            !(node->parent && node->parent->ns_href &&
              strcmp(node->parent->ns_href, node->ns_href) == 0)) {
            virtkitXmlPut(buf, " xmlns:", 7);
            virtkitXmlPut(buf, node->name, colon - node->name);
            virtkitXmlPut(buf, "='", 2);
            virtkitXmlEscape(buf, node->ns_href);
            g_string_append_c(buf, '\'');
        }
    }
    n = node->attrs->len;
    if (e && n > 1) {
        if (n > RANK_STACK)
            items = g_new(gpointer, n);
        memcpy(items, node->attrs->pdata, n * sizeof(gpointer));
        virtkitDomainSortAttrs(e, items, n);
    } else {
        items = node->attrs->pdata;
    }
    for (guint i = 0; i < n; i++) {
        const virtkitXmlAttr *a = items[i];
        if (drop_passwd && strcmp(a->name, "passwd") == 0) {
            drop_passwd = FALSE;
            continue;
        }
        virtkitDomainFmtAttr(buf, a->name, a->value);
    }
    if (items != stack && items != node->attrs->pdata)
        g_free(items);

    if (node->verbatim && *node->verbatim) {
        virtkitXmlPut(buf, ">\n", 2);
        for (const char *p = node->verbatim; *p;) {
            const char *nl = strchr(p, '\n');
            gsize len = nl ? (gsize) (nl - p) : strlen(p);
            if (len) {
                virtkitDomainFmtIndent(buf, indent + 2);
                virtkitXmlPut(buf, p, len);
                virtkitXmlPut(buf, "\n", 1);
            }
            p += len;
            if (*p)
                p++;
        }
        virtkitDomainFmtIndent(buf, indent);
        virtkitDomainFmtClose(buf, node->name);
        return;
    }
    n = node->children->len;
    if (n == 0) {
        if (node->text && *node->text) {
            virtkitXmlPut(buf, ">", 1);
            virtkitXmlEscape(buf, node->text);
            virtkitDomainFmtClose(buf, node->name);
        } else if (node->flags & VIRTKIT_XML_NODE_OPEN_CLOSE) {
            virtkitXmlPut(buf, ">\n", 2);
            virtkitDomainFmtIndent(buf, indent);
            virtkitDomainFmtClose(buf, node->name);
        } else {
            virtkitXmlPut(buf, "/>\n", 3);
        }
        return;
    }
    virtkitXmlPut(buf, ">", 1);
    if (node->text && !virtkitDomainFmtBlank(node->text))
        virtkitXmlEscape(buf, node->text);
    virtkitXmlPut(buf, "\n", 1);
    virtkitDomainFmtChildren(f, node, e, indent + 2);
    virtkitDomainFmtIndent(buf, indent);
    virtkitDomainFmtClose(buf, node->name);
}

/* @id: the root's id attribute: set to it, or removed when negative;
 * FORMAT_ID_KEEP: as it is */
#define FORMAT_ID_KEEP G_MININT

/* @ordered: the tree below the root is in order already (a parsed
 * definition not changed since): written as it is, without looking up a
 * rule per element; the root's attributes are still ordered, for the id. */
static char *
virtkitDomainFormatFast(const virtkitXmlNode *root, unsigned int flags, int id, gboolean ordered)
{
    virtkitDomainFmt f = {
        .buf = g_string_sized_new(2048),
        .key = g_string_sized_new(256),
        .devices = virtkitXmlNodeChild(root, "devices"),
        .secure = (flags & VIR_DOMAIN_XML_SECURE) != 0,
    };
    GString *buf = f.buf;
    const virtkitDomainRule *e;
    gpointer astack[RANK_STACK], cstack[RANK_STACK];
    gpointer *attrs = astack, *children = cstack;
    virtkitXmlAttr id_attr = { (char *) "id", NULL };
    char id_str[16];
    guint na = 0, nc = root->children->len;
    gboolean id_done = FALSE;

    g_string_append(f.key, "domain");
    e = virtkitDomainOrderEntry(f.key->str, root);

    /* the root's attributes, id set or dropped in place (or added last) */
    if (root->attrs->len + 1 > RANK_STACK)
        attrs = g_new(gpointer, root->attrs->len + 1);
    if (id >= 0) {
        g_snprintf(id_str, sizeof(id_str), "%d", id);
        id_attr.value = id_str;
    }
    for (guint i = 0; i < root->attrs->len; i++) {
        virtkitXmlAttr *a = root->attrs->pdata[i];
        if (id != FORMAT_ID_KEEP && !id_done && strcmp(a->name, "id") == 0) {
            id_done = TRUE;
            if (id >= 0)
                attrs[na++] = &id_attr;
            continue;
        }
        attrs[na++] = a;
    }
    if (id >= 0 && !id_done)
        attrs[na++] = &id_attr;
    if (e)
        virtkitDomainSortAttrs(e, attrs, na);

    virtkitXmlPut(buf, "<", 1);
    virtkitXmlPutStr(buf, root->name);
    for (guint i = 0; i < na; i++) {
        const virtkitXmlAttr *a = attrs[i];
        virtkitDomainFmtAttr(buf, a->name, a->value);
    }
    virtkitXmlPut(buf, ">\n", 2);

    if (nc > RANK_STACK)
        children = g_new(gpointer, nc);
    if (nc)
        memcpy(children, root->children->pdata, nc * sizeof(gpointer));
    if (e && !ordered)
        virtkitDomainSortChildren(e, children, nc);
    for (guint i = 0; i < nc; i++) {
        const virtkitXmlNode *c = children[i];
        gsize len = f.key->len;
        const virtkitDomainRule *ce = NULL;
        if (e && !ordered) {
            virtkitDomainKeyPush(f.key, root, c);
            ce = virtkitDomainOrderEntry(f.key->str, c);
        }
        if (c == f.devices) {
            virtkitXmlPutStr(buf, "  <devices>\n");
            virtkitDomainFmtChildren(&f, c, ce, 4);
            virtkitXmlPutStr(buf, "  </devices>\n");
        } else {
            virtkitDomainFmtNode(&f, c, ce, 2);
        }
        g_string_truncate(f.key, len);
    }
    virtkitDomainFmtClose(buf, root->name);

    if (attrs != astack)
        g_free(attrs);
    if (children != cstack)
        g_free(children);
    g_string_free(f.key, TRUE);
    return g_string_free(buf, FALSE);
}

static gboolean
virtkitDomainFormatFastOk(const virtkitXmlNode *root)
{
    if (root->ns_href)
        return FALSE;
    for (guint i = 0; i < root->children->len; i++)
        if (((virtkitXmlNode *) root->children->pdata[i])->ns_href)
            return FALSE;
    return TRUE;
}

static char *virtkitDomainFormatTree(virtkitXmlNode *root, unsigned int flags);

static char *
virtkitDomainFormatDef(const virtkitDomainDef *def, unsigned int flags, int id)
{
    g_autoptr(virtkitXmlNode) root = NULL;

    if (virtkitDomainFormatFastOk(def->root))
        return virtkitDomainFormatFast(def->root, flags, id, def->ordered);
    root = virtkitXmlNodeCopy(def->root);
    if (id >= 0)
        virtkitXmlNodeSetAttrf(root, "id", "%d", id);
    else if (id != FORMAT_ID_KEEP)
        virtkitXmlNodeRemoveAttr(root, "id");
    return virtkitDomainFormatTree(root, flags);
}

char *
virtkitDomainDefFormat(const virtkitDomainDef *def, unsigned int flags)
{
    return virtkitDomainFormatDef(def, flags, FORMAT_ID_KEEP);
}

char *
virtkitDomainDefFormatID(const virtkitDomainDef *def, unsigned int flags, int id)
{
    return virtkitDomainFormatDef(def, flags, id < 0 ? -1 : id);
}

/* The general path: @root is a copy, ordered and changed here. */
static char *
virtkitDomainFormatTree(virtkitXmlNode *root, unsigned int flags)
{
    GString *buf = g_string_new(NULL);
    virtkitXmlNode *devices = virtkitXmlNodeChild(root, "devices");
    gboolean kept_ns = FALSE;

    virtkitDomainOrderNode(root, "domain");
    if (!(flags & VIR_DOMAIN_XML_SECURE)) {
        g_autoptr(GPtrArray) gr = virtkitDomainChildrenNamed(devices, "graphics");
        for (guint i = 0; i < gr->len; i++)
            virtkitXmlNodeRemoveAttr(gr->pdata[i], "passwd");
    }
    /* xmlns declarations of kept namespace elements go on the root */
    for (guint i = 0; i < root->children->len; i++) {
        virtkitXmlNode *c = root->children->pdata[i];
        if (c->ns_href) {
            char pfx[64];
            const char *colon = strchr(c->name, ':');
            if (colon && (gsize) (colon - c->name) < sizeof(pfx)) {
                memcpy(pfx, c->name, colon - c->name);
                pfx[colon - c->name] = '\0';
                g_autofree char *attr = g_strdup_printf("xmlns:%s", pfx);
                virtkitXmlNodeSetAttr(root, attr, c->ns_href);
                g_free(root->ns_href);
                kept_ns = TRUE;
            }
        }
    }
    /* children print their own xmlns unless the parent shares it: make the
     * root share it by marking each kept child's parent namespace */
    g_string_append_printf(buf, "<%s", root->name);
    for (guint i = 0; i < root->attrs->len; i++) {
        const virtkitXmlAttr *a = root->attrs->pdata[i];
        g_string_append_printf(buf, " %s='", a->name);
        virtkitXmlEscape(buf, a->value);
        g_string_append_c(buf, '\'');
    }
    g_string_append(buf, ">\n");
    for (guint i = 0; i < root->children->len; i++) {
        virtkitXmlNode *c = root->children->pdata[i];
        if (c->ns_href && kept_ns) {
            /* declared on the root already: format under a stand-in
             * parent that shares the namespace */
            g_autoptr(virtkitXmlNode) stand_in = virtkitXmlNodeNew("domain");
            virtkitXmlNode *parent = c->parent;
            stand_in->ns_href = g_strdup(c->ns_href);
            c->parent = stand_in;
            virtkitXmlFormat(buf, c, 2);
            c->parent = parent;
            continue;
        }
        if (c == devices) {
            g_string_append(buf, "  <devices>\n");
            for (guint k = 0; k < devices->children->len; k++)
                virtkitXmlFormat(buf, devices->children->pdata[k], 4);
            g_string_append(buf, "  </devices>\n");
            continue;
        }
        virtkitXmlFormat(buf, c, 2);
    }
    g_string_append_printf(buf, "</%s>\n", root->name);
    return g_string_free(buf, FALSE);
}

const char *
virtkitDomainDefGetType(const virtkitDomainDef *def)
{
    return virtkitXmlNodeGetAttr(def->root, "type");
}

const char *
virtkitDomainDefGetName(const virtkitDomainDef *def)
{
    return virtkitXmlNodeChildText(def->root, "name");
}

void
virtkitDomainDefSetName(virtkitDomainDef *def, const char *name)
{
    virtkitDomainDefTouch(def);
    virtkitXmlNodeSetText(virtkitXmlNodeEnsureChild(def->root, "name"), name);
}

void
virtkitDomainDefGetUUID(const virtkitDomainDef *def, unsigned char uuid[16])
{
    if (!virtkitUUIDParse(virtkitXmlNodeChildText(def->root, "uuid"), uuid))
        memset(uuid, 0, 16);
}

void
virtkitDomainDefSetUUID(virtkitDomainDef *def, const unsigned char uuid[16])
{
    virtkitDomainDefTouch(def);
    char s[37];
    virtkitUUIDFormat(uuid, s);
    virtkitXmlNodeSetText(virtkitXmlNodeEnsureChild(def->root, "uuid"), s);
}

const char *
virtkitDomainDefGetTitle(const virtkitDomainDef *def)
{
    return virtkitXmlNodeChildText(def->root, "title");
}

static void
virtkitDomainSetOrRemoveText(virtkitXmlNode *root, const char *name, const char *text)
{
    virtkitXmlNode *n = virtkitXmlNodeChild(root, name);
    if (!text || !*text) {
        if (n)
            virtkitXmlNodeRemoveChild(root, n);
        return;
    }
    if (!n)
        n = virtkitXmlNodeAddNewChild(root, name);
    virtkitXmlNodeSetText(n, text);
}

void
virtkitDomainDefSetTitle(virtkitDomainDef *def, const char *title)
{
    virtkitDomainDefTouch(def);
    virtkitDomainSetOrRemoveText(def->root, "title", title);
}

const char *
virtkitDomainDefGetDescription(const virtkitDomainDef *def)
{
    return virtkitXmlNodeChildText(def->root, "description");
}

void
virtkitDomainDefSetDescription(virtkitDomainDef *def, const char *description)
{
    virtkitDomainDefTouch(def);
    virtkitDomainSetOrRemoveText(def->root, "description", description);
}

static guint64
virtkitDomainGetU64Text(const virtkitDomainDef *def, const char *name)
{
    guint64 v = 0;
    virtkitParseUInt64(virtkitXmlNodeChildText(def->root, name), &v);
    return v;
}

static void
virtkitDomainSetKib(virtkitDomainDef *def, const char *name, guint64 kib)
{
    virtkitXmlNode *n = virtkitXmlNodeEnsureChild(def->root, name);
    g_autofree char *t = g_strdup_printf("%" G_GUINT64_FORMAT, kib);
    virtkitXmlNodeSetText(n, t);
    virtkitXmlNodeSetAttr(n, "unit", "KiB");
}

guint64
virtkitDomainDefGetMemory(const virtkitDomainDef *def)
{
    return virtkitDomainGetU64Text(def, "memory");
}

void
virtkitDomainDefSetMemory(virtkitDomainDef *def, guint64 kib)
{
    virtkitDomainDefTouch(def);
    virtkitDomainSetKib(def, "memory", kib);
    if (virtkitDomainDefGetCurrentMemory(def) > kib)
        virtkitDomainSetKib(def, "currentMemory", kib);
}

guint64
virtkitDomainDefGetCurrentMemory(const virtkitDomainDef *def)
{
    return virtkitDomainGetU64Text(def, "currentMemory");
}

void
virtkitDomainDefSetCurrentMemory(virtkitDomainDef *def, guint64 kib)
{
    virtkitDomainDefTouch(def);
    virtkitDomainSetKib(def, "currentMemory", kib);
}

guint64
virtkitDomainDefGetMaxMemory(const virtkitDomainDef *def)
{
    return virtkitDomainGetU64Text(def, "maxMemory");
}

guint
virtkitDomainDefGetVcpusMax(const virtkitDomainDef *def)
{
    return (guint) virtkitDomainGetU64Text(def, "vcpu");
}

guint
virtkitDomainDefGetVcpus(const virtkitDomainDef *def)
{
    guint64 cur;
    if (virtkitDomainParseUintAttr(virtkitXmlNodeChild(def->root, "vcpu"), "current", &cur))
        return (guint) cur;
    return virtkitDomainDefGetVcpusMax(def);
}

void
virtkitDomainDefSetVcpus(virtkitDomainDef *def, guint current, guint max)
{
    virtkitDomainDefTouch(def);
    virtkitXmlNode *n = virtkitXmlNodeEnsureChild(def->root, "vcpu");
    g_autofree char *t = g_strdup_printf("%u", max);
    virtkitXmlNodeSetText(n, t);
    if (current && current < max)
        virtkitXmlNodeSetAttrf(n, "current", "%u", current);
    else
        virtkitXmlNodeRemoveAttr(n, "current");
}

const char *
virtkitDomainDefGetOSType(const virtkitDomainDef *def)
{
    return virtkitXmlNodeChildText(virtkitXmlNodeChild(def->root, "os"), "type");
}

const char *
virtkitDomainDefGetArch(const virtkitDomainDef *def)
{
    return virtkitXmlNodeGetAttr(
        virtkitXmlNodeChild(virtkitXmlNodeChild(def->root, "os"), "type"), "arch");
}

const char *
virtkitDomainDefGetMachine(const virtkitDomainDef *def)
{
    return virtkitXmlNodeGetAttr(
        virtkitXmlNodeChild(virtkitXmlNodeChild(def->root, "os"), "type"), "machine");
}

const char *
virtkitDomainDefGetLifecycleAction(const virtkitDomainDef *def, const char *event)
{
    return virtkitXmlNodeChildText(def->root, event);
}

GPtrArray *
virtkitDomainDefGetDevices(const virtkitDomainDef *def, const char *kind)
{
    return virtkitDomainChildrenNamed(virtkitXmlNodeChild(def->root, "devices"), kind);
}

char *
virtkitDomainDefGetMetadata(const virtkitDomainDef *def, const char *uri)
{
    virtkitXmlNode *m = virtkitXmlNodeChild(def->root, "metadata");
    if (!m || !m->verbatim || !uri)
        return NULL;
    /* the verbatim text holds one top-level element per namespace; find the
     * one whose xmlns matches */
    g_autofree char *wrapped = g_strdup_printf("<metadata>%s</metadata>", m->verbatim);
    /* never libxml2's default handler, which writes to the application's stderr */
    vkXmlErrors xerr;
    xmlDocPtr doc;
    char *result = NULL;

    vkXmlErrorsBegin(&xerr);
    if (!(doc = vkXmlReadMemory(&xerr, wrapped, (int) strlen(wrapped), 0))) {
        vkXmlErrorsEnd(&xerr);
        return NULL;
    }
    for (xmlNodePtr c = xmlDocGetRootElement(doc)->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && c->ns && c->ns->href &&
            strcmp((const char *) c->ns->href, uri) == 0) {
            xmlBufferPtr xb = xmlBufferCreate();
            xmlNodeDump(xb, doc, c, 0, 1);
            result = g_strdup((const char *) xmlBufferContent(xb));
            xmlBufferFree(xb);
            break;
        }
    }
    xmlFreeDoc(doc);
    vkXmlErrorsEnd(&xerr);
    return result;
}

void
virtkitDomainDefAssignIfnames(virtkitDomainDef *def, const char *prefix, guint *counter)
{
    g_autoptr(GPtrArray) ifs = virtkitDomainDefGetDevices(def, "interface");
    for (guint i = 0; i < ifs->len; i++) {
        virtkitXmlNode *n = ifs->pdata[i];
        virtkitXmlNode *t = virtkitXmlNodeChild(n, "target");
        if (t && virtkitXmlNodeGetAttr(t, "dev"))
            continue;
        if (!t)
            t = virtkitXmlNodeAddNewChild(n, "target");
        virtkitXmlNodeSetAttrf(t, "dev", "%s%u", prefix, (*counter)++);
        /* a new serial; the interface put back in order, which is all
         * this changed, so the tree stays ordered */
        def->serial = virtkitDomainDefNextSerial();
        virtkitDomainOrderNode(n, "domain/devices/interface");
    }
}
