/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-snapshot.c: libFuzzer target for the snapshot XML parser (with and
 * without REDEFINE, the embedded <domain> included), its formatter, and
 * the snapshot tree: a parsed snapshot is added to a tree, listed and
 * deleted.  A refusal must be a VIRTKIT_CONF_ERROR or VIRTKIT_CONF_XML_ERROR
 * (what libvirt reports from its XML layer) with a message; what we
 * format must parse again.
 */
#include "virtkit-conf-snapshot.h"

#include <virtkit/virtkit.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static gboolean init;
    if (!init) {
        g_log_set_handler("virtkit-conf", G_LOG_LEVEL_MASK, quiet, NULL);
        init = TRUE;
    }
    if (size > 256 * 1024)
        return 0;
    g_autofree char *xml = g_strndup((const char *) data, size);

    for (unsigned int flags = 0; flags <= VIRTKIT_SNAPSHOT_PARSE_REDEFINE; flags++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(virtkitSnapshotDef) def = virtkitSnapshotDefParseString(xml, flags, &error);
        if (!def) {
            if (!error || !error->message ||
                (error->domain != VIRTKIT_CONF_ERROR && error->domain != VIRTKIT_CONF_XML_ERROR))
                abort();
            continue;
        }
        g_autofree char *out = virtkitSnapshotDefFormat(def, VIR_DOMAIN_SNAPSHOT_XML_SECURE);
        g_autoptr(GError) error2 = NULL;
        g_autoptr(virtkitSnapshotDef) again = virtkitSnapshotDefParseString(out, 0, &error2);
        if (!again && !error2)
            abort();

        /* into a tree under a parent of its own, listed both ways, deleted */
        if (def->name) {
            virtkitSnapshotTree *tree = virtkitSnapshotTreeNew();
            virtkitSnapshotDef *copy = virtkitSnapshotDefCopy(def);
            g_autoptr(GError) terr = NULL;
            g_free(copy->parent);
            copy->parent = NULL;
            if (virtkitSnapshotTreeAdd(tree, copy, FALSE, &terr)) {
                g_autoptr(GPtrArray) all = virtkitSnapshotTreeList(
                    tree, NULL, VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL);
                g_autoptr(GPtrArray) desc = virtkitSnapshotTreeList(
                    tree, def->name, VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS);
                g_autoptr(GPtrArray) gone = virtkitSnapshotTreeDelete(
                    tree, def->name, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN);
                if (all->len != 1 || desc->len != 0 || gone->len != 1)
                    abort();
            } else {
                virtkitSnapshotDefFree(copy);
            }
            virtkitSnapshotTreeFree(tree);
        }
    }
    return 0;
}
