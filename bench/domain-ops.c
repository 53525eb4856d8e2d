/*
 * domain-ops: what the common domain calls cost on test:///default, in
 * process.  One source, built twice: against virtkit (virtkit-compat) and
 * against Debian's libvirt (libvirt-dev), so that bench/compare.sh can
 * print both figures and their ratio.  Not a test: prints figures.
 *
 * usage: domain-ops [N] [BIG]      (defaults 1000 and 10000)
 *
 * Output, one line per measure: "name<TAB>microseconds per operation", in
 * CPU time of the calling thread (cpuNow).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/* The calling thread's CPU time in µs (user + system).  Every call measured
 * here runs on the calling thread in both libraries, and on a machine that
 * other work shares, CPU time leaves out the time spent waiting for a CPU,
 * which wall time is mostly made of there. */
static gint64
cpuNow(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

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
    gint64 t0 = cpuNow();

    for (int i = from; i < to; i++) {
        g_autofree char *xml = domainXML(i);
        virDomainPtr dom = virDomainDefineXML(conn, xml);

        if (!dom)
            die("virDomainDefineXML");
        virDomainFree(dom);
    }
    return cpuNow() - t0;
}

static int
cmpInt64(const void *a, const void *b)
{
    gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

    return x < y ? -1 : x > y;
}

/* The median of @n timings: on a machine other work shares, a call that
 * was preempted says nothing about the call itself. */
static gint64
median(gint64 *t, int n)
{
    qsort(t, n, sizeof(*t), cmpInt64);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

#define MAX_REPEAT 100

/* The median time of @repeat calls of virConnectListAllDomains, each
 * list freed. */
static gint64
listAll(virConnectPtr conn, int repeat, int expect)
{
    gint64 t[MAX_REPEAT];

    for (int r = 0; r < repeat && r < MAX_REPEAT; r++) {
        gint64 t0 = cpuNow();
        virDomainPtr *doms = NULL;
        int n = virConnectListAllDomains(conn, &doms, 0);

        if (n < expect)
            die("virConnectListAllDomains");
        for (int i = 0; i < n; i++)
            virDomainFree(doms[i]);
        free(doms);
        t[r] = cpuNow() - t0;
    }
    return median(t, MIN(repeat, MAX_REPEAT));
}

/* The median time of @repeat calls of virConnectGetAllDomainStats for
 * @stats, each list freed. */
static gint64
allStats(virConnectPtr conn, unsigned int stats, int repeat, int expect)
{
    gint64 t[MAX_REPEAT];

    for (int r = 0; r < repeat && r < MAX_REPEAT; r++) {
        gint64 t0 = cpuNow();
        virDomainStatsRecordPtr *records = NULL;

        if (virConnectGetAllDomainStats(conn, stats, &records, 0) < expect)
            die("virConnectGetAllDomainStats");
        virDomainStatsRecordListFree(records);
        t[r] = cpuNow() - t0;
    }
    return median(t, MIN(repeat, MAX_REPEAT));
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

    t0 = cpuNow();
    for (int i = 0; i < n; i++) {
        char name[32];
        virDomainPtr dom;

        g_snprintf(name, sizeof(name), "bench-%06d", i);
        if (!(dom = virDomainLookupByName(conn, name)))
            die("virDomainLookupByName");
        virDomainFree(dom);
    }
    report("lookup-by-name", cpuNow() - t0, n);

    t0 = cpuNow();
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
    report("lookup+xmldesc", cpuNow() - t0, n);

    report("list-all-1000 (per call, median)", listAll(conn, 100, n), 1);

    /* The default set (libvirt 9.0's test driver has the state group
     * only; ours has five more), then the state group alone on both.
     * virtkit's first call reads what it keeps beside each domain (its
     * disks' file sizes among them): that call on its own first. */
    report("all-domain-stats-1000 first call", allStats(conn, 0, 1, n), 1);
    report("all-domain-stats-1000 (per call, median)", allStats(conn, 0, 21, n), 1);
    report("all-domain-stats-1000 state (per call, median)",
           allStats(conn, VIR_DOMAIN_STATS_STATE, 21, n), 1);

    t0 = cpuNow();
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
    report("lookup+undefine", cpuNow() - t0, n);

    defineRange(conn, 0, big);
    report("list-all-10000 (per call, median)", listAll(conn, 11, big), 1);

    virConnectClose(conn);
    return 0;
}
