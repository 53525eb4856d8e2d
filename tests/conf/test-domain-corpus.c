/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-domain-corpus.c: for every document of libvirt's own test data (the
 * shared corpus, ../shared/corpus/libvirt-domain-xml beside the source
 * tree), what we format must be what stock libvirt 9.0's test driver
 * formats (computed here, at run time, with the installed virsh), apart from
 * the values libvirt generates; and what we format must validate against
 * libvirt's published domain.rng.
 *
 * Files we knowingly format differently are listed below with the reason;
 * they run as TODO (TAP "not ok # TODO") so a fix shows up as a pass.
 */
#include "conf-test-util.h"

#include <string.h>

static const struct {
    const char *file;
    const char *why;
} known_differences[] = {
    { "qemu-autoindex.xml",
      "stock libvirt 9.0 itself is not stable on it: USB companion controllers get the index "
      "of their EHCI master and libvirt reorders them on a second define" },
};

static const char *schema_path = "/usr/share/libvirt/schemas/domain.rng";
static char *corpus_dir;
static gboolean have_virsh;

static const char *
known_difference(const char *file)
{
    for (guint i = 0; i < G_N_ELEMENTS(known_differences); i++)
        if (strcmp(known_differences[i].file, file) == 0)
            return known_differences[i].why;
    return NULL;
}

static char *
domain_name(const char *xml)
{
    /* enough for the corpus: the first <name> is the domain's */
    const char *s = strstr(xml, "<name>"), *e;
    if (!s || !(e = strstr(s, "</name>")))
        return NULL;
    return g_strndup(s + 6, e - s - 6);
}

static void
test_corpus_file(gconstpointer data)
{
    const char *file = data;
    g_autofree char *path = g_build_filename(corpus_dir, file, NULL);
    g_autofree char *input = NULL;
    g_autofree char *ours = NULL, *theirs = NULL, *name = NULL;
    g_autoptr(GError) error = NULL;
    const char *why = known_difference(file);

    if (!have_virsh) {
        g_test_skip("virsh (Debian's libvirt-clients) is not installed");
        return;
    }
    g_assert_true(g_file_get_contents(path, &input, NULL, &error));
    g_assert_no_error(error);
    name = domain_name(input);
    g_assert_nonnull(name);

    ours = conf_test_format_like_test_driver(input, &error);
    g_assert_no_error(error);
    g_assert_nonnull(ours);

    /* every document we format validates, whatever the comparison says */
    g_autofree char *rng = conf_test_relaxng_errors(ours, schema_path);
    if (rng)
        g_test_message("%s: RelaxNG: %s", file, rng);
    g_assert_null(rng);

    theirs = conf_test_virsh_dump(path, name, &error);
    g_assert_no_error(error);

    g_autofree char *m_ours = conf_test_mask_generated(ours, input);
    g_autofree char *m_theirs = conf_test_mask_generated(theirs, input);
    if (strcmp(m_ours, m_theirs) != 0) {
        g_autofree char *diff = conf_test_diff(m_theirs, m_ours);
        g_test_message("%s differs from stock libvirt (- libvirt, + ours):\n%s", file, diff);
        if (why)
            g_test_incomplete(why);
        else
            g_test_fail_printf("%s: our output differs from stock libvirt 9.0's", file);
    }
}

static gint
cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static void
test_corpus_absent(void)
{
    g_autofree char *msg = g_strdup_printf("the shared corpus is not at %s "
                                           "(it sits beside the clone in CI)", corpus_dir);
    g_test_skip(msg);
}

int
main(int argc, char **argv)
{
    const char *srcroot = g_getenv("VIRTKIT_SOURCE_ROOT");
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *virsh = g_find_program_in_path("virsh");

    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    /* unknown elements in the corpus are logged as warnings on purpose */
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    g_log_set_handler("virtkit-conf", G_LOG_LEVEL_WARNING, g_log_default_handler, NULL);
    g_setenv("G_MESSAGES_DEBUG", "", TRUE);

    have_virsh = virsh != NULL;
    corpus_dir = g_build_filename(srcroot ? srcroot : ".", "..", "shared", "corpus",
                                  "libvirt-domain-xml", NULL);
    dir = g_dir_open(corpus_dir, 0, NULL);
    if (!dir) {
        g_test_add_func("/conf/domain/corpus/absent", test_corpus_absent);
        g_printerr("# the shared corpus is not at %s: skipping the comparison\n", corpus_dir);
    } else {
        const char *n;
        while ((n = g_dir_read_name(dir)))
            if (g_str_has_suffix(n, ".xml"))
                g_ptr_array_add(files, g_strdup(n));
        g_ptr_array_sort(files, cmp_names);
        for (guint i = 0; i < files->len; i++) {
            g_autofree char *tp = g_strdup_printf("/conf/domain/corpus/%s",
                                                  (char *) files->pdata[i]);
            g_test_add_data_func(tp, files->pdata[i], test_corpus_file);
        }
    }
    int rc = g_test_run();
    g_free(corpus_dir);
    return rc;
}
