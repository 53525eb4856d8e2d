/*
 * qemu-monitor.c: QMP over a unix socket, parsed with json-glib.
 *
 * QEMU sends one JSON object per line (greeting, replies, events).  A
 * reader thread owns the receiving side; commands are written by the
 * calling thread under cmdLock, one at a time, so at most one reply is
 * outstanding and a message over the size limit can be charged to it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "qemu-monitor.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

GQuark
qemuMonitorErrorQuark(void)
{
    return g_quark_from_static_string("qemu-monitor-error-quark");
}

struct _qemuMonitor {
    gint refs;
    int fd;
    char *path;
    gsize maxMessage;
    qemuMonitorCallbacks cbs;
    void *opaque;
    GDestroyNotify opaqueFree;

    GMutex cmdLock;             /* one command at a time */
    GMutex lock;                /* the fields below */
    GCond cond;
    gboolean greeted;
    gboolean capsDone;          /* events are delivered from then on */
    gboolean eof;
    gboolean closing;
    unsigned long version;
    guint64 nextId;
    char *waitId;               /* the id of the command in flight */
    JsonNode *reply;            /* its whole reply object, when it came */
    GError *replyError;         /* or why it never will */
};

qemuMonitor *
qemuMonitorRef(qemuMonitor *mon)
{
    g_atomic_int_inc(&mon->refs);
    return mon;
}

void
qemuMonitorUnref(qemuMonitor *mon)
{
    if (!mon || !g_atomic_int_dec_and_test(&mon->refs))
        return;
    if (mon->fd >= 0)
        close(mon->fd);
    if (mon->opaqueFree)
        mon->opaqueFree(mon->opaque);
    g_clear_pointer(&mon->reply, json_node_unref);
    g_clear_error(&mon->replyError);
    g_free(mon->waitId);
    g_free(mon->path);
    g_mutex_clear(&mon->cmdLock);
    g_mutex_clear(&mon->lock);
    g_cond_clear(&mon->cond);
    g_free(mon);
}

unsigned long
qemuMonitorGetVersion(qemuMonitor *mon)
{
    return mon->version;
}

gboolean
qemuMonitorGotEOF(qemuMonitor *mon)
{
    gboolean ret;

    g_mutex_lock(&mon->lock);
    ret = mon->eof;
    g_mutex_unlock(&mon->lock);
    return ret;
}

/* With mon->lock held: the command in flight fails with @err (taken). */
static void
qemuMonitorFailWaiter(qemuMonitor *mon, GError *err)
{
    if (mon->waitId && !mon->reply && !mon->replyError)
        mon->replyError = err;
    else
        g_error_free(err);
    g_cond_broadcast(&mon->cond);
}

static void
qemuMonitorParseGreeting(qemuMonitor *mon, JsonObject *obj)
{
    JsonObject *qmp = json_object_get_object_member(obj, "QMP");
    JsonObject *ver = qmp && json_object_has_member(qmp, "version") ?
        json_object_get_object_member(qmp, "version") : NULL;
    JsonObject *q = ver && json_object_has_member(ver, "qemu") ?
        json_object_get_object_member(ver, "qemu") : NULL;

    if (q)
        mon->version = (unsigned long)json_object_get_int_member_with_default(q, "major", 0) * 1000000 +
                       (unsigned long)json_object_get_int_member_with_default(q, "minor", 0) * 1000 +
                       (unsigned long)json_object_get_int_member_with_default(q, "micro", 0);
}

/* One complete line from QEMU. */
static void
qemuMonitorHandleLine(qemuMonitor *mon, const char *line, gsize len)
{
    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    g_autoptr(GError) err = NULL;
    JsonNode *root;
    JsonObject *obj;

    if (len == 0)
        return;
    if (!json_parser_load_from_data(parser, line, (gssize)len, &err) ||
        !(root = json_parser_get_root(parser)) || !JSON_NODE_HOLDS_OBJECT(root)) {
        g_mutex_lock(&mon->lock);
        qemuMonitorFailWaiter(mon, g_error_new(QEMU_MONITOR_ERROR, QEMU_MONITOR_ERROR_FAILED,
                                               "QEMU monitor '%s' sent a message that is not a "
                                               "JSON object: %s", mon->path,
                                               err ? err->message : "not an object"));
        g_mutex_unlock(&mon->lock);
        return;
    }
    obj = json_node_get_object(root);

    if (json_object_has_member(obj, "QMP")) {
        g_mutex_lock(&mon->lock);
        qemuMonitorParseGreeting(mon, obj);
        mon->greeted = TRUE;
        g_cond_broadcast(&mon->cond);
        g_mutex_unlock(&mon->lock);
        return;
    }
    if (json_object_has_member(obj, "event")) {
        const char *name = json_object_get_string_member_with_default(obj, "event", NULL);
        JsonObject *data = json_object_has_member(obj, "data") &&
                           JSON_NODE_HOLDS_OBJECT(json_object_get_member(obj, "data")) ?
                           json_object_get_object_member(obj, "data") : NULL;
        gboolean deliver;

        g_mutex_lock(&mon->lock);
        deliver = mon->capsDone && !mon->closing;
        g_mutex_unlock(&mon->lock);
        if (deliver && name && mon->cbs.event)
            mon->cbs.event(mon, name, data, mon->opaque);
        return;
    }
    if (json_object_has_member(obj, "return") || json_object_has_member(obj, "error")) {
        const char *id = json_object_has_member(obj, "id") &&
                         JSON_NODE_HOLDS_VALUE(json_object_get_member(obj, "id")) ?
                         json_object_get_string_member_with_default(obj, "id", NULL) : NULL;

        g_mutex_lock(&mon->lock);
        /* A reply to a command that already timed out is dropped. */
        if (mon->waitId && g_strcmp0(id, mon->waitId) == 0 && !mon->reply && !mon->replyError) {
            mon->reply = json_node_ref(root);
            g_cond_broadcast(&mon->cond);
        }
        g_mutex_unlock(&mon->lock);
    }
}

static gpointer
qemuMonitorReader(gpointer data)
{
    qemuMonitor *mon = data;
    g_autoptr(GByteArray) buf = g_byte_array_new();
    gboolean skipping = FALSE;   /* inside an oversized message, until its newline */
    char chunk[65536];
    gboolean closing, capsDone;

    for (;;) {
        ssize_t n = recv(mon->fd, chunk, sizeof(chunk), 0);
        gsize start = 0;

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (gsize i = 0; i < (gsize)n; i++) {
            if (chunk[i] != '\n')
                continue;
            if (!skipping) {
                g_byte_array_append(buf, (guint8 *)chunk + start, (guint)(i - start));
                qemuMonitorHandleLine(mon, (const char *)buf->data, buf->len);
            }
            g_byte_array_set_size(buf, 0);
            skipping = FALSE;
            start = i + 1;
        }
        if (!skipping)
            g_byte_array_append(buf, (guint8 *)chunk + start, (guint)((gsize)n - start));
        if (!skipping && buf->len > mon->maxMessage) {
            g_mutex_lock(&mon->lock);
            qemuMonitorFailWaiter(mon, g_error_new(QEMU_MONITOR_ERROR, QEMU_MONITOR_ERROR_TOO_BIG,
                                                   "QEMU monitor '%s' sent a message larger than "
                                                   "the limit of %" G_GSIZE_FORMAT " bytes; it was "
                                                   "refused", mon->path, mon->maxMessage));
            g_mutex_unlock(&mon->lock);
            g_byte_array_set_size(buf, 0);
            skipping = TRUE;
        }
    }

    g_mutex_lock(&mon->lock);
    mon->eof = TRUE;
    closing = mon->closing;
    capsDone = mon->capsDone;
    qemuMonitorFailWaiter(mon, g_error_new(QEMU_MONITOR_ERROR, QEMU_MONITOR_ERROR_EOF,
                                           "QEMU monitor '%s' closed", mon->path));
    g_mutex_unlock(&mon->lock);
    /* before qmp_capabilities finished, qemuMonitorOpen reports the EOF */
    if (!closing && capsDone && mon->cbs.eof)
        mon->cbs.eof(mon, mon->opaque);
    qemuMonitorUnref(mon);
    return NULL;
}

static gboolean
qemuMonitorSendAll(qemuMonitor *mon, const char *text, gsize len, GError **error)
{
    while (len) {
        ssize_t n = send(mon->fd, text, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            g_set_error(error, QEMU_MONITOR_ERROR, QEMU_MONITOR_ERROR_EOF,
                        "cannot write to QEMU monitor '%s': %s", mon->path, g_strerror(errno));
            return FALSE;
        }
        text += n;
        len -= (gsize)n;
    }
    return TRUE;
}

JsonNode *
qemuMonitorCommand(qemuMonitor *mon, const char *cmd, JsonObject *args, int timeout_ms,
                   GError **error)
{
    g_autoptr(JsonBuilder) b = json_builder_new_immutable();
    g_autoptr(JsonNode) msg = NULL;
    g_autoptr(JsonNode) reply = NULL;
    g_autofree char *text = NULL;
    g_autofree char *id = NULL;
    gint64 deadline;
    JsonObject *robj;
    GError *err = NULL;

    g_mutex_lock(&mon->cmdLock);
    g_mutex_lock(&mon->lock);
    if (mon->eof || mon->closing) {
        g_mutex_unlock(&mon->lock);
        g_mutex_unlock(&mon->cmdLock);
        if (args)
            json_object_unref(args);
        g_set_error(error, QEMU_MONITOR_ERROR, QEMU_MONITOR_ERROR_EOF,
                    "QEMU monitor '%s' is closed: cannot send '%s'", mon->path, cmd);
        return NULL;
    }
    id = g_strdup_printf("virtkit-%" G_GUINT64_FORMAT, ++mon->nextId);
    g_free(mon->waitId);
    mon->waitId = g_strdup(id);
    g_clear_pointer(&mon->reply, json_node_unref);
    g_clear_error(&mon->replyError);
    g_mutex_unlock(&mon->lock);

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "execute");
    json_builder_add_string_value(b, cmd);
    if (args) {
        JsonNode *an = json_node_init_object(json_node_alloc(), args);
        json_object_unref(args);
        json_builder_set_member_name(b, "arguments");
        json_builder_add_value(b, an);
    }
    json_builder_set_member_name(b, "id");
    json_builder_add_string_value(b, id);
    json_builder_end_object(b);
    msg = json_builder_get_root(b);
    {
        g_autofree char *body = json_to_string(msg, FALSE);
        text = g_strconcat(body, "\n", NULL);
    }

    if (!qemuMonitorSendAll(mon, text, strlen(text), &err))
        goto out;

    deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    g_mutex_lock(&mon->lock);
    while (!mon->reply && !mon->replyError) {
        if (!g_cond_wait_until(&mon->cond, &mon->lock, deadline))
            break;
    }
    if (mon->reply) {
        reply = g_steal_pointer(&mon->reply);
    } else if (mon->replyError) {
        err = g_steal_pointer(&mon->replyError);
    } else {
        err = g_error_new(QEMU_MONITOR_ERROR, QEMU_MONITOR_ERROR_TIMEOUT,
                          "QEMU monitor '%s' did not answer '%s' within %d ms",
                          mon->path, cmd, timeout_ms);
    }
    g_clear_pointer(&mon->waitId, g_free);
    g_mutex_unlock(&mon->lock);

 out:
    g_mutex_unlock(&mon->cmdLock);
    if (err) {
        g_propagate_error(error, err);
        return NULL;
    }
    robj = json_node_get_object(reply);
    if (json_object_has_member(robj, "error")) {
        JsonObject *e = JSON_NODE_HOLDS_OBJECT(json_object_get_member(robj, "error")) ?
                        json_object_get_object_member(robj, "error") : NULL;
        g_set_error(error, QEMU_MONITOR_ERROR, QEMU_MONITOR_ERROR_COMMAND,
                    "QEMU refused '%s': %s", cmd,
                    e ? json_object_get_string_member_with_default(e, "desc", "unknown error") :
                        "unknown error");
        return NULL;
    }
    return json_node_copy(json_object_get_member(robj, "return"));
}

qemuMonitor *
qemuMonitorOpen(int fd, const char *path, int timeout_ms, gsize max_message,
                const qemuMonitorCallbacks *cbs, void *opaque, GDestroyNotify opaque_free,
                GError **error)
{
    qemuMonitor *mon = g_new0(qemuMonitor, 1);
    g_autoptr(JsonNode) ret = NULL;
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    GThread *th;

    mon->refs = 1;
    mon->fd = fd;
    mon->path = g_strdup(path);
    mon->maxMessage = max_message ? max_message : QEMU_MONITOR_DEFAULT_MAX_MESSAGE;
    if (cbs)
        mon->cbs = *cbs;
    g_mutex_init(&mon->cmdLock);
    g_mutex_init(&mon->lock);
    g_cond_init(&mon->cond);

    th = g_thread_try_new("qemu-monitor", qemuMonitorReader, qemuMonitorRef(mon), error);
    if (!th) {
        qemuMonitorUnref(mon);  /* the thread's */
        qemuMonitorUnref(mon);
        return NULL;
    }
    g_thread_unref(th);

    g_mutex_lock(&mon->lock);
    while (!mon->greeted && !mon->eof) {
        if (!g_cond_wait_until(&mon->cond, &mon->lock, deadline))
            break;
    }
    if (!mon->greeted) {
        gboolean eof = mon->eof;
        g_mutex_unlock(&mon->lock);
        g_set_error(error, QEMU_MONITOR_ERROR,
                    eof ? QEMU_MONITOR_ERROR_EOF : QEMU_MONITOR_ERROR_TIMEOUT,
                    eof ? "QEMU closed the monitor '%s' before its greeting" :
                          "QEMU sent no greeting on monitor '%s' within %d ms",
                    path, timeout_ms);
        goto error;
    }
    g_mutex_unlock(&mon->lock);

    {
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        ret = qemuMonitorCommand(mon, "qmp_capabilities", NULL, (int)MAX(left, 1), error);
    }
    if (!ret)
        goto error;
    /* From here on events reach the callbacks, and only now: the caller
     * has its monitor pointer before the first one arrives. */
    g_mutex_lock(&mon->lock);
    mon->capsDone = TRUE;
    mon->opaque = opaque;
    mon->opaqueFree = opaque_free;
    g_mutex_unlock(&mon->lock);
    return mon;

 error:
    if (opaque_free)
        opaque_free(opaque);
    qemuMonitorClose(mon);
    return NULL;
}

void
qemuMonitorClose(qemuMonitor *mon)
{
    if (!mon)
        return;
    g_mutex_lock(&mon->lock);
    mon->closing = TRUE;
    g_mutex_unlock(&mon->lock);
    /* wakes the reader (recv returns 0), which drops its reference */
    shutdown(mon->fd, SHUT_RDWR);
    qemuMonitorUnref(mon);
}
