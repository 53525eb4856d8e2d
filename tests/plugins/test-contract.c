/*
 * test-contract: promises virtkit-plugin.h makes to plugins about their
 * lifetime and their input, checked against the fixture plugins
 * (tests/plugins/fixture.c): shutdown() at process exit, in reverse load
 * order and on the core's event thread; the URI connectOpen receives.
 * Loading is once per process, so every case runs in a fresh subprocess.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vk-plugin.h"
#include "vir-event.h"

/* Opens the three fixtures whose inits run in this order: fixgood, then
 * fixsecondary (attaches to fixgood's connection), then fixdecline (loads,
 * then declines its URI); fixinitfail's init fails, so it is never shut
 * down.  The connection stays open: most programs exit without closing. */
static virConnectPtr open_at_exit;   /* reachable, so not a leak to LSan */

static void
open_fixtures(void)
{
    virConnectPtr conn = open_at_exit = virConnectOpen("fixgood:///x");

    g_assert_nonnull(conn);
    g_assert_null(virConnectOpen("fixdecline:///x"));
    g_assert_null(virConnectOpen("fixinitfail:///x"));
    g_assert_cmpuint(vkPluginLoadCount(), ==, 4);
}

static void
child_exit_with_core_thread(void)
{
    /* Running, and iterating its context while we exit. */
    g_assert_nonnull(vkEventCoreThread());
    open_fixtures();
    exit(0);
}

static gboolean
exit_from_here(gpointer data)
{
    (void)data;
    exit(0);
}

static void
child_exit_on_core_thread(void)
{
    open_fixtures();
    /* An application callback that ends the process: the shutdowns run
     * right there, on the core thread, without waiting for it. */
    vkEventCoreAddIdle(exit_from_here, NULL, NULL);
    for (;;)
        g_usleep(G_USEC_PER_SEC);
}

static gint core_held;

static gboolean
hold_core_thread(gpointer data)
{
    (void)data;
    g_atomic_int_set(&core_held, 1);
    while (g_atomic_int_get(&core_held))
        g_usleep(G_USEC_PER_SEC);
    return G_SOURCE_REMOVE;
}

static void
child_exit_core_thread_held(void)
{
    open_fixtures();
    /* A callback that never returns holds the core thread: after its wait,
     * exit runs the shutdowns on the exiting thread instead of hanging. */
    vkEventCoreAddIdle(hold_core_thread, NULL, NULL);
    while (!g_atomic_int_get(&core_held))
        g_usleep(1000);
    exit(0);
}

static void
child_return_from_test(void)
{
    /* No exit() call: GLib's test runner returns from main. */
    open_fixtures();
}

/* Runs @child in a subprocess with the fixtures' shutdown log pointed at a
 * fresh file, and returns what the log says. */
static char *
run_child_for_log(const char *child)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *path = NULL;
    char *text = NULL;
    int fd = g_file_open_tmp("vk-shutdown-XXXXXX", &path, &err);

    g_assert_no_error(err);
    close(fd);
    g_setenv("VIRTKIT_FIXTURE_SHUTDOWN_LOG", path, TRUE);
    g_test_trap_subprocess(child, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
    g_unsetenv("VIRTKIT_FIXTURE_SHUTDOWN_LOG");
    g_test_trap_assert_passed();
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_unlink(path);
    return text;
}

/* Each plugin whose init succeeded is shut down once, newest first, on the
 * core's event thread (so no core-loop callback runs beside it). */
static void
test_shutdown_at_exit(void)
{
    g_autofree char *log = run_child_for_log("/plugin/shutdown/at-exit/subprocess");

    g_assert_cmpstr(log, ==,
                    "fixdecline@virtkit-event\n"
                    "fixsecondary@virtkit-event\n"
                    "fixgood@virtkit-event\n");
}

/* The same when a callback on the core thread calls exit(). */
static void
test_shutdown_exit_on_core_thread(void)
{
    g_autofree char *log = run_child_for_log("/plugin/shutdown/exit-on-core-thread/subprocess");

    g_assert_cmpstr(log, ==,
                    "fixdecline@virtkit-event\n"
                    "fixsecondary@virtkit-event\n"
                    "fixgood@virtkit-event\n");
}

/* When a callback holds the core thread, exit does not hang: the shutdowns
 * run on the exiting thread (the test's main thread, named after it). */
static void
test_shutdown_core_thread_held(void)
{
    g_autofree char *log = run_child_for_log("/plugin/shutdown/core-thread-held/subprocess");

    g_assert_cmpstr(log, ==,
                    "fixdecline@test-contract\n"
                    "fixsecondary@test-contract\n"
                    "fixgood@test-contract\n");
}

/* The same when the program ends by returning from main. */
static void
test_shutdown_on_return(void)
{
    g_autofree char *log = run_child_for_log("/plugin/shutdown/on-return/subprocess");
    g_auto(GStrv) lines = g_strsplit(log, "\n", -1);

    g_assert_cmpuint(g_strv_length(lines), ==, 4);
    g_assert_true(g_str_has_prefix(lines[0], "fixdecline@"));
    g_assert_true(g_str_has_prefix(lines[1], "fixsecondary@"));
    g_assert_true(g_str_has_prefix(lines[2], "fixgood@"));
    g_assert_cmpstr(lines[3], ==, "");
}

/* What connectOpen receives: the URI after the default-URI choice and the
 * alias lookup, as written in the configuration (fixture's hostname shows
 * the URI its connectOpen got). */
static void
child_uri_resolved(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *conf = NULL;
    g_autofree char *host = NULL;
    virConnectPtr conn;
    int fd = g_file_open_tmp("vk-contract-XXXXXX.conf", &conf, &err);

    g_assert_no_error(err);
    close(fd);
    g_assert_true(g_file_set_contents(conf,
                                      "uri_aliases = [ \"fixalias=fixgood:///via-alias\" ]\n",
                                      -1, NULL));
    g_setenv("VIRTKIT_CONF", conf, TRUE);

    conn = virConnectOpen("fixalias");
    g_assert_nonnull(conn);
    host = virConnectGetHostname(conn);
    g_assert_cmpstr(host, ==, "fixgood-host(fixgood:///via-alias)");
    g_clear_pointer(&host, g_free);
    g_assert_cmpint(virConnectClose(conn), ==, 0);

    g_setenv("VIRTKIT_DEFAULT_URI", "fixalias", TRUE);
    conn = virConnectOpen(NULL);
    g_assert_nonnull(conn);
    host = virConnectGetHostname(conn);
    g_assert_cmpstr(host, ==, "fixgood-host(fixgood:///via-alias)");
    g_assert_cmpint(virConnectClose(conn), ==, 0);
    g_unlink(conf);
}

static void
run_isolated(gconstpointer path)
{
    g_test_trap_subprocess((const char *)path, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("VIRTKIT_PLUGIN_DIR")) {
        g_printerr("VIRTKIT_PLUGIN_DIR must point at the built fixtures\n");
        return 1;
    }
    g_test_add_func("/plugin/shutdown/at-exit/subprocess", child_exit_with_core_thread);
    g_test_add_func("/plugin/shutdown/at-exit", test_shutdown_at_exit);
    g_test_add_func("/plugin/shutdown/exit-on-core-thread/subprocess", child_exit_on_core_thread);
    g_test_add_func("/plugin/shutdown/exit-on-core-thread", test_shutdown_exit_on_core_thread);
    g_test_add_func("/plugin/shutdown/core-thread-held/subprocess", child_exit_core_thread_held);
    g_test_add_func("/plugin/shutdown/core-thread-held", test_shutdown_core_thread_held);
    g_test_add_func("/plugin/shutdown/on-return/subprocess", child_return_from_test);
    g_test_add_func("/plugin/shutdown/on-return", test_shutdown_on_return);
    g_test_add_func("/plugin/uri/resolved/subprocess", child_uri_resolved);
    g_test_add_data_func("/plugin/uri/resolved", "/plugin/uri/resolved/subprocess", run_isolated);
    return g_test_run();
}
