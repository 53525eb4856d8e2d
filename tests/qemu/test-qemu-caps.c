/*
 * test-qemu-caps.c: the qemu plugin's capability probe and its cache,
 * virConnectGetCapabilities, virConnectGetDomainCapabilities and
 * virConnectGetVersion, against a real qemu-system-x86_64 (TCG).
 *
 * The probe is counted through a wrapper script standing in for the
 * binary (VIRTKIT_QEMU_BINARY): it notes each run, then execs QEMU.  The
 * XML is validated against libvirt's published RelaxNG schemas, and
 * compared with what Debian's libvirt 9.0 answers for its own
 * qemu:///embed root (python3-libvirt; run as 'nobody' when we are root,
 * because libvirt's privileged embed driver needs the user libvirt-qemu).
 *
 * Cases skip, saying so, without QEMU, xmllint, the schemas or
 * python3-libvirt.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static char *tmpdir;
static char *real_qemu;

static void
quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

#define NEED_QEMU() \
    do { \
        if (!real_qemu) { \
            g_test_skip("qemu-system-x86_64 is not installed (scripts/deps.sh installs " \
                        "qemu-system-x86)"); \
            return; \
        } \
    } while (0)

static char *
new_root(const char *name)
{
    char *root = g_build_filename(tmpdir, name, NULL);
    g_mkdir_with_parents(root, 0700);
    return root;
}

static virConnectPtr
open_root(const char *root)
{
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);
    virConnectPtr c = virConnectOpen(uri);

    if (!c)
        g_error("cannot open %s: %s", uri, virGetLastErrorMessage());
    return c;
}

/* A script at DIR/NAME that appends a line to DIR/NAME.runs and execs QEMU. */
static char *
make_wrapper(const char *name)
{
    g_autofree char *dir = new_root("bin");
    char *path = g_build_filename(dir, name, NULL);
    g_autofree char *text = g_strdup_printf("#!/bin/sh\necho run >> '%s.runs'\nexec '%s' \"$@\"\n",
                                            path, real_qemu);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_assert_cmpint(g_chmod(path, 0755), ==, 0);
    return path;
}

static guint
runs(const char *wrapper)
{
    g_autofree char *path = g_strconcat(wrapper, ".runs", NULL);
    g_autofree char *text = NULL;
    guint n = 0;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return 0;
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        n++;
    return n;
}

static char *
cache_path(const char *root, const char *binary)
{
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, binary, -1);
    g_autofree char *file = g_strconcat(sum, ".json", NULL);

    return g_build_filename(root, "cache", "qemu", "capabilities", file, NULL);
}

/* QEMU's version as virConnectGetVersion encodes it, from '--version'. */
static unsigned long
qemu_version(void)
{
    const char *argv[] = { real_qemu, "--version", NULL };
    g_autofree char *out = NULL;
    unsigned maj = 0, min = 0, mic = 0;
    const char *p;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, NULL, NULL));
    g_assert_nonnull(p = strstr(out, "version "));
    g_assert_cmpint(sscanf(p, "version %u.%u.%u", &maj, &min, &mic), ==, 3);
    return maj * 1000000UL + min * 1000UL + mic;
}

static void
assert_last_error(int code, const char *words)
{
    virErrorPtr e = virGetLastError();

    g_assert_nonnull(e);
    g_assert_cmpint(e->code, ==, code);
    g_assert_cmpint(e->domain, ==, VIR_FROM_QEMU);
    if (words && !strstr(e->message, words))
        g_error("error '%s' does not say '%s'", e->message, words);
}

static char *
get_caps(virConnectPtr c)
{
    char *xml = virConnectGetCapabilities(c);

    if (!xml)
        g_error("virConnectGetCapabilities: %s", virGetLastErrorMessage());
    return xml;
}

/* ---- the probe and its cache ------------------------------------------- */

static void
test_probe_cache(void)
{
    g_autofree char *wrapper = NULL;
    g_autofree char *root = NULL, *cache = NULL;
    g_autofree char *xml1 = NULL, *xml2 = NULL, *xml3 = NULL, *json = NULL;
    virConnectPtr c;
    unsigned long ver = 0;
    guint n0, n;
    struct stat st;

    NEED_QEMU();
    wrapper = make_wrapper("qemu-probe");
    root = new_root("probe");
    cache = cache_path(root, wrapper);
    g_setenv("VIRTKIT_QEMU_BINARY", wrapper, TRUE);

    /* cold: QEMU runs (once under TCG, once more under KVM where /dev/kvm opens) */
    c = open_root(root);
    xml1 = get_caps(c);
    n0 = runs(wrapper);
    g_assert_cmpuint(n0, >=, 1);
    g_assert_cmpuint(n0, <=, 2);
    g_assert_true(g_file_test(cache, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpint(g_stat(cache, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_assert_true(g_file_get_contents(cache, &json, NULL, NULL));
    g_assert_nonnull(strstr(json, wrapper));
    g_assert_nonnull(strstr(json, "\"query-qmp-schema\""));
    g_assert_nonnull(strstr(json, "\"SHUTDOWN\""));
    /* the emulator is the binary asked, and its version what it says */
    g_assert_nonnull(strstr(xml1, wrapper));
    g_assert_cmpint(virConnectGetVersion(c, &ver), ==, 0);
    g_assert_cmpuint(ver, ==, qemu_version());

    /* the same connection and a new one: no QEMU run, the same XML */
    xml2 = get_caps(c);
    g_assert_cmpstr(xml2, ==, xml1);
    virConnectClose(c);
    c = open_root(root);
    xml3 = get_caps(c);
    g_assert_cmpstr(xml3, ==, xml1);
    g_assert_cmpuint(runs(wrapper), ==, n0);

    /* a new mtime: probed again */
    {
        struct timeval tv[2] = { { st.st_atime, 0 }, { time(NULL) + 100, 0 } };
        g_assert_cmpint(utimes(wrapper, tv), ==, 0);
    }
    g_free(xml2);
    xml2 = get_caps(c);
    g_assert_cmpuint(n = runs(wrapper), ==, 2 * n0);
    g_assert_cmpstr(xml2, ==, xml1);
    /* ... and the cache rewritten for it: another connection reads it */
    virConnectClose(c);
    c = open_root(root);
    g_free(xml2);
    xml2 = get_caps(c);
    g_assert_cmpuint(runs(wrapper), ==, n);

    /* a new size, same mtime: probed again */
    {
        g_autofree char *text = NULL;
        struct stat ws;
        struct timeval tv[2];

        g_assert_cmpint(g_stat(wrapper, &ws), ==, 0);
        g_assert_true(g_file_get_contents(wrapper, &text, NULL, NULL));
        {
            g_autofree char *more = g_strconcat(text, "# grown\n", NULL);
            g_assert_true(g_file_set_contents(wrapper, more, -1, NULL));
            g_assert_cmpint(g_chmod(wrapper, 0755), ==, 0);
        }
        tv[0].tv_sec = ws.st_atime;
        tv[0].tv_usec = 0;
        tv[1].tv_sec = ws.st_mtim.tv_sec;
        tv[1].tv_usec = ws.st_mtim.tv_nsec / 1000;
        g_assert_cmpint(utimes(wrapper, tv), ==, 0);
    }
    virConnectClose(c);
    c = open_root(root);
    g_free(xml2);
    xml2 = get_caps(c);
    g_assert_cmpuint(runs(wrapper), ==, n + n0);
    n = runs(wrapper);
    virConnectClose(c);

    /* a cache that does not parse, or is too big to read, is probed again
     * and rewritten; nothing fails */
    g_assert_true(g_file_set_contents(cache, "{\"format\": 1, \"machines\": [", -1, NULL));
    c = open_root(root);
    g_free(xml2);
    xml2 = get_caps(c);
    g_assert_cmpstr(xml2, ==, xml1);
    g_assert_cmpuint(runs(wrapper), ==, n + n0);
    n = runs(wrapper);
    virConnectClose(c);
    {
        gsize big = 5 * 1024 * 1024;
        g_autofree char *spaces = g_malloc(big);
        memset(spaces, ' ', big);
        g_assert_true(g_file_set_contents(cache, spaces, (gssize)big, NULL));
    }
    c = open_root(root);
    g_free(xml2);
    xml2 = get_caps(c);
    g_assert_cmpuint(runs(wrapper), ==, n + n0);
    g_assert_cmpint(g_stat(cache, &st), ==, 0);
    g_assert_cmpint(st.st_size, <, 1024 * 1024);
    /* a cache of the right shape but another key (the binary named in it
     * differs) is not believed */
    {
        g_autofree char *text = NULL;
        g_autofree char *other = NULL;
        g_auto(GStrv) parts = NULL;

        n = runs(wrapper);
        g_assert_true(g_file_get_contents(cache, &text, NULL, NULL));
        parts = g_strsplit(text, wrapper, -1);
        other = g_strjoinv("/usr/bin/not-this-one", parts);
        g_assert_true(g_file_set_contents(cache, other, -1, NULL));
        virConnectClose(c);
        c = open_root(root);
        g_free(xml2);
        xml2 = get_caps(c);
        g_assert_cmpuint(runs(wrapper), ==, n + n0);
        g_assert_nonnull(strstr(xml2, wrapper));
    }
    virConnectClose(c);
    g_unsetenv("VIRTKIT_QEMU_BINARY");
}

static void
test_probe_errors(void)
{
    g_autofree char *root = new_root("probe-errors");
    g_autofree char *bindir = new_root("bin-bad");
    g_autofree char *bad = g_build_filename(bindir, "qemu-bad", NULL);
    g_autofree char *noexec = g_build_filename(bindir, "qemu-noexec", NULL);
    virConnectPtr c;
    unsigned long ver = 0;

    c = open_root(root);

    g_setenv("VIRTKIT_QEMU_BINARY", "/nonexistent/qemu-system-x86_64", TRUE);
    g_assert_null(virConnectGetCapabilities(c));
    /* libvirt's code and words */
    assert_last_error(VIR_ERR_SYSTEM_ERROR,
                      "Cannot check QEMU binary /nonexistent/qemu-system-x86_64: No such file");
    g_assert_cmpint(virConnectGetVersion(c, &ver), ==, -1);
    assert_last_error(VIR_ERR_SYSTEM_ERROR, "Cannot check QEMU binary");

    g_assert_true(g_file_set_contents(noexec, "#!/bin/sh\n", -1, NULL));
    g_assert_cmpint(g_chmod(noexec, 0644), ==, 0);
    g_setenv("VIRTKIT_QEMU_BINARY", noexec, TRUE);
    g_assert_null(virConnectGetCapabilities(c));
    if (geteuid() != 0)
        assert_last_error(VIR_ERR_SYSTEM_ERROR, "Permission denied");
    else
        assert_last_error(VIR_ERR_SYSTEM_ERROR, "Cannot check QEMU binary");

    /* a binary that fails: its own words are quoted */
    g_assert_true(g_file_set_contents(bad, "#!/bin/sh\necho 'qemu-bad: -accel tcg: no such "
                                      "accelerator here' >&2\nexit 1\n", -1, NULL));
    g_assert_cmpint(g_chmod(bad, 0755), ==, 0);
    g_setenv("VIRTKIT_QEMU_BINARY", bad, TRUE);
    g_assert_null(virConnectGetCapabilities(c));
    assert_last_error(VIR_ERR_INTERNAL_ERROR, "no such accelerator here");
    g_assert_null(virConnectGetDomainCapabilities(c, NULL, NULL, NULL, NULL, 0));
    assert_last_error(VIR_ERR_INTERNAL_ERROR, "Failed to probe capabilities for");
    /* nothing cached for it */
    {
        g_autofree char *cache = cache_path(root, bad);
        g_assert_false(g_file_test(cache, G_FILE_TEST_EXISTS));
    }

    g_setenv("VIRTKIT_QEMU_BINARY", "qemu-system-x86_64", TRUE);
    g_assert_null(virConnectGetCapabilities(c));
    assert_last_error(VIR_ERR_CONFIG_UNSUPPORTED, "must be an absolute path");
    g_unsetenv("VIRTKIT_QEMU_BINARY");
    virConnectClose(c);
}

/* ---- the XML ------------------------------------------------------------- */

/* NULL when @xml is valid against libvirt's @schema, else xmllint's words;
 * sets *skip when it cannot be checked here. */
static char *
relaxng_errors(const char *xml, const char *schema, bool *skip)
{
    g_autofree char *rng = g_build_filename("/usr/share/libvirt/schemas", schema, NULL);
    g_autofree char *xmllint = g_find_program_in_path("xmllint");
    g_autofree char *path = g_build_filename(tmpdir, "validate.xml", NULL);
    g_autofree char *out = NULL, *err = NULL;
    int status = -1;

    if (!xmllint || !g_file_test(rng, G_FILE_TEST_EXISTS)) {
        *skip = true;
        return NULL;
    }
    g_assert_true(g_file_set_contents(path, xml, -1, NULL));
    {
        const char *argv[] = { xmllint, "--noout", "--relaxng", rng, path, NULL };
        g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                   &err, &status, NULL));
    }
    return g_spawn_check_wait_status(status, NULL) ? NULL : g_strdup(err);
}

/* The text of the first <@tag> in @xml, or NULL. */
static char *
element_text(const char *xml, const char *tag)
{
    g_autofree char *open = g_strdup_printf("<%s>", tag);
    g_autofree char *close = g_strdup_printf("</%s>", tag);
    const char *s = strstr(xml, open), *e;

    if (!s || !(e = strstr(s, close)))
        return NULL;
    s += strlen(open);
    return g_strndup(s, (gsize)(e - s));
}

static int
cmp_strp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "NAME[canonical=C,maxCpus=N,deprecated]" for each <machine> in a guest
 * of @xml, sorted: comparable across libvirt and us. */
static char *
machines_of(const char *xml, const char *emulator_arch)
{
    g_autoptr(GRegex) re = g_regex_new("<machine([^>]*)>([^<]+)</machine>", 0, 0, NULL);
    g_autoptr(GMatchInfo) mi = NULL;
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *archtag = g_strdup_printf("<arch name='%s'>", emulator_arch);
    const char *s = strstr(xml, archtag), *e;
    g_autofree char *guest = NULL;

    g_assert_nonnull(s);
    g_assert_nonnull(e = strstr(s, "</arch>"));
    guest = g_strndup(s, (gsize)(e - s));
    g_regex_match(re, guest, 0, &mi);
    while (g_match_info_matches(mi)) {
        g_autofree char *attrs = g_match_info_fetch(mi, 1);
        g_autofree char *name = g_match_info_fetch(mi, 2);

        /* the machines the plugin runs */
        if (g_str_has_prefix(name, "pc-i440fx-") || g_str_has_prefix(name, "pc-q35-") ||
            strcmp(name, "pc") == 0 || strcmp(name, "q35") == 0)
            g_ptr_array_add(items, g_strdup_printf("%s[%s]", name, g_strstrip(attrs)));
        g_match_info_next(mi, NULL);
    }
    {
        GString *b = g_string_new(NULL);
        g_autofree char **v = NULL;

        g_ptr_array_add(items, NULL);
        v = (char **)g_ptr_array_steal(items, NULL);
        qsort(v, g_strv_length(v), sizeof(char *), cmp_strp);
        for (char **p = v; *p; p++) {
            g_string_append_printf(b, "%s\n", *p);
            g_free(*p);
        }
        return g_string_free(b, FALSE);
    }
}

static void
test_xml_schemas(void)
{
    g_autofree char *root = new_root("schemas");
    g_autofree char *caps = NULL, *dc = NULL, *dcpc = NULL, *dcq35 = NULL, *err = NULL;
    g_autofree char *m = NULL, *canon = NULL;
    const char *p;
    bool skip = false;
    virConnectPtr c;

    NEED_QEMU();
    g_unsetenv("VIRTKIT_QEMU_BINARY");
    c = open_root(root);
    g_assert_nonnull(caps = virConnectGetCapabilities(c));
    g_assert_nonnull(dc = virConnectGetDomainCapabilities(c, NULL, NULL, NULL, NULL, 0));
    g_assert_nonnull(dcpc = virConnectGetDomainCapabilities(c, real_qemu, "x86_64", "pc", "qemu",
                                                            0));
    g_assert_nonnull(dcq35 = virConnectGetDomainCapabilities(c, NULL, NULL, "q35", NULL, 0));

    if ((err = relaxng_errors(caps, "capability.rng", &skip)))
        g_error("capabilities are not valid against capability.rng:\n%s\n%s", err, caps);
    if (skip) {
        g_test_skip("xmllint or /usr/share/libvirt/schemas is missing (libxml2-utils, "
                    "libvirt-daemon-system)");
        virConnectClose(c);
        return;
    }
    for (const char *const *x = (const char *const[]){ dc, dcpc, dcq35, NULL }; *x; x++) {
        if ((err = relaxng_errors(*x, "domaincaps.rng", &skip)))
            g_error("domain capabilities are not valid against domaincaps.rng:\n%s\n%s", err, *x);
    }

    /* what the probe found, as the XML says it */
    g_assert_nonnull(strstr(caps, "<arch name='x86_64'>"));
    g_assert_nonnull(strstr(caps, "<domain type='qemu'/>"));
    /* KVM initialises on these machines but does not run guests: not offered */
    g_assert_null(strstr(caps, "<domain type='kvm'/>"));
    g_assert_nonnull(p = strstr(caps, "'>pc</machine>"));
    g_assert_nonnull(p = g_strrstr_len(caps, p - caps, "canonical='"));
    canon = g_strndup(p + 11, strcspn(p + 11, "'"));
    g_assert_true(g_str_has_prefix(canon, "pc-i440fx-"));
    /* the default machine is pc's canonical one, listed first */
    g_assert_nonnull(m = element_text(dc, "machine"));
    g_assert_cmpstr(m, ==, canon);
    g_free(m);
    g_assert_nonnull(m = element_text(dcpc, "machine"));
    g_assert_cmpstr(m, ==, canon);
    g_free(m);
    g_assert_nonnull(m = element_text(dcq35, "machine"));
    g_assert_true(g_str_has_prefix(m, "pc-q35-"));
    g_assert_nonnull(strstr(dcq35, "<vcpu max='288'/>"));
    g_assert_nonnull(strstr(dc, "<vcpu max='255'/>"));
    /* q35 has no IDE in the builder; pc does */
    g_assert_null(strstr(dcq35, "<value>ide</value>"));
    g_assert_nonnull(strstr(dc, "<value>ide</value>"));
    /* TCG: no host-passthrough; models QEMU said TCG cannot run are not usable */
    g_assert_nonnull(strstr(dc, "<mode name='host-passthrough' supported='no'/>"));
    g_assert_nonnull(strstr(dc, "<model usable='yes' vendor='unknown'>qemu64</model>"));
    g_assert_nonnull(strstr(dc, "<model usable='no' vendor='unknown'>Skylake-Client</model>"));
    g_assert_null(strstr(dc, ">max</model>"));
    g_assert_null(strstr(dc, "-v1</model>"));
    /* what the builder refuses is not offered */
    g_assert_nonnull(strstr(dc, "<memoryBacking supported='no'/>"));
    g_assert_nonnull(strstr(dc, "<hostdev supported='no'/>"));
    g_assert_nonnull(strstr(dc, "<iothreads supported='no'/>"));
    virConnectClose(c);
}

static void
test_domcaps_errors(void)
{
    g_autofree char *root = new_root("dc-errors");
    virConnectPtr c;

    NEED_QEMU();
    g_unsetenv("VIRTKIT_QEMU_BINARY");
    c = open_root(root);
    /* codes and words as libvirt 9.0's qemu driver gives them (compared
     * for real in /qemu/caps/libvirt) */
    g_assert_null(virConnectGetDomainCapabilities(c, NULL, "ppc64", NULL, NULL, 0));
    assert_last_error(VIR_ERR_CONFIG_UNSUPPORTED,
                      "unable to find any emulator to serve 'ppc64' architecture");
    g_assert_null(virConnectGetDomainCapabilities(c, NULL, NULL, "nosuch", NULL, 0));
    assert_last_error(VIR_ERR_INVALID_ARG, "the machine 'nosuch' is not supported by emulator");
    g_assert_null(virConnectGetDomainCapabilities(c, NULL, NULL, NULL, "kvm", 0));
    assert_last_error(VIR_ERR_INVALID_ARG, "the accel 'kvm' is not supported by");
    g_assert_null(virConnectGetDomainCapabilities(c, "/nonexistent/qemu", NULL, NULL, NULL, 0));
    assert_last_error(VIR_ERR_SYSTEM_ERROR,
                      "Cannot check QEMU binary /nonexistent/qemu: No such file or directory");
    /* ours: another binary that exists; a machine QEMU has that the plugin
     * does not run; a type libvirt spells differently */
    g_assert_null(virConnectGetDomainCapabilities(c, "/bin/sh", NULL, NULL, NULL, 0));
    assert_last_error(VIR_ERR_INVALID_ARG, "is not the qemu plugin's QEMU");
    g_assert_null(virConnectGetDomainCapabilities(c, NULL, NULL, "microvm", NULL, 0));
    assert_last_error(VIR_ERR_CONFIG_UNSUPPORTED, "'microvm'");
    g_assert_null(virConnectGetDomainCapabilities(c, NULL, NULL, NULL, "xen", 0));
    assert_last_error(VIR_ERR_INVALID_ARG, "virtualization type 'xen'");
    g_assert_null(virConnectGetDomainCapabilities(c, NULL, NULL, NULL, NULL, 1));
    assert_last_error(VIR_ERR_INVALID_ARG, "unsupported flags");
    virConnectClose(c);
}

/* ---- against Debian's libvirt -------------------------------------------- */

static const char libvirt_script[] =
    "import json, sys\n"
    "import libvirt\n"
    "libvirt.registerErrorHandler(lambda *a: None, None)\n"
    "libvirt.virEventRegisterDefaultImpl()\n"
    "c = libvirt.open(sys.argv[1])\n"
    "out = {'caps': c.getCapabilities(), 'version': c.getVersion(), 'dc': {}, 'err': {}}\n"
    "for m in ['', 'pc', 'q35']:\n"
    "    out['dc'][m] = c.getDomainCapabilities(None, None, m or None, 'qemu', 0)\n"
    "cases = {'arch': (None, 'ppc64', None, 'qemu'), 'machine': (None, None, 'nosuch', 'qemu'),\n"
    "         'virttype': (None, None, None, 'kvm'),\n"
    "         'emulator': ('/nonexistent/qemu', None, None, 'qemu')}\n"
    "for k, args in cases.items():\n"
    "    try:\n"
    "        c.getDomainCapabilities(*args, 0)\n"
    "        out['err'][k] = None\n"
    "    except libvirt.libvirtError as e:\n"
    "        out['err'][k] = [e.get_error_code(), e.get_error_domain(), e.get_error_message()]\n"
    "print(json.dumps(out))\n";

/* "code/domain: message" of ours for @args, as the script reports libvirt's. */
static char *
our_error(virConnectPtr c, const char *emu, const char *arch, const char *machine,
          const char *type)
{
    virErrorPtr e;

    g_assert_null(virConnectGetDomainCapabilities(c, emu, arch, machine, type, 0));
    e = virGetLastError();
    g_assert_nonnull(e);
    return g_strdup_printf("%d/%d: %s", e->code, e->domain, e->message);
}

/* The usable='yes|no' of each custom model in @dc, "NAME=yes". */
static GHashTable *
models_of(const char *dc)
{
    g_autoptr(GRegex) re = g_regex_new("<model usable='(yes|no)'[^>]*>([^<]+)</model>", 0, 0,
                                       NULL);
    g_autoptr(GMatchInfo) mi = NULL;
    GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

    g_regex_match(re, dc, 0, &mi);
    while (g_match_info_matches(mi)) {
        g_hash_table_insert(h, g_match_info_fetch(mi, 2), g_match_info_fetch(mi, 1));
        g_match_info_next(mi, NULL);
    }
    return h;
}

static void
test_against_libvirt(void)
{
    g_autofree char *lvroot = NULL, *script = NULL, *uri = NULL, *out = NULL, *err = NULL;
    g_autofree char *root = new_root("vs-libvirt");
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) gerr = NULL;
    const char *python = "/usr/bin/python3";
    JsonObject *lv, *lvdc, *lverr;
    virConnectPtr c;
    int status = -1;

    NEED_QEMU();
    g_unsetenv("VIRTKIT_QEMU_BINARY");
    if (strcmp(real_qemu, "/usr/bin/qemu-system-x86_64") != 0 ||
        !g_file_test(python, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("needs /usr/bin/qemu-system-x86_64 and /usr/bin/python3");
        return;
    }
    if (!g_file_test("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so",
                     G_FILE_TEST_EXISTS)) {
        g_test_skip("Debian's libvirt qemu driver is not installed (libvirt-daemon-driver-qemu)");
        return;
    }
    {
        const char *argv[] = { python, "-c", "import libvirt", NULL };
        if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                          G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) ||
            !g_spawn_check_wait_status(status, NULL)) {
            g_test_skip("python3-libvirt is not installed");
            return;
        }
    }
    /* libvirt's own root, outside our 0700 temp dir: 'nobody' must reach it */
    lvroot = g_dir_make_tmp("vkq-libvirt-XXXXXX", &gerr);
    g_assert_no_error(gerr);
    script = g_build_filename(lvroot, "caps.py", NULL);
    g_assert_true(g_file_set_contents(script, libvirt_script, -1, NULL));
    g_assert_cmpint(g_chmod(script, 0644), ==, 0);
    uri = g_strdup_printf("qemu:///embed?root=%s", lvroot);
    {
        g_autofree char *home = g_strdup_printf("HOME=%s", lvroot);
        g_autofree char *setpriv = g_find_program_in_path("setpriv");
        const char *as_nobody[] = { setpriv ? setpriv : "setpriv", "--reuid=65534",
                                    "--regid=65534", "--clear-groups", "env", home, python,
                                    script, uri, NULL };
        const char *as_us[] = { "env", home, python, script, uri, NULL };

        if (geteuid() == 0) {
            if (!setpriv) {
                g_test_skip("setpriv (util-linux) is needed to run libvirt as 'nobody'");
                return;
            }
            g_assert_cmpint(chown(lvroot, 65534, 65534), ==, 0);
        }
        g_assert_true(g_spawn_sync(NULL, (char **)(geteuid() == 0 ? as_nobody : as_us), NULL,
                                   G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, NULL));
    }
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("Debian's libvirt failed on %s:\n%s", uri, err);
    g_assert_true(json_parser_load_from_data(parser, out, -1, NULL));
    lv = json_node_get_object(json_parser_get_root(parser));
    lvdc = json_object_get_object_member(lv, "dc");
    lverr = json_object_get_object_member(lv, "err");

    c = open_root(root);
    {
        unsigned long ver = 0;
        g_assert_cmpint(virConnectGetVersion(c, &ver), ==, 0);
        g_assert_cmpint((gint64)ver, ==, json_object_get_int_member(lv, "version"));
    }
    /* the x86_64 guest's machines (those the plugin runs), aliases and
     * maxCpus as libvirt lists them; libvirt also lists an i686 guest
     * (qemu-system-i386), which the plugin does not run */
    {
        g_autofree char *caps = virConnectGetCapabilities(c);
        g_autofree char *ours = machines_of(caps, "x86_64");
        g_autofree char *theirs = machines_of(json_object_get_string_member(lv, "caps"),
                                              "x86_64");
        g_assert_cmpstr(ours, ==, theirs);
    }
    /* domain capabilities: the machine each name resolves to, vcpu max,
     * and each custom CPU model's usability where both know the model
     * (libvirt knows only the models in its CPU map) */
    for (const char *const *m = (const char *const[]){ "", "pc", "q35", NULL }; *m; m++) {
        g_autofree char *ours = virConnectGetDomainCapabilities(c, NULL, NULL, **m ? *m : NULL,
                                                                "qemu", 0);
        const char *theirs = json_object_get_string_member(lvdc, *m);
        g_autofree char *om = element_text(ours, "machine"), *tm = element_text(theirs, "machine");
        g_autofree char *ov = element_text(ours, "path"), *tv = element_text(theirs, "path");
        g_autoptr(GHashTable) omod = models_of(ours), tmod = models_of(theirs);
        GHashTableIter it;
        gpointer k, v;
        guint common = 0;
        const char *vo = strstr(ours, "<vcpu max='"), *vt = strstr(theirs, "<vcpu max='");

        g_assert_cmpstr(om, ==, tm);
        g_assert_cmpstr(ov, ==, tv);
        g_assert_nonnull(vo);
        g_assert_nonnull(vt);
        g_assert_cmpint(atoi(vo + 11), ==, atoi(vt + 11));
        g_hash_table_iter_init(&it, tmod);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            const char *o = g_hash_table_lookup(omod, k);
            if (!o)
                g_error("libvirt lists CPU model '%s' (usable=%s), we do not", (char *)k,
                        (char *)v);
            if (strcmp(o, v) != 0)
                g_error("CPU model '%s': libvirt says usable='%s', we say '%s'", (char *)k,
                        (char *)v, o);
            common++;
        }
        g_assert_cmpuint(common, >=, 20);
    }
    /* errors: the same code, domain and words */
    {
        struct { const char *key, *emu, *arch, *machine, *type; } cases[] = {
            { "arch", NULL, "ppc64", NULL, "qemu" },
            { "machine", NULL, NULL, "nosuch", "qemu" },
            { "virttype", NULL, NULL, NULL, "kvm" },
            { "emulator", "/nonexistent/qemu", NULL, NULL, "qemu" },
        };
        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
            JsonArray *a = json_object_get_array_member(lverr, cases[i].key);
            g_autofree char *ours = our_error(c, cases[i].emu, cases[i].arch, cases[i].machine,
                                              cases[i].type);
            g_autofree char *theirs = NULL;

            g_assert_nonnull(a);
            theirs = g_strdup_printf("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT ": %s",
                                     json_array_get_int_element(a, 0),
                                     json_array_get_int_element(a, 1),
                                     json_array_get_string_element(a, 2));
            g_assert_cmpstr(ours, ==, theirs);
        }
    }
    virConnectClose(c);
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", lvroot);
        if (system(cmd) != 0) {
            /* a leftover temp dir is no test failure */
        }
    }
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quiet);
    tmpdir = g_dir_make_tmp("vkqc-XXXXXX", &err);
    g_assert_no_error(err);
    real_qemu = g_find_program_in_path("qemu-system-x86_64");

    g_test_add_func("/qemu/caps/probe-and-cache", test_probe_cache);
    g_test_add_func("/qemu/caps/probe-errors", test_probe_errors);
    g_test_add_func("/qemu/caps/schemas", test_xml_schemas);
    g_test_add_func("/qemu/caps/domcaps-errors", test_domcaps_errors);
    g_test_add_func("/qemu/caps/libvirt", test_against_libvirt);
    ret = g_test_run();

    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
        if (system(cmd) != 0) {
            /* a leftover temp dir is no test failure */
        }
    }
    g_free(real_qemu);
    return ret;
}
