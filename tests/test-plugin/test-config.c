/*
 * test-config: the test plugin's config file (test.conf) goes through the
 * host's conf reader: a bad file or value refuses the plugin, and the
 * error names the file, the line and the key.  The plugin reads its config
 * once per process, so each case runs in a fresh subprocess.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include <virtkit/virtkit.h>

static const struct {
    const char *name;
    const char *text;
    const char *needle;   /* in the open's error */
} cases[] = {
    { "type", "# comment\njob_wait_timeout_ms = \"soon\"\n",
      ":2: the value of 'job_wait_timeout_ms' must be an integer, not a string" },
    { "range", "job_wait_timeout_ms = -5\n",
      ":1: the value of 'job_wait_timeout_ms' is -5, outside its range 0 to 2147483647" },
    { "syntax", "\n\njob_wait_timeout_ms = 5 5\n",
      ":3:25: unexpected '5' after the value of 'job_wait_timeout_ms'" },
};

static void
run_case(gconstpointer data)
{
    guint i = GPOINTER_TO_UINT(data);
    g_autoptr(GError) err = NULL;
    g_autofree char *path = NULL;
    int fd;
    virConnectPtr conn;

    if (!g_test_subprocess()) {
        g_autofree char *sub = g_strdup_printf("/test-plugin/config/%s/subprocess", cases[i].name);
        g_test_trap_subprocess(sub, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
        g_test_trap_assert_passed();
        return;
    }
    fd = g_file_open_tmp("vk-test-XXXXXX.conf", &path, &err);
    g_assert_no_error(err);
    g_assert_cmpint(write(fd, cases[i].text, strlen(cases[i].text)), ==, (int)strlen(cases[i].text));
    close(fd);
    g_setenv("VIRTKIT_TEST_CONF", path, TRUE);
    conn = virConnectOpen("test:///default");
    g_unlink(path);
    g_assert_null(conn);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_CONNECT);
    if (!strstr(virGetLastErrorMessage(), path) ||
        !strstr(virGetLastErrorMessage(), cases[i].needle))
        g_test_message("message: %s", virGetLastErrorMessage());
    g_assert_nonnull(strstr(virGetLastErrorMessage(), path));
    g_assert_nonnull(strstr(virGetLastErrorMessage(), cases[i].needle));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *p = g_strdup_printf("/test-plugin/config/%s", cases[i].name);
        g_autofree char *sub = g_strconcat(p, "/subprocess", NULL);
        g_test_add_data_func(p, GUINT_TO_POINTER(i), run_case);
        g_test_add_data_func(sub, GUINT_TO_POINTER(i), run_case);
    }
    return g_test_run();
}
