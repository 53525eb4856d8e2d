/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-rpc-packet.c: libFuzzer target for what virtkitd does with the bytes
 * a client sends before any procedure runs: the length rule, the header
 * decode, the header rules (vkRpcPacketExamine: keepalive, unknown
 * program/version/procedure, status, read-only, not open, fd count), the
 * argument decode of the procedure found (XDR from rpcgen, then xdr_free),
 * and the error reply each refusal is encoded as.
 *
 * Input: one byte of client state (bit 0 read-only, bit 1 open), then a
 * stream of packets as they would arrive on the socket.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vk-rpc-packet.h"
#include "vk_rpc_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzzNever(vkRpcClient *c, const vkRpcHeader *h, void *a, void *r)
{
    (void)c; (void)h; (void)a; (void)r;
    abort();
}

/* Argument shapes the remote program uses: none, an int, a string, an
 * optional string, and the error structure itself (pointers, strings). */
static const vkRpcProcDesc fuzz_procs[] = {
    { 1, "CONNECT_OPEN", (xdrproc_t)xdr_vk_rpc_string, sizeof(char **), NULL, 0, fuzzNever,
      VK_RPC_PROC_PREOPEN | VK_RPC_PROC_READONLY_OK },
    { 2, "CONNECT_CLOSE", NULL, 0, NULL, 0, fuzzNever,
      VK_RPC_PROC_PREOPEN | VK_RPC_PROC_READONLY_OK },
    { 12, "DOMAIN_DESTROY", (xdrproc_t)xdr_vk_rpc_error_domain, sizeof(vk_rpc_error_domain),
      NULL, 0, fuzzNever, 0 },
    { 23, "DOMAIN_LOOKUP_BY_NAME", (xdrproc_t)xdr_vk_rpc_nonnull_string, sizeof(char *), NULL, 0,
      fuzzNever, VK_RPC_PROC_READONLY_OK },
    { 60, "CONNECT_SUPPORTS_FEATURE", (xdrproc_t)xdr_int, sizeof(int), NULL, 0, fuzzNever,
      VK_RPC_PROC_PREOPEN | VK_RPC_PROC_READONLY_OK | VK_RPC_PROC_PRIORITY },
    { 107, "DOMAIN_EVENT_LIFECYCLE", NULL, 0, NULL, 0, fuzzNever, VK_RPC_PROC_SERVER_ONLY },
    { 300, "FUZZ_ERROR_ARGS", (xdrproc_t)xdr_vk_rpc_error, sizeof(vk_rpc_error), NULL, 0,
      fuzzNever, VK_RPC_PROC_READONLY_OK },
};

static const vkRpcProgram fuzz_program = {
    VK_RPC_REMOTE_PROGRAM, VK_RPC_REMOTE_VERSION, fuzz_procs, G_N_ELEMENTS(fuzz_procs),
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const vkRpcProgram *progs[] = { &fuzz_program };
    bool readonly, open;
    size_t off = 1;

    if (size < 1)
        return 0;
    readonly = data[0] & 1;
    open = data[0] & 2;
    while (size - off >= 4) {
        guint32 len = ((guint32)data[off] << 24) | ((guint32)data[off + 1] << 16) |
                      ((guint32)data[off + 2] << 8) | data[off + 3];
        const guint8 *body = data + off + 4;
        vkRpcVerdict v;

        if (!vkRpcLengthCheck(len))
            return 0;          /* the daemon closes here */
        if (len - 4 > size - off - 4)
            return 0;          /* it would wait for the rest */
        vkRpcPacketExamine(body, len - 4, progs, 1, readonly, open, &v);
        switch (v.action) {
        case VK_RPC_ACT_DISPATCH: {
            const vkRpcProcDesc *d = v.desc;
            if (!d || (readonly && !(d->flags & VK_RPC_PROC_READONLY_OK)) ||
                (!open && !(d->flags & VK_RPC_PROC_PREOPEN)) || v.payload_offset > len - 4)
                abort();
            if (!vkRpcFilterIsVoid(d->args_filter)) {
                void *args = calloc(1, d->args_size);
                XDR xdr;
                xdrmem_create(&xdr, (char *)body + v.payload_offset,
                              len - 4 - v.payload_offset, XDR_DECODE);
                (void)d->args_filter(&xdr, args, 0);
                xdr_destroy(&xdr);
                xdr_free(d->args_filter, args);
                free(args);
            }
            break;
        }
        case VK_RPC_ACT_ERROR: {
            GBytes *b;
            if (!v.err_message)
                abort();
            b = vkRpcEncodeError(&v.hdr, v.err_code, v.err_domain, 2, v.err_message,
                                 v.err_str1, v.err_str2, NULL, -1, -1);
            if (!b)
                abort();
            g_bytes_unref(b);
            break;
        }
        case VK_RPC_ACT_PING: {
            GBytes *b = vkRpcEncodeKeepalive(VK_RPC_KEEPALIVE_PROC_PONG);
            if (!b || g_bytes_get_size(b) != 28)
                abort();
            g_bytes_unref(b);
            break;
        }
        case VK_RPC_ACT_CLOSE:
            vkRpcVerdictClear(&v);
            return 0;
        case VK_RPC_ACT_PONG:
        case VK_RPC_ACT_DROP:
            break;
        }
        /* the fds of a type 4/5 packet would follow out of band */
        vkRpcVerdictClear(&v);
        off += len;
    }
    return 0;
}
