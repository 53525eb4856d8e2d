/*
 * vir-event.h: the core's event loop, for the rest of the core and (through
 * the host table) for plugins.
 *
 * Two loops exist:
 *
 *  - the core's own GMainContext, iterated forever by an internal thread
 *    named "virtkit-event" that starts on first need.  Timers, plugin I/O
 *    and keepalive live there, so an application never has to run a loop
 *    to stay connected.  Nothing here ever runs on the application's
 *    threads.
 *
 *  - the application's loop, when it registered one with
 *    virEventRegisterDefaultImpl() (GLib's global default context, driven
 *    by virEventRunDefaultImpl() or by any GMainLoop on that context) or
 *    with virEventRegisterImpl() (its own six callbacks).  Registration is
 *    process-wide and permanent, as in libvirt.
 *
 * Event callbacks for the application go through vkEventRunCallback(),
 * which picks the application's loop when there is one and the core's
 * thread otherwise, as libvirt dispatches domain events.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include <glib-unix.h>

G_BEGIN_DECLS

/*
 * vkEventCoreContext:
 * Returns the core's own main context (owned by the core; never unref it).
 * The first call creates it and starts the "virtkit-event" thread, which
 * iterates it for the life of the process with the context pushed as its
 * thread-default, so GIO operations started from its callbacks stay on it.
 * Thread-safe: any thread.  Never returns NULL.
 */
GMainContext *vkEventCoreContext(void);

/*
 * vkEventCoreThread:
 * The GThread running the core's context (starts it if needed).  For
 * assertions ("am I on the core thread?") and tests.  Thread-safe.
 */
GThread *vkEventCoreThread(void);

/*
 * vkEventCoreRunSync:
 * Runs fn(data) on the "virtkit-event" thread, between its other callbacks,
 * and waits for it to return.  Returns true once it has run there; false
 * when fn was not run and never will be: the core thread never started
 * (this does not start it), the caller is that thread, or the thread did
 * not get to fn within @timeout_us (a callback holding it up).  Once fn
 * has started it is waited for, however long it takes.  Any thread.
 */
bool vkEventCoreRunSync(void (*fn)(void *data), void *data, gint64 timeout_us);

/*
 * vkEventHaveAppImpl:
 * True once the application registered an event implementation that can
 * run timers (virEventRegisterDefaultImpl, or virEventRegisterImpl with
 * addTimeout and removeTimeout set): vkEventRunCallback() then delivers on
 * the application's loop.  Never becomes false again.  Thread-safe.
 */
bool vkEventHaveAppImpl(void);

/*
 * vkEventRunCallback:
 * Queues fn(data) for delivery to the application, then free_fn(data)
 * (if not NULL) on the same thread right after fn returns.  @fn must not
 * be NULL.  Never runs @fn before returning, even when called from the
 * thread that would run it.
 *
 * Where it runs, chosen at the time of the call:
 *  - with an application implementation (vkEventHaveAppImpl()), from the
 *    application's loop: the core adds a timeout of 0 ms through that
 *    implementation, the timer's callback runs everything queued, and the
 *    timer is removed once the queue is empty (libvirt's remote driver
 *    does the same with its event timer).  With the default implementation
 *    that is the thread calling virEventRunDefaultImpl().  If the
 *    application's addTimeout fails, the callbacks stay queued and the
 *    next call retries (a warning is logged).
 *  - otherwise on the core's "virtkit-event" thread.
 * Callbacks queued in one mode run in the order they were queued (FIFO).
 * Thread-safe: any thread, including from inside a delivered callback.
 */
void vkEventRunCallback(void (*fn)(void *data), void *data, void (*free_fn)(void *data));

/*
 * Core-side sources: always attached to the core's context, so their
 * callbacks and destroy notifies run on the "virtkit-event" thread whatever
 * the application registered.  Each returns a source id (> 0) for
 * vkEventCoreRemove().  A callback returning G_SOURCE_REMOVE ends its
 * source; @notify (may be NULL) runs with @data once the source is gone,
 * after any running callback has returned.  Thread-safe: any thread.
 */

/* Calls @fn every @ms milliseconds (0: on every iteration of the core loop). */
guint vkEventCoreAddTimeout(guint ms, GSourceFunc fn, gpointer data, GDestroyNotify notify);

/* Calls @fn once the core loop is idle; G_SOURCE_CONTINUE calls it again. */
guint vkEventCoreAddIdle(GSourceFunc fn, gpointer data, GDestroyNotify notify);

/* Calls @fn when @fd meets @cond (G_IO_ERR/HUP/NVAL are always reported). */
guint vkEventCoreAddFd(int fd, GIOCondition cond, GUnixFDSourceFunc fn, gpointer data,
                       GDestroyNotify notify);

/*
 * vkEventCoreRemove:
 * Removes a source added by one of the vkEventCoreAdd* calls.  Returns true
 * if it was still there, false if it had already gone (removed, or its
 * callback returned G_SOURCE_REMOVE).  Safe from inside its own callback
 * and from any thread; once this returns, the callback is not started
 * again (a call already running on the core thread finishes first).
 */
bool vkEventCoreRemove(guint id);

/* Maps libvirt's VIR_EVENT_HANDLE_* bits to a GIOCondition and back
 * (G_IO_NVAL reads as VIR_EVENT_HANDLE_ERROR, as libvirt does). */
GIOCondition vkEventToCondition(int events);
int vkEventFromCondition(GIOCondition cond);

G_END_DECLS
