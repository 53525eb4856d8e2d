/*
 * test-stream: virStreamSendAll / RecvAll and their sparse forms, over a
 * fake plugin stream that records what it is sent and serves a prepared
 * sequence of data and holes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <glib.h>
#include <string.h>

#include "vk-dispatch.h"

static GByteArray *sent;          /* what the plugin received; holes as 'H' + length */
static const char *const *script; /* what the plugin serves: "data" or "#len" for holes */
static guint script_pos;
static size_t script_off;
static int aborts;
static bool fail_send;

static virtkitPluginOpenStatus
fakeOpen(virConnectPtr c, const char *u, virConnectAuthPtr a, unsigned int f)
{
    (void)c; (void)u; (void)a; (void)f;
    return VIRTKIT_PLUGIN_OPEN_SUCCESS;
}

static int
fakeStreamSend(virStreamPtr st, const char *data, size_t nbytes)
{
    (void)st;
    if (fail_send) {
        vkReportError(VIR_ERR_OPERATION_FAILED, "fake stream is full");
        return -1;
    }
    /* Take at most 1000 bytes a call, so callers must loop. */
    nbytes = MIN(nbytes, 1000);
    g_byte_array_append(sent, (const guint8 *)data, nbytes);
    return (int)nbytes;
}

static int
fakeStreamSendHole(virStreamPtr st, long long length, unsigned int flags)
{
    g_autofree char *mark = g_strdup_printf("[H%lld]", length);
    (void)st;
    (void)flags;
    g_byte_array_append(sent, (const guint8 *)mark, strlen(mark));
    return 0;
}

static int
fakeStreamRecvFlags(virStreamPtr st, char *data, size_t nbytes, unsigned int flags)
{
    const char *item;
    size_t left, n;

    (void)st;
    if (!script[script_pos])
        return 0;
    item = script[script_pos];
    if (item[0] == '#') {
        if (flags & VIR_STREAM_RECV_STOP_AT_HOLE)
            return -3;
        /* Without the flag a hole reads as zeros. */
        n = MIN(nbytes, (size_t)atoi(item + 1) - script_off);
        memset(data, 0, n);
    } else {
        left = strlen(item) - script_off;
        n = MIN(MIN(nbytes, left), 3);   /* small reads, so callers loop */
        memcpy(data, item + script_off, n);
    }
    script_off += n;
    if ((item[0] == '#' && script_off == (size_t)atoi(item + 1)) ||
        (item[0] != '#' && script_off == strlen(item))) {
        script_pos++;
        script_off = 0;
    }
    return (int)n;
}

static int
fakeStreamRecvHole(virStreamPtr st, long long *length, unsigned int flags)
{
    (void)st;
    (void)flags;
    if (!script[script_pos] || script[script_pos][0] != '#') {
        vkReportError(VIR_ERR_OPERATION_INVALID, "not at a hole");
        return -1;
    }
    *length = atoi(script[script_pos] + 1);
    script_pos++;
    return 0;
}

static int
fakeStreamAbort(virStreamPtr st)
{
    (void)st;
    aborts++;
    /* An abort that fails too must not hide the first error. */
    vkReportError(VIR_ERR_INTERNAL_ERROR, "abort noise");
    return -1;
}

static const virtkitHypervisorOps fake_hv = {
    .struct_size = sizeof(virtkitHypervisorOps),
    .connectOpen = fakeOpen,
};
static const virtkitStreamOps fake_st = {
    .struct_size = sizeof(virtkitStreamOps),
    .streamSend = fakeStreamSend,
    .streamSendHole = fakeStreamSendHole,
    .streamRecvFlags = fakeStreamRecvFlags,
    .streamRecvHole = fakeStreamRecvHole,
    .streamAbort = fakeStreamAbort,
};
static const vkDriverTables fake_tables = { .name = "stfake", .hypervisor = &fake_hv, .stream = &fake_st };

typedef struct {
    virConnectPtr conn;
    virStreamPtr st;
} Fixture;

static void
setup(Fixture *fx, gconstpointer data)
{
    vkDriverRegister("stfake", &fake_tables);
    fx->conn = virConnectOpen("stfake:///");
    g_assert_nonnull(fx->conn);
    fx->st = virStreamNew(fx->conn, GPOINTER_TO_UINT(data));
    g_assert_nonnull(fx->st);
    sent = g_byte_array_new();
    script_pos = 0;
    script_off = 0;
    aborts = 0;
    fail_send = false;
}

static void
teardown(Fixture *fx, gconstpointer data)
{
    (void)data;
    virStreamFree(fx->st);
    virConnectClose(fx->conn);
    g_byte_array_unref(sent);
}

/* Source: serves a string in pieces of up to 7 bytes. */
static const char *src_text;
static size_t src_off;

static int
source(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    size_t n = MIN(MIN(nbytes, strlen(src_text) - src_off), 7);

    (void)st;
    (void)opaque;
    memcpy(data, src_text + src_off, n);
    src_off += n;
    return (int)n;
}

static int
failing_source(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    (void)st; (void)data; (void)nbytes; (void)opaque;
    return -1;
}

static GString *sunk;

static int
sink(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    (void)st;
    (void)opaque;
    /* Take at most 2 bytes at a time, so RecvAll must loop. */
    nbytes = MIN(nbytes, 2);
    g_string_append_len(sunk, data, nbytes);
    return (int)nbytes;
}

static int
sink_hole(virStreamPtr st, long long length, void *opaque)
{
    (void)st;
    (void)opaque;
    g_string_append_printf(sunk, "[H%lld]", length);
    return 0;
}

static void
test_send_all(Fixture *fx, gconstpointer data)
{
    (void)data;
    src_text = "the quick brown fox jumps over the lazy dog";
    src_off = 0;
    g_assert_cmpint(virStreamSendAll(fx->st, source, NULL), ==, 0);
    g_assert_cmpmem(sent->data, sent->len, src_text, strlen(src_text));
    g_assert_cmpint(aborts, ==, 0);
}

static void
test_send_all_failures(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_assert_cmpint(virStreamSendAll(fx->st, failing_source, NULL), ==, -1);
    g_assert_cmpint(aborts, ==, 1);
    /* The handler's failure is what the caller sees, not the abort's. */
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "send handler failed");

    src_text = "x";
    src_off = 0;
    fail_send = true;
    g_assert_cmpint(virStreamSendAll(fx->st, source, NULL), ==, -1);
    g_assert_cmpint(aborts, ==, 2);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "operation failed: fake stream is full");

    g_assert_cmpint(virStreamSendAll(fx->st, NULL, NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
}

static void
test_nonblocking_refused(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_assert_cmpint(virStreamSendAll(fx->st, source, NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpint(virStreamRecvAll(fx->st, sink, NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpint(aborts, ==, 0);
}

static void
test_recv_all(Fixture *fx, gconstpointer data)
{
    static const char *const items[] = { "hello, ", "#4", "world", NULL };

    (void)data;
    script = items;
    sunk = g_string_new(NULL);
    g_assert_cmpint(virStreamRecvAll(fx->st, sink, NULL), ==, 0);
    /* Holes read as zeros without the sparse API. */
    g_assert_cmpmem(sunk->str, sunk->len, "hello, \0\0\0\0world", 16);
    g_string_free(sunk, TRUE);
}

static void
test_sparse_recv_all(Fixture *fx, gconstpointer data)
{
    static const char *const items[] = { "abc", "#4096", "defg", NULL };

    (void)data;
    script = items;
    sunk = g_string_new(NULL);
    g_assert_cmpint(virStreamSparseRecvAll(fx->st, sink, sink_hole, NULL), ==, 0);
    g_assert_cmpstr(sunk->str, ==, "abc[H4096]defg");
    g_string_free(sunk, TRUE);
}

/* A sparse source: 5 bytes of data, a 1 MiB hole, 3 bytes, then the end. */
static int sparse_section;

static int
sparse_hole(virStreamPtr st, int *inData, long long *length, void *opaque)
{
    (void)st;
    (void)opaque;
    switch (sparse_section) {
    case 0: *inData = 1; *length = 5; break;
    case 1: *inData = 0; *length = 1 << 20; break;
    case 2: *inData = 1; *length = 3; break;
    default: *inData = 1; *length = 0; break;
    }
    return 0;
}

static int
sparse_source(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    (void)st;
    (void)opaque;
    if (sparse_section == 0) {
        g_assert_cmpuint(nbytes, ==, 5);
        memcpy(data, "AAAAA", 5);
        sparse_section = 1;
        return 5;
    }
    if (sparse_section == 2) {
        g_assert_cmpuint(nbytes, ==, 3);
        memcpy(data, "BBB", 3);
        sparse_section = 3;
        return 3;
    }
    return 0;
}

static int
sparse_skip(virStreamPtr st, long long length, void *opaque)
{
    (void)st;
    (void)opaque;
    g_assert_cmpint(length, ==, 1 << 20);
    sparse_section = 2;
    return 0;
}

static void
test_sparse_send_all(Fixture *fx, gconstpointer data)
{
    const char want[] = "AAAAA[H1048576]BBB";

    (void)data;
    sparse_section = 0;
    g_assert_cmpint(virStreamSparseSendAll(fx->st, sparse_source, sparse_hole, sparse_skip, NULL), ==, 0);
    g_assert_cmpmem(sent->data, sent->len, want, strlen(want));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn, flags) \
    g_test_add(path, Fixture, GUINT_TO_POINTER(flags), setup, fn, teardown)
    ADD("/stream/send-all", test_send_all, 0);
    ADD("/stream/send-all/failures", test_send_all_failures, 0);
    ADD("/stream/all/nonblocking-refused", test_nonblocking_refused, VIR_STREAM_NONBLOCK);
    ADD("/stream/recv-all", test_recv_all, 0);
    ADD("/stream/sparse/recv-all", test_sparse_recv_all, 0);
    ADD("/stream/sparse/send-all", test_sparse_send_all, 0);
#undef ADD
    return g_test_run();
}
