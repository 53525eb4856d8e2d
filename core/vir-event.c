/*
 * vir-event.c: libvirt's event API (virEvent*), its default implementation
 * on GLib's global default context, the core's own loop thread, and the
 * delivery of event callbacks to whichever loop the application chose.
 *
 * Locking: vkEventLock guards the registered implementation, the default
 * implementation's tables and the delivery queues.  It is never held while
 * a callback of the application or of the core runs, nor while one of the
 * application's six functions is called, so any of them may call back in.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#define VK_FROM VIR_FROM_EVENT
#define VK_LOG_MODULE "core.event"
#include "vk-internal.h"
#include "vir-event.h"

static GMutex vkEventLock;

/* ------------------------------------------------------------------ */
/* The registered implementation                                       */
/* ------------------------------------------------------------------ */

typedef struct {
    virEventAddHandleFunc addHandle;
    virEventUpdateHandleFunc updateHandle;
    virEventRemoveHandleFunc removeHandle;
    virEventAddTimeoutFunc addTimeout;
    virEventUpdateTimeoutFunc updateTimeout;
    virEventRemoveTimeoutFunc removeTimeout;
} vkEventImpl;

static vkEventImpl vkImpl;      /* all NULL until registered; never changes after */

static vkEventImpl
vkEventImplGet(void)
{
    vkEventImpl impl;

    g_mutex_lock(&vkEventLock);
    impl = vkImpl;
    g_mutex_unlock(&vkEventLock);
    return impl;
}

static bool
vkEventImplIsSet(const vkEventImpl *impl)
{
    return impl->addHandle || impl->updateHandle || impl->removeHandle ||
           impl->addTimeout || impl->updateTimeout || impl->removeTimeout;
}

/* Returns false (and keeps the old one) when an implementation was already
 * registered: libvirt's rule. */
static bool
vkEventImplSet(const vkEventImpl *impl)
{
    bool done = false;

    g_mutex_lock(&vkEventLock);
    if (!vkEventImplIsSet(&vkImpl)) {
        vkImpl = *impl;
        done = true;
    }
    g_mutex_unlock(&vkEventLock);
    return done;
}

bool
vkEventHaveAppImpl(void)
{
    vkEventImpl impl = vkEventImplGet();

    return impl.addTimeout && impl.removeTimeout;
}

GIOCondition
vkEventToCondition(int events)
{
    GIOCondition cond = 0;

    if (events & VIR_EVENT_HANDLE_READABLE)
        cond |= G_IO_IN;
    if (events & VIR_EVENT_HANDLE_WRITABLE)
        cond |= G_IO_OUT;
    if (events & VIR_EVENT_HANDLE_ERROR)
        cond |= G_IO_ERR;
    if (events & VIR_EVENT_HANDLE_HANGUP)
        cond |= G_IO_HUP;
    return cond;
}

int
vkEventFromCondition(GIOCondition cond)
{
    int events = 0;

    if (cond & G_IO_IN)
        events |= VIR_EVENT_HANDLE_READABLE;
    if (cond & G_IO_OUT)
        events |= VIR_EVENT_HANDLE_WRITABLE;
    if (cond & (G_IO_ERR | G_IO_NVAL))
        events |= VIR_EVENT_HANDLE_ERROR;
    if (cond & G_IO_HUP)
        events |= VIR_EVENT_HANDLE_HANGUP;
    return events;
}

/* ------------------------------------------------------------------ */
/* The default implementation: GLib's global default context           */
/* ------------------------------------------------------------------ */

/*
 * Like libvirt's (src/util/vireventglib.c): one GSource per enabled handle
 * or timer, attached to the global default context; ids are never reused.
 * A removed entry is marked, its source destroyed at once, and its record
 * freed (and ff called) from an idle on the same context: that idle cannot
 * run before a callback in progress on that context has returned, so
 * removing from inside a callback, or from another thread while it runs,
 * is safe.  The idle has default priority so a 0 ms timer cannot starve it.
 */

typedef struct {
    int watch;
    int fd;
    int events;
    bool removed;
    GSource *source;            /* NULL while events == 0; a reference of ours */
    virEventHandleCallback cb;
    void *opaque;
    virFreeCallback ff;
} vkDefHandle;

typedef struct {
    int timer;
    int interval;
    bool removed;
    GSource *source;            /* NULL while disabled; a reference of ours */
    virEventTimeoutCallback cb;
    void *opaque;
    virFreeCallback ff;
} vkDefTimeout;

static GHashTable *vkDefHandles;    /* watch -> vkDefHandle (owned) */
static GHashTable *vkDefTimeouts;   /* timer -> vkDefTimeout (owned) */
static int vkDefNextWatch = 1;
static int vkDefNextTimer = 1;

/* Called with vkEventLock held. */
static void
vkDefSourceDrop(GSource **source)
{
    if (*source) {
        g_source_destroy(*source);
        g_source_unref(*source);
        *source = NULL;
    }
}

static void
vkDefAttachIdle(GSourceFunc fn, gpointer data)
{
    GSource *idle = g_idle_source_new();

    g_source_set_priority(idle, G_PRIORITY_DEFAULT);
    g_source_set_callback(idle, fn, data, NULL);
    g_source_attach(idle, NULL);
    g_source_unref(idle);
}

static gboolean
vkDefHandleDispatch(int fd, GIOCondition cond, gpointer opaque)
{
    vkDefHandle *h = opaque;
    int events = vkEventFromCondition(cond);

    VK_DEBUG("Dispatch handle watch=%d fd=%d events=%d opaque=%p",
             h->watch, fd, events, h->opaque);
    h->cb(h->watch, h->fd, events, h->opaque);
    return G_SOURCE_CONTINUE;
}

/* Called with vkEventLock held. */
static GSource *
vkDefHandleSource(vkDefHandle *h)
{
    GSource *source = g_unix_fd_source_new(h->fd, vkEventToCondition(h->events));

    g_source_set_callback(source, G_SOURCE_FUNC(vkDefHandleDispatch), h, NULL);
    g_source_attach(source, NULL);
    return source;
}

static int
vkDefAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque, virFreeCallback ff)
{
    vkDefHandle *h;
    int watch;

    if (!cb) {
        vkReportNullArg("virEventAddHandle", "cb");
        return -1;
    }
    if (fd < 0) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "fd in virEventAddHandle must be a file descriptor, not %d", fd);
        return -1;
    }
    h = g_new0(vkDefHandle, 1);
    h->fd = fd;
    h->events = events;
    h->cb = cb;
    h->opaque = opaque;
    h->ff = ff;

    g_mutex_lock(&vkEventLock);
    h->watch = watch = vkDefNextWatch++;
    if (events != 0)
        h->source = vkDefHandleSource(h);
    g_hash_table_insert(vkDefHandles, GINT_TO_POINTER(watch), h);
    g_mutex_unlock(&vkEventLock);

    VK_DEBUG("Added handle watch=%d fd=%d events=%d", watch, fd, events);
    return watch;
}

/* Called with vkEventLock held. */
static vkDefHandle *
vkDefHandleFind(int watch)
{
    vkDefHandle *h = g_hash_table_lookup(vkDefHandles, GINT_TO_POINTER(watch));

    return h && !h->removed ? h : NULL;
}

static void
vkDefUpdateHandle(int watch, int events)
{
    vkDefHandle *h;

    g_mutex_lock(&vkEventLock);
    if (!(h = vkDefHandleFind(watch))) {
        VK_DEBUG("Update of missing handle watch=%d", watch);
    } else if (events != h->events) {
        vkDefSourceDrop(&h->source);
        h->events = events;
        if (events != 0)
            h->source = vkDefHandleSource(h);
    }
    g_mutex_unlock(&vkEventLock);
}

static gboolean
vkDefHandleFreeIdle(gpointer data)
{
    vkDefHandle *h = data;

    if (h->ff)
        h->ff(h->opaque);
    g_mutex_lock(&vkEventLock);
    g_hash_table_remove(vkDefHandles, GINT_TO_POINTER(h->watch));
    g_mutex_unlock(&vkEventLock);
    return G_SOURCE_REMOVE;
}

static int
vkDefRemoveHandle(int watch)
{
    vkDefHandle *h;
    int ret = -1;

    g_mutex_lock(&vkEventLock);
    if (!(h = vkDefHandleFind(watch))) {
        VK_DEBUG("Remove of missing handle watch=%d", watch);
    } else {
        vkDefSourceDrop(&h->source);
        h->removed = true;
        vkDefAttachIdle(vkDefHandleFreeIdle, h);
        ret = 0;
    }
    g_mutex_unlock(&vkEventLock);
    return ret;
}

static gboolean
vkDefTimeoutDispatch(gpointer opaque)
{
    vkDefTimeout *t = opaque;

    VK_DEBUG("Dispatch timeout timer=%d opaque=%p", t->timer, t->opaque);
    t->cb(t->timer, t->opaque);
    return G_SOURCE_CONTINUE;
}

/* Called with vkEventLock held. */
static GSource *
vkDefTimeoutSource(vkDefTimeout *t)
{
    GSource *source = g_timeout_source_new(t->interval);

    g_source_set_callback(source, vkDefTimeoutDispatch, t, NULL);
    g_source_attach(source, NULL);
    return source;
}

static int
vkDefAddTimeout(int interval, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff)
{
    vkDefTimeout *t;
    int timer;

    if (!cb) {
        vkReportNullArg("virEventAddTimeout", "cb");
        return -1;
    }
    t = g_new0(vkDefTimeout, 1);
    t->interval = interval;
    t->cb = cb;
    t->opaque = opaque;
    t->ff = ff;

    g_mutex_lock(&vkEventLock);
    t->timer = timer = vkDefNextTimer++;
    if (interval >= 0)
        t->source = vkDefTimeoutSource(t);
    g_hash_table_insert(vkDefTimeouts, GINT_TO_POINTER(timer), t);
    g_mutex_unlock(&vkEventLock);

    VK_DEBUG("Added timeout timer=%d interval=%d", timer, interval);
    return timer;
}

/* Called with vkEventLock held. */
static vkDefTimeout *
vkDefTimeoutFind(int timer)
{
    vkDefTimeout *t = g_hash_table_lookup(vkDefTimeouts, GINT_TO_POINTER(timer));

    return t && !t->removed ? t : NULL;
}

static void
vkDefUpdateTimeout(int timer, int interval)
{
    vkDefTimeout *t;

    g_mutex_lock(&vkEventLock);
    if (!(t = vkDefTimeoutFind(timer))) {
        VK_DEBUG("Update of missing timeout timer=%d", timer);
    } else {
        /* As libvirt: any update restarts the period; a negative one disables. */
        vkDefSourceDrop(&t->source);
        t->interval = interval;
        if (interval >= 0)
            t->source = vkDefTimeoutSource(t);
    }
    g_mutex_unlock(&vkEventLock);
}

static gboolean
vkDefTimeoutFreeIdle(gpointer data)
{
    vkDefTimeout *t = data;

    if (t->ff)
        t->ff(t->opaque);
    g_mutex_lock(&vkEventLock);
    g_hash_table_remove(vkDefTimeouts, GINT_TO_POINTER(t->timer));
    g_mutex_unlock(&vkEventLock);
    return G_SOURCE_REMOVE;
}

static int
vkDefRemoveTimeout(int timer)
{
    vkDefTimeout *t;
    int ret = -1;

    g_mutex_lock(&vkEventLock);
    if (!(t = vkDefTimeoutFind(timer))) {
        VK_DEBUG("Remove of missing timeout timer=%d", timer);
    } else {
        vkDefSourceDrop(&t->source);
        t->removed = true;
        vkDefAttachIdle(vkDefTimeoutFreeIdle, t);
        ret = 0;
    }
    g_mutex_unlock(&vkEventLock);
    return ret;
}

static gpointer
vkDefInitOnce(gpointer unused G_GNUC_UNUSED)
{
    g_mutex_lock(&vkEventLock);
    vkDefHandles = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    vkDefTimeouts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    g_mutex_unlock(&vkEventLock);
    return NULL;
}

static const vkEventImpl vkDefImpl = {
    .addHandle = vkDefAddHandle,
    .updateHandle = vkDefUpdateHandle,
    .removeHandle = vkDefRemoveHandle,
    .addTimeout = vkDefAddTimeout,
    .updateTimeout = vkDefUpdateTimeout,
    .removeTimeout = vkDefRemoveTimeout,
};

/* ------------------------------------------------------------------ */
/* Public API                                                           */
/* ------------------------------------------------------------------ */

/*
 * libvirt 9.0 (src/util/virevent.c) sets no error when no implementation is
 * registered, or when a watch/timer id is unknown: it returns -1 and the
 * thread's last error stays empty.  We keep that, so a program that probes
 * with these calls sees no error printed.  Errors the default
 * implementation reports (a NULL callback, a negative fd) are dispatched.
 */

/*
 * virEventAddHandle: watches @fd for @events (VIR_EVENT_HANDLE_* bits) with
 * the registered implementation; cb(watch, fd, events, opaque) runs on the
 * application's loop.  ff(opaque) runs once the watch is removed and no
 * call of @cb is in progress.  Returns the watch (> 0), or -1: with no
 * implementation registered (no error set, as libvirt), or when the
 * implementation refuses (the default one reports VIR_ERR_INVALID_ARG for a
 * NULL @cb or a negative @fd).  Thread-safe.  Since: 0.9.3
 */
int
virEventAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
                  virFreeCallback ff)
{
    vkEventImpl impl = vkEventImplGet();
    int ret;

    VK_LOG_API("virEventAddHandle", "fd=%d, events=%d, cb=%p, opaque=%p, ff=%p",
               fd, events, (void *)cb, opaque, (void *)ff);
    virResetLastError();
    if (!impl.addHandle)
        return -1;
    if ((ret = impl.addHandle(fd, events, cb, opaque, ff)) < 0 && vkErrorIsSet())
        vkErrorDispatch(NULL);
    return ret;
}

/*
 * virEventUpdateHandle: changes the events @watch waits for; 0 stops its
 * calls until updated again.  Unknown watches and no implementation are
 * ignored.  Thread-safe, also from inside a callback.  Since: 0.9.3
 */
void
virEventUpdateHandle(int watch, int events)
{
    vkEventImpl impl = vkEventImplGet();

    VK_LOG_API("virEventUpdateHandle", "watch=%d, events=%d", watch, events);
    virResetLastError();
    if (impl.updateHandle)
        impl.updateHandle(watch, events);
}

/*
 * virEventRemoveHandle: stops @watch.  Safe from inside its own callback;
 * its ff runs later, from the loop.  Returns 0, or -1 (no error set) for an
 * unknown watch or with no implementation.  Thread-safe.  Since: 0.9.3
 */
int
virEventRemoveHandle(int watch)
{
    vkEventImpl impl = vkEventImplGet();
    int ret;

    VK_LOG_API("virEventRemoveHandle", "watch=%d", watch);
    virResetLastError();
    if (!impl.removeHandle)
        return -1;
    if ((ret = impl.removeHandle(watch)) < 0 && vkErrorIsSet())
        vkErrorDispatch(NULL);
    return ret;
}

/*
 * virEventAddTimeout: a timer calling cb(timer, opaque) every @timeout ms on
 * the application's loop; 0 fires on every iteration, -1 creates it
 * disabled.  ff(opaque) runs once it is removed and no call of @cb is in
 * progress.  Returns the timer (> 0), or -1: with no implementation (no
 * error set, as libvirt), or when the implementation refuses (the default
 * one reports VIR_ERR_INVALID_ARG for a NULL @cb).  Thread-safe.
 * Since: 0.9.3
 */
int
virEventAddTimeout(int timeout, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff)
{
    vkEventImpl impl = vkEventImplGet();
    int ret;

    VK_LOG_API("virEventAddTimeout", "timeout=%d, cb=%p, opaque=%p, ff=%p",
               timeout, (void *)cb, opaque, (void *)ff);
    virResetLastError();
    if (!impl.addTimeout)
        return -1;
    if ((ret = impl.addTimeout(timeout, cb, opaque, ff)) < 0 && vkErrorIsSet())
        vkErrorDispatch(NULL);
    return ret;
}

/*
 * virEventUpdateTimeout: sets @timer's period (restarting it), 0 for every
 * iteration, -1 to disable.  Unknown timers and no implementation are
 * ignored.  Thread-safe, also from inside a callback.  Since: 0.9.3
 */
void
virEventUpdateTimeout(int timer, int timeout)
{
    vkEventImpl impl = vkEventImplGet();

    VK_LOG_API("virEventUpdateTimeout", "timer=%d, timeout=%d", timer, timeout);
    virResetLastError();
    if (impl.updateTimeout)
        impl.updateTimeout(timer, timeout);
}

/*
 * virEventRemoveTimeout: stops @timer.  Safe from inside its own callback;
 * its ff runs later, from the loop.  Returns 0, or -1 (no error set) for an
 * unknown timer or with no implementation.  Thread-safe.  Since: 0.9.3
 */
int
virEventRemoveTimeout(int timer)
{
    vkEventImpl impl = vkEventImplGet();
    int ret;

    VK_LOG_API("virEventRemoveTimeout", "timer=%d", timer);
    virResetLastError();
    if (!impl.removeTimeout)
        return -1;
    if ((ret = impl.removeTimeout(timer)) < 0 && vkErrorIsSet())
        vkErrorDispatch(NULL);
    return ret;
}

/*
 * virEventRegisterImpl: makes the application's six functions the event
 * implementation for the life of the process.  Only the first registration
 * (this or virEventRegisterDefaultImpl) counts; later ones log libvirt's
 * warning "Ignoring attempt to replace registered event loop".  From then
 * on event callbacks are delivered through @addTimeout (see
 * vkEventRunCallback).  Thread-safe.  Since: 0.5.0
 */
void
virEventRegisterImpl(virEventAddHandleFunc addHandle, virEventUpdateHandleFunc updateHandle,
                     virEventRemoveHandleFunc removeHandle, virEventAddTimeoutFunc addTimeout,
                     virEventUpdateTimeoutFunc updateTimeout,
                     virEventRemoveTimeoutFunc removeTimeout)
{
    vkEventImpl impl = {
        addHandle, updateHandle, removeHandle, addTimeout, updateTimeout, removeTimeout,
    };

    VK_LOG_API("virEventRegisterImpl",
               "addHandle=%p, updateHandle=%p, removeHandle=%p, addTimeout=%p, "
               "updateTimeout=%p, removeTimeout=%p",
               (void *)addHandle, (void *)updateHandle, (void *)removeHandle,
               (void *)addTimeout, (void *)updateTimeout, (void *)removeTimeout);
    virResetLastError();
    if (!vkEventImplSet(&impl))
        VK_WARN("Ignoring attempt to replace registered event loop");
}

/*
 * virEventRegisterDefaultImpl: registers the GLib implementation on GLib's
 * global default context (as libvirt 9.0 does); the application runs it
 * with virEventRunDefaultImpl() or any GMainLoop on that context, and all
 * handle, timer and event callbacks run on that thread.  Returns 0, also
 * when called again or after virEventRegisterImpl (which then stays).
 * Thread-safe.  Since: 0.9.0
 */
int
virEventRegisterDefaultImpl(void)
{
    static GOnce once = G_ONCE_INIT;

    VK_LOG_API("virEventRegisterDefaultImpl", "%s", "");
    virResetLastError();
    g_once(&once, vkDefInitOnce, NULL);
    /* A second call, or one after virEventRegisterImpl, changes nothing and
     * still succeeds (libvirt only logs it). */
    if (!vkEventImplSet(&vkDefImpl))
        VK_DEBUG("An event implementation is already registered; keeping it");
    return 0;
}

/*
 * virEventRunDefaultImpl: one blocking iteration of GLib's default context:
 * waits until a handle, timer or queued event is ready and dispatches it.
 * Blocks forever when nothing is registered (libvirt's advice: keep a timer
 * or a wake-up pipe).  Returns 0.  Call it from one thread at a time.
 * Since: 0.9.0
 */
int
virEventRunDefaultImpl(void)
{
    VK_LOG_API("virEventRunDefaultImpl", "%s", "");
    virResetLastError();
    /* libvirt 9.0: one blocking iteration of the global default context. */
    g_main_context_iteration(NULL, TRUE);
    return 0;
}

/* ------------------------------------------------------------------ */
/* The core's own loop                                                  */
/* ------------------------------------------------------------------ */

static GMainContext *vkCoreCtx;
static GThread *vkCoreThreadPtr;

static gpointer
vkCoreThreadMain(gpointer data)
{
    GMainContext *ctx = data;

    g_main_context_push_thread_default(ctx);
    for (;;)
        g_main_context_iteration(ctx, TRUE);
    return NULL;
}

static gpointer
vkCoreStartOnce(gpointer unused G_GNUC_UNUSED)
{
    vkCoreCtx = g_main_context_new();
    /* Atomic: vkEventCoreRunSync reads it without going through the once. */
    g_atomic_pointer_set(&vkCoreThreadPtr,
                         g_thread_new("virtkit-event", vkCoreThreadMain, vkCoreCtx));
    VK_DEBUG("Started the core event thread");
    return NULL;
}

GMainContext *
vkEventCoreContext(void)
{
    static GOnce once = G_ONCE_INIT;

    g_once(&once, vkCoreStartOnce, NULL);
    return vkCoreCtx;
}

GThread *
vkEventCoreThread(void)
{
    vkEventCoreContext();
    return vkCoreThreadPtr;
}

/* One vkEventCoreRunSync request, shared by the waiting caller and the
 * source (either may be the last to let go of it). */
typedef struct {
    gint refs;
    GMutex lock;
    GCond cond;
    enum { VK_SYNC_PENDING, VK_SYNC_RUNNING, VK_SYNC_DONE, VK_SYNC_CANCELLED } state;
    void (*fn)(void *data);
    void *data;
} vkCoreSync;

static void
vkCoreSyncUnref(gpointer opaque)
{
    vkCoreSync *s = opaque;

    if (!g_atomic_int_dec_and_test(&s->refs))
        return;
    g_mutex_clear(&s->lock);
    g_cond_clear(&s->cond);
    g_free(s);
}

static gboolean
vkCoreSyncRun(gpointer opaque)
{
    vkCoreSync *s = opaque;

    g_mutex_lock(&s->lock);
    if (s->state == VK_SYNC_CANCELLED) {
        g_mutex_unlock(&s->lock);
        return G_SOURCE_REMOVE;
    }
    s->state = VK_SYNC_RUNNING;
    g_mutex_unlock(&s->lock);
    s->fn(s->data);
    g_mutex_lock(&s->lock);
    s->state = VK_SYNC_DONE;
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
    return G_SOURCE_REMOVE;
}

bool
vkEventCoreRunSync(void (*fn)(void *data), void *data, gint64 timeout_us)
{
    GThread *thread = g_atomic_pointer_get(&vkCoreThreadPtr);
    vkCoreSync *s;
    GSource *src;
    gint64 deadline;
    bool ran;

    /* Not started (never start it for this), or we are that thread. */
    if (!thread || thread == g_thread_self())
        return false;
    s = g_new0(vkCoreSync, 1);
    s->refs = 2;
    g_mutex_init(&s->lock);
    g_cond_init(&s->cond);
    s->fn = fn;
    s->data = data;
    src = g_idle_source_new();
    g_source_set_priority(src, G_PRIORITY_HIGH);
    g_source_set_callback(src, vkCoreSyncRun, s, vkCoreSyncUnref);
    g_source_attach(src, vkCoreCtx);
    g_source_unref(src);

    deadline = g_get_monotonic_time() + timeout_us;
    g_mutex_lock(&s->lock);
    while (s->state != VK_SYNC_DONE) {
        /* Once started, fn is waited for: abandoning it half-way would let
         * the caller run on beside it. */
        if (!g_cond_wait_until(&s->cond, &s->lock, deadline) && s->state == VK_SYNC_PENDING) {
            s->state = VK_SYNC_CANCELLED;
            break;
        }
    }
    ran = s->state == VK_SYNC_DONE;
    g_mutex_unlock(&s->lock);
    vkCoreSyncUnref(s);
    return ran;
}

/*
 * Core-side sources.  vkCoreSources maps each live id to a reference on its
 * GSource, so vkEventCoreRemove() never touches a source GLib already freed
 * and a stale id is harmless.  The entry goes when the source is destroyed
 * (our destroy notify) or removed.  The table lock is held across attach
 * and insert, so the notify of a source that ends at once finds its entry.
 */
static GMutex vkCoreSourcesLock;
static GHashTable *vkCoreSources;   /* id -> GSource (a reference) */

typedef struct {
    union {
        GSourceFunc fn;
        GUnixFDSourceFunc fdfn;
    };
    gpointer data;
    GDestroyNotify notify;
    guint id;
} vkCoreSource;

static gboolean
vkCoreSourceCall(gpointer opaque)
{
    vkCoreSource *cs = opaque;

    return cs->fn(cs->data);
}

static gboolean
vkCoreSourceCallFd(int fd, GIOCondition cond, gpointer opaque)
{
    vkCoreSource *cs = opaque;

    return cs->fdfn(fd, cond, cs->data);
}

static void
vkCoreSourceDestroyed(gpointer opaque)
{
    vkCoreSource *cs = opaque;

    g_mutex_lock(&vkCoreSourcesLock);
    g_hash_table_remove(vkCoreSources, GUINT_TO_POINTER(cs->id));
    g_mutex_unlock(&vkCoreSourcesLock);
    if (cs->notify)
        cs->notify(cs->data);
    g_free(cs);
}

static guint
vkCoreSourceAttach(GSource *source, GSourceFunc trampoline, vkCoreSource *cs)
{
    GMainContext *ctx = vkEventCoreContext();
    guint id;

    g_source_set_callback(source, trampoline, cs, vkCoreSourceDestroyed);
    g_mutex_lock(&vkCoreSourcesLock);
    if (!vkCoreSources)
        vkCoreSources = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                              (GDestroyNotify)g_source_unref);
    cs->id = id = g_source_attach(source, ctx);
    g_hash_table_insert(vkCoreSources, GUINT_TO_POINTER(id), source);  /* takes our ref */
    g_mutex_unlock(&vkCoreSourcesLock);
    return id;
}

static vkCoreSource *
vkCoreSourceNew(gpointer data, GDestroyNotify notify)
{
    vkCoreSource *cs = g_new0(vkCoreSource, 1);

    cs->data = data;
    cs->notify = notify;
    return cs;
}

guint
vkEventCoreAddTimeout(guint ms, GSourceFunc fn, gpointer data, GDestroyNotify notify)
{
    vkCoreSource *cs = vkCoreSourceNew(data, notify);

    cs->fn = fn;
    return vkCoreSourceAttach(g_timeout_source_new(ms), vkCoreSourceCall, cs);
}

static guint
vkEventCoreAddIdleFull(int priority, GSourceFunc fn, gpointer data, GDestroyNotify notify)
{
    vkCoreSource *cs = vkCoreSourceNew(data, notify);
    GSource *source = g_idle_source_new();

    cs->fn = fn;
    g_source_set_priority(source, priority);
    return vkCoreSourceAttach(source, vkCoreSourceCall, cs);
}

guint
vkEventCoreAddIdle(GSourceFunc fn, gpointer data, GDestroyNotify notify)
{
    return vkEventCoreAddIdleFull(G_PRIORITY_DEFAULT_IDLE, fn, data, notify);
}

guint
vkEventCoreAddFd(int fd, GIOCondition cond, GUnixFDSourceFunc fn, gpointer data,
                 GDestroyNotify notify)
{
    vkCoreSource *cs = vkCoreSourceNew(data, notify);

    cs->fdfn = fn;
    return vkCoreSourceAttach(g_unix_fd_source_new(fd, cond),
                              G_SOURCE_FUNC(vkCoreSourceCallFd), cs);
}

bool
vkEventCoreRemove(guint id)
{
    GSource *source = NULL;

    g_mutex_lock(&vkCoreSourcesLock);
    if (vkCoreSources)
        g_hash_table_steal_extended(vkCoreSources, GUINT_TO_POINTER(id), NULL,
                                    (gpointer *)&source);
    g_mutex_unlock(&vkCoreSourcesLock);
    if (!source)
        return false;
    g_source_destroy(source);
    g_source_unref(source);
    return true;
}

/* ------------------------------------------------------------------ */
/* Delivering callbacks to the application                             */
/* ------------------------------------------------------------------ */

typedef struct {
    void (*fn)(void *data);
    void *data;
    void (*free_fn)(void *data);
} vkEventCall;

/* One queue per mode; each has at most one drain scheduled at a time. */
typedef struct {
    GQueue calls;               /* vkEventCall * */
    bool scheduled;
} vkEventQueue;

static vkEventQueue vkCoreQueue;    /* drained on the core thread */
static vkEventQueue vkAppQueue;     /* drained from the application's loop */

/* Runs the calls queued when it starts (later ones wait for the next
 * round, so a callback that queues another cannot keep us here).  Returns
 * true when the queue is empty and the drain is no longer scheduled. */
static bool
vkEventQueueDrain(vkEventQueue *q)
{
    guint n;
    bool done;

    g_mutex_lock(&vkEventLock);
    n = g_queue_get_length(&q->calls);
    g_mutex_unlock(&vkEventLock);

    while (n-- > 0) {
        vkEventCall *call;

        g_mutex_lock(&vkEventLock);
        call = g_queue_pop_head(&q->calls);
        g_mutex_unlock(&vkEventLock);
        if (!call)
            break;
        call->fn(call->data);
        if (call->free_fn)
            call->free_fn(call->data);
        g_free(call);
    }

    g_mutex_lock(&vkEventLock);
    done = g_queue_is_empty(&q->calls);
    if (done)
        q->scheduled = false;
    g_mutex_unlock(&vkEventLock);
    return done;
}

static gboolean
vkEventCoreDrain(gpointer unused G_GNUC_UNUSED)
{
    return vkEventQueueDrain(&vkCoreQueue) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
vkEventAppDrain(int timer, void *unused G_GNUC_UNUSED)
{
    if (vkEventQueueDrain(&vkAppQueue)) {
        vkEventImpl impl = vkEventImplGet();

        impl.removeTimeout(timer);
    }
}

void
vkEventRunCallback(void (*fn)(void *data), void *data, void (*free_fn)(void *data))
{
    vkEventCall *call = g_new0(vkEventCall, 1);
    vkEventImpl impl;
    vkEventQueue *q;
    bool app, schedule;

    g_return_if_fail(fn != NULL);
    call->fn = fn;
    call->data = data;
    call->free_fn = free_fn;

    g_mutex_lock(&vkEventLock);
    impl = vkImpl;
    app = impl.addTimeout && impl.removeTimeout;
    q = app ? &vkAppQueue : &vkCoreQueue;
    g_queue_push_tail(&q->calls, call);
    schedule = !q->scheduled;
    q->scheduled = true;
    g_mutex_unlock(&vkEventLock);

    if (!schedule)
        return;
    if (!app) {
        /* Default priority: busy core timers must not starve event delivery. */
        vkEventCoreAddIdleFull(G_PRIORITY_DEFAULT, vkEventCoreDrain, NULL, NULL);
        return;
    }
    /* Outside our lock: the application's addTimeout may take its own
     * locks, or even run the timer at once on another thread. */
    if (impl.addTimeout(0, vkEventAppDrain, NULL, NULL) < 0) {
        VK_WARN("The application's event implementation refused a 0 ms timer (addTimeout "
                "returned -1); event callbacks stay queued until the next event retries");
        g_mutex_lock(&vkEventLock);
        vkAppQueue.scheduled = false;
        g_mutex_unlock(&vkEventLock);
    }
}
