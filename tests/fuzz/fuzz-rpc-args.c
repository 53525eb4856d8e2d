/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-rpc-args.c: libFuzzer target for the argument and reply layouts of
 * every procedure in virtkitd's table (vkRpcRemoteProgram, generated from
 * rpc/remote.procs), and for the handlers that turn decoded arguments into
 * API calls.
 *
 * Input: two bytes (little endian) choosing the procedure (modulo the
 * table's size), one byte of mode, then the payload.
 *   mode bit 0 clear: the payload is decoded as the procedure's arguments
 *                     (what virtkitd does with a client's CALL);
 *   mode bit 0 set:   decoded as its reply (what the remote plugin does
 *                     with a server's REPLY or MESSAGE).
 *   mode bit 1 set:   arguments that decoded are also handed to the
 *                     procedure's handler, on a read-only connection to the
 *                     in-process test:///default, when the table allows the
 *                     procedure on a read-only socket; its reply is encoded.
 * Whatever decoded is encoded again and the encoding decoded once more:
 * the two directions of each filter must agree.  Everything is freed with
 * xdr_free, as the daemon frees it, so LeakSanitizer sees what leaks.
 *
 * The handlers run on a read-only connection, as they would behind
 * virtkitd's read-only socket, so that no input can make them write files
 * (save images, core dumps) where a fuzzed path points: the core refuses
 * every state-changing API on such a connection before a plugin sees it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "vk-rpc-dispatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the runtime's half of vk-rpc.h, faked: one client, no socket */

struct _vkRpcClient {
    void *data;
};

void *
vkRpcClientGetDispatchData(vkRpcClient *client)
{
    return client->data;
}

bool
vkRpcClientIsReadonly(vkRpcClient *client G_GNUC_UNUSED)
{
    return true;
}

void
vkRpcClientEnableKeepalive(vkRpcClient *client G_GNUC_UNUSED)
{
}

/* Event MESSAGEs are encoded (their layouts are the point) and dropped. */
int
vkRpcClientSendMessage(vkRpcClient *client G_GNUC_UNUSED, unsigned int prog G_GNUC_UNUSED,
                       unsigned int vers G_GNUC_UNUSED, int proc G_GNUC_UNUSED,
                       xdrproc_t filter, void *msg)
{
    unsigned long n = xdr_sizeof(filter, msg);
    g_autofree char *buf = g_malloc(n ? n : 1);
    XDR x;

    xdrmem_create(&x, buf, n, XDR_ENCODE);
    if (!filter(&x, msg))
        abort();
    xdr_destroy(&x);
    return 0;
}

void
vkRpcClientGetIdentity(vkRpcClient *client G_GNUC_UNUSED, pid_t *pid, uid_t *uid, gid_t *gid)
{
    *pid = getpid();
    *uid = 0;
    *gid = 0;
}

/* ---- helpers */

#define MAX_ENCODED (32u * 1024 * 1024)

static bool
filterIsVoid(xdrproc_t f)
{
    return f == NULL || (void *)f == (void *)xdr_void;
}

/* Encodes @obj with @filter, decodes the bytes into a fresh @size object,
 * frees that again: a filter that accepts what it wrote itself. */
static void
reencode(xdrproc_t filter, size_t size, void *obj)
{
    unsigned long n = xdr_sizeof(filter, obj);
    g_autofree char *buf = NULL;
    g_autofree void *again = NULL;
    XDR x;

    if (n == 0 || n > MAX_ENCODED)
        return;          /* too big for a packet: the daemon refuses it too */
    buf = g_malloc(n);
    xdrmem_create(&x, buf, n, XDR_ENCODE);
    if (!filter(&x, obj))
        abort();         /* it decoded, so it must encode */
    xdr_destroy(&x);

    again = g_malloc0(size ? size : 1);
    xdrmem_create(&x, buf, n, XDR_DECODE);
    if (!filter(&x, again))
        abort();         /* what it encoded, it must decode */
    xdr_destroy(&x);
    xdr_free(filter, again);
}

static vkRpcClient fuzz_client;
static bool fuzz_open;

/* A read-only connection to test:///default through CONNECT_OPEN's own
 * handler, made once: the host then lives for the whole run, as it does
 * in the daemon. */
static void
openOnce(void)
{
    const vkRpcProcDesc *d = NULL;
    remote_connect_open_args a = { 0 };
    char *name = (char *)"test:///default";
    vkRpcHeader h = { 0 };

    if (fuzz_client.data)
        return;
    fuzz_client.data = vkRpcDispatchClientNew(&fuzz_client);
    for (size_t i = 0; i < vkRpcRemoteProgram.nprocs; i++)
        if (vkRpcRemoteProgram.procs[i].proc == 1)
            d = &vkRpcRemoteProgram.procs[i];
    if (!d)
        abort();
    a.name = &name;
    a.flags = 1;          /* VIR_CONNECT_RO */
    h.proc = 1;
    fuzz_open = d->fn(&fuzz_client, &h, &a, NULL) == 0;
    if (!fuzz_open) {
        fprintf(stderr, "fuzz-rpc-args: test:///default did not open (%s); "
                "handlers are not exercised\n",
                virGetLastErrorMessage());
    }
}

static void
dispatch(const vkRpcProcDesc *d, void *args)
{
    g_autofree void *ret = g_malloc0(d->ret_size ? d->ret_size : 1);
    vkRpcHeader h = { 0 };

    h.prog = vkRpcRemoteProgram.prog;
    h.vers = vkRpcRemoteProgram.vers;
    h.proc = d->proc;
    h.serial = 1;
    virResetLastError();
    if (d->fn(&fuzz_client, &h, args, ret) == 0 && !filterIsVoid(d->ret_filter)) {
        unsigned long n = xdr_sizeof(d->ret_filter, ret);
        if (n <= MAX_ENCODED) {
            g_autofree char *buf = g_malloc(n ? n : 1);
            XDR x;
            xdrmem_create(&x, buf, n, XDR_ENCODE);
            if (!d->ret_filter(&x, ret))
                abort();
            xdr_destroy(&x);
        }
    }
    virResetLastError();
    if (!filterIsVoid(d->ret_filter))
        xdr_free(d->ret_filter, ret);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const vkRpcProcDesc *d;
    xdrproc_t filter;
    size_t osize;
    g_autofree void *obj = NULL;
    bool as_reply, run;
    bool decoded;
    XDR x;

    if (size < 3 || vkRpcRemoteProgram.nprocs == 0)
        return 0;
    d = &vkRpcRemoteProgram.procs[(data[0] | (data[1] << 8)) % vkRpcRemoteProgram.nprocs];
    as_reply = data[2] & 1;
    run = (data[2] & 2) && !as_reply;
    filter = as_reply ? d->ret_filter : d->args_filter;
    osize = as_reply ? d->ret_size : d->args_size;
    if (filterIsVoid(filter))
        return 0;

    obj = g_malloc0(osize ? osize : 1);
    xdrmem_create(&x, (char *)data + 3, size - 3, XDR_DECODE);
    decoded = filter(&x, obj);
    xdr_destroy(&x);
    if (decoded) {
        reencode(filter, osize, obj);
        /* CONNECT_OPEN and CONNECT_CLOSE would change the one connection;
         * server-only procedures have no handler to run */
        if (run && (d->flags & VK_RPC_PROC_READONLY_OK) &&
            !(d->flags & VK_RPC_PROC_SERVER_ONLY) && d->proc != 1 && d->proc != 2) {
            openOnce();
            if (fuzz_open)
                dispatch(d, obj);
        }
    }
    xdr_free(filter, obj);
    return 0;
}
