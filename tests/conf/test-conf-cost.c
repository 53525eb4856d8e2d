/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-conf-cost.c: every parser step is at most O(n log n) in the size of
 * the document, and small hostile documents are refused at once.
 *
 * Each case runs in a child process (g_test_trap_subprocess) with a time
 * limit and, outside sanitizer builds, an address-space limit, so a
 * regression fails instead of taking the machine down.  Growth is judged
 * against a linear reference: the same document at 1/16 of the size must
 * not be more than 100 times faster (a linear or n log n step is 16 to 45
 * times faster, caches included; a quadratic one, 256).
 */
#include "virtkit-conf-domain.h"
#include "virtkit-conf-snapshot.h"

#include <virtkit/virtkit.h>
#include <sys/resource.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define COST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COST_SANITIZED 1
#endif
#endif

/* Limits for one case's child: generous for a loaded 2-core machine. */
#define COST_CHILD_TIMEOUT_US (120 * G_USEC_PER_SEC)
#define COST_CHILD_AS_LIMIT (1536ULL * 1024 * 1024)

typedef char *(*CostGen)(guint n);

static virtkitCaps *caps;

static void
cost_limit_memory(void)
{
#ifndef COST_SANITIZED
    struct rlimit rl = { COST_CHILD_AS_LIMIT, COST_CHILD_AS_LIMIT };
    g_assert_cmpint(setrlimit(RLIMIT_AS, &rl), ==, 0);
#endif
}

/* Best of three parses of @xml, in seconds; @ok says whether it parsed. */
static double
cost_parse_time(const char *xml, gboolean *ok, GError **error_out)
{
    virtkitDomainParseOptions opts = { .caps = caps };
    double best = G_MAXDOUBLE;

    for (int round = 0; round < 3; round++) {
        g_autoptr(GError) error = NULL;
        gint64 t0 = g_get_monotonic_time();
        g_autoptr(virtkitDomainDef) def = virtkitDomainDefParseString(xml, &opts, 0, &error);
        double t = (g_get_monotonic_time() - t0) / (double) G_USEC_PER_SEC;
        best = MIN(best, t);
        *ok = def != NULL;
        if (error_out && error && !*error_out)
            *error_out = g_steal_pointer(&error);
    }
    return best;
}

/* @gen at @n and at 16 * @n: both parse, and the big one costs at most 100
 * times the small one (plus 50 ms for timer noise on tiny documents). */
static void
cost_assert_linear(CostGen gen, guint n)
{
    g_autofree char *small = gen(n);
    g_autofree char *big = gen(16 * n);
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;
    gboolean ok1, ok2;
    double t1 = cost_parse_time(small, &ok1, &e1);
    double t2 = cost_parse_time(big, &ok2, &e2);

    g_printerr("# n=%u: %.4f s; n=%u: %.4f s (ratio %.1f)\n", n, t1, 16 * n, t2,
                   t1 > 0 ? t2 / t1 : 0.0);
    if (!ok1 || !ok2)
        g_error("the documents must parse: %s", (e1 ? e1 : e2)->message);
    g_assert_cmpfloat(t2, <=, 100 * t1 + 0.05);
}

static char *
cost_domain(const char *vcpu, const char *cputune, const char *numatune, const char *devices)
{
    return g_strdup_printf("<domain type='test'><name>cost</name><memory>1048576</memory>"
                           "<vcpu>%s</vcpu><cputune>%s</cputune>%s<os><type>hvm</type></os>"
                           "<devices>%s</devices></domain>",
                           vcpu, cputune, numatune, devices);
}

/* A disk target name for index @i: vda, vdb, ..., vdz, vdaa, ... */
static void
cost_disk_name(GString *s, guint i)
{
    char buf[16];
    int k = 0;
    i++;
    while (i > 0) {
        i--;
        buf[k++] = 'a' + i % 26;
        i /= 26;
    }
    g_string_append(s, "vd");
    while (k > 0)
        g_string_append_c(s, buf[--k]);
}

/* Disks written in reverse target order: every insertion in the old
 * one-by-one order walked the whole list. */
static char *
gen_disks(guint n)
{
    g_autoptr(GString) dev = g_string_new(NULL);
    for (guint i = n; i > 0; i--) {
        g_string_append_printf(dev, "<disk type='file' device='disk'><source file='/d/%u'/>"
                                    "<target dev='", i);
        cost_disk_name(dev, i - 1);
        g_string_append(dev, "' bus='virtio'/></disk>");
    }
    return cost_domain("2", "", "", dev->str);
}

/* numatune memnodes in reverse cellid order (was an insertion sort). */
static char *
gen_memnodes(guint n)
{
    g_autoptr(GString) nt = g_string_new("<numatune>");
    for (guint i = n; i > 0; i--)
        g_string_append_printf(nt, "<memnode cellid='%u' mode='strict' nodeset='0'/>", i - 1);
    g_string_append(nt, "</numatune>");
    return cost_domain("2", "", nt->str, "");
}

/* one vcpusched per vCPU, in reverse order (was an insertion sort) */
static char *
gen_vcpusched(guint n)
{
    g_autoptr(GString) ct = g_string_new(NULL);
    g_autofree char *vcpus = g_strdup_printf("%u", n);
    for (guint i = n; i > 0; i--)
        g_string_append_printf(ct, "<vcpusched vcpus='%u' scheduler='fifo' priority='%u'/>",
                               i - 1, i % 99 + 1);
    return cost_domain(vcpus, ct->str, "", "");
}

/* a cpuset made of many full-width ranges (was a hash insert per bit) */
static char *
cpuset_doc(guint n, const char *part)
{
    g_autoptr(GString) set = g_string_new(part);
    for (guint i = 1; i < n; i++)
        g_string_append_printf(set, ",%s", part);
    g_autofree char *vcpu = g_strdup_printf("<vcpu cpuset='%s'>2</vcpu>", set->str);
    return g_strdup_printf("<domain type='test'><name>cost</name><memory>1048576</memory>"
                           "%s<os><type>hvm</type></os></domain>", vcpu);
}

static char *
gen_cpuset(guint n)
{
    return cpuset_doc(n, "0-65535");
}

static void
test_disks(void)
{
    if (g_test_subprocess()) {
        cost_limit_memory();
        cost_assert_linear(gen_disks, 1000);
        return;
    }
    g_test_trap_subprocess(NULL, COST_CHILD_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

static void
test_memnodes(void)
{
    if (g_test_subprocess()) {
        cost_limit_memory();
        cost_assert_linear(gen_memnodes, 1000);
        return;
    }
    g_test_trap_subprocess(NULL, COST_CHILD_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

/* resctrl groups: n disjoint cachetunes (one vCPU each, out of order),
 * each with a memorytune of the same set, and n memorytunes more that join
 * the first group with a node each (merged into its one memorytune) */
static char *
gen_resctrl(guint n)
{
    g_autoptr(GString) ct = g_string_new(NULL);
    g_autofree char *vcpus = g_strdup_printf("%u", n);
    for (guint i = n; i > 0; i--)
        g_string_append_printf(ct, "<cachetune vcpus='%u'><cache id='0' level='3' type='both' "
                                   "size='1' unit='MiB'/></cachetune>"
                                   "<memorytune vcpus='%u'><node id='0' bandwidth='10'/>"
                                   "</memorytune>", i - 1, i - 1);
    for (guint i = 0; i < n; i++)
        g_string_append_printf(ct, "<memorytune vcpus='0'><node id='%u' bandwidth='10'/>"
                                   "</memorytune>", i + 1);
    return cost_domain(vcpus, ct->str, "", "");
}

static void
test_resctrl(void)
{
    if (g_test_subprocess()) {
        cost_limit_memory();
        cost_assert_linear(gen_resctrl, 512);
        return;
    }
    g_test_trap_subprocess(NULL, COST_CHILD_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

/* 400 cachetunes over all 16384 vCPUs: refused at the second, as libvirt
 * refuses it, in the time of one */
static void
test_resctrl_bomb(void)
{
    if (g_test_subprocess()) {
        const char *el = "<cachetune vcpus='0-16383'><cache id='0' level='3' type='both' "
                         "size='1' unit='MiB'/></cachetune>";
        const char *mt = "<memorytune vcpus='0-16383,^1'><node id='0' bandwidth='10'/>"
                         "</memorytune>";
        g_autofree char *one = cost_domain("16384", el, "", "");
        g_autoptr(GString) many = g_string_new(NULL);
        g_autoptr(GString) overlap = g_string_new(el);
        g_autoptr(GError) e1 = NULL;
        g_autoptr(GError) e2 = NULL;
        gboolean ok;
        double t1, tmany, tover;

        cost_limit_memory();
        for (int i = 0; i < 400; i++) {
            g_string_append(many, el);
            g_string_append(overlap, mt);
        }
        g_autofree char *big = cost_domain("16384", many->str, "", "");
        g_autofree char *big2 = cost_domain("16384", overlap->str, "", "");

        t1 = cost_parse_time(one, &ok, NULL);
        g_assert_true(ok);
        tmany = cost_parse_time(big, &ok, &e1);
        g_assert_false(ok);
        g_assert_error(e1, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR);
        g_assert_cmpstr(e1->message, ==, "XML error: Identical vcpus in cachetunes found");
        tover = cost_parse_time(big2, &ok, &e2);
        g_assert_false(ok);
        g_assert_error(e2, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR);
        g_assert_cmpstr(e2->message, ==, "XML error: Overlapping vcpus in resctrls");
        g_printerr("# one cachetune: %.4f s; 400 identical: %.4f s; 400 overlapping: %.4f s\n",
                   t1, tmany, tover);
        g_assert_cmpfloat(tmany, <=, 4 * t1 + 0.05);
        g_assert_cmpfloat(tover, <=, 4 * t1 + 0.05);
        return;
    }
    g_test_trap_subprocess(NULL, COST_CHILD_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

static void
test_vcpusched_sort(void)
{
    if (g_test_subprocess()) {
        cost_limit_memory();
        cost_assert_linear(gen_vcpusched, 1000);
        return;
    }
    g_test_trap_subprocess(NULL, COST_CHILD_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

static void
test_cpuset(void)
{
    if (g_test_subprocess()) {
        cost_limit_memory();
        cost_assert_linear(gen_cpuset, 200);
        {
            /* linear, and cheap: wide ranges cost at most 50 times what
             * the same count of one-bit parts ("0000-0000") does */
            g_autofree char *wide = cpuset_doc(3200, "0-65535");
            g_autofree char *narrow = cpuset_doc(3200, "0000-0000");
            gboolean ok;
            double tw = cost_parse_time(wide, &ok, NULL);
            double tn = cost_parse_time(narrow, &ok, NULL);
            g_printerr("# 3200 parts 0-65535: %.4f s; 3200 parts 0000-0000: %.4f s\n", tw, tn);
            g_assert_cmpfloat(tw, <=, 50 * tn + 0.05);
        }
        return;
    }
    g_test_trap_subprocess(NULL, COST_CHILD_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

/* The 360-byte bomb: overlapping vcpusched ranges are refused with
 * libvirt's words, no slower than the legal document with one of them. */
static void
test_vcpusched_bomb(void)
{
    if (g_test_subprocess()) {
        const char *el = "<vcpusched vcpus='0-16383' scheduler='fifo' priority='1'/>";
        g_autofree char *one = cost_domain("16384", el, "", "");
        g_autofree char *four_el = g_strconcat(el, el, el, el, NULL);
        g_autofree char *four = cost_domain("16384", four_el, "", "");
        g_autoptr(GString) many = g_string_new(NULL);
        g_autoptr(GError) error = NULL;
        gboolean ok;
        double t1, t4, tmany;

        cost_limit_memory();
        for (int i = 0; i < 400; i++)
            g_string_append(many, el);
        g_autofree char *big = cost_domain("16384", many->str, "", "");

        t1 = cost_parse_time(one, &ok, NULL);
        g_assert_true(ok);
        t4 = cost_parse_time(four, &ok, &error);
        g_assert_false(ok);
        g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL);
        g_assert_cmpstr(error->message, ==, "'vcpusched' attributes 'vcpus' must not overlap");
        tmany = cost_parse_time(big, &ok, NULL);
        g_assert_false(ok);
        g_printerr("# one range: %.4f s; four: %.4f s; 400: %.4f s\n", t1, t4, tmany);
        g_assert_cmpfloat(t4, <=, 4 * t1 + 0.05);
        g_assert_cmpfloat(tmany, <=, 4 * t1 + 0.05);
        return;
    }
    g_test_trap_subprocess(NULL, COST_CHILD_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

/* The same bomb inside snapshot XML, which is parsed (its <domain> too)
 * even without REDEFINE: refused at once, with the same words. */
static void
test_snapshot_bomb(void)
{
    if (g_test_subprocess()) {
        const char *el = "<vcpusched vcpus='0-16383' scheduler='fifo' priority='1'/>";
        g_autoptr(GString) ct = g_string_new(NULL);
        for (int i = 0; i < 400; i++)
            g_string_append(ct, el);
        g_autofree char *dom = cost_domain("16384", ct->str, "", "");
        g_autofree char *xml = g_strdup_printf("<domainsnapshot><name>b</name>%s"
                                               "</domainsnapshot>", dom);
        cost_limit_memory();
        for (unsigned int flags = 0; flags <= VIRTKIT_SNAPSHOT_PARSE_REDEFINE; flags++) {
            g_autoptr(GError) error = NULL;
            gint64 t0 = g_get_monotonic_time();
            g_autoptr(virtkitSnapshotDef) def = virtkitSnapshotDefParseString(xml, flags, &error);
            double t = (g_get_monotonic_time() - t0) / (double) G_USEC_PER_SEC;
            g_printerr("# snapshot with 400 overlapping vcpusched (flags %u): %.4f s\n", flags, t);
            g_assert_null(def);
            g_assert_nonnull(error);
            g_assert_nonnull(strstr(error->message,
                                    "'vcpusched' attributes 'vcpus' must not overlap"));
            g_assert_cmpfloat(t, <, 5.0);
        }
        return;
    }
    g_test_trap_subprocess(NULL, COST_CHILD_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

/* libvirt's other refusals on the same path: an id past the vCPU count, an
 * element without ids, overlapping iothread ids. */
static void
test_sched_refusals(void)
{
    static const struct {
        const char *vcpu, *cputune, *msg;
        int code;
    } cases[] = {
        { "8", "<vcpusched vcpus='6-9' scheduler='idle'/>",
          "unsupported configuration: vCPU '8' is not present in domain definition",
          VIR_ERR_CONFIG_UNSUPPORTED },
        { "8", "<vcpusched vcpus='7' scheduler='idle'/><vcpusched vcpus='6-9' scheduler='idle'/>",
          "'vcpusched' attributes 'vcpus' must not overlap", VIR_ERR_XML_DETAIL },
        { "8", "<vcpusched scheduler='idle'/>",
          "XML error: Missing attribute 'vcpus' in element 'vcpusched'", VIR_ERR_XML_ERROR },
        { "8", "<iothreadsched iothreads='1-2' scheduler='batch'/>"
               "<iothreadsched iothreads='2' scheduler='idle'/>",
          "'iothreadsched' attributes 'iothreads' must not overlap", VIR_ERR_XML_DETAIL },
    };
    virtkitDomainParseOptions opts = { .caps = caps };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = cost_domain(cases[i].vcpu, cases[i].cputune, "", "");
        g_autoptr(GError) error = NULL;
        g_autoptr(virtkitDomainDef) def = virtkitDomainDefParseString(xml, &opts, 0, &error);
        g_assert_null(def);
        g_assert_error(error, VIRTKIT_CONF_ERROR, cases[i].code);
        g_assert_cmpstr(error->message, ==, cases[i].msg);
    }
}

/* The split keeps libvirt's output: one element per id, in id order. */
static void
test_sched_split(void)
{
    virtkitDomainParseOptions opts = { .caps = caps };
    g_autofree char *xml = cost_domain("8", "<vcpusched vcpus='5,2-3' scheduler='fifo' "
                                            "priority='10'/><vcpusched vcpus='0' "
                                            "scheduler='idle'/>", "", "");
    g_autoptr(GError) error = NULL;
    g_autoptr(virtkitDomainDef) def = virtkitDomainDefParseString(xml, &opts, 0, &error);
    g_assert_no_error(error);
    g_autofree char *out = virtkitDomainDefFormat(def, 0);
    g_assert_nonnull(strstr(out,
        "    <vcpusched vcpus='0' scheduler='idle'/>\n"
        "    <vcpusched vcpus='2' scheduler='fifo' priority='10'/>\n"
        "    <vcpusched vcpus='3' scheduler='fifo' priority='10'/>\n"
        "    <vcpusched vcpus='5' scheduler='fifo' priority='10'/>\n"));
}

/* A chain s0 <- s1 <- ... <- s(n-1), each added with its parent named, as a
 * REDEFINE builds it; returns the seconds the adds took. */
static double
cost_build_chain(virtkitSnapshotTree *tree, guint n)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(virtkitSnapshotDef) proto =
        virtkitSnapshotDefParseString("<domainsnapshot><name>p</name></domainsnapshot>", 0,
                                      &error);
    gint64 t0;

    g_assert_no_error(error);
    t0 = g_get_monotonic_time();
    for (guint i = 0; i < n; i++) {
        virtkitSnapshotDef *def = virtkitSnapshotDefCopy(proto);
        g_free(def->name);
        def->name = g_strdup_printf("s%u", i);
        def->parent = i ? g_strdup_printf("s%u", i - 1) : NULL;
        g_assert_true(virtkitSnapshotTreeAdd(tree, def, FALSE, &error));
    }
    return (g_get_monotonic_time() - t0) / (double) G_USEC_PER_SEC;
}

/* 40,000 chained snapshots took 55 s: each add walked every ancestor. */
static void
test_snapshot_chain_linear(void)
{
    if (g_test_subprocess()) {
        virtkitSnapshotTree *small = virtkitSnapshotTreeNew();
        virtkitSnapshotTree *big = virtkitSnapshotTreeNew();
        double t1, t2;

        cost_limit_memory();
        t1 = cost_build_chain(small, 2500);
        t2 = cost_build_chain(big, 40000);
        g_printerr("# chain of 2500: %.4f s; of 40000: %.4f s\n", t1, t2);
        g_assert_cmpfloat(t2, <=, 100 * t1 + 0.05);
        virtkitSnapshotTreeFree(small);
        virtkitSnapshotTreeFree(big);
        return;
    }
    g_test_trap_subprocess(NULL, COST_CHILD_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

/* A chain 200,000 deep: listing descendants (both orders), deleting a
 * middle one (its child moves up), deleting with CHILDREN and freeing the
 * whole tree (what undefine does) walk it without recursing. */
static void
test_snapshot_chain_deep(void)
{
    const guint depth = 200000;

    if (g_test_subprocess()) {
        virtkitSnapshotTree *tree = virtkitSnapshotTreeNew();
        g_autoptr(GPtrArray) desc = NULL;
        g_autoptr(GPtrArray) topo = NULL;
        g_autoptr(GPtrArray) gone = NULL;
        g_autoptr(GPtrArray) leaves = NULL;

        cost_limit_memory();
        cost_build_chain(tree, depth);
        desc = virtkitSnapshotTreeList(tree, "s0", VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS);
        g_assert_cmpuint(desc->len, ==, depth - 1);
        g_assert_cmpstr(desc->pdata[0], ==, "s1");
        g_assert_cmpstr(desc->pdata[depth - 2], ==, "s199999");
        topo = virtkitSnapshotTreeList(tree, NULL, VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL);
        g_assert_cmpuint(topo->len, ==, depth);
        leaves = virtkitSnapshotTreeList(tree, NULL, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES);
        g_assert_cmpuint(leaves->len, ==, 1);
        g_assert_cmpstr(leaves->pdata[0], ==, "s199999");

        gone = virtkitSnapshotTreeDelete(tree, "s100000", 0);
        g_assert_cmpuint(gone->len, ==, 1);
        g_assert_cmpstr(virtkitSnapshotTreeFind(tree, "s100001")->parent, ==, "s99999");
        g_ptr_array_unref(gone);

        gone = virtkitSnapshotTreeDelete(tree, "s1", VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN);
        g_assert_cmpuint(gone->len, ==, depth - 2);
        g_assert_cmpuint(virtkitSnapshotTreeSize(tree), ==, 1);
        virtkitSnapshotTreeFree(tree);

        tree = virtkitSnapshotTreeNew();
        cost_build_chain(tree, depth);
        virtkitSnapshotTreeFree(tree);
        return;
    }
    g_test_trap_subprocess(NULL, COST_CHILD_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    caps = virtkitCapsNewTestDefault();
    g_test_add_func("/conf/cost/disks-reverse", test_disks);
    g_test_add_func("/conf/cost/memnodes-reverse", test_memnodes);
    g_test_add_func("/conf/cost/vcpusched-reverse", test_vcpusched_sort);
    g_test_add_func("/conf/cost/cpuset-wide-ranges", test_cpuset);
    g_test_add_func("/conf/cost/vcpusched-overlap-bomb", test_vcpusched_bomb);
    g_test_add_func("/conf/cost/resctrl-groups", test_resctrl);
    g_test_add_func("/conf/cost/resctrl-overlap-bomb", test_resctrl_bomb);
    g_test_add_func("/conf/cost/vcpusched-bomb-in-snapshot", test_snapshot_bomb);
    g_test_add_func("/conf/cost/sched-refusals", test_sched_refusals);
    g_test_add_func("/conf/cost/sched-split", test_sched_split);
    g_test_add_func("/conf/cost/snapshot-chain-linear", test_snapshot_chain_linear);
    g_test_add_func("/conf/cost/snapshot-chain-200000-deep", test_snapshot_chain_deep);
    return g_test_run();
}
