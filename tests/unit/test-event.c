/*
 * test-event.c: libvirt's event API (virEvent*), the default implementation,
 * an application's own implementation, the core's loop thread, and where
 * vkEventRunCallback() delivers.
 *
 * Registering an implementation is process-wide and permanent, so every
 * test that registers one runs in its own subprocess (g_test_trap_subprocess,
 * with a time limit); the tests of the core's own thread run in the parent,
 * where nothing is ever registered.  Every wait is bounded: loops on the
 * default implementation stop at a guard timer, waits on the core thread at
 * a deadline.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

#include <glib.h>

#include "vk-internal.h"
#include "vir-event.h"

/* Time limit for each subprocess, and for waits on the core thread. */
#define SUBPROCESS_LIMIT_US (10 * G_USEC_PER_SEC)
#define WAIT_LIMIT_US (5 * G_USEC_PER_SEC)
/* How long the default loop runs before a test gives up waiting. */
#define GUARD_MS 2000

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

/* Runs a test body in a fresh subprocess: the parent checks it passed. */
#define IN_SUBPROCESS(body) \
    do { \
        if (g_test_subprocess()) { \
            body(); \
            return; \
        } \
        g_test_trap_subprocess(NULL, SUBPROCESS_LIMIT_US, G_TEST_SUBPROCESS_INHERIT_STDERR); \
        g_test_trap_assert_passed(); \
    } while (0)

/* Waits (bounded) until *counter reaches @value; returns what it holds. */
static int
wait_for_count(int *counter, int value)
{
    gint64 deadline = g_get_monotonic_time() + WAIT_LIMIT_US;

    while (g_atomic_int_get(counter) < value && g_get_monotonic_time() < deadline)
        g_usleep(1000);
    return g_atomic_int_get(counter);
}

static void
guard_expired(int timer G_GNUC_UNUSED, void *opaque)
{
    *(bool *)opaque = true;
}

/* Runs the default loop until *counter >= @value or a guard timer of
 * @guard_ms fires.  Returns *counter. */
static int
run_default_until(int *counter, int value, int guard_ms)
{
    bool expired = false;
    int guard = virEventAddTimeout(guard_ms, guard_expired, &expired, NULL);

    g_assert_cmpint(guard, >, 0);
    while (*counter < value && !expired)
        g_assert_cmpint(virEventRunDefaultImpl(), ==, 0);
    g_assert_cmpint(virEventRemoveTimeout(guard), ==, 0);
    return *counter;
}

/* Runs the default loop for about @ms milliseconds. */
static void
run_default_for(int ms)
{
    int never = 0;

    run_default_until(&never, 1, ms);
}

static void
make_pipe(int fds[2])
{
    g_assert_cmpint(pipe(fds), ==, 0);
}

static void
close_pipe(int fds[2])
{
    close(fds[0]);
    close(fds[1]);
}

static void
write_byte(int fd)
{
    g_assert_cmpint(write(fd, "x", 1), ==, 1);
}

static void
silent_error_handler(void *data G_GNUC_UNUSED, virErrorPtr err G_GNUC_UNUSED)
{
}

/* What callbacks saw. */
typedef struct {
    int calls;
    int watch;          /* or timer */
    int fd;
    int events;
    int ff_calls;
    int calls_at_ff;    /* calls when ff ran: ff must come after the last call */
    bool ff_during_cb;  /* ff ran while the callback was running */
    bool in_cb;
    int remove_self;    /* remove the watch/timer from inside the callback */
    int remove_ret;
} Seen;

static void
seen_ff(void *opaque)
{
    Seen *s = opaque;

    s->ff_calls++;
    s->calls_at_ff = s->calls;
    if (s->in_cb)
        s->ff_during_cb = true;
}

static void
seen_handle_cb(int watch, int fd, int events, void *opaque)
{
    Seen *s = opaque;
    char buf;

    s->in_cb = true;
    s->calls++;
    s->watch = watch;
    s->fd = fd;
    s->events = events;
    if (s->remove_self) {
        /* Drain the byte so that a still-registered watch could not fire
         * again for it; removal is what must stop further calls. */
        g_assert_cmpint(read(fd, &buf, 1), ==, 1);
        s->remove_ret = virEventRemoveHandle(watch);
    }
    s->in_cb = false;
}

static void
seen_timeout_cb(int timer, void *opaque)
{
    Seen *s = opaque;

    s->in_cb = true;
    s->calls++;
    s->watch = timer;
    if (s->remove_self)
        s->remove_ret = virEventRemoveTimeout(timer);
    s->in_cb = false;
}

/* ------------------------------------------------------------------ */
/* No implementation registered (parent process)                       */
/* ------------------------------------------------------------------ */

static void
noop_timeout_cb(int timer G_GNUC_UNUSED, void *opaque G_GNUC_UNUSED)
{
}

static void
noop_handle_cb(int watch G_GNUC_UNUSED, int fd G_GNUC_UNUSED, int events G_GNUC_UNUSED,
               void *opaque G_GNUC_UNUSED)
{
}

/* libvirt 9.0: -1 and no error when nothing is registered. */
static void
test_none_calls_fail(void)
{
    g_assert_false(vkEventHaveAppImpl());
    g_assert_cmpint(virEventAddTimeout(10, noop_timeout_cb, NULL, NULL), ==, -1);
    g_assert_null(virGetLastError());
    g_assert_cmpint(virEventAddHandle(0, VIR_EVENT_HANDLE_READABLE, noop_handle_cb, NULL, NULL),
                    ==, -1);
    g_assert_null(virGetLastError());
    g_assert_cmpint(virEventRemoveTimeout(1), ==, -1);
    g_assert_cmpint(virEventRemoveHandle(1), ==, -1);
    virEventUpdateTimeout(1, 0);
    virEventUpdateHandle(1, 0);
    g_assert_null(virGetLastError());
}

static void
test_flags_map(void)
{
    g_assert_cmpint(vkEventToCondition(VIR_EVENT_HANDLE_READABLE), ==, G_IO_IN);
    g_assert_cmpint(vkEventToCondition(VIR_EVENT_HANDLE_WRITABLE), ==, G_IO_OUT);
    g_assert_cmpint(vkEventToCondition(VIR_EVENT_HANDLE_ERROR), ==, G_IO_ERR);
    g_assert_cmpint(vkEventToCondition(VIR_EVENT_HANDLE_HANGUP), ==, G_IO_HUP);
    g_assert_cmpint(vkEventToCondition(0), ==, 0);
    g_assert_cmpint(vkEventFromCondition(G_IO_IN | G_IO_OUT), ==,
                    VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_WRITABLE);
    g_assert_cmpint(vkEventFromCondition(G_IO_NVAL), ==, VIR_EVENT_HANDLE_ERROR);
    g_assert_cmpint(vkEventFromCondition(G_IO_ERR | G_IO_HUP), ==,
                    VIR_EVENT_HANDLE_ERROR | VIR_EVENT_HANDLE_HANGUP);
}

/* ------------------------------------------------------------------ */
/* The core's own thread (parent process)                              */
/* ------------------------------------------------------------------ */

typedef struct {
    int order[8];
    GThread *thread[8];
    char name[8][17];
    int n;              /* atomic: how many ran */
    int freed;          /* atomic */
    int freed_after_run;
} Deliveries;

typedef struct {
    Deliveries *d;
    int tag;
} Delivery;

static void
delivery_run(void *data)
{
    Delivery *dv = data;
    Deliveries *d = dv->d;
    int i = g_atomic_int_get(&d->n);

    d->order[i] = dv->tag;
    d->thread[i] = g_thread_self();
    prctl(PR_GET_NAME, d->name[i], 0, 0, 0);
    g_atomic_int_inc(&d->n);
}

static void
delivery_free(void *data)
{
    Delivery *dv = data;

    /* free_fn comes after fn, for the same item. */
    if (g_atomic_int_get(&dv->d->n) > g_atomic_int_get(&dv->d->freed))
        dv->d->freed_after_run++;
    g_atomic_int_inc(&dv->d->freed);
    g_free(dv);
}

static void
deliver(Deliveries *d, int tag)
{
    Delivery *dv = g_new0(Delivery, 1);

    dv->d = d;
    dv->tag = tag;
    vkEventRunCallback(delivery_run, dv, delivery_free);
}

static void
test_core_context(void)
{
    GMainContext *ctx = vkEventCoreContext();

    g_assert_nonnull(ctx);
    g_assert_true(vkEventCoreContext() == ctx);
    g_assert_true(ctx != g_main_context_default());
    g_assert_nonnull(vkEventCoreThread());
    g_assert_true(vkEventCoreThread() != g_thread_self());
}

static void
test_core_run_callback(void)
{
    Deliveries d = { 0 };
    int i;

    g_assert_false(vkEventHaveAppImpl());
    for (i = 0; i < 5; i++)
        deliver(&d, i);
    g_assert_cmpint(wait_for_count(&d.freed, 5), ==, 5);
    g_assert_cmpint(g_atomic_int_get(&d.n), ==, 5);
    for (i = 0; i < 5; i++) {
        g_assert_cmpint(d.order[i], ==, i);
        g_assert_true(d.thread[i] != g_thread_self());
        g_assert_true(d.thread[i] == vkEventCoreThread());
        g_assert_cmpstr(d.name[i], ==, "virtkit-event");
    }
    g_assert_cmpint(d.freed_after_run, ==, 5);
}

typedef struct {
    int calls;          /* atomic */
    int notified;       /* atomic */
    int calls_at_notify;
    GThread *thread;
    GIOCondition cond;
    guint id;
    gboolean ret;       /* what the callback returns */
    bool remove_self;
    bool remove_ret;
} CoreSeen;

static gboolean
core_source_cb(gpointer data)
{
    CoreSeen *s = data;

    s->thread = g_thread_self();
    g_atomic_int_inc(&s->calls);
    return s->ret;
}

static gboolean
core_fd_cb(int fd, GIOCondition cond, gpointer data)
{
    CoreSeen *s = data;
    char buf;

    s->thread = g_thread_self();
    s->cond = cond;
    g_assert_cmpint(read(fd, &buf, 1), ==, 1);
    if (s->remove_self)
        s->remove_ret = vkEventCoreRemove(s->id);
    g_atomic_int_inc(&s->calls);
    return G_SOURCE_CONTINUE;
}

static void
core_notify(gpointer data)
{
    CoreSeen *s = data;

    s->calls_at_notify = g_atomic_int_get(&s->calls);
    g_atomic_int_inc(&s->notified);
}

static void
test_core_timeout_fires(void)
{
    CoreSeen s = { .ret = G_SOURCE_REMOVE };
    guint id = vkEventCoreAddTimeout(10, core_source_cb, &s, core_notify);

    g_assert_cmpuint(id, >, 0);
    g_assert_cmpint(wait_for_count(&s.notified, 1), ==, 1);
    g_assert_cmpint(g_atomic_int_get(&s.calls), ==, 1);
    g_assert_true(s.thread == vkEventCoreThread());
    /* Gone on its own: removing it again says so. */
    g_assert_false(vkEventCoreRemove(id));
}

static void
test_core_remove(void)
{
    CoreSeen s = { .ret = G_SOURCE_CONTINUE };
    guint id = vkEventCoreAddTimeout(0, core_source_cb, &s, core_notify);
    int calls;

    g_assert_cmpint(wait_for_count(&s.calls, 3), >=, 3);
    g_assert_true(vkEventCoreRemove(id));
    g_assert_cmpint(wait_for_count(&s.notified, 1), ==, 1);
    calls = g_atomic_int_get(&s.calls);
    g_assert_cmpint(s.calls_at_notify, ==, calls);
    g_usleep(30 * 1000);
    g_assert_cmpint(g_atomic_int_get(&s.calls), ==, calls);
    g_assert_cmpint(g_atomic_int_get(&s.notified), ==, 1);
    g_assert_false(vkEventCoreRemove(id));
}

static void
test_core_fd(void)
{
    CoreSeen s = { .remove_self = true };
    int fds[2];

    make_pipe(fds);
    s.id = vkEventCoreAddFd(fds[0], G_IO_IN, core_fd_cb, &s, core_notify);
    g_assert_cmpuint(s.id, >, 0);
    g_usleep(20 * 1000);
    g_assert_cmpint(g_atomic_int_get(&s.calls), ==, 0);
    write_byte(fds[1]);
    g_assert_cmpint(wait_for_count(&s.notified, 1), ==, 1);
    g_assert_cmpint(g_atomic_int_get(&s.calls), ==, 1);
    g_assert_true(s.remove_ret);
    g_assert_true(s.thread == vkEventCoreThread());
    g_assert_cmpint(s.cond & G_IO_IN, ==, G_IO_IN);
    /* Removed: a new byte brings no call. */
    write_byte(fds[1]);
    g_usleep(30 * 1000);
    g_assert_cmpint(g_atomic_int_get(&s.calls), ==, 1);
    close_pipe(fds);
}

static void
test_core_idle(void)
{
    CoreSeen s = { .ret = G_SOURCE_REMOVE };

    g_assert_cmpuint(vkEventCoreAddIdle(core_source_cb, &s, core_notify), >, 0);
    g_assert_cmpint(wait_for_count(&s.notified, 1), ==, 1);
    g_assert_cmpint(g_atomic_int_get(&s.calls), ==, 1);
    g_assert_true(s.thread == vkEventCoreThread());
}

/* ------------------------------------------------------------------ */
/* The default implementation (each in a subprocess)                   */
/* ------------------------------------------------------------------ */

static void
register_default(void)
{
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_assert_true(vkEventHaveAppImpl());
}

static void
default_register_twice(void)
{
    Seen s = { 0 };
    int timer;

    g_assert_false(vkEventHaveAppImpl());
    register_default();
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_assert_null(virGetLastError());
    timer = virEventAddTimeout(0, seen_timeout_cb, &s, NULL);
    g_assert_cmpint(timer, >, 0);
    g_assert_cmpint(run_default_until(&s.calls, 1, GUARD_MS), ==, 1);
    g_assert_cmpint(virEventRemoveTimeout(timer), ==, 0);
}

static void
test_default_register_twice(void)
{
    IN_SUBPROCESS(default_register_twice);
}

static void
default_handle_readable(void)
{
    Seen s = { 0 };
    int fds[2];
    int watch;

    register_default();
    make_pipe(fds);
    watch = virEventAddHandle(fds[0], VIR_EVENT_HANDLE_READABLE, seen_handle_cb, &s, seen_ff);
    g_assert_cmpint(watch, >, 0);
    /* Nothing to read yet: no call. */
    run_default_for(30);
    g_assert_cmpint(s.calls, ==, 0);

    write_byte(fds[1]);
    g_assert_cmpint(run_default_until(&s.calls, 1, GUARD_MS), >=, 1);
    g_assert_cmpint(s.watch, ==, watch);
    g_assert_cmpint(s.fd, ==, fds[0]);
    g_assert_cmpint(s.events, ==, VIR_EVENT_HANDLE_READABLE);

    g_assert_cmpint(virEventRemoveHandle(watch), ==, 0);
    g_assert_cmpint(run_default_until(&s.ff_calls, 1, GUARD_MS), ==, 1);
    /* Once removed, the id is unknown. */
    g_assert_cmpint(virEventRemoveHandle(watch), ==, -1);
    g_assert_null(virGetLastError());
    close_pipe(fds);
}

static void
test_default_handle_readable(void)
{
    IN_SUBPROCESS(default_handle_readable);
}

static void
default_handle_writable_hangup(void)
{
    Seen s = { 0 };
    int fds[2];
    int watch;

    register_default();
    make_pipe(fds);
    watch = virEventAddHandle(fds[1], VIR_EVENT_HANDLE_WRITABLE, seen_handle_cb, &s, NULL);
    g_assert_cmpint(run_default_until(&s.calls, 1, GUARD_MS), >=, 1);
    g_assert_cmpint(s.events, ==, VIR_EVENT_HANDLE_WRITABLE);
    g_assert_cmpint(virEventRemoveHandle(watch), ==, 0);

    /* The writer closes: the reader sees a hang-up. */
    s.calls = 0;
    watch = virEventAddHandle(fds[0], VIR_EVENT_HANDLE_READABLE, seen_handle_cb, &s, NULL);
    close(fds[1]);
    g_assert_cmpint(run_default_until(&s.calls, 1, GUARD_MS), >=, 1);
    g_assert_cmpint(s.events & VIR_EVENT_HANDLE_HANGUP, ==, VIR_EVENT_HANDLE_HANGUP);
    g_assert_cmpint(virEventRemoveHandle(watch), ==, 0);
    close(fds[0]);
}

static void
test_default_handle_writable_hangup(void)
{
    IN_SUBPROCESS(default_handle_writable_hangup);
}

static void
default_handle_update(void)
{
    Seen s = { 0 };
    int fds[2];
    int watch;

    register_default();
    make_pipe(fds);
    watch = virEventAddHandle(fds[0], VIR_EVENT_HANDLE_READABLE, seen_handle_cb, &s, NULL);
    write_byte(fds[1]);
    /* The byte stays unread, so the fd stays readable: it fires again and
     * again until the watch is told to want nothing. */
    g_assert_cmpint(run_default_until(&s.calls, 2, GUARD_MS), ==, 2);
    virEventUpdateHandle(watch, 0);
    s.calls = 0;
    run_default_for(50);
    g_assert_cmpint(s.calls, ==, 0);

    /* Asking again brings the calls back. */
    virEventUpdateHandle(watch, VIR_EVENT_HANDLE_READABLE);
    g_assert_cmpint(run_default_until(&s.calls, 1, GUARD_MS), ==, 1);
    g_assert_cmpint(s.events, ==, VIR_EVENT_HANDLE_READABLE);

    /* Added with no events: silent until updated. */
    g_assert_cmpint(virEventRemoveHandle(watch), ==, 0);
    s.calls = 0;
    watch = virEventAddHandle(fds[0], 0, seen_handle_cb, &s, NULL);
    g_assert_cmpint(watch, >, 0);
    run_default_for(30);
    g_assert_cmpint(s.calls, ==, 0);
    virEventUpdateHandle(watch, VIR_EVENT_HANDLE_READABLE);
    g_assert_cmpint(run_default_until(&s.calls, 1, GUARD_MS), ==, 1);
    g_assert_cmpint(virEventRemoveHandle(watch), ==, 0);
    close_pipe(fds);
}

static void
test_default_handle_update(void)
{
    IN_SUBPROCESS(default_handle_update);
}

static void
default_handle_remove_in_callback(void)
{
    Seen s = { .remove_self = 1, .remove_ret = 99 };
    int fds[2];
    int watch;

    register_default();
    make_pipe(fds);
    watch = virEventAddHandle(fds[0], VIR_EVENT_HANDLE_READABLE, seen_handle_cb, &s, seen_ff);
    write_byte(fds[1]);
    g_assert_cmpint(run_default_until(&s.ff_calls, 1, GUARD_MS), ==, 1);
    g_assert_cmpint(s.calls, ==, 1);
    g_assert_cmpint(s.watch, ==, watch);
    g_assert_cmpint(s.remove_ret, ==, 0);
    g_assert_false(s.ff_during_cb);
    g_assert_cmpint(s.calls_at_ff, ==, 1);
    /* More data: the removed watch stays quiet, ff is not called twice. */
    write_byte(fds[1]);
    run_default_for(50);
    g_assert_cmpint(s.calls, ==, 1);
    g_assert_cmpint(s.ff_calls, ==, 1);
    close_pipe(fds);
}

static void
test_default_handle_remove_in_callback(void)
{
    IN_SUBPROCESS(default_handle_remove_in_callback);
}

static void
default_timeout_fires(void)
{
    Seen s = { 0 };
    int timer;
    gint64 start = g_get_monotonic_time();

    register_default();
    timer = virEventAddTimeout(20, seen_timeout_cb, &s, seen_ff);
    g_assert_cmpint(timer, >, 0);
    g_assert_cmpint(run_default_until(&s.calls, 3, GUARD_MS), ==, 3);
    g_assert_cmpint(s.watch, ==, timer);
    /* Periodic: three periods of 20 ms cannot be over sooner than 60 ms. */
    g_assert_cmpint(g_get_monotonic_time() - start, >=, 60 * 1000);
    g_assert_cmpint(virEventRemoveTimeout(timer), ==, 0);
    g_assert_cmpint(run_default_until(&s.ff_calls, 1, GUARD_MS), ==, 1);
    g_assert_cmpint(s.calls, ==, 3);
}

static void
test_default_timeout_fires(void)
{
    IN_SUBPROCESS(default_timeout_fires);
}

static void
default_timeout_disabled(void)
{
    Seen s = { 0 };
    int timer;

    register_default();
    timer = virEventAddTimeout(-1, seen_timeout_cb, &s, NULL);
    g_assert_cmpint(timer, >, 0);
    run_default_for(50);
    g_assert_cmpint(s.calls, ==, 0);
    /* Enabled, it fires; disabled again, it stops. */
    virEventUpdateTimeout(timer, 0);
    g_assert_cmpint(run_default_until(&s.calls, 1, GUARD_MS), ==, 1);
    virEventUpdateTimeout(timer, -1);
    s.calls = 0;
    run_default_for(50);
    g_assert_cmpint(s.calls, ==, 0);
    g_assert_cmpint(virEventRemoveTimeout(timer), ==, 0);
}

static void
test_default_timeout_disabled(void)
{
    IN_SUBPROCESS(default_timeout_disabled);
}

static void
default_timeout_zero(void)
{
    Seen s = { 0 };
    int timer, i;

    register_default();
    timer = virEventAddTimeout(0, seen_timeout_cb, &s, NULL);
    /* Always ready: every iteration dispatches it once, never blocks. */
    for (i = 1; i <= 5; i++) {
        g_assert_cmpint(virEventRunDefaultImpl(), ==, 0);
        g_assert_cmpint(s.calls, ==, i);
    }
    g_assert_cmpint(virEventRemoveTimeout(timer), ==, 0);
}

static void
test_default_timeout_zero(void)
{
    IN_SUBPROCESS(default_timeout_zero);
}

static void
default_timeout_update(void)
{
    Seen s = { 0 };
    int timer;

    register_default();
    timer = virEventAddTimeout(60 * 1000, seen_timeout_cb, &s, NULL);
    run_default_for(30);
    g_assert_cmpint(s.calls, ==, 0);
    virEventUpdateTimeout(timer, 10);
    g_assert_cmpint(run_default_until(&s.calls, 1, GUARD_MS), ==, 1);
    g_assert_cmpint(s.watch, ==, timer);
    g_assert_cmpint(virEventRemoveTimeout(timer), ==, 0);
    /* Updating a removed timer changes nothing. */
    virEventUpdateTimeout(timer, 0);
    s.calls = 0;
    run_default_for(30);
    g_assert_cmpint(s.calls, ==, 0);
}

static void
test_default_timeout_update(void)
{
    IN_SUBPROCESS(default_timeout_update);
}

static void
default_timeout_remove(void)
{
    Seen s = { 0 };
    int timer;

    register_default();
    timer = virEventAddTimeout(0, seen_timeout_cb, &s, seen_ff);
    g_assert_cmpint(virEventRemoveTimeout(timer), ==, 0);
    g_assert_cmpint(run_default_until(&s.ff_calls, 1, GUARD_MS), ==, 1);
    run_default_for(30);
    g_assert_cmpint(s.calls, ==, 0);
    g_assert_cmpint(s.ff_calls, ==, 1);
    g_assert_cmpint(virEventRemoveTimeout(timer), ==, -1);
    g_assert_cmpint(virEventRemoveTimeout(9999), ==, -1);
    g_assert_null(virGetLastError());
}

static void
test_default_timeout_remove(void)
{
    IN_SUBPROCESS(default_timeout_remove);
}

static void
default_timeout_remove_in_callback(void)
{
    Seen s = { .remove_self = 1, .remove_ret = 99 };
    int timer;

    register_default();
    timer = virEventAddTimeout(0, seen_timeout_cb, &s, seen_ff);
    g_assert_cmpint(run_default_until(&s.ff_calls, 1, GUARD_MS), ==, 1);
    g_assert_cmpint(s.calls, ==, 1);
    g_assert_cmpint(s.watch, ==, timer);
    g_assert_cmpint(s.remove_ret, ==, 0);
    g_assert_false(s.ff_during_cb);
    run_default_for(30);
    g_assert_cmpint(s.calls, ==, 1);
    g_assert_cmpint(s.ff_calls, ==, 1);
}

static void
test_default_timeout_remove_in_callback(void)
{
    IN_SUBPROCESS(default_timeout_remove_in_callback);
}

static void
default_bad_args(void)
{
    virErrorPtr err;

    register_default();
    virSetErrorFunc(NULL, silent_error_handler);
    g_assert_cmpint(virEventAddTimeout(10, NULL, NULL, NULL), ==, -1);
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(err->domain, ==, VIR_FROM_EVENT);
    g_assert_cmpint(virEventAddHandle(-1, VIR_EVENT_HANDLE_READABLE, noop_handle_cb, NULL, NULL),
                    ==, -1);
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_INVALID_ARG);
}

static void
test_default_bad_args(void)
{
    IN_SUBPROCESS(default_bad_args);
}

static gboolean
deliver_from_core(gpointer data)
{
    deliver(data, 3);
    return G_SOURCE_REMOVE;
}

static void
default_run_callback(void)
{
    Deliveries d = { 0 };
    int i;

    register_default();
    deliver(&d, 0);
    deliver(&d, 1);
    deliver(&d, 2);
    /* Queued from the core's thread too: still the application's loop. */
    vkEventCoreAddIdle(deliver_from_core, &d, NULL);
    g_usleep(50 * 1000);
    /* Nobody ran the application's loop: nothing delivered, anywhere. */
    g_assert_cmpint(g_atomic_int_get(&d.n), ==, 0);

    g_assert_cmpint(run_default_until(&d.freed, 4, GUARD_MS), ==, 4);
    g_assert_cmpint(d.n, ==, 4);
    for (i = 0; i < 4; i++) {
        g_assert_cmpint(d.order[i], ==, i);
        g_assert_true(d.thread[i] == g_thread_self());
    }
    g_assert_cmpint(d.freed_after_run, ==, 4);
}

static void
test_default_run_callback(void)
{
    IN_SUBPROCESS(default_run_callback);
}

/* ------------------------------------------------------------------ */
/* An application's own implementation (each in a subprocess)         */
/* ------------------------------------------------------------------ */

typedef struct {
    int add_handle, update_handle, remove_handle;
    int add_timeout, update_timeout, remove_timeout;
    int fd, events, watch;
    int timeout, timer;
    virEventHandleCallback hcb;
    virEventTimeoutCallback tcb;
    void *opaque;
    virFreeCallback ff;
} FakeLoop;

static FakeLoop fake;
static FakeLoop other;

static int
fake_add_handle(int fd, int events, virEventHandleCallback cb, void *opaque, virFreeCallback ff)
{
    fake.add_handle++;
    fake.fd = fd;
    fake.events = events;
    fake.hcb = cb;
    fake.opaque = opaque;
    fake.ff = ff;
    return 42;
}

static void
fake_update_handle(int watch, int events)
{
    fake.update_handle++;
    fake.watch = watch;
    fake.events = events;
}

static int
fake_remove_handle(int watch)
{
    fake.remove_handle++;
    fake.watch = watch;
    return watch == 42 ? 0 : -1;
}

static int
fake_add_timeout(int timeout, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff)
{
    fake.add_timeout++;
    fake.timeout = timeout;
    fake.tcb = cb;
    fake.opaque = opaque;
    fake.ff = ff;
    return 7 + fake.add_timeout;
}

static void
fake_update_timeout(int timer, int timeout)
{
    fake.update_timeout++;
    fake.timer = timer;
    fake.timeout = timeout;
}

static int
fake_remove_timeout(int timer)
{
    fake.remove_timeout++;
    fake.timer = timer;
    return 0;
}

static int
other_add_timeout(int timeout G_GNUC_UNUSED, virEventTimeoutCallback cb G_GNUC_UNUSED,
                  void *opaque G_GNUC_UNUSED, virFreeCallback ff G_GNUC_UNUSED)
{
    other.add_timeout++;
    return 1;
}

static void
register_fake(void)
{
    g_assert_false(vkEventHaveAppImpl());
    virEventRegisterImpl(fake_add_handle, fake_update_handle, fake_remove_handle,
                         fake_add_timeout, fake_update_timeout, fake_remove_timeout);
    g_assert_true(vkEventHaveAppImpl());
}

/* Warnings the core logged (GLib's test mode would make them fatal). */
static int warnings_replace;

static GLogWriterOutput
capture_warnings(GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                 gpointer data G_GNUC_UNUSED)
{
    gsize i;

    for (i = 0; i < n_fields; i++) {
        if (g_str_equal(fields[i].key, "MESSAGE") && level == G_LOG_LEVEL_WARNING &&
            g_str_equal(fields[i].value, "Ignoring attempt to replace registered event loop"))
            warnings_replace++;
    }
    return G_LOG_WRITER_HANDLED;
}

static void
custom_receives_calls(void)
{
    int marker;

    g_log_set_writer_func(capture_warnings, NULL, NULL);
    register_fake();
    g_assert_cmpint(virEventAddHandle(5, VIR_EVENT_HANDLE_WRITABLE, noop_handle_cb, &marker,
                                      seen_ff), ==, 42);
    g_assert_cmpint(fake.add_handle, ==, 1);
    g_assert_cmpint(fake.fd, ==, 5);
    g_assert_cmpint(fake.events, ==, VIR_EVENT_HANDLE_WRITABLE);
    g_assert_true(fake.hcb == noop_handle_cb);
    g_assert_true(fake.opaque == &marker);
    g_assert_true(fake.ff == seen_ff);

    virEventUpdateHandle(42, VIR_EVENT_HANDLE_READABLE);
    g_assert_cmpint(fake.update_handle, ==, 1);
    g_assert_cmpint(fake.watch, ==, 42);
    g_assert_cmpint(fake.events, ==, VIR_EVENT_HANDLE_READABLE);

    g_assert_cmpint(virEventRemoveHandle(42), ==, 0);
    g_assert_cmpint(virEventRemoveHandle(43), ==, -1);
    g_assert_cmpint(fake.remove_handle, ==, 2);
    g_assert_null(virGetLastError());

    g_assert_cmpint(virEventAddTimeout(250, noop_timeout_cb, &marker, NULL), ==, 8);
    g_assert_cmpint(fake.add_timeout, ==, 1);
    g_assert_cmpint(fake.timeout, ==, 250);
    g_assert_true(fake.tcb == noop_timeout_cb);

    virEventUpdateTimeout(8, -1);
    g_assert_cmpint(fake.update_timeout, ==, 1);
    g_assert_cmpint(fake.timer, ==, 8);
    g_assert_cmpint(fake.timeout, ==, -1);

    g_assert_cmpint(virEventRemoveTimeout(8), ==, 0);
    g_assert_cmpint(fake.remove_timeout, ==, 1);

    /* The first registration stays: a second one, and the default, are
     * ignored (the default still answers 0, as libvirt's does). */
    virEventRegisterImpl(NULL, NULL, NULL, other_add_timeout, NULL, NULL);
    g_assert_cmpint(warnings_replace, ==, 1);
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_assert_cmpint(virEventAddTimeout(1, noop_timeout_cb, NULL, NULL), ==, 9);
    g_assert_cmpint(fake.add_timeout, ==, 2);
    g_assert_cmpint(other.add_timeout, ==, 0);
}

static void
test_custom_receives_calls(void)
{
    IN_SUBPROCESS(custom_receives_calls);
}

static void
custom_run_callback(void)
{
    Deliveries d = { 0 };
    int i;

    register_fake();
    deliver(&d, 0);
    deliver(&d, 1);
    deliver(&d, 2);
    /* One 0 ms timer for the whole queue; nothing ran yet. */
    g_assert_cmpint(fake.add_timeout, ==, 1);
    g_assert_cmpint(fake.timeout, ==, 0);
    g_assert_nonnull(fake.tcb);
    g_usleep(30 * 1000);
    g_assert_cmpint(g_atomic_int_get(&d.n), ==, 0);

    /* The application's loop fires the timer. */
    fake.tcb(8, fake.opaque);
    g_assert_cmpint(d.n, ==, 3);
    g_assert_cmpint(d.freed, ==, 3);
    for (i = 0; i < 3; i++) {
        g_assert_cmpint(d.order[i], ==, i);
        g_assert_true(d.thread[i] == g_thread_self());
    }
    /* One-shot: removed once the queue is empty. */
    g_assert_cmpint(fake.remove_timeout, ==, 1);
    g_assert_cmpint(fake.timer, ==, 8);

    /* The next callback schedules a new timer. */
    deliver(&d, 3);
    g_assert_cmpint(fake.add_timeout, ==, 2);
    fake.tcb(9, fake.opaque);
    g_assert_cmpint(d.n, ==, 4);
    g_assert_cmpint(d.order[3], ==, 3);
    g_assert_cmpint(fake.remove_timeout, ==, 2);
    g_assert_cmpint(fake.timer, ==, 9);
}

static void
test_custom_run_callback(void)
{
    IN_SUBPROCESS(custom_run_callback);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/event/none/calls-fail", test_none_calls_fail);
    g_test_add_func("/event/flags/map", test_flags_map);

    g_test_add_func("/event/core/context", test_core_context);
    g_test_add_func("/event/core/run-callback", test_core_run_callback);
    g_test_add_func("/event/core/timeout-fires", test_core_timeout_fires);
    g_test_add_func("/event/core/remove", test_core_remove);
    g_test_add_func("/event/core/fd", test_core_fd);
    g_test_add_func("/event/core/idle", test_core_idle);

    g_test_add_func("/event/default/register-twice", test_default_register_twice);
    g_test_add_func("/event/default/handle-readable", test_default_handle_readable);
    g_test_add_func("/event/default/handle-writable-hangup", test_default_handle_writable_hangup);
    g_test_add_func("/event/default/handle-update", test_default_handle_update);
    g_test_add_func("/event/default/handle-remove-in-callback",
                    test_default_handle_remove_in_callback);
    g_test_add_func("/event/default/timeout-fires", test_default_timeout_fires);
    g_test_add_func("/event/default/timeout-disabled", test_default_timeout_disabled);
    g_test_add_func("/event/default/timeout-zero", test_default_timeout_zero);
    g_test_add_func("/event/default/timeout-update", test_default_timeout_update);
    g_test_add_func("/event/default/timeout-remove", test_default_timeout_remove);
    g_test_add_func("/event/default/timeout-remove-in-callback",
                    test_default_timeout_remove_in_callback);
    g_test_add_func("/event/default/bad-args", test_default_bad_args);
    g_test_add_func("/event/default/run-callback", test_default_run_callback);

    g_test_add_func("/event/custom/receives-calls", test_custom_receives_calls);
    g_test_add_func("/event/custom/run-callback", test_custom_run_callback);

    return g_test_run();
}
