/*
 * test-stall.c: a slow call on one connection never stalls a query on
 * another.  The test host parses and validates documents before it takes
 * its lock; before that, `list` on a second connection waited 2.6 s behind
 * the define of 8000 disks.
 *
 * A thread repeats a slow, legal call (define, restore, attach and detach
 * of a disk, or a metadata change of a domain with
 * many disks, sized until one call takes at least STALL_SLOW_MIN_US) while
 * the main thread lists domains on its own connection and keeps the
 * longest wait.  The bound (500 ms) is generous for a loaded 2-core
 * machine, and at most a third of the slowest call, so a query that waited
 * behind one would fail.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tp-util.h"

#include <stdio.h>

#define STALL_BOUND_US (500 * 1000)
#define STALL_SLOW_MIN_US (4 * STALL_BOUND_US)
#define STALL_MAX_DOC (9 * 1024 * 1024)

typedef enum {
    STALL_DEFINE, STALL_RESTORE, STALL_IMAGE_XML,
    STALL_ATTACH,     /* attach and detach a disk (config): two reparses */
    STALL_METADATA,   /* set a metadata element (config): one reparse */
} StallOp;

#define STALL_DISK "<disk type='file' device='disk'><source file='/s/extra.img'/>" \
                   "<target dev='vdzzzz' bus='virtio'/></disk>"

typedef struct {
    StallOp op;
    const char *xml;
    const char *image;
    int rounds;
    gint done;
    gint64 slowest_us;
    gint failed;
    gint gen;          /* odd while a slow call runs (not its clean-up) */
} Stall;

static char *
stall_doc(guint disks)
{
    GString *s = g_string_new("<domain type='test'><name>stall</name>"
                              "<uuid>5a1c0000-0000-4000-8000-00000000abcd</uuid>"
                              "<memory>1048576</memory><vcpu>2</vcpu><os><type>hvm</type></os>"
                              "<devices>");
    for (guint i = 0; i < disks; i++) {
        char name[16];
        guint k = 0, v = i + 1;
        char rev[16];
        while (v > 0) {
            v--;
            rev[k++] = 'a' + v % 26;
            v /= 26;
        }
        for (guint j = 0; j < k; j++)
            name[j] = rev[k - 1 - j];
        name[k] = '\0';
        g_string_append_printf(s, "<disk type='file' device='disk'><source file='/s/%u.img'/>"
                                  "<target dev='vd%s' bus='virtio'/></disk>", i, name);
    }
    g_string_append(s, "</devices></domain>");
    return g_string_free(s, FALSE);
}

static gint64
stall_once(virConnectPtr conn, Stall *st)
{
    gint64 t0 = g_get_monotonic_time();
    gboolean ok = FALSE;
    virDomainPtr undo = NULL;

    g_atomic_int_inc(&st->gen);
    switch (st->op) {
    case STALL_DEFINE: {
        virDomainPtr dom = virDomainDefineXML(conn, st->xml);
        ok = dom != NULL;
        if (dom)
            virDomainFree(dom);
        break;
    }
    case STALL_RESTORE:
        ok = virDomainRestore(conn, st->image) == 0;
        if (ok)
            undo = virDomainLookupByName(conn, "stall");
        break;
    case STALL_IMAGE_XML: {
        char *x = virDomainSaveImageGetXMLDesc(conn, st->image, 0);
        ok = x != NULL;
        free(x);
        break;
    }
    case STALL_ATTACH:
    case STALL_METADATA: {
        virDomainPtr dom = virDomainLookupByName(conn, "stall");
        unsigned int cfg = VIR_DOMAIN_AFFECT_CONFIG;

        if (!dom)
            break;
        if (st->op == STALL_ATTACH)
            ok = virDomainAttachDeviceFlags(dom, STALL_DISK, cfg) == 0 &&
                 virDomainDetachDeviceFlags(dom, STALL_DISK, cfg) == 0;
        else
            ok = virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "<m/>", "k",
                                      "http://example.org/stall", cfg) == 0;
        virDomainFree(dom);
        break;
    }
    }
    t0 = g_get_monotonic_time() - t0;
    g_atomic_int_inc(&st->gen);
    if (!ok) {
        g_printerr("# slow call failed: %s\n", virGetLastErrorMessage());
        g_atomic_int_set(&st->failed, 1);
    }
    /* Destroying the restored domain so the next restore can run: its
     * definition is freed after the host's unlock, but a free is too quick
     * to measure a stall by, so queries during it are not counted. */
    if (undo) {
        virDomainDestroy(undo);
        virDomainFree(undo);
    }
    return t0;
}

static gpointer
stall_thread(gpointer data)
{
    Stall *st = data;
    virConnectPtr conn = virConnectOpen("test:///default");

    g_assert_nonnull(conn);
    for (int i = 0; i < st->rounds; i++) {
        gint64 t = stall_once(conn, st);
        st->slowest_us = MAX(st->slowest_us, t);
    }
    virConnectClose(conn);
    g_atomic_int_set(&st->done, 1);
    return NULL;
}

/* Grows the domain until one @op takes STALL_SLOW_MIN_US on its own. */
static char *
stall_sized_doc(virConnectPtr conn, Stall *st, const char *image_path)
{
    guint disks = 5000;

    for (;;) {
        char *xml = stall_doc(disks);
        gint64 t;

        st->xml = xml;
        if (st->op == STALL_ATTACH || st->op == STALL_METADATA) {
            virDomainPtr dom = virDomainDefineXML(conn, xml);
            g_assert_nonnull(dom);
            virDomainFree(dom);
        } else if (st->op == STALL_RESTORE || st->op == STALL_IMAGE_XML) {
            virDomainPtr dom = virDomainCreateXML(conn, xml, 0);
            g_assert_nonnull(dom);
            g_assert_cmpint(virDomainSave(dom, image_path), ==, 0);
            virDomainFree(dom);
            st->image = image_path;
        }
        t = stall_once(conn, st);
        g_assert_false(g_atomic_int_get(&st->failed));
        if (t >= STALL_SLOW_MIN_US || strlen(xml) * 2 > STALL_MAX_DOC) {
            g_printerr("# %u disks (%zu bytes): %.2f s a call\n", disks, strlen(xml), t / 1e6);
            return xml;
        }
        g_free(xml);
        disks *= 2;
    }
}

static void
stall_run(StallOp op)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    g_autofree char *image = g_build_filename(tp_tmpdir(), "stall.img", NULL);
    Stall st = { .op = op, .rounds = 2 };
    g_autofree char *xml = NULL;
    gint64 worst = 0, bound;
    guint queries = 0;
    GThread *t;

    g_assert_nonnull(conn);
    xml = stall_sized_doc(conn, &st, image);

    t = g_thread_new("slow-call", stall_thread, &st);
    while (!g_atomic_int_get(&st.done)) {
        virDomainPtr *doms = NULL;
        gboolean during = g_atomic_int_get(&st.gen) % 2 == 1;
        gint64 t0 = g_get_monotonic_time();
        int n = virConnectListAllDomains(conn, &doms, 0);
        gint64 waited = g_get_monotonic_time() - t0;

        g_assert_cmpint(n, >=, 1);
        for (int i = 0; i < n; i++)
            virDomainFree(doms[i]);
        free(doms);
        if (during) {
            worst = MAX(worst, waited);
            queries++;
        }
        g_usleep(2000);
    }
    g_thread_join(t);
    g_assert_false(g_atomic_int_get(&st.failed));
    g_assert_cmpuint(queries, >, 10);
    g_printerr("# %u queries during the slow calls; the longest waited %.3f s; the slowest call took %.2f s\n",
               queries, worst / 1e6, st.slowest_us / 1e6);
    /* The bound is STALL_BOUND_US, or a third of the slowest call on a
     * machine fast enough that the biggest legal document parses in under
     * 1.5 s: either way a list that waited behind a call (one starts every
     * 2 ms) would wait about the whole call and fail. */
    bound = MIN(STALL_BOUND_US, st.slowest_us / 3);
    if (bound < 100 * 1000)
        g_test_skip("the slowest legal call took under 0.3 s: too fast to tell a stall");
    else
        g_assert_cmpint(worst, <, bound);

    {
        virDomainPtr dom = virDomainLookupByName(conn, "stall");
        if (dom) {
            virDomainDestroy(dom);
            virDomainUndefine(dom);
            virDomainFree(dom);
        }
    }
    virConnectClose(conn);
}

static void
test_define(void)
{
    stall_run(STALL_DEFINE);
}

static void
test_restore(void)
{
    stall_run(STALL_RESTORE);
}

static void
test_image_xml(void)
{
    stall_run(STALL_IMAGE_XML);
}

static void
test_attach(void)
{
    stall_run(STALL_ATTACH);
}

static void
test_metadata(void)
{
    stall_run(STALL_METADATA);
}

int
main(int argc, char **argv)
{
    tp_init(&argc, &argv);
    g_test_add_func("/test-plugin/stall/list-during-define", test_define);
    g_test_add_func("/test-plugin/stall/list-during-restore", test_restore);
    g_test_add_func("/test-plugin/stall/list-during-save-image-dumpxml", test_image_xml);
    g_test_add_func("/test-plugin/stall/list-during-attach-detach-device", test_attach);
    g_test_add_func("/test-plugin/stall/list-during-set-metadata", test_metadata);
    return g_test_run();
}
