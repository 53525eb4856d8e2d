/*
 * vir-domain-event.c: domain event callbacks.  Applications register on a
 * connection (virConnectDomainEventRegister(Any)); plugins emit through the
 * host table; the core matches, copies and delivers each event through
 * vkEventRunCallback(): from the application's event loop when it
 * registered one, else on the core's event thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

/* VIR_DOMAIN_EVENT_ID_LAST bounds the event IDs we accept. */
#define VIR_ENUM_SENTINELS

/* The public calls' own checks come from libvirt-domain.c's domain. */
#define VK_FROM VIR_FROM_DOMAIN
#define VK_LOG_MODULE "core.event"
#include "vk-dispatch.h"
#include "vk-domain-event.h"
#include "vir-event.h"

typedef struct {
    int id;                         /* callbackID handed to the application */
    int event_id;
    bool legacy;                    /* virConnectDomainEventRegister */
    bool has_filter;
    unsigned char filter[VIR_UUID_BUFLEN];
    virConnectDomainEventGenericCallback cb;
    void *opaque;
    virFreeCallback freecb;
} vkDomainEventCallback;

struct _vkDomainEventList {
    GMutex lock;
    GPtrArray *callbacks;           /* vkDomainEventCallback * */
};

/* Callback ids start at 0, as libvirt's do. */
static gint vkDomainEventNextID;

/* What libvirt's event-callback bookkeeping reports (bad ids, a callback
 * registered twice) carries no domain. */
#define vkReportCallbackError(...) \
    vkErrorReportFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__, \
                      __VA_ARGS__)

static void
vkDomainEventListEnsure(virConnectPtr conn)
{
    g_mutex_lock(&conn->lock);
    if (!conn->events) {
        conn->events = g_new0(vkDomainEventList, 1);
        g_mutex_init(&conn->events->lock);
        conn->events->callbacks = g_ptr_array_new();
    }
    g_mutex_unlock(&conn->lock);
}

typedef struct {
    virFreeCallback freecb;
    void *opaque;
} vkFreeLater;

static void
vkFreeLaterRun(void *data)
{
    vkFreeLater *f = data;
    f->freecb(f->opaque);
}

/* The application's free callback runs after every delivery already queued
 * (same queue, FIFO), so it never frees what a pending callback uses. */
static void
vkDomainEventCallbackRelease(vkDomainEventCallback *c)
{
    if (c->freecb) {
        vkFreeLater *f = g_new0(vkFreeLater, 1);
        f->freecb = c->freecb;
        f->opaque = c->opaque;
        vkEventRunCallback(vkFreeLaterRun, f, g_free);
    }
    g_free(c);
}

void
vkDomainEventListFree(vkDomainEventList *list)
{
    if (!list)
        return;
    for (guint i = 0; i < list->callbacks->len; i++)
        vkDomainEventCallbackRelease(g_ptr_array_index(list->callbacks, i));
    g_ptr_array_unref(list->callbacks);
    g_mutex_clear(&list->lock);
    g_free(list);
}

static int
vkDomainEventAdd(virConnectPtr conn, virDomainPtr dom, int eventID,
                 virConnectDomainEventGenericCallback cb, void *opaque,
                 virFreeCallback freecb, bool legacy)
{
    vkDomainEventList *list;
    vkDomainEventCallback *c;

    vkDomainEventListEnsure(conn);
    list = conn->events;
    g_mutex_lock(&list->lock);
    for (guint i = 0; i < list->callbacks->len; i++) {
        vkDomainEventCallback *o = g_ptr_array_index(list->callbacks, i);
        bool same_filter = o->has_filter == (dom != NULL) &&
                           (!dom || memcmp(o->filter, dom->uuid, VIR_UUID_BUFLEN) == 0);
        if (o->cb == cb && o->event_id == eventID && o->legacy == legacy && same_filter) {
            g_mutex_unlock(&list->lock);
            vkReportCallbackError("event callback already tracked");
            return -1;
        }
    }
    c = g_new0(vkDomainEventCallback, 1);
    c->id = g_atomic_int_add(&vkDomainEventNextID, 1);
    c->event_id = eventID;
    c->legacy = legacy;
    if (dom) {
        c->has_filter = true;
        memcpy(c->filter, dom->uuid, VIR_UUID_BUFLEN);
    }
    c->cb = cb;
    c->opaque = opaque;
    c->freecb = freecb;
    g_ptr_array_add(list->callbacks, c);
    g_mutex_unlock(&list->lock);
    return c->id;
}

/* Removes the callback @match says; returns 0 or -1 (not found). */
static int
vkDomainEventRemove(virConnectPtr conn, bool (*match)(vkDomainEventCallback *, const void *),
                    const void *key)
{
    vkDomainEventCallback *found = NULL;

    if (!conn->events)
        return -1;
    g_mutex_lock(&conn->events->lock);
    for (guint i = 0; i < conn->events->callbacks->len; i++) {
        vkDomainEventCallback *c = g_ptr_array_index(conn->events->callbacks, i);
        if (match(c, key)) {
            found = g_ptr_array_steal_index(conn->events->callbacks, i);
            break;
        }
    }
    g_mutex_unlock(&conn->events->lock);
    if (!found)
        return -1;
    vkDomainEventCallbackRelease(found);
    return 0;
}

static bool
vkMatchID(vkDomainEventCallback *c, const void *key)
{
    return c->id == *(const int *)key;
}

static bool
vkMatchLegacy(vkDomainEventCallback *c, const void *key)
{
    return c->legacy && (const void *)c->cb == key;
}

/* ------------------------------------------------------------ public API */

int
virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                 virConnectDomainEventGenericCallback cb, void *opaque,
                                 virFreeCallback freecb)
{
    int id;

    VK_LOG_API("virConnectDomainEventRegisterAny",
               "conn=%p, dom=%p, eventID=%d, cb=%p, opaque=%p, freecb=%p",
               (void *)conn, (void *)dom, eventID, (void *)cb, opaque, (void *)freecb);
    virResetLastError();
    if (!vkCheckConn(conn, "virConnectDomainEventRegisterAny")) {
        vkErrorDispatch(NULL);
        return -1;
    }
    if (dom && (!vkCheckDomain(dom, "virConnectDomainEventRegisterAny") || dom->conn != conn)) {
        if (dom->magic == VK_MAGIC_DOMAIN)  /* libvirt's words */
            vkReportInvalidArg("domain '%s' must match connection", dom->name);
        goto error;
    }
    if (!cb) {
        vkReportNullArg("virConnectDomainEventRegisterAny", "cb");
        goto error;
    }
    if (eventID < 0 || eventID >= VIR_DOMAIN_EVENT_ID_LAST) {
        vkReportInvalidArg("eventID in %s must be less than %d, but it is %d",
                      "virConnectDomainEventRegisterAny", VIR_DOMAIN_EVENT_ID_LAST, eventID);
        goto error;
    }
    if ((id = vkDomainEventAdd(conn, dom, eventID, cb, opaque, freecb, false)) < 0)
        goto error;
    return id;

 error:
    vkErrorDispatch(conn);
    return -1;
}

int
virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    VK_LOG_API("virConnectDomainEventDeregisterAny", "conn=%p, callbackID=%d",
               (void *)conn, callbackID);
    virResetLastError();
    if (!vkCheckConn(conn, "virConnectDomainEventDeregisterAny")) {
        vkErrorDispatch(NULL);
        return -1;
    }
    if (callbackID < 0) {
        vkReportInvalidArg("callbackID in %s must be zero or greater",
                      "virConnectDomainEventDeregisterAny");
        goto error;
    }
    if (vkDomainEventRemove(conn, vkMatchID, &callbackID) < 0) {
        vkReportCallbackError("could not find event callback %d for deletion", callbackID);
        goto error;
    }
    return 0;

 error:
    vkErrorDispatch(conn);
    return -1;
}

int
virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                              void *opaque, virFreeCallback freecb)
{
    VK_LOG_API("virConnectDomainEventRegister", "conn=%p, cb=%p, opaque=%p, freecb=%p",
               (void *)conn, (void *)cb, opaque, (void *)freecb);
    virResetLastError();
    if (!vkCheckConn(conn, "virConnectDomainEventRegister")) {
        vkErrorDispatch(NULL);
        return -1;
    }
    if (!cb) {
        vkReportNullArg("virConnectDomainEventRegister", "cb");
        goto error;
    }
    if (vkDomainEventAdd(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                         (virConnectDomainEventGenericCallback)(void (*)(void))cb, opaque, freecb, true) < 0)
        goto error;
    /* libvirt returns 0 here, not the callback's id. */
    return 0;

 error:
    vkErrorDispatch(conn);
    return -1;
}

int
virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    VK_LOG_API("virConnectDomainEventDeregister", "conn=%p, cb=%p", (void *)conn, (void *)cb);
    virResetLastError();
    if (!vkCheckConn(conn, "virConnectDomainEventDeregister")) {
        vkErrorDispatch(NULL);
        return -1;
    }
    if (!cb) {
        vkReportNullArg("virConnectDomainEventDeregister", "cb");
        goto error;
    }
    if (vkDomainEventRemove(conn, vkMatchLegacy, (const void *)(virConnectDomainEventGenericCallback)(void (*)(void))cb) < 0) {
        vkReportCallbackError("could not find event callback for deletion");
        goto error;
    }
    return 0;

 error:
    vkErrorDispatch(conn);
    return -1;
}

/* ------------------------------------------------------------- delivery */

typedef struct {
    virConnectPtr conn;             /* referenced */
    virDomainPtr dom;               /* referenced (a copy of the plugin's handle) */
    virConnectDomainEventGenericCallback cb;
    void *opaque;
    virtkitDomainEvent ev;          /* strings and params owned */
} vkDomainEventDelivery;

static void
vkDomainEventDeliveryFree(void *data)
{
    vkDomainEventDelivery *d = data;

    g_free((char *)d->ev.str1);
    g_free((char *)d->ev.str2);
    g_free((char *)d->ev.str3);
    virTypedParamsFree(d->ev.params, d->ev.nparams);
    virDomainFree(d->dom);
    vkConnectUnref(d->conn);
    g_free(d);
}

static void
vkDomainEventDeliver(void *data)
{
    vkDomainEventDelivery *d = data;
    const virtkitDomainEvent *e = &d->ev;
    virConnectPtr c = d->conn;
    virDomainPtr dom = d->dom;
    void *o = d->opaque;

    switch (e->event_id) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        ((virConnectDomainEventCallback)(void (*)(void))d->cb)(c, dom, e->event, e->detail, o);
        break;
    case VIR_DOMAIN_EVENT_ID_REBOOT:
    case VIR_DOMAIN_EVENT_ID_CONTROL_ERROR:
        d->cb(c, dom, o);
        break;
    case VIR_DOMAIN_EVENT_ID_RTC_CHANGE:
        ((virConnectDomainEventRTCChangeCallback)(void (*)(void))d->cb)(c, dom, e->llong, o);
        break;
    case VIR_DOMAIN_EVENT_ID_WATCHDOG:
        ((virConnectDomainEventWatchdogCallback)(void (*)(void))d->cb)(c, dom, e->event, o);
        break;
    case VIR_DOMAIN_EVENT_ID_IO_ERROR:
        ((virConnectDomainEventIOErrorCallback)(void (*)(void))d->cb)(c, dom, e->str1, e->str2, e->event, o);
        break;
    case VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON:
        ((virConnectDomainEventIOErrorReasonCallback)(void (*)(void))d->cb)(c, dom, e->str1, e->str2, e->event,
                                                            e->str3, o);
        break;
    case VIR_DOMAIN_EVENT_ID_BLOCK_JOB:
    case VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2:
        ((virConnectDomainEventBlockJobCallback)(void (*)(void))d->cb)(c, dom, e->str1, e->event, e->detail, o);
        break;
    case VIR_DOMAIN_EVENT_ID_DISK_CHANGE:
        ((virConnectDomainEventDiskChangeCallback)(void (*)(void))d->cb)(c, dom, e->str1, e->str2, e->str3,
                                                         e->event, o);
        break;
    case VIR_DOMAIN_EVENT_ID_TRAY_CHANGE:
        ((virConnectDomainEventTrayChangeCallback)(void (*)(void))d->cb)(c, dom, e->str1, e->event, o);
        break;
    case VIR_DOMAIN_EVENT_ID_PMWAKEUP:
    case VIR_DOMAIN_EVENT_ID_PMSUSPEND:
    case VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK:
        ((virConnectDomainEventPMWakeupCallback)(void (*)(void))d->cb)(c, dom, e->event, o);
        break;
    case VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE:
        ((virConnectDomainEventBalloonChangeCallback)(void (*)(void))d->cb)(c, dom, e->ullong, o);
        break;
    case VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED:
    case VIR_DOMAIN_EVENT_ID_DEVICE_ADDED:
    case VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED:
        ((virConnectDomainEventDeviceRemovedCallback)(void (*)(void))d->cb)(c, dom, e->str1, o);
        break;
    case VIR_DOMAIN_EVENT_ID_TUNABLE:
    case VIR_DOMAIN_EVENT_ID_JOB_COMPLETED:
        ((virConnectDomainEventTunableCallback)(void (*)(void))d->cb)(c, dom, e->params, e->nparams, o);
        break;
    case VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE:
        ((virConnectDomainEventAgentLifecycleCallback)(void (*)(void))d->cb)(c, dom, e->event, e->detail, o);
        break;
    case VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION:
        ((virConnectDomainEventMigrationIterationCallback)(void (*)(void))d->cb)(c, dom, e->event, o);
        break;
    case VIR_DOMAIN_EVENT_ID_METADATA_CHANGE:
        ((virConnectDomainEventMetadataChangeCallback)(void (*)(void))d->cb)(c, dom, e->event, e->str1, o);
        break;
    case VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD:
        ((virConnectDomainEventBlockThresholdCallback)(void (*)(void))d->cb)(c, dom, e->str1, e->str2, e->ullong,
                                                             e->ullong2, o);
        break;
    case VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE:
        ((virConnectDomainEventMemoryFailureCallback)(void (*)(void))d->cb)(c, dom, e->event, e->detail,
                                                            e->flags, o);
        break;
    case VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE:
        ((virConnectDomainEventMemoryDeviceSizeChangeCallback)(void (*)(void))d->cb)(c, dom, e->str1, e->ullong, o);
        break;
    default:
        VK_DEBUG("event id %d is not carried; dropped", e->event_id);
        break;
    }
}

bool
vkDomainEventWanted(virConnectPtr conn, int event_id)
{
    bool wanted = false;

    if (!conn || !conn->events)
        return false;
    g_mutex_lock(&conn->events->lock);
    for (guint i = 0; i < conn->events->callbacks->len && !wanted; i++)
        wanted = ((vkDomainEventCallback *)g_ptr_array_index(conn->events->callbacks, i))->event_id
                 == event_id;
    g_mutex_unlock(&conn->events->lock);
    return wanted;
}

void
vkDomainEventEmit(virConnectPtr conn, virDomainPtr dom, const virtkitDomainEvent *ev)
{
    virtkitDomainEvent e = { 0 };
    GPtrArray *matched;

    if (!conn || !dom || !ev)
        return;
    /* A connection whose last reference is gone may still be named by a
     * plugin while it closes: nothing is delivered on it any more. */
    g_mutex_lock(&conn->lock);
    if (conn->closing || !conn->events) {
        g_mutex_unlock(&conn->lock);
        return;
    }
    g_mutex_unlock(&conn->lock);
    /* The plugin's struct may be older (shorter) than ours. */
    memcpy(&e, ev, MIN(ev->struct_size, sizeof(e)));

    matched = g_ptr_array_new();
    g_mutex_lock(&conn->events->lock);
    for (guint i = 0; i < conn->events->callbacks->len; i++) {
        vkDomainEventCallback *c = g_ptr_array_index(conn->events->callbacks, i);
        if (c->event_id != e.event_id)
            continue;
        if (c->has_filter && memcmp(c->filter, dom->uuid, VIR_UUID_BUFLEN) != 0)
            continue;
        {
            vkDomainEventDelivery *d;
            int r;

            /* Take a reference only while one is still held elsewhere: a
             * connection at zero is being freed. */
            do {
                r = g_atomic_int_get(&conn->refs);
            } while (r > 0 && !g_atomic_int_compare_and_exchange(&conn->refs, r, r + 1));
            if (r <= 0)
                break;
            d = g_new0(vkDomainEventDelivery, 1);
            d->conn = conn;
            d->dom = vkDomainNew(conn, dom->name, dom->uuid, dom->id);
            d->cb = c->cb;
            d->opaque = c->opaque;
            d->ev = e;
            d->ev.str1 = g_strdup(e.str1);
            d->ev.str2 = g_strdup(e.str2);
            d->ev.str3 = g_strdup(e.str3);
            d->ev.params = NULL;
            d->ev.nparams = 0;
            if (e.nparams > 0 && e.params) {
                d->ev.params = g_new0(virTypedParameter, e.nparams);
                d->ev.nparams = e.nparams;
                for (int k = 0; k < e.nparams; k++) {
                    d->ev.params[k] = e.params[k];
                    if (e.params[k].type == VIR_TYPED_PARAM_STRING)
                        d->ev.params[k].value.s = g_strdup(e.params[k].value.s);
                }
            }
            g_ptr_array_add(matched, d);
        }
    }
    g_mutex_unlock(&conn->events->lock);
    for (guint i = 0; i < matched->len; i++)
        vkEventRunCallback(vkDomainEventDeliver, g_ptr_array_index(matched, i),
                           vkDomainEventDeliveryFree);
    g_ptr_array_unref(matched);
}
