/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vk-rpc-dispatch.c: the per-client dispatch state and the procedures of
 * libvirt's remote program that have no regular shape (impl=hand in
 * rpc/remote.procs): opening and closing the connection, features, auth,
 * close callbacks, domain events, security labels and models, messages.
 * The regular procedures are generated (vk-rpc-remote-table.c).
 *
 * virtkitd is one more application of the core: every call goes through
 * the public API on the connection CONNECT_OPEN opened for the client.
 */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vk-rpc-dispatch.h"
#include "vk-dispatch.h"
#include "vk-rpc-events.h"

#include <virtkit/virtkit-own.h>
#include <virtkit/virtkit-plugin.h>

/* libvirt's REMOTE_AUTH_NONE */
#define VK_RPC_AUTH_NONE 0

/* CONNECT_EVENT_CONNECTION_CLOSED, the close callback's MESSAGE */
#define VK_RPC_PROC_CONNECT_EVENT_CONNECTION_CLOSED 362

typedef struct {
    vkRpcClient *client;
    GMutex lock;
    virConnectPtr conn;          /* NULL until CONNECT_OPEN succeeded */
    bool closeRegistered;        /* CONNECT_REGISTER_CLOSE_CALLBACK asked */
    vkRpcDomainEvents *events;   /* domain event registrations (vk-rpc-events.c) */
    vkRpcEventSink *sink;        /* what the event callbacks send through */
} vkRpcDispatchClient;

/* ------------------------------------------------------------ errors */

void
vkRpcReportError(int domain, int code, const char *fmt, ...)
{
    virError err;
    va_list ap;

    memset(&err, 0, sizeof(err));
    va_start(ap, fmt);
    err.message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    err.code = code;
    err.domain = domain;
    err.level = VIR_ERR_ERROR;
    err.int1 = -1;
    err.int2 = -1;
    virtkitSetLastError(&err);
    g_free(err.message);
}

void
vkRpcReportLimit(const char *what, long long value, long long max)
{
    vkRpcReportError(VIR_FROM_RPC, VIR_ERR_RPC,
                     "too many %s: %lld, the protocol's limit is %lld", what, value, max);
}

virErrorPtr
vkRpcErrorSave(int rv)
{
    return rv < 0 ? virSaveLastError() : NULL;
}

void
vkRpcErrorRestore(virErrorPtr saved)
{
    if (!saved)
        return;
    virtkitSetLastError(saved);
    virFreeError(saved);
}

/* The end of a hand-written handler: frees what it held, keeping the
 * error of a failure (@rv < 0). */
static void
vkRpcRelease(int rv, virDomainPtr dom, virConnectPtr conn)
{
    virErrorPtr saved = vkRpcErrorSave(rv);

    if (dom)
        virDomainFree(dom);
    if (conn)
        virConnectClose(conn);
    vkRpcErrorRestore(saved);
}

static void
vkRpcReportNotOpen(void)
{
    vkRpcReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                     "internal error: hypervisor connection not open");
}

/* ------------------------------------------------------------ client state */

static vkRpcDispatchClient *
vkRpcDispatchData(vkRpcClient *client)
{
    return vkRpcClientGetDispatchData(client);
}

void *
vkRpcDispatchClientNew(vkRpcClient *client)
{
    vkRpcDispatchClient *c = g_new0(vkRpcDispatchClient, 1);

    c->client = client;
    g_mutex_init(&c->lock);
    c->events = vkRpcDomainEventsNew();
    c->sink = vkRpcEventSinkNew(client);
    return c;
}

bool
vkRpcDispatchClientIsOpen(void *data)
{
    vkRpcDispatchClient *c = data;
    bool open;

    g_mutex_lock(&c->lock);
    open = c->conn != NULL;
    g_mutex_unlock(&c->lock);
    return open;
}

virConnectPtr
vkRpcDispatchConn(vkRpcClient *client)
{
    vkRpcDispatchClient *c = vkRpcDispatchData(client);
    virConnectPtr conn;

    g_mutex_lock(&c->lock);
    conn = c->conn;
    if (conn)
        virConnectRef(conn);
    g_mutex_unlock(&c->lock);
    if (!conn)
        vkRpcReportNotOpen();
    return conn;
}

static void vkRpcCloseCallback(virConnectPtr conn, int reason, void *opaque);

/* Undoes everything the client registered on @conn and closes it.  Called
 * with the client's lock not held; @conn is no longer c->conn. */
static void
vkRpcDispatchCloseConn(vkRpcDispatchClient *c, virConnectPtr conn, bool closeRegistered)
{
    if (!conn)
        return;
    vkRpcDomainEventsDropAll(c->events, conn);
    if (closeRegistered)
        virConnectUnregisterCloseCallback(conn, vkRpcCloseCallback);
    virConnectClose(conn);
}

void
vkRpcDispatchClientFree(void *data)
{
    vkRpcDispatchClient *c = data;
    virConnectPtr conn;
    bool closeRegistered;

    if (!c)
        return;
    g_mutex_lock(&c->lock);
    conn = c->conn;
    c->conn = NULL;
    closeRegistered = c->closeRegistered;
    c->closeRegistered = false;
    g_mutex_unlock(&c->lock);
    vkRpcDispatchCloseConn(c, conn, closeRegistered);
    /* an event callback still running finishes before this returns */
    vkRpcEventSinkDetach(c->sink);
    vkRpcEventSinkUnref(c->sink);
    vkRpcDomainEventsFree(c->events);
    g_mutex_clear(&c->lock);
    g_free(c);
}

/* ------------------------------------------------------------ handles */

/* A handle from the wire is made, not looked up, as libvirt's daemon makes
 * it (virGetDomain and kin): the driver then answers for an object that is
 * gone with its own error and message ("no domain with matching uuid
 * '...' (name)"), and a call costs no extra lookup. */

virDomainPtr
vkRpcGetDomain(virConnectPtr conn, const remote_nonnull_domain *d)
{
    return vkDomainNew(conn, d->name, (const unsigned char *)d->uuid, d->id);
}

virDomainSnapshotPtr
vkRpcGetSnapshot(virConnectPtr conn, const remote_nonnull_domain_snapshot *s)
{
    virDomainPtr dom = vkRpcGetDomain(conn, &s->dom);
    virDomainSnapshotPtr snap;

    if (!dom)
        return NULL;
    snap = vkSnapshotNew(dom, s->name);
    virDomainFree(dom);     /* the snapshot holds its domain */
    return snap;
}

virStoragePoolPtr
vkRpcGetPool(virConnectPtr conn, const remote_nonnull_storage_pool *p)
{
    return vkPoolNew(conn, p->name, (const unsigned char *)p->uuid);
}

virStorageVolPtr
vkRpcGetVol(virConnectPtr conn, const remote_nonnull_storage_vol *v)
{
    return vkVolNew(conn, v->pool, v->name, v->key);
}

void
vkRpcMakeDomain(remote_nonnull_domain *d, virDomainPtr dom)
{
    d->name = g_strdup(virDomainGetName(dom));
    virDomainGetUUID(dom, (unsigned char *)d->uuid);
    d->id = (int)virDomainGetID(dom);
}

void
vkRpcMakeSnapshot(remote_nonnull_domain_snapshot *s, virDomainSnapshotPtr snap)
{
    s->name = g_strdup(virDomainSnapshotGetName(snap));
    vkRpcMakeDomain(&s->dom, virDomainSnapshotGetDomain(snap));
}

void
vkRpcMakePool(remote_nonnull_storage_pool *p, virStoragePoolPtr pool)
{
    p->name = g_strdup(virStoragePoolGetName(pool));
    virStoragePoolGetUUID(pool, (unsigned char *)p->uuid);
}

void
vkRpcMakeVol(remote_nonnull_storage_vol *v, virStorageVolPtr vol)
{
    virStoragePoolPtr pool = virStoragePoolLookupByVolume(vol);

    v->pool = g_strdup(pool ? virStoragePoolGetName(pool) : "");
    if (pool)
        virStoragePoolFree(pool);
    v->name = g_strdup(virStorageVolGetName(vol));
    v->key = g_strdup(virStorageVolGetKey(vol));
}

/* ------------------------------------------------------------ typed parameters */

int
vkRpcParamsToWire(virTypedParameterPtr params, int nparams, int max,
                  remote_typed_param **out, u_int *outlen, unsigned int flags)
{
    remote_typed_param *w;
    u_int n = 0;

    if (nparams > max) {
        vkRpcReportLimit("typed parameters", nparams, max);
        return -1;
    }
    w = calloc(nparams > 0 ? nparams : 1, sizeof(*w));
    if (!w)
        g_error("out of memory");
    for (int i = 0; i < nparams; i++) {
        virTypedParameterPtr p = &params[i];
        remote_typed_param *q = &w[n];

        if (p->type == VIR_TYPED_PARAM_STRING && !(flags & VK_RPC_TYPED_PARAM_STRING_OKAY))
            continue;
        if (!p->field[0])
            continue;   /* a hole of virDomainGetCPUStats' per-CPU table */
        q->value.type = p->type;
        switch (p->type) {
        case VIR_TYPED_PARAM_INT:
            q->value.remote_typed_param_value_u.i = p->value.i;
            break;
        case VIR_TYPED_PARAM_UINT:
            q->value.remote_typed_param_value_u.ui = p->value.ui;
            break;
        case VIR_TYPED_PARAM_LLONG:
            q->value.remote_typed_param_value_u.l = p->value.l;
            break;
        case VIR_TYPED_PARAM_ULLONG:
            q->value.remote_typed_param_value_u.ul = p->value.ul;
            break;
        case VIR_TYPED_PARAM_DOUBLE:
            q->value.remote_typed_param_value_u.d = p->value.d;
            break;
        case VIR_TYPED_PARAM_BOOLEAN:
            q->value.remote_typed_param_value_u.b = p->value.b;
            break;
        case VIR_TYPED_PARAM_STRING:
            q->value.remote_typed_param_value_u.s = g_strdup(p->value.s ? p->value.s : "");
            break;
        default:
            vkRpcReportError(VIR_FROM_RPC, VIR_ERR_RPC,
                             "typed parameter '%s' has unknown type %d", p->field, p->type);
            *out = w;
            *outlen = n;
            return -1;
        }
        q->field = g_strndup(p->field, VIR_TYPED_PARAM_FIELD_LENGTH);
        n++;
    }
    *out = w;
    *outlen = n;
    return 0;
}

int
vkRpcParamsFromWire(const remote_typed_param *in, u_int inlen, int max,
                    virTypedParameterPtr *out, int *nout)
{
    virTypedParameterPtr p;

    *out = NULL;
    *nout = 0;
    if (inlen > (u_int)max) {
        vkRpcReportLimit("typed parameters", inlen, max);
        return -1;
    }
    p = g_new0(virTypedParameter, inlen ? inlen : 1);
    for (u_int i = 0; i < inlen; i++) {
        const remote_typed_param *q = &in[i];

        if (strlen(q->field) >= VIR_TYPED_PARAM_FIELD_LENGTH) {
            vkRpcReportError(VIR_FROM_RPC, VIR_ERR_RPC,
                             "typed parameter name '%.*s...' is longer than %d characters",
                             VIR_TYPED_PARAM_FIELD_LENGTH - 1, q->field,
                             VIR_TYPED_PARAM_FIELD_LENGTH - 1);
            goto error;
        }
        g_strlcpy(p[i].field, q->field, VIR_TYPED_PARAM_FIELD_LENGTH);
        p[i].type = q->value.type;
        switch (q->value.type) {
        case VIR_TYPED_PARAM_INT:
            p[i].value.i = q->value.remote_typed_param_value_u.i;
            break;
        case VIR_TYPED_PARAM_UINT:
            p[i].value.ui = q->value.remote_typed_param_value_u.ui;
            break;
        case VIR_TYPED_PARAM_LLONG:
            p[i].value.l = q->value.remote_typed_param_value_u.l;
            break;
        case VIR_TYPED_PARAM_ULLONG:
            p[i].value.ul = q->value.remote_typed_param_value_u.ul;
            break;
        case VIR_TYPED_PARAM_DOUBLE:
            p[i].value.d = q->value.remote_typed_param_value_u.d;
            break;
        case VIR_TYPED_PARAM_BOOLEAN:
            p[i].value.b = q->value.remote_typed_param_value_u.b != 0;
            break;
        case VIR_TYPED_PARAM_STRING:
            p[i].value.s = g_strdup(q->value.remote_typed_param_value_u.s);
            break;
        default:
            /* xdr refuses an unknown discriminant before we get here */
            vkRpcReportError(VIR_FROM_RPC, VIR_ERR_RPC,
                             "typed parameter '%s' has unknown type %d", q->field, q->value.type);
            goto error;
        }
        (*nout)++;
    }
    *out = p;
    return 0;

 error:
    virTypedParamsFree(p, *nout);
    *nout = 0;
    return -1;
}

/* ------------------------------------------------------------ connection */

int
vkRpcRemoteConnectOpen(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                       void *a, void *r G_GNUC_UNUSED)
{
    remote_connect_open_args *args = a;
    vkRpcDispatchClient *c = vkRpcDispatchData(client);
    const char *name = args->name ? *args->name : NULL;
    unsigned int flags = args->flags;
    virConnectPtr conn, old;
    bool closeRegistered;

    if (vkRpcClientIsReadonly(client))
        flags |= VIR_CONNECT_RO;

    g_mutex_lock(&c->lock);
    old = c->conn;
    if (old) {
        /* libvirtd 9.0 refuses a second open and drops the first one
         * (protocol README 1.5): the client is left unopened. */
        c->conn = NULL;
        closeRegistered = c->closeRegistered;
        c->closeRegistered = false;
        g_mutex_unlock(&c->lock);
        vkRpcDispatchCloseConn(c, old, closeRegistered);
        vkRpcReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                         "internal error: connection already open");
        return -1;
    }
    g_mutex_unlock(&c->lock);

    if (!(conn = virConnectOpenAuth(name, NULL, flags)))
        return -1;

    g_mutex_lock(&c->lock);
    if (c->conn) {
        /* another worker opened meanwhile: the same answer as above */
        g_mutex_unlock(&c->lock);
        virConnectClose(conn);
        vkRpcReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                         "internal error: connection already open");
        return -1;
    }
    c->conn = conn;
    g_mutex_unlock(&c->lock);
    return 0;
}

int
vkRpcRemoteConnectClose(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                        void *a G_GNUC_UNUSED, void *r G_GNUC_UNUSED)
{
    vkRpcDispatchClient *c = vkRpcDispatchData(client);
    virConnectPtr conn;
    bool closeRegistered;

    /* The runtime closes the socket once the reply is out. */
    g_mutex_lock(&c->lock);
    conn = c->conn;
    c->conn = NULL;
    closeRegistered = c->closeRegistered;
    c->closeRegistered = false;
    g_mutex_unlock(&c->lock);
    vkRpcDispatchCloseConn(c, conn, closeRegistered);
    return 0;
}

int
vkRpcRemoteAuthList(vkRpcClient *client G_GNUC_UNUSED, const vkRpcHeader *hdr G_GNUC_UNUSED,
                    void *a G_GNUC_UNUSED, void *r)
{
    remote_auth_list_ret *ret = r;

    /* unix sockets: access is by the socket's permissions */
    ret->types.types_val = calloc(1, sizeof(int));
    if (!ret->types.types_val)
        g_error("out of memory");
    ret->types.types_val[0] = VK_RPC_AUTH_NONE;
    ret->types.types_len = 1;
    return 0;
}

int
vkRpcRemoteConnectSupportsFeature(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                  void *a, void *r)
{
    remote_connect_supports_feature_args *args = a;
    remote_connect_supports_feature_ret *ret = r;
    virConnectPtr conn;
    int s;

    /* Keepalive is the runtime's: answered before CONNECT_OPEN too. */
    if (args->feature == VIRTKIT_DRV_FEATURE_PROGRAM_KEEPALIVE) {
        vkRpcClientEnableKeepalive(client);
        ret->supported = 1;
        return 0;
    }
    if (!(conn = vkRpcDispatchConn(client)))
        return -1;
    switch (args->feature) {
    case VIRTKIT_DRV_FEATURE_REMOTE_EVENT_CALLBACK:
    case VIRTKIT_DRV_FEATURE_REMOTE_CLOSE_CALLBACK:
        /* the daemon's own: events and close callbacks over the wire */
        s = 1;
        break;
    case VIRTKIT_DRV_FEATURE_FD_PASSING:
    case VIRTKIT_DRV_FEATURE_TYPED_PARAM_STRING:
    case VIRTKIT_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER:
        /* libvirtd answers these yes for every driver */
        s = 1;
        break;
    default:
        s = virtkitConnectSupportsFeature(conn, args->feature);
        break;
    }
    vkRpcRelease(s, NULL, conn);
    if (s < 0)
        return -1;
    /* string typed parameters then follow libvirtd's rule: a call's
     * VIR_TYPED_PARAM_STRING_OKAY flag (vkRpcParamsToWire) */
    ret->supported = s;
    return 0;
}

static void
vkRpcCloseCallback(virConnectPtr conn G_GNUC_UNUSED, int reason, void *opaque)
{
    vkRpcDispatchClient *c = opaque;
    remote_connect_event_connection_closed_msg msg = { .reason = reason };

    vkRpcClientSendMessage(c->client, VK_RPC_REMOTE_PROGRAM, VK_RPC_REMOTE_VERSION,
                           VK_RPC_PROC_CONNECT_EVENT_CONNECTION_CLOSED,
                           (xdrproc_t)xdr_remote_connect_event_connection_closed_msg, &msg);
}

int
vkRpcRemoteConnectRegisterCloseCallback(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                        void *a G_GNUC_UNUSED, void *r G_GNUC_UNUSED)
{
    vkRpcDispatchClient *c = vkRpcDispatchData(client);
    virConnectPtr conn = vkRpcDispatchConn(client);
    int rv = -1;

    if (!conn)
        return -1;
    g_mutex_lock(&c->lock);
    if (c->closeRegistered) {
        vkRpcReportError(VIR_FROM_RPC, VIR_ERR_OPERATION_INVALID,
                         "operation is not valid: a close callback is already registered");
    } else if (virConnectRegisterCloseCallback(conn, vkRpcCloseCallback, c, NULL) == 0) {
        c->closeRegistered = true;
        rv = 0;
    }
    g_mutex_unlock(&c->lock);
    vkRpcRelease(rv, NULL, conn);
    return rv;
}

int
vkRpcRemoteConnectUnregisterCloseCallback(vkRpcClient *client,
                                          const vkRpcHeader *hdr G_GNUC_UNUSED,
                                          void *a G_GNUC_UNUSED, void *r G_GNUC_UNUSED)
{
    vkRpcDispatchClient *c = vkRpcDispatchData(client);
    virConnectPtr conn = vkRpcDispatchConn(client);
    int rv = -1;

    if (!conn)
        return -1;
    g_mutex_lock(&c->lock);
    if (!c->closeRegistered) {
        vkRpcReportError(VIR_FROM_RPC, VIR_ERR_OPERATION_INVALID,
                         "operation is not valid: no close callback is registered");
    } else if (virConnectUnregisterCloseCallback(conn, vkRpcCloseCallback) == 0) {
        c->closeRegistered = false;
        rv = 0;
    }
    g_mutex_unlock(&c->lock);
    vkRpcRelease(rv, NULL, conn);
    return rv;
}

/* ------------------------------------------------------------ security */

/* libvirt sends these strings as char arrays with their NUL */
static void
vkRpcCharArray(const char *s, size_t cap, char **val, u_int *len)
{
    size_t n = strnlen(s, cap - 1) + 1;

    *val = g_malloc(n);
    memcpy(*val, s, n - 1);
    (*val)[n - 1] = '\0';
    *len = n;
}

int
vkRpcRemoteNodeGetSecurityModel(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                void *a G_GNUC_UNUSED, void *r)
{
    remote_node_get_security_model_ret *ret = r;
    virConnectPtr conn = vkRpcDispatchConn(client);
    virSecurityModel m;
    int rv = -1;

    if (!conn)
        return -1;
    memset(&m, 0, sizeof(m));
    if (virNodeGetSecurityModel(conn, &m) == 0) {
        vkRpcCharArray(m.model, sizeof(m.model), &ret->model.model_val, &ret->model.model_len);
        vkRpcCharArray(m.doi, sizeof(m.doi), &ret->doi.doi_val, &ret->doi.doi_len);
        rv = 0;
    }
    vkRpcRelease(rv, NULL, conn);
    return rv;
}

int
vkRpcRemoteDomainGetSecurityLabel(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                  void *a, void *r)
{
    remote_domain_get_security_label_args *args = a;
    remote_domain_get_security_label_ret *ret = r;
    virConnectPtr conn = vkRpcDispatchConn(client);
    virDomainPtr dom = NULL;
    virSecurityLabel l;
    int rv = -1;

    if (!conn)
        return -1;
    memset(&l, 0, sizeof(l));
    if ((dom = vkRpcGetDomain(conn, &args->domain)) && virDomainGetSecurityLabel(dom, &l) == 0) {
        vkRpcCharArray(l.label, sizeof(l.label), &ret->label.label_val, &ret->label.label_len);
        ret->enforcing = l.enforcing;
        rv = 0;
    }
    vkRpcRelease(rv, dom, conn);
    return rv;
}

/* ------------------------------------------------------------ domains */

int
vkRpcRemoteDomainGetMessages(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                             void *a, void *r)
{
    remote_domain_get_messages_args *args = a;
    remote_domain_get_messages_ret *ret = r;
    virConnectPtr conn = vkRpcDispatchConn(client);
    virDomainPtr dom = NULL;
    char **msgs = NULL;
    int n = -1, rv = -1;

    if (!conn)
        return -1;
    if (!(dom = vkRpcGetDomain(conn, &args->dom)))
        goto cleanup;
    if ((n = virDomainGetMessages(dom, &msgs, args->flags)) < 0)
        goto cleanup;
    if (n > REMOTE_DOMAIN_MESSAGES_MAX) {
        vkRpcReportLimit("domain messages", n, REMOTE_DOMAIN_MESSAGES_MAX);
        goto cleanup;
    }
    ret->msgs.msgs_val = msgs;
    ret->msgs.msgs_len = n;
    msgs = NULL;
    rv = 0;

 cleanup:
    if (msgs) {
        for (int i = 0; i < n; i++)
            free(msgs[i]);
        free(msgs);
    }
    vkRpcRelease(rv, dom, conn);
    return rv;
}

/* ------------------------------------------------------------ domain events */

vkRpcDomainEvents *
vkRpcDispatchEvents(vkRpcClient *client)
{
    return vkRpcDispatchData(client)->events;
}

vkRpcEventSink *
vkRpcDispatchSink(vkRpcClient *client)
{
    return vkRpcDispatchData(client)->sink;
}
