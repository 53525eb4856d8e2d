/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* conf-node.c: the test driver's <node> file. */
#include "virtkit-conf-node.h"

#include <virtkit/virtkit.h>

#include <string.h>

#include "vk-file.h"

void
virtkitNodeDefFree(virtkitNodeDef *node)
{
    if (!node)
        return;
    g_free(node->cpu_model);
    g_ptr_array_unref(node->domains);
    g_ptr_array_unref(node->networks);
    g_ptr_array_unref(node->pools);
    g_ptr_array_unref(node->interfaces);
    g_ptr_array_unref(node->devices);
    g_free(node);
}

static gboolean
virtkitNodeNodeUint(const virtkitXmlNode *cpu, const char *name, guint *out, GError **error)
{
    virtkitXmlNode *n = virtkitXmlNodeChild(cpu, name);
    guint64 v;
    if (!n)
        return TRUE;
    g_autofree char *t = g_strstrip(g_strdup(n->text ? n->text : ""));
    if (!virtkitParseUInt64(t, &v) || v == 0 || v > G_MAXUINT) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                    "Invalid node <cpu><%s> '%s' at line %d: expected a positive integer",
                    name, t, n->line);
        return FALSE;
    }
    *out = (guint) v;
    return TRUE;
}

/* The object as a document of its own: inline, or read from file=. */
static char *
virtkitNodeObjectXml(const virtkitXmlNode *n, const char *base_dir, gsize max_size, GError **error)
{
    const char *file = virtkitXmlNodeGetAttr(n, "file");
    if (file) {
        g_autofree char *path = g_path_is_absolute(file) ? g_strdup(file)
                                                         : g_build_filename(base_dir, file, NULL);
        char *contents = NULL;
        g_autoptr(GError) ferr = NULL;
        /* bounded whatever the file is: file='/dev/zero' must not fill memory */
        if (!max_size)
            max_size = VIRTKIT_XML_DEFAULT_MAX_SIZE;
        if (!vkFileReadBounded(path, max_size, &contents, NULL, NULL, &ferr)) {
            if (g_error_matches(ferr, VK_FILE_ERROR, VK_FILE_ERROR_TOO_BIG))
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                            "The file '%s' of the node is larger than the limit of %"
                            G_GSIZE_FORMAT " bytes", file, max_size);
            else
                g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                            "Cannot read the <%s file='%s'> of the node at line %d: %s",
                            n->name, file, n->line, ferr->message);
            return NULL;
        }
        return contents;
    }
    g_autoptr(virtkitXmlNode) copy = virtkitXmlNodeCopy(n);
    GString *b = g_string_new(NULL);
    virtkitXmlFormat(b, copy, 0);
    return g_string_free(b, FALSE);
}

virtkitNodeDef *
virtkitNodeDefParseString(const char *xml, const char *base_dir, gsize max_size, GError **error)
{
    g_autoptr(virtkitXmlNode) root = virtkitXmlParse(xml, max_size, "node", "node file", error);
    g_autoptr(virtkitNodeDef) node = NULL;
    if (!root)
        return NULL;

    node = g_new0(virtkitNodeDef, 1);
    node->cpu_model = g_strdup("i686");
    node->mhz = 1400;
    node->nodes = 2;
    node->sockets = 2;
    node->cores = 2;
    node->threads = 2;
    node->active = 16;
    node->memory_kib = 3145728;
    node->domains = g_ptr_array_new_with_free_func(g_free);
    node->networks = g_ptr_array_new_with_free_func(g_free);
    node->pools = g_ptr_array_new_with_free_func(g_free);
    node->interfaces = g_ptr_array_new_with_free_func(g_free);
    node->devices = g_ptr_array_new_with_free_func(g_free);

    virtkitXmlNode *cpu = virtkitXmlNodeChild(root, "cpu");
    if (cpu) {
        gboolean has_active = virtkitXmlNodeChild(cpu, "active") != NULL;
        if (!virtkitNodeNodeUint(cpu, "mhz", &node->mhz, error) ||
            !virtkitNodeNodeUint(cpu, "nodes", &node->nodes, error) ||
            !virtkitNodeNodeUint(cpu, "sockets", &node->sockets, error) ||
            !virtkitNodeNodeUint(cpu, "cores", &node->cores, error) ||
            !virtkitNodeNodeUint(cpu, "threads", &node->threads, error) ||
            !virtkitNodeNodeUint(cpu, "active", &node->active, error))
            return NULL;
        guint total = node->nodes * node->sockets * node->cores * node->threads;
        if (!has_active || node->active > total)
            node->active = total;
        const char *model = virtkitXmlNodeChildText(cpu, "model");
        if (model) {
            g_free(node->cpu_model);
            node->cpu_model = g_strstrip(g_strdup(model));
        }
    }
    virtkitXmlNode *mem = virtkitXmlNodeChild(root, "memory");
    if (mem) {
        g_autofree char *t = g_strstrip(g_strdup(mem->text ? mem->text : ""));
        if (!virtkitParseScaled(t, virtkitXmlNodeGetAttr(mem, "unit"), "KiB", "KiB",
                                G_MAXUINT64 / 1024, "memory", &node->memory_kib, error))
            return NULL;
    }

    static const char *const kinds[] = { "domain", "network", "pool", "interface", "device" };
    GPtrArray *lists[] = { node->domains, node->networks, node->pools, node->interfaces,
                           node->devices };
    for (guint i = 0; i < root->children->len; i++) {
        const virtkitXmlNode *c = root->children->pdata[i];
        for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
            if (strcmp(c->name, kinds[k]) != 0)
                continue;
            char *doc = virtkitNodeObjectXml(c, base_dir ? base_dir : ".", max_size, error);
            if (!doc)
                return NULL;
            g_ptr_array_add(lists[k], doc);
        }
    }
    return g_steal_pointer(&node);
}

virtkitNodeDef *
virtkitNodeDefParseFile(const char *path, gsize max_size, GError **error)
{
    g_autofree char *contents = NULL;
    g_autofree char *dir = g_path_get_dirname(path);
    g_autoptr(GError) ferr = NULL;
    if (max_size == 0)
        max_size = VIRTKIT_XML_DEFAULT_MAX_SIZE;
    /* bounded whatever the file is: test:///dev/zero must not fill memory */
    if (!vkFileReadBounded(path, max_size, &contents, NULL, NULL, &ferr)) {
        if (g_error_matches(ferr, VK_FILE_ERROR, VK_FILE_ERROR_TOO_BIG))
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                        "The node file '%s' is larger than the limit of %" G_GSIZE_FORMAT
                        " bytes", path, max_size);
        else
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR,
                        "Cannot read the node file '%s'", path);
        return NULL;
    }
    return virtkitNodeDefParseString(contents, dir, max_size, error);
}
