/*
 * fixture.c: the loader's test plugins, most of them broken on purpose.
 * One source, built once per variant (-DFIX_<VARIANT>), so each fixture
 * differs from the good one in exactly the way its name says.
 *
 * virtkit-plugin: fixture
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <glib.h>

#include <virtkit/virtkit-plugin.h>

#ifdef FIX_ABI10
/* Built as against the ABI 1.0 header: the tables from the committed 1.0
 * slot list alone, and their layout checked against it. */
# if VIRTKIT_PLUGIN_OPS_ABI_MINOR != 0
#  error "the ABI 1.0 fixture must see the 1.0 tables (tests/plugins/abi-1.0/virtkit)"
# endif
# include <virtkit/virtkit-plugin-abi-check.h>
#endif

static const virtkitPluginHost *host;

#ifndef FIX_NAME
# error "FIX_NAME must name the fixture"
#endif

#ifdef FIX_UNRESFUNC
/* Defined nowhere: with lazy binding the first call would end the process
 * ("symbol lookup error"); the loader refuses the module instead. */
extern int fixtureMissingFunction(void);
#endif
#ifdef FIX_UNRESVAR
/* Defined nowhere: a data reference, resolved at load time even when lazy. */
extern int fixtureMissingVariable;
#endif

static int
fixtureInit(const virtkitPluginHost *h, void **plugin_data)
{
    (void)plugin_data;
    host = h;
#ifdef FIX_UNRESFUNC
    if (fixtureMissingFunction() < 0)
        return -1;
#endif
#ifdef FIX_UNRESVAR
    if (fixtureMissingVariable < 0)
        return -1;
#endif
#ifdef FIX_INITFAIL
    VIRTKIT_PLUGIN_REPORT(host, VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                          "fixture init failed on purpose: no hardware here");
    return -1;
#else
    return 0;
#endif
}

static virtkitPluginOpenStatus
fixtureConnectOpen(virConnectPtr conn, const char *uri, virConnectAuthPtr auth,
                   unsigned int flags)
{
    (void)auth;
    (void)flags;
#ifdef FIX_DECLINE
    (void)conn;
    (void)uri;
    return VIRTKIT_PLUGIN_OPEN_DECLINED;
#else
    if (g_str_has_suffix(uri, "/fail")) {
        VIRTKIT_PLUGIN_REPORT(host, VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED,
                              "fixture cannot open '%s'", uri);
        return VIRTKIT_PLUGIN_OPEN_ERROR;
    }
    host->connectSetPrivate(conn, FIX_NAME, g_strdup(uri));
    return VIRTKIT_PLUGIN_OPEN_SUCCESS;
#endif
}

/* Appends "NAME@THREAD" to $VIRTKIT_FIXTURE_SHUTDOWN_LOG, so a test can
 * tell which plugins were shut down at exit, in which order and on which
 * thread. */
static void
fixtureShutdown(void *plugin_data)
{
    const char *path = g_getenv("VIRTKIT_FIXTURE_SHUTDOWN_LOG");
    char thread[17] = "";
    FILE *f;

    (void)plugin_data;
    if (!path || !(f = fopen(path, "a")))
        return;
    prctl(PR_GET_NAME, thread, 0, 0, 0);
    fprintf(f, "%s@%s\n", FIX_NAME, thread);
    fclose(f);
}

static int
fixtureConnectClose(virConnectPtr conn)
{
    g_free(host->connectGetPrivate(conn, FIX_NAME));
    host->connectSetPrivate(conn, FIX_NAME, NULL);
    return 0;
}

#ifndef FIX_SECONDARY
static int
fixtureConnectSupportsFeature(virConnectPtr conn, int feature)
{
    (void)conn;
    return feature == VIRTKIT_DRV_FEATURE_TYPED_PARAM_STRING ? 1 : 0;
}

static char *
fixtureConnectGetHostname(virConnectPtr conn)
{
    /* Proves per-connection private data reached the plugin. */
    const char *uri = host->connectGetPrivate(conn, FIX_NAME);
    return g_strdup_printf("%s-host(%s)", FIX_NAME, uri ? uri : "?");
}

static int
fixtureDomainSuspend(virDomainPtr domain)
{
    (void)domain;
    return 0;
}

static virDomainPtr
fixtureDomainLookupByName(virConnectPtr conn, const char *name)
{
    static const unsigned char uuid[VIR_UUID_BUFLEN] = { 1, 2, 3, 4, 5, 6, 7, 8,
                                                         9, 10, 11, 12, 13, 14, 15, 16 };

    if (strcmp(name, "fixdom") != 0) {
        VIRTKIT_PLUGIN_REPORT(host, VIR_FROM_DOM, VIR_ERR_NO_DOMAIN,
                              "no domain with matching name '%s'", name);
        return NULL;
    }
    return host->domainNew(conn, name, uuid, 1);
}

#ifdef FIX_ABI10
/* virDomainCreate and virDomainCreateWithFlags both reach this slot. */
static int
fixtureDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    (void)domain;
    if (flags) {
        VIRTKIT_PLUGIN_REPORT(host, VIR_FROM_DOM, VIR_ERR_INVALID_ARG,
                              "fixture starts with flags 0 only, not 0x%x", flags);
        return -1;
    }
    return 0;
}
#endif

static const virtkitHypervisorOps fixtureHypervisor = {
# ifdef FIX_SHORT
    /* Built "against an older header": the table ends before domainSuspend,
     * so the slot set below must read as unsupported. */
    .struct_size = offsetof(virtkitHypervisorOps, domainSuspend),
# else
    .struct_size = sizeof(virtkitHypervisorOps),
# endif
    .connectOpen = fixtureConnectOpen,                       /* 1.0 */
    .connectClose = fixtureConnectClose,                     /* 1.0 */
    .connectSupportsFeature = fixtureConnectSupportsFeature, /* 1.0 */
    .connectGetHostname = fixtureConnectGetHostname,         /* 1.0 */
    .domainLookupByName = fixtureDomainLookupByName,         /* 1.0 */
    .domainSuspend = fixtureDomainSuspend,                   /* 1.0 */
# ifdef FIX_ABI10
    .domainCreateWithFlags = fixtureDomainCreateWithFlags,   /* 1.0 */
# endif
};
#else
/* One pool; virConnectNumOfStoragePools reaches this through the core's
 * route (count only: @pools NULL). */
static int
fixtureConnectListAllStoragePools(virConnectPtr conn, virStoragePoolPtr **pools,
                                  unsigned int flags)
{
    (void)conn;
    (void)flags;
    if (pools) {
        static const unsigned char uuid[VIR_UUID_BUFLEN] = { 9 };

        *pools = g_new0(virStoragePoolPtr, 2);
        (*pools)[0] = host->poolNew(conn, "fixpool", uuid);
    }
    return 1;
}

static virStoragePoolPtr
fixtureStoragePoolLookupByName(virConnectPtr conn, const char *name)
{
    static const unsigned char uuid[VIR_UUID_BUFLEN] = { 9 };

    if (strcmp(name, "fixpool") != 0) {
        VIRTKIT_PLUGIN_REPORT(host, VIR_FROM_STORAGE, VIR_ERR_NO_STORAGE_POOL,
                              "no storage pool with matching name '%s'", name);
        return NULL;
    }
    return host->poolNew(conn, name, uuid);
}

static const virtkitStorageOps fixtureStorage = {
    .struct_size = sizeof(virtkitStorageOps),
    .connectOpen = fixtureConnectOpen,                                 /* 1.0 */
    .connectClose = fixtureConnectClose,                               /* 1.0 */
    .connectListAllStoragePools = fixtureConnectListAllStoragePools,   /* 1.0 */
    .storagePoolLookupByName = fixtureStoragePoolLookupByName,         /* 1.0 */
};
#endif

#ifdef FIX_EXTRASYM
/* Exported on purpose: the loader warns about it. */
__attribute__((visibility("default"))) int fixtureExtraHelper(void);
__attribute__((visibility("default"))) int
fixtureExtraHelper(void)
{
    return 42;
}
#endif

static const char *const fixtureSchemes[] = {
#ifndef FIX_SECONDARY
    FIX_SCHEME,
#endif
    NULL,
};
static const char *const fixtureVendorFeatures[] = { "org.virtkit.fixture.hello", NULL };

static const virtkitPluginDescriptor fixtureDescriptor = {
    .struct_size = sizeof(virtkitPluginDescriptor),
#ifdef FIX_WRONGMAJOR
    .abi_major = VIRTKIT_PLUGIN_ABI_MAJOR + 1,
#else
    .abi_major = VIRTKIT_PLUGIN_ABI_MAJOR,
#endif
#ifdef FIX_NEWERMINOR
    .abi_minor = VIRTKIT_PLUGIN_ABI_MINOR + 1,
#elif defined(FIX_ABI10)
    .abi_minor = 0,        /* what the 1.0 header said, whatever the core's is now */
#else
    .abi_minor = VIRTKIT_PLUGIN_ABI_MINOR,
#endif
    .name = FIX_NAME,
    .version = "0.1.0",
    .license = "LGPL-2.1-or-later",
    .uri_schemes = fixtureSchemes,
    .vendor_features = fixtureVendorFeatures,
#if defined(FIX_SECONDARY)
    .flags = VIRTKIT_PLUGIN_SECONDARY | VIRTKIT_PLUGIN_LOCAL_ONLY,
    .storage = &fixtureStorage,
#elif defined(FIX_STATEFUL)
    .flags = VIRTKIT_PLUGIN_STATEFUL | VIRTKIT_PLUGIN_LOCAL_ONLY,
    .hypervisor = &fixtureHypervisor,
#elif defined(FIX_REMOTE)
    /* Stands in for the remote plugin: URIs naming another host go here. */
    .flags = VIRTKIT_PLUGIN_REMOTE_ONLY,
    .hypervisor = &fixtureHypervisor,
#else
    .flags = VIRTKIT_PLUGIN_LOCAL_ONLY,
    .hypervisor = &fixtureHypervisor,
#endif
    .init = fixtureInit,
    .shutdown = fixtureShutdown,
};

#ifndef FIX_NOENTRY
VIRTKIT_PLUGIN_DEFINE(fixtureDescriptor)
#else
/* No entry point: keep the descriptor referenced so it is not "unused". */
const virtkitPluginDescriptor *fixtureNotTheEntry(void);
const virtkitPluginDescriptor *
fixtureNotTheEntry(void)
{
    return &fixtureDescriptor;
}
#endif
