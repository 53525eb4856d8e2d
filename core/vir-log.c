/*
 * vir-log.c: the core's debug log.
 *
 * Three settings, read from the environment at first use and replaceable
 * with vkLogConfigure():
 *
 *   VIRTKIT_DEBUG        the level kept for modules no filter names:
 *                        1 or debug, 2 or info, 3 or warning, 4 or error
 *                        (default: the lowest level of the outputs given,
 *                        else 3).
 *   VIRTKIT_LOG_FILTERS  space-separated "level:match"; a module whose name
 *                        contains "match" uses that filter's level instead.
 *                        The first matching filter wins.  A '+' before the
 *                        match is accepted, as libvirt spells it, and ignored.
 *   VIRTKIT_LOG_OUTPUTS  space-separated "level:stderr", "level:file:/path",
 *                        "level:journald"; an output takes the messages at
 *                        its level or above that the filters let through.
 *
 * With none of them set, warnings and errors go to GLib's structured log
 * (g_log_structured_array, log domain "virtkit"), so the application's
 * writer decides where they end up, and debug and info messages cost one
 * vkLogWouldLog() check.  With a level or filters set but no outputs, the
 * messages they let through go to stderr, as libvirt does.
 *
 * The stderr and file outputs write one line per message in libvirt's
 * format, "YYYY-MM-DD HH:MM:SS.mmm+0000: <tid>: <level> : <func>:<line> :
 * <message>", with a single write(2) each, so concurrent lines do not mix.
 *
 * Threads: the settings are an immutable, reference-counted snapshot; a
 * message takes a reference for the time it is written, so no lock is held
 * while an output (or the application's GLib writer) runs and
 * vkLogConfigure() can replace the settings at any time.  The cheap checks
 * read two atomic ints.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VK_FROM VIR_FROM_NONE
#define VK_LOG_MODULE "core.log"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vk-internal.h"

/* Exported to vir-error.c (candidate for vk-internal.h). */

#define VK_LOG_ENV_LEVEL   "VIRTKIT_DEBUG"
#define VK_LOG_ENV_FILTERS "VIRTKIT_LOG_FILTERS"
#define VK_LOG_ENV_OUTPUTS "VIRTKIT_LOG_OUTPUTS"

#define VK_LOG_LEVEL_HINT "use 1-4 or debug, info, warning, error"

typedef enum {
    VK_LOG_TO_GLIB,       /* g_log_structured_array: the application's writer */
    VK_LOG_TO_STDERR,
    VK_LOG_TO_FILE,
    VK_LOG_TO_JOURNALD,
} vkLogDest;

typedef struct {
    int prio;
    char *match;
} vkLogFilter;

typedef struct {
    int prio;
    vkLogDest dest;
    char *path;           /* VK_LOG_TO_FILE */
    int fd;               /* VK_LOG_TO_FILE, else -1 */
} vkLogOutput;

/* One immutable snapshot of the settings (a g_atomic_rc_box). */
typedef struct {
    int level;            /* for modules no filter matches */
    GArray *filters;      /* vkLogFilter, in the order given */
    GArray *outputs;      /* vkLogOutput */
    bool user_set;        /* anything came from the user */
    int min_prio;         /* lowest priority any message can be emitted at */
} vkLogSettings;

static gsize vkLogInitDone;
static GMutex vkLogLock;                  /* guards vkLogCurrent */
static vkLogSettings *vkLogCurrent;
static gint vkLogMinPrio = VK_LOG_WARN;   /* atomic; mirrors current */
static gint vkLogHaveFilters;             /* atomic; mirrors current */
static gint vkLogUserSet;                 /* atomic; mirrors current */


/* ------------------------------------------------------------------ */
/* Settings                                                             */
/* ------------------------------------------------------------------ */

static void
vkLogFilterClear(gpointer data)
{
    vkLogFilter *f = data;

    g_free(f->match);
}

static void
vkLogOutputClear(gpointer data)
{
    vkLogOutput *o = data;

    if (o->fd >= 0)
        close(o->fd);
    g_free(o->path);
}

static void
vkLogSettingsClear(gpointer data)
{
    vkLogSettings *s = data;

    g_clear_pointer(&s->filters, g_array_unref);
    g_clear_pointer(&s->outputs, g_array_unref);
}

static vkLogSettings *
vkLogSettingsNew(void)
{
    vkLogSettings *s = g_atomic_rc_box_new0(vkLogSettings);

    s->level = VK_LOG_WARN;
    s->filters = g_array_new(FALSE, TRUE, sizeof(vkLogFilter));
    g_array_set_clear_func(s->filters, vkLogFilterClear);
    s->outputs = g_array_new(FALSE, TRUE, sizeof(vkLogOutput));
    g_array_set_clear_func(s->outputs, vkLogOutputClear);
    return s;
}

static void
vkLogSettingsUnref(vkLogSettings *s)
{
    g_atomic_rc_box_release_full(s, vkLogSettingsClear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkLogSettings, vkLogSettingsUnref)

/* "1".."4" or a level word.  Returns the priority, or 0. */
static int
vkLogParsePriority(const char *s)
{
    static const struct {
        const char *word;
        int prio;
    } words[] = {
        { "1", VK_LOG_DEBUG }, { "debug", VK_LOG_DEBUG },
        { "2", VK_LOG_INFO }, { "info", VK_LOG_INFO },
        { "3", VK_LOG_WARN }, { "warning", VK_LOG_WARN }, { "warn", VK_LOG_WARN },
        { "4", VK_LOG_ERROR }, { "error", VK_LOG_ERROR },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(words); i++) {
        if (g_ascii_strcasecmp(s, words[i].word) == 0)
            return words[i].prio;
    }
    return 0;
}

/* A setting that was given: NULL and all-blank strings mean "not set". */
static bool
vkLogIsSet(const char *s)
{
    if (!s)
        return false;
    for (; *s; s++) {
        if (!g_ascii_isspace(*s))
            return true;
    }
    return false;
}

/* Space-separated tokens of @s; empty tokens dropped. */
static GStrv
vkLogTokens(const char *s)
{
    g_auto(GStrv) raw = g_strsplit_set(s, " \t\n", -1);
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
    size_t i;

    for (i = 0; raw[i]; i++) {
        if (*raw[i])
            g_ptr_array_add(out, g_strdup(raw[i]));
    }
    g_ptr_array_add(out, NULL);
    return (GStrv) g_ptr_array_free(g_steal_pointer(&out), FALSE);
}

static int
vkLogParseFilters(vkLogSettings *s, const char *value, int *code, char **msg)
{
    g_auto(GStrv) tokens = vkLogTokens(value);
    size_t i;

    for (i = 0; tokens[i]; i++) {
        const char *tok = tokens[i];
        const char *colon = strchr(tok, ':');
        g_autofree char *level = NULL;
        const char *match;
        vkLogFilter f;

        if (!colon) {
            *code = VIR_ERR_CONFIG_UNSUPPORTED;
            *msg = g_strdup_printf("%s entry '%s' is not 'level:match'",
                                   VK_LOG_ENV_FILTERS, tok);
            return -1;
        }
        level = g_strndup(tok, colon - tok);
        f.prio = vkLogParsePriority(level);
        if (!f.prio) {
            *code = VIR_ERR_CONFIG_UNSUPPORTED;
            *msg = g_strdup_printf("%s entry '%s' has level '%s'; %s",
                                   VK_LOG_ENV_FILTERS, tok, level,
                                   VK_LOG_LEVEL_HINT);
            return -1;
        }
        match = colon + 1;
        if (*match == '+')
            match++;
        if (!*match) {
            *code = VIR_ERR_CONFIG_UNSUPPORTED;
            *msg = g_strdup_printf("%s entry '%s' has no module name to match",
                                   VK_LOG_ENV_FILTERS, tok);
            return -1;
        }
        f.match = g_strdup(match);
        g_array_append_val(s->filters, f);
    }
    return 0;
}

static int
vkLogParseOutputs(vkLogSettings *s, const char *value, int *code, char **msg)
{
    g_auto(GStrv) tokens = vkLogTokens(value);
    size_t i;

    for (i = 0; tokens[i]; i++) {
        const char *tok = tokens[i];
        g_auto(GStrv) parts = g_strsplit(tok, ":", 3);
        vkLogOutput o = { .fd = -1 };

        if (!parts[0] || !parts[1]) {
            *code = VIR_ERR_CONFIG_UNSUPPORTED;
            *msg = g_strdup_printf("%s entry '%s' is not 'level:kind[:argument]'",
                                   VK_LOG_ENV_OUTPUTS, tok);
            return -1;
        }
        o.prio = vkLogParsePriority(parts[0]);
        if (!o.prio) {
            *code = VIR_ERR_CONFIG_UNSUPPORTED;
            *msg = g_strdup_printf("%s entry '%s' has level '%s'; %s",
                                   VK_LOG_ENV_OUTPUTS, tok, parts[0],
                                   VK_LOG_LEVEL_HINT);
            return -1;
        }

        if (g_str_equal(parts[1], "stderr") && !parts[2]) {
            o.dest = VK_LOG_TO_STDERR;
        } else if (g_str_equal(parts[1], "journald") && !parts[2]) {
            o.dest = VK_LOG_TO_JOURNALD;
        } else if (g_str_equal(parts[1], "file")) {
            if (!parts[2] || !g_path_is_absolute(parts[2])) {
                *code = VIR_ERR_CONFIG_UNSUPPORTED;
                *msg = g_strdup_printf("%s entry '%s' needs an absolute path "
                                       "after 'file:'", VK_LOG_ENV_OUTPUTS, tok);
                return -1;
            }
            o.dest = VK_LOG_TO_FILE;
            o.fd = g_open(parts[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                          0600);
            if (o.fd < 0) {
                int err = errno;

                *code = VIR_ERR_SYSTEM_ERROR;
                *msg = g_strdup_printf("%s entry '%s': cannot open log file "
                                       "'%s': %s", VK_LOG_ENV_OUTPUTS, tok,
                                       parts[2], g_strerror(err));
                return -1;
            }
            o.path = g_strdup(parts[2]);
        } else {
            *code = VIR_ERR_CONFIG_UNSUPPORTED;
            *msg = g_strdup_printf("%s entry '%s' has unknown kind '%s'; use "
                                   "stderr, file:/absolute/path or journald",
                                   VK_LOG_ENV_OUTPUTS, tok, parts[1]);
            return -1;
        }
        g_array_append_val(s->outputs, o);
    }
    return 0;
}

/*
 * Builds a settings snapshot from the three strings (NULL or blank: not
 * set).  On failure returns NULL with *code and *msg (owned by the caller)
 * saying what is wrong; nothing is reported here, so this is safe to run
 * inside the first-use g_once.
 */
static vkLogSettings *
vkLogSettingsParse(const char *level, const char *filters, const char *outputs,
                   int *code, char **msg)
{
    g_autoptr(vkLogSettings) s = vkLogSettingsNew();
    int lowest;
    size_t i;

    if (vkLogIsSet(level)) {
        g_autofree char *word = g_strstrip(g_strdup(level));

        s->level = vkLogParsePriority(word);
        if (!s->level) {
            *code = VIR_ERR_CONFIG_UNSUPPORTED;
            *msg = g_strdup_printf("%s value '%s' is not a log level; %s",
                                   VK_LOG_ENV_LEVEL, word, VK_LOG_LEVEL_HINT);
            return NULL;
        }
        s->user_set = true;
    }
    if (vkLogIsSet(filters)) {
        if (vkLogParseFilters(s, filters, code, msg) < 0)
            return NULL;
        s->user_set = true;
    }
    if (vkLogIsSet(outputs)) {
        if (vkLogParseOutputs(s, outputs, code, msg) < 0)
            return NULL;
        /* "1:file:/x" alone asks for debug messages in that file. */
        if (!vkLogIsSet(level)) {
            s->level = VK_LOG_ERROR;
            for (i = 0; i < s->outputs->len; i++)
                s->level = MIN(s->level, g_array_index(s->outputs, vkLogOutput, i).prio);
        }
        s->user_set = true;
    }

    /* The lowest level the level and filters let through. */
    lowest = s->level;
    for (i = 0; i < s->filters->len; i++)
        lowest = MIN(lowest, g_array_index(s->filters, vkLogFilter, i).prio);

    if (s->outputs->len == 0) {
        vkLogOutput o = {
            .prio = lowest,
            .dest = s->user_set ? VK_LOG_TO_STDERR : VK_LOG_TO_GLIB,
            .fd = -1,
        };
        g_array_append_val(s->outputs, o);
    }

    /* Nothing below what every output refuses, nor below what the level and
     * filters refuse, can come out. */
    s->min_prio = VK_LOG_ERROR + 1;
    for (i = 0; i < s->outputs->len; i++)
        s->min_prio = MIN(s->min_prio, g_array_index(s->outputs, vkLogOutput, i).prio);
    s->min_prio = MAX(s->min_prio, lowest);

    return g_steal_pointer(&s);
}

/* Makes @s (consumed) the current settings. */
static void
vkLogPublish(vkLogSettings *s)
{
    vkLogSettings *old;

    g_mutex_lock(&vkLogLock);
    old = vkLogCurrent;
    vkLogCurrent = s;
    g_atomic_int_set(&vkLogMinPrio, s->min_prio);
    g_atomic_int_set(&vkLogHaveFilters, s->filters->len > 0);
    g_atomic_int_set(&vkLogUserSet, s->user_set);
    g_mutex_unlock(&vkLogLock);

    if (old)
        vkLogSettingsUnref(old);
}

static void
vkLogEnsureInit(void)
{
    if (g_once_init_enter(&vkLogInitDone)) {
        int code = 0;
        g_autofree char *msg = NULL;
        vkLogSettings *s;

        s = vkLogSettingsParse(g_getenv(VK_LOG_ENV_LEVEL),
                               g_getenv(VK_LOG_ENV_FILTERS),
                               g_getenv(VK_LOG_ENV_OUTPUTS), &code, &msg);
        if (!s) {
            /* No caller to hand an error to: say it once, and go on with
             * the defaults rather than fail whatever call came first. */
            fprintf(stderr, "virtkit: ignoring the logging settings: %s; "
                    "using the defaults\n", msg);
            s = vkLogSettingsParse(NULL, NULL, NULL, &code, &msg);
        }
        vkLogPublish(s);
        g_once_init_leave(&vkLogInitDone, 1);
    }
}

static vkLogSettings *
vkLogSettingsGet(void)
{
    vkLogSettings *s;

    g_mutex_lock(&vkLogLock);
    s = g_atomic_rc_box_acquire(vkLogCurrent);
    g_mutex_unlock(&vkLogLock);
    return s;
}

/* The level that applies to @module under @s. */
static int
vkLogThreshold(const vkLogSettings *s, const char *module)
{
    size_t i;

    for (i = 0; i < s->filters->len; i++) {
        const vkLogFilter *f = &g_array_index(s->filters, vkLogFilter, i);

        if (strstr(module, f->match))
            return f->prio;
    }
    return s->level;
}


/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */

static const char *
vkLogPriorityWord(int prio)
{
    switch (prio) {
    case VK_LOG_DEBUG:
        return "debug";
    case VK_LOG_INFO:
        return "info";
    case VK_LOG_WARN:
        return "warning";
    case VK_LOG_ERROR:
    default:
        return "error";
    }
}

static GLogLevelFlags
vkLogGLibLevel(int prio)
{
    switch (prio) {
    case VK_LOG_DEBUG:
        return G_LOG_LEVEL_DEBUG;
    case VK_LOG_INFO:
        return G_LOG_LEVEL_INFO;
    case VK_LOG_WARN:
        return G_LOG_LEVEL_WARNING;
    case VK_LOG_ERROR:
    default:
        /* G_LOG_LEVEL_ERROR would abort the process. */
        return G_LOG_LEVEL_CRITICAL;
    }
}

/* syslog(3) priorities, for journald's PRIORITY field. */
static const char *
vkLogSyslogPriority(int prio)
{
    switch (prio) {
    case VK_LOG_DEBUG:
        return "7";
    case VK_LOG_INFO:
        return "6";
    case VK_LOG_WARN:
        return "4";
    case VK_LOG_ERROR:
    default:
        return "3";
    }
}

static unsigned long long
vkLogThreadId(void)
{
#ifdef SYS_gettid
    return (unsigned long long) syscall(SYS_gettid);
#else
    return (unsigned long long) (uintptr_t) g_thread_self();
#endif
}

/* libvirt's line: "<UTC time>: <tid>: <level> : <func>:<line> : <msg>\n". */
static char *
vkLogFormatLine(int prio, const char *func, int line, const char *message)
{
    gint64 now = g_get_real_time();
    time_t secs = (time_t) (now / G_USEC_PER_SEC);
    struct tm tm;
    char stamp[64];

    gmtime_r(&secs, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);

    if (func)
        return g_strdup_printf("%s.%03d+0000: %llu: %s : %s:%d : %s\n",
                               stamp, (int) ((now % G_USEC_PER_SEC) / 1000),
                               vkLogThreadId(), vkLogPriorityWord(prio),
                               func, line, message);
    return g_strdup_printf("%s.%03d+0000: %llu: %s : %s\n",
                           stamp, (int) ((now % G_USEC_PER_SEC) / 1000),
                           vkLogThreadId(), vkLogPriorityWord(prio), message);
}

static void
vkLogWriteAll(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return;     /* nowhere left to report a failing log */
        }
        buf += n;
        len -= (size_t) n;
    }
}


/* ------------------------------------------------------------------ */
/* Internal API                                                         */
/* ------------------------------------------------------------------ */

bool
vkLogWouldLog(vkLogPriority prio, const char *module)
{
    vkLogSettings *s;
    bool ret;

    vkLogEnsureInit();

    if ((int) prio < g_atomic_int_get(&vkLogMinPrio))
        return false;
    /* Without filters min_prio is max(level, lowest output): done. */
    if (!g_atomic_int_get(&vkLogHaveFilters))
        return true;

    s = vkLogSettingsGet();
    ret = (int) prio >= vkLogThreshold(s, module ? module : "");
    vkLogSettingsUnref(s);
    return ret;
}

void
vkLogMessage(vkLogPriority prio, const char *module, const char *file,
             int line, const char *func, const char *fmt, ...)
{
    int saved_errno = errno;
    g_autoptr(vkLogSettings) s = NULL;
    g_autofree char *message = NULL;
    g_autofree char *text = NULL;
    char line_str[16];
    GLogField fields[7];
    size_t i;
    va_list ap;

    vkLogEnsureInit();
    s = vkLogSettingsGet();
    if (!module)
        module = "";
    if ((int) prio < vkLogThreshold(s, module))
        goto out;

    va_start(ap, fmt);
    message = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    g_snprintf(line_str, sizeof(line_str), "%d", line);
    fields[0] = (GLogField) { "MESSAGE", message, -1 };
    fields[1] = (GLogField) { "PRIORITY", vkLogSyslogPriority(prio), -1 };
    fields[2] = (GLogField) { "GLIB_DOMAIN", "virtkit", -1 };
    fields[3] = (GLogField) { "CODE_FILE", file ? file : "", -1 };
    fields[4] = (GLogField) { "CODE_LINE", line_str, -1 };
    fields[5] = (GLogField) { "CODE_FUNC", func ? func : "", -1 };
    fields[6] = (GLogField) { "VIRTKIT_MODULE", module, -1 };

    for (i = 0; i < s->outputs->len; i++) {
        const vkLogOutput *o = &g_array_index(s->outputs, vkLogOutput, i);

        if ((int) prio < o->prio)
            continue;

        switch (o->dest) {
        case VK_LOG_TO_GLIB:
            g_log_structured_array(vkLogGLibLevel(prio), fields,
                                   G_N_ELEMENTS(fields));
            break;
        case VK_LOG_TO_JOURNALD:
            g_log_writer_journald(vkLogGLibLevel(prio), fields,
                                  G_N_ELEMENTS(fields), NULL);
            break;
        case VK_LOG_TO_STDERR:
        case VK_LOG_TO_FILE:
            if (!text)
                text = vkLogFormatLine(prio, func, line, message);
            vkLogWriteAll(o->dest == VK_LOG_TO_FILE ? o->fd : STDERR_FILENO,
                          text, strlen(text));
            break;
        }
    }

 out:
    errno = saved_errno;
}

int
vkLogConfigure(const char *level, const char *filters, const char *outputs)
{
    int code = 0;
    g_autofree char *msg = NULL;
    vkLogSettings *s;

    vkLogEnsureInit();

    s = vkLogSettingsParse(level ? level : g_getenv(VK_LOG_ENV_LEVEL),
                           filters ? filters : g_getenv(VK_LOG_ENV_FILTERS),
                           outputs ? outputs : g_getenv(VK_LOG_ENV_OUTPUTS),
                           &code, &msg);
    if (!s) {
        vkReportError(code, "%s", msg);
        return -1;
    }
    vkLogPublish(s);
    return 0;
}

bool
vkLogHasOutputs(void)
{
    vkLogEnsureInit();
    return g_atomic_int_get(&vkLogUserSet);
}
