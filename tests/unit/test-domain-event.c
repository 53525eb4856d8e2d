/*
 * test-domain-event: registering domain event callbacks through the public
 * API, and delivery of what a plugin emits: on the core's thread without an
 * application event loop, from the application's loop with one.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <glib.h>
#include <string.h>

#include "vk-dispatch.h"
#include "vk-domain-event.h"

static const unsigned char uuid_a[VIR_UUID_BUFLEN] = { 0xa };
static const unsigned char uuid_b[VIR_UUID_BUFLEN] = { 0xb };

static virtkitPluginOpenStatus
fakeOpen(virConnectPtr c, const char *u, virConnectAuthPtr a, unsigned int f)
{
    (void)c; (void)u; (void)a; (void)f;
    return VIRTKIT_PLUGIN_OPEN_SUCCESS;
}

static const virtkitHypervisorOps fake_hv = {
    .struct_size = sizeof(virtkitHypervisorOps),
    .connectOpen = fakeOpen,
};
static const vkDriverTables fake_tables = { .name = "evfake", .hypervisor = &fake_hv };

/* What callbacks saw, guarded for the core thread. */
static GMutex seen_lock;
static GCond seen_cond;
static GString *seen;
static GThread *seen_thread;
static int freed;

static void
note(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static void
note(const char *fmt, ...)
{
    va_list ap;

    g_mutex_lock(&seen_lock);
    va_start(ap, fmt);
    g_string_append_vprintf(seen, fmt, ap);
    va_end(ap);
    seen_thread = g_thread_self();
    g_cond_broadcast(&seen_cond);
    g_mutex_unlock(&seen_lock);
}

static int
lifecycleCb(virConnectPtr c, virDomainPtr d, int event, int detail, void *opaque)
{
    (void)c;
    note("[%s:%s %d/%d]", (const char *)opaque, virDomainGetName(d), event, detail);
    return 0;
}

static void
deviceCb(virConnectPtr c, virDomainPtr d, const char *alias, void *opaque)
{
    (void)c;
    note("[%s:%s dev=%s]", (const char *)opaque, virDomainGetName(d), alias);
}

static void
tunableCb(virConnectPtr c, virDomainPtr d, virTypedParameterPtr p, int n, void *opaque)
{
    (void)c;
    (void)d;
    note("[%s: %d %s=%s]", (const char *)opaque, n, p[0].field, p[0].value.s);
}

static void
freeCb(void *opaque)
{
    (void)opaque;
    g_mutex_lock(&seen_lock);
    freed++;
    g_cond_broadcast(&seen_cond);
    g_mutex_unlock(&seen_lock);
}

/* Waits (bounded) until seen holds @want. */
static void
wait_for(const char *want)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    g_mutex_lock(&seen_lock);
    while (strcmp(seen->str, want) != 0 && g_cond_wait_until(&seen_cond, &seen_lock, deadline))
        ;
    g_mutex_unlock(&seen_lock);
    g_assert_cmpstr(seen->str, ==, want);
}

static void
emit_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail)
{
    virtkitDomainEvent ev = { .struct_size = sizeof(ev), .event_id = VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                              .event = event, .detail = detail };
    vkDomainEventEmit(conn, dom, &ev);
}

static virConnectPtr
setup(virDomainPtr *a, virDomainPtr *b)
{
    virConnectPtr conn;

    vkDriverRegister("evfake", &fake_tables);
    seen = g_string_new(NULL);
    conn = virConnectOpen("evfake:///");
    g_assert_nonnull(conn);
    *a = vkDomainNew(conn, "a", uuid_a, 1);
    *b = vkDomainNew(conn, "b", uuid_b, 2);
    return conn;
}

static void
test_core_thread(void)
{
    virDomainPtr a, b;
    virConnectPtr conn = setup(&a, &b);
    int all, onlyb, dev;

    g_assert_false(vkDomainEventWanted(conn, VIR_DOMAIN_EVENT_ID_LIFECYCLE));
    all = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           (virConnectDomainEventGenericCallback)(void (*)(void))lifecycleCb, (void *)"all", freeCb);
    onlyb = virConnectDomainEventRegisterAny(conn, b, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                             (virConnectDomainEventGenericCallback)(void (*)(void))lifecycleCb, (void *)"onlyb", NULL);
    dev = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                           (virConnectDomainEventGenericCallback)(void (*)(void))deviceCb, (void *)"dev", NULL);
    g_assert_cmpint(all, >=, 0);     /* libvirt's ids start at 0 */
    g_assert_cmpint(onlyb, >, all);
    g_assert_cmpint(dev, >, onlyb);
    g_assert_true(vkDomainEventWanted(conn, VIR_DOMAIN_EVENT_ID_LIFECYCLE));
    g_assert_false(vkDomainEventWanted(conn, VIR_DOMAIN_EVENT_ID_REBOOT));

    emit_lifecycle(conn, a, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    wait_for("[all:a 3/0]");
    /* Delivered on the core's event thread: the application runs no loop. */
    g_assert_true(seen_thread != g_thread_self());

    emit_lifecycle(conn, b, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    wait_for("[all:a 3/0][all:b 4/0][onlyb:b 4/0]");
    {
        virtkitDomainEvent ev = { .struct_size = sizeof(ev), .event_id = VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                  .str1 = "net0" };
        vkDomainEventEmit(conn, a, &ev);
    }
    wait_for("[all:a 3/0][all:b 4/0][onlyb:b 4/0][dev:a dev=net0]");

    /* Deregistered: no more deliveries, and the free callback runs. */
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, all), ==, 0);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, all), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    emit_lifecycle(conn, a, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    emit_lifecycle(conn, b, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    wait_for("[all:a 3/0][all:b 4/0][onlyb:b 4/0][dev:a dev=net0][onlyb:b 5/1]");
    g_mutex_lock(&seen_lock);
    while (freed < 1)
        g_assert_true(g_cond_wait_until(&seen_cond, &seen_lock, g_get_monotonic_time() + 5 * G_USEC_PER_SEC));
    g_mutex_unlock(&seen_lock);

    virDomainFree(a);
    virDomainFree(b);
    /* Queued deliveries hold the connection until they are done (as
     * libvirt's event queue does); then the close is the last reference. */
    {
        gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
        while (g_atomic_int_get(&conn->refs) > 1 && g_get_monotonic_time() < deadline)
            g_usleep(1000);
    }
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

static void
test_registration_errors(void)
{
    virDomainPtr a, b;
    virConnectPtr conn = setup(&a, &b);

    g_assert_cmpint(virConnectDomainEventRegisterAny(conn, NULL, 27 /* VIR_DOMAIN_EVENT_ID_LAST in 9.0 */,
                                                     (virConnectDomainEventGenericCallback)(void (*)(void))lifecycleCb, NULL, NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "must be less than 27"));
    g_assert_cmpint(virConnectDomainEventRegisterAny(conn, NULL, 0, NULL, NULL, NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);

    /* The old API: lifecycle only, one registration per callback. */
    g_assert_cmpint(virConnectDomainEventRegister(conn, lifecycleCb, (void *)"old", NULL), ==, 0);
    g_assert_cmpint(virConnectDomainEventRegister(conn, lifecycleCb, (void *)"old", NULL), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "invalid argument: event callback already tracked");
    emit_lifecycle(conn, a, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    wait_for("[old:a 2/0]");
    g_assert_cmpint(virConnectDomainEventDeregister(conn, lifecycleCb), ==, 0);
    g_assert_cmpint(virConnectDomainEventDeregister(conn, lifecycleCb), ==, -1);

    virDomainFree(a);
    virDomainFree(b);
    virConnectClose(conn);
}

/* With the default event loop registered, callbacks run only when the
 * application iterates it, on the application's thread. */
static void
test_app_loop_subprocess(void)
{
    virDomainPtr a, b;
    virConnectPtr conn;
    gint64 deadline;

    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    conn = setup(&a, &b);
    g_assert_cmpint(virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_TUNABLE,
                                                     (virConnectDomainEventGenericCallback)(void (*)(void))tunableCb, (void *)"tun",
                                                     NULL), ==, 0);  /* a fresh process: libvirt's first id */
    {
        virTypedParameter p = { .type = VIR_TYPED_PARAM_STRING };
        char value[] = "/dev/vda,500";
        virtkitDomainEvent ev = { .struct_size = sizeof(ev), .event_id = VIR_DOMAIN_EVENT_ID_TUNABLE,
                                  .params = &p, .nparams = 1 };
        g_strlcpy(p.field, "blkdeviotune.device_weight", sizeof(p.field));
        p.value.s = value;
        vkDomainEventEmit(conn, a, &ev);
        /* The core copied the payload: the plugin's buffer may change now. */
        value[0] = 'X';
    }
    g_usleep(100 * 1000);
    g_assert_cmpstr(seen->str, ==, "");       /* not before the app iterates */
    deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    while (seen->len == 0 && g_get_monotonic_time() < deadline)
        g_assert_cmpint(virEventRunDefaultImpl(), ==, 0);
    g_assert_cmpstr(seen->str, ==, "[tun: 1 blkdeviotune.device_weight=/dev/vda,500]");
    g_assert_true(seen_thread == g_thread_self());
    virDomainFree(a);
    virDomainFree(b);
    virConnectClose(conn);
}

static void
test_app_loop(void)
{
    g_test_trap_subprocess("/domain-event/app-loop/subprocess", 20 * G_USEC_PER_SEC,
                           G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/domain-event/core-thread", test_core_thread);
    g_test_add_func("/domain-event/registration-errors", test_registration_errors);
    g_test_add_func("/domain-event/app-loop", test_app_loop);
    g_test_add_func("/domain-event/app-loop/subprocess", test_app_loop_subprocess);
    return g_test_run();
}
