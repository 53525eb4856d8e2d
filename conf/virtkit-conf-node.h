/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * virtkit-conf-node.h: libvirt's <node> file, the custom host of the test
 * driver (test:///path/to/node.xml).  A <node> holds the host's <cpu> and
 * <memory> and any number of <domain>, <network>, <pool>, <interface> and
 * <device> definitions, inline or as <domain file='relative.xml'/>.
 *
 * The node info and the domains are modelled; the other objects are kept as
 * formatted XML for the models of later issues.
 */
#ifndef VIRTKIT_CONF_NODE_H
#define VIRTKIT_CONF_NODE_H

#include "virtkit-conf-xml.h"

G_BEGIN_DECLS

/**
 * virtkitNodeDef:
 * @cpu_model: <cpu><model>, "i686" when absent (libvirt's test host)
 * @mhz, @nodes, @sockets, @cores, @threads, @active: <cpu> children; absent
 *        values keep the defaults listed at virtkitNodeDefParseFile
 * @memory_kib: <memory> (KiB)
 * @domains: char *, each a whole <domain> document (files already read)
 * @networks, @pools, @interfaces, @devices: char *, whole documents
 *
 * Since: 0.1.0
 */
typedef struct _virtkitNodeDef {
    char *cpu_model;
    guint mhz;
    guint nodes;
    guint sockets;
    guint cores;
    guint threads;
    guint active;
    guint64 memory_kib;
    GPtrArray *domains;
    GPtrArray *networks;
    GPtrArray *pools;
    GPtrArray *interfaces;
    GPtrArray *devices;
} virtkitNodeDef;

/**
 * virtkitNodeDefParseFile:
 * @path: the node file; relative file= references are read from its folder
 * @max_size: size limit for each file, 0 for the default
 * @error: return location for a GError
 *
 * Defaults (what libvirt's test:///default host reports): 16 CPUs as
 * 2 NUMA nodes x 2 sockets x 2 cores x 2 threads at 1400 MHz, "i686",
 * 3145728 KiB.  Values that are given must be positive integers.
 *
 * Returns: (transfer full): the node, or NULL with @error set.
 * Since: 0.1.0
 */
virtkitNodeDef *virtkitNodeDefParseFile(const char *path, gsize max_size, GError **error);
virtkitNodeDef *virtkitNodeDefParseString(const char *xml, const char *base_dir,
                                          gsize max_size, GError **error);
void virtkitNodeDefFree(virtkitNodeDef *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virtkitNodeDef, virtkitNodeDefFree)

G_END_DECLS

#endif /* VIRTKIT_CONF_NODE_H */
