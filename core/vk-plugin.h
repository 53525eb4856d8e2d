/*
 * vk-plugin.h: the plugin loader, as the rest of the core sees it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "vk-dispatch.h"

G_BEGIN_DECLS

/* The services table every plugin's init() receives. */
const virtkitPluginHost *vkPluginHost(void);

/*
 * vkPluginForURI:
 * The tables of the hypervisor plugin that serves @scheme, loading it if
 * needed (a stateful plugin's URI goes to the "remote" plugin unless this
 * process is the daemon or @embed asks for an embeddable plugin in-process).
 * A URI with a @host (not NULL, not "") or a transport ("test+unix:///...")
 * whose plugin declares VIRTKIT_PLUGIN_LOCAL_ONLY goes to the "remote" plugin
 * too, and without one is refused, naming the plugin and the host or
 * transport: it never reaches the local plugin's connectOpen.
 * NULL with the error set: no plugin, two plugins claiming the scheme, the
 * plugin was refused (its recorded reason), or a host it cannot reach.
 */
const vkDriverTables *vkPluginForURI(const char *scheme, const char *uri, const char *host,
                                     bool embed);

/* The secondary plugins that loaded (const vkDriverTables *), in discovery
 * order; refused ones are skipped.  Free the array with g_ptr_array_unref. */
GPtrArray *vkPluginSecondaries(void);

/* virtkitd says so before opening anything: stateful plugins then serve
 * their URIs in-process. */
void vkPluginSetDaemon(bool daemon);

/* Modules dlopened so far in this process (lazy-loading tests). */
unsigned int vkPluginLoadCount(void);

/* Forget discovery results so the next lookup reads the key files again. */
void vkPluginRescan(void);

G_END_DECLS
