/*
 * example.c: a minimal hypervisor plugin, written the way a third party
 * writes one: only <virtkit/virtkit-plugin.h> and GLib.  It serves
 * example:/// with one domain, "demo", that can be suspended and resumed.
 *
 * virtkit-plugin: example
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <glib.h>

#include <virtkit/virtkit-plugin.h>

static const virtkitPluginHost *host;

static const unsigned char demoUUID[VIR_UUID_BUFLEN] = {
    0xc7, 0xa5, 0xfd, 0xbd, 0xed, 0xaf, 0x90, 0x45, 0xb6, 0x07, 0xa1, 0x4d, 0x0e, 0x7b, 0x2a, 0x11,
};
static GMutex demoLock;
static int demoState = VIR_DOMAIN_RUNNING;

static int
exampleInit(const virtkitPluginHost *h, void **plugin_data)
{
    (void)plugin_data;
    host = h;
    return 0;
}

static virtkitPluginOpenStatus
exampleConnectOpen(virConnectPtr conn, const char *uri, virConnectAuthPtr auth, unsigned int flags)
{
    (void)conn;
    (void)auth;
    (void)flags;
    if (!g_str_has_prefix(uri, "example:///"))
        return VIRTKIT_PLUGIN_OPEN_DECLINED;
    return VIRTKIT_PLUGIN_OPEN_SUCCESS;
}

static int
exampleConnectClose(virConnectPtr conn)
{
    (void)conn;
    return 0;
}

static int
exampleConnectSupportsFeature(virConnectPtr conn, int feature)
{
    (void)conn;
    (void)feature;
    return 0;
}

static const char *
exampleConnectGetType(virConnectPtr conn)
{
    (void)conn;
    return "Example";
}

static char *
exampleConnectGetHostname(virConnectPtr conn)
{
    (void)conn;
    return g_strdup("example-host");
}

static virDomainPtr
exampleDomainLookupByName(virConnectPtr conn, const char *name)
{
    if (strcmp(name, "demo") != 0) {
        VIRTKIT_PLUGIN_REPORT(host, VIR_FROM_DOM, VIR_ERR_NO_DOMAIN,
                              "no domain with matching name '%s'", name);
        return NULL;
    }
    return host->domainNew(conn, "demo", demoUUID, 1);
}

static int
exampleDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info)
{
    (void)domain;
    memset(info, 0, sizeof(*info));
    g_mutex_lock(&demoLock);
    info->state = (unsigned char)demoState;
    g_mutex_unlock(&demoLock);
    info->maxMem = info->memory = 131072;
    info->nrVirtCpu = 1;
    return 0;
}

/* Suspend and resume differ only in the states they move between. */
static int
exampleMove(virDomainPtr domain, int from, int to, const char *what)
{
    int ret = 0;

    g_mutex_lock(&demoLock);
    if (demoState != from) {
        VIRTKIT_PLUGIN_REPORT(host, VIR_FROM_DOM, VIR_ERR_OPERATION_INVALID,
                              "domain '%s' cannot be %s in its current state",
                              host->domainGetName(domain), what);
        ret = -1;
    } else {
        demoState = to;
    }
    g_mutex_unlock(&demoLock);
    return ret;
}

static int
exampleDomainSuspend(virDomainPtr domain)
{
    return exampleMove(domain, VIR_DOMAIN_RUNNING, VIR_DOMAIN_PAUSED, "suspended");
}

static int
exampleDomainResume(virDomainPtr domain)
{
    return exampleMove(domain, VIR_DOMAIN_PAUSED, VIR_DOMAIN_RUNNING, "resumed");
}

static const virtkitHypervisorOps exampleHypervisor = {
    .struct_size = sizeof(virtkitHypervisorOps),
    .connectOpen = exampleConnectOpen,                       /* 1.0 */
    .connectClose = exampleConnectClose,                     /* 1.0 */
    .connectSupportsFeature = exampleConnectSupportsFeature, /* 1.0 */
    .connectGetType = exampleConnectGetType,                 /* 1.0 */
    .connectGetHostname = exampleConnectGetHostname,         /* 1.0 */
    .domainLookupByName = exampleDomainLookupByName,         /* 1.0 */
    .domainGetInfo = exampleDomainGetInfo,                   /* 1.0 */
    .domainSuspend = exampleDomainSuspend,                   /* 1.0 */
    .domainResume = exampleDomainResume,                     /* 1.0 */
};

static const char *const exampleSchemes[] = { "example", NULL };

static const virtkitPluginDescriptor exampleDescriptor = {
    .struct_size = sizeof(virtkitPluginDescriptor),
    .abi_major = VIRTKIT_PLUGIN_ABI_MAJOR,
    .abi_minor = VIRTKIT_PLUGIN_ABI_MINOR,
    .name = "example",
    .version = "0.1.0",
    .license = "LGPL-2.1-or-later",
    .uri_schemes = exampleSchemes,
    .flags = VIRTKIT_PLUGIN_LOCAL_ONLY,
    .init = exampleInit,
    .hypervisor = &exampleHypervisor,
};

VIRTKIT_PLUGIN_DEFINE(exampleDescriptor)
