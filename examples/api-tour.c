/*
 * api-tour: a short walk through libvirtkit's API and error model, written
 * the way a libvirt program is written (#include <libvirt/libvirt.h>, built
 * with virtkit-compat).  Steps 1 to 5 need no hypervisor plugin; step 6
 * lists the guests of the URI given as its argument (test:///default, the
 * in-memory test host, when none is given).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int handled;

static void
tourErrorFunc(void *userData, virErrorPtr err)
{
    (void)userData;
    handled++;
    printf("  error handler called: code=%d domain=%d message=\"%s\"\n",
           err->code, err->domain, err->message);
}

int
main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "test:///default";
    virDomainPtr *doms = NULL;
    int ndoms;
    unsigned long libver = 0;
    virTypedParameterPtr params = NULL;
    int nparams = 0, maxparams = 0;
    unsigned long long shares = 0;
    const char *weight = NULL;
    virConnectPtr conn;

    printf("1. Versions\n");
    virGetVersion(&libver, NULL, NULL);
    printf("  libvirt API level: %lu (%lu.%lu.%lu)\n", libver, libver / 1000000,
           libver / 1000 % 1000, libver % 1000);

    printf("2. Typed parameters, as every *Parameters call takes them\n");
    if (virTypedParamsAddULLong(&params, &nparams, &maxparams, VIR_DOMAIN_SCHEDULER_CPU_SHARES, 2048) < 0 ||
        virTypedParamsAddString(&params, &nparams, &maxparams, VIR_DOMAIN_BLKIO_DEVICE_WEIGHT,
                                "/dev/vda,500") < 0)
        return EXIT_FAILURE;
    virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_SCHEDULER_CPU_SHARES, &shares);
    virTypedParamsGetString(params, nparams, VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, &weight);
    printf("  %d entries: %s=%llu, %s=%s\n", nparams, VIR_DOMAIN_SCHEDULER_CPU_SHARES, shares,
           VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, weight);

    printf("3. A wrong type is an error with libvirt's code, kept per thread\n");
    if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, &shares) < 0)
        printf("  last error: code=%d \"%s\"\n", virGetLastErrorCode(), virGetLastErrorMessage());
    virTypedParamsFree(params, nparams);
    virResetLastError();
    printf("  after virResetLastError: \"%s\"\n", virGetLastErrorMessage());

    printf("4. The default error function prints to stderr as libvirt's does\n");
    fflush(stdout);
    conn = virConnectOpen("nosuch:///default");
    fflush(stderr);
    printf("  virConnectOpen returned %s, code=%d\n", conn ? "a connection" : "NULL",
           virGetLastErrorCode());

    printf("5. An application's handler replaces it, and runs once per failed call\n");
    virSetErrorFunc(NULL, tourErrorFunc);
    virDomainSuspend(NULL);
    printf("  handler ran %d time(s)\n", handled);
    virSetErrorFunc(NULL, NULL);

    printf("6. The guests of %s, as virsh list --all shows them\n", uri);
    virSetErrorFunc(NULL, tourErrorFunc);
    conn = virConnectOpenReadOnly(uri);
    virSetErrorFunc(NULL, NULL);
    if (!conn) {
        printf("  no connection (is a plugin for it on VIRTKIT_PLUGIN_DIR? "
               "`vksh plugins` shows where virtkit looks)\n");
        handled--;
    } else if ((ndoms = virConnectListAllDomains(conn, &doms, 0)) >= 0) {
        printf("  %d guest(s)\n", ndoms);
        for (int i = 0; i < ndoms; i++) {
            virDomainInfo info;
            if (virDomainGetInfo(doms[i], &info) == 0)
                printf("  %-12s state %d, %lu KiB, %u vCPU(s)\n", virDomainGetName(doms[i]),
                       info.state, info.memory, info.nrVirtCpu);
            virDomainFree(doms[i]);
        }
        free(doms);
        virConnectClose(conn);
    }

    printf("Set VIRTKIT_DEBUG=1 to see every call logged with all its arguments.\n");
    return handled == 1 ? EXIT_SUCCESS : EXIT_FAILURE;
}
