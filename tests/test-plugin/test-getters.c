/*
 * test-getters: the typed-parameter getters with flags 0 return what
 * Debian's libvirt returns on its own test:///default, string entries
 * included (libvirt's getters add VIR_TYPED_PARAM_STRING_OKAY for the
 * caller when the driver takes strings), compared in the same run through
 * stock-getters (getters-script.h built against libvirt-dev).
 *
 * Not compared here, and why:
 * - virDomainBlockStatsFlags: libvirt's test driver lacks it;
 * - virDomainGetSchedulerParametersFlags: libvirt 9.0's test driver refuses
 *   the STRING_OKAY its own public wrapper adds (VIR_ERR_INVALID_ARG
 *   "unsupported flags (0x4)"); virtkit's test plugin accepts it.
 *   Both are compared with the fake plugin of tests/unit/test-wrappers.c
 *   (/wrapper/typedparam/flags0-strings) instead.
 * - Numa, Interface and BlockIoTune parameters: libvirt's test driver has
 *   them, virtkit's test plugin does not yet; the test fails when one
 *   appears, so that it joins the comparison.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tp-util.h"

#include <gio/gio.h>

#include "getters-script.h"

/* Getters virtkit's test plugin does not carry out (yet). */
static const char *const ours_unsupported[] = {
    "virDomainGetNumaParameters", "virDomainGetInterfaceParameters", "virDomainGetBlockIoTune",
};

/* Getters where libvirt's test driver gives no answer to compare with. */
static const char *const stock_unusable[] = {
    "virDomainGetSchedulerParametersFlags", "virDomainBlockStatsFlags",
};

static bool
listed(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (g_str_equal(list[i], name))
            return true;
    return false;
}

static void
test_same_as_stock(void)
{
    const char *stock_prog = g_getenv("TP_STOCK_GETTERS");
    g_autoptr(GSubprocessLauncher) l = NULL;
    g_autoptr(GSubprocess) p = NULL;
    g_autofree char *stock = NULL;
    g_autofree char *ours = NULL;
    g_auto(GStrv) sl = NULL;
    g_auto(GStrv) ol = NULL;
    virConnectPtr conn;
    virDomainPtr dom;
    int compared = 0, strings = 0;

    if (!stock_prog || !*stock_prog) {
        g_test_skip("stock-getters was not built (no libvirt-dev): nothing to compare with");
        return;
    }
    l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    /* Debian's libvirt is not ours to hold to our leak checker */
    g_subprocess_launcher_setenv(l, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
    p = g_subprocess_launcher_spawn(l, NULL, "timeout", "60", stock_prog, NULL);
    g_assert_nonnull(p);
    g_assert_true(g_subprocess_communicate_utf8(p, NULL, NULL, &stock, NULL, NULL));
    g_assert_true(g_subprocess_get_successful(p));

    conn = tp_open_default();
    dom = virDomainLookupByName(conn, "test");
    g_assert_nonnull(dom);
    ours = gs_run(dom);
    g_test_message("libvirt:\n%s", stock);
    g_test_message("virtkit:\n%s", ours);

    sl = g_strsplit(stock, "\n", -1);
    ol = g_strsplit(ours, "\n", -1);
    g_assert_cmpuint(g_strv_length(sl), ==, g_strv_length(ol));
    for (guint i = 0; sl[i] && *sl[i]; i++) {
        g_autofree char *name = g_strndup(sl[i], strcspn(sl[i], ":"));
        const char *o = ol[i] + strlen(name) + 1;
        const char *s = sl[i] + strlen(name) + 1;

        g_assert_true(g_str_has_prefix(ol[i], name));
        if (listed(stock_unusable, G_N_ELEMENTS(stock_unusable), name)) {
            /* what libvirt does today; if it changes, compare */
            g_assert_true(g_str_has_prefix(s, " error") || g_str_equal(s, " unsupported"));
            continue;
        }
        if (listed(ours_unsupported, G_N_ELEMENTS(ours_unsupported), name)) {
            g_assert_cmpstr(o, ==, " unsupported");
            continue;
        }
        g_assert_cmpstr(ol[i], ==, sl[i]);
        compared++;
        if (strstr(sl[i], "(string)"))
            strings++;
    }
    /* Blkio (with its five device_* strings), Memory, SchedulerParameters. */
    g_assert_cmpint(compared, ==, 3);
    g_assert_cmpint(strings, ==, 1);
    virDomainFree(dom);
    virConnectClose(conn);
}

int
main(int argc, char **argv)
{
    tp_init(&argc, &argv);
    g_test_add_func("/test-plugin/getters/same-as-stock", test_same_as_stock);
    return g_test_run();
}
