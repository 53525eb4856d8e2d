/*
 * vir-stream.c: the stream helpers libvirt builds on the plugin calls:
 * virStreamSendAll / RecvAll and their sparse forms.  They run the
 * application's handlers in a loop over virStreamSend / virStreamRecv (and
 * the hole calls), on blocking streams only, and abort the stream when
 * anything fails.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#define VK_FROM VIR_FROM_STREAMS
#define VK_LOG_MODULE "core.stream"
#include "vk-dispatch.h"

/* The chunk each loop moves: libvirt's size, which its wire protocol also
 * caps a stream packet's payload at. */
#define VK_STREAM_CHUNK (256 * 1024)

/* Checks shared by the four helpers; reports and returns false. */
static bool
vkStreamAllCheck(virStreamPtr stream, const char *api, const void *h1, const char *n1,
                 const void *h2, const char *n2, const void *h3, const char *n3)
{
    if (!vkCheckStream(stream, api))
        return false;
    if (!h1 || (n2 && !h2) || (n3 && !h3)) {
        vkReportNullArg(api, !h1 ? n1 : (n2 && !h2) ? n2 : n3);
        return false;
    }
    if (stream->flags & VIR_STREAM_NONBLOCK) {
        vkReportError(VIR_ERR_OPERATION_INVALID,
                      "data sources cannot be used for non-blocking streams (%s)", api);
        return false;
    }
    return true;
}

/* After a failure inside the loop: keep the first error, abort the stream
 * (whose own error, if any, must not replace it), and dispatch once. */
static int
vkStreamAllFail(virStreamPtr stream, const char *what)
{
    virErrorPtr saved;

    if (!vkErrorIsSet())
        vkReportError(VIR_ERR_RPC, "%s", what);
    saved = virSaveLastError();
    virStreamAbort(stream);
    vkErrorRestore(saved);
    virFreeError(saved);
    vkErrorDispatch(stream->conn);
    return -1;
}

int
virStreamSendAll(virStreamPtr stream, virStreamSourceFunc handler, void *opaque)
{
    g_autofree char *buf = NULL;

    VK_LOG_API("virStreamSendAll", "stream=%p, handler=%p, opaque=%p",
               (void *)stream, (void *)handler, opaque);
    virResetLastError();
    if (!vkStreamAllCheck(stream, "virStreamSendAll", (void *)handler, "handler",
                          NULL, NULL, NULL, NULL)) {
        vkErrorDispatch(stream && stream->magic == VK_MAGIC_STREAM ? stream->conn : NULL);
        return -1;
    }
    buf = g_malloc(VK_STREAM_CHUNK);
    for (;;) {
        int got = handler(stream, buf, VK_STREAM_CHUNK, opaque);
        int off = 0;

        if (got < 0)
            return vkStreamAllFail(stream, "send handler failed");
        if (got == 0)
            break;
        while (off < got) {
            int done = virStreamSend(stream, buf + off, got - off);
            if (done < 0)
                return vkStreamAllFail(stream, "stream send failed");
            off += done;
        }
    }
    return 0;
}

int
virStreamRecvAll(virStreamPtr stream, virStreamSinkFunc handler, void *opaque)
{
    g_autofree char *buf = NULL;

    VK_LOG_API("virStreamRecvAll", "stream=%p, handler=%p, opaque=%p",
               (void *)stream, (void *)handler, opaque);
    virResetLastError();
    if (!vkStreamAllCheck(stream, "virStreamRecvAll", (void *)handler, "handler",
                          NULL, NULL, NULL, NULL)) {
        vkErrorDispatch(stream && stream->magic == VK_MAGIC_STREAM ? stream->conn : NULL);
        return -1;
    }
    buf = g_malloc(VK_STREAM_CHUNK);
    for (;;) {
        int got = virStreamRecv(stream, buf, VK_STREAM_CHUNK);
        int off = 0;

        if (got < 0)
            return vkStreamAllFail(stream, "stream receive failed");
        if (got == 0)
            break;
        while (off < got) {
            int done = handler(stream, buf + off, got - off, opaque);
            if (done < 0)
                return vkStreamAllFail(stream, "receive handler failed");
            off += done;
        }
    }
    return 0;
}

int
virStreamSparseSendAll(virStreamPtr stream, virStreamSourceFunc handler,
                       virStreamSourceHoleFunc holeHandler, virStreamSourceSkipFunc skipHandler,
                       void *opaque)
{
    g_autofree char *buf = NULL;
    long long dataLen = 0;

    VK_LOG_API("virStreamSparseSendAll", "stream=%p, handler=%p, holeHandler=%p, skipHandler=%p, opaque=%p",
               (void *)stream, (void *)handler, (void *)holeHandler, (void *)skipHandler, opaque);
    virResetLastError();
    if (!vkStreamAllCheck(stream, "virStreamSparseSendAll", (void *)handler, "handler",
                          (void *)holeHandler, "holeHandler", (void *)skipHandler, "skipHandler")) {
        vkErrorDispatch(stream && stream->magic == VK_MAGIC_STREAM ? stream->conn : NULL);
        return -1;
    }
    buf = g_malloc(VK_STREAM_CHUNK);
    for (;;) {
        int inData = 0;
        long long sectionLen = 0;

        if (dataLen == 0) {
            /* Where are we: in data or in a hole, and for how long? */
            if (holeHandler(stream, &inData, &sectionLen, opaque) < 0)
                return vkStreamAllFail(stream, "hole handler failed");
            if (!inData && sectionLen) {
                if (virStreamSendHole(stream, sectionLen, 0) < 0)
                    return vkStreamAllFail(stream, "stream send hole failed");
                if (skipHandler(stream, sectionLen, opaque) < 0)
                    return vkStreamAllFail(stream, "skip handler failed");
                continue;
            }
            dataLen = sectionLen;
        }
        {
            size_t want = dataLen > 0 && dataLen < VK_STREAM_CHUNK ? (size_t)dataLen : VK_STREAM_CHUNK;
            int got = handler(stream, buf, want, opaque);
            int off = 0;

            if (got < 0)
                return vkStreamAllFail(stream, "send handler failed");
            if (got == 0)
                break;
            while (off < got) {
                int done = virStreamSend(stream, buf + off, got - off);
                if (done < 0)
                    return vkStreamAllFail(stream, "stream send failed");
                off += done;
            }
            dataLen = dataLen > got ? dataLen - got : 0;
        }
    }
    return 0;
}

int
virStreamSparseRecvAll(virStreamPtr stream, virStreamSinkFunc handler,
                       virStreamSinkHoleFunc holeHandler, void *opaque)
{
    g_autofree char *buf = NULL;

    VK_LOG_API("virStreamSparseRecvAll", "stream=%p, handler=%p, holeHandler=%p, opaque=%p",
               (void *)stream, (void *)handler, (void *)holeHandler, opaque);
    virResetLastError();
    if (!vkStreamAllCheck(stream, "virStreamSparseRecvAll", (void *)handler, "handler",
                          (void *)holeHandler, "holeHandler", NULL, NULL)) {
        vkErrorDispatch(stream && stream->magic == VK_MAGIC_STREAM ? stream->conn : NULL);
        return -1;
    }
    buf = g_malloc(VK_STREAM_CHUNK);
    for (;;) {
        int got = virStreamRecvFlags(stream, buf, VK_STREAM_CHUNK, VIR_STREAM_RECV_STOP_AT_HOLE);
        int off = 0;

        if (got == -3) {
            /* At a hole: learn its length and hand it over. */
            long long len = 0;
            if (virStreamRecvHole(stream, &len, 0) < 0)
                return vkStreamAllFail(stream, "stream receive hole failed");
            if (holeHandler(stream, len, opaque) < 0)
                return vkStreamAllFail(stream, "hole handler failed");
            continue;
        }
        if (got < 0)
            return vkStreamAllFail(stream, "stream receive failed");
        if (got == 0)
            break;
        while (off < got) {
            int done = handler(stream, buf + off, got - off, opaque);
            if (done < 0)
                return vkStreamAllFail(stream, "receive handler failed");
            off += done;
        }
    }
    return 0;
}
