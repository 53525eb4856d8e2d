/*
 * test-loader: the plugin loader against fixture plugins, most of them
 * broken on purpose (tests/plugins/fixture.c).  Loading is once per process
 * and never undone, so every case runs in a fresh subprocess.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <glib.h>
#include <string.h>

#include "vk-plugin.h"
/* The committed layout, checked here too (plugin-api/abi/). */
#include <virtkit/virtkit-plugin-abi-check.h>

static char *fixture_dir;

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the fixture modules mapped into this process, sorted. */
static char *
mapped_fixtures(void)
{
    g_autofree char *maps = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) out = g_string_new(NULL);

    g_assert_true(g_file_get_contents("/proc/self/maps", &maps, NULL, NULL));
    lines = g_strsplit(maps, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        const char *p = strstr(lines[i], "libvirtkit-fixture-");
        g_autofree char *name = NULL;
        gboolean dup = FALSE;

        if (!p)
            continue;
        p += strlen("libvirtkit-fixture-");
        name = g_strndup(p, strcspn(p, "."));
        for (guint k = 0; k < found->len; k++)
            dup |= strcmp(g_ptr_array_index(found, k), name) == 0;
        if (!dup)
            g_ptr_array_add(found, g_steal_pointer(&name));
    }
    g_ptr_array_sort(found, compare_names);
    for (guint k = 0; k < found->len; k++)
        g_string_append_printf(out, "%s%s", k ? "," : "", (char *)g_ptr_array_index(found, k));
    return g_string_free(g_steal_pointer(&out), FALSE);
}

/* Runs the named subprocess case and expects it to pass. */
static void
run_isolated(gconstpointer path)
{
    g_test_trap_subprocess((const char *)path, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

static void
expect_open_error(const char *uri, int code, const char *const *needles)
{
    virConnectPtr conn = virConnectOpen(uri);

    g_assert_null(conn);
    g_assert_cmpint(virGetLastErrorCode(), ==, code);
    for (size_t i = 0; needles[i]; i++) {
        if (!strstr(virGetLastErrorMessage(), needles[i]))
            g_test_message("message: %s\nmissing: %s", virGetLastErrorMessage(), needles[i]);
        g_assert_nonnull(strstr(virGetLastErrorMessage(), needles[i]));
    }
}

static void
case_good(void)
{
    virConnectPtr conn;
    virDomainPtr dom;
    char *host;

    conn = virConnectOpen("fixgood:///x");
    g_assert_nonnull(conn);
    host = virConnectGetHostname(conn);
    /* Private data set by the plugin's connectOpen came back to it. */
    g_assert_cmpstr(host, ==, "fixgood-host(fixgood:///x)");
    g_free(host);
    dom = virDomainLookupByName(conn, "fixdom");
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_null(virDomainLookupByName(conn, "other"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "Domain not found: no domain with matching name 'other'");
    virDomainFree(dom);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

static void
case_lazy(void)
{
    virConnectPtr conn;
    g_autofree char *before = mapped_fixtures();
    g_autofree char *after = NULL;

    g_assert_cmpstr(before, ==, "");
    g_assert_cmpuint(vkPluginLoadCount(), ==, 0);
    conn = virConnectOpen("fixgood:///");
    g_assert_nonnull(conn);
    after = mapped_fixtures();
    /* The URI's plugin and the secondary plugin that attaches to it: none
     * of the other eleven fixtures found on the path. */
    g_assert_cmpstr(after, ==, "good,secondary");
    g_assert_cmpuint(vkPluginLoadCount(), ==, 2);
    virConnectClose(conn);
}

static void
case_wrong_major(void)
{
    g_autofree char *path = g_build_filename(fixture_dir, "libvirtkit-fixture-wrongmajor", NULL);
    const char *needles[] = { path, "plugin ABI 2.0", "this core speaks 1.0",
                              "major versions must be equal", NULL };
    unsigned int loads;

    expect_open_error("fixwrongmajor:///", VIR_ERR_NO_CONNECT, needles);
    /* The refusal is kept: asking again reports it without loading again. */
    loads = vkPluginLoadCount();
    expect_open_error("fixwrongmajor:///", VIR_ERR_NO_CONNECT, needles);
    g_assert_cmpuint(vkPluginLoadCount(), ==, loads);
}

static void
case_newer_minor(void)
{
    const char *needles[] = { "libvirtkit-fixture-newerminor", "plugin ABI 1.1",
                              "newer than this core's 1.0", NULL };

    expect_open_error("fixnewerminor:///", VIR_ERR_NO_CONNECT, needles);
}

static void
case_short_table(void)
{
    virConnectPtr conn = virConnectOpen("fixshort:///");
    virDomainPtr dom;
    char *host;

    g_assert_nonnull(conn);
    /* Slots before the plugin's struct_size work... */
    host = virConnectGetHostname(conn);
    g_assert_cmpstr(host, ==, "fixshort-host(fixshort:///)");
    g_free(host);
    dom = virDomainLookupByName(conn, "fixdom");
    g_assert_nonnull(dom);
    /* ...and the one past it reads as unsupported, though the plugin's
     * static table has it filled. */
    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "this function is not supported by the connection driver: virDomainSuspend");
    virDomainFree(dom);
    virConnectClose(conn);
}

/* A plugin built against the ABI 1.0 header (the tables of the committed
 * 1.0 slot list, abi_minor 0) loads in this core and works through the
 * public API: its slots sit where the core reads them, an older form
 * routed to one of them works, and a slot its table lacks (any newer than
 * its struct_size) reads as unsupported. */
static void
case_abi10_plugin(void)
{
    g_autofree char *dirs = g_strdup_printf("%s:%s", fixture_dir,
                                            g_getenv("VIRTKIT_TEST_ABI10_DIR"));
    virtkitPluginInfoPtr *list = NULL;
    virConnectPtr conn;
    virDomainPtr dom;
    char *host;
    int n, seen = 0;

    g_setenv("VIRTKIT_PLUGIN_DIR", dirs, TRUE);
    conn = virConnectOpen("fixabi10:///");
    g_assert_nonnull(conn);
    host = virConnectGetHostname(conn);
    g_assert_cmpstr(host, ==, "fixabi10-host(fixabi10:///)");
    g_free(host);
    dom = virDomainLookupByName(conn, "fixdom");
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "invalid argument: fixture starts with flags 0 only, not 0x1");
    g_assert_cmpint(virDomainResume(dom), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);
    virDomainFree(dom);
    virConnectClose(conn);

    n = virtkitConnectListPlugins(&list, VIRTKIT_LIST_PLUGINS_LOAD);
    g_assert_cmpint(n, >, 0);
    for (int i = 0; i < n; i++) {
        if (strcmp(list[i]->name, "fixabi10") == 0) {
            seen++;
            g_assert_cmpstr(list[i]->status, ==, "loaded");
            g_assert_cmpuint(list[i]->abiMajor, ==, 1);
            g_assert_cmpuint(list[i]->abiMinor, ==, 0);
        }
        virtkitPluginInfoFree(list[i]);
    }
    g_free(list);
    g_assert_cmpint(seen, ==, 1);
}

static void
case_no_entry(void)
{
    const char *needles[] = { "libvirtkit-fixture-noentry", "exports no 'virtkitPluginEntry' symbol", NULL };

    expect_open_error("fixnoentry:///", VIR_ERR_NO_CONNECT, needles);
}

static void
case_extra_symbol(void)
{
    virtkitPluginInfoPtr *list = NULL;
    virConnectPtr conn = virConnectOpen("fixextrasym:///");
    gboolean seen = FALSE;
    int n;

    /* Warned, not refused (see vir-plugin.c for why). */
    g_assert_nonnull(conn);
    n = virtkitConnectListPlugins(&list, 0);
    g_assert_cmpint(n, >, 0);
    for (int i = 0; i < n; i++) {
        if (strcmp(list[i]->name, "fixextrasym") == 0) {
            seen = TRUE;
            g_assert_cmpstr(list[i]->status, ==, "loaded");
            g_assert_nonnull(list[i]->reason);
            g_assert_nonnull(strstr(list[i]->reason, "exports symbols besides virtkitPluginEntry: fixtureExtraHelper"));
        }
        virtkitPluginInfoFree(list[i]);
    }
    g_free(list);
    g_assert_true(seen);
    virConnectClose(conn);
}

static void
case_init_fails(void)
{
    const char *needles[] = { "libvirtkit-fixture-initfail", "its init failed",
                              "fixture init failed on purpose: no hardware here", NULL };

    expect_open_error("fixinitfail:///", VIR_ERR_NO_CONNECT, needles);
}

/* A module that uses a function or a variable no library defines is refused
 * at load, naming the symbol: not a "symbol lookup error" at the first call
 * that ends the process, nor libltdl's "file not found". */
static void
case_unresolved_function(void)
{
    const char *needles[] = { "Plugin 'fixunresfunc'", "libvirtkit-fixture-unresfunc.so",
                              "is refused: it uses the symbol 'fixtureMissingFunction', which "
                              "neither it nor any library it links defines", NULL };

    expect_open_error("fixunresfunc:///", VIR_ERR_NO_CONNECT, needles);
    /* refused once, for good: the second open says the same */
    expect_open_error("fixunresfunc:///", VIR_ERR_NO_CONNECT, needles);
}

static void
case_unresolved_variable(void)
{
    const char *needles[] = { "Plugin 'fixunresvar'", "libvirtkit-fixture-unresvar.so",
                              "is refused: it uses the symbol 'fixtureMissingVariable'", NULL };

    expect_open_error("fixunresvar:///", VIR_ERR_NO_CONNECT, needles);
    g_assert_null(strstr(virGetLastErrorMessage(), "file not found"));
}

static void
case_declined(void)
{
    const char *needles[] = { "no connection driver available for fixdecline:///x",
                              "plugin 'fixdecline' declined it", NULL };

    expect_open_error("fixdecline:///x", VIR_ERR_NO_CONNECT, needles);
}

static void
case_open_error(void)
{
    const char *needles[] = { "fixture cannot open 'fixgood:///fail'", NULL };

    expect_open_error("fixgood:///fail", VIR_ERR_OPERATION_FAILED, needles);
}

static void
case_duplicate_scheme(void)
{
    g_autofree char *a = g_build_filename(fixture_dir, "fixdupa.plugin", NULL);
    g_autofree char *b = g_build_filename(fixture_dir, "fixdupb.plugin", NULL);
    const char *needles[] = { "two hypervisor plugins claim the scheme 'fixdup'", a, b, NULL };

    expect_open_error("fixdup:///", VIR_ERR_NO_CONNECT, needles);
    g_assert_cmpuint(vkPluginLoadCount(), ==, 0);
}

static void
case_keyfile_mismatch(void)
{
    const char *needles[] = { "fixmismatch.plugin says Schemes=fixmismatch;fixother",
                              "libvirtkit-fixture-mismatch.so says fixmismatch", NULL };

    expect_open_error("fixmismatch:///", VIR_ERR_NO_CONNECT, needles);
}

static void
case_secondary(void)
{
    virConnectPtr conn = virConnectOpen("fixgood:///");
    virStoragePoolPtr pool;

    g_assert_nonnull(conn);
    /* The hypervisor fixture has no storage table; the secondary's serves. */
    g_assert_cmpint(virConnectNumOfStoragePools(conn), ==, 1);
    pool = virStoragePoolLookupByName(conn, "fixpool");
    g_assert_nonnull(pool);
    g_assert_cmpstr(virStoragePoolGetName(pool), ==, "fixpool");
    virStoragePoolFree(pool);
    g_assert_null(virStoragePoolLookupByName(conn, "nopool"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_STORAGE_POOL);
    virConnectClose(conn);
}

static void
case_stateful(void)
{
    const char *needles[] = { "plugin 'fixstateful' is stateful and runs in virtkitd",
                              "no 'remote' plugin", NULL };
    g_autofree char *mapped = NULL;
    virConnectPtr conn;

    expect_open_error("fixstateful:///system", VIR_ERR_NO_CONNECT, needles);
    mapped = mapped_fixtures();
    g_assert_cmpstr(mapped, ==, "");   /* routed away without loading it */
    /* The daemon loads stateful plugins in-process. */
    vkPluginSetDaemon(true);
    conn = virConnectOpen("fixstateful:///system");
    g_assert_nonnull(conn);
    virConnectClose(conn);
}

static void
case_list(void)
{
    g_autofree char *dirs = g_strdup_printf("%s:%s", fixture_dir, g_getenv("VIRTKIT_TEST_SHADOW_DIR"));
    virtkitPluginInfoPtr *list = NULL;
    int n, seen = 0;

    g_setenv("VIRTKIT_PLUGIN_DIR", dirs, TRUE);
    g_assert_cmpint(virtkitConnectListPlugins(NULL, 0), ==, 17);
    g_assert_cmpuint(vkPluginLoadCount(), ==, 0);   /* listing alone loads nothing */
    /* loads every plugin: one whose init calls an undefined function is
     * refused before, never a "symbol lookup error" that ends the process */
    n = virtkitConnectListPlugins(&list, VIRTKIT_LIST_PLUGINS_LOAD);
    g_assert_cmpint(n, ==, 17);
    g_assert_null(list[n]);
    for (int i = 0; i < n; i++) {
        virtkitPluginInfoPtr p = list[i];
        if (strcmp(p->name, "fixgood") == 0 && strcmp(p->status, "loaded") == 0) {
            seen++;
            g_assert_cmpstr(p->kind, ==, "hypervisor");
            g_assert_cmpstr(p->version, ==, "0.1.0");
            g_assert_cmpuint(p->abiMajor, ==, 1);
            g_assert_cmpuint(p->abiMinor, ==, 0);
            g_assert_cmpstr(p->schemes[0], ==, "fixgood");
            g_assert_cmpstr(p->vendorFeatures[0], ==, "org.virtkit.fixture.hello");
            g_assert_cmpint(p->nfeatures, ==, 1);
            /* libvirt's number for TYPED_PARAM_STRING, not the enum compared with itself */
            g_assert_cmpint(p->features[0], ==, 9);
        } else if (strcmp(p->name, "fixgood") == 0) {
            seen++;
            g_assert_cmpstr(p->status, ==, "shadowed");
            g_assert_nonnull(strstr(p->reason, "shadowed by"));
        } else if (strcmp(p->name, "fixwrongmajor") == 0) {
            seen++;
            g_assert_cmpstr(p->status, ==, "refused");
            g_assert_nonnull(strstr(p->reason, "plugin ABI 2.0"));
            /* The descriptor's ABI, not the key file's AbiMajor=1. */
            g_assert_cmpuint(p->abiMajor, ==, 2);
            g_assert_cmpuint(p->abiMinor, ==, 0);
        } else if (strcmp(p->name, "fixsecondary") == 0) {
            seen++;
            g_assert_cmpstr(p->kind, ==, "secondary");
            g_assert_cmpstr(p->status, ==, "loaded");
        } else if (strcmp(p->name, "fixunresfunc") == 0 ||
                   strcmp(p->name, "fixunresvar") == 0) {
            seen++;
            g_assert_cmpstr(p->status, ==, "refused");
            g_assert_nonnull(strstr(p->reason, strcmp(p->name, "fixunresvar") == 0
                                    ? "uses the symbol 'fixtureMissingVariable'"
                                    : "uses the symbol 'fixtureMissingFunction'"));
        }
    }
    g_assert_cmpint(seen, ==, 6);
    for (int i = 0; i < n; i++)
        virtkitPluginInfoFree(list[i]);
    g_free(list);
}


/* Finds @name in a listing (the first entry of that name). */
static virtkitPluginInfoPtr
find_info(virtkitPluginInfoPtr *list, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i]->name, name) == 0)
            return list[i];
    return NULL;
}

static void
free_list(virtkitPluginInfoPtr *list, int n)
{
    for (int i = 0; i < n; i++)
        virtkitPluginInfoFree(list[i]);
    g_free(list);
}

/* A scheme clash shows on both plugins, as a refusal with its reason,
 * before any open and without loading either. */
static void
case_list_scheme_clash(void)
{
    g_autofree char *a = g_build_filename(fixture_dir, "fixdupa.plugin", NULL);
    g_autofree char *b = g_build_filename(fixture_dir, "fixdupb.plugin", NULL);
    g_autofree char *mapped = NULL;
    virtkitPluginInfoPtr *list = NULL;
    int n = virtkitConnectListPlugins(&list, 0);
    const char *names[] = { "fixdupa", "fixdupb" };

    g_assert_cmpint(n, >, 0);
    for (size_t k = 0; k < G_N_ELEMENTS(names); k++) {
        virtkitPluginInfoPtr p = find_info(list, n, names[k]);
        g_autofree char *head = g_strdup_printf("Plugin '%s' is refused: ", names[k]);

        g_assert_nonnull(p);
        g_assert_cmpstr(p->status, ==, "refused");
        g_assert_true(g_str_has_prefix(p->reason, head));
        g_assert_nonnull(strstr(p->reason, "two hypervisor plugins claim the scheme 'fixdup'"));
        g_assert_nonnull(strstr(p->reason, a));
        g_assert_nonnull(strstr(p->reason, b));
    }
    free_list(list, n);
    /* Loading everything still loads neither. */
    n = virtkitConnectListPlugins(&list, VIRTKIT_LIST_PLUGINS_LOAD);
    g_assert_cmpstr(find_info(list, n, "fixdupa")->status, ==, "refused");
    g_assert_cmpstr(find_info(list, n, "fixdupb")->status, ==, "refused");
    free_list(list, n);
    mapped = mapped_fixtures();
    g_assert_null(strstr(mapped, "dup"));
}

/* The ABI listed is the descriptor's, for accepted and refused plugins,
 * whatever the key file's AbiMajor says. */
static void
case_list_descriptor_abi(void)
{
    virtkitPluginInfoPtr *list = NULL;
    int n = virtkitConnectListPlugins(&list, VIRTKIT_LIST_PLUGINS_LOAD);
    virtkitPluginInfoPtr p;

    p = find_info(list, n, "fixabikey");     /* key file AbiMajor=2, descriptor 1.0 */
    g_assert_nonnull(p);
    g_assert_cmpstr(p->status, ==, "refused");
    g_assert_nonnull(strstr(p->reason, "fixabikey.plugin says AbiMajor=2"));
    g_assert_cmpuint(p->abiMajor, ==, 1);
    g_assert_cmpuint(p->abiMinor, ==, 0);
    p = find_info(list, n, "fixnewerminor");  /* key file AbiMajor=1, descriptor 1.1 */
    g_assert_cmpuint(p->abiMajor, ==, 1);
    g_assert_cmpuint(p->abiMinor, ==, 1);
    p = find_info(list, n, "fixwrongmajor");  /* key file AbiMajor=1, descriptor 2.0 */
    g_assert_cmpuint(p->abiMajor, ==, 2);
    free_list(list, n);
}

/* The module's real file (libltdl adds the extension), whether it was
 * opened or refused before that. */
static void
case_list_real_file(void)
{
    virtkitPluginInfoPtr *list = NULL;
    int n = virtkitConnectListPlugins(&list, VIRTKIT_LIST_PLUGINS_LOAD);
    const char *names[] = { "fixgood", "fixwrongmajor", "fixdupa", "fixabikey" };

    for (size_t k = 0; k < G_N_ELEMENTS(names); k++) {
        virtkitPluginInfoPtr p = find_info(list, n, names[k]);

        g_assert_nonnull(p);
        if (!g_str_has_suffix(p->file, ".so"))
            g_test_message("%s: file %s", names[k], p->file);
        g_assert_true(g_str_has_suffix(p->file, ".so"));
        g_assert_true(g_file_test(p->file, G_FILE_TEST_IS_REGULAR));
    }
    /* Refusals name that file too. */
    g_assert_nonnull(strstr(find_info(list, n, "fixwrongmajor")->reason,
                            "libvirtkit-fixture-wrongmajor.so"));
    free_list(list, n);
}

/* The directories searched, in order: $VIRTKIT_PLUGIN_DIR's, then the
 * installed one; empty entries skipped. */
static void
case_list_dirs(void)
{
    g_autofree char *path = g_strdup_printf("%s::/nonexistent/dir", fixture_dir);
    g_auto(GStrv) dirs = NULL;

    /* Unset, the installed directory comes last (the test setup sets it
     * empty for every other case). */
    g_unsetenv("VIRTKIT_PLUGIN_SYSTEM_DIR");
    vkPluginRescan();
    g_setenv("VIRTKIT_PLUGIN_DIR", path, TRUE);
    g_assert_cmpint(virtkitConnectListPluginDirs(NULL, 0), ==, 3);
    g_assert_cmpint(virtkitConnectListPluginDirs(&dirs, 0), ==, 3);
    g_assert_cmpstr(dirs[0], ==, fixture_dir);
    g_assert_cmpstr(dirs[1], ==, "/nonexistent/dir");
    g_assert_true(g_str_has_suffix(dirs[2], "/virtkit/plugins-1"));
    g_assert_null(dirs[3]);
    /* The directories of the discovery made: a later change of the
     * variable shows only after a rescan. */
    g_setenv("VIRTKIT_PLUGIN_DIR", "/elsewhere", TRUE);
    g_assert_cmpint(virtkitConnectListPluginDirs(NULL, 0), ==, 3);
    vkPluginRescan();
    g_assert_cmpint(virtkitConnectListPluginDirs(NULL, 0), ==, 2);
    g_assert_cmpint(virtkitConnectListPluginDirs(NULL, 1), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    /* VIRTKIT_PLUGIN_SYSTEM_DIR replaces the installed directory; empty,
     * there is none. */
    g_setenv("VIRTKIT_PLUGIN_SYSTEM_DIR", "/sys/a:/sys/b", TRUE);
    vkPluginRescan();
    g_auto(GStrv) sys = NULL;
    g_assert_cmpint(virtkitConnectListPluginDirs(&sys, 0), ==, 3);
    g_assert_cmpstr(sys[0], ==, "/elsewhere");
    g_assert_cmpstr(sys[1], ==, "/sys/a");
    g_assert_cmpstr(sys[2], ==, "/sys/b");
    g_setenv("VIRTKIT_PLUGIN_SYSTEM_DIR", "", TRUE);
    vkPluginRescan();
    g_assert_cmpint(virtkitConnectListPluginDirs(NULL, 0), ==, 1);
}

/* A URI naming a host or a transport never reaches a LOCAL_ONLY plugin:
 * without a remote plugin it is refused, naming the plugin and the host. */
static void
case_host_local_only(void)
{
    const char *needles[] = { "fixgood://somehost/x", "names the host 'somehost'",
                              "plugin 'fixgood'", "libvirtkit-fixture-good.so",
                              "VIRTKIT_PLUGIN_LOCAL_ONLY", "no 'remote' plugin", NULL };
    virConnectPtr conn;

    /* fixgood opens any URI but ".../fail": had it been handed this one,
     * the open would have succeeded. */
    const char *transport[] = { "fixgood+unix:///x", "the transport 'unix'",
                                "only the 'remote' plugin speaks", "plugin 'fixgood'",
                                "libvirtkit-fixture-good.so", NULL };

    expect_open_error("fixgood://somehost/x", VIR_ERR_NO_CONNECT, needles);
    /* A transport is the remote plugin's too, with or without a host. */
    expect_open_error("fixgood+unix:///x", VIR_ERR_NO_CONNECT, transport);
    expect_open_error("fixgood+ssh://somehost/x", VIR_ERR_NO_CONNECT, needles + 1);
    conn = virConnectOpen("fixgood:///x");
    g_assert_nonnull(conn);
    virConnectClose(conn);
}

/* With a remote plugin installed, the URI goes to it instead. */
static void
case_host_to_remote(void)
{
    g_autofree char *dirs = g_strdup_printf("%s:%s", fixture_dir,
                                            g_getenv("VIRTKIT_TEST_REMOTE_DIR"));
    virConnectPtr conn;
    char *host;

    g_setenv("VIRTKIT_PLUGIN_DIR", dirs, TRUE);
    conn = virConnectOpen("fixgood://somehost/x");
    g_assert_nonnull(conn);
    host = virConnectGetHostname(conn);
    g_assert_cmpstr(host, ==, "remote-host(fixgood://somehost/x)");
    g_free(host);
    virConnectClose(conn);
    conn = virConnectOpen("fixgood+unix:///x");
    g_assert_nonnull(conn);
    host = virConnectGetHostname(conn);
    g_assert_cmpstr(host, ==, "remote-host(fixgood+unix:///x)");
    g_free(host);
    virConnectClose(conn);
    /* Without a host it stays local. */
    conn = virConnectOpen("fixgood:///x");
    host = virConnectGetHostname(conn);
    g_assert_cmpstr(host, ==, "fixgood-host(fixgood:///x)");
    g_free(host);
    virConnectClose(conn);
}

static const struct {
    const char *path;
    void (*fn)(void);
} cases[] = {
    { "/plugin/load/good", case_good },
    { "/plugin/load/lazy", case_lazy },
    { "/plugin/load/refuse-wrong-major", case_wrong_major },
    { "/plugin/load/refuse-newer-minor", case_newer_minor },
    { "/plugin/load/short-table", case_short_table },
    { "/plugin/load/abi-1.0-plugin", case_abi10_plugin },
    { "/plugin/load/no-entry-symbol", case_no_entry },
    { "/plugin/load/extra-symbol-warned", case_extra_symbol },
    { "/plugin/load/init-fails", case_init_fails },
    { "/plugin/load/refuse-unresolved-function", case_unresolved_function },
    { "/plugin/load/refuse-unresolved-variable", case_unresolved_variable },
    { "/plugin/load/keyfile-mismatch", case_keyfile_mismatch },
    { "/plugin/open/declined", case_declined },
    { "/plugin/open/plugin-error", case_open_error },
    { "/plugin/route/duplicate-scheme", case_duplicate_scheme },
    { "/plugin/route/stateful-needs-daemon", case_stateful },
    { "/plugin/secondary/attached", case_secondary },
    { "/plugin/list", case_list },
    { "/plugin/list/scheme-clash-refused", case_list_scheme_clash },
    { "/plugin/list/descriptor-abi", case_list_descriptor_abi },
    { "/plugin/list/real-file", case_list_real_file },
    { "/plugin/list/dirs", case_list_dirs },
    { "/plugin/route/host-refused-local-only", case_host_local_only },
    { "/plugin/route/host-to-remote", case_host_to_remote },
};

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    fixture_dir = g_strdup(g_getenv("VIRTKIT_PLUGIN_DIR"));
    if (!fixture_dir) {
        g_printerr("VIRTKIT_PLUGIN_DIR must point at the built fixtures\n");
        return 1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *sub = g_strconcat(cases[i].path, "/subprocess", NULL);
        g_test_add_func(sub, cases[i].fn);
        g_test_add_data_func(cases[i].path, g_strdup(sub), run_isolated);
    }
    return g_test_run();
}
