/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-domain-own.c: the project's own domain documents (tests/conf/corpus,
 * written for virtkit) and what stock libvirt 9.0's test driver formats for
 * each (NAME.out, recorded with `virsh -c test:///default 'define F;
 * dumpxml --security-info NAME'`).  Runs everywhere: our output must equal
 * the recording (generated values masked) and validate against domain.rng
 * when libvirt's schemas are installed.  Where virsh is installed, the
 * recording itself is checked against a live virsh, so it cannot go stale.
 */
#include "conf-test-util.h"

#include <string.h>

static const char *schema_path = "/usr/share/libvirt/schemas/domain.rng";
static char *corpus_dir;

static void
test_own_file(gconstpointer data)
{
    const char *file = data;
    g_autofree char *path = g_build_filename(corpus_dir, file, NULL);
    g_autofree char *base = g_strndup(file, strlen(file) - 4);
    g_autofree char *out_path = g_strdup_printf("%s/%s.out", corpus_dir, base);
    g_autofree char *input = NULL, *expected = NULL, *ours = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true(g_file_get_contents(path, &input, NULL, &error));
    g_assert_true(g_file_get_contents(out_path, &expected, NULL, &error));
    g_assert_no_error(error);

    ours = conf_test_format_like_test_driver(input, &error);
    g_assert_no_error(error);
    g_assert_nonnull(ours);

    g_autofree char *m_ours = conf_test_mask_generated(ours, input);
    g_autofree char *m_expected = conf_test_mask_generated(expected, input);
    if (strcmp(m_ours, m_expected) != 0) {
        g_autofree char *diff = conf_test_diff(m_expected, m_ours);
        g_test_message("%s (- libvirt, + ours):\n%s", file, diff);
    }
    g_assert_cmpstr(m_ours, ==, m_expected);

    if (g_file_test(schema_path, G_FILE_TEST_EXISTS)) {
        g_autofree char *rng = conf_test_relaxng_errors(ours, schema_path);
        if (rng)
            g_test_message("%s: RelaxNG: %s", file, rng);
        g_assert_null(rng);
    }

    g_autofree char *virsh = g_find_program_in_path("virsh");
    if (virsh) {
        g_autofree char *live = conf_test_virsh_dump(path, base, &error);
        g_assert_no_error(error);
        g_autofree char *m_live = conf_test_mask_generated(live, input);
        g_assert_cmpstr(m_live, ==, m_expected);
    }
}

static gint
cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) dir = NULL;
    const char *n;

    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    g_log_set_handler("virtkit-conf", G_LOG_LEVEL_WARNING, g_log_default_handler, NULL);
    corpus_dir = g_test_build_filename(G_TEST_DIST, "corpus", NULL);
    dir = g_dir_open(corpus_dir, 0, NULL);
    g_assert_nonnull(dir);
    while ((n = g_dir_read_name(dir)))
        if (g_str_has_suffix(n, ".xml"))
            g_ptr_array_add(files, g_strdup(n));
    g_ptr_array_sort(files, cmp_names);
    for (guint i = 0; i < files->len; i++) {
        g_autofree char *tp = g_strdup_printf("/conf/domain/own/%s", (char *) files->pdata[i]);
        g_test_add_data_func(tp, files->pdata[i], test_own_file);
    }
    int rc = g_test_run();
    g_free(corpus_dir);
    return rc;
}
