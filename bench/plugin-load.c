/*
 * plugin-load: what loading one plugin costs.  Times the first open of a
 * URI in a fresh process (key-file discovery, dlopen, descriptor checks,
 * init, secondary attach) against later opens of the same URI, which find
 * the plugin loaded.  Not a test: prints figures.
 *
 * usage: VIRTKIT_PLUGIN_DIR=DIR plugin-load URI [REPEAT]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

#include <libvirt/libvirt.h>

int
main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "fixgood:///";
    int repeat = argc > 2 ? atoi(argv[2]) : 1000;
    gint64 t0, t1, t2;
    virConnectPtr conn;

    t0 = g_get_monotonic_time();
    conn = virConnectOpen(uri);
    t1 = g_get_monotonic_time();
    if (!conn)
        return 1;
    virConnectClose(conn);
    t1 = g_get_monotonic_time() - t1 + t1;
    t2 = g_get_monotonic_time();
    for (int i = 0; i < repeat; i++) {
        conn = virConnectOpen(uri);
        if (!conn)
            return 1;
        virConnectClose(conn);
    }
    t2 = g_get_monotonic_time() - t2;
    printf("first open (loads the plugin): %" G_GINT64_FORMAT " us\n", t1 - t0);
    printf("later open+close, mean of %d: %.2f us\n", repeat, (double)t2 / repeat);
    return 0;
}
