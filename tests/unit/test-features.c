/*
 * test-features.c: the connection feature numbers are libvirt's.
 *
 * These numbers cross the wire (REMOTE_PROC_CONNECT_SUPPORTS_FEATURE), and
 * libvirt keeps them private to its drivers, so no header of libvirt-dev
 * can be compared with.  The expected values below are typed in from the
 * protocol brief (shared/protocol/README.md section 6, observed against
 * libvirtd 9.0: clients ask 10 before CONNECT_OPEN, 14 and 15 after it);
 * check-features.py also reads the brief itself when it is present.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <glib.h>

#include <virtkit/virtkit-own.h>
#include <virtkit/virtkit-plugin.h>

static const struct {
    const char *name;
    int number;
} expected[] = {
    { "MIGRATION_V1", 1 },
    { "REMOTE", 2 },
    { "MIGRATION_V2", 3 },
    { "MIGRATION_P2P", 4 },
    { "MIGRATION_DIRECT", 5 },
    { "MIGRATION_V3", 6 },
    { "MIGRATE_CHANGE_PROTECTION", 7 },
    { "FD_PASSING", 8 },
    { "TYPED_PARAM_STRING", 9 },
    { "PROGRAM_KEEPALIVE", 10 },
    { "XML_MIGRATABLE", 11 },
    { "MIGRATION_OFFLINE", 12 },
    { "MIGRATION_PARAMS", 13 },
    { "REMOTE_EVENT_CALLBACK", 14 },
    { "REMOTE_CLOSE_CALLBACK", 15 },
    { "NETWORK_UPDATE_HAS_CORRECT_ORDER", 16 },
};

static void
test_names(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++)
        g_assert_cmpstr(virtkitDrvFeatureName(expected[i].number), ==, expected[i].name);
    /* Numbers libvirt 9.0 does not define have no name. */
    g_assert_null(virtkitDrvFeatureName(0));
    g_assert_null(virtkitDrvFeatureName(17));
    g_assert_null(virtkitDrvFeatureName(-1));
    g_assert_null(virtkitDrvFeatureName(999));
    g_assert_cmpint(VIRTKIT_DRV_FEATURE_LAST_KNOWN, ==, 16);
}

/* The enum a plugin compiles against, one constant at a time: a swap of
 * two values (as 7, 9 and 10 once were) fails here by name. */
static void
test_enum(void)
{
    g_assert_cmpint(VIRTKIT_DRV_FEATURE_MIGRATE_CHANGE_PROTECTION, ==, 7);
    g_assert_cmpint(VIRTKIT_DRV_FEATURE_FD_PASSING, ==, 8);
    g_assert_cmpint(VIRTKIT_DRV_FEATURE_TYPED_PARAM_STRING, ==, 9);
    g_assert_cmpint(VIRTKIT_DRV_FEATURE_PROGRAM_KEEPALIVE, ==, 10);
    g_assert_cmpint(VIRTKIT_DRV_FEATURE_REMOTE_EVENT_CALLBACK, ==, 14);
    g_assert_cmpint(VIRTKIT_DRV_FEATURE_REMOTE_CLOSE_CALLBACK, ==, 15);
    g_assert_cmpint(VIRTKIT_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER, ==, 16);
}

/* With an argument, prints "NUMBER NAME" for every named feature, for
 * check-features.py to compare with the protocol brief. */
int
main(int argc, char **argv)
{
    if (argc == 2 && g_str_equal(argv[1], "--list")) {
        for (int f = -2; f <= 64; f++) {
            const char *n = virtkitDrvFeatureName(f);
            if (n)
                g_print("%d %s\n", f, n);
        }
        return 0;
    }
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/features/names", test_names);
    g_test_add_func("/features/enum", test_enum);
    return g_test_run();
}
