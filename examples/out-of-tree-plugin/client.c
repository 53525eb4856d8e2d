/*
 * client.c: drives the example plugin through libvirt's public API only.
 * Prints what it sees; exits non-zero on the first surprise.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define CHECK(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "client: check failed: %s (%s)\n", #cond, virGetLastErrorMessage()); \
            exit(1); \
        } \
    } while (0)

int
main(void)
{
    virConnectPtr conn = virConnectOpen("example:///default");
    virDomainPtr dom;
    virDomainInfo info;
    char *host;

    CHECK(conn != NULL);
    CHECK(strcmp(virConnectGetType(conn), "Example") == 0);
    host = virConnectGetHostname(conn);
    CHECK(host && strcmp(host, "example-host") == 0);
    free(host);
    dom = virDomainLookupByName(conn, "demo");
    CHECK(dom != NULL);
    CHECK(virDomainSuspend(dom) == 0);
    CHECK(virDomainGetInfo(dom, &info) == 0 && info.state == VIR_DOMAIN_PAUSED);
    CHECK(virDomainSuspend(dom) < 0 && virGetLastErrorCode() == VIR_ERR_OPERATION_INVALID);
    CHECK(virDomainResume(dom) == 0);
    CHECK(virDomainGetInfo(dom, &info) == 0 && info.state == VIR_DOMAIN_RUNNING);
    /* Not in the plugin's table: the core answers for it. */
    CHECK(virDomainShutdown(dom) < 0 && virGetLastErrorCode() == VIR_ERR_NO_SUPPORT);
    virDomainFree(dom);
    CHECK(virConnectClose(conn) == 0);
    printf("example plugin: all checks passed\n");
    return 0;
}
