/*
 * startup-floor: a program that loads what `vksh -c test:///default list
 * --all` loads and does nothing else: libvirtkit and vksh's own libraries
 * (GLib, GIO, json-glib, libxml2, readline) linked, and the test plugin's
 * module opened.  bench/compare.sh times it beside vksh and virsh: the
 * dynamic linker's share of vksh's start-up, which no change to vksh's
 * own code can remove.
 *
 * usage: startup-floor [PLUGIN.so]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <dlfcn.h>
#include <stdio.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libvirt/libvirt.h>
#ifdef WITH_READLINE
# include <readline/readline.h>
#endif

/* One symbol of each library, so that --as-needed keeps them linked. */
static void *const keep[] = {
    (void *)virGetVersion, (void *)g_free, (void *)g_file_new_for_path,
    (void *)json_node_free, (void *)xmlInitParser,
#ifdef WITH_READLINE
    (void *)readline,
#endif
};

int
main(int argc, char **argv)
{
    /* the plugin as the loader opens it: bound now, symbols kept local */
    if (argc > 1 && !dlopen(argv[1], RTLD_NOW | RTLD_LOCAL)) {
        fprintf(stderr, "startup-floor: %s\n", dlerror());
        return 1;
    }
    return keep[0] ? 0 : 1;
}
