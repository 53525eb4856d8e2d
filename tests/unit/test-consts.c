/*
 * test-consts: every VIR_* constant our headers define, every string macro,
 * and the size and field offsets of every public struct, against Debian's
 * libvirt-dev headers.  Not one may differ.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <string.h>

#include "consts-table.h"

static void
test_consts_all_equal(void)
{
    size_t bad = 0;

    /* Both tables come from one generated list, so their lengths agree by
     * construction; the constants libvirt has and we lack are found by
     * check-consts-api.py, against libvirt-api.xml. */
    g_assert_cmpuint(vk_consts_ours_n, ==, vk_consts_theirs_n);
    for (size_t i = 0; i < vk_consts_ours_n; i++) {
        const vkConstRow *o = &vk_consts_ours[i], *t = &vk_consts_theirs[i];
        g_assert_cmpstr(o->name, ==, t->name);
        if (o->value != t->value || g_strcmp0(o->string, t->string) != 0) {
            g_test_message("%s: ours %lld \"%s\", libvirt's %lld \"%s\"", o->name,
                           o->value, o->string ? o->string : "", t->value,
                           t->string ? t->string : "");
            bad++;
        }
    }
    g_assert_cmpuint(bad, ==, 0);
}

static void
test_consts_layouts_present(void)
{
    /* The structs the issue names explicitly must be among the rows. */
    static const char *const want[] = {
        "virTypedParameter", "virDomainInfo", "virNodeInfo", "virError",
        "virDomainBlockInfo", "virDomainBlockStatsStruct", "virSecurityLabel",
        "virStoragePoolInfo", "virStorageVolInfo", "virTypedParameter.value.ul",
    };

    for (size_t w = 0; w < G_N_ELEMENTS(want); w++) {
        gboolean found = FALSE;
        for (size_t i = 0; i < vk_consts_ours_n && !found; i++)
            found = strcmp(vk_consts_ours[i].name, want[w]) == 0;
        g_assert_true(found);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/consts/equal", test_consts_all_equal);
    g_test_add_func("/consts/layouts-present", test_consts_layouts_present);
    return g_test_run();
}
