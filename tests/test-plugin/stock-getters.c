/*
 * stock-getters: runs getters-script.h against Debian's libvirt (its own
 * test:///default, domain "test") and prints the transcript, for
 * test-getters to compare with ours.  Built only when libvirt-dev is
 * installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "getters-script.h"

static void
gs_quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

int
main(void)
{
    virConnectPtr conn;
    virDomainPtr dom;
    char *out;

    virSetErrorFunc(NULL, gs_quiet);
    if (!(conn = virConnectOpen("test:///default")))
        return 1;
    if (!(dom = virDomainLookupByName(conn, "test")))
        return 1;
    out = gs_run(dom);
    fputs(out, stdout);
    g_free(out);
    virDomainFree(dom);
    virConnectClose(conn);
    return 0;
}
