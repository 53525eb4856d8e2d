/*
 * test-uri.c: the client config's location, URI aliases, the default-URI
 * order and URI validation (core/vir-uri.c).
 *
 * Every test gets a fresh temporary directory and points VIRTKIT_CONF at a
 * file in it, so nothing of the machine's own configuration is read.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "vk-internal.h"
#include "vir-uri.h"

typedef struct {
    char *dir;
    char *conf_path;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
    (void)data;
    f->dir = g_dir_make_tmp("vk-uri-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->conf_path = g_build_filename(f->dir, "virtkit.conf", NULL);
    g_setenv("VIRTKIT_CONF", f->conf_path, TRUE);
    g_unsetenv("VIRTKIT_DEFAULT_URI");
    g_unsetenv("LIBVIRT_DEFAULT_URI");
    virResetLastError();
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    g_unsetenv("VIRTKIT_CONF");
    g_unsetenv("VIRTKIT_DEFAULT_URI");
    g_unsetenv("LIBVIRT_DEFAULT_URI");
    g_unlink(f->conf_path);
    g_assert_cmpint(g_rmdir(f->dir), ==, 0);
    g_free(f->conf_path);
    g_free(f->dir);
    virResetLastError();
}

static void
write_conf(Fixture *f, const char *text)
{
    g_autoptr(GError) err = NULL;

    g_assert_true(g_file_set_contents(f->conf_path, text, -1, &err));
    g_assert_no_error(err);
}

static void
assert_resolves(const char *name, unsigned int flags, const char *want)
{
    g_autofree char *got = NULL;
    int rc;

    virResetLastError();
    rc = vkURIResolve(name, flags, &got);

    if (rc < 0)
        g_test_message("unexpected error: %s", virGetLastErrorMessage());
    g_assert_cmpint(rc, ==, 0);
    g_assert_cmpstr(got, ==, want);
    if (vkErrorIsSet())
        g_test_message("stray error: %s", virGetLastErrorMessage());
    g_assert_false(vkErrorIsSet());
}

/* Asserts failure with the given code and domain; returns the message. */
static const char *
assert_fails(const char *name, unsigned int flags, int code, int domain)
{
    char *got = (char *)"untouched";
    virErrorPtr err;

    virResetLastError();
    g_assert_cmpint(vkURIResolve(name, flags, &got), ==, -1);
    g_assert_cmpstr(got, ==, "untouched");
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, domain);
    g_assert_cmpint(err->level, ==, VIR_ERR_ERROR);
    g_assert_nonnull(err->message);
    return err->message;
}

static const char aliases_conf[] =
    "uri_aliases = [\n"
    "  \"hail=qemu+ssh://root@hail.cloud.example.com/system\",\n"
    "  \"sleet=qemu+ssh://root@sleet.cloud.example.com/system\",\n"
    "  \"with_under-dash9=test:///default\",\n"
    "]\n";

/* ------------------------------------------------------------------ */
/* Aliases                                                              */
/* ------------------------------------------------------------------ */

static void
test_alias_resolve(Fixture *f, gconstpointer data)
{
    (void)data;
    write_conf(f, aliases_conf);
    assert_resolves("hail", 0, "qemu+ssh://root@hail.cloud.example.com/system");
    assert_resolves("sleet", 0, "qemu+ssh://root@sleet.cloud.example.com/system");
    assert_resolves("with_under-dash9", 0, "test:///default");
    /* A URI that is no alias passes through unchanged. */
    assert_resolves("qemu:///session", 0, "qemu:///session");
}

static void
test_alias_exact_match(Fixture *f, gconstpointer data)
{
    const char *msg;

    (void)data;
    write_conf(f, "uri_aliases = [ \"hail=qemu:///system\" ]\n");
    assert_resolves("hail", 0, "qemu:///system");

    /* Neither a longer nor a shorter name, nor another case, matches: each
     * is then taken as a URI, which a bare word is not. */
    msg = assert_fails("hailly", 0, VIR_ERR_NO_CONNECT, VIR_FROM_NONE);
    g_assert_true(g_str_has_prefix(msg, "no connection driver available for URI 'hailly' "
                                        "does not include a driver name"));
    g_assert_nonnull(strstr(msg, "it is not an alias in 'uri_aliases' of "));
    g_assert_nonnull(strstr(msg, f->conf_path));
    msg = assert_fails("hai", 0, VIR_ERR_NO_CONNECT, VIR_FROM_NONE);
    g_assert_true(g_str_has_prefix(msg, "no connection driver available for URI 'hai' "));
    msg = assert_fails("HAIL", 0, VIR_ERR_NO_CONNECT, VIR_FROM_NONE);
    g_assert_true(g_str_has_prefix(msg, "no connection driver available for URI 'HAIL' "));
}

static void
test_alias_first_wins(Fixture *f, gconstpointer data)
{
    (void)data;
    write_conf(f, "uri_aliases = [ \"h=qemu:///system\", \"h=qemu:///session\" ]\n");
    assert_resolves("h", 0, "qemu:///system");
}

static void
test_alias_bad_char(Fixture *f, gconstpointer data)
{
    const char *msg;

    (void)data;
    write_conf(f, "uri_aliases = [\n"
                  "  \"hail=qemu:///system\",\n"
                  "  \"jj#j=qemu+ssh://root@127.0.0.1/system\",\n"
                  "]\n");
    msg = assert_fails("qemu:///system", 0, VIR_ERR_CONF_SYNTAX, VIR_FROM_URI);
    g_assert_cmpstr(msg, ==,
                    "configuration file syntax error: Malformed 'uri_aliases' config entry "
                    "'jj#j=qemu+ssh://root@127.0.0.1/system', aliases may only contain "
                    "'a-Z, 0-9, _, -'");

    /* Every entry is checked, also when an earlier one matches. */
    msg = assert_fails("hail", 0, VIR_ERR_CONF_SYNTAX, VIR_FROM_URI);
    g_assert_nonnull(strstr(msg, "'jj#j=qemu+ssh://root@127.0.0.1/system'"));

    /* Characters outside [A-Za-z0-9_-]: a dot, a space, a non-ASCII letter. */
    write_conf(f, "uri_aliases = [ \"a.b=test:///default\" ]\n");
    msg = assert_fails("x:///", 0, VIR_ERR_CONF_SYNTAX, VIR_FROM_URI);
    g_assert_nonnull(strstr(msg, "'a.b=test:///default', aliases may only contain"));
    write_conf(f, "uri_aliases = [ \"a b=test:///default\" ]\n");
    msg = assert_fails("x:///", 0, VIR_ERR_CONF_SYNTAX, VIR_FROM_URI);
    g_assert_nonnull(strstr(msg, "'a b=test:///default', aliases may only contain"));
    write_conf(f, "uri_aliases = [ \"\xc3\xa9=test:///default\" ]\n");
    msg = assert_fails("x:///", 0, VIR_ERR_CONF_SYNTAX, VIR_FROM_URI);
    g_assert_nonnull(strstr(msg, "aliases may only contain"));
}

static void
test_alias_missing_equals(Fixture *f, gconstpointer data)
{
    const char *msg;

    (void)data;
    write_conf(f, "uri_aliases = [ \"hail\" ]\n");
    msg = assert_fails("hail", 0, VIR_ERR_CONF_SYNTAX, VIR_FROM_URI);
    g_assert_cmpstr(msg, ==,
                    "configuration file syntax error: Malformed 'uri_aliases' config entry "
                    "'hail', expected 'alias=uri://host/path'");
}

static void
test_alias_no_aliases_flag(Fixture *f, gconstpointer data)
{
    const char *msg;

    (void)data;
    write_conf(f, aliases_conf);
    msg = assert_fails("hail", VIR_CONNECT_NO_ALIASES, VIR_ERR_NO_CONNECT, VIR_FROM_NONE);
    g_assert_nonnull(strstr(msg, "aliases are off: VIR_CONNECT_NO_ALIASES"));
    assert_resolves("qemu:///system", VIR_CONNECT_NO_ALIASES, "qemu:///system");
    assert_resolves("qemu:///system", VIR_CONNECT_NO_ALIASES | VIR_CONNECT_RO,
                    "qemu:///system");

    /* With aliases off, bad entries are not looked at. */
    write_conf(f, "uri_aliases = [ \"jj#j=qemu:///system\", \"noequals\" ]\n");
    assert_resolves("test:///default", VIR_CONNECT_NO_ALIASES, "test:///default");
    assert_fails("test:///default", 0, VIR_ERR_CONF_SYNTAX, VIR_FROM_URI);
}

static void
test_alias_applies_to_default(Fixture *f, gconstpointer data)
{
    (void)data;
    /* As in libvirt, the default URI goes through the aliases too. */
    write_conf(f, "uri_default = \"sleet\"\n");
    {
        g_autofree char *text = g_strconcat("uri_default = \"sleet\"\n", aliases_conf, NULL);
        write_conf(f, text);
    }
    assert_resolves(NULL, 0, "qemu+ssh://root@sleet.cloud.example.com/system");
    g_setenv("VIRTKIT_DEFAULT_URI", "hail", TRUE);
    assert_resolves(NULL, 0, "qemu+ssh://root@hail.cloud.example.com/system");
}

static void
test_alias_not_a_list(Fixture *f, gconstpointer data)
{
    const char *msg;
    g_autofree char *want = NULL;

    (void)data;
    write_conf(f, "\nuri_aliases = \"hail=qemu:///system\"\n");
    msg = assert_fails("hail", 0, VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF);
    want = g_strdup_printf("configuration file syntax error: %s:2: the value of 'uri_aliases' "
                           "must be a list of strings, not a string", f->conf_path);
    g_assert_cmpstr(msg, ==, want);
}

/* ------------------------------------------------------------------ */
/* The default URI                                                      */
/* ------------------------------------------------------------------ */

/* Nothing configured and no local daemon: the open fails (as libvirt's
 * does, with its code and domain) and names every way to choose a URI;
 * test:///default is never chosen silently. */
static void
assert_no_default(Fixture *f)
{
    const char *msg = assert_fails(NULL, 0, VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC);
    g_autofree char *want = g_strdup_printf(
        "No connection URI was given, none is configured, and there is no local virtkitd "
        "to connect to: pass a URI (the name argument of virConnectOpen, vksh -c URI), or "
        "set VIRTKIT_DEFAULT_URI or LIBVIRT_DEFAULT_URI, or uri_default in %s", f->conf_path);

    g_assert_cmpstr(msg, ==, want);
}

static void
test_default_none(Fixture *f, gconstpointer data)
{
    (void)data;
    /* No config file at all. */
    assert_no_default(f);
    assert_fails("", 0, VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC);
    /* A config without uri_default. */
    write_conf(f, "# nothing here\nuri_aliases = []\n");
    assert_no_default(f);
    /* Empty variables count as unset. */
    g_setenv("VIRTKIT_DEFAULT_URI", "", TRUE);
    g_setenv("LIBVIRT_DEFAULT_URI", "", TRUE);
    assert_no_default(f);
    /* The stub that will find the local virtkitd finds nothing yet. */
    g_assert_null(vkURIProbeLocalDaemon());
}

static void
test_default_libvirt_env(Fixture *f, gconstpointer data)
{
    (void)data;
    /* libvirt's variable is honoured... */
    g_setenv("LIBVIRT_DEFAULT_URI", "qemu:///system", TRUE);
    assert_resolves(NULL, 0, "qemu:///system");
    /* ...over uri_default... */
    write_conf(f, "uri_default = \"qemu:///session\"\n");
    assert_resolves(NULL, 0, "qemu:///system");
    /* ...but after ours. */
    g_setenv("VIRTKIT_DEFAULT_URI", "test:///default", TRUE);
    assert_resolves(NULL, 0, "test:///default");
    /* A name given wins over both. */
    assert_resolves("qemu:///embed?root=/x", 0, "qemu:///embed?root=/x");
}

static void
test_default_config(Fixture *f, gconstpointer data)
{
    (void)data;
    write_conf(f, "uri_default = \"qemu:///session\"\n");
    assert_resolves(NULL, 0, "qemu:///session");
    /* "" asks for the default too. */
    assert_resolves("", 0, "qemu:///session");
}

static void
test_default_env_over_config(Fixture *f, gconstpointer data)
{
    (void)data;
    write_conf(f, "uri_default = \"qemu:///session\"\n");
    g_setenv("VIRTKIT_DEFAULT_URI", "qemu:///system", TRUE);
    assert_resolves(NULL, 0, "qemu:///system");

    /* An empty variable counts as unset. */
    g_setenv("VIRTKIT_DEFAULT_URI", "", TRUE);
    assert_resolves(NULL, 0, "qemu:///session");

    /* The environment wins over the built-in default as well. */
    g_unlink(f->conf_path);
    g_setenv("VIRTKIT_DEFAULT_URI", "qemu:///system", TRUE);
    assert_resolves(NULL, 0, "qemu:///system");
}

static void
test_default_name_over_all(Fixture *f, gconstpointer data)
{
    (void)data;
    write_conf(f, "uri_default = \"qemu:///session\"\n");
    g_setenv("VIRTKIT_DEFAULT_URI", "qemu:///system", TRUE);
    assert_resolves("test:///default", 0, "test:///default");
}

static void
test_default_not_a_string(Fixture *f, gconstpointer data)
{
    const char *msg;
    g_autofree char *want = NULL;

    (void)data;
    write_conf(f, "uri_default = [ \"qemu:///system\" ]\n");
    msg = assert_fails(NULL, 0, VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF);
    want = g_strdup_printf("configuration file syntax error: %s:1: the value of 'uri_default' "
                           "must be a string, not a list", f->conf_path);
    g_assert_cmpstr(msg, ==, want);
}

/* ------------------------------------------------------------------ */
/* The config file                                                      */
/* ------------------------------------------------------------------ */

static void
test_config_missing_ok(Fixture *f, gconstpointer data)
{
    (void)data;
    g_assert_false(g_file_test(f->conf_path, G_FILE_TEST_EXISTS));
    assert_resolves("qemu:///system", 0, "qemu:///system");
    assert_no_default(f);
}

static void
test_config_syntax_error(Fixture *f, gconstpointer data)
{
    const char *msg;
    g_autofree char *want = NULL;

    (void)data;
    write_conf(f, "# my config\n\nuri_default\"qemu:///system\"\n");
    /* Any open fails, even one that would not use the file's settings. */
    msg = assert_fails("test:///default", VIR_CONNECT_NO_ALIASES, VIR_ERR_CONF_SYNTAX,
                       VIR_FROM_CONF);
    want = g_strdup_printf("configuration file syntax error: %s:3:12: expected '=' after "
                           "'uri_default'", f->conf_path);
    g_assert_cmpstr(msg, ==, want);
}

static void
test_config_unreadable(Fixture *f, gconstpointer data)
{
    const char *msg;

    (void)data;
    /* A directory where the file should be (root reads any mode). */
    g_assert_cmpint(g_mkdir(f->conf_path, 0700), ==, 0);
    msg = assert_fails(NULL, 0, VIR_ERR_SYSTEM_ERROR, VIR_FROM_CONF);
    g_assert_true(g_str_has_prefix(msg, "cannot read the client configuration file: "));
    g_assert_nonnull(strstr(msg, f->conf_path));
    g_assert_cmpint(g_rmdir(f->conf_path), ==, 0);
}

static void
test_config_reread(Fixture *f, gconstpointer data)
{
    (void)data;
    /* Nothing is cached between calls. */
    write_conf(f, "uri_default = \"qemu:///system\"\n");
    assert_resolves(NULL, 0, "qemu:///system");
    write_conf(f, "uri_default = \"qemu:///session\"\n");
    assert_resolves(NULL, 0, "qemu:///session");
}

/* ------------------------------------------------------------------ */
/* Where the config file is                                             */
/* ------------------------------------------------------------------ */

static void
test_path_env_override(Fixture *f, gconstpointer data)
{
    g_autofree char *plain = NULL;
    g_autofree char *root = NULL;
    g_autofree char *user = NULL;

    (void)data;
    plain = vkConfigPath();
    root = vkConfigPathFor(true);
    user = vkConfigPathFor(false);
    g_assert_cmpstr(plain, ==, f->conf_path);
    g_assert_cmpstr(root, ==, f->conf_path);
    g_assert_cmpstr(user, ==, f->conf_path);

    /* And it is the file vkURIResolve reads. */
    write_conf(f, "uri_default = \"qemu:///embed?root=/tmp/x\"\n");
    assert_resolves(NULL, 0, "qemu:///embed?root=/tmp/x");
}

static void
test_path_root(Fixture *f, gconstpointer data)
{
    g_autofree char *root = NULL;
    g_autofree char *plain = NULL;
    g_autofree char *user = NULL;

    (void)data;
    (void)f;
    g_unsetenv("VIRTKIT_CONF");
    root = vkConfigPathFor(true);
    g_assert_cmpstr(root, ==, "/etc/virtkit/virtkit.conf");

    /* vkConfigPath picks by the effective uid. */
    plain = vkConfigPath();
    user = vkConfigPathFor(false);
    g_assert_cmpstr(plain, ==, geteuid() == 0 ? root : user);

    /* An empty VIRTKIT_CONF counts as unset. */
    g_setenv("VIRTKIT_CONF", "", TRUE);
    g_free(root);
    root = vkConfigPathFor(true);
    g_assert_cmpstr(root, ==, "/etc/virtkit/virtkit.conf");
}

/* GLib reads $XDG_CONFIG_HOME once per process, so the XDG tests run in a
 * child whose environment the parent prepared. */
static void
test_path_xdg_child(void)
{
    g_autofree char *want = g_build_filename(g_getenv("VK_TEST_WANT_DIR"),
                                             "virtkit", "virtkit.conf", NULL);
    g_autofree char *got = vkConfigPathFor(false);

    g_assert_cmpstr(got, ==, want);
    if (geteuid() != 0) {
        g_autofree char *plain = vkConfigPath();
        g_assert_cmpstr(plain, ==, want);
        /* Not root: the file is the one vkURIResolve reads. */
        g_assert_cmpint(g_mkdir_with_parents(g_getenv("VK_TEST_WANT_DIR"), 0700), ==, 0);
        {
            g_autofree char *sub = g_path_get_dirname(want);
            g_assert_cmpint(g_mkdir_with_parents(sub, 0700), ==, 0);
        }
        g_assert_true(g_file_set_contents(want, "uri_default = \"qemu:///session\"\n", -1,
                                          NULL));
        assert_resolves(NULL, 0, "qemu:///session");
    }
}

/* Runs the current test again in a child, which takes the other branch. */
static void
run_xdg_child(void)
{
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

static void
test_path_xdg(Fixture *f, gconstpointer data)
{
    g_autofree char *xdg = g_build_filename(f->dir, "xdg", NULL);
    g_autofree char *old_xdg = g_strdup(g_getenv("XDG_CONFIG_HOME"));

    (void)data;
    g_unsetenv("VIRTKIT_CONF");
    if (g_test_subprocess()) {
        test_path_xdg_child();
        return;
    }
    g_setenv("XDG_CONFIG_HOME", xdg, TRUE);
    g_setenv("VK_TEST_WANT_DIR", xdg, TRUE);
    run_xdg_child();
    g_unsetenv("VK_TEST_WANT_DIR");
    if (old_xdg)
        g_setenv("XDG_CONFIG_HOME", old_xdg, TRUE);
    else
        g_unsetenv("XDG_CONFIG_HOME");

    {
        g_autofree char *file = g_build_filename(xdg, "virtkit", "virtkit.conf", NULL);
        g_autofree char *sub = g_build_filename(xdg, "virtkit", NULL);
        g_unlink(file);
        g_rmdir(sub);
        g_rmdir(xdg);
    }
}

static void
test_path_xdg_home_default(Fixture *f, gconstpointer data)
{
    g_autofree char *dotconfig = g_build_filename(f->dir, ".config", NULL);
    g_autofree char *old_xdg = g_strdup(g_getenv("XDG_CONFIG_HOME"));
    g_autofree char *old_home = g_strdup(g_getenv("HOME"));

    (void)data;
    g_unsetenv("VIRTKIT_CONF");
    if (g_test_subprocess()) {
        test_path_xdg_child();
        return;
    }
    g_unsetenv("XDG_CONFIG_HOME");
    g_setenv("HOME", f->dir, TRUE);
    g_setenv("VK_TEST_WANT_DIR", dotconfig, TRUE);
    run_xdg_child();
    g_unsetenv("VK_TEST_WANT_DIR");
    if (old_xdg)
        g_setenv("XDG_CONFIG_HOME", old_xdg, TRUE);
    if (old_home)
        g_setenv("HOME", old_home, TRUE);
    else
        g_unsetenv("HOME");

    {
        g_autofree char *file = g_build_filename(dotconfig, "virtkit", "virtkit.conf", NULL);
        g_autofree char *sub = g_build_filename(dotconfig, "virtkit", NULL);
        g_unlink(file);
        g_rmdir(sub);
        g_rmdir(dotconfig);
    }
}

/* ------------------------------------------------------------------ */
/* URI validation with GUri                                             */
/* ------------------------------------------------------------------ */

static void
test_parse_libvirt_uris(Fixture *f, gconstpointer data)
{
    static const char *const uris[] = {
        "test:///default",
        "qemu:///system",
        "qemu:///session",
        "qemu:///embed?root=/tmp/vk-embed",
        "qemu+ssh://root@127.0.0.1/system",
        "qemu+ssh://user@host:2222/system?keyfile=/root/.ssh/id&no_verify=1",
        "qemu+unix:///system?socket=/run/virtkit/virtkitd-sock",
        "qemu+tls://[::1]/system",
        "qemu+tcp://host.example.com:16509/system",
        "xen:///system",
        "esx://esx.example.com/?no_verify=1",
        "vbox:///session",
        "test:///tmp/node%20file.xml",
    };

    (void)data;
    (void)f;
    for (gsize i = 0; i < G_N_ELEMENTS(uris); i++)
        assert_resolves(uris[i], 0, uris[i]);
}

static void
test_parse_malformed(Fixture *f, gconstpointer data)
{
    static const char *const bad[] = {
        "qemu+ssh://host:abc/system",
        "qemu://[::1/system",
        "qemu:///system?x=%zz",
        ":///nothing",
    };
    const char *msg;

    (void)data;
    (void)f;
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *prefix = g_strdup_printf("invalid argument: malformed URI '%s' "
                                                  "(from the connection name): ", bad[i]);
        msg = assert_fails(bad[i], 0, VIR_ERR_INVALID_ARG, VIR_FROM_URI);
        g_assert_true(g_str_has_prefix(msg, prefix));
        /* GLib's reason follows; no alias hint for something URI-shaped. */
        g_assert_cmpuint(strlen(msg), >, strlen(prefix));
        g_assert_null(strstr(msg, "uri_aliases"));
    }
}

static void
test_parse_malformed_sources(Fixture *f, gconstpointer data)
{
    const char *msg;
    g_autofree char *want = NULL;

    (void)data;
    /* The message says where the bad URI came from. */
    write_conf(f, "uri_default = \"qemu+ssh://h:x/\"\n"
                  "uri_aliases = [ \"bad=qemu://[::1/system\" ]\n");
    msg = assert_fails(NULL, 0, VIR_ERR_INVALID_ARG, VIR_FROM_URI);
    want = g_strdup_printf("invalid argument: malformed URI 'qemu+ssh://h:x/' (from "
                           "'uri_default' in %s): ", f->conf_path);
    g_assert_true(g_str_has_prefix(msg, want));

    g_free(want);
    msg = assert_fails("bad", 0, VIR_ERR_INVALID_ARG, VIR_FROM_URI);
    want = g_strdup_printf("invalid argument: malformed URI 'qemu://[::1/system' (from "
                           "alias 'bad' in %s): ", f->conf_path);
    g_assert_true(g_str_has_prefix(msg, want));

    g_free(want);
    g_setenv("VIRTKIT_DEFAULT_URI", "qemu+ssh://h:y/", TRUE);
    msg = assert_fails(NULL, 0, VIR_ERR_INVALID_ARG, VIR_FROM_URI);
    want = g_strdup("invalid argument: malformed URI 'qemu+ssh://h:y/' (from "
                    "$VIRTKIT_DEFAULT_URI): ");
    g_assert_true(g_str_has_prefix(msg, want));
}

static void
test_parse_bare_word_hint(Fixture *f, gconstpointer data)
{
    const char *msg;
    g_autofree char *want = NULL;

    (void)data;
    /* libvirt's code, domain and words for a name without a scheme, then
     * ours: it is no alias either. */
    msg = assert_fails("hail", 0, VIR_ERR_NO_CONNECT, VIR_FROM_NONE);
    want = g_strdup_printf("no connection driver available for URI 'hail' does not include a "
                           "driver name; it is not an alias in 'uri_aliases' of %s "
                           "(none defined)", f->conf_path);
    g_assert_cmpstr(msg, ==, want);
    msg = assert_fails("/tmp/x", 0, VIR_ERR_NO_CONNECT, VIR_FROM_NONE);
    g_assert_true(g_str_has_prefix(msg, "no connection driver available for URI '/tmp/x' "
                                        "does not include a driver name"));
    /* A default without a scheme says where it came from. */
    g_setenv("LIBVIRT_DEFAULT_URI", "hail", TRUE);
    msg = assert_fails(NULL, 0, VIR_ERR_NO_CONNECT, VIR_FROM_NONE);
    g_assert_true(g_str_has_suffix(msg, "; it came from $LIBVIRT_DEFAULT_URI"));
    /* What is no URI reference at all stays a malformed URI. */
    assert_fails("a%zz", 0, VIR_ERR_INVALID_ARG, VIR_FROM_URI);
    assert_fails("::", 0, VIR_ERR_INVALID_ARG, VIR_FROM_URI);
}

/* ------------------------------------------------------------------ */
/* Scheme splitting                                                     */
/* ------------------------------------------------------------------ */

static void
assert_split(const char *uri, const char *want_driver, const char *want_transport)
{
    g_autofree char *driver = NULL;
    g_autofree char *transport = NULL;

    g_assert_cmpint(vkURISplitScheme(uri, &driver, &transport), ==, 0);
    g_assert_cmpstr(driver, ==, want_driver);
    g_assert_cmpstr(transport, ==, want_transport);
}

static void
test_split_ok(void)
{
    g_autofree char *driver = NULL;

    assert_split("qemu+ssh", "qemu", "ssh");
    assert_split("qemu+ssh://root@host/system", "qemu", "ssh");
    assert_split("qemu:///system", "qemu", NULL);
    assert_split("test", "test", NULL);
    assert_split("QEMU+TLS://host/system", "qemu", "tls");
    assert_split("qemu+ssh+x://h/", "qemu", "ssh+x");
    assert_split("vz.2-a+unix:", "vz.2-a", "unix");

    g_assert_cmpint(vkURISplitScheme("qemu+tcp://h/", &driver, NULL), ==, 0);
    g_assert_cmpstr(driver, ==, "qemu");
    g_assert_cmpint(vkURISplitScheme("qemu+tcp://h/", NULL, NULL), ==, 0);
}

static void
test_split_errors(void)
{
    static const struct {
        const char *uri;
        const char *message;
    } cases[] = {
        { "", "invalid argument: no valid URI scheme in '': a scheme starts with a letter, "
              "then letters, digits, '+', '-' or '.'" },
        { ":///x", "invalid argument: no valid URI scheme in ':///x': a scheme starts with "
                   "a letter, then letters, digits, '+', '-' or '.'" },
        { "1qemu://h/", "invalid argument: no valid URI scheme in '1qemu://h/': a scheme "
                        "starts with a letter, then letters, digits, '+', '-' or '.'" },
        { "qe mu:///", "invalid argument: no valid URI scheme in 'qe mu:///': a scheme "
                       "starts with a letter, then letters, digits, '+', '-' or '.'" },
        { "+ssh://h/", "invalid argument: no valid URI scheme in '+ssh://h/': a scheme "
                       "starts with a letter, then letters, digits, '+', '-' or '.'" },
        { "qemu+://h/", "invalid argument: malformed URI scheme 'qemu+' in 'qemu+://h/': "
                        "expected 'driver' or 'driver+transport'" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *driver = (char *)"untouched";
        char *transport = (char *)"untouched";
        virErrorPtr err;

        virResetLastError();
        g_assert_cmpint(vkURISplitScheme(cases[i].uri, &driver, &transport), ==, -1);
        g_assert_cmpstr(driver, ==, "untouched");
        g_assert_cmpstr(transport, ==, "untouched");
        err = virGetLastError();
        g_assert_nonnull(err);
        g_assert_cmpint(err->code, ==, VIR_ERR_INVALID_ARG);
        g_assert_cmpstr(err->message, ==, cases[i].message);
    }
    virResetLastError();
    g_assert_cmpint(vkURISplitScheme(NULL, NULL, NULL), ==, -1);
    g_assert_true(vkErrorIsSet());
    virResetLastError();
}

#define ADD(path, fn) \
    g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    ADD("/uri/alias/resolve", test_alias_resolve);
    ADD("/uri/alias/exact-match", test_alias_exact_match);
    ADD("/uri/alias/first-wins", test_alias_first_wins);
    ADD("/uri/alias/bad-char", test_alias_bad_char);
    ADD("/uri/alias/missing-equals", test_alias_missing_equals);
    ADD("/uri/alias/no-aliases-flag", test_alias_no_aliases_flag);
    ADD("/uri/alias/applies-to-default", test_alias_applies_to_default);
    ADD("/uri/alias/not-a-list", test_alias_not_a_list);
    ADD("/uri/default/none-fails", test_default_none);
    ADD("/uri/default/libvirt-env", test_default_libvirt_env);
    ADD("/uri/default/config", test_default_config);
    ADD("/uri/default/env-over-config", test_default_env_over_config);
    ADD("/uri/default/name-over-all", test_default_name_over_all);
    ADD("/uri/default/not-a-string", test_default_not_a_string);
    ADD("/uri/config/missing-ok", test_config_missing_ok);
    ADD("/uri/config/syntax-error", test_config_syntax_error);
    ADD("/uri/config/unreadable", test_config_unreadable);
    ADD("/uri/config/reread", test_config_reread);
    ADD("/uri/config-path/env-override", test_path_env_override);
    ADD("/uri/config-path/root", test_path_root);
    ADD("/uri/config-path/xdg", test_path_xdg);
    ADD("/uri/config-path/xdg-default-home", test_path_xdg_home_default);
    ADD("/uri/parse/libvirt-uris", test_parse_libvirt_uris);
    ADD("/uri/parse/malformed", test_parse_malformed);
    ADD("/uri/parse/malformed-sources", test_parse_malformed_sources);
    ADD("/uri/parse/bare-word-hint", test_parse_bare_word_hint);
    g_test_add_func("/uri/split/ok", test_split_ok);
    g_test_add_func("/uri/split/errors", test_split_errors);

    return g_test_run();
}
