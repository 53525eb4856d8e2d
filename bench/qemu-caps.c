/*
 * qemu-caps.c: virConnectGetCapabilities on qemu:///embed, cold (a fresh
 * root: QEMU is probed over QMP), from the cache file (a new connection on
 * the same root) and from memory (the same connection again).
 *
 *   VIRTKIT_PLUGIN_DIR=build/plugins/qemu build/bench/qemu-caps [ROUNDS]
 *
 * Prints the median of each, in ms.  Debian's libvirt 9.0 does the same
 * for its own embed root in about 5.3 s cold (it probes qemu-system-i386
 * too) and about 0.1 s from its cache, measured by hand with virsh and
 * python3-libvirt (see the qemu section of README.md).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One virConnectGetCapabilities on @c, in ms; -1 on failure. */
static double
caps_ms(virConnectPtr c)
{
    gint64 t0 = g_get_monotonic_time();
    char *xml = virConnectGetCapabilities(c);

    if (!xml)
        return -1;
    free(xml);
    return (double)(g_get_monotonic_time() - t0) / 1000.0;
}

int
main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    g_autofree char *dir = g_dir_make_tmp("vkqcb-XXXXXX", NULL);
    g_autofree double *cold = NULL, *file = NULL, *mem = NULL;

    if (rounds < 1 || !dir) {
        fprintf(stderr, "qemu-caps: usage: qemu-caps [ROUNDS >= 1]\n");
        return 1;
    }
    cold = g_new0(double, rounds);
    file = g_new0(double, rounds);
    mem = g_new0(double, rounds);
    for (int i = 0; i < rounds; i++) {
        g_autofree char *root = g_strdup_printf("%s/r%d", dir, i);
        g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);
        virConnectPtr c = virConnectOpen(uri);

        if (!c || (cold[i] = caps_ms(c)) < 0 || (mem[i] = caps_ms(c)) < 0) {
            fprintf(stderr, "qemu-caps: round %d failed on %s\n", i, uri);
            return 1;
        }
        virConnectClose(c);
        if (!(c = virConnectOpen(uri)) || (file[i] = caps_ms(c)) < 0) {
            fprintf(stderr, "qemu-caps: round %d failed on %s\n", i, uri);
            return 1;
        }
        virConnectClose(c);
    }
    printf("virConnectGetCapabilities on qemu:///embed, median of %d (ms)\n", rounds);
    printf("  cold (QEMU probed over QMP)  %8.2f\n", median(cold, rounds));
    printf("  cache file (new connection)  %8.2f\n", median(file, rounds));
    printf("  memory (same connection)     %8.2f\n", median(mem, rounds));
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
        if (system(cmd) != 0) {
            /* a leftover temp dir */
        }
    }
    return 0;
}
