/*
 * test-plugin-host: the services the core hands plugins in the host table
 * (virtkit-plugin.h), called the way a plugin calls them: through
 * vkPluginHost() and the plugin-api macros.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <glib.h>
#include <string.h>

#include "vk-dispatch.h"
#include "vk-plugin.h"

/* connectOpen's slots return the documented enum, not int. */
_Static_assert(__builtin_types_compatible_p(
                   __typeof__(((virtkitHypervisorOps *)0)->connectOpen),
                   virtkitPluginOpenStatus (*)(virConnectPtr, const char *, virConnectAuthPtr,
                                               unsigned int)),
               "virtkitHypervisorOps.connectOpen returns virtkitPluginOpenStatus");
_Static_assert(__builtin_types_compatible_p(
                   __typeof__(((virtkitStorageOps *)0)->connectOpen),
                   __typeof__(((virtkitHypervisorOps *)0)->connectOpen)),
               "virtkitStorageOps.connectOpen has the same type");

/* VIRTKIT_HOST_HAS: a field is there when the table holds it whole. */
static void
test_host_has(void)
{
    const virtkitPluginHost *host = vkPluginHost();
    virtkitPluginHost older = *host;

    g_assert_cmpuint(host->struct_size, ==, sizeof(virtkitPluginHost));
    g_assert_true(VIRTKIT_HOST_HAS(host, reportError));
    g_assert_true(VIRTKIT_HOST_HAS(host, reportRawError));

    /* A core whose table ends right before reportRawError. */
    older.struct_size = offsetof(virtkitPluginHost, reportRawError);
    g_assert_true(VIRTKIT_HOST_HAS(&older, reportBareError));
    g_assert_false(VIRTKIT_HOST_HAS(&older, reportRawError));
    /* One byte short of the whole pointer is still missing. */
    older.struct_size = offsetof(virtkitPluginHost, reportRawError) + sizeof(void *) - 1;
    g_assert_false(VIRTKIT_HOST_HAS(&older, reportRawError));
    older.struct_size = offsetof(virtkitPluginHost, reportRawError) + sizeof(void *);
    g_assert_true(VIRTKIT_HOST_HAS(&older, reportRawError));
}

/* A made-up error domain never crosses the wire. */
static void
test_error_domain(void)
{
    const virtkitPluginHost *host = vkPluginHost();

    virResetLastError();
    VIRTKIT_PLUGIN_REPORT(host, 4242, VIR_ERR_INTERNAL_ERROR, "made-up domain");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NONE);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
    host->reportRawError(-3, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__, "raw");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NONE);
    host->reportBareError(VIR_FROM_CH + 1, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__);
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NONE);
    /* libvirt's own domains pass unchanged, the last one too. */
    VIRTKIT_PLUGIN_REPORT(host, VIR_FROM_CH, VIR_ERR_INTERNAL_ERROR, "cloud hypervisor");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_CH);
    VIRTKIT_PLUGIN_REPORT(host, VIR_FROM_TEST, VIR_ERR_INTERNAL_ERROR, "test");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_TEST);
    virResetLastError();
}

/* ------------------------------------------------- a fake plugin */

static virtkitPluginOpenStatus
fakeOpen(virConnectPtr c, const char *u, virConnectAuthPtr a, unsigned int f)
{
    (void)c; (void)u; (void)a; (void)f;
    return VIRTKIT_PLUGIN_OPEN_SUCCESS;
}

static const virtkitHypervisorOps fake_hv = {
    .struct_size = sizeof(virtkitHypervisorOps),
    .connectOpen = fakeOpen,
};
static const vkDriverTables fake_tables = { .name = "hostfake", .hypervisor = &fake_hv };

static virConnectPtr
fake_connect(void)
{
    virConnectPtr conn;

    vkDriverRegister("hostfake", &fake_tables);
    conn = virConnectOpen("hostfake:///");
    g_assert_nonnull(conn);
    return conn;
}

/* ------------------------------------------------- streams */

typedef struct {
    int frees;
    char name[8];
} StreamData;

static void
stream_data_free(void *data)
{
    ((StreamData *)data)->frees++;
}

/* The stream's data is released with the stream's last reference, once,
 * and replaced data is released when it is replaced. */
static void
test_stream_private(void)
{
    const virtkitPluginHost *host = vkPluginHost();
    virConnectPtr conn = fake_connect();
    StreamData a = { 0, "a" }, b = { 0, "b" };
    virStreamPtr st = virStreamNew(conn, 0);

    g_assert_nonnull(st);
    g_assert_null(host->streamGetPrivate(st));
    host->streamSetPrivate(st, &a, stream_data_free);
    g_assert_true(host->streamGetPrivate(st) == &a);
    /* Setting the same data again changes nothing. */
    host->streamSetPrivate(st, &a, stream_data_free);
    g_assert_cmpint(a.frees, ==, 0);
    host->streamSetPrivate(st, &b, stream_data_free);
    g_assert_cmpint(a.frees, ==, 1);
    g_assert_true(host->streamGetPrivate(st) == &b);

    g_assert_cmpint(virStreamRef(st), ==, 0);
    g_assert_cmpint(virStreamFree(st), ==, 0);
    g_assert_cmpint(b.frees, ==, 0);          /* a reference is left */
    g_assert_cmpint(virStreamFree(st), ==, 0);
    g_assert_cmpint(b.frees, ==, 1);
    g_assert_cmpint(a.frees, ==, 1);

    /* No free function: nothing is called, nothing breaks. */
    st = virStreamNew(conn, 0);
    host->streamSetPrivate(st, &a, NULL);
    g_assert_cmpint(virStreamFree(st), ==, 0);
    g_assert_cmpint(a.frees, ==, 1);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/plugin-host/host-has", test_host_has);
    g_test_add_func("/plugin-host/error-domain", test_error_domain);
    g_test_add_func("/plugin-host/stream-private", test_stream_private);
    return g_test_run();
}
