/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conf-snapshot.c: the <domainsnapshot> model and the per-domain snapshot
 * tree (see virtkit-conf-snapshot.h).
 */
#include <config.h>

#include <string.h>

#include <virtkit/virtkit.h>

#include "virtkit-conf-xml.h"
#include "virtkit-conf-snapshot.h"

static const char *const virtkitSnapshotModes[] = { "no", "internal", "external", "manual", NULL };
static const char *const virtkitSnapshotStates[] = {
    "running", "blocked", "paused", "shutdown", "shutoff", "crashed",
    "pmsuspended", "disk-snapshot", NULL,
};

/* ------------------------------------------------------------- the model */

static void
virtkitSnapshotDiskFree(gpointer p)
{
    virtkitSnapshotDisk *d = p;

    g_free(d->name);
    g_free(d->snapshot);
    g_free(d->source_file);
    g_free(d->driver_type);
    g_free(d);
}

static virtkitSnapshotDef *
virtkitSnapshotDefNew(void)
{
    virtkitSnapshotDef *def = g_new0(virtkitSnapshotDef, 1);

    def->disks = g_ptr_array_new_with_free_func(virtkitSnapshotDiskFree);
    return def;
}

void
virtkitSnapshotDefFree(virtkitSnapshotDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->description);
    g_free(def->state);
    g_free(def->parent);
    g_free(def->memory);
    g_free(def->memory_file);
    g_ptr_array_unref(def->disks);
    if (def->dom)
        virtkitDomainDefFree(def->dom);
    g_free(def);
}

virtkitSnapshotDef *
virtkitSnapshotDefCopy(const virtkitSnapshotDef *def)
{
    virtkitSnapshotDef *c = virtkitSnapshotDefNew();

    c->name = g_strdup(def->name);
    c->description = g_strdup(def->description);
    c->state = g_strdup(def->state);
    c->parent = g_strdup(def->parent);
    c->creation_time = def->creation_time;
    c->memory = g_strdup(def->memory);
    c->memory_file = g_strdup(def->memory_file);
    for (guint i = 0; i < def->disks->len; i++) {
        const virtkitSnapshotDisk *d = g_ptr_array_index(def->disks, i);
        virtkitSnapshotDisk *n = g_new0(virtkitSnapshotDisk, 1);
        n->name = g_strdup(d->name);
        n->snapshot = g_strdup(d->snapshot);
        n->source_file = g_strdup(d->source_file);
        n->driver_type = g_strdup(d->driver_type);
        g_ptr_array_add(c->disks, n);
    }
    c->dom = def->dom ? virtkitDomainDefCopy(def->dom) : NULL;
    return c;
}

/* Checks an enum-valued attribute @attr of <@elem>; NULL values pass.
 * libvirt reports a bad one from its XML layer, in these words. */
static gboolean
virtkitSnapshotCheckEnum(const char *const *names, const char *value, const char *attr,
                         const char *elem, GError **error)
{
    if (!value || virtkitEnumFromString(names, value) >= 0)
        return TRUE;
    g_set_error(error, VIRTKIT_CONF_XML_ERROR, VIR_ERR_XML_ERROR,
                "Invalid value for attribute '%s' in element '%s': '%s'.", attr, elem, value);
    return FALSE;
}

virtkitSnapshotDef *
virtkitSnapshotDefParseString(const char *xml, unsigned int flags, GError **error)
{
    g_autoptr(virtkitSnapshotDef) def = NULL;
    virtkitXmlNode *root;
    virtkitXmlNode *n;
    const char *text;

    root = virtkitXmlParse(xml, 0, NULL, "domain snapshot", error);
    if (!root)
        return NULL;
    if (strcmp(root->name, "domainsnapshot") != 0) {
        g_set_error(error, VIRTKIT_CONF_XML_ERROR, VIR_ERR_XML_ERROR,
                    "expecting root element of 'domainsnapshot', not '%s'", root->name);
        virtkitXmlNodeFree(root);
        return NULL;
    }

    def = virtkitSnapshotDefNew();
    def->name = g_strdup(virtkitXmlNodeChildText(root, "name"));
    if (def->name && !*def->name)
        g_clear_pointer(&def->name, g_free);
    def->description = g_strdup(virtkitXmlNodeChildText(root, "description"));
    def->state = g_strdup(virtkitXmlNodeChildText(root, "state"));
    if ((n = virtkitXmlNodeChild(root, "parent")))
        def->parent = g_strdup(virtkitXmlNodeChildText(n, "name"));
    if ((text = virtkitXmlNodeChildText(root, "creationTime"))) {
        if (!virtkitParseInt64(text, &def->creation_time) || def->creation_time < 0) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL,
                        "invalid creationTime '%s' in the domain snapshot", text);
            goto error;
        }
    }
    if ((n = virtkitXmlNodeChild(root, "memory"))) {
        def->memory = g_strdup(virtkitXmlNodeGetAttr(n, "snapshot"));
        def->memory_file = g_strdup(virtkitXmlNodeGetAttr(n, "file"));
        if (def->memory_file && !def->memory)
            def->memory = g_strdup("external");
        if (!virtkitSnapshotCheckEnum(virtkitSnapshotModes, def->memory, "snapshot", "memory",
                                      error))
            goto error;
        if (def->memory_file && strcmp(def->memory, "external") != 0) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                        "XML error: memory filename '%s' requires external snapshot",
                        def->memory_file);
            goto error;
        }
    }
    if ((n = virtkitXmlNodeChild(root, "disks"))) {
        for (guint i = 0; i < n->children->len; i++) {
            virtkitXmlNode *dn = g_ptr_array_index(n->children, i);
            virtkitXmlNode *src, *drv;
            virtkitSnapshotDisk *d;

            if (strcmp(dn->name, "disk") != 0)
                continue;
            if (!virtkitXmlNodeGetAttr(dn, "name")) {
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL,
                            "a <disk> of the domain snapshot has no name");
                goto error;
            }
            d = g_new0(virtkitSnapshotDisk, 1);
            g_ptr_array_add(def->disks, d);
            d->name = g_strdup(virtkitXmlNodeGetAttr(dn, "name"));
            d->snapshot = g_strdup(virtkitXmlNodeGetAttr(dn, "snapshot"));
            if ((src = virtkitXmlNodeChild(dn, "source")))
                d->source_file = g_strdup(virtkitXmlNodeGetAttr(src, "file"));
            if ((drv = virtkitXmlNodeChild(dn, "driver")))
                d->driver_type = g_strdup(virtkitXmlNodeGetAttr(drv, "type"));
            /* A disk given a new file but no mode is external (libvirt). */
            if (!d->snapshot && d->source_file)
                d->snapshot = g_strdup("external");
            if (!virtkitSnapshotCheckEnum(virtkitSnapshotModes, d->snapshot, "snapshot", "disk",
                                          error))
                goto error;
        }
    }
    if ((n = virtkitXmlNodeChild(root, "domain"))) {
        g_autoptr(GString) buf = g_string_new(NULL);

        virtkitXmlFormat(buf, n, 0);
        def->dom = virtkitDomainDefParseString(buf->str, NULL, 0, error);
        if (!def->dom)
            goto error;
    }

    if (flags & VIRTKIT_SNAPSHOT_PARSE_REDEFINE) {
        /* libvirt 9.0's words and code for an incomplete redefinition. */
        if (!def->name) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                        "a redefined snapshot must have a name");
            goto error;
        }
        if (!virtkitXmlNodeChild(root, "creationTime")) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_INTERNAL_ERROR,
                        "missing creationTime from existing snapshot");
            goto error;
        }
        if (!def->dom) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_INTERNAL_ERROR,
                        "missing domain in snapshot");
            goto error;
        }
        if (!def->state) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                        "missing state from existing snapshot");
            goto error;
        }
        /* only a redefinition's state is read (a new snapshot's is the
         * domain's): libvirt's code and words */
        if (virtkitEnumFromString(virtkitSnapshotStates, def->state) < 0) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                        "unsupported configuration: Invalid state '%s' in domain snapshot XML",
                        def->state);
            goto error;
        }
    }
    virtkitXmlNodeFree(root);
    return g_steal_pointer(&def);

 error:
    virtkitXmlNodeFree(root);
    return NULL;
}

/* The disk of @dom that @name names (target or source file), or NULL. */
static virtkitXmlNode *
virtkitSnapshotDomainDisk(virtkitXmlNode *devices, const char *name)
{
    if (!devices)
        return NULL;
    for (guint i = 0; i < devices->children->len; i++) {
        virtkitXmlNode *d = g_ptr_array_index(devices->children, i);
        virtkitXmlNode *t, *s;
        if (strcmp(d->name, "disk") != 0)
            continue;
        t = virtkitXmlNodeChild(d, "target");
        s = virtkitXmlNodeChild(d, "source");
        if ((t && g_strcmp0(virtkitXmlNodeGetAttr(t, "dev"), name) == 0) ||
            (s && (g_strcmp0(virtkitXmlNodeGetAttr(s, "file"), name) == 0 ||
                   g_strcmp0(virtkitXmlNodeGetAttr(s, "dev"), name) == 0)))
            return d;
    }
    return NULL;
}

gboolean
virtkitSnapshotDefAlignDisks(virtkitSnapshotDef *def, const virtkitDomainDef *dom,
                             const char *default_snapshot, GError **error)
{
    g_autoptr(virtkitDomainDef) copy = virtkitDomainDefCopy(dom);
    virtkitXmlNode *devices = virtkitXmlNodeChild(virtkitDomainDefGetRoot(copy), "devices");
    g_autoptr(GPtrArray) aligned = g_ptr_array_new_with_free_func(virtkitSnapshotDiskFree);
    g_autoptr(GHashTable) given = g_hash_table_new(g_str_hash, g_str_equal);

    /* Name every given disk by its target, once. */
    for (guint i = 0; i < def->disks->len; i++) {
        virtkitSnapshotDisk *d = g_ptr_array_index(def->disks, i);
        virtkitXmlNode *dd = virtkitSnapshotDomainDisk(devices, d->name);
        virtkitXmlNode *t = dd ? virtkitXmlNodeChild(dd, "target") : NULL;
        const char *target = t ? virtkitXmlNodeGetAttr(t, "dev") : NULL;

        if (!target) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                        "no disk named '%s' in domain '%s'", d->name,
                        virtkitDomainDefGetName(dom));
            return FALSE;
        }
        if (g_hash_table_contains(given, target)) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                        "disk '%s' specified twice in the snapshot", d->name);
            return FALSE;
        }
        g_free(d->name);
        d->name = g_strdup(target);
        g_hash_table_insert(given, d->name, d);
    }

    for (guint i = 0; devices && i < devices->children->len; i++) {
        virtkitXmlNode *dd = g_ptr_array_index(devices->children, i);
        virtkitXmlNode *t, *s;
        const char *target, *device;
        virtkitSnapshotDisk *d;

        if (strcmp(dd->name, "disk") != 0)
            continue;
        t = virtkitXmlNodeChild(dd, "target");
        target = t ? virtkitXmlNodeGetAttr(t, "dev") : NULL;
        if (!target)
            continue;
        if ((d = g_hash_table_lookup(given, target))) {
            /* Moved into the aligned list; the original array gives it up. */
            g_ptr_array_add(aligned, d);
            continue;
        }
        d = g_new0(virtkitSnapshotDisk, 1);
        d->name = g_strdup(target);
        device = virtkitXmlNodeGetAttr(dd, "device");
        if ((device && (strcmp(device, "cdrom") == 0 || strcmp(device, "floppy") == 0)) ||
            virtkitXmlNodeChild(dd, "readonly"))
            d->snapshot = g_strdup("no");
        else
            d->snapshot = g_strdup(default_snapshot);
        if (g_strcmp0(d->snapshot, "external") == 0) {
            s = virtkitXmlNodeChild(dd, "source");
            const char *file = s ? virtkitXmlNodeGetAttr(s, "file") : NULL;
            if (file)
                d->source_file = g_strdup_printf("%s.%s", file, def->name ? def->name : "snap");
        }
        g_ptr_array_add(aligned, d);
    }
    /* The entries now live in @aligned: empty the old array without freeing. */
    g_ptr_array_set_free_func(def->disks, NULL);
    g_ptr_array_unref(def->disks);
    def->disks = g_steal_pointer(&aligned);
    g_ptr_array_set_free_func(def->disks, virtkitSnapshotDiskFree);
    return TRUE;
}

gboolean
virtkitSnapshotDefIsExternal(const virtkitSnapshotDef *def)
{
    if (g_strcmp0(def->memory, "external") == 0)
        return TRUE;
    for (guint i = 0; i < def->disks->len; i++) {
        const virtkitSnapshotDisk *d = g_ptr_array_index(def->disks, i);
        if (g_strcmp0(d->snapshot, "external") == 0)
            return TRUE;
    }
    return FALSE;
}

static void
virtkitSnapshotIndentInto(GString *buf, const char *text, const char *indent)
{
    const char *p = text;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len)
            g_string_append(buf, indent);
        g_string_append_len(buf, p, len);
        g_string_append_c(buf, '\n');
        p += len + (nl ? 1 : 0);
    }
}

char *
virtkitSnapshotDefFormat(const virtkitSnapshotDef *def, unsigned int flags)
{
    GString *buf = g_string_new("<domainsnapshot>\n");

#define TEXT_ELEM(tag, value) \
    do { \
        g_string_append(buf, "  <" tag ">"); \
        virtkitXmlEscape(buf, (value)); \
        g_string_append(buf, "</" tag ">\n"); \
    } while (0)

    if (def->name)
        TEXT_ELEM("name", def->name);
    if (def->description)
        TEXT_ELEM("description", def->description);
    if (def->state)
        TEXT_ELEM("state", def->state);
    if (def->parent) {
        g_string_append(buf, "  <parent>\n    <name>");
        virtkitXmlEscape(buf, def->parent);
        g_string_append(buf, "</name>\n  </parent>\n");
    }
    g_string_append_printf(buf, "  <creationTime>%" G_GINT64_FORMAT "</creationTime>\n",
                           def->creation_time);
    if (def->memory) {
        g_string_append(buf, "  <memory snapshot='");
        virtkitXmlEscape(buf, def->memory);
        g_string_append_c(buf, '\'');
        if (def->memory_file) {
            g_string_append(buf, " file='");
            virtkitXmlEscape(buf, def->memory_file);
            g_string_append_c(buf, '\'');
        }
        g_string_append(buf, "/>\n");
    }
    if (def->disks->len) {
        g_string_append(buf, "  <disks>\n");
        for (guint i = 0; i < def->disks->len; i++) {
            const virtkitSnapshotDisk *d = g_ptr_array_index(def->disks, i);
            g_string_append(buf, "    <disk name='");
            virtkitXmlEscape(buf, d->name);
            g_string_append_c(buf, '\'');
            if (d->snapshot) {
                g_string_append(buf, " snapshot='");
                virtkitXmlEscape(buf, d->snapshot);
                g_string_append_c(buf, '\'');
            }
            if (!d->source_file && !d->driver_type) {
                g_string_append(buf, "/>\n");
                continue;
            }
            g_string_append(buf, " type='file'>\n");
            if (d->driver_type) {
                g_string_append(buf, "      <driver type='");
                virtkitXmlEscape(buf, d->driver_type);
                g_string_append(buf, "'/>\n");
            }
            if (d->source_file) {
                g_string_append(buf, "      <source file='");
                virtkitXmlEscape(buf, d->source_file);
                g_string_append(buf, "'/>\n");
            }
            g_string_append(buf, "    </disk>\n");
        }
        g_string_append(buf, "  </disks>\n");
    }
    if (def->dom) {
        g_autofree char *dxml =
            virtkitDomainDefFormat(def->dom, (flags & VIR_DOMAIN_SNAPSHOT_XML_SECURE) ?
                                             VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE :
                                             VIR_DOMAIN_XML_INACTIVE);
        virtkitSnapshotIndentInto(buf, dxml, "  ");
    }
    g_string_append(buf, "</domainsnapshot>\n");
#undef TEXT_ELEM
    return g_string_free(buf, FALSE);
}

/* ------------------------------------------------------------------ tree */

/*
 * The tree keeps the orders libvirt's own moment list produces, because
 * virsh prints what it is given and scripts diff that output:
 *  - the whole-domain list walks a GHashTable keyed by name with GLib's
 *    string hash, fed the same inserts and removals (so, on the same GLib,
 *    the same order);
 *  - children sit in a chain where each new child goes first, and deleting
 *    a snapshot puts its children ahead of its parent's others;
 *  - descendants are visited depth first along those chains.
 * Children are a doubly linked sibling chain, so linking a child first and
 * unlinking any child are O(1) however many siblings there are, and every
 * walk is a loop over the chain with an explicit stack: a REDEFINE can
 * build a chain 200,000 deep, and nothing here recurses along it.
 */
typedef struct _virtkitSnapshotNode virtkitSnapshotNode;
struct _virtkitSnapshotNode {
    virtkitSnapshotDef *def;       /* owned; NULL for the root of roots */
    virtkitSnapshotNode *parent;
    virtkitSnapshotNode *first_child;       /* libvirt's sibling order */
    virtkitSnapshotNode *prev, *next;       /* siblings */
};

struct _virtkitSnapshotTree {
    GHashTable *nodes;             /* name -> virtkitSnapshotNode *, libvirt's hash */
    virtkitSnapshotNode top;                /* parent of every root */
    char *current;
};

static void
virtkitSnapshotNodeFree(gpointer p)
{
    virtkitSnapshotNode *n = p;

    virtkitSnapshotDefFree(n->def);
    g_free(n);
}

virtkitSnapshotTree *
virtkitSnapshotTreeNew(void)
{
    virtkitSnapshotTree *t = g_new0(virtkitSnapshotTree, 1);

    t->nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, virtkitSnapshotNodeFree);
    return t;
}

void
virtkitSnapshotTreeFree(virtkitSnapshotTree *tree)
{
    if (!tree)
        return;
    g_hash_table_unref(tree->nodes);
    g_free(tree->current);
    g_free(tree);
}

guint
virtkitSnapshotTreeSize(const virtkitSnapshotTree *tree)
{
    return g_hash_table_size(tree->nodes);
}

static virtkitSnapshotNode *
virtkitSnapshotTreeNode(const virtkitSnapshotTree *tree, const char *name)
{
    return name ? g_hash_table_lookup(tree->nodes, name) : NULL;
}

virtkitSnapshotDef *
virtkitSnapshotTreeFind(const virtkitSnapshotTree *tree, const char *name)
{
    virtkitSnapshotNode *n = virtkitSnapshotTreeNode(tree, name);

    return n ? n->def : NULL;
}

static void
virtkitSnapshotTreeLink(virtkitSnapshotNode *n, virtkitSnapshotNode *parent)
{
    n->parent = parent;
    n->prev = NULL;
    n->next = parent->first_child;
    if (n->next)
        n->next->prev = n;
    parent->first_child = n;
}

static void
virtkitSnapshotTreeUnlink(virtkitSnapshotNode *n)
{
    if (n->prev)
        n->prev->next = n->next;
    else if (n->parent)
        n->parent->first_child = n->next;
    if (n->next)
        n->next->prev = n->prev;
    n->parent = n->prev = n->next = NULL;
}

gboolean
virtkitSnapshotTreeAdd(virtkitSnapshotTree *tree, virtkitSnapshotDef *def, gboolean replace,
                       GError **error)
{
    virtkitSnapshotNode *existing = virtkitSnapshotTreeNode(tree, def->name);
    virtkitSnapshotNode *parent = &tree->top;
    virtkitSnapshotNode *n;

    if (def->parent) {
        if (strcmp(def->parent, def->name) == 0) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG,
                        "cannot set moment %s as its own parent", def->name);
            return FALSE;
        }
        if (!(parent = virtkitSnapshotTreeNode(tree, def->parent))) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG,
                        "parent %s for moment %s not found", def->parent, def->name);
            return FALSE;
        }
        /* No cycles: the new parent must not descend from this snapshot.
         * Only a redefinition that moves an existing snapshot can make one:
         * a new snapshot has no descendants, and an unchanged parent is the
         * tree as it was (so a chain built in order costs O(1) a step). */
        for (virtkitSnapshotNode *a = parent; existing && existing->parent != parent && a && a->def;
             a = a->parent) {
            if (a == existing) {
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG,
                            "parent %s would create cycle to %s", def->parent, def->name);
                return FALSE;
            }
        }
    }
    if (existing && !replace) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_OPERATION_FAILED,
                    "domain moment %s already exists", def->name);
        return FALSE;
    }
    if (existing) {
        /* A redefinition: new contents, possibly a new parent; children stay. */
        virtkitSnapshotDefFree(existing->def);
        existing->def = def;
        if (existing->parent != parent) {
            virtkitSnapshotTreeUnlink(existing);
            virtkitSnapshotTreeLink(existing, parent);
        }
        return TRUE;
    }
    n = g_new0(virtkitSnapshotNode, 1);
    n->def = def;
    virtkitSnapshotTreeLink(n, parent);
    g_hash_table_insert(tree->nodes, g_strdup(def->name), n);
    return TRUE;
}

const char *
virtkitSnapshotTreeGetCurrent(const virtkitSnapshotTree *tree)
{
    return tree->current;
}

void
virtkitSnapshotTreeSetCurrent(virtkitSnapshotTree *tree, const char *name)
{
    char *n = g_strdup(name);

    g_free(tree->current);
    tree->current = n;
}

/* Depth first along the sibling chains, each node before its children:
 * a pre-order walk that climbs back through the parent links instead of a
 * call stack, so its depth costs no stack at all. */
static void
virtkitSnapshotTreeDescendants(virtkitSnapshotNode *n, GPtrArray *out)
{
    virtkitSnapshotNode *c = n->first_child;

    while (c) {
        g_ptr_array_add(out, c);
        if (c->first_child) {
            c = c->first_child;
            continue;
        }
        while (c != n && !c->next)
            c = c->parent;
        c = c == n ? NULL : c->next;
    }
}

static void
virtkitSnapshotTreeRemoveNode(virtkitSnapshotTree *tree, virtkitSnapshotNode *n, GPtrArray *gone)
{
    g_ptr_array_add(gone, g_strdup(n->def->name));
    virtkitSnapshotTreeUnlink(n);
    g_hash_table_remove(tree->nodes, n->def->name);
}

GPtrArray *
virtkitSnapshotTreeDelete(virtkitSnapshotTree *tree, const char *name_in, unsigned int flags)
{
    GPtrArray *gone = g_ptr_array_new_with_free_func(g_free);
    /* @name_in may be the deleted snapshot's own string: keep a copy. */
    g_autofree char *name = g_strdup(name_in);
    virtkitSnapshotNode *n = virtkitSnapshotTreeNode(tree, name);
    gboolean children = flags & (VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                 VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY);

    if (!n)
        return gone;
    if (children) {
        g_autoptr(GPtrArray) desc = g_ptr_array_new();
        gboolean current_gone = FALSE;

        virtkitSnapshotTreeDescendants(n, desc);
        for (guint i = desc->len; i > 0; i--) {
            virtkitSnapshotNode *c = g_ptr_array_index(desc, i - 1);
            current_gone |= g_strcmp0(tree->current, c->def->name) == 0;
            virtkitSnapshotTreeRemoveNode(tree, c, gone);
        }
        /* The current snapshot was below: the one they hung from is current. */
        if (current_gone)
            virtkitSnapshotTreeSetCurrent(tree, name);
    } else if (n->first_child) {
        /* The children move up, ahead of the parent's other children: the
         * whole chain is spliced in front, in its order. */
        virtkitSnapshotNode *up = n->parent;
        virtkitSnapshotNode *last = NULL;
        for (virtkitSnapshotNode *c = n->first_child; c; c = c->next) {
            g_free(c->def->parent);
            c->def->parent = g_strdup(up->def ? up->def->name : NULL);
            c->parent = up;
            last = c;
        }
        last->next = up->first_child;
        if (last->next)
            last->next->prev = last;
        up->first_child = n->first_child;
        n->first_child = NULL;
    }
    if (!(flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        if (g_strcmp0(tree->current, name) == 0)
            virtkitSnapshotTreeSetCurrent(tree,
                                          n->parent && n->parent->def ? n->parent->def->name
                                                                      : NULL);
        virtkitSnapshotTreeRemoveNode(tree, n, gone);
    }
    return gone;
}

/* libvirt's filter groups (LEAVES/NO_LEAVES given together select nothing,
 * as 9.0 does); a group whose flags are all absent does not filter. */
static gboolean
virtkitSnapshotTreeFilter(const virtkitSnapshotNode *n, unsigned int flags)
{
    const virtkitSnapshotDef *d = n->def;
    unsigned int f;

    if ((flags & VIR_DOMAIN_SNAPSHOT_LIST_LEAVES) && n->first_child)
        return FALSE;
    if ((flags & VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES) && !n->first_child)
        return FALSE;
    f = flags & (VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |
                 VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY);
    if (f) {
        gboolean disk = g_strcmp0(d->state, "disk-snapshot") == 0;
        gboolean off = g_strcmp0(d->state, "shutoff") == 0;
        gboolean ok = ((f & VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY) && disk) ||
                      ((f & VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE) && off) ||
                      ((f & VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE) && !off && !disk);
        if (!ok)
            return FALSE;
    }
    f = flags & (VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL | VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL);
    if (f) {
        gboolean ext = virtkitSnapshotDefIsExternal(d);
        if (!((f & VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL) && ext) &&
            !((f & VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL) && !ext))
            return FALSE;
    }
    return TRUE;
}

GPtrArray *
virtkitSnapshotTreeList(const virtkitSnapshotTree *tree, const char *from, unsigned int flags)
{
    GPtrArray *out = g_ptr_array_new();
    g_autoptr(GPtrArray) walk = g_ptr_array_new();
    const virtkitSnapshotNode *start;
    gboolean descendants;

    /* Every snapshot here has metadata: NO_METADATA alone selects none. */
    if ((flags & (VIR_DOMAIN_SNAPSHOT_LIST_METADATA | VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA)) ==
        VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA)
        return out;
    if (from) {
        if (!(start = virtkitSnapshotTreeNode(tree, from)))
            return out;
        descendants = flags & VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS;
    } else {
        /* At the top, ROOTS means children of the root of roots, and its
         * absence means every snapshot (the same bit, opposite senses). */
        start = &tree->top;
        descendants = !(flags & VIR_DOMAIN_SNAPSHOT_LIST_ROOTS);
    }
    if (descendants && (from || (flags & VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL))) {
        virtkitSnapshotTreeDescendants((virtkitSnapshotNode *)start, walk);
    } else if (descendants) {
        GHashTableIter it;
        gpointer v;
        g_hash_table_iter_init(&it, tree->nodes);
        while (g_hash_table_iter_next(&it, NULL, &v))
            g_ptr_array_add(walk, v);
    } else {
        for (const virtkitSnapshotNode *c = start->first_child; c; c = c->next)
            g_ptr_array_add(walk, (gpointer) c);
    }
    for (guint i = 0; i < walk->len; i++) {
        const virtkitSnapshotNode *n = g_ptr_array_index(walk, i);
        if (virtkitSnapshotTreeFilter(n, flags))
            g_ptr_array_add(out, n->def->name);
    }
    return out;
}
