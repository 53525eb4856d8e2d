/*
 * test-mutate.c: a seeded mutation fuzzer over the shared domain corpus
 * (../shared/corpus/libvirt-domain-xml beside the source tree, read at run
 * time; the test skips with a message when it is absent), through the
 * test plugin's define -> dumpxml -> define.
 *
 * Every mutant either is refused with an error that has a message, or
 * defines; one that defines must define again from its own dumpxml (what
 * we write, we read back), and that second dump must be the first one
 * (unless an attribute value holds a tab, CR or newline: libvirt 9.0 writes
 * those unescaped, as we do, and an XML reader turns them into spaces).
 * The mutations are structural enough to stay well-formed most of the
 * time: an attribute value replaced by a hostile one (empty, negative,
 * huge, "0,^0", a control character, a long run), a line deleted, a line
 * doubled, two lines swapped.  The seed and the iteration count are fixed
 * (VIRTKIT_MUTATE_SEED and VIRTKIT_MUTATE_ROUNDS override them), so a run
 * is deterministic; a failure prints the mutant for reproduction.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tp-util.h"

#include <stdio.h>

#define MUTATE_DEFAULT_SEED 20261202
#define MUTATE_DEFAULT_ROUNDS 30   /* mutants per corpus document */

static const char *const hostile_values[] = {
    "", "0", "-1", "1", "4294967296", "18446744073709551615", "18446744073709551616",
    "0,^0", "0-16383", "^0", "0-", "-", "yes", "no", "on", "none", "a\nb", "a\tb",
    "vda", "hda", "0x0", "0xffffffff", "1e9", " 1 ", "default", "..", "/",
    "/dev/zero", "00000000-0000-0000-0000-000000000000", "&amp;", "&#1;", "%s%n",
};

static char *corpus_dir;
static guint32 seed = MUTATE_DEFAULT_SEED;
static guint rounds = MUTATE_DEFAULT_ROUNDS;
static guint defined_count, refused_count;

/* One mutation of @doc, chosen with @rand. */
static char *
mutate(const char *doc, GRand *rand)
{
    g_auto(GStrv) lines = g_strsplit(doc, "\n", -1);
    guint n = g_strv_length(lines);
    int op = g_rand_int_range(rand, 0, 5);
    GString *out = g_string_new(NULL);

    if (n < 3)
        op = 0;
    if (op <= 1) {
        /* an attribute value: the k-th "='" in the document */
        guint count = 0;
        for (const char *p = doc; (p = strstr(p, "='")); p++)
            count++;
        if (count) {
            guint k = (guint) g_rand_int_range(rand, 0, (gint32) count);
            const char *p = doc, *end;
            for (guint i = 0; i <= k; i++)
                p = strstr(i ? p + 1 : p, "='");
            p += 2;
            end = strchr(p, '\'');
            if (end) {
                guint v = (guint) g_rand_int_range(rand, 0, G_N_ELEMENTS(hostile_values) + 1);
                g_string_append_len(out, doc, p - doc);
                if (v == G_N_ELEMENTS(hostile_values)) {
                    /* a long run of one character */
                    for (int i = 0; i < 5000; i++)
                        g_string_append_c(out, '9');
                } else {
                    for (const char *c = hostile_values[v]; *c; c++) {
                        if (*c == '\n')
                            g_string_append(out, "&#10;");
                        else if (*c == '\t')
                            g_string_append(out, "&#9;");
                        else
                            g_string_append_c(out, *c);
                    }
                }
                g_string_append(out, end);
                return g_string_free(out, FALSE);
            }
        }
        op = 2;
    }
    {
        guint a = 1 + (guint) g_rand_int_range(rand, 0, (gint32) n - 2);
        guint b = 1 + (guint) g_rand_int_range(rand, 0, (gint32) n - 2);
        for (guint i = 0; i < n; i++) {
            const char *line = lines[i];
            if (op == 2 && i == a)
                continue;                           /* delete */
            if (op == 4 && i == a)
                line = lines[b];                    /* swap */
            else if (op == 4 && i == b)
                line = lines[a];
            g_string_append(out, line);
            g_string_append_c(out, '\n');
            if (op == 3 && i == a) {                /* double */
                g_string_append(out, line);
                g_string_append_c(out, '\n');
            }
        }
    }
    return g_string_free(out, FALSE);
}

/* Whether an attribute value of @xml holds a tab, CR or newline. */
static gboolean
has_raw_control_in_attr(const char *xml)
{
    for (const char *p = xml; (p = strstr(p, "='"));) {
        const char *end = strchr(p + 2, '\'');
        if (!end)
            return FALSE;
        for (const char *c = p + 2; c < end; c++)
            if (*c == '\t' || *c == '\n' || *c == '\r')
                return TRUE;
        p = end + 1;
    }
    return FALSE;
}

static void
fail_with(const char *file, guint round, const char *what, const char *doc, const char *detail)
{
    g_autofree char *keep = g_build_filename(tp_tmpdir(), "mutant.xml", NULL);
    g_file_set_contents(keep, doc, -1, NULL);
    g_printerr("# %s, mutant %u (seed %u): %s\n# %s\n# the mutant:\n%s\n", file, round, seed,
               what, detail ? detail : "", doc);
    g_test_fail();
}

static void
test_mutate_file(gconstpointer data)
{
    const char *file = data;
    g_autofree char *path = g_build_filename(corpus_dir, file, NULL);
    g_autofree char *input = NULL;
    virConnectPtr conn = tp_open_fresh(NULL);
    /* the same mutants for a file whatever runs before it */
    GRand *rand = g_rand_new_with_seed(seed ^ g_str_hash(file));

    g_assert_true(g_file_get_contents(path, &input, NULL, NULL));
    for (guint r = 0; r < rounds; r++) {
        g_autofree char *doc = mutate(input, rand);
        g_autofree char *dump1 = NULL, *dump2 = NULL;
        virDomainPtr dom = virDomainDefineXML(conn, doc);
        virDomainPtr again;

        if (!dom) {
            const char *msg = virGetLastErrorMessage();
            if (!msg || !*msg || virGetLastErrorCode() == VIR_ERR_OK)
                fail_with(file, r, "refused without an error message", doc, NULL);
            refused_count++;
            continue;
        }
        defined_count++;
        dump1 = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE);
        virDomainUndefine(dom);
        virDomainFree(dom);
        if (!dump1) {
            fail_with(file, r, "defined, but dumpxml failed", doc, virGetLastErrorMessage());
            continue;
        }
        if (!(again = virDomainDefineXML(conn, dump1))) {
            fail_with(file, r, "defined, but its own dumpxml does not define", doc,
                      virGetLastErrorMessage());
            g_printerr("# its dumpxml:\n%s\n", dump1);
            continue;
        }
        dump2 = virDomainGetXMLDesc(again, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE);
        virDomainUndefine(again);
        virDomainFree(again);
        if (g_strcmp0(dump1, dump2) != 0 && !has_raw_control_in_attr(dump1)) {
            fail_with(file, r, "the second dumpxml differs from the first", doc, NULL);
            g_printerr("# first:\n%s\n# second:\n%s\n", dump1, dump2 ? dump2 : "(none)");
        }
    }
    g_rand_free(rand);
    virConnectClose(conn);
}

static void
test_mutate_summary(void)
{
    g_test_message("%u mutants defined, %u refused (seed %u, %u a file)", defined_count,
                   refused_count, seed, rounds);
    /* the mutations must reach the code past the parser, not only its errors */
    g_assert_cmpuint(defined_count, >, rounds);
}

static void
test_corpus_absent(void)
{
    g_autofree char *msg = g_strdup_printf("the shared corpus is not at %s "
                                           "(it sits beside the clone in CI)", corpus_dir);
    g_test_skip(msg);
}

/* conf warns about the unknown elements it ignores, as libvirt does:
 * mutants make many, and they are not failures here. */
static void
mutate_quiet(const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
}

static gint
mutate_cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

int
main(int argc, char **argv)
{
    const char *s;
    GDir *dir;
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    guint64 v;

    tp_init(&argc, &argv);
    g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
    g_log_set_handler("virtkit-conf", G_LOG_LEVEL_WARNING, mutate_quiet, NULL);
    if ((s = g_getenv("VIRTKIT_MUTATE_SEED")) && (v = g_ascii_strtoull(s, NULL, 10)))
        seed = (guint32) v;
    if ((s = g_getenv("VIRTKIT_MUTATE_ROUNDS")) && (v = g_ascii_strtoull(s, NULL, 10)))
        rounds = (guint) MIN(v, 100000);
    corpus_dir = g_build_filename(tp_source_root(), "..", "shared", "corpus",
                                  "libvirt-domain-xml", NULL);
    if (!(dir = g_dir_open(corpus_dir, 0, NULL))) {
        g_test_add_func("/test-plugin/mutate/corpus-absent", test_corpus_absent);
        return g_test_run();
    }
    for (const char *name; (name = g_dir_read_name(dir));)
        if (g_str_has_suffix(name, ".xml"))
            g_ptr_array_add(files, g_strdup(name));
    g_dir_close(dir);
    g_ptr_array_sort(files, mutate_cmp_names);
    for (guint i = 0; i < files->len; i++) {
        g_autofree char *tp = g_strdup_printf("/test-plugin/mutate/%s",
                                              (const char *) files->pdata[i]);
        g_test_add_data_func(tp, files->pdata[i], test_mutate_file);
    }
    g_test_add_func("/test-plugin/mutate/summary", test_mutate_summary);
    return g_test_run();
}
