/*
 * stock-events: runs event-script.h against Debian's libvirt (its own
 * test:///default) and prints the transcript, for the events test to
 * compare with ours.  Built only when libvirt-dev is installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "event-script.h"

static void
es_tick(int timer, void *opaque)
{
    (void)timer;
    (void)opaque;
}

static void
es_pump(void)
{
    virEventRunDefaultImpl();
}

static void
es_quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

int
main(void)
{
    virConnectPtr conn;
    char *out;

    virSetErrorFunc(NULL, es_quiet);
    if (virEventRegisterDefaultImpl() < 0 || virEventAddTimeout(10, es_tick, NULL, NULL) < 0)
        return 1;
    if (!(conn = virConnectOpen("test:///default")))
        return 1;
    if (!(out = es_run(conn)))
        return 1;
    fputs(out, stdout);
    g_free(out);
    virConnectClose(conn);
    return 0;
}
