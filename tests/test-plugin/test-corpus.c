/*
 * test-corpus.c: the shared corpus of libvirt's own domain XML
 * (../shared/corpus/libvirt-domain-xml beside the source tree, read at
 * test time) defines on our test plugin as on libvirt's: every file is
 * accepted, and what virDomainGetXMLDesc gives back is what stock virsh on
 * libvirt's test:///default dumps for it (apart from values libvirt
 * generates: UUIDs, MAC addresses and 802.1Qbg instance ids the file does
 * not give).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tp-util.h"

static char *corpus_dir;
static virConnectPtr conn;

/* Unknown elements are ignored with a logged warning, as libvirt does;
 * the corpus has some, so conf's warnings are not fatal here. */
static void
quiet_conf_warnings(const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
}

static char *
mask(const char *xml, const char *input)
{
    static const char *const patterns[] = {
        "(<uuid>)([0-9a-f-]{36})(</uuid>)",
        "(<mac address=')([0-9a-f:]{17})(')",
        "(instanceid=')([0-9a-f-]{36})(')",
    };
    char *cur = g_strdup(xml);

    for (guint i = 0; i < G_N_ELEMENTS(patterns); i++) {
        g_autoptr(GRegex) re = g_regex_new(patterns[i], 0, 0, NULL);
        g_autoptr(GMatchInfo) mi = NULL;
        GString *out = g_string_new(NULL);
        const char *p = cur;
        gint start, end;

        g_regex_match(re, cur, 0, &mi);
        while (g_match_info_matches(mi)) {
            g_autofree char *val = g_match_info_fetch(mi, 2);
            g_match_info_fetch_pos(mi, 2, &start, &end);
            g_string_append_len(out, p, (cur + start) - p);
            g_string_append(out, strstr(input, val) ? val : "GENERATED");
            p = cur + end;
            g_match_info_next(mi, NULL);
        }
        g_string_append(out, p);
        g_free(cur);
        cur = g_string_free(out, FALSE);
    }
    return cur;
}

static void
test_file(gconstpointer data)
{
    const char *file = data;
    g_autofree char *path = g_build_filename(corpus_dir, file, NULL);
    g_autofree char *input = NULL, *ours = NULL, *stock = NULL, *script = NULL;
    g_autofree char *m_ours = NULL, *m_stock = NULL;
    virDomainPtr dom;

    g_assert_true(g_file_get_contents(path, &input, NULL, NULL));
    dom = virDomainDefineXML(conn, input);
    if (!dom)
        g_test_message("%s: %s", file, virGetLastErrorMessage());
    g_assert_nonnull(dom);
    ours = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_SECURE);
    g_assert_nonnull(ours);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);

    script = g_strdup_printf("define '%s'; dumpxml --security-info '%s'", path,
                             virDomainGetName(dom));
    virDomainFree(dom);
    stock = tp_virsh(script);
    if (!stock) {
        g_test_message("%s: stock virsh not available; checked that it defines only", file);
        return;
    }
    /* virsh prints "Domain ... defined" first and a blank line last */
    {
        char *start = strstr(stock, "<domain");
        g_assert_nonnull(start);
        m_stock = mask(start, input);
        g_strchomp(m_stock);
    }
    m_ours = mask(ours, input);
    g_strchomp(m_ours);
    g_assert_cmpstr(m_ours, ==, m_stock);
}

static void
test_absent(void)
{
    g_test_skip("the shared corpus ../shared/corpus/libvirt-domain-xml is absent beside the "
                "source tree");
}

static gint
cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    const char *f;
    int ret;

    tp_init(&argc, &argv);
    g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
    g_log_set_handler("virtkit-conf", G_LOG_LEVEL_WARNING, quiet_conf_warnings, NULL);
    corpus_dir = g_build_filename(tp_source_root(), "..", "shared", "corpus",
                                  "libvirt-domain-xml", NULL);
    dir = g_dir_open(corpus_dir, 0, NULL);
    if (!dir) {
        g_test_message("the shared corpus is absent (%s): nothing to define", corpus_dir);
        g_test_add_func("/test-plugin/corpus/absent", test_absent);
    }
    while (dir && (f = g_dir_read_name(dir)))
        if (g_str_has_suffix(f, ".xml"))
            g_ptr_array_add(files, g_strdup(f));
    g_ptr_array_sort(files, cmp_names);
    for (guint i = 0; i < files->len; i++) {
        const char *name = g_ptr_array_index(files, i);
        g_autofree char *tpath = g_strdup_printf("/test-plugin/corpus/%s", name);
        g_test_add_data_func(tpath, name, test_file);
    }
    conn = tp_open_fresh(NULL);
    ret = g_test_run();
    virConnectClose(conn);
    g_free(corpus_dir);
    return ret;
}
