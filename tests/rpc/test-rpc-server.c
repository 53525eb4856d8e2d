/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The server runtime against a raw client on a real unix socket, with a
 * small program table of this test's own (the remote program's table is the
 * dispatch side's): framing limits, header rules, read-only and not-open
 * refusals before decoding, decode errors, errors from virGetLastError(),
 * fd passing, the per-client quota with keepalive answered beside it,
 * keepalive pings and the drop, max_clients, a flood of unanswered calls,
 * messages sent to a client, and cleanup at EOF.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vk-rpc-server.h"
#include "vk-rpc-packet.h"
#include "vk_rpc_proto.h"

#define TPROG 0x7654321u
#define P_OPEN 1
#define P_ECHO 2
#define P_FAIL 3
#define P_BLOCK 4
#define P_WRITE 5
#define P_KA 6
#define P_EVENT 7
#define P_SERVERMSG 8
#define P_FDS 9

/* ---- the test program ---- */

typedef struct {
    gint open;
} TestClientData;

static GMutex block_lock;
static GCond block_cond;
static int block_running;
static bool block_release;
static gint clients_freed;

static void *
testClientNew(vkRpcClient *client G_GNUC_UNUSED)
{
    return g_new0(TestClientData, 1);
}

static void
testClientFree(void *data)
{
    g_free(data);
    g_atomic_int_inc(&clients_freed);
}

static bool
testClientIsOpen(void *data)
{
    return g_atomic_int_get(&((TestClientData *)data)->open);
}

static int
testOpen(vkRpcClient *c, const vkRpcHeader *h G_GNUC_UNUSED, void *a G_GNUC_UNUSED,
         void *r G_GNUC_UNUSED)
{
    TestClientData *d = vkRpcClientGetDispatchData(c);
    g_atomic_int_set(&d->open, 1);
    return 0;
}

static int
testEcho(vkRpcClient *c G_GNUC_UNUSED, const vkRpcHeader *h G_GNUC_UNUSED, void *a, void *r)
{
    *(char **)r = g_strdup(*(char **)a);
    return 0;
}

static int
testFail(vkRpcClient *c G_GNUC_UNUSED, const vkRpcHeader *h G_GNUC_UNUSED,
         void *a G_GNUC_UNUSED, void *r G_GNUC_UNUSED)
{
    /* a real error from the core's public API */
    g_assert_null(virDomainGetName(NULL));
    return -1;
}

static int
testBlock(vkRpcClient *c G_GNUC_UNUSED, const vkRpcHeader *h G_GNUC_UNUSED,
          void *a G_GNUC_UNUSED, void *r G_GNUC_UNUSED)
{
    g_mutex_lock(&block_lock);
    block_running++;
    g_cond_broadcast(&block_cond);
    while (!block_release)
        g_cond_wait(&block_cond, &block_lock);
    block_running--;
    g_mutex_unlock(&block_lock);
    return 0;
}

static int
testWrite(vkRpcClient *c G_GNUC_UNUSED, const vkRpcHeader *h G_GNUC_UNUSED,
          void *a G_GNUC_UNUSED, void *r G_GNUC_UNUSED)
{
    return 0;
}

static int
testKa(vkRpcClient *c, const vkRpcHeader *h G_GNUC_UNUSED, void *a G_GNUC_UNUSED,
       void *r G_GNUC_UNUSED)
{
    vkRpcClientEnableKeepalive(c);
    return 0;
}

static int
testEvent(vkRpcClient *c, const vkRpcHeader *h G_GNUC_UNUSED, void *a, void *r G_GNUC_UNUSED)
{
    return vkRpcClientSendMessage(c, TPROG, 1, P_SERVERMSG, (xdrproc_t)xdr_int, a);
}

static int
testFds(vkRpcClient *c G_GNUC_UNUSED, const vkRpcHeader *h G_GNUC_UNUSED, void *a, void *r)
{
    *(int *)r = *(int *)a * 2;
    return 0;
}

static const vkRpcProcDesc test_procs[] = {
    { P_OPEN, "TEST_OPEN", NULL, 0, NULL, 0, testOpen,
      VK_RPC_PROC_PREOPEN | VK_RPC_PROC_READONLY_OK },
    { P_ECHO, "TEST_ECHO", (xdrproc_t)xdr_vk_rpc_nonnull_string, sizeof(char *),
      (xdrproc_t)xdr_vk_rpc_nonnull_string, sizeof(char *), testEcho, VK_RPC_PROC_READONLY_OK },
    { P_FAIL, "TEST_FAIL", NULL, 0, NULL, 0, testFail, VK_RPC_PROC_READONLY_OK },
    { P_BLOCK, "TEST_BLOCK", NULL, 0, NULL, 0, testBlock, VK_RPC_PROC_READONLY_OK },
    { P_WRITE, "DOMAIN_GET_XML_WRITE", (xdrproc_t)xdr_vk_rpc_nonnull_string, sizeof(char *),
      NULL, 0, testWrite, 0 },
    { P_KA, "TEST_KA", NULL, 0, NULL, 0, testKa, VK_RPC_PROC_PREOPEN | VK_RPC_PROC_READONLY_OK },
    { P_EVENT, "TEST_EVENT", (xdrproc_t)xdr_int, sizeof(int), NULL, 0, testEvent,
      VK_RPC_PROC_READONLY_OK },
    { P_SERVERMSG, "TEST_SERVERMSG", NULL, 0, NULL, 0, testWrite, VK_RPC_PROC_SERVER_ONLY },
    { P_FDS, "TEST_FDS", (xdrproc_t)xdr_int, sizeof(int), (xdrproc_t)xdr_int, sizeof(int),
      testFds, VK_RPC_PROC_READONLY_OK },
};

static const vkRpcProgram test_program = { TPROG, 1, test_procs, G_N_ELEMENTS(test_procs) };

/* ---- fixture: a server on rw and ro sockets in a temp dir ---- */

typedef struct {
    char *dir;
    char *rw_path;
    char *ro_path;
    vkRpcServer *srv;
} Fixture;

static void
fixtureStart(Fixture *f, vkRpcServerConfig *cfg)
{
    const vkRpcProgram *progs[] = { &test_program };
    vkRpcServerHooks hooks = { testClientNew, testClientFree, testClientIsOpen };
    g_autoptr(GError) err = NULL;

    f->dir = g_dir_make_tmp("vk-rpc-XXXXXX", &err);
    g_assert_no_error(err);
    f->rw_path = g_build_filename(f->dir, "sock", NULL);
    f->ro_path = g_build_filename(f->dir, "sock-ro", NULL);
    f->srv = vkRpcServerNew(cfg, &hooks, progs, 1, &err);
    g_assert_no_error(err);
    for (int i = 0; i < 2; i++) {
        g_autoptr(GSocket) s = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, &err);
        g_autoptr(GSocketAddress) a = g_unix_socket_address_new(i ? f->ro_path : f->rw_path);
        g_assert_no_error(err);
        g_assert_true(g_socket_bind(s, a, TRUE, &err));
        g_assert_true(g_socket_listen(s, &err));
        vkRpcServerAddListener(f->srv, s, i == 1);
    }
    g_assert_true(vkRpcServerStart(f->srv, &err));
    g_assert_no_error(err);
}

static void
fixtureSetup(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    vkRpcServerConfig cfg;

    vkRpcServerConfigInit(&cfg);
    cfg.max_client_requests = 2;
    cfg.max_clients = 4;
    cfg.keepalive_interval = 1;
    cfg.keepalive_count = 2;
    block_release = false;
    fixtureStart(f, &cfg);
}

static void
fixtureTeardown(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_mutex_lock(&block_lock);
    block_release = true;
    g_cond_broadcast(&block_cond);
    g_mutex_unlock(&block_lock);
    vkRpcServerFree(f->srv);
    g_unlink(f->rw_path);
    g_unlink(f->ro_path);
    g_rmdir(f->dir);
    g_free(f->rw_path);
    g_free(f->ro_path);
    g_free(f->dir);
}

/* ---- a raw client ---- */

typedef struct {
    vkRpcHeader h;
    guint8 *payload;
    size_t len;
    vk_rpc_error err;
    bool has_err;
} Packet;

static void
packetClear(Packet *p)
{
    if (p->has_err)
        xdr_free((xdrproc_t)xdr_vk_rpc_error, (char *)&p->err);
    g_free(p->payload);
    memset(p, 0, sizeof(*p));
}

static int
clientConnect(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    return fd;
}

static void
writeAll(int fd, const void *buf, size_t len)
{
    const guint8 *p = buf;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= n;
    }
}

static void
putU32(guint8 *p, guint32 v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static void
sendPacket(int fd, guint32 prog, guint32 vers, int proc, int type, guint32 serial, int status,
           const void *payload, size_t plen)
{
    g_autofree guint8 *buf = g_malloc(28 + plen);
    putU32(buf, 28 + plen);
    putU32(buf + 4, prog);
    putU32(buf + 8, vers);
    putU32(buf + 12, proc);
    putU32(buf + 16, type);
    putU32(buf + 20, serial);
    putU32(buf + 24, status);
    if (plen)
        memcpy(buf + 28, payload, plen);
    writeAll(fd, buf, 28 + plen);
}

static void
sendCall(int fd, int proc, guint32 serial, const void *payload, size_t plen)
{
    sendPacket(fd, TPROG, 1, proc, VK_RPC_TYPE_CALL, serial, 0, payload, plen);
}

/* Reads one packet within @ms; false on EOF or timeout (*eof says which). */
static bool
readPacketTimeout(int fd, Packet *p, int ms, bool *eof)
{
    guint8 lenbuf[4];
    size_t have = 0, want = 4;
    guint8 *buf = lenbuf;
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    guint32 len = 0;

    memset(p, 0, sizeof(*p));
    *eof = false;
    for (int phase = 0; phase < 2; phase++) {
        while (have < want) {
            struct pollfd pfd = { fd, POLLIN, 0 };
            int left = (int)((deadline - g_get_monotonic_time()) / 1000);
            ssize_t n;
            if (left < 0 || poll(&pfd, 1, left) == 0) {
                g_assert_cmpuint(have, ==, 0);
                if (phase == 1)
                    g_free(buf);
                return false;
            }
            n = recv(fd, buf + have, want - have, 0);
            if (n <= 0) {
                *eof = true;
                if (phase == 1)
                    g_free(buf);
                return false;
            }
            have += n;
        }
        if (phase == 0) {
            len = ((guint32)lenbuf[0] << 24) | (lenbuf[1] << 16) | (lenbuf[2] << 8) | lenbuf[3];
            g_assert_cmpuint(len, >=, 28);
            want = len - 4;
            have = 0;
            buf = g_malloc(want);
            /* the rest of a packet that began is not subject to @ms */
            deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
        }
    }
    g_assert_true(vkRpcHeaderDecode(buf, len - 4, &p->h));
    p->len = len - 28;
    p->payload = g_memdup2(buf + 24, p->len);
    g_free(buf);
    if (p->h.type == VK_RPC_TYPE_REPLY && p->h.status == VK_RPC_STATUS_ERROR) {
        XDR xdr;
        xdrmem_create(&xdr, (char *)p->payload, p->len, XDR_DECODE);
        g_assert_true(xdr_vk_rpc_error(&xdr, &p->err));
        xdr_destroy(&xdr);
        p->has_err = true;
    }
    return true;
}

/* The next packet that is not keepalive; PINGs are answered (or counted). */
static void
readReply(int fd, Packet *p)
{
    bool eof;
    for (;;) {
        g_assert_true(readPacketTimeout(fd, p, 5000, &eof));
        if (p->h.prog == VK_RPC_KEEPALIVE_PROGRAM && p->h.type == VK_RPC_TYPE_MESSAGE) {
            if (p->h.proc == VK_RPC_KEEPALIVE_PROC_PING)
                sendPacket(fd, VK_RPC_KEEPALIVE_PROGRAM, 1, VK_RPC_KEEPALIVE_PROC_PONG,
                           VK_RPC_TYPE_MESSAGE, 0, 0, NULL, 0);
            packetClear(p);
            continue;
        }
        return;
    }
}

static void
assertError(int fd, guint32 serial, int code, int domain, const char *msg)
{
    Packet p;
    g_test_message("expecting error for serial %u: %s", serial, msg);
    readReply(fd, &p);
    g_assert_cmpuint(p.h.serial, ==, serial);
    g_assert_cmpint(p.h.type, ==, VK_RPC_TYPE_REPLY);
    g_assert_cmpint(p.h.status, ==, VK_RPC_STATUS_ERROR);
    g_assert_true(p.has_err);
    g_assert_cmpint(p.err.code, ==, code);
    g_assert_cmpint(p.err.domain, ==, domain);
    g_assert_cmpint(p.err.level, ==, VIR_ERR_ERROR);
    g_assert_nonnull(p.err.message);
    g_assert_cmpstr(*p.err.message, ==, msg);
    g_assert_null(p.err.dom);
    g_assert_null(p.err.net);
    g_assert_cmpint(p.err.int1, ==, -1);
    packetClear(&p);
}

static void
assertOk(int fd, guint32 serial)
{
    Packet p;
    readReply(fd, &p);
    g_assert_cmpuint(p.h.serial, ==, serial);
    g_assert_cmpint(p.h.type, ==, VK_RPC_TYPE_REPLY);
    if (p.has_err)
        g_error("serial %u: unexpected error %s", serial, p.err.message ? *p.err.message : "");
    g_assert_cmpint(p.h.status, ==, VK_RPC_STATUS_OK);
    packetClear(&p);
}

static void
assertEof(int fd, int ms)
{
    Packet p;
    bool eof = false;
    while (readPacketTimeout(fd, &p, ms, &eof))
        packetClear(&p);
    g_assert_true(eof);
}

static void
assertSilence(int fd, int ms)
{
    Packet p;
    bool eof = false;
    g_assert_false(readPacketTimeout(fd, &p, ms, &eof));
    g_assert_false(eof);
}

static size_t
xdrString(guint8 *buf, const char *s)
{
    size_t n = strlen(s), pad = (4 - n % 4) % 4;
    putU32(buf, n);
    memcpy(buf + 4, s, n);
    memset(buf + 4 + n, 0, pad);
    return 4 + n + pad;
}

static void
assertEcho(int fd, guint32 serial, const char *s)
{
    guint8 buf[256];
    Packet p;
    size_t n = xdrString(buf, s);

    sendCall(fd, P_ECHO, serial, buf, n);
    readReply(fd, &p);
    g_assert_cmpuint(p.h.serial, ==, serial);
    g_assert_cmpint(p.h.status, ==, VK_RPC_STATUS_OK);
    g_assert_cmpmem(p.payload, p.len, buf, n);
    packetClear(&p);
}

static int
openClient(const char *path)
{
    int fd = clientConnect(path);
    sendCall(fd, P_OPEN, 0, NULL, 0);
    assertOk(fd, 0);
    return fd;
}

/* ---- tests ---- */

static void
testLengthBounds(Fixture *f, gconstpointer d G_GNUC_UNUSED)
{
    const guint32 bad[] = { 0, 4, 27, 33554437, 0xffffffffu };
    guint8 w[4];
    int fd, other = openClient(f->rw_path);

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        fd = clientConnect(f->rw_path);
        putU32(w, bad[i]);
        writeAll(fd, w, 4);
        assertEof(fd, 2000);
        close(fd);
    }
    /* the largest length is accepted: the daemon waits for the body */
    fd = clientConnect(f->rw_path);
    putU32(w, 33554436);
    writeAll(fd, w, 4);
    assertSilence(fd, 300);
    close(fd);
    assertEcho(other, 1, "still here");
    close(other);
}

static void
testHeaderRules(Fixture *f, gconstpointer d G_GNUC_UNUSED)
{
    int fd = clientConnect(f->rw_path);
    guint8 junk[8] = { 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4 };

    /* before open: only PREOPEN procedures; the payload is never decoded */
    sendCall(fd, P_ECHO, 7, junk, sizeof(junk));
    assertError(fd, 7, VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                "internal error: hypervisor connection not open");
    sendCall(fd, P_OPEN, 8, NULL, 0);
    assertOk(fd, 8);

    sendPacket(fd, 0x11223344, 1, 1, VK_RPC_TYPE_CALL, 9, 0, NULL, 0);
    assertError(fd, 9, VIR_ERR_RPC, VIR_FROM_RPC, "Cannot find program 287454020 version 1");
    sendPacket(fd, TPROG, 2, P_ECHO, VK_RPC_TYPE_CALL, 10, 0, NULL, 0);
    assertError(fd, 10, VIR_ERR_RPC, VIR_FROM_RPC, "Cannot find program 124076833 version 2");
    sendCall(fd, 9999, 11, NULL, 0);
    assertError(fd, 11, VIR_ERR_RPC, VIR_FROM_RPC, "unknown procedure: 9999");
    sendCall(fd, P_SERVERMSG, 12, NULL, 0);
    assertError(fd, 12, VIR_ERR_RPC, VIR_FROM_RPC, "unknown procedure: 8");
    sendPacket(fd, TPROG, 1, 9999, VK_RPC_TYPE_CALL, 13, 7, NULL, 0);
    assertError(fd, 13, VIR_ERR_RPC, VIR_FROM_RPC, "Unexpected message status 7");
    /* keepalive PING sent as a CALL: libvirtd has no such program either */
    sendPacket(fd, VK_RPC_KEEPALIVE_PROGRAM, 1, 1, VK_RPC_TYPE_CALL, 14, 0, NULL, 0);
    assertError(fd, 14, VIR_ERR_RPC, VIR_FROM_RPC, "Cannot find program 1801807216 version 1");
    /* truncated arguments */
    sendCall(fd, P_ECHO, 15, junk, 6);
    assertError(fd, 15, VIR_ERR_RPC, VIR_FROM_RPC, "Unable to decode message payload");

    /* types that expect no answer are dropped: REPLY, MESSAGE, STREAM, 9 */
    sendPacket(fd, TPROG, 1, P_ECHO, VK_RPC_TYPE_REPLY, 16, 1, NULL, 0);
    sendPacket(fd, TPROG, 1, P_ECHO, VK_RPC_TYPE_MESSAGE, 17, 0, NULL, 0);
    sendPacket(fd, TPROG, 1, P_ECHO, VK_RPC_TYPE_STREAM, 18, 2, junk, 8);
    sendPacket(fd, TPROG, 1, P_ECHO, 9, 19, 0, NULL, 0);
    sendPacket(fd, 0x11223344, 1, 1, VK_RPC_TYPE_MESSAGE, 20, 0, NULL, 0);
    assertEcho(fd, 21, "after the dropped ones");

    /* an error from the thread's virGetLastError() */
    {
        Packet p;
        sendCall(fd, P_FAIL, 22, NULL, 0);
        readReply(fd, &p);
        g_assert_true(p.has_err);
        g_assert_cmpint(p.err.code, ==, VIR_ERR_INVALID_DOMAIN);
        g_assert_cmpint(p.err.domain, ==, VIR_FROM_DOM);
        g_assert_nonnull(p.err.message);
        g_assert_nonnull(strstr(*p.err.message, "virDomainGetName"));
        packetClear(&p);
    }
    close(fd);
}

static void
testReadonly(Fixture *f, gconstpointer d G_GNUC_UNUSED)
{
    int fd = openClient(f->ro_path);
    guint8 junk[3] = { 0xde, 0xad, 0xbe };

    /* refused before the (undecodable) payload is looked at */
    sendCall(fd, P_WRITE, 1, junk, sizeof(junk));
    assertError(fd, 1, VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainGetXMLWrite");
    assertEcho(fd, 2, "reading is fine");
    close(fd);

    fd = openClient(f->rw_path);
    sendCall(fd, P_WRITE, 3, junk, sizeof(junk));
    assertError(fd, 3, VIR_ERR_RPC, VIR_FROM_RPC, "Unable to decode message payload");
    close(fd);
}

static void
testApiNames(void)
{
    const char *cases[][2] = {
        { "DOMAIN_DESTROY", "virDomainDestroy" },
        { "DOMAIN_GET_XML_DESC", "virDomainGetXMLDesc" },
        { "DOMAIN_LOOKUP_BY_UUID", "virDomainLookupByUUID" },
        { "CONNECT_LIST_ALL_DOMAINS", "virConnectListAllDomains" },
        { "DOMAIN_PIN_IOTHREAD", "virDomainPinIOThread" },
        { "NWFILTER_DEFINE_XML", "virNWFilterDefineXML" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *n = vkRpcProcApiName(cases[i][0]);
        g_assert_cmpstr(n, ==, cases[i][1]);
    }
}

static void
testFdPassing(Fixture *f, gconstpointer d G_GNUC_UNUSED)
{
    int fd = openClient(f->rw_path);
    guint8 payload[8];
    int pipefd[2];
    Packet p;

    g_assert_cmpint(pipe(pipefd), ==, 0);
    putU32(payload, 1);       /* fd count */
    putU32(payload + 4, 21);  /* the int argument */
    sendPacket(fd, TPROG, 1, P_FDS, VK_RPC_TYPE_CALL_WITH_FDS, 1, 0, payload, 8);
    {
        char byte = 0;
        struct iovec iov = { &byte, 1 };
        union {
            char buf[CMSG_SPACE(sizeof(int))];
            struct cmsghdr align;
        } u;
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
                             .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &pipefd[0], sizeof(int));
        g_assert_cmpint(sendmsg(fd, &mh, 0), ==, 1);
    }
    readReply(fd, &p);
    g_assert_false(p.has_err);
    g_assert_cmpuint(p.len, ==, 4);
    g_assert_cmpint(p.payload[3], ==, 42);
    packetClear(&p);
    /* the stream stays in step after the fd */
    assertEcho(fd, 2, "after fds");

    /* more fds than a message may carry: closed, as libvirtd does */
    putU32(payload, 40);
    sendPacket(fd, TPROG, 1, P_FDS, VK_RPC_TYPE_CALL_WITH_FDS, 3, 0, payload, 8);
    assertEof(fd, 2000);
    close(fd);
    close(pipefd[0]);
    close(pipefd[1]);
}

static void
waitRunning(int n)
{
    gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    g_mutex_lock(&block_lock);
    while (block_running < n)
        g_assert_true(g_cond_wait_until(&block_cond, &block_lock, end));
    g_mutex_unlock(&block_lock);
}

static void
testQuota(Fixture *f, gconstpointer d G_GNUC_UNUSED)
{
    int fd = openClient(f->rw_path);
    int other = openClient(f->rw_path);
    Packet p;
    bool eof;

    /* max_client_requests = 2: both run, blocked in the procedure */
    sendCall(fd, P_BLOCK, 1, NULL, 0);
    sendCall(fd, P_BLOCK, 2, NULL, 0);
    waitRunning(2);
    /* with its quota in flight the client still gets PONGs */
    sendPacket(fd, VK_RPC_KEEPALIVE_PROGRAM, 1, VK_RPC_KEEPALIVE_PROC_PING,
               VK_RPC_TYPE_MESSAGE, 0, 0, NULL, 0);
    g_assert_true(readPacketTimeout(fd, &p, 2000, &eof));
    g_assert_cmpuint(p.h.prog, ==, VK_RPC_KEEPALIVE_PROGRAM);
    g_assert_cmpint(p.h.proc, ==, VK_RPC_KEEPALIVE_PROC_PONG);
    packetClear(&p);
    /* a third call waits unstarted */
    sendCall(fd, P_BLOCK, 3, NULL, 0);
    g_usleep(200 * 1000);
    g_mutex_lock(&block_lock);
    g_assert_cmpint(block_running, ==, 2);
    g_mutex_unlock(&block_lock);
    /* other clients are not held up */
    assertEcho(other, 1, "not held up");

    g_mutex_lock(&block_lock);
    block_release = true;
    g_cond_broadcast(&block_cond);
    g_mutex_unlock(&block_lock);
    {
        bool seen[4] = { false };
        for (int i = 0; i < 3; i++) {
            readReply(fd, &p);
            g_assert_false(p.has_err);
            g_assert_cmpuint(p.h.serial, >=, 1);
            g_assert_cmpuint(p.h.serial, <=, 3);
            seen[p.h.serial] = true;
            packetClear(&p);
        }
        g_assert_true(seen[1] && seen[2] && seen[3]);
    }
    close(fd);
    close(other);
}

static void
testKeepaliveDrop(Fixture *f, gconstpointer d G_GNUC_UNUSED)
{
    int fd = openClient(f->rw_path);
    int pings = 0;
    gint64 start, elapsed;
    Packet p;
    bool eof;

    sendCall(fd, P_KA, 1, NULL, 0);
    assertOk(fd, 1);
    start = g_get_monotonic_time();
    /* interval 1 s, count 2: two PINGs, then the drop at about 3 s */
    while (readPacketTimeout(fd, &p, 6000, &eof)) {
        g_assert_cmpuint(p.h.prog, ==, VK_RPC_KEEPALIVE_PROGRAM);
        g_assert_cmpint(p.h.proc, ==, VK_RPC_KEEPALIVE_PROC_PING);
        g_assert_cmpint(p.h.type, ==, VK_RPC_TYPE_MESSAGE);
        g_assert_cmpuint(p.len, ==, 0);
        pings++;
        packetClear(&p);
    }
    elapsed = g_get_monotonic_time() - start;
    g_assert_true(eof);
    g_assert_cmpint(pings, ==, 2);
    g_assert_cmpint(elapsed, >=, 2500 * 1000);
    g_assert_cmpint(elapsed, <, 5500 * 1000);
    close(fd);
}

static void
testKeepaliveAnswered(Fixture *f, gconstpointer d G_GNUC_UNUSED)
{
    int fd = openClient(f->rw_path);
    int quiet = openClient(f->rw_path);
    gint64 end;
    int pings = 0;

    sendCall(fd, P_KA, 1, NULL, 0);
    assertOk(fd, 1);
    /* answering keeps it connected well past interval x count */
    end = g_get_monotonic_time() + 4 * G_USEC_PER_SEC;
    while (g_get_monotonic_time() < end) {
        Packet p;
        bool eof;
        if (readPacketTimeout(fd, &p, 500, &eof)) {
            g_assert_cmpint(p.h.proc, ==, VK_RPC_KEEPALIVE_PROC_PING);
            sendPacket(fd, VK_RPC_KEEPALIVE_PROGRAM, 1, VK_RPC_KEEPALIVE_PROC_PONG,
                       VK_RPC_TYPE_MESSAGE, 0, 0, NULL, 0);
            pings++;
            packetClear(&p);
        }
        g_assert_false(eof);
    }
    g_assert_cmpint(pings, >=, 2);
    assertEcho(fd, 2, "alive");
    /* a client that never asked is never pinged */
    assertSilence(quiet, 100);
    assertEcho(quiet, 1, "never pinged");
    close(fd);
    close(quiet);
}

static void
testMaxClients(Fixture *f, gconstpointer d G_GNUC_UNUSED)
{
    int fds[4], extra;

    for (int i = 0; i < 4; i++)
        fds[i] = openClient(f->rw_path);
    extra = clientConnect(f->rw_path);
    sendCall(extra, P_OPEN, 0, NULL, 0);
    assertError(extra, 0, VIR_ERR_RPC, VIR_FROM_RPC,
                "Too many active clients: this daemon serves at most 4 "
                "(max_clients in virtkitd.conf)");
    assertEof(extra, 2000);
    close(extra);
    for (int i = 0; i < 4; i++)
        assertEcho(fds[i], 1, "served");
    close(fds[0]);
    /* a place came free */
    {
        gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
        while (vkRpcServerNClients(f->srv) > 3 && g_get_monotonic_time() < end)
            g_usleep(10000);
    }
    fds[0] = openClient(f->rw_path);
    assertEcho(fds[0], 1, "admitted");
    for (int i = 0; i < 4; i++)
        close(fds[i]);
}

#define FLOOD 10000

static gpointer
floodSender(gpointer data)
{
    int fd = GPOINTER_TO_INT(data);
    guint8 buf[16];
    size_t n = xdrString(buf, "flood");
    for (guint32 i = 0; i < FLOOD; i++)
        sendCall(fd, P_ECHO, 100 + i, buf, n);
    return NULL;
}

static void
testFlood(Fixture *f, gconstpointer d G_GNUC_UNUSED)
{
    int fd = openClient(f->rw_path);
    int other = openClient(f->rw_path);
    GThread *t;
    int answered = 0;

    /* 10,000 calls sent without waiting: every one answered, another
     * client served meanwhile */
    t = g_thread_new("flood", floodSender, GINT_TO_POINTER(fd));
    assertEcho(other, 1, "meanwhile");
    for (int i = 0; i < FLOOD; i++) {
        Packet p;
        readReply(fd, &p);
        g_assert_false(p.has_err);
        answered++;
        packetClear(&p);
    }
    g_thread_join(t);
    g_assert_cmpint(answered, ==, FLOOD);
    assertEcho(other, 2, "after");
    close(fd);
    close(other);
}

static void
testMessage(Fixture *f, gconstpointer d G_GNUC_UNUSED)
{
    int fd = openClient(f->rw_path);
    guint8 arg[4];
    Packet p;
    bool eof;

    putU32(arg, 1234);
    sendCall(fd, P_EVENT, 5, arg, 4);
    g_assert_true(readPacketTimeout(fd, &p, 2000, &eof));
    g_assert_cmpint(p.h.type, ==, VK_RPC_TYPE_MESSAGE);
    g_assert_cmpint(p.h.proc, ==, P_SERVERMSG);
    g_assert_cmpuint(p.len, ==, 4);
    g_assert_cmpmem(p.payload, 4, arg, 4);
    packetClear(&p);
    assertOk(fd, 5);
    close(fd);
}

static void
testCleanupAtEof(Fixture *f, gconstpointer d G_GNUC_UNUSED)
{
    gint before = g_atomic_int_get(&clients_freed);
    gint64 end;
    int fd = openClient(f->rw_path);

    /* the client drops the socket with a call in flight */
    sendCall(fd, P_BLOCK, 1, NULL, 0);
    waitRunning(1);
    close(fd);
    g_usleep(100 * 1000);
    /* its state lives while its call runs ... */
    g_assert_cmpint(g_atomic_int_get(&clients_freed), ==, before);
    g_mutex_lock(&block_lock);
    block_release = true;
    g_cond_broadcast(&block_cond);
    g_mutex_unlock(&block_lock);
    /* ... and goes when it ends */
    end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    while (g_atomic_int_get(&clients_freed) == before && g_get_monotonic_time() < end)
        g_usleep(10000);
    g_assert_cmpint(g_atomic_int_get(&clients_freed), ==, before + 1);
    g_assert_cmpuint(vkRpcServerNClients(f->srv), ==, 0);
}

static void
testConfigRefused(void)
{
    vkRpcServerConfig cfg;
    g_autoptr(GError) err = NULL;

    vkRpcServerConfigInit(&cfg);
    cfg.max_client_requests = 0;
    g_assert_null(vkRpcServerNew(&cfg, NULL, NULL, 0, &err));
    g_assert_nonnull(strstr(err->message, "max_client_requests"));
}

static void
quietErrors(void *data G_GNUC_UNUSED, virErrorPtr err G_GNUC_UNUSED)
{
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quietErrors);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixtureSetup, fn, fixtureTeardown)
    ADD("/rpc/server/length-bounds", testLengthBounds);
    ADD("/rpc/server/header-rules", testHeaderRules);
    ADD("/rpc/server/readonly-before-decode", testReadonly);
    ADD("/rpc/server/fd-passing", testFdPassing);
    ADD("/rpc/server/quota-pong", testQuota);
    ADD("/rpc/server/keepalive-drop", testKeepaliveDrop);
    ADD("/rpc/server/keepalive-answered", testKeepaliveAnswered);
    ADD("/rpc/server/max-clients", testMaxClients);
    ADD("/rpc/server/flood", testFlood);
    ADD("/rpc/server/message", testMessage);
    ADD("/rpc/server/cleanup-at-eof", testCleanupAtEof);
    g_test_add_func("/rpc/packet/api-names", testApiNames);
    g_test_add_func("/rpc/server/config-refused", testConfigRefused);
    return g_test_run();
}
