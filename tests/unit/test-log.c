/*
 * test-log.c: log settings, filters, outputs and the line format.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VK_LOG_MODULE "test.log"

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "vk-internal.h"

/* A fresh log file for one test; removed by log_file_free. */
typedef struct {
    char *path;
} LogFile;

static LogFile *
log_file_new(void)
{
    LogFile *lf = g_new0(LogFile, 1);
    g_autoptr(GError) error = NULL;
    int fd = g_file_open_tmp("test-log-XXXXXX.log", &lf->path, &error);

    g_assert_no_error(error);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    return lf;
}

static void
log_file_free(LogFile *lf)
{
    /* Back to the defaults first: the settings hold the file open. */
    g_assert_cmpint(vkLogConfigure("", "", ""), ==, 0);
    g_unlink(lf->path);
    g_free(lf->path);
    g_free(lf);
}

static char *
log_file_read(LogFile *lf)
{
    g_autoptr(GError) error = NULL;
    char *text = NULL;

    g_assert_true(g_file_get_contents(lf->path, &text, NULL, &error));
    g_assert_no_error(error);
    return text;
}

/* "2024-05-01 10:11:12.345+0000: <tid>: " and the rest of the line. */
static const char *
strip_prefix(const char *line, unsigned long long *tid)
{
    g_autoptr(GRegex) re = g_regex_new("^[0-9]{4}-[0-9]{2}-[0-9]{2} "
                                       "[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}"
                                       "\\+0000: ([0-9]+): ", 0, 0, NULL);
    g_autoptr(GMatchInfo) match = NULL;
    g_autofree char *tid_str = NULL;
    int end = 0;

    g_assert_nonnull(re);
    if (!g_regex_match(re, line, 0, &match)) {
        g_test_message("no timestamp/tid prefix in: %s", line);
        return NULL;
    }
    tid_str = g_match_info_fetch(match, 1);
    *tid = g_ascii_strtoull(tid_str, NULL, 10);
    g_assert_true(g_match_info_fetch_pos(match, 0, NULL, &end));
    return line + end;
}

static unsigned long long
self_tid(void)
{
    return (unsigned long long) syscall(SYS_gettid);
}

/* ------------------------------------------------------------------ */
/* Nothing configured                                                   */
/* ------------------------------------------------------------------ */

static void
test_default_debug_off(void)
{
    if (g_test_subprocess()) {
        /* First use, from an empty environment. */
        g_assert_false(vkLogWouldLog(VK_LOG_DEBUG, "api"));
        g_assert_false(vkLogWouldLog(VK_LOG_INFO, "api"));
        g_assert_true(vkLogWouldLog(VK_LOG_WARN, "api"));
        g_assert_true(vkLogWouldLog(VK_LOG_ERROR, "core"));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("");
}

/* What the application's GLib writer received. */
static int glib_calls;
static GLogLevelFlags glib_level;
static char *glib_fields;

static GLogWriterOutput
capture_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields,
               gpointer data)
{
    GString *s = g_string_new(NULL);
    gsize i;

    (void) data;
    for (i = 0; i < n_fields; i++) {
        if (g_str_equal(fields[i].key, "CODE_LINE"))
            continue;   /* varies with this file */
        g_string_append_printf(s, "%s=%s;", fields[i].key,
                               (const char *) fields[i].value);
    }
    glib_calls++;
    glib_level = level;
    g_free(glib_fields);
    glib_fields = g_string_free(s, FALSE);
    return G_LOG_WRITER_HANDLED;
}

static void
test_default_glib_writer(void)
{
    if (g_test_subprocess()) {
        g_log_set_writer_func(capture_writer, NULL, NULL);

        VK_DEBUG("not wanted %d", 1);
        VK_INFO("not wanted %d", 2);
        g_assert_cmpint(glib_calls, ==, 0);

        VK_WARN("disk %s is %d%% full", "vda", 93);
        g_assert_cmpint(glib_calls, ==, 1);
        g_assert_cmpint(glib_level, ==, G_LOG_LEVEL_WARNING);
        g_assert_cmpstr(glib_fields, ==,
                        "MESSAGE=disk vda is 93% full;PRIORITY=4;GLIB_DOMAIN=virtkit;"
                        "CODE_FILE=" __FILE__ ";CODE_FUNC=test_default_glib_writer;"
                        "VIRTKIT_MODULE=test.log;");

        /* Errors must not reach GLib as G_LOG_LEVEL_ERROR (fatal). */
        VK_ERROR("gone");
        g_assert_cmpint(glib_calls, ==, 2);
        g_assert_cmpint(glib_level, ==, G_LOG_LEVEL_CRITICAL);
        g_free(glib_fields);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("");
}

/* ------------------------------------------------------------------ */
/* File output and the line format                                      */
/* ------------------------------------------------------------------ */

static void
test_file_api_line(void)
{
    LogFile *lf = log_file_new();
    g_autofree char *outputs = g_strdup_printf("1:file:%s", lf->path);
    g_autofree char *text = NULL;
    g_autofree char *expected = NULL;
    unsigned long long tid = 0;
    const char *rest;
    int line;

    g_assert_cmpint(vkLogConfigure("", "", outputs), ==, 0);
    g_assert_true(vkLogWouldLog(VK_LOG_DEBUG, "api"));

    VK_LOG_API("virDomainSuspend", "domain=%p, flags=0x%x", NULL, 3); line = __LINE__;

    text = log_file_read(lf);
    rest = strip_prefix(text, &tid);
    g_assert_nonnull(rest);
    g_assert_cmpuint(tid, ==, self_tid());
    expected = g_strdup_printf("debug : virDomainSuspend:%d : domain=(nil), flags=0x3\n",
                               line);
    g_assert_cmpstr(rest, ==, expected);

    log_file_free(lf);
}

static void
test_file_levels(void)
{
    LogFile *lf = log_file_new();
    g_autofree char *outputs = g_strdup_printf("3:file:%s", lf->path);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    const char *words[] = { "warning", "error" };
    size_t i;

    /* Level words are accepted; the output keeps warnings and up. */
    g_assert_cmpint(vkLogConfigure("debug", "", outputs), ==, 0);
    VK_DEBUG("d");
    VK_INFO("i");
    VK_WARN("w");
    VK_ERROR("e");

    text = log_file_read(lf);
    lines = g_strsplit(text, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 3);   /* two lines and "" */
    for (i = 0; i < G_N_ELEMENTS(words); i++) {
        unsigned long long tid;
        const char *rest = strip_prefix(lines[i], &tid);
        g_autofree char *head = g_strdup_printf("%s : test_file_levels:", words[i]);

        g_assert_nonnull(rest);
        g_assert_true(g_str_has_prefix(rest, head));
        g_assert_true(g_str_has_suffix(rest, i == 0 ? " : w" : " : e"));
    }
    g_assert_cmpstr(lines[2], ==, "");

    log_file_free(lf);
}

/* Lines written from several threads at once stay whole. */
#define N_THREADS 4
#define N_LINES 200

static gpointer
log_worker(gpointer data)
{
    int id = GPOINTER_TO_INT(data);
    int i;

    for (i = 0; i < N_LINES; i++)
        VK_DEBUG("worker %d line %d padding-padding-padding-padding", id, i);
    return NULL;
}

static void
test_file_threads(void)
{
    LogFile *lf = log_file_new();
    g_autofree char *outputs = g_strdup_printf("1:file:%s", lf->path);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    GThread *threads[N_THREADS];
    int counts[N_THREADS] = { 0 };
    size_t i;

    g_assert_cmpint(vkLogConfigure("1", "", outputs), ==, 0);
    for (i = 0; i < N_THREADS; i++)
        threads[i] = g_thread_new("log", log_worker, GINT_TO_POINTER((int) i));
    for (i = 0; i < N_THREADS; i++)
        g_thread_join(threads[i]);

    text = log_file_read(lf);
    lines = g_strsplit(text, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, N_THREADS * N_LINES + 1);
    for (i = 0; lines[i] && *lines[i]; i++) {
        unsigned long long tid;
        const char *rest = strip_prefix(lines[i], &tid);
        const char *msg;
        int id = -1;

        g_assert_nonnull(rest);
        msg = strstr(rest, " : worker ");
        g_assert_nonnull(msg);
        g_assert_true(g_str_has_suffix(msg, "padding-padding"));
        id = msg[strlen(" : worker ")] - '0';
        g_assert_cmpint(id, >=, 0);
        g_assert_cmpint(id, <, N_THREADS);
        counts[id]++;
    }
    for (i = 0; i < N_THREADS; i++)
        g_assert_cmpint(counts[i], ==, N_LINES);

    log_file_free(lf);
}

/* ------------------------------------------------------------------ */
/* Filters                                                              */
/* ------------------------------------------------------------------ */

static void
test_filter_module(void)
{
    LogFile *lf = log_file_new();
    g_autofree char *outputs = g_strdup_printf("1:file:%s", lf->path);
    g_autofree char *text = NULL;

    g_assert_cmpint(vkLogConfigure("1", "4:core.typedparam", outputs), ==, 0);
    g_assert_false(vkLogWouldLog(VK_LOG_DEBUG, "core.typedparam"));
    g_assert_false(vkLogWouldLog(VK_LOG_WARN, "core.typedparam"));
    g_assert_true(vkLogWouldLog(VK_LOG_ERROR, "core.typedparam"));
    g_assert_true(vkLogWouldLog(VK_LOG_DEBUG, "api"));
    g_assert_true(vkLogWouldLog(VK_LOG_DEBUG, "core.typed"));   /* substring of the match only */

    /* vkLogMessage applies the filters itself too. */
    vkLogMessage(VK_LOG_DEBUG, "core.typedparam", __FILE__, __LINE__, __func__,
                 "filtered out");
    vkLogMessage(VK_LOG_DEBUG, "api", __FILE__, __LINE__, "virConnectOpen",
                 "name=%s", "test:///default");
    text = log_file_read(lf);
    g_assert_null(strstr(text, "filtered out"));
    g_assert_nonnull(strstr(text, ": debug : virConnectOpen:"));
    g_assert_true(g_str_has_suffix(text, " : name=test:///default\n"));

    log_file_free(lf);
}

static void
test_filter_first_wins(void)
{
    LogFile *lf = log_file_new();
    g_autofree char *outputs = g_strdup_printf("1:file:%s", lf->path);

    /* The first match decides: core.typedparam at debug, the rest of core
     * at error, everything else at the output's level (debug). */
    g_assert_cmpint(vkLogConfigure("", "1:core.typedparam 4:core", outputs), ==, 0);
    g_assert_true(vkLogWouldLog(VK_LOG_DEBUG, "core.typedparam"));
    g_assert_false(vkLogWouldLog(VK_LOG_WARN, "core.error"));
    g_assert_true(vkLogWouldLog(VK_LOG_DEBUG, "api"));

    /* Reversed, the broader filter shadows the narrower one. */
    g_assert_cmpint(vkLogConfigure("3", "4:core 1:core.typedparam", outputs), ==, 0);
    g_assert_false(vkLogWouldLog(VK_LOG_DEBUG, "core.typedparam"));
    g_assert_false(vkLogWouldLog(VK_LOG_DEBUG, "api"));
    g_assert_true(vkLogWouldLog(VK_LOG_WARN, "api"));

    /* libvirt's '+' before the match is accepted. */
    g_assert_cmpint(vkLogConfigure("1", "4:+api", outputs), ==, 0);
    g_assert_false(vkLogWouldLog(VK_LOG_DEBUG, "api"));
    g_assert_true(vkLogWouldLog(VK_LOG_DEBUG, "core"));

    log_file_free(lf);
}

static void
test_filter_output_level(void)
{
    LogFile *lf = log_file_new();
    g_autofree char *outputs = g_strdup_printf("2:file:%s", lf->path);

    /* A filter cannot bring out what every output refuses. */
    g_assert_cmpint(vkLogConfigure("1", "1:api", outputs), ==, 0);
    g_assert_false(vkLogWouldLog(VK_LOG_DEBUG, "api"));
    g_assert_true(vkLogWouldLog(VK_LOG_INFO, "api"));

    log_file_free(lf);
}

/* Once the user asked for logs, reported errors are logged too. */
static void
test_file_reported_error(void)
{
    LogFile *lf = log_file_new();
    g_autofree char *outputs = g_strdup_printf("4:file:%s", lf->path);
    g_autofree char *text = NULL;
    g_autofree char *expected = NULL;
    unsigned long long tid = 0;
    const char *rest;
    int line;

    g_assert_cmpint(vkLogConfigure("", "", outputs), ==, 0);
    vkReportError(VIR_ERR_INVALID_ARG, "flags=0x%x", 8); line = __LINE__;
    virResetLastError();

    text = log_file_read(lf);
    rest = strip_prefix(text, &tid);
    g_assert_nonnull(rest);
    expected = g_strdup_printf("error : test_file_reported_error:%d : "
                               "invalid argument: flags=0x8\n", line);
    g_assert_cmpstr(rest, ==, expected);

    log_file_free(lf);
}

/* ------------------------------------------------------------------ */
/* Bad settings                                                         */
/* ------------------------------------------------------------------ */

static void
test_bad_settings(void)
{
    static const struct {
        const char *level;
        const char *filters;
        const char *outputs;
        int code;
        const char *expected;
    } cases[] = {
        { "verbose", "", "",
          VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: VIRTKIT_DEBUG value 'verbose' is not a log "
          "level; use 1-4 or debug, info, warning, error" },
        { "5", "", "",
          VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: VIRTKIT_DEBUG value '5' is not a log "
          "level; use 1-4 or debug, info, warning, error" },
        { "", "1:api 7:core", "",
          VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: VIRTKIT_LOG_FILTERS entry '7:core' has "
          "level '7'; use 1-4 or debug, info, warning, error" },
        { "", "api", "",
          VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: VIRTKIT_LOG_FILTERS entry 'api' is not "
          "'level:match'" },
        { "", "1:+", "",
          VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: VIRTKIT_LOG_FILTERS entry '1:+' has no "
          "module name to match" },
        { "", "", "1:stderr 2:tty",
          VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: VIRTKIT_LOG_OUTPUTS entry '2:tty' has "
          "unknown kind 'tty'; use stderr, file:/absolute/path or journald" },
        { "", "", "x:stderr",
          VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: VIRTKIT_LOG_OUTPUTS entry 'x:stderr' has "
          "level 'x'; use 1-4 or debug, info, warning, error" },
        { "", "", "stderr",
          VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: VIRTKIT_LOG_OUTPUTS entry 'stderr' is not "
          "'level:kind[:argument]'" },
        { "", "", "1:file:relative.log",
          VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: VIRTKIT_LOG_OUTPUTS entry "
          "'1:file:relative.log' needs an absolute path after 'file:'" },
        { "", "", "1:file:/nonexistent-dir-vk/x.log",
          VIR_ERR_SYSTEM_ERROR,
          "VIRTKIT_LOG_OUTPUTS entry '1:file:/nonexistent-dir-vk/x.log': cannot "
          "open log file '/nonexistent-dir-vk/x.log': No such file or directory" },
    };
    size_t i;

    /* A known state to check is kept across the failures. */
    g_assert_cmpint(vkLogConfigure("", "", ""), ==, 0);
    g_assert_false(vkLogWouldLog(VK_LOG_DEBUG, "api"));

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_test_message("case %zu", i);
        virResetLastError();
        g_assert_cmpint(vkLogConfigure(cases[i].level, cases[i].filters,
                                       cases[i].outputs), ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, cases[i].code);
        g_assert_cmpstr(virGetLastErrorMessage(), ==, cases[i].expected);
        /* The previous settings stay. */
        g_assert_false(vkLogWouldLog(VK_LOG_DEBUG, "api"));
        g_assert_true(vkLogWouldLog(VK_LOG_WARN, "api"));
    }
    virResetLastError();
}

/* ------------------------------------------------------------------ */
/* The environment at first use                                         */
/* ------------------------------------------------------------------ */

/* In a child, before anything has logged: the lazy first use then reads
 * the environment.  (Set here rather than in the parent, where GLib's
 * threads already run and setenv() is unsafe.) */
static void
child_setenv(const char *name, const char *value)
{
    g_assert_true(g_setenv(name, value, TRUE));
}

static void
test_env_outputs(void)
{
    if (g_test_subprocess()) {
        child_setenv("VIRTKIT_LOG_OUTPUTS", "1:stderr");
        g_assert_true(vkLogWouldLog(VK_LOG_DEBUG, "api"));
        VK_LOG_API("virDomainSuspend", "domain=%p, flags=0x%x", NULL, 3);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    /* '?' and '*' are glob wildcards here; "?" "?" avoids trigraphs. */
    g_test_trap_assert_stderr("20?" "?-?" "?-?" "? ?" "?:?" "?:?" "?.?" "?" "?+0000: *: "
                              "debug : virDomainSuspend:* : domain=(nil), flags=0x3\n");
}

static void
test_env_level_word(void)
{
    if (g_test_subprocess()) {
        child_setenv("VIRTKIT_DEBUG", "info");
        /* A level alone logs to stderr, as in libvirt. */
        g_assert_false(vkLogWouldLog(VK_LOG_DEBUG, "api"));
        g_assert_true(vkLogWouldLog(VK_LOG_INFO, "api"));
        VK_INFO("hello %s", "there");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*: info : test_env_level_word:* : hello there\n");
}

static void
test_env_bad(void)
{
    if (g_test_subprocess()) {
        child_setenv("VIRTKIT_LOG_FILTERS", "1:api 9:core");
        /* The bad setting is reported once and the defaults apply. */
        g_assert_false(vkLogWouldLog(VK_LOG_DEBUG, "api"));
        g_assert_true(vkLogWouldLog(VK_LOG_WARN, "api"));
        g_assert_false(vkLogWouldLog(VK_LOG_DEBUG, "core"));
        /* No error is left behind on the thread. */
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OK);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("virtkit: ignoring the logging settings: "
                              "VIRTKIT_LOG_FILTERS entry '9:core' has level '9'; "
                              "use 1-4 or debug, info, warning, error; "
                              "using the defaults\n");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    /* The parent runs with no logging settings; children get exactly the
     * ones their test puts in the environment. */
    if (!g_test_subprocess()) {
        g_unsetenv("VIRTKIT_DEBUG");
        g_unsetenv("VIRTKIT_LOG_FILTERS");
        g_unsetenv("VIRTKIT_LOG_OUTPUTS");
    }

    g_test_add_func("/log/default/debug-off", test_default_debug_off);
    g_test_add_func("/log/default/glib-writer", test_default_glib_writer);
    g_test_add_func("/log/file/api-line", test_file_api_line);
    g_test_add_func("/log/file/levels", test_file_levels);
    g_test_add_func("/log/file/threads", test_file_threads);
    g_test_add_func("/log/file/reported-error", test_file_reported_error);
    g_test_add_func("/log/filter/module", test_filter_module);
    g_test_add_func("/log/filter/first-wins", test_filter_first_wins);
    g_test_add_func("/log/filter/output-level", test_filter_output_level);
    g_test_add_func("/log/config/bad", test_bad_settings);
    g_test_add_func("/log/env/outputs", test_env_outputs);
    g_test_add_func("/log/env/level-word", test_env_level_word);
    g_test_add_func("/log/env/bad", test_env_bad);

    return g_test_run();
}
