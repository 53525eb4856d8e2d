/*
 * domain-ops: what the common domain calls cost on test:///default, in
 * process.  One source, built twice: against virtkit (virtkit-compat) and
 * against Debian's libvirt (libvirt-dev), so that bench/compare.sh can
 * print both figures and their ratio.  Not a test: prints figures.
 *
 * usage: domain-ops [N] [BIG]      (defaults 1000 and 10000)
 *
 * Output, one line per measure: "name<TAB>microseconds per operation".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static char *
domainXML(int i)
{
    return g_strdup_printf("<domain type='test'>\n"
                           "  <name>bench-%06d</name>\n"
                           "  <uuid>5a1e0000-0000-4000-8000-%012d</uuid>\n"
                           "  <memory unit='KiB'>1048576</memory>\n"
                           "  <vcpu>1</vcpu>\n"
                           "  <os><type arch='x86_64'>hvm</type></os>\n"
                           "  <devices>\n"
                           "    <disk type='file' device='disk'>\n"
                           "      <source file='/var/lib/bench/%06d.img'/>\n"
                           "      <target dev='vda' bus='virtio'/>\n"
                           "    </disk>\n"
                           "  </devices>\n"
                           "</domain>\n", i, i, i);
}

static void
die(const char *what)
{
    fprintf(stderr, "domain-ops: %s failed: %s\n", what, virGetLastErrorMessage());
    exit(EXIT_FAILURE);
}

static void
report(const char *name, gint64 us, int ops)
{
    printf("%s\t%.3f\n", name, (double)us / ops);
    fflush(stdout);
}

/* Defines domains [from, to); returns the time taken. */
static gint64
defineRange(virConnectPtr conn, int from, int to)
{
    gint64 t0 = g_get_monotonic_time();

    for (int i = from; i < to; i++) {
        g_autofree char *xml = domainXML(i);
        virDomainPtr dom = virDomainDefineXML(conn, xml);

        if (!dom)
            die("virDomainDefineXML");
        virDomainFree(dom);
    }
    return g_get_monotonic_time() - t0;
}

static gint64
listAll(virConnectPtr conn, int repeat, int expect)
{
    gint64 t0 = g_get_monotonic_time();

    for (int r = 0; r < repeat; r++) {
        virDomainPtr *doms = NULL;
        int n = virConnectListAllDomains(conn, &doms, 0);

        if (n < expect)
            die("virConnectListAllDomains");
        for (int i = 0; i < n; i++)
            virDomainFree(doms[i]);
        free(doms);
    }
    return g_get_monotonic_time() - t0;
}

int
main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    int big = argc > 2 ? atoi(argv[2]) : 10000;
    virConnectPtr conn;
    gint64 t0;
    unsigned long ver = 0;

    virGetVersion(&ver, NULL, NULL);
    if (!(conn = virConnectOpen("test:///default")))
        die("virConnectOpen");
    printf("# library reports libvirt %lu; %d domains, then %d\n", ver, n, big);

    report("define", defineRange(conn, 0, n), n);

    t0 = g_get_monotonic_time();
    for (int i = 0; i < n; i++) {
        char name[32];
        virDomainPtr dom;

        g_snprintf(name, sizeof(name), "bench-%06d", i);
        if (!(dom = virDomainLookupByName(conn, name)))
            die("virDomainLookupByName");
        virDomainFree(dom);
    }
    report("lookup-by-name", g_get_monotonic_time() - t0, n);

    t0 = g_get_monotonic_time();
    for (int i = 0; i < n; i++) {
        char name[32];
        virDomainPtr dom;
        char *xml;

        g_snprintf(name, sizeof(name), "bench-%06d", i);
        if (!(dom = virDomainLookupByName(conn, name)))
            die("virDomainLookupByName");
        if (!(xml = virDomainGetXMLDesc(dom, 0)))
            die("virDomainGetXMLDesc");
        free(xml);
        virDomainFree(dom);
    }
    report("lookup+xmldesc", g_get_monotonic_time() - t0, n);

    report("list-all-1000 (per call)", listAll(conn, 100, n), 100);

    t0 = g_get_monotonic_time();
    {
        virDomainStatsRecordPtr *records = NULL;
        int r;

        for (int k = 0; k < 10; k++) {
            if ((r = virConnectGetAllDomainStats(conn, 0, &records, 0)) < n)
                die("virConnectGetAllDomainStats");
            virDomainStatsRecordListFree(records);
            records = NULL;
        }
    }
    report("all-domain-stats-1000 (per call)", g_get_monotonic_time() - t0, 10);

    t0 = g_get_monotonic_time();
    for (int i = 0; i < n; i++) {
        char name[32];
        virDomainPtr dom;

        g_snprintf(name, sizeof(name), "bench-%06d", i);
        if (!(dom = virDomainLookupByName(conn, name)))
            die("virDomainLookupByName");
        if (virDomainUndefine(dom) < 0)
            die("virDomainUndefine");
        virDomainFree(dom);
    }
    report("lookup+undefine", g_get_monotonic_time() - t0, n);

    defineRange(conn, 0, big);
    report("list-all-10000 (per call)", listAll(conn, 10, big), 10);

    virConnectClose(conn);
    return 0;
}
