/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vk-rpc-server.c: the server runtime (see vk-rpc-server.h).
 *
 * One thread runs the runtime's GMainContext: it accepts clients, reads
 * every client's packets, applies the header rules (vk-rpc-packet.c),
 * answers keepalive and header-level errors itself and hands calls to the
 * worker pools.  A worker decodes the arguments, runs the procedure and
 * writes the reply straight to the socket when nothing is queued before it;
 * whatever does not fit is queued and the runtime thread writes it when
 * the socket is writable.
 *
 * Per-client quota: at most max_client_requests calls of a client run at
 * once.  When a further call arrives it is parked and nothing more is read
 * from that client until one of its calls finishes, as libvirtd does; the
 * keepalive packets read before it are answered, so a client with its quota
 * in flight still gets PONGs.
 *
 * Locking: a client's lock guards its tx queue, counters and flags shared
 * with workers; the rx state is the runtime thread's alone.  The server
 * lock guards the client list.  A client is freed (and its dispatch state
 * with it) when the last reference goes: the runtime's and one per call in
 * flight, so no worker ever sees freed dispatch state.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <gio/gunixfdmessage.h>
#include <gio/gunixsocketaddress.h>
#include <libvirt/virterror.h>

#include "vk-rpc-server.h"
#include "vk-rpc-packet.h"

/* Reading stops while this much output waits for a client that does not
 * read its replies. */
#define VK_RPC_TXQ_PAUSE (1024 * 1024)
/* The first receive buffer of a packet; it grows by 4x up to the packet's
 * length as data arrives, so a length word alone costs no 32 MiB. */
#define VK_RPC_RX_INITIAL 65536
/* Clients over max_clients kept open just long enough to be told why. */
#define VK_RPC_REJECTED_MAX 16

struct _vkRpcServer {
    vkRpcServerConfig cfg;
    vkRpcServerHooks hooks;
    const vkRpcProgram **progs;
    size_t nprogs;

    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread;
    GPtrArray *listeners;
    GThreadPool *pool;
    GThreadPool *prio_pool;

    GMutex lock;
    GList *clients;          /* vkRpcClient*, the runtime's reference each */
    unsigned int nclients;   /* served clients (not the rejected ones) */
    unsigned int nrejected;
    gint64 idle_since;       /* monotonic us; 0 while a client is connected */
    guint ncalls;            /* atomic */
    guint64 client_counter;
};

typedef struct {
    vkRpcServer *srv;
    GSocket *sock;
    bool readonly;
    GSource *src;
} vkRpcListener;

typedef struct {
    GSource base;
    vkRpcClient *client;
    gpointer tag;
} vkRpcClientSource;

typedef struct {
    vkRpcClient *client;
    vkRpcHeader hdr;
    const vkRpcProcDesc *desc;
    guint8 *body;            /* the packet without its length word */
    size_t len;
    size_t payload_offset;
    int *fds;
    unsigned int nfds;
} vkRpcJob;

struct _vkRpcClient {
    gint refs;
    vkRpcServer *srv;
    guint64 id;
    GSocket *sock;
    bool is_unix;
    bool readonly;
    bool rejected;           /* over max_clients: answered with an error, then closed */
    pid_t pid;
    uid_t uid;
    gid_t gid;
    void *dispatch_data;

    /* runtime thread only */
    GSource *src;
    GSource *ka_src;
    guint8 lenbuf[4];
    size_t lenhave;
    guint8 *body;
    size_t bodylen, bodyalloc, bodyhave;
    vkRpcVerdict fdwait;     /* a packet waiting for its fds */
    bool fdwaiting;
    GArray *fds;
    vkRpcJob *parked;        /* a call over the quota, waiting for a free slot */
    bool detached;           /* closed and off the server's list */

    /* guarded by lock */
    GMutex lock;
    GQueue txq;              /* GBytes* */
    size_t txoff;            /* bytes of the head already written */
    size_t txbytes;
    unsigned int nrequests;  /* calls in flight */
    bool want_close;         /* close once the queue is written */
    bool close_now;          /* close, drop the queue */
    bool closed;
    bool ka_enabled;
    unsigned int ka_missed;
};

static void vkRpcClientUnref(vkRpcClient *c);

void
vkRpcServerConfigInit(vkRpcServerConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_clients = 5000;
    cfg->max_workers = 20;
    cfg->prio_workers = 5;
    cfg->max_client_requests = 5;
    cfg->keepalive_interval = 5;
    cfg->keepalive_count = 5;
    cfg->config_name = "virtkitd.conf";
}

/* ---- client lifetime ---- */

static vkRpcClient *
vkRpcClientRef(vkRpcClient *c)
{
    g_atomic_int_inc(&c->refs);
    return c;
}

static void
vkRpcClientUnref(vkRpcClient *c)
{
    if (!g_atomic_int_dec_and_test(&c->refs))
        return;
    if (c->dispatch_data && c->srv->hooks.client_free)
        c->srv->hooks.client_free(c->dispatch_data);
    g_queue_clear_full(&c->txq, (GDestroyNotify)g_bytes_unref);
    g_clear_object(&c->sock);
    g_free(c->body);
    if (c->fds) {
        for (guint i = 0; i < c->fds->len; i++)
            close(g_array_index(c->fds, int, i));
        g_array_free(c->fds, TRUE);
    }
    vkRpcVerdictClear(&c->fdwait);
    g_mutex_clear(&c->lock);
    g_free(c);
}

static void
vkRpcJobFree(vkRpcJob *job)
{
    for (unsigned int i = 0; i < job->nfds; i++)
        close(job->fds[i]);
    g_free(job->fds);
    g_free(job->body);
    g_free(job);
}

/* Runtime thread: the end of a connection.  Calls in flight keep their
 * references; their replies are dropped. */
static void
vkRpcClientClose(vkRpcClient *c)
{
    vkRpcServer *srv = c->srv;

    if (c->detached)
        return;
    c->detached = true;
    g_mutex_lock(&c->lock);
    c->closed = true;
    g_queue_clear_full(&c->txq, (GDestroyNotify)g_bytes_unref);
    c->txbytes = 0;
    c->txoff = 0;
    g_mutex_unlock(&c->lock);

    if (c->src) {
        g_source_destroy(c->src);
        g_source_unref(c->src);
        c->src = NULL;
    }
    if (c->ka_src) {
        g_source_destroy(c->ka_src);
        g_source_unref(c->ka_src);
        c->ka_src = NULL;
    }
    if (c->parked) {
        vkRpcJobFree(c->parked);
        c->parked = NULL;
    }
    g_socket_close(c->sock, NULL);
    g_info("client %" G_GUINT64_FORMAT " disconnected", c->id);

    g_mutex_lock(&srv->lock);
    srv->clients = g_list_remove(srv->clients, c);
    if (c->rejected) {
        srv->nrejected--;
    } else {
        srv->nclients--;
        if (srv->nclients == 0)
            srv->idle_since = g_get_monotonic_time();
    }
    g_mutex_unlock(&srv->lock);
    vkRpcClientUnref(c);
}

/* ---- output ---- */

/* With c->lock held: writes what the socket takes now.  Returns false when
 * the connection failed. */
static bool
vkRpcClientFlushLocked(vkRpcClient *c)
{
    while (!g_queue_is_empty(&c->txq)) {
        GBytes *b = g_queue_peek_head(&c->txq);
        gsize size;
        const guint8 *data = g_bytes_get_data(b, &size);
        g_autoptr(GError) err = NULL;
        gssize n = g_socket_send_with_blocking(c->sock, (const char *)data + c->txoff,
                                               size - c->txoff, FALSE, NULL, &err);
        if (n < 0) {
            if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                return true;
            g_debug("client %" G_GUINT64_FORMAT ": write failed: %s", c->id, err->message);
            c->close_now = true;
            return false;
        }
        c->txoff += n;
        c->txbytes -= n;
        if (c->txoff == size) {
            g_bytes_unref(g_queue_pop_head(&c->txq));
            c->txoff = 0;
        }
    }
    return true;
}

/* Any thread: queues @pkt (taking it) and writes at once when the queue was
 * empty.  Returns -1 when the client is gone. */
static int
vkRpcClientQueue(vkRpcClient *c, GBytes *pkt)
{
    bool wake;

    g_mutex_lock(&c->lock);
    if (c->closed || c->close_now) {
        g_mutex_unlock(&c->lock);
        g_bytes_unref(pkt);
        return -1;
    }
    g_queue_push_tail(&c->txq, pkt);
    c->txbytes += g_bytes_get_size(pkt);
    vkRpcClientFlushLocked(c);
    wake = !g_queue_is_empty(&c->txq) || c->close_now;
    g_mutex_unlock(&c->lock);
    if (wake)
        g_main_context_wakeup(c->srv->ctx);
    return 0;
}

/* ---- workers ---- */

static void
vkRpcClientCallDone(vkRpcClient *c)
{
    g_mutex_lock(&c->lock);
    c->nrequests--;
    g_mutex_unlock(&c->lock);
    /* the runtime thread resumes a parked call / reading */
    g_main_context_wakeup(c->srv->ctx);
}

static void
vkRpcWorker(gpointer data, gpointer user_data G_GNUC_UNUSED)
{
    vkRpcJob *job = data;
    vkRpcClient *c = job->client;
    const vkRpcProcDesc *d = job->desc;
    gpointer args = g_malloc0(d->args_size ? d->args_size : 1);
    gpointer ret = g_malloc0(d->ret_size ? d->ret_size : 1);
    bool decoded = true;
    GBytes *reply = NULL;
    vkRpcHeader rh = job->hdr;
    XDR xdr;

    if (!vkRpcFilterIsVoid(d->args_filter)) {
        xdrmem_create(&xdr, (char *)job->body + job->payload_offset,
                      job->len - job->payload_offset, XDR_DECODE);
        decoded = d->args_filter(&xdr, args, 0);
        xdr_destroy(&xdr);
    }

    rh.type = VK_RPC_TYPE_REPLY;
    rh.status = VK_RPC_STATUS_OK;
    if (!decoded) {
        reply = vkRpcEncodeError(&job->hdr, VIR_ERR_RPC, VIR_FROM_RPC, VIR_ERR_ERROR,
                                 "Unable to decode message payload", NULL, NULL, NULL, -1, -1);
    } else {
        int rv;
        virResetLastError();
        rv = d->fn(c, &job->hdr, args, ret);
        if (rv < 0) {
            reply = vkRpcEncodeLastError(&job->hdr);
        } else {
            reply = vkRpcEncodePacket(&rh, d->ret_filter, ret);
            if (!reply) {
                g_autofree char *msg =
                    g_strdup_printf("the reply of %s does not fit in a message of at most %u bytes",
                                    d->name, VK_RPC_LEN_MAX);
                reply = vkRpcEncodeError(&job->hdr, VIR_ERR_RPC, VIR_FROM_RPC, VIR_ERR_ERROR,
                                         msg, NULL, NULL, NULL, -1, -1);
            }
        }
        virResetLastError();
    }
    /* xdr_free on a partly decoded structure frees what was decoded. */
    if (!vkRpcFilterIsVoid(d->args_filter))
        xdr_free(d->args_filter, args);
    if (decoded && !vkRpcFilterIsVoid(d->ret_filter))
        xdr_free(d->ret_filter, ret);
    g_free(args);
    g_free(ret);

    g_atomic_int_inc((gint *)&c->srv->ncalls);
    if (reply)
        vkRpcClientQueue(c, reply);
    /* After CONNECT_CLOSE's reply the daemon hangs up (README 1.5). */
    if (job->hdr.prog == VK_RPC_REMOTE_PROGRAM && job->hdr.proc == 2 && reply) {
        g_mutex_lock(&c->lock);
        c->want_close = true;
        g_mutex_unlock(&c->lock);
    }
    vkRpcClientCallDone(c);
    vkRpcJobFree(job);
    vkRpcClientUnref(c);
}

static void
vkRpcClientStartJob(vkRpcClient *c, vkRpcJob *job)
{
    vkRpcServer *srv = c->srv;
    GThreadPool *pool = srv->pool;

    g_mutex_lock(&c->lock);
    c->nrequests++;
    g_mutex_unlock(&c->lock);
    job->client = vkRpcClientRef(c);
    /* A priority procedure never waits behind blocked ordinary calls. */
    if ((job->desc->flags & VK_RPC_PROC_PRIORITY) && srv->prio_pool &&
        g_thread_pool_unprocessed(srv->pool) + g_thread_pool_get_num_threads(srv->pool) >=
        srv->cfg.max_workers)
        pool = srv->prio_pool;
    g_thread_pool_push(pool, job, NULL);
}

/* ---- input ---- */

static bool
vkRpcClientCanRead(vkRpcClient *c)
{
    bool ok;

    if (c->parked || c->detached)
        return false;
    g_mutex_lock(&c->lock);
    ok = !c->want_close && !c->close_now && c->txbytes < VK_RPC_TXQ_PAUSE;
    g_mutex_unlock(&c->lock);
    return ok;
}

static void
vkRpcClientKeepaliveReset(vkRpcClient *c)
{
    g_mutex_lock(&c->lock);
    c->ka_missed = 0;
    g_mutex_unlock(&c->lock);
    if (c->ka_src)
        g_source_set_ready_time(c->ka_src, g_get_monotonic_time() +
                                (gint64)c->srv->cfg.keepalive_interval * G_USEC_PER_SEC);
}

/* One whole packet (and its fds) has arrived: act on the verdict.  Takes
 * c->body and the fds. */
static void
vkRpcClientHandle(vkRpcClient *c, vkRpcVerdict *v)
{
    vkRpcServer *srv = c->srv;
    vkRpcJob *job;
    GBytes *pkt;

    if (c->rejected && v->action != VK_RPC_ACT_CLOSE && v->action != VK_RPC_ACT_PING &&
        v->action != VK_RPC_ACT_PONG && v->action != VK_RPC_ACT_DROP) {
        g_autofree char *msg =
            g_strdup_printf("Too many active clients: this daemon serves at most %u "
                            "(max_clients in %s)", srv->cfg.max_clients, srv->cfg.config_name);
        vkRpcClientQueue(c, vkRpcEncodeError(&v->hdr, VIR_ERR_RPC, VIR_FROM_RPC, VIR_ERR_ERROR,
                                             msg, NULL, NULL, NULL, -1, -1));
        g_mutex_lock(&c->lock);
        c->want_close = true;
        g_mutex_unlock(&c->lock);
        return;
    }

    switch (v->action) {
    case VK_RPC_ACT_CLOSE:
        g_info("client %" G_GUINT64_FORMAT ": protocol violation (type %d, fd count %u), "
               "closing", c->id, v->hdr.type, v->nfds);
        g_mutex_lock(&c->lock);
        c->close_now = true;
        g_mutex_unlock(&c->lock);
        return;
    case VK_RPC_ACT_PING:
        if ((pkt = vkRpcEncodeKeepalive(VK_RPC_KEEPALIVE_PROC_PONG)))
            vkRpcClientQueue(c, pkt);
        return;
    case VK_RPC_ACT_PONG:
    case VK_RPC_ACT_DROP:
        return;
    case VK_RPC_ACT_ERROR:
        pkt = vkRpcEncodeError(&v->hdr, v->err_code, v->err_domain, VIR_ERR_ERROR,
                               v->err_message, v->err_str1, v->err_str2, NULL, -1, -1);
        if (pkt)
            vkRpcClientQueue(c, pkt);
        return;
    case VK_RPC_ACT_DISPATCH:
        break;
    }

    job = g_new0(vkRpcJob, 1);
    job->hdr = v->hdr;
    job->desc = v->desc;
    job->body = g_steal_pointer(&c->body);
    job->len = c->bodylen;
    job->payload_offset = v->payload_offset;
    if (c->fds && c->fds->len) {
        job->nfds = c->fds->len;
        job->fds = (int *)g_array_free(g_steal_pointer(&c->fds), FALSE);
    }
    g_mutex_lock(&c->lock);
    if (c->nrequests >= srv->cfg.max_client_requests) {
        g_mutex_unlock(&c->lock);
        c->parked = job;
        return;
    }
    g_mutex_unlock(&c->lock);
    vkRpcClientStartJob(c, job);
}

/* Receives the fds of the packet in c->fdwait: one byte and one fd per
 * recvmsg.  Returns 1 when all are in, 0 to wait, -1 to close. */
static int
vkRpcClientReadFds(vkRpcClient *c)
{
    if (!c->fds)
        c->fds = g_array_new(FALSE, FALSE, sizeof(int));
    while (c->fds->len < c->fdwait.nfds) {
        GSocketControlMessage **msgs = NULL;
        gint nmsgs = 0;
        char byte;
        GInputVector vec = { &byte, 1 };
        g_autoptr(GError) err = NULL;
        gssize n = g_socket_receive_message(c->sock, NULL, &vec, 1, &msgs, &nmsgs,
                                            NULL, NULL, &err);
        int got = 0;

        if (n < 0 && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return 0;
        for (gint i = 0; i < nmsgs; i++) {
            if (G_IS_UNIX_FD_MESSAGE(msgs[i])) {
                gint nfd = 0;
                gint *fds = g_unix_fd_message_steal_fds(G_UNIX_FD_MESSAGE(msgs[i]), &nfd);
                for (gint j = 0; j < nfd; j++) {
                    if (got == 0 && c->fds->len < c->fdwait.nfds) {
                        g_array_append_val(c->fds, fds[j]);
                        got++;
                    } else {
                        close(fds[j]);
                    }
                }
                g_free(fds);
            }
            g_object_unref(msgs[i]);
        }
        g_free(msgs);
        if (n <= 0 || got == 0) {
            g_info("client %" G_GUINT64_FORMAT ": announced %u fds, sent %u", c->id,
                   c->fdwait.nfds, c->fds->len);
            return -1;
        }
    }
    return 1;
}

static void
vkRpcClientPacketDone(vkRpcClient *c, vkRpcVerdict *v)
{
    vkRpcClientHandle(c, v);
    vkRpcVerdictClear(v);
    g_clear_pointer(&c->body, g_free);
    c->bodylen = c->bodyalloc = c->bodyhave = 0;
    c->lenhave = 0;
    if (c->fds) {
        for (guint i = 0; i < c->fds->len; i++)
            close(g_array_index(c->fds, int, i));
        g_array_set_size(c->fds, 0);
    }
}

/* Reads what the socket has, packet by packet.  Returns false to close. */
static bool
vkRpcClientRead(vkRpcClient *c)
{
    vkRpcServer *srv = c->srv;

    while (vkRpcClientCanRead(c)) {
        g_autoptr(GError) err = NULL;
        gssize n;

        if (c->fdwaiting) {
            int r = vkRpcClientReadFds(c);
            if (r < 0)
                return false;
            if (r == 0)
                return true;
            c->fdwaiting = false;
            vkRpcClientPacketDone(c, &c->fdwait);
            continue;
        }

        if (c->lenhave < 4) {
            n = g_socket_receive_with_blocking(c->sock, (char *)c->lenbuf + c->lenhave,
                                               4 - c->lenhave, FALSE, NULL, &err);
        } else {
            if (c->bodyhave == c->bodyalloc) {
                c->bodyalloc = MIN(c->bodylen, MAX(c->bodyalloc * 4, VK_RPC_RX_INITIAL));
                c->body = g_realloc(c->body, c->bodyalloc);
            }
            n = g_socket_receive_with_blocking(c->sock, (char *)c->body + c->bodyhave,
                                               c->bodyalloc - c->bodyhave, FALSE, NULL, &err);
        }
        if (n < 0) {
            if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                return true;
            g_debug("client %" G_GUINT64_FORMAT ": read failed: %s", c->id, err->message);
            return false;
        }
        if (n == 0)
            return false;

        if (c->lenhave < 4) {
            c->lenhave += n;
            if (c->lenhave == 4) {
                guint32 len = ((guint32)c->lenbuf[0] << 24) | ((guint32)c->lenbuf[1] << 16) |
                              ((guint32)c->lenbuf[2] << 8) | c->lenbuf[3];
                if (!vkRpcLengthCheck(len)) {
                    g_info("client %" G_GUINT64_FORMAT ": packet length %u outside [%u, %u], "
                           "closing", c->id, len, VK_RPC_LEN_MIN, VK_RPC_LEN_MAX);
                    return false;
                }
                c->bodylen = len - 4;
                c->bodyhave = c->bodyalloc = 0;
            }
            continue;
        }

        c->bodyhave += n;
        if (c->bodyhave < c->bodylen)
            continue;

        /* a whole packet */
        {
            vkRpcVerdict v;
            bool open = false;

            if (c->dispatch_data && srv->hooks.client_is_open)
                open = srv->hooks.client_is_open(c->dispatch_data);
            vkRpcPacketExamine(c->body, c->bodylen, (const vkRpcProgram *const *)srv->progs,
                               srv->nprogs, c->readonly, open, &v);
            vkRpcClientKeepaliveReset(c);
            if (v.nfds > 0 && v.action != VK_RPC_ACT_CLOSE) {
                if (!c->is_unix) {
                    vkRpcVerdictClear(&v);
                    return false;
                }
                c->fdwait = v;
                c->fdwaiting = true;
                continue;
            }
            vkRpcClientPacketDone(c, &v);
        }
    }
    return true;
}

/* ---- the client's GSource ---- */

static gboolean
vkRpcClientSourcePrepare(GSource *source, gint *timeout)
{
    vkRpcClientSource *s = (vkRpcClientSource *)source;
    vkRpcClient *c = s->client;
    GIOCondition want = 0;
    bool act = false;

    *timeout = -1;
    if (c->parked) {
        g_mutex_lock(&c->lock);
        act = c->nrequests < c->srv->cfg.max_client_requests;
        g_mutex_unlock(&c->lock);
    }
    if (vkRpcClientCanRead(c))
        want |= G_IO_IN;
    g_mutex_lock(&c->lock);
    if (!g_queue_is_empty(&c->txq))
        want |= G_IO_OUT;
    if (c->close_now || (c->want_close && g_queue_is_empty(&c->txq) && c->nrequests == 0) ||
        (c->want_close && g_queue_is_empty(&c->txq) && c->rejected))
        act = true;
    if (c->ka_enabled && !c->ka_src && c->srv->cfg.keepalive_interval > 0)
        act = true;
    g_mutex_unlock(&c->lock);
    g_source_modify_unix_fd(source, s->tag, want);
    return act;
}

static gboolean
vkRpcClientSourceCheck(GSource *source)
{
    vkRpcClientSource *s = (vkRpcClientSource *)source;
    return g_source_query_unix_fd(source, s->tag) != 0;
}

static gboolean
vkRpcKeepaliveDispatch(GSource *source, GSourceFunc cb G_GNUC_UNUSED, gpointer data G_GNUC_UNUSED)
{
    vkRpcClient *c = ((vkRpcClientSource *)source)->client;
    bool drop = false;
    GBytes *ping;

    g_mutex_lock(&c->lock);
    if (c->ka_missed >= c->srv->cfg.keepalive_count)
        drop = true;
    else
        c->ka_missed++;
    g_mutex_unlock(&c->lock);
    if (drop) {
        g_info("client %" G_GUINT64_FORMAT ": no answer to %u keepalive pings %d s apart, "
               "closing (keepalive_interval, keepalive_count)", c->id,
               c->srv->cfg.keepalive_count, c->srv->cfg.keepalive_interval);
        vkRpcClientClose(c);
        return G_SOURCE_REMOVE;
    }
    if ((ping = vkRpcEncodeKeepalive(VK_RPC_KEEPALIVE_PROC_PING)))
        vkRpcClientQueue(c, ping);
    g_source_set_ready_time(source, g_get_monotonic_time() +
                            (gint64)c->srv->cfg.keepalive_interval * G_USEC_PER_SEC);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs vkRpcKeepaliveFuncs = {
    .dispatch = vkRpcKeepaliveDispatch,
};

static void
vkRpcClientStartKeepalive(vkRpcClient *c)
{
    GSource *s = g_source_new(&vkRpcKeepaliveFuncs, sizeof(vkRpcClientSource));

    ((vkRpcClientSource *)s)->client = c;
    g_source_set_ready_time(s, g_get_monotonic_time() +
                            (gint64)c->srv->cfg.keepalive_interval * G_USEC_PER_SEC);
    g_source_attach(s, c->srv->ctx);
    c->ka_src = s;
}

static gboolean
vkRpcClientSourceDispatch(GSource *source, GSourceFunc cb G_GNUC_UNUSED,
                          gpointer data G_GNUC_UNUSED)
{
    vkRpcClientSource *s = (vkRpcClientSource *)source;
    vkRpcClient *c = s->client;
    GIOCondition rev = g_source_query_unix_fd(source, s->tag);
    bool close_it = false;
    bool ka_start;

    /* hold a reference: closing drops the runtime's */
    vkRpcClientRef(c);
    if (rev & G_IO_OUT) {
        g_mutex_lock(&c->lock);
        if (!vkRpcClientFlushLocked(c))
            close_it = true;
        g_mutex_unlock(&c->lock);
    }
    if (!close_it && (rev & G_IO_IN))
        close_it = !vkRpcClientRead(c);
    else if (!close_it && (rev & (G_IO_HUP | G_IO_ERR)))
        close_it = true;

    if (!close_it && c->parked) {
        bool start;
        g_mutex_lock(&c->lock);
        start = c->nrequests < c->srv->cfg.max_client_requests;
        g_mutex_unlock(&c->lock);
        if (start) {
            vkRpcJob *job = g_steal_pointer(&c->parked);
            vkRpcClientStartJob(c, job);
            /* and read on: what arrived behind it waited */
            if (!vkRpcClientRead(c))
                close_it = true;
        }
    }

    g_mutex_lock(&c->lock);
    if (c->close_now || (c->want_close && g_queue_is_empty(&c->txq) &&
                         (c->nrequests == 0 || c->rejected)))
        close_it = true;
    ka_start = c->ka_enabled && !c->ka_src && c->srv->cfg.keepalive_interval > 0;
    g_mutex_unlock(&c->lock);
    if (!close_it && ka_start && !c->detached)
        vkRpcClientStartKeepalive(c);

    if (close_it)
        vkRpcClientClose(c);
    vkRpcClientUnref(c);
    return close_it ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static GSourceFuncs vkRpcClientSourceFuncs = {
    .prepare = vkRpcClientSourcePrepare,
    .check = vkRpcClientSourceCheck,
    .dispatch = vkRpcClientSourceDispatch,
};

/* ---- accepting ---- */

static void
vkRpcServerAddClient(vkRpcServer *srv, GSocket *sock, bool readonly)
{
    vkRpcClient *c = g_new0(vkRpcClient, 1);
    g_autoptr(GCredentials) cred = NULL;
    vkRpcClientSource *s;
    bool reject;

    c->refs = 1;
    c->srv = srv;
    c->sock = sock;
    c->readonly = readonly;
    c->pid = -1;
    c->uid = (uid_t)-1;
    c->gid = (gid_t)-1;
    g_mutex_init(&c->lock);
    g_queue_init(&c->txq);
    g_socket_set_blocking(sock, FALSE);
    c->is_unix = g_socket_get_family(sock) == G_SOCKET_FAMILY_UNIX;
    if (c->is_unix && (cred = g_socket_get_credentials(sock, NULL))) {
        c->pid = g_credentials_get_unix_pid(cred, NULL);
        c->uid = g_credentials_get_unix_user(cred, NULL);
        c->gid = ((struct ucred *)g_credentials_get_native(cred, G_CREDENTIALS_TYPE_LINUX_UCRED))->gid;
    }

    g_mutex_lock(&srv->lock);
    c->id = ++srv->client_counter;
    reject = srv->nclients >= srv->cfg.max_clients;
    if (reject && srv->nrejected >= VK_RPC_REJECTED_MAX) {
        g_mutex_unlock(&srv->lock);
        g_info("client %" G_GUINT64_FORMAT " refused at once: max_clients (%u) reached",
               c->id, srv->cfg.max_clients);
        g_socket_close(sock, NULL);
        vkRpcClientUnref(c);
        return;
    }
    c->rejected = reject;
    if (reject) {
        srv->nrejected++;
    } else {
        srv->nclients++;
        srv->idle_since = 0;
    }
    srv->clients = g_list_prepend(srv->clients, c);
    g_mutex_unlock(&srv->lock);

    g_info("client %" G_GUINT64_FORMAT " connected%s: pid %ld uid %ld gid %ld%s", c->id,
           readonly ? " (read-only socket)" : "", (long)c->pid, (long)c->uid, (long)c->gid,
           reject ? ", over max_clients: refused" : "");
    if (!reject && srv->hooks.client_new)
        c->dispatch_data = srv->hooks.client_new(c);

    s = (vkRpcClientSource *)g_source_new(&vkRpcClientSourceFuncs, sizeof(vkRpcClientSource));
    s->client = c;
    s->tag = g_source_add_unix_fd(&s->base, g_socket_get_fd(sock), G_IO_IN);
    c->src = &s->base;
    g_source_attach(c->src, srv->ctx);
}

static gboolean
vkRpcListenerReady(GSocket *sock, GIOCondition cond G_GNUC_UNUSED, gpointer data)
{
    vkRpcListener *l = data;

    for (int i = 0; i < 64; i++) {
        g_autoptr(GError) err = NULL;
        GSocket *cs = g_socket_accept(sock, NULL, &err);
        if (!cs) {
            if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                g_warning("accept failed: %s", err->message);
            break;
        }
        vkRpcServerAddClient(l->srv, cs, l->readonly);
    }
    return G_SOURCE_CONTINUE;
}

/* ---- the server ---- */

vkRpcServer *
vkRpcServerNew(const vkRpcServerConfig *cfg, const vkRpcServerHooks *hooks,
               const vkRpcProgram *const *progs, size_t nprogs, GError **err)
{
    vkRpcServer *srv;

    if (cfg->max_workers < 1 || cfg->max_workers > 4096) {
        g_set_error(err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "max_workers = %u in %s is outside [1, 4096]", cfg->max_workers,
                    cfg->config_name);
        return NULL;
    }
    if (cfg->prio_workers > 4096) {
        g_set_error(err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "prio_workers = %u in %s is outside [0, 4096]", cfg->prio_workers,
                    cfg->config_name);
        return NULL;
    }
    if (cfg->max_client_requests < 1) {
        g_set_error(err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "max_client_requests = 0 in %s: a client could never call", cfg->config_name);
        return NULL;
    }
    if (cfg->max_clients < 1) {
        g_set_error(err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "max_clients = 0 in %s: no client could connect", cfg->config_name);
        return NULL;
    }
    for (size_t i = 0; i < nprogs; i++) {
        for (size_t j = 1; j < progs[i]->nprocs; j++) {
            if (progs[i]->procs[j - 1].proc >= progs[i]->procs[j].proc) {
                g_set_error(err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                            "program %#x: procedure table not sorted at %s", progs[i]->prog,
                            progs[i]->procs[j].name);
                return NULL;
            }
        }
    }

    srv = g_new0(vkRpcServer, 1);
    srv->cfg = *cfg;
    if (hooks)
        srv->hooks = *hooks;
    srv->progs = g_memdup2(progs, sizeof(*progs) * (nprogs ? nprogs : 1));
    srv->nprogs = nprogs;
    srv->ctx = g_main_context_new();
    srv->loop = g_main_loop_new(srv->ctx, FALSE);
    srv->listeners = g_ptr_array_new();
    srv->idle_since = g_get_monotonic_time();
    g_mutex_init(&srv->lock);
    return srv;
}

void
vkRpcServerAddListener(vkRpcServer *srv, GSocket *listener, bool readonly)
{
    vkRpcListener *l = g_new0(vkRpcListener, 1);

    l->srv = srv;
    l->sock = g_object_ref(listener);
    l->readonly = readonly;
    g_socket_set_blocking(listener, FALSE);
    l->src = g_socket_create_source(listener, G_IO_IN, NULL);
    g_source_set_callback(l->src, G_SOURCE_FUNC(vkRpcListenerReady), l, NULL);
    g_ptr_array_add(srv->listeners, l);
}

static gpointer
vkRpcServerThread(gpointer data)
{
    vkRpcServer *srv = data;

    g_main_context_push_thread_default(srv->ctx);
    g_main_loop_run(srv->loop);
    g_main_context_pop_thread_default(srv->ctx);
    return NULL;
}

bool
vkRpcServerStart(vkRpcServer *srv, GError **err)
{
    srv->pool = g_thread_pool_new(vkRpcWorker, srv, srv->cfg.max_workers, FALSE, err);
    if (!srv->pool)
        return false;
    if (srv->cfg.prio_workers > 0) {
        srv->prio_pool = g_thread_pool_new(vkRpcWorker, srv, srv->cfg.prio_workers, FALSE, err);
        if (!srv->prio_pool)
            return false;
    }
    for (guint i = 0; i < srv->listeners->len; i++) {
        vkRpcListener *l = g_ptr_array_index(srv->listeners, i);
        g_source_attach(l->src, srv->ctx);
    }
    srv->thread = g_thread_new("vk-rpc", vkRpcServerThread, srv);
    return true;
}

static gboolean
vkRpcServerShutdown(gpointer data)
{
    vkRpcServer *srv = data;

    for (guint i = 0; i < srv->listeners->len; i++) {
        vkRpcListener *l = g_ptr_array_index(srv->listeners, i);
        g_source_destroy(l->src);
    }
    for (;;) {
        vkRpcClient *c;
        g_mutex_lock(&srv->lock);
        c = srv->clients ? srv->clients->data : NULL;
        g_mutex_unlock(&srv->lock);
        if (!c)
            break;
        vkRpcClientClose(c);
    }
    g_main_loop_quit(srv->loop);
    return G_SOURCE_REMOVE;
}

void
vkRpcServerStop(vkRpcServer *srv)
{
    if (!srv->thread)
        return;
    g_main_context_invoke(srv->ctx, vkRpcServerShutdown, srv);
    g_thread_join(srv->thread);
    srv->thread = NULL;
    /* calls in flight finish; their replies go nowhere */
    if (srv->pool)
        g_thread_pool_free(g_steal_pointer(&srv->pool), FALSE, TRUE);
    if (srv->prio_pool)
        g_thread_pool_free(g_steal_pointer(&srv->prio_pool), FALSE, TRUE);
}

void
vkRpcServerFree(vkRpcServer *srv)
{
    if (!srv)
        return;
    vkRpcServerStop(srv);
    if (srv->pool)
        g_thread_pool_free(srv->pool, FALSE, TRUE);
    if (srv->prio_pool)
        g_thread_pool_free(srv->prio_pool, FALSE, TRUE);
    for (guint i = 0; i < srv->listeners->len; i++) {
        vkRpcListener *l = g_ptr_array_index(srv->listeners, i);
        g_source_destroy(l->src);
        g_source_unref(l->src);
        g_object_unref(l->sock);
        g_free(l);
    }
    g_ptr_array_free(srv->listeners, TRUE);
    /* sources of clients never closed (never started) hold the context */
    g_main_loop_unref(srv->loop);
    g_main_context_unref(srv->ctx);
    g_free(srv->progs);
    g_mutex_clear(&srv->lock);
    g_free(srv);
}

unsigned int
vkRpcServerNClients(vkRpcServer *srv)
{
    unsigned int n;

    g_mutex_lock(&srv->lock);
    n = srv->nclients;
    g_mutex_unlock(&srv->lock);
    return n;
}

double
vkRpcServerIdleSeconds(vkRpcServer *srv)
{
    gint64 since;

    g_mutex_lock(&srv->lock);
    since = srv->idle_since;
    g_mutex_unlock(&srv->lock);
    return since ? (g_get_monotonic_time() - since) / (double)G_USEC_PER_SEC : 0.0;
}

guint64
vkRpcServerNCalls(vkRpcServer *srv)
{
    return (guint)g_atomic_int_get((gint *)&srv->ncalls);
}

/* ---- vk-rpc.h: what the dispatch side may ask of a client ---- */

void *
vkRpcClientGetDispatchData(vkRpcClient *client)
{
    return client->dispatch_data;
}

bool
vkRpcClientIsReadonly(vkRpcClient *client)
{
    return client->readonly;
}

void
vkRpcClientEnableKeepalive(vkRpcClient *client)
{
    g_mutex_lock(&client->lock);
    client->ka_enabled = true;
    g_mutex_unlock(&client->lock);
    g_main_context_wakeup(client->srv->ctx);
}

int
vkRpcClientSendMessage(vkRpcClient *client, unsigned int prog, unsigned int vers, int proc,
                       xdrproc_t filter, void *msg)
{
    /* libvirtd 9.0 sends its events with serial 1 (README 1.3). */
    vkRpcHeader h = {
        .prog = prog, .vers = vers, .proc = proc,
        .type = VK_RPC_TYPE_MESSAGE, .serial = 1, .status = VK_RPC_STATUS_OK,
    };
    GBytes *pkt = vkRpcEncodePacket(&h, filter, msg);

    if (!pkt) {
        g_warning("client %" G_GUINT64_FORMAT ": message %d of program %#x could not be "
                  "encoded within %u bytes, not sent", client->id, proc, prog, VK_RPC_LEN_MAX);
        return -1;
    }
    return vkRpcClientQueue(client, pkt);
}

void
vkRpcClientGetIdentity(vkRpcClient *client, pid_t *pid, uid_t *uid, gid_t *gid)
{
    if (pid)
        *pid = client->pid;
    if (uid)
        *uid = client->uid;
    if (gid)
        *gid = client->gid;
}
