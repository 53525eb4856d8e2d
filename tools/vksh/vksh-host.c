/*
 * vksh-host.c: host and hypervisor commands (nodeinfo, hostname,
 * version, uri, capabilities, domcapabilities), `plugins` (virtkit's
 * own) and `event`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vksh.h"

bool
cmdNodeinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    virNodeInfo info;

    (void)cmd;
    if (virNodeGetInfo(ctl->conn, &info) < 0) {
        vkshError(ctl, "%s", "failed to get node information");
        return false;
    }
    vkshPrint(ctl, "%-20s %s\n", "CPU model:", info.model);
    vkshPrint(ctl, "%-20s %d\n", "CPU(s):", info.cpus);
    if (info.mhz)
        vkshPrint(ctl, "%-20s %d MHz\n", "CPU frequency:", info.mhz);
    vkshPrint(ctl, "%-20s %d\n", "CPU socket(s):", info.sockets);
    vkshPrint(ctl, "%-20s %d\n", "Core(s) per socket:", info.cores);
    vkshPrint(ctl, "%-20s %d\n", "Thread(s) per core:", info.threads);
    vkshPrint(ctl, "%-20s %d\n", "NUMA cell(s):", info.nodes);
    vkshPrint(ctl, "%-20s %lu KiB\n", "Memory size:", info.memory);
    return true;
}

bool
cmdHostname(vkshControl *ctl, const vkshCmd *cmd)
{
    char *hostname;

    (void)cmd;
    if (!(hostname = virConnectGetHostname(ctl->conn))) {
        vkshError(ctl, "%s", "failed to get hostname");
        return false;
    }
    vkshPrint(ctl, "%s\n", hostname);
    free(hostname);
    return true;
}

bool
cmdURI(vkshControl *ctl, const vkshCmd *cmd)
{
    char *uri;

    (void)cmd;
    if (!(uri = virConnectGetURI(ctl->conn))) {
        vkshError(ctl, "%s", "failed to get URI");
        return false;
    }
    vkshPrint(ctl, "%s\n", uri);
    free(uri);
    return true;
}

bool
cmdCapabilities(vkshControl *ctl, const vkshCmd *cmd)
{
    char *caps;

    (void)cmd;
    if (!(caps = virConnectGetCapabilities(ctl->conn))) {
        vkshError(ctl, "%s", "failed to get capabilities");
        return false;
    }
    vkshPrint(ctl, "%s\n", caps);
    free(caps);
    return true;
}

bool
cmdDomcapabilities(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *virttype = NULL, *emulator = NULL, *arch = NULL, *machine = NULL;
    char *caps;

    if (vkshOptString(ctl, cmd, "virttype", &virttype) < 0 ||
        vkshOptString(ctl, cmd, "emulatorbin", &emulator) < 0 ||
        vkshOptString(ctl, cmd, "arch", &arch) < 0 ||
        vkshOptString(ctl, cmd, "machine", &machine) < 0)
        return false;
    if (!(caps = virConnectGetDomainCapabilities(ctl->conn, emulator, arch, machine,
                                                 virttype, 0))) {
        vkshError(ctl, "%s", "failed to get emulator capabilities");
        return false;
    }
    vkshPrint(ctl, "%s\n", caps);
    free(caps);
    return true;
}

static void
vkshPrintVersion(vkshControl *ctl, const char *what, const char *type, unsigned long v)
{
    unsigned int major = v / 1000000, minor = (v % 1000000) / 1000, rel = v % 1000;

    if (type)
        vkshPrint(ctl, "%s: %s %u.%u.%u\n", what, type, major, minor, rel);
}

bool
cmdVersion(vkshControl *ctl, const vkshCmd *cmd)
{
    unsigned long libVersion = 0, apiVersion = 0, hvVersion = 0, daemonVersion = 0;
    const char *hvType;

    /* vksh is built against virtkit's libvirt 9.0.0 API level */
    vkshPrintVersion(ctl, "Compiled against library", "libvirt", 9000000);
    if (virGetVersion(&libVersion, NULL, NULL) < 0) {
        vkshError(ctl, "%s", "failed to get the library version");
        return false;
    }
    vkshPrintVersion(ctl, "Using library", "libvirt", libVersion);
    if (!(hvType = virConnectGetType(ctl->conn))) {
        vkshError(ctl, "%s", "failed to get hypervisor type");
        return false;
    }
    if (virGetVersion(&apiVersion, hvType, NULL) < 0) {
        vkshError(ctl, "%s", "failed to get the library version");
        return false;
    }
    vkshPrintVersion(ctl, "Using API", hvType, apiVersion);
    if (virConnectGetVersion(ctl->conn, &hvVersion) < 0) {
        vkshError(ctl, "%s", "failed to get the hypervisor version");
        return false;
    }
    if (hvVersion == 0)
        vkshPrint(ctl, "Cannot extract running %s hypervisor version\n", hvType);
    else
        vkshPrintVersion(ctl, "Running hypervisor", hvType, hvVersion);
    if (vkshOptBool(cmd, "daemon")) {
        if (virConnectGetLibVersion(ctl->conn, &daemonVersion) < 0) {
            vkshError(ctl, "%s", "failed to get the daemon version");
        } else {
            vkshPrint(ctl, "Running against daemon: %lu.%lu.%lu\n", daemonVersion / 1000000,
                      (daemonVersion % 1000000) / 1000, daemonVersion % 1000);
        }
    }
    return true;
}

/* ---- plugins (virtkit's own) ----------------------------------------- */

static char *
vkshJoin(char **strv)
{
    return strv && *strv ? g_strjoinv(",", strv) : g_strdup("-");
}

static char *
vkshFeatures(virtkitPluginInfoPtr p)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (int i = 0; i < p->nfeatures; i++) {
        const char *n = virtkitDrvFeatureName(p->features[i]);
        if (s->len)
            g_string_append_c(s, ',');
        if (n)
            g_string_append(s, n);
        else
            g_string_append_printf(s, "%d", p->features[i]);
    }
    return s->len ? g_string_free(g_steal_pointer(&s), FALSE) : g_strdup("-");
}

static void
vkshJsonStrv(JsonBuilder *jb, const char *name, char **strv)
{
    json_builder_set_member_name(jb, name);
    json_builder_begin_array(jb);
    for (size_t i = 0; strv && strv[i]; i++)
        json_builder_add_string_value(jb, strv[i]);
    json_builder_end_array(jb);
}

static void
vkshJsonStr(JsonBuilder *jb, const char *name, const char *val)
{
    json_builder_set_member_name(jb, name);
    if (val)
        json_builder_add_string_value(jb, val);
    else
        json_builder_add_null_value(jb);
}

/* Prints the directories searched, each with what was found there, so a
 * plugin author sees at once whether their directory was looked at. */
static void
vkshPrintPluginDirs(vkshControl *ctl, char **dirs, virtkitPluginInfoPtr *plugins, int n)
{
    for (size_t d = 0; dirs && dirs[d]; d++) {
        g_autofree char *dir = g_strdup(dirs[d]);
        size_t len = strlen(dir);
        int found = 0;

        while (len > 1 && dir[len - 1] == '/')
            dir[--len] = '\0';
        for (int i = 0; i < n; i++) {
            g_autofree char *kdir = plugins[i]->keyFile ? g_path_get_dirname(plugins[i]->keyFile)
                                                        : NULL;
            if (g_strcmp0(kdir, dir) == 0)
                found++;
        }
        if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
            vkshPrint(ctl, "  %s  (no such directory)\n", dir);
        else
            vkshPrint(ctl, "  %s  (%d plugin%s)\n", dir, found, found == 1 ? "" : "s");
    }
}

bool
cmdPlugins(vkshControl *ctl, const vkshCmd *cmd)
{
    virtkitPluginInfoPtr *plugins = NULL;
    g_auto(GStrv) dirs = NULL;
    int n;

    if ((n = virtkitConnectListPlugins(&plugins, VIRTKIT_LIST_PLUGINS_LOAD)) < 0 ||
        virtkitConnectListPluginDirs(&dirs, 0) < 0) {
        vkshError(ctl, "%s", "Failed to list plugins");
        return false;
    }

    if (vkshOptBool(cmd, "json")) {
        g_autoptr(JsonBuilder) jb = json_builder_new();

        json_builder_begin_array(jb);
        for (int i = 0; i < n; i++) {
            virtkitPluginInfoPtr p = plugins[i];

            json_builder_begin_object(jb);
            vkshJsonStr(jb, "name", p->name);
            vkshJsonStr(jb, "status", p->status);
            vkshJsonStr(jb, "reason", p->reason);
            vkshJsonStr(jb, "file", p->file);
            vkshJsonStr(jb, "keyFile", p->keyFile);
            vkshJsonStr(jb, "version", p->version);
            vkshJsonStr(jb, "license", p->license);
            vkshJsonStr(jb, "kind", p->kind);
            json_builder_set_member_name(jb, "abi");
            {
                g_autofree char *abi = g_strdup_printf("%u.%u", p->abiMajor, p->abiMinor);
                json_builder_add_string_value(jb, abi);
            }
            json_builder_set_member_name(jb, "flags");
            json_builder_add_int_value(jb, p->flags);
            vkshJsonStrv(jb, "schemes", p->schemes);
            vkshJsonStrv(jb, "vendorFeatures", p->vendorFeatures);
            json_builder_set_member_name(jb, "features");
            json_builder_begin_array(jb);
            for (int j = 0; j < p->nfeatures; j++) {
                const char *fn = virtkitDrvFeatureName(p->features[j]);
                json_builder_begin_object(jb);
                json_builder_set_member_name(jb, "id");
                json_builder_add_int_value(jb, p->features[j]);
                vkshJsonStr(jb, "name", fn);
                json_builder_end_object(jb);
            }
            json_builder_end_array(jb);
            json_builder_end_object(jb);
        }
        json_builder_end_array(jb);
        vkshJsonPrint(ctl, jb);
    } else if (n == 0) {
        vkshPrint(ctl, "%s\n", "No plugins found.  Searched, in order:");
        vkshPrintPluginDirs(ctl, dirs, plugins, n);
        vkshPrint(ctl, "%s\n", "A plugin is a module with a NAME.plugin key file beside it; "
                  "VIRTKIT_PLUGIN_DIR (colon separated) adds directories before the installed one.");
    } else {
        g_autoptr(vkshTable) table = vkshTableNew("Name", "Status", "ABI", "Kind", "Schemes",
                                                  "Version", NULL);
        for (int i = 0; i < n; i++) {
            virtkitPluginInfoPtr p = plugins[i];
            g_autofree char *abi = g_strdup_printf("%u.%u", p->abiMajor, p->abiMinor);
            g_autofree char *schemes = vkshJoin(p->schemes);

            vkshTableRowAdd(table, p->name ? p->name : "?", p->status ? p->status : "?", abi,
                            p->kind ? p->kind : "-", schemes, p->version ? p->version : "-",
                            NULL);
        }
        vkshTablePrint(ctl, table, true);
        vkshPrint(ctl, "\n%s\n", "Searched, in order:");
        vkshPrintPluginDirs(ctl, dirs, plugins, n);
        for (int i = 0; i < n; i++) {
            virtkitPluginInfoPtr p = plugins[i];
            g_autofree char *vendor = vkshJoin(p->vendorFeatures);
            g_autofree char *features = vkshFeatures(p);

            vkshPrint(ctl, "\n%s:\n", p->name ? p->name : "?");
            vkshPrint(ctl, "  %-17s %s\n", "File:", p->file ? p->file : "-");
            vkshPrint(ctl, "  %-17s %s\n", "Key file:", p->keyFile ? p->keyFile : "-");
            if (p->license)
                vkshPrint(ctl, "  %-17s %s\n", "License:", p->license);
            vkshPrint(ctl, "  %-17s %s\n", "Features:", features);
            vkshPrint(ctl, "  %-17s %s\n", "Vendor features:", vendor);
            if (p->reason)
                vkshPrint(ctl, "  %-17s %s\n",
                          g_strcmp0(p->status, "loaded") == 0 ? "Warning:" : "Reason:", p->reason);
        }
    }
    for (int i = 0; i < n; i++)
        virtkitPluginInfoFree(plugins[i]);
    free(plugins);
    return true;
}

/* ---- event ------------------------------------------------------------ */

typedef struct {
    vkshControl *ctl;
    GMutex lock;
    GCond cond;
    bool loop;
    bool timestamp;
    bool done;
    int count;
} vkshEventState;

typedef struct {
    vkshEventState *state;
    const char *name;
} vkshEventData;

static const char *const eventNames[] = {
    "Defined", "Undefined", "Started", "Suspended", "Resumed", "Stopped", "Shutdown",
    "PMSuspended", "Crashed",
};

static const char *const *const eventDetails[] = {
    (const char *const[]){ "Added", "Updated", "Renamed", "Snapshot", NULL },
    (const char *const[]){ "Removed", "Renamed", NULL },
    (const char *const[]){ "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup", NULL },
    (const char *const[]){ "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot",
                           "API error", "Post-copy", "Post-copy Error", NULL },
    (const char *const[]){ "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error",
                           NULL },
    (const char *const[]){ "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed",
                           "Snapshot", NULL },
    (const char *const[]){ "Finished", "Finished after guest request",
                           "Finished after host request", NULL },
    (const char *const[]){ "Memory", "Disk", NULL },
    (const char *const[]){ "Panicked", "Crashloaded", NULL },
};

static const char *
vkshEventDetail(int event, int detail)
{
    if (event < 0 || event >= (int)G_N_ELEMENTS(eventDetails) || detail < 0)
        return "unknown";
    for (int i = 0; eventDetails[event][i]; i++) {
        if (i == detail)
            return eventDetails[event][i];
    }
    return "unknown";
}

/* Called on the core's event thread: output and counting under the lock. */
static void
vkshEventPrint(vkshEventData *data, const char *msg)
{
    vkshEventState *st = data->state;

    g_mutex_lock(&st->lock);
    if (st->loop || st->count == 0) {
        if (st->timestamp) {
            g_autoptr(GDateTime) now = g_date_time_new_now_utc();
            g_autofree char *ts = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%f");
            /* libvirt's timestamp has milliseconds and +0000 */
            ts[strlen(ts) - 3] = '\0';
            vkshPrint(st->ctl, "%s+0000: %s", ts, msg);
        } else {
            vkshPrint(st->ctl, "%s", msg);
        }
        fflush(stdout);
        st->count++;
        if (!st->loop) {
            st->done = true;
            g_cond_signal(&st->cond);
        }
    }
    g_mutex_unlock(&st->lock);
}

static void
vkshEventGeneric(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    vkshEventData *data = opaque;
    g_autofree char *msg = g_strdup_printf("event '%s' for domain '%s'\n", data->name,
                                           virDomainGetName(dom));
    (void)conn;
    vkshEventPrint(data, msg);
}

static void
vkshEventLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    g_autofree char *msg = g_strdup_printf("event 'lifecycle' for domain '%s': %s %s\n",
                                           virDomainGetName(dom),
                                           event >= 0 && event < (int)G_N_ELEMENTS(eventNames)
                                           ? eventNames[event] : "unknown",
                                           vkshEventDetail(event, detail));
    (void)conn;
    vkshEventPrint(opaque, msg);
}

static void
vkshEventRTCChange(virConnectPtr conn, virDomainPtr dom, long long utcoffset, void *opaque)
{
    g_autofree char *msg = g_strdup_printf("event 'rtc-change' for domain '%s': %lld\n",
                                           virDomainGetName(dom), utcoffset);
    (void)conn;
    vkshEventPrint(opaque, msg);
}

static void
vkshEventWatchdog(virConnectPtr conn, virDomainPtr dom, int action, void *opaque)
{
    static const char *const actions[] = { "none", "pause", "reset", "poweroff", "shutdown",
                                           "debug", "inject-nmi" };
    g_autofree char *msg = g_strdup_printf("event 'watchdog' for domain '%s': %s\n",
                                           virDomainGetName(dom),
                                           action >= 0 && action < (int)G_N_ELEMENTS(actions)
                                           ? actions[action] : "unknown");
    (void)conn;
    vkshEventPrint(opaque, msg);
}

static void
vkshEventDeviceAlias(virConnectPtr conn, virDomainPtr dom, const char *alias, void *opaque)
{
    vkshEventData *data = opaque;
    g_autofree char *msg = g_strdup_printf("event '%s' for domain '%s': %s\n", data->name,
                                           virDomainGetName(dom), alias);
    (void)conn;
    vkshEventPrint(opaque, msg);
}

static void
vkshEventBalloon(virConnectPtr conn, virDomainPtr dom, unsigned long long actual, void *opaque)
{
    g_autofree char *msg = g_strdup_printf("event 'balloon-change' for domain '%s': %lluKiB\n",
                                           virDomainGetName(dom), actual);
    (void)conn;
    vkshEventPrint(opaque, msg);
}

static void
vkshEventTunable(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params,
                 int nparams, void *opaque)
{
    g_autoptr(GString) s = g_string_new(NULL);

    (void)conn;
    g_string_append_printf(s, "event 'tunable' for domain '%s':\n", virDomainGetName(dom));
    for (int i = 0; i < nparams; i++) {
        g_autofree char *v = vkshTypedParamValue(&params[i]);
        g_string_append_printf(s, "\t%s: %s\n", params[i].field, v);
    }
    vkshEventPrint(opaque, s->str);
}

static void
vkshEventMetadata(virConnectPtr conn, virDomainPtr dom, int type, const char *nsuri,
                  void *opaque)
{
    static const char *const types[] = { "description", "title", "element" };
    g_autofree char *msg = g_strdup_printf("event 'metadata-change' for domain '%s': "
                                           "type %s, uri %s\n", virDomainGetName(dom),
                                           type >= 0 && type < (int)G_N_ELEMENTS(types)
                                           ? types[type] : "unknown", nsuri ? nsuri : "n/a");
    (void)conn;
    vkshEventPrint(opaque, msg);
}

static void
vkshEventPMChange(virConnectPtr conn, virDomainPtr dom, int reason, void *opaque)
{
    vkshEventData *data = opaque;
    g_autofree char *msg = g_strdup_printf("event '%s' for domain '%s'\n", data->name,
                                           virDomainGetName(dom));
    (void)conn;
    (void)reason;
    vkshEventPrint(opaque, msg);
}

/* Each callback has the signature of its event ID; the generic type is
 * the API's convention, reached through void (*)(void) as C allows. */
#define VKSH_EVENT_CB(fn) ((virConnectDomainEventGenericCallback)(void (*)(void))(fn))

typedef struct {
    const char *name;
    virConnectDomainEventGenericCallback cb;   /* NULL: vksh cannot print it yet */
} vkshEventCallback;

/* In virDomainEventID order; the cast is the API's convention
 * (VIR_DOMAIN_EVENT_CALLBACK), each function has the signature of its ID. */
static const vkshEventCallback eventCallbacks[] = {
    { "lifecycle", VKSH_EVENT_CB(vkshEventLifecycle) },
    { "reboot", vkshEventGeneric },
    { "rtc-change", VKSH_EVENT_CB(vkshEventRTCChange) },
    { "watchdog", VKSH_EVENT_CB(vkshEventWatchdog) },
    { "io-error", NULL },
    { "graphics", NULL },
    { "io-error-reason", NULL },
    { "control-error", vkshEventGeneric },
    { "block-job", NULL },
    { "disk-change", NULL },
    { "tray-change", NULL },
    { "pm-wakeup", VKSH_EVENT_CB(vkshEventPMChange) },
    { "pm-suspend", VKSH_EVENT_CB(vkshEventPMChange) },
    { "balloon-change", VKSH_EVENT_CB(vkshEventBalloon) },
    { "pm-suspend-disk", VKSH_EVENT_CB(vkshEventPMChange) },
    { "device-removed", VKSH_EVENT_CB(vkshEventDeviceAlias) },
    { "block-job-2", NULL },
    { "tunable", VKSH_EVENT_CB(vkshEventTunable) },
    { "agent-lifecycle", NULL },
    { "device-added", VKSH_EVENT_CB(vkshEventDeviceAlias) },
    { "migration-iteration", NULL },
    { "job-completed", NULL },
    { "device-removal-failed", VKSH_EVENT_CB(vkshEventDeviceAlias) },
    { "metadata-change", VKSH_EVENT_CB(vkshEventMetadata) },
    { "block-threshold", NULL },
    { "memory-failure", NULL },
    { "memory-device-size-change", NULL },
};

static volatile sig_atomic_t eventInterrupted;

static void
vkshEventSigint(int sig)
{
    (void)sig;
    eventInterrupted = 1;
}

bool
cmdEvent(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *eventName = NULL, *runCmds = NULL;
    bool all = vkshOptBool(cmd, "all");
    int timeout = 0, event = -1;
    g_autoptr(virDomain) dom = NULL;
    vkshEventState st = { .ctl = ctl };
    g_autofree vkshEventData *data = NULL;
    g_autofree int *ids = NULL;
    size_t ndata = 0;
    struct sigaction sa = { 0 }, old;
    bool ret = false;
    gint64 deadline;
    enum { DONE, TIMEOUT, INTERRUPT } why = DONE;

    if (vkshOptBool(cmd, "list")) {
        for (size_t i = 0; i < G_N_ELEMENTS(eventCallbacks); i++)
            vkshPrint(ctl, "%s\n", eventCallbacks[i].name);
        return true;
    }
    if (vkshOptString(ctl, cmd, "event", &eventName) < 0)
        return false;
    if (eventName) {
        for (size_t i = 0; i < G_N_ELEMENTS(eventCallbacks); i++) {
            if (g_str_equal(eventCallbacks[i].name, eventName))
                event = (int)i;
        }
        if (event < 0) {
            vkshError(ctl, "unknown event type %s", eventName);
            return false;
        }
        if (!eventCallbacks[event].cb) {
            vkshError(ctl, "vksh cannot show '%s' events yet", eventName);
            return false;
        }
    } else if (!all) {
        vkshError(ctl, "%s", "one of --list, --all, or --event <type> is required");
        return false;
    }
    if (vkshOptTimeoutToMs(ctl, cmd, &timeout) < 0)
        return false;
    if (vkshOptString(ctl, cmd, "run", &runCmds) < 0)
        return false;
    if (vkshOptBool(cmd, "domain") && !(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;

    st.loop = vkshOptBool(cmd, "loop");
    st.timestamp = vkshOptBool(cmd, "timestamp");
    g_mutex_init(&st.lock);
    g_cond_init(&st.cond);
    data = g_new0(vkshEventData, G_N_ELEMENTS(eventCallbacks));
    ids = g_new0(int, G_N_ELEMENTS(eventCallbacks));
    for (size_t i = 0; i < G_N_ELEMENTS(eventCallbacks); i++) {
        if ((event >= 0 && (int)i != event) || !eventCallbacks[i].cb)
            continue;
        data[ndata].state = &st;
        data[ndata].name = eventCallbacks[i].name;
        ids[ndata] = virConnectDomainEventRegisterAny(ctl->conn, dom, (int)i,
                                                      eventCallbacks[i].cb, &data[ndata], NULL);
        if (ids[ndata] < 0) {
            /* --all: the first registration must work, later ones may not exist here */
            if (ndata)
                vkshResetLibvirtError();
            else
                goto cleanup;
        }
        ndata++;
    }

    if (runCmds) {
        /* virtkit's own: act while listening, for in-process hosts such as
         * test:///default where no other process can cause the events */
        vkshRunString(ctl, runCmds);
        fflush(stdout);
    }

    eventInterrupted = 0;
    sa.sa_handler = vkshEventSigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    deadline = timeout ? g_get_monotonic_time() + (gint64)timeout * 1000 : G_MAXINT64;
    g_mutex_lock(&st.lock);
    while (!st.done) {
        /* wake every 100 ms to notice ^C */
        gint64 until = MIN(deadline, g_get_monotonic_time() + 100 * 1000);
        g_cond_wait_until(&st.cond, &st.lock, until);
        if (st.done)
            break;
        if (eventInterrupted) {
            why = INTERRUPT;
            break;
        }
        if (g_get_monotonic_time() >= deadline) {
            why = TIMEOUT;
            break;
        }
    }
    g_mutex_unlock(&st.lock);
    sigaction(SIGINT, &old, NULL);

 cleanup:
    for (size_t i = 0; i < ndata; i++) {
        if (ids[i] >= 0 && virConnectDomainEventDeregisterAny(ctl->conn, ids[i]) < 0)
            ret = false;
    }
    if (ndata && ids[0] >= 0) {
        g_mutex_lock(&st.lock);
        if (why == INTERRUPT)
            vkshPrint(ctl, "%s", "event loop interrupted\n");
        else if (why == TIMEOUT)
            vkshPrint(ctl, "%s", "event loop timed out\n");
        vkshPrint(ctl, "events received: %d\n", st.count);
        ret = st.count > 0;
        g_mutex_unlock(&st.lock);
    }
    g_mutex_clear(&st.lock);
    g_cond_clear(&st.cond);
    return ret;
}
