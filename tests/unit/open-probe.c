/*
 * open-probe: opens each URI named on the command line ("-" for NULL, the
 * default URI) and prints one line per open:
 *
 *   OK <the connection's URI>
 *   ERR <code> <domain> <level> <message>
 *
 * Built twice from this source, against virtkit and against Debian's
 * libvirt (VK_STOCK_LIBVIRT), so check-open-default.py can compare how the
 * two choose a default URI and how they refuse names, in the same run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static void
quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

int
main(int argc, char **argv)
{
    virSetErrorFunc(NULL, quiet);
    for (int i = 1; i < argc; i++) {
        const char *name = strcmp(argv[i], "-") == 0 ? NULL : argv[i];
        virConnectPtr conn = virConnectOpen(name);

        if (conn) {
            char *uri = virConnectGetURI(conn);

            printf("OK %s\n", uri ? uri : "(no URI)");
            free(uri);
            virConnectClose(conn);
        } else {
            virErrorPtr err = virGetLastError();

            if (err)
                printf("ERR %d %d %d %s\n", err->code, err->domain, err->level,
                       err->message ? err->message : "(no message)");
            else
                printf("ERR none\n");
        }
    }
    return 0;
}
