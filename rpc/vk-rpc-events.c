/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vk-rpc-events.c: domain events over the wire (protocol README section 5).
 *
 * A client registers in the callback style (316/317: the server picks a
 * callbackID, one counter for the whole daemon as libvirtd keeps it, and
 * every MESSAGE starts with it) or in the legacy style (167/168 per event
 * ID, 105/106 for lifecycle; MESSAGEs without callbackID).  Each
 * registration is one virConnectDomainEventRegisterAny on the client's
 * connection; the callbacks encode the event and queue it on the client.
 * Everything is deregistered when the client closes or goes away.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "vk-rpc-dispatch.h"
#include "vk-rpc-events.h"

/* The client as the event callbacks see it: they may run on the core's
 * thread while the client goes away, so they reach it only through this,
 * under its lock. */
struct _vkRpcEventSink {
    gint ref;
    GMutex lock;
    vkRpcClient *client;   /* NULL once the client is gone */
};

typedef struct {
    vkRpcEventSink *sink;
    int eventID;
    int serverID;          /* the callbackID the client knows; -1: legacy style */
    int coreID;            /* virConnectDomainEventRegisterAny's */
} vkRpcDomainEventReg;

struct _vkRpcDomainEvents {
    GMutex lock;
    GPtrArray *regs;       /* vkRpcDomainEventReg, freed by the core's freecb */
};

/* one counter for the daemon: libvirtd hands out increasing IDs across clients */
static gint vkRpcNextCallbackID;

vkRpcEventSink *
vkRpcEventSinkNew(vkRpcClient *client)
{
    vkRpcEventSink *s = g_new0(vkRpcEventSink, 1);

    s->ref = 1;
    g_mutex_init(&s->lock);
    s->client = client;
    return s;
}

static vkRpcEventSink *
vkRpcEventSinkRef(vkRpcEventSink *s)
{
    g_atomic_int_inc(&s->ref);
    return s;
}

void
vkRpcEventSinkUnref(vkRpcEventSink *s)
{
    if (s && g_atomic_int_dec_and_test(&s->ref)) {
        g_mutex_clear(&s->lock);
        g_free(s);
    }
}

void
vkRpcEventSinkDetach(vkRpcEventSink *s)
{
    g_mutex_lock(&s->lock);
    s->client = NULL;
    g_mutex_unlock(&s->lock);
}

vkRpcDomainEvents *
vkRpcDomainEventsNew(void)
{
    vkRpcDomainEvents *e = g_new0(vkRpcDomainEvents, 1);

    g_mutex_init(&e->lock);
    e->regs = g_ptr_array_new();
    return e;
}

void
vkRpcDomainEventsFree(vkRpcDomainEvents *e)
{
    if (!e)
        return;
    g_ptr_array_unref(e->regs);
    g_mutex_clear(&e->lock);
    g_free(e);
}

/* ------------------------------------------------------------ sending */

/* Pre-encoded bytes as a payload (the legacy form of a callback-style
 * message: the same XDR without the leading words). */
typedef struct {
    const char *data;
    u_int len;
} vkRpcRawPayload;

static bool_t
vkRpcXdrRaw(XDR *xdrs, vkRpcRawPayload *p)
{
    return xdr_opaque(xdrs, (char *)p->data, p->len);
}

/* Sends @msg (a callback-style message of @proc, filter @filter) as the
 * registration asks: as it is, or in the legacy form @legacyProc with the
 * first @skip bytes (callbackID, and the PM events' reason) left out. */
static void
vkRpcEventSend(vkRpcDomainEventReg *reg, int proc, int legacyProc, u_int skip,
               xdrproc_t filter, void *msg)
{
    vkRpcEventSink *s = reg->sink;

    g_mutex_lock(&s->lock);
    if (s->client) {
        if (reg->serverID >= 0) {
            vkRpcClientSendMessage(s->client, VK_RPC_REMOTE_PROGRAM, VK_RPC_REMOTE_VERSION,
                                   proc, filter, msg);
        } else if (legacyProc > 0) {
            u_int size = xdr_sizeof(filter, msg);
            char *buf = g_malloc(size);
            XDR x;

            xdrmem_create(&x, buf, size, XDR_ENCODE);
            if (filter(&x, msg) && xdr_getpos(&x) >= skip) {
                vkRpcRawPayload raw = { buf + skip, xdr_getpos(&x) - skip };

                vkRpcClientSendMessage(s->client, VK_RPC_REMOTE_PROGRAM, VK_RPC_REMOTE_VERSION,
                                       legacyProc, (xdrproc_t)vkRpcXdrRaw, &raw);
            }
            xdr_destroy(&x);
            g_free(buf);
        }
    }
    g_mutex_unlock(&s->lock);
}

static char *
vkRpcStr(const char *s)
{
    return g_strdup(s ? s : "");
}

static remote_string
vkRpcOptStr(const char *s)
{
    remote_string r = NULL;

    if (s) {
        r = g_new0(remote_nonnull_string, 1);
        *r = g_strdup(s);
    }
    return r;
}

/* The callbacks: one per event ID, each fills the callback-style message.
 * VK_EV_SEND frees it after sending. */
#define VK_EV_BEGIN(type) \
    vkRpcDomainEventReg *reg = opaque; \
    type msg; \
    memset(&msg, 0, sizeof(msg)); \
    msg.callbackID = reg->serverID; \
    vkRpcMakeDomain(&msg.dom, dom)

#define VK_EV_SEND(type, proc, legacy, skip) \
    vkRpcEventSend(reg, (proc), (legacy), (skip), (xdrproc_t)xdr_##type, &msg); \
    xdr_free((xdrproc_t)xdr_##type, (char *)&msg)

static int
vkRpcEvLifecycle(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, int event, int detail,
                 void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_lifecycle_msg);
    msg.event = event;
    msg.detail = detail;
    VK_EV_SEND(remote_domain_event_callback_lifecycle_msg, 318, 107, 4);
    return 0;
}

static void
vkRpcEvReboot(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_reboot_msg);
    VK_EV_SEND(remote_domain_event_callback_reboot_msg, 319, 169, 4);
}

static void
vkRpcEvRTCChange(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, long long offset,
                 void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_rtc_change_msg);
    msg.offset = offset;
    VK_EV_SEND(remote_domain_event_callback_rtc_change_msg, 320, 170, 4);
}

static void
vkRpcEvWatchdog(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, int action, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_watchdog_msg);
    msg.action = action;
    VK_EV_SEND(remote_domain_event_callback_watchdog_msg, 321, 171, 4);
}

static void
vkRpcEvIOError(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, const char *srcPath,
               const char *devAlias, int action, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_io_error_msg);
    msg.srcPath = vkRpcStr(srcPath);
    msg.devAlias = vkRpcStr(devAlias);
    msg.action = action;
    VK_EV_SEND(remote_domain_event_callback_io_error_msg, 322, 172, 4);
}

static void
vkRpcEvGraphics(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, int phase,
                const virDomainEventGraphicsAddress *local,
                const virDomainEventGraphicsAddress *remote, const char *authScheme,
                const virDomainEventGraphicsSubject *subject, void *opaque)
{
    int n = subject ? subject->nidentity : 0;
    VK_EV_BEGIN(remote_domain_event_callback_graphics_msg);

    if (n > REMOTE_DOMAIN_EVENT_GRAPHICS_IDENTITY_MAX)
        n = REMOTE_DOMAIN_EVENT_GRAPHICS_IDENTITY_MAX;
    msg.phase = phase;
    msg.local.family = local ? local->family : 0;
    msg.local.node = vkRpcStr(local ? local->node : NULL);
    msg.local.service = vkRpcStr(local ? local->service : NULL);
    msg.remote.family = remote ? remote->family : 0;
    msg.remote.node = vkRpcStr(remote ? remote->node : NULL);
    msg.remote.service = vkRpcStr(remote ? remote->service : NULL);
    msg.authScheme = vkRpcStr(authScheme);
    msg.subject.subject_val = calloc(n ? n : 1, sizeof(*msg.subject.subject_val));
    msg.subject.subject_len = n;
    for (int i = 0; i < n; i++) {
        msg.subject.subject_val[i].type = vkRpcStr(subject->identities[i].type);
        msg.subject.subject_val[i].name = vkRpcStr(subject->identities[i].name);
    }
    VK_EV_SEND(remote_domain_event_callback_graphics_msg, 323, 173, 4);
}

static void
vkRpcEvIOErrorReason(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, const char *srcPath,
                     const char *devAlias, int action, const char *reason, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_io_error_reason_msg);
    msg.srcPath = vkRpcStr(srcPath);
    msg.devAlias = vkRpcStr(devAlias);
    msg.action = action;
    msg.reason = vkRpcStr(reason);
    VK_EV_SEND(remote_domain_event_callback_io_error_reason_msg, 324, 195, 4);
}

static void
vkRpcEvControlError(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_control_error_msg);
    VK_EV_SEND(remote_domain_event_callback_control_error_msg, 325, 224, 4);
}

static void
vkRpcEvBlockJob(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, const char *disk, int type,
                int status, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_block_job_msg);
    msg.path = vkRpcStr(disk);
    msg.type = type;
    msg.status = status;
    VK_EV_SEND(remote_domain_event_callback_block_job_msg, 326, 241, 4);
}

static void
vkRpcEvDiskChange(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, const char *oldSrcPath,
                  const char *newSrcPath, const char *devAlias, int reason, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_disk_change_msg);
    msg.oldSrcPath = vkRpcOptStr(oldSrcPath);
    msg.newSrcPath = vkRpcOptStr(newSrcPath);
    msg.devAlias = vkRpcStr(devAlias);
    msg.reason = reason;
    VK_EV_SEND(remote_domain_event_callback_disk_change_msg, 327, 248, 4);
}

static void
vkRpcEvTrayChange(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, const char *devAlias,
                  int reason, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_tray_change_msg);
    msg.devAlias = vkRpcStr(devAlias);
    msg.reason = reason;
    VK_EV_SEND(remote_domain_event_callback_tray_change_msg, 328, 268, 4);
}

static void
vkRpcEvPMWakeup(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, int reason, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_pmwakeup_msg);
    msg.reason = reason;
    VK_EV_SEND(remote_domain_event_callback_pmwakeup_msg, 329, 269, 8);
}

static void
vkRpcEvPMSuspend(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, int reason, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_pmsuspend_msg);
    msg.reason = reason;
    VK_EV_SEND(remote_domain_event_callback_pmsuspend_msg, 330, 270, 8);
}

static void
vkRpcEvBalloonChange(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom,
                     unsigned long long actual, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_balloon_change_msg);
    msg.actual = actual;
    VK_EV_SEND(remote_domain_event_callback_balloon_change_msg, 331, 276, 4);
}

static void
vkRpcEvPMSuspendDisk(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, int reason, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_pmsuspend_disk_msg);
    msg.reason = reason;
    VK_EV_SEND(remote_domain_event_callback_pmsuspend_disk_msg, 332, 292, 8);
}

static void
vkRpcEvDeviceRemoved(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, const char *devAlias,
                     void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_device_removed_msg);
    msg.devAlias = vkRpcStr(devAlias);
    VK_EV_SEND(remote_domain_event_callback_device_removed_msg, 333, 311, 4);
}

/* event IDs 16 and up exist in the callback style only */

static void
vkRpcEvBlockJob2(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, const char *disk, int type,
                 int status, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_block_job_2_msg);
    msg.dst = vkRpcStr(disk);
    msg.type = type;
    msg.status = status;
    VK_EV_SEND(remote_domain_event_block_job_2_msg, 339, 0, 0);
}

static void
vkRpcEvTunable(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, virTypedParameterPtr params,
               int nparams, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_tunable_msg);
    if (vkRpcParamsToWire(params, nparams, REMOTE_DOMAIN_EVENT_TUNABLE_MAX,
                          &msg.params.params_val, &msg.params.params_len,
                          VK_RPC_TYPED_PARAM_STRING_OKAY) == 0) {
        VK_EV_SEND(remote_domain_event_callback_tunable_msg, 346, 0, 0);
    } else {
        xdr_free((xdrproc_t)xdr_remote_domain_event_callback_tunable_msg, (char *)&msg);
    }
}

static void
vkRpcEvAgentLifecycle(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, int state, int reason,
                      void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_agent_lifecycle_msg);
    msg.state = state;
    msg.reason = reason;
    VK_EV_SEND(remote_domain_event_callback_agent_lifecycle_msg, 348, 0, 0);
}

static void
vkRpcEvDeviceAdded(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, const char *devAlias,
                   void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_device_added_msg);
    msg.devAlias = vkRpcStr(devAlias);
    VK_EV_SEND(remote_domain_event_callback_device_added_msg, 354, 0, 0);
}

static void
vkRpcEvMigrationIteration(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, int iteration,
                          void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_migration_iteration_msg);
    msg.iteration = iteration;
    VK_EV_SEND(remote_domain_event_callback_migration_iteration_msg, 359, 0, 0);
}

static void
vkRpcEvJobCompleted(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom,
                    virTypedParameterPtr params, int nparams, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_job_completed_msg);
    if (vkRpcParamsToWire(params, nparams, REMOTE_DOMAIN_JOB_STATS_MAX,
                          &msg.params.params_val, &msg.params.params_len,
                          VK_RPC_TYPED_PARAM_STRING_OKAY) == 0) {
        VK_EV_SEND(remote_domain_event_callback_job_completed_msg, 363, 0, 0);
    } else {
        xdr_free((xdrproc_t)xdr_remote_domain_event_callback_job_completed_msg, (char *)&msg);
    }
}

static void
vkRpcEvDeviceRemovalFailed(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom,
                           const char *devAlias, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_device_removal_failed_msg);
    msg.devAlias = vkRpcStr(devAlias);
    VK_EV_SEND(remote_domain_event_callback_device_removal_failed_msg, 367, 0, 0);
}

static void
vkRpcEvMetadataChange(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, int type,
                      const char *nsuri, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_callback_metadata_change_msg);
    msg.type = type;
    msg.nsuri = vkRpcOptStr(nsuri);
    VK_EV_SEND(remote_domain_event_callback_metadata_change_msg, 379, 0, 0);
}

static void
vkRpcEvBlockThreshold(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, const char *dev,
                      const char *path, unsigned long long threshold, unsigned long long excess,
                      void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_block_threshold_msg);
    msg.dev = vkRpcStr(dev);
    msg.path = vkRpcOptStr(path);
    msg.threshold = threshold;
    msg.excess = excess;
    VK_EV_SEND(remote_domain_event_block_threshold_msg, 385, 0, 0);
}

static void
vkRpcEvMemoryFailure(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom, int recipient,
                     int action, unsigned int flags, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_memory_failure_msg);
    msg.recipient = recipient;
    msg.action = action;
    msg.flags = flags;
    VK_EV_SEND(remote_domain_event_memory_failure_msg, 423, 0, 0);
}

static void
vkRpcEvMemoryDeviceSizeChange(virConnectPtr conn G_GNUC_UNUSED, virDomainPtr dom,
                              const char *alias, unsigned long long size, void *opaque)
{
    VK_EV_BEGIN(remote_domain_event_memory_device_size_change_msg);
    msg.alias = vkRpcStr(alias);
    msg.size = size;
    VK_EV_SEND(remote_domain_event_memory_device_size_change_msg, 438, 0, 0);
}

/* indexed by virDomainEventID; the casts are libvirt's documented
 * VIR_DOMAIN_EVENT_CALLBACK() between callback types */
#define VK_EV_CB(fn) ((virConnectDomainEventGenericCallback)(void (*)(void))(fn))
static const virConnectDomainEventGenericCallback vkRpcEventCallbacks[] = {
    VK_EV_CB(vkRpcEvLifecycle), VK_EV_CB(vkRpcEvReboot), VK_EV_CB(vkRpcEvRTCChange),
    VK_EV_CB(vkRpcEvWatchdog), VK_EV_CB(vkRpcEvIOError), VK_EV_CB(vkRpcEvGraphics),
    VK_EV_CB(vkRpcEvIOErrorReason), VK_EV_CB(vkRpcEvControlError), VK_EV_CB(vkRpcEvBlockJob),
    VK_EV_CB(vkRpcEvDiskChange), VK_EV_CB(vkRpcEvTrayChange), VK_EV_CB(vkRpcEvPMWakeup),
    VK_EV_CB(vkRpcEvPMSuspend), VK_EV_CB(vkRpcEvBalloonChange), VK_EV_CB(vkRpcEvPMSuspendDisk),
    VK_EV_CB(vkRpcEvDeviceRemoved), VK_EV_CB(vkRpcEvBlockJob2), VK_EV_CB(vkRpcEvTunable),
    VK_EV_CB(vkRpcEvAgentLifecycle), VK_EV_CB(vkRpcEvDeviceAdded),
    VK_EV_CB(vkRpcEvMigrationIteration), VK_EV_CB(vkRpcEvJobCompleted),
    VK_EV_CB(vkRpcEvDeviceRemovalFailed), VK_EV_CB(vkRpcEvMetadataChange),
    VK_EV_CB(vkRpcEvBlockThreshold), VK_EV_CB(vkRpcEvMemoryFailure),
    VK_EV_CB(vkRpcEvMemoryDeviceSizeChange),
};
G_STATIC_ASSERT(G_N_ELEMENTS(vkRpcEventCallbacks) == VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1);

/* the last event ID with a legacy (no callbackID) message */
#define VK_RPC_LEGACY_EVENT_LAST VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED

/* ------------------------------------------------------------ registration */

static void
vkRpcEventRegFree(void *opaque)
{
    vkRpcDomainEventReg *reg = opaque;

    vkRpcEventSinkUnref(reg->sink);
    g_free(reg);
}

/* Registers @eventID (filtered to @dom if not NULL) for the client; the
 * new registration's server ID is returned in *serverID (-1: legacy). */
static int
vkRpcEventRegister(vkRpcDomainEvents *e, vkRpcEventSink *sink, virConnectPtr conn,
                   virDomainPtr dom, int eventID, bool legacy, int *serverID)
{
    vkRpcDomainEventReg *reg;
    int id;

    if (eventID < 0 || eventID >= (int)G_N_ELEMENTS(vkRpcEventCallbacks) ||
        (legacy && eventID > VK_RPC_LEGACY_EVENT_LAST)) {
        vkRpcReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                         "internal error: unsupported event ID %d", eventID);
        return -1;
    }
    g_mutex_lock(&e->lock);
    if (legacy) {
        for (guint i = 0; i < e->regs->len; i++) {
            vkRpcDomainEventReg *r = g_ptr_array_index(e->regs, i);

            if (r->serverID < 0 && r->eventID == eventID) {
                g_mutex_unlock(&e->lock);
                vkRpcReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                                 "internal error: domain event %d already registered", eventID);
                return -1;
            }
        }
    }
    reg = g_new0(vkRpcDomainEventReg, 1);
    reg->sink = vkRpcEventSinkRef(sink);
    reg->eventID = eventID;
    reg->serverID = legacy ? -1 : g_atomic_int_add(&vkRpcNextCallbackID, 1);
    /* the lock is held across the registration so a concurrent deregister
     * of the same ID cannot miss it; the callbacks never take it */
    id = virConnectDomainEventRegisterAny(conn, dom, eventID, vkRpcEventCallbacks[eventID],
                                          reg, vkRpcEventRegFree);
    if (id < 0) {
        g_mutex_unlock(&e->lock);
        vkRpcEventSinkUnref(reg->sink);
        g_free(reg);
        return -1;
    }
    reg->coreID = id;
    g_ptr_array_add(e->regs, reg);
    *serverID = reg->serverID;
    g_mutex_unlock(&e->lock);
    return 0;
}

/* Drops the registration with server ID @serverID, or the legacy one of
 * @eventID when @serverID is -1. */
static int
vkRpcEventDeregister(vkRpcDomainEvents *e, virConnectPtr conn, int serverID, int eventID)
{
    int coreID = -1;

    g_mutex_lock(&e->lock);
    for (guint i = 0; i < e->regs->len; i++) {
        vkRpcDomainEventReg *r = g_ptr_array_index(e->regs, i);

        if (serverID >= 0 ? r->serverID == serverID : (r->serverID < 0 && r->eventID == eventID)) {
            coreID = r->coreID;
            g_ptr_array_remove_index_fast(e->regs, i);
            break;
        }
    }
    g_mutex_unlock(&e->lock);
    if (coreID < 0) {
        if (serverID >= 0)
            vkRpcReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                             "internal error: no domain event callback %d registered", serverID);
        else
            vkRpcReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                             "internal error: domain event %d not registered", eventID);
        return -1;
    }
    /* the core frees the registration (vkRpcEventRegFree) once no callback runs */
    return virConnectDomainEventDeregisterAny(conn, coreID) < 0 ? -1 : 0;
}

void
vkRpcDomainEventsDropAll(vkRpcDomainEvents *e, virConnectPtr conn)
{
    GPtrArray *regs;

    g_mutex_lock(&e->lock);
    regs = e->regs;
    e->regs = g_ptr_array_new();
    g_mutex_unlock(&e->lock);
    for (guint i = 0; i < regs->len; i++) {
        vkRpcDomainEventReg *r = g_ptr_array_index(regs, i);

        virConnectDomainEventDeregisterAny(conn, r->coreID);
    }
    g_ptr_array_unref(regs);
}

guint
vkRpcDomainEventsCount(vkRpcDomainEvents *e)
{
    guint n;

    g_mutex_lock(&e->lock);
    n = e->regs->len;
    g_mutex_unlock(&e->lock);
    return n;
}

/* ------------------------------------------------------------ the procedures */

int
vkRpcRemoteConnectDomainEventCallbackRegisterAny(vkRpcClient *client,
                                                 const vkRpcHeader *hdr G_GNUC_UNUSED,
                                                 void *a, void *r)
{
    remote_connect_domain_event_callback_register_any_args *args = a;
    remote_connect_domain_event_callback_register_any_ret *ret = r;
    virConnectPtr conn = vkRpcDispatchConn(client);
    virDomainPtr dom = NULL;
    int rv = -1, id;
    virErrorPtr saved;

    if (!conn)
        return -1;
    if (args->dom && !(dom = vkRpcGetDomain(conn, args->dom)))
        goto cleanup;
    if (vkRpcEventRegister(vkRpcDispatchEvents(client), vkRpcDispatchSink(client), conn, dom,
                           args->eventID, false, &id) < 0)
        goto cleanup;
    ret->callbackID = id;
    rv = 0;

 cleanup:
    saved = vkRpcErrorSave(rv);
    if (dom)
        virDomainFree(dom);
    virConnectClose(conn);
    vkRpcErrorRestore(saved);
    return rv;
}

int
vkRpcRemoteConnectDomainEventCallbackDeregisterAny(vkRpcClient *client,
                                                   const vkRpcHeader *hdr G_GNUC_UNUSED,
                                                   void *a, void *r G_GNUC_UNUSED)
{
    remote_connect_domain_event_callback_deregister_any_args *args = a;
    virConnectPtr conn = vkRpcDispatchConn(client);
    int rv;
    virErrorPtr saved;

    if (!conn)
        return -1;
    if (args->callbackID < 0) {
        vkRpcReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                         "internal error: no domain event callback %d registered",
                         args->callbackID);
        rv = -1;
    } else {
        rv = vkRpcEventDeregister(vkRpcDispatchEvents(client), conn, args->callbackID, -1);
    }
    saved = vkRpcErrorSave(rv);
    virConnectClose(conn);
    vkRpcErrorRestore(saved);
    return rv;
}

static int
vkRpcLegacyRegister(vkRpcClient *client, int eventID, bool add)
{
    virConnectPtr conn = vkRpcDispatchConn(client);
    int rv, id;
    virErrorPtr saved;

    if (!conn)
        return -1;
    if (add)
        rv = vkRpcEventRegister(vkRpcDispatchEvents(client), vkRpcDispatchSink(client), conn,
                                NULL, eventID, true, &id);
    else
        rv = vkRpcEventDeregister(vkRpcDispatchEvents(client), conn, -1, eventID);
    saved = vkRpcErrorSave(rv);
    virConnectClose(conn);
    vkRpcErrorRestore(saved);
    return rv;
}

int
vkRpcRemoteConnectDomainEventRegisterAny(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                         void *a, void *r G_GNUC_UNUSED)
{
    remote_connect_domain_event_register_any_args *args = a;

    return vkRpcLegacyRegister(client, args->eventID, true);
}

int
vkRpcRemoteConnectDomainEventDeregisterAny(vkRpcClient *client,
                                           const vkRpcHeader *hdr G_GNUC_UNUSED,
                                           void *a, void *r G_GNUC_UNUSED)
{
    remote_connect_domain_event_deregister_any_args *args = a;

    return vkRpcLegacyRegister(client, args->eventID, false);
}

int
vkRpcRemoteConnectDomainEventRegister(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                      void *a G_GNUC_UNUSED, void *r)
{
    remote_connect_domain_event_register_ret *ret = r;

    if (vkRpcLegacyRegister(client, VIR_DOMAIN_EVENT_ID_LIFECYCLE, true) < 0)
        return -1;
    ret->cb_registered = 1;
    return 0;
}

int
vkRpcRemoteConnectDomainEventDeregister(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                        void *a G_GNUC_UNUSED, void *r)
{
    remote_connect_domain_event_deregister_ret *ret = r;

    if (vkRpcLegacyRegister(client, VIR_DOMAIN_EVENT_ID_LIFECYCLE, false) < 0)
        return -1;
    ret->cb_registered = 0;
    return 0;
}
