/*
 * test-events.c: the events the test plugin emits, with libvirt's event
 * and detail numbers for each operation (as stock libvirt 9.0's test
 * driver emits them), delivered through virConnectDomainEventRegisterAny
 * and the old virConnectDomainEventRegister.
 *
 * Run twice by meson: TP_EVENT_LOOP=none (no application loop: callbacks
 * run on the core's thread) and TP_EVENT_LOOP=default
 * (virEventRegisterDefaultImpl, callbacks run from virEventRunDefaultImpl).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tp-util.h"

#include <gio/gio.h>
#include <unistd.h>

static gboolean app_loop;
static GMutex lock;
static GCond cond;
static GString *seen;          /* "L2.0 R M2 A(vdb) ..." in delivery order */
static GThread *main_thread;
static gboolean wrong_thread;

static void
note(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void
note(const char *fmt, ...)
{
    va_list ap;

    g_mutex_lock(&lock);
    if (app_loop && g_thread_self() != main_thread)
        wrong_thread = TRUE;
    if (seen->len)
        g_string_append_c(seen, ' ');
    va_start(ap, fmt);
    g_string_append_vprintf(seen, fmt, ap);
    va_end(ap);
    g_cond_broadcast(&cond);
    g_mutex_unlock(&lock);
}

static int
on_lifecycle(virConnectPtr c, virDomainPtr d, int event, int detail, void *opaque)
{
    (void)c;
    note("%s%s:L%d.%d", opaque ? (const char *)opaque : "", virDomainGetName(d), event, detail);
    return 0;
}

static void
on_reboot(virConnectPtr c, virDomainPtr d, void *opaque)
{
    (void)c;
    (void)opaque;
    note("%s:R", virDomainGetName(d));
}

static void
on_device(virConnectPtr c, virDomainPtr d, const char *alias, void *opaque)
{
    (void)c;
    note("%s:%s(%s)", virDomainGetName(d), (const char *)opaque, alias);
}

static void
on_tunable(virConnectPtr c, virDomainPtr d, virTypedParameterPtr params, int n, void *opaque)
{
    (void)c;
    (void)opaque;
    for (int i = 0; i < n; i++)
        note("%s:T(%s)", virDomainGetName(d), params[i].field);
}

static void
on_metadata(virConnectPtr c, virDomainPtr d, int type, const char *nsuri, void *opaque)
{
    (void)c;
    (void)opaque;
    note("%s:M%d(%s)", virDomainGetName(d), type, nsuri ? nsuri : "");
}

static void
on_job(virConnectPtr c, virDomainPtr d, virTypedParameterPtr params, int n, void *opaque)
{
    int op = -1;
    (void)c;
    (void)opaque;
    virTypedParamsGetInt(params, n, VIR_DOMAIN_JOB_OPERATION, &op);
    note("%s:J%d", virDomainGetName(d), op);
}

static void
tick(int timer, void *opaque)
{
    (void)timer;
    (void)opaque;
}

/* Waits (bounded) until the events seen so far are @want; clears them. */
static void
expect(const char *want)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    g_autofree char *got = NULL;

    for (;;) {
        gboolean done;
        g_mutex_lock(&lock);
        done = strcmp(seen->str, want) == 0 || seen->len > strlen(want);
        if (!done && !app_loop)
            g_cond_wait_until(&cond, &lock, MIN(deadline, g_get_monotonic_time() + 20000));
        g_mutex_unlock(&lock);
        if (done || g_get_monotonic_time() > deadline)
            break;
        if (app_loop)
            virEventRunDefaultImpl();
    }
    /* let anything unexpected that follows arrive too */
    for (int i = 0; app_loop && i < 3; i++)
        virEventRunDefaultImpl();
    g_mutex_lock(&lock);
    got = g_strdup(seen->str);
    g_string_truncate(seen, 0);
    g_mutex_unlock(&lock);
    g_assert_cmpstr(got, ==, want);
    g_assert_false(wrong_thread);
}

static int
register_all(virConnectPtr conn, int *ids)
{
    int n = 0;
#define REG(id, cb, op) \
    ids[n] = virConnectDomainEventRegisterAny(conn, NULL, id, VIR_DOMAIN_EVENT_CALLBACK(cb), \
                                              op, NULL); \
    if (ids[n] < 0) \
        return -1; \
    n++;
    REG(VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, NULL);
    REG(VIR_DOMAIN_EVENT_ID_REBOOT, on_reboot, NULL);
    REG(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, on_device, "A");
    REG(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, on_device, "D");
    REG(VIR_DOMAIN_EVENT_ID_TUNABLE, on_tunable, NULL);
    REG(VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, on_metadata, NULL);
    REG(VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, on_job, NULL);
#undef REG
    return n;
}

/* Registration lives in the core, which has it: a failure here is a failure. */
static gboolean
events_available(virConnectPtr conn)
{
    int id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), NULL,
                                              NULL);
    g_assert_cmpint(id, >=, 0);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    return TRUE;
}

static void
test_lifecycle_events(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom;
    int ids[16], n;
    g_autofree char *img = g_build_filename(tp_tmpdir(), "ev.img", NULL);
    g_autofree char *xml = tp_domain_xml("ev", NULL);

    if (!events_available(conn)) {
        virConnectClose(conn);
        return;
    }
    n = register_all(conn, ids);
    g_assert_cmpint(n, ==, 7);

    dom = virDomainDefineXML(conn, xml);
    g_assert_nonnull(dom);
    expect("ev:L0.0");                              /* DEFINED ADDED */
    virDomainFree(virDomainDefineXML(conn, xml));
    expect("ev:L0.1");                              /* DEFINED UPDATED */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    expect("ev:L2.0");                              /* STARTED BOOTED */
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    expect("ev:L3.0");                              /* SUSPENDED PAUSED */
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    expect("ev:L4.0");                              /* RESUMED UNPAUSED */
    g_assert_cmpint(virDomainReboot(dom, 0), ==, 0);
    expect("ev:R");
    g_assert_cmpint(virDomainReset(dom, 0), ==, 0);
    expect("ev:R");
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    expect("ev:L5.0");                              /* STOPPED SHUTDOWN */
    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), ==, 0);
    expect("ev:L2.0 ev:L3.0");
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    expect("ev:L5.1");                              /* STOPPED DESTROYED */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    expect("ev:L2.0");
    g_assert_cmpint(virDomainSave(dom, img), ==, 0);
    expect("ev:L5.4 ev:J2");                        /* STOPPED SAVED, job completed (save) */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    expect("ev:L2.0");
    g_assert_cmpint(virDomainManagedSave(dom, 0), ==, 0);
    expect("ev:L5.4 ev:J2");
    g_assert_cmpint(virDomainCreate(dom), ==, 0);   /* from the image: a boot, as stock */
    expect("ev:L2.0");
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    expect("ev:L1.0");                              /* UNDEFINED REMOVED */
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    expect("ev:L5.1");
    virDomainFree(dom);

    dom = virDomainCreateXML(conn, xml, 0);
    expect("ev:L2.0");
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    expect("ev:L5.1");
    virDomainFree(dom);

    for (int i = 0; i < n; i++)
        g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, ids[i]), ==, 0);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, ids[0]), ==, -1);
    dom = virDomainLookupByName(conn, "test");
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    expect("");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_other_events(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom;
    int ids[16], n;
    virTypedParameter p;

    if (!events_available(conn)) {
        virConnectClose(conn);
        return;
    }
    n = register_all(conn, ids);
    dom = virDomainLookupByName(conn, "test");
    g_assert_cmpint(virDomainAttachDevice(dom,
        "<disk type='file' device='disk'><source file='/guest/extra.img'/>"
        "<target dev='vdb' bus='virtio'/></disk>"), ==, 0);
    expect("test:A(vdb)");
    g_assert_cmpint(virDomainDetachDevice(dom,
        "<disk type='file' device='disk'><target dev='vdb' bus='virtio'/></disk>"), ==, 0);
    expect("test:D(vdb)");
    /* CONFIG only: no device event */
    g_assert_cmpint(virDomainAttachDeviceFlags(dom,
        "<disk type='file' device='disk'><source file='/guest/extra.img'/>"
        "<target dev='vdc' bus='virtio'/></disk>", VIR_DOMAIN_AFFECT_CONFIG), ==, 0);
    expect("");
    memset(&p, 0, sizeof(p));
    g_strlcpy(p.field, VIR_DOMAIN_SCHEDULER_WEIGHT, sizeof(p.field));
    p.type = VIR_TYPED_PARAM_UINT;
    p.value.ui = 200;
    g_assert_cmpint(virDomainSetSchedulerParameters(dom, &p, 1), ==, 0);
    expect("test:T(cputune.cpu_shares)");
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_DESCRIPTION, "hello", NULL,
                                         NULL, 0), ==, 0);
    expect("test:M0()");
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "<foo/>", "f",
                                         "http://example.org/f/", 0), ==, 0);
    expect("test:M2(http://example.org/f/)");
    for (int i = 0; i < n; i++)
        virConnectDomainEventDeregisterAny(conn, ids[i]);
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_old_register(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom;

    if (!events_available(conn)) {
        virConnectClose(conn);
        return;
    }
    g_assert_cmpint(virConnectDomainEventRegister(conn, on_lifecycle, (void *)"old-", NULL), ==, 0);
    dom = virDomainLookupByName(conn, "test");
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    expect("old-test:L3.0");
    g_assert_cmpint(virConnectDomainEventDeregister(conn, on_lifecycle), ==, 0);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    expect("");
    virDomainFree(dom);
    virConnectClose(conn);
}

/* Every connection of test:///default hears about a change made through
 * another; a registration for one domain hears only that domain. */
static void
test_shared_host(void)
{
    virConnectPtr a = tp_open_default();
    virConnectPtr b = tp_open_default();
    virDomainPtr onb, other;
    int id;

    if (!events_available(a)) {
        virConnectClose(a);
        virConnectClose(b);
        return;
    }
    onb = tp_define(b, "evshared", NULL);
    other = tp_define(b, "evother", NULL);
    id = virConnectDomainEventRegisterAny(a, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), (void *)"a-",
                                          NULL);
    g_assert_cmpint(id, >=, 0);
    g_assert_cmpint(virDomainCreate(onb), ==, 0);
    expect("a-evshared:L2.0");
    g_assert_cmpint(virConnectDomainEventDeregisterAny(a, id), ==, 0);
    {
        virDomainPtr mine = virDomainLookupByName(a, "evshared");
        id = virConnectDomainEventRegisterAny(a, mine, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle),
                                              (void *)"a-", NULL);
        virDomainFree(mine);
    }
    g_assert_cmpint(virDomainCreate(other), ==, 0);
    g_assert_cmpint(virDomainDestroy(onb), ==, 0);
    expect("a-evshared:L5.1");
    g_assert_cmpint(virConnectDomainEventDeregisterAny(a, id), ==, 0);
    g_assert_cmpint(virDomainDestroy(other), ==, 0);
    g_assert_cmpint(virDomainUndefine(other), ==, 0);
    g_assert_cmpint(virDomainUndefine(onb), ==, 0);
    virDomainFree(onb);
    virDomainFree(other);
    virConnectClose(a);
    virConnectClose(b);
}

static void
es_pump(void)
{
    if (app_loop)
        virEventRunDefaultImpl();
    else
        g_usleep(1000);
}

#include "event-script.h"

/* The same operations on libvirt's own test:///default (stock-events, built
 * against Debian's libvirt) and on ours give the same lifecycle and
 * metadata events, apart from the differences listed here. */
static void
test_same_as_stock(void)
{
    const char *stock_prog = g_getenv("TP_STOCK_EVENTS");
    g_autoptr(GSubprocessLauncher) l = NULL;
    g_autoptr(GSubprocess) p = NULL;
    g_autofree char *stock = NULL;
    g_autofree char *ours = NULL;
    virConnectPtr conn;

    if (!stock_prog || !*stock_prog) {
        g_test_skip("stock-events was not built (no libvirt-dev): nothing to compare with");
        return;
    }
    conn = tp_open_default();
    if (!events_available(conn)) {
        virConnectClose(conn);
        return;
    }
    l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    /* Debian's libvirt is not ours to hold to our leak checker */
    g_subprocess_launcher_setenv(l, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
    p = g_subprocess_launcher_spawn(l, NULL, "timeout", "60", stock_prog, NULL);
    g_assert_nonnull(p);
    g_assert_true(g_subprocess_communicate_utf8(p, NULL, NULL, &stock, NULL, NULL));
    g_assert_true(g_subprocess_get_successful(p));
    ours = es_run(conn);
    g_assert_nonnull(ours);
    g_assert_cmpstr(ours, ==, stock);
    virConnectClose(conn);
}

int
main(int argc, char **argv)
{
    const char *mode = g_getenv("TP_EVENT_LOOP");

    tp_init(&argc, &argv);
    seen = g_string_new(NULL);
    main_thread = g_thread_self();
    app_loop = g_strcmp0(mode, "default") == 0;
    if (app_loop) {
        g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
        g_assert_cmpint(virEventAddTimeout(10, tick, NULL, NULL), >=, 0);
    }
    g_test_add_func("/test-plugin/events/lifecycle", test_lifecycle_events);
    g_test_add_func("/test-plugin/events/devices-tunables-metadata", test_other_events);
    g_test_add_func("/test-plugin/events/old-register", test_old_register);
    g_test_add_func("/test-plugin/events/shared-host", test_shared_host);
    g_test_add_func("/test-plugin/events/same-as-stock", test_same_as_stock);
    return g_test_run();
}
