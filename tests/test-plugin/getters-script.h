/*
 * getters-script.h: the typed-parameter getters, called the way most
 * applications call them (flags 0, a buffer of room), compiled twice: into
 * test-getters (against virtkit) and into stock-getters (against Debian's
 * libvirt), so that what each returns on domain "test" of test:///default
 * can be compared: how many entries, their names, and which are strings.
 * Values are not compared (the two hosts' tunables differ).
 *
 * libvirt's public getters add VIR_TYPED_PARAM_STRING_OKAY themselves when
 * the driver takes strings, so flags 0 returns the string entries too; only
 * virDomainGetSchedulerParameters (no flags argument) never does.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef GETTERS_SCRIPT_H
#define GETTERS_SCRIPT_H

#include <glib.h>

#define GS_ROOM 64

/* One line per getter: "NAME: N field field(string) ...", or
 * "NAME: unsupported" for VIR_ERR_NO_SUPPORT, or "NAME: error CODE". */
static void
gs_line(GString *out, const char *name, int rc, const virTypedParameter *p, int n)
{
    g_string_append_printf(out, "%s:", name);
    if (rc < 0) {
        if (virGetLastErrorCode() == VIR_ERR_NO_SUPPORT)
            g_string_append(out, " unsupported\n");
        else
            g_string_append_printf(out, " error %d\n", virGetLastErrorCode());
        return;
    }
    g_string_append_printf(out, " %d", n);
    for (int i = 0; i < n; i++)
        g_string_append_printf(out, " %s%s", p[i].field,
                               p[i].type == VIR_TYPED_PARAM_STRING ? "(string)" : "");
    g_string_append_c(out, '\n');
}

/* The getter's transcript, in the order of GS_GETTERS below. */
static char *
gs_run(virDomainPtr dom)
{
    GString *out = g_string_new(NULL);
    virTypedParameter p[GS_ROOM];
    int n, rc;

#define GS_CALL(name, call) \
    do { \
        memset(p, 0, sizeof(p)); \
        n = GS_ROOM; \
        rc = (call); \
        gs_line(out, name, rc, p, n); \
        if (rc >= 0) \
            virTypedParamsClear(p, n); \
    } while (0)
    GS_CALL("virDomainGetBlkioParameters", virDomainGetBlkioParameters(dom, p, &n, 0));
    GS_CALL("virDomainGetMemoryParameters", virDomainGetMemoryParameters(dom, p, &n, 0));
    GS_CALL("virDomainGetNumaParameters", virDomainGetNumaParameters(dom, p, &n, 0));
    GS_CALL("virDomainGetSchedulerParametersFlags",
            virDomainGetSchedulerParametersFlags(dom, p, &n, 0));
    GS_CALL("virDomainGetSchedulerParameters", virDomainGetSchedulerParameters(dom, p, &n));
    GS_CALL("virDomainGetInterfaceParameters",
            virDomainGetInterfaceParameters(dom, "testnet0", p, &n, 0));
    GS_CALL("virDomainGetBlockIoTune", virDomainGetBlockIoTune(dom, "vda", p, &n, 0));
    GS_CALL("virDomainBlockStatsFlags", virDomainBlockStatsFlags(dom, "vda", p, &n, 0));
#undef GS_CALL
    return g_string_free(out, FALSE);
}

#endif
