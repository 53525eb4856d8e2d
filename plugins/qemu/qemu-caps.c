/*
 * qemu-caps.c: probing a QEMU binary over QMP, and the on-disk cache of
 * what it said (see qemu-caps.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include "qemu-caps.h"
#include "qemu-monitor.h"
#include "vk-file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* QEMU under TCG on a loaded 2-CPU machine can take seconds to greet */
#define QEMU_CAPS_GREETING_TIMEOUT_MS 30000
#define QEMU_CAPS_COMMAND_TIMEOUT_MS 30000
/* how long QEMU may take to exit after 'quit' before it is killed */
#define QEMU_CAPS_EXIT_WAIT_MS 5000
/* what a failed probe quotes of QEMU's stderr */
#define QEMU_CAPS_STDERR_BYTES 2048
/* bounds on what a cache file may list (QEMU 7.2: ~60 machines, ~50 CPU
 * models, ~250 commands, ~60 events) */
#define QEMU_CAPS_MAX_ITEMS 16384

/* ---- the object ---------------------------------------------------------- */

static void
qemuCapsMachineFree(gpointer p)
{
    qemuCapsMachine *m = p;

    g_free(m->name);
    g_free(m->alias);
    g_free(m);
}

static void
qemuCapsCPUModelFree(gpointer p)
{
    qemuCapsCPUModel *c = p;

    g_free(c->name);
    g_free(c);
}

static qemuCaps *
qemuCapsNew(const char *binary, guint64 size, gint64 mtime_ns)
{
    qemuCaps *c = g_new0(qemuCaps, 1);

    c->refs = 1;
    c->binary = g_strdup(binary);
    c->size = size;
    c->mtime_ns = mtime_ns;
    c->machines = g_ptr_array_new_with_free_func(qemuCapsMachineFree);
    c->cpu_models = g_ptr_array_new_with_free_func(qemuCapsCPUModelFree);
    c->commands = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    c->events = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return c;
}

qemuCaps *
qemuCapsRef(qemuCaps *caps)
{
    g_atomic_int_inc(&caps->refs);
    return caps;
}

void
qemuCapsUnref(qemuCaps *caps)
{
    if (!caps || !g_atomic_int_dec_and_test(&caps->refs))
        return;
    g_free(caps->binary);
    g_free(caps->package);
    g_free(caps->arch);
    g_ptr_array_unref(caps->machines);
    g_ptr_array_unref(caps->cpu_models);
    g_hash_table_unref(caps->commands);
    g_hash_table_unref(caps->events);
    g_free(caps);
}

const qemuCapsMachine *
qemuCapsFindMachine(const qemuCaps *caps, const char *name)
{
    for (guint i = 0; i < caps->machines->len; i++) {
        const qemuCapsMachine *m = g_ptr_array_index(caps->machines, i);
        if (name ? (strcmp(m->name, name) == 0 || g_strcmp0(m->alias, name) == 0)
                 : m->is_default)
            return m;
    }
    return NULL;
}

gboolean
qemuCapsHasCommand(const qemuCaps *caps, const char *name)
{
    return g_hash_table_contains(caps->commands, name);
}

static void
qemuCapsAddName(GHashTable *set, const char *name)
{
    g_hash_table_add(set, g_strdup(name));
}

/* ---- the key --------------------------------------------------------------- */

/* The binary's size and mtime; FALSE with libvirt's words when it cannot
 * be run. */
static gboolean
qemuCapsStatBinary(const char *binary, guint64 *size, gint64 *mtime_ns, GError **error)
{
    struct stat st;
    int e = 0;

    if (g_stat(binary, &st) < 0)
        e = errno;
    else if (!S_ISREG(st.st_mode))
        e = EACCES;
    else if (access(binary, X_OK) < 0)
        e = errno;
    if (e) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
                    "Cannot check QEMU binary %s: %s", binary, g_strerror(e));
        return FALSE;
    }
    *size = (guint64)st.st_size;
    *mtime_ns = (gint64)st.st_mtim.tv_sec * G_GINT64_CONSTANT(1000000000) + st.st_mtim.tv_nsec;
    return TRUE;
}

char *
qemuCapsCachePath(const char *cache_dir, const char *binary)
{
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, binary, -1);
    g_autofree char *file = g_strconcat(sum, ".json", NULL);

    return g_build_filename(cache_dir, "capabilities", file, NULL);
}

/* ---- probing --------------------------------------------------------------- */

static JsonNode *
qemuCapsCommand(qemuMonitor *mon, const char *cmd, GError **error)
{
    JsonNode *r = qemuMonitorCommand(mon, cmd, NULL, QEMU_CAPS_COMMAND_TIMEOUT_MS, error);

    if (r)
        return r;
    g_prefix_error(error, "QEMU capability probe, '%s': ", cmd);
    return NULL;
}

static JsonArray *
qemuCapsNodeArray(JsonNode *n, const char *cmd, GError **error)
{
    if (n && JSON_NODE_HOLDS_ARRAY(n))
        return json_node_get_array(n);
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                "QEMU capability probe: '%s' did not answer a list", cmd);
    return NULL;
}

/* Element @i of @a if it is an object, else NULL. */
static JsonObject *
qemuCapsArrayObject(JsonArray *a, guint i)
{
    JsonNode *n = json_array_get_element(a, i);

    return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *qemuCapsMemberArray(JsonObject *o, const char *name);

static gboolean
qemuCapsAskQEMU(qemuCaps *c, qemuMonitor *mon, GError **error)
{
    g_autoptr(JsonNode) ver = NULL, target = NULL, machines = NULL, cpus = NULL, kvm = NULL;
    g_autoptr(JsonNode) schema = NULL;
    JsonArray *a;

    c->version = qemuMonitorGetVersion(mon);
    if (!(ver = qemuCapsCommand(mon, "query-version", error)) ||
        !(target = qemuCapsCommand(mon, "query-target", error)) ||
        !(machines = qemuCapsCommand(mon, "query-machines", error)) ||
        !(cpus = qemuCapsCommand(mon, "query-cpu-definitions", error)) ||
        !(kvm = qemuCapsCommand(mon, "query-kvm", error)) ||
        !(schema = qemuCapsCommand(mon, "query-qmp-schema", error)))
        return FALSE;
    if (JSON_NODE_HOLDS_OBJECT(ver))
        c->package = g_strdup(json_object_get_string_member_with_default(
                                  json_node_get_object(ver), "package", NULL));
    if (JSON_NODE_HOLDS_OBJECT(target))
        c->arch = g_strdup(json_object_get_string_member_with_default(
                               json_node_get_object(target), "arch", NULL));
    if (!c->arch) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                    "QEMU capability probe: 'query-target' gave no arch");
        return FALSE;
    }
    if (JSON_NODE_HOLDS_OBJECT(kvm))
        c->kvm_present = json_object_get_boolean_member_with_default(json_node_get_object(kvm),
                                                                     "present", FALSE);

    if (!(a = qemuCapsNodeArray(machines, "query-machines", error)))
        return FALSE;
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = qemuCapsArrayObject(a, i);
        const char *name = o ? json_object_get_string_member_with_default(o, "name", NULL) : NULL;
        qemuCapsMachine *m;

        /* 'none' is the probe's own machine, not one a guest runs on */
        if (!name || strcmp(name, "none") == 0)
            continue;
        m = g_new0(qemuCapsMachine, 1);
        m->name = g_strdup(name);
        m->alias = g_strdup(json_object_get_string_member_with_default(o, "alias", NULL));
        m->max_cpus = (guint)CLAMP(json_object_get_int_member_with_default(o, "cpu-max", 1),
                                   1, G_MAXINT);
        m->is_default = json_object_get_boolean_member_with_default(o, "is-default", FALSE);
        m->deprecated = json_object_get_boolean_member_with_default(o, "deprecated", FALSE);
        g_ptr_array_add(c->machines, m);
    }

    if (!(a = qemuCapsNodeArray(cpus, "query-cpu-definitions", error)))
        return FALSE;
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = qemuCapsArrayObject(a, i);
        const char *name = o ? json_object_get_string_member_with_default(o, "name", NULL) : NULL;
        JsonArray *unavail;
        qemuCapsCPUModel *m;

        if (!name)
            continue;
        unavail = qemuCapsMemberArray(o, "unavailable-features");
        m = g_new0(qemuCapsCPUModel, 1);
        m->name = g_strdup(name);
        m->usable = !unavail || json_array_get_length(unavail) == 0;
        g_ptr_array_add(c->cpu_models, m);
    }

    if (!(a = qemuCapsNodeArray(schema, "query-qmp-schema", error)))
        return FALSE;
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = qemuCapsArrayObject(a, i);
        const char *name = o ? json_object_get_string_member_with_default(o, "name", NULL) : NULL;
        const char *meta = o ? json_object_get_string_member_with_default(o, "meta-type", NULL)
                             : NULL;

        if (name && g_strcmp0(meta, "command") == 0)
            qemuCapsAddName(c->commands, name);
        else if (name && g_strcmp0(meta, "event") == 0)
            qemuCapsAddName(c->events, name);
    }
    return TRUE;
}

/* Waits (bounded) for @proc to be reaped by GLib's child watch, then
 * kills it if it is still there. */
static void
qemuCapsReap(GSubprocess *proc)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)QEMU_CAPS_EXIT_WAIT_MS * 1000;
    gulong step = 1000;

    while (g_subprocess_get_identifier(proc) && g_get_monotonic_time() < deadline) {
        g_usleep(step);
        step = MIN(step * 2, 20000);
    }
    if (g_subprocess_get_identifier(proc))
        g_subprocess_force_exit(proc);
    g_subprocess_wait(proc, NULL, NULL);
}

/* What QEMU wrote on stderr, at most QEMU_CAPS_STDERR_BYTES, trimmed. */
static char *
qemuCapsStderr(GSubprocess *proc)
{
    GInputStream *in = g_subprocess_get_stderr_pipe(proc);
    char buf[QEMU_CAPS_STDERR_BYTES + 1];
    gsize n = 0;

    if (!in || !g_input_stream_read_all(in, buf, QEMU_CAPS_STDERR_BYTES, &n, NULL, NULL))
        return g_strdup("");
    buf[n] = '\0';
    return g_strstrip(g_utf8_make_valid(buf, (gssize)n));
}

/*
 * Runs @binary once with -machine none and @accel, with the monitor on a
 * socketpair; @ask (when not NULL) asks it what it can do.  For the KVM
 * check (@ask NULL) returns in @kvm_enabled what query-kvm says.
 */
static gboolean
qemuCapsRun(qemuCaps *c, const char *binary, const char *accel, gboolean ask,
            gboolean *kvm_enabled, GError **error)
{
    const char *argv[] = {
        binary, "-S", "-no-user-config", "-nodefaults", "-display", "none",
        "-machine", "none", "-accel", accel,
        "-chardev", "socket,id=probe,fd=3", "-mon", "chardev=probe,mode=control",
        NULL,
    };
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GSubprocess) proc = NULL;
    g_autofree char *what = g_strdup_printf("probe of %s", binary);
    qemuMonitor *mon;
    JsonNode *quit;
    gboolean ok;
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        int e = errno;
        g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e),
                    "cannot create a socket pair to probe QEMU '%s': %s", binary, g_strerror(e));
        return FALSE;
    }
    launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_subprocess_launcher_take_fd(launcher, sv[1], 3);
    proc = g_subprocess_launcher_spawnv(launcher, argv, error);
    /* closes our copy of QEMU's end */
    g_clear_object(&launcher);
    if (!proc) {
        close(sv[0]);
        g_prefix_error(error, "cannot run QEMU '%s' to probe it: ", binary);
        return FALSE;
    }
    mon = qemuMonitorOpen(sv[0], what, QEMU_CAPS_GREETING_TIMEOUT_MS, 0, NULL, NULL, NULL, error);
    if (!mon) {
        g_autofree char *tail = NULL;

        g_subprocess_force_exit(proc);
        g_subprocess_wait(proc, NULL, NULL);
        tail = qemuCapsStderr(proc);
        if (*tail) {
            g_clear_error(error);
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                        "QEMU '%s' (-accel %s) failed before answering the capability probe: %s",
                        binary, accel, tail);
        } else {
            g_prefix_error(error, "QEMU '%s' (-accel %s) gave no capability probe answer: ",
                           binary, accel);
        }
        return FALSE;
    }
    if (ask) {
        ok = qemuCapsAskQEMU(c, mon, error);
    } else {
        g_autoptr(JsonNode) kvm = qemuCapsCommand(mon, "query-kvm", error);
        ok = kvm && JSON_NODE_HOLDS_OBJECT(kvm);
        if (ok)
            *kvm_enabled = json_object_get_boolean_member_with_default(json_node_get_object(kvm),
                                                                       "enabled", FALSE);
    }
    /* QEMU may close the monitor before it answers 'quit': no error then */
    quit = qemuMonitorCommand(mon, "quit", NULL, QEMU_CAPS_COMMAND_TIMEOUT_MS, NULL);
    if (quit)
        json_node_unref(quit);
    qemuMonitorClose(mon);
    qemuCapsReap(proc);
    return ok;
}

static qemuCaps *
qemuCapsProbe(const char *binary, guint64 size, gint64 mtime_ns, void (*log)(gboolean, const char *),
              GError **error)
{
    g_autoptr(qemuCaps) c = qemuCapsNew(binary, size, mtime_ns);
    g_autoptr(GError) kerr = NULL;

    if (!qemuCapsRun(c, binary, "tcg", TRUE, NULL, error))
        return NULL;
    /* whether KVM initialises; QEMU with -accel kvm and no usable /dev/kvm
     * only says it cannot open it, so skip the run when we cannot either */
    if (c->kvm_present && g_access("/dev/kvm", R_OK | W_OK) == 0 &&
        !qemuCapsRun(c, binary, "kvm", FALSE, &c->kvm_initialises, &kerr)) {
        g_autofree char *msg = g_strdup_printf("KVM does not initialise for '%s': %s", binary,
                                               kerr->message);
        c->kvm_initialises = FALSE;
        if (log)
            log(FALSE, msg);
    }
    c->probed = TRUE;
    return g_steal_pointer(&c);
}

/* ---- the cache file -------------------------------------------------------- */

static int
qemuCapsCompareNames(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
qemuCapsAddNames(JsonBuilder *b, const char *member, GHashTable *set)
{
    g_autofree gpointer *keys = NULL;
    guint n = 0;

    keys = g_hash_table_get_keys_as_array(set, &n);
    /* sorted, so the same binary always gives the same file */
    qsort(keys, n, sizeof(gpointer), qemuCapsCompareNames);
    json_builder_set_member_name(b, member);
    json_builder_begin_array(b);
    for (guint i = 0; i < n; i++)
        json_builder_add_string_value(b, keys[i]);
    json_builder_end_array(b);
}

static char *
qemuCapsToJSON(const qemuCaps *c)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = NULL;

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "format");
    json_builder_add_int_value(b, QEMU_CAPS_CACHE_FORMAT);
    json_builder_set_member_name(b, "plugin-version");
    json_builder_add_string_value(b, VIRTKIT_VERSION);
    json_builder_set_member_name(b, "binary");
    json_builder_add_string_value(b, c->binary);
    json_builder_set_member_name(b, "size");
    json_builder_add_int_value(b, (gint64)c->size);
    json_builder_set_member_name(b, "mtime-ns");
    json_builder_add_int_value(b, c->mtime_ns);
    json_builder_set_member_name(b, "version");
    json_builder_add_int_value(b, c->version);
    json_builder_set_member_name(b, "package");
    json_builder_add_string_value(b, c->package ? c->package : "");
    json_builder_set_member_name(b, "arch");
    json_builder_add_string_value(b, c->arch);
    json_builder_set_member_name(b, "kvm-present");
    json_builder_add_boolean_value(b, c->kvm_present);
    json_builder_set_member_name(b, "kvm-initialises");
    json_builder_add_boolean_value(b, c->kvm_initialises);
    json_builder_set_member_name(b, "machines");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->machines->len; i++) {
        const qemuCapsMachine *m = g_ptr_array_index(c->machines, i);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, m->name);
        if (m->alias) {
            json_builder_set_member_name(b, "alias");
            json_builder_add_string_value(b, m->alias);
        }
        json_builder_set_member_name(b, "cpu-max");
        json_builder_add_int_value(b, m->max_cpus);
        json_builder_set_member_name(b, "is-default");
        json_builder_add_boolean_value(b, m->is_default);
        json_builder_set_member_name(b, "deprecated");
        json_builder_add_boolean_value(b, m->deprecated);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "cpu-models");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->cpu_models->len; i++) {
        const qemuCapsCPUModel *m = g_ptr_array_index(c->cpu_models, i);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, m->name);
        json_builder_set_member_name(b, "usable");
        json_builder_add_boolean_value(b, m->usable);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    qemuCapsAddNames(b, "commands", c->commands);
    qemuCapsAddNames(b, "events", c->events);
    json_builder_end_object(b);

    root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    return json_generator_to_data(gen, NULL);
}

/* A member of @o of @type, or NULL. */
static JsonNode *
qemuCapsMember(JsonObject *o, const char *name, GType type)
{
    JsonNode *n = o && json_object_has_member(o, name) ? json_object_get_member(o, name) : NULL;

    if (!n || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != type)
        return NULL;
    return n;
}

static JsonArray *
qemuCapsMemberArray(JsonObject *o, const char *name)
{
    JsonNode *n = o && json_object_has_member(o, name) ? json_object_get_member(o, name) : NULL;
    JsonArray *a = n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;

    return a && json_array_get_length(a) <= QEMU_CAPS_MAX_ITEMS ? a : NULL;
}

static gboolean
qemuCapsNamesFromJSON(JsonObject *o, const char *member, GHashTable *set)
{
    JsonArray *a = qemuCapsMemberArray(o, member);

    if (!a)
        return FALSE;
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonNode *n = json_array_get_element(a, i);
        if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
            return FALSE;
        qemuCapsAddName(set, json_node_get_string(n));
    }
    return TRUE;
}

/*
 * The cache file's capabilities if it parses and its key is the binary's
 * as it is now; NULL otherwise, with *@why saying what did not match.
 */
static qemuCaps *
qemuCapsFromJSON(const char *text, gsize len, const char *binary, guint64 size, gint64 mtime_ns,
                 char **why)
{
    g_autoptr(JsonParser) p = json_parser_new();
    g_autoptr(qemuCaps) c = qemuCapsNew(binary, size, mtime_ns);
    JsonObject *o;
    JsonNode *n;
    JsonArray *a;
    const char *s;

    if (!json_parser_load_from_data(p, text, (gssize)len, NULL) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
        *why = g_strdup("it is not a JSON object");
        return NULL;
    }
    o = json_node_get_object(json_parser_get_root(p));
    if (!(n = qemuCapsMember(o, "format", G_TYPE_INT64)) ||
        json_node_get_int(n) != QEMU_CAPS_CACHE_FORMAT) {
        *why = g_strdup_printf("its format is not %d", QEMU_CAPS_CACHE_FORMAT);
        return NULL;
    }
    if (!(n = qemuCapsMember(o, "plugin-version", G_TYPE_STRING)) ||
        strcmp(json_node_get_string(n), VIRTKIT_VERSION) != 0) {
        *why = g_strdup_printf("it was written by another plugin version than %s",
                               VIRTKIT_VERSION);
        return NULL;
    }
    if (!(n = qemuCapsMember(o, "binary", G_TYPE_STRING)) ||
        strcmp(json_node_get_string(n), binary) != 0) {
        *why = g_strdup("it is for another binary");
        return NULL;
    }
    if (!(n = qemuCapsMember(o, "size", G_TYPE_INT64)) || (guint64)json_node_get_int(n) != size) {
        *why = g_strdup_printf("the binary's size is now %" G_GUINT64_FORMAT, size);
        return NULL;
    }
    if (!(n = qemuCapsMember(o, "mtime-ns", G_TYPE_INT64)) || json_node_get_int(n) != mtime_ns) {
        *why = g_strdup_printf("the binary's mtime is now %" G_GINT64_FORMAT " ns", mtime_ns);
        return NULL;
    }
    *why = g_strdup("it does not hold what a probe gives");
    if (!(n = qemuCapsMember(o, "version", G_TYPE_INT64)))
        return NULL;
    c->version = (guint)CLAMP(json_node_get_int(n), 0, G_MAXUINT);
    if (!(n = qemuCapsMember(o, "package", G_TYPE_STRING)))
        return NULL;
    c->package = *json_node_get_string(n) ? g_strdup(json_node_get_string(n)) : NULL;
    if (!(n = qemuCapsMember(o, "arch", G_TYPE_STRING)) || !*(s = json_node_get_string(n)))
        return NULL;
    c->arch = g_strdup(s);
    if (!(n = qemuCapsMember(o, "kvm-present", G_TYPE_BOOLEAN)))
        return NULL;
    c->kvm_present = json_node_get_boolean(n);
    if (!(n = qemuCapsMember(o, "kvm-initialises", G_TYPE_BOOLEAN)))
        return NULL;
    c->kvm_initialises = json_node_get_boolean(n);

    if (!(a = qemuCapsMemberArray(o, "machines")))
        return NULL;
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonNode *e = json_array_get_element(a, i);
        JsonObject *m = JSON_NODE_HOLDS_OBJECT(e) ? json_node_get_object(e) : NULL;
        JsonNode *name = qemuCapsMember(m, "name", G_TYPE_STRING);
        JsonNode *alias = qemuCapsMember(m, "alias", G_TYPE_STRING);
        JsonNode *cpus = qemuCapsMember(m, "cpu-max", G_TYPE_INT64);
        JsonNode *def = qemuCapsMember(m, "is-default", G_TYPE_BOOLEAN);
        JsonNode *dep = qemuCapsMember(m, "deprecated", G_TYPE_BOOLEAN);
        qemuCapsMachine *cm;

        if (!name || !cpus || !def || !dep || json_node_get_int(cpus) < 1 ||
            json_node_get_int(cpus) > G_MAXINT)
            return NULL;
        cm = g_new0(qemuCapsMachine, 1);
        cm->name = g_strdup(json_node_get_string(name));
        cm->alias = alias ? g_strdup(json_node_get_string(alias)) : NULL;
        cm->max_cpus = (guint)json_node_get_int(cpus);
        cm->is_default = json_node_get_boolean(def);
        cm->deprecated = json_node_get_boolean(dep);
        g_ptr_array_add(c->machines, cm);
    }
    if (!(a = qemuCapsMemberArray(o, "cpu-models")))
        return NULL;
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonNode *e = json_array_get_element(a, i);
        JsonObject *m = JSON_NODE_HOLDS_OBJECT(e) ? json_node_get_object(e) : NULL;
        JsonNode *name = qemuCapsMember(m, "name", G_TYPE_STRING);
        JsonNode *usable = qemuCapsMember(m, "usable", G_TYPE_BOOLEAN);
        qemuCapsCPUModel *cm;

        if (!name || !usable)
            return NULL;
        cm = g_new0(qemuCapsCPUModel, 1);
        cm->name = g_strdup(json_node_get_string(name));
        cm->usable = json_node_get_boolean(usable);
        g_ptr_array_add(c->cpu_models, cm);
    }
    if (!qemuCapsNamesFromJSON(o, "commands", c->commands) ||
        !qemuCapsNamesFromJSON(o, "events", c->events))
        return NULL;
    g_clear_pointer(why, g_free);
    return g_steal_pointer(&c);
}

static void
qemuCapsLog(void (*log)(gboolean, const char *), gboolean warning, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void
qemuCapsLog(void (*log)(gboolean, const char *), gboolean warning, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (!log)
        return;
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    log(warning, msg);
}

qemuCaps *
qemuCapsLookup(const char *cache_dir, const char *binary, qemuCaps *current,
               void (*log)(gboolean warning, const char *msg), GError **error)
{
    g_autofree char *path = qemuCapsCachePath(cache_dir, binary);
    g_autofree char *text = NULL;
    g_autofree char *why = NULL;
    g_autofree char *json = NULL;
    g_autofree char *dir = NULL;
    g_autoptr(GError) ferr = NULL;
    gint64 t0 = g_get_monotonic_time();
    guint64 size;
    gint64 mtime_ns;
    gsize len = 0;
    qemuCaps *c;

    if (!qemuCapsStatBinary(binary, &size, &mtime_ns, error))
        return NULL;
    if (current && strcmp(current->binary, binary) == 0 && current->size == size &&
        current->mtime_ns == mtime_ns)
        return qemuCapsRef(current);

    if (vkFileReadBounded(path, QEMU_CAPS_CACHE_MAX_BYTES, &text, &len, NULL, &ferr)) {
        if ((c = qemuCapsFromJSON(text, len, binary, size, mtime_ns, &why))) {
            c->probe_ms = (double)(g_get_monotonic_time() - t0) / 1000.0;
            return c;
        }
        qemuCapsLog(log, FALSE, "probing '%s' again: its capability cache '%s' is stale (%s)",
                     binary, path, why);
    } else if (!g_error_matches(ferr, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
        qemuCapsLog(log, FALSE, "probing '%s' again: its capability cache cannot be read: %s",
                     binary, ferr->message);
    }

    if (!(c = qemuCapsProbe(binary, size, mtime_ns, log, error)))
        return NULL;
    c->probe_ms = (double)(g_get_monotonic_time() - t0) / 1000.0;
    json = qemuCapsToJSON(c);
    dir = g_path_get_dirname(path);
    g_clear_error(&ferr);
    if (g_mkdir_with_parents(dir, 0700) < 0)
        qemuCapsLog(log, TRUE, "cannot create the capability cache directory '%s': %s", dir,
                     g_strerror(errno));
    else if (!g_file_set_contents_full(path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                       &ferr))
        qemuCapsLog(log, TRUE, "cannot write the capability cache '%s': %s", path, ferr->message);
    return c;
}
