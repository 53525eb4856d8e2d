/*
 * qemu-driver.c: the qemu plugin.  qemu:///embed?root=DIR runs in the
 * application's process with every file under DIR (libvirt's embed
 * layout: etc/qemu, run/qemu, log/qemu, cache/qemu); qemu:///system and
 * qemu:///session belong to virtkitd, which the core routes them to.
 *
 * Locking: one mutex per embed root (qemuHost.lock) guards its domains.
 * Calls that change a domain take its job first (qemuJobBegin, bounded
 * by job_wait_timeout_ms) and drop the lock across slow steps (QEMU's
 * start, waiting for it to die); queries take only the lock.  QMP events
 * and the monitor's EOF arrive on the monitor's reader thread and take
 * the lock; they act only if the monitor is still the domain's own.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include "qemu-driver.h"
#include "qemu-command.h"
#include "vk-file.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vk-file.h"
#include "vk-xml-error.h"

const virtkitPluginHost *qemuHostTable;

#define QEMU_DEFAULT_JOB_WAIT_TIMEOUT_MS 30000
/* QEMU under TCG on a loaded 2-CPU machine can take seconds to greet */
#define QEMU_MONITOR_OPEN_TIMEOUT_MS 30000
#define QEMU_MONITOR_COMMAND_TIMEOUT_MS 30000
/* libvirt waits 10 s after SIGTERM before SIGKILL */
#define QEMU_KILL_WAIT_MS 10000
/* how much of QEMU's log a start error quotes */
#define QEMU_LOG_TAIL_BYTES 1024

static GMutex qemuHostsLock;
static GHashTable *qemuHosts;            /* root -> qemuHost * (borrowed), while open */
static GPtrArray *qemuAllHosts;          /* every open host, for shutdown() */
static int qemuJobWaitTimeoutMs = QEMU_DEFAULT_JOB_WAIT_TIMEOUT_MS;

static void qemuProcessStopped(qemuHost *h, qemuDom *d, int reason);
static int qemuDomSaveStatus(qemuHost *h, qemuDom *d);

/* ======================================================================
 * Hosts and domains
 * ==================================================================== */

static qemuHost *
qemuHostRef(qemuHost *h)
{
    g_atomic_int_inc(&h->refs);
    return h;
}

static void
qemuHostUnref(qemuHost *h)
{
    if (!h || !g_atomic_int_dec_and_test(&h->refs))
        return;
    g_ptr_array_unref(h->doms);
    g_ptr_array_unref(h->conns);
    g_ptr_array_unref(h->deferredFree);
    g_mutex_clear(&h->lock);
    g_cond_clear(&h->jobCond);
    g_mutex_clear(&h->capsLock);
    g_clear_pointer(&h->caps, qemuCapsUnref);
    g_free(h->root);
    g_free(h->configDir);
    g_free(h->stateDir);
    g_free(h->logDir);
    g_free(h->cacheDir);
    g_free(h);
}

/*
 * Unlocks @h, then releases the event handles made under the lock.  A
 * handle holds a reference on its connection, and the last one may be
 * it (an application closed the connection while events were pending):
 * releasing it runs qemuConnectClose, which takes the lock.
 */
static void
qemuHostUnlock(qemuHost *h)
{
    g_autoptr(GPtrArray) handles = NULL;

    if (h->deferredFree->len) {
        handles = h->deferredFree;
        h->deferredFree = g_ptr_array_new();
    }
    g_mutex_unlock(&h->lock);
    for (guint i = 0; handles && i < handles->len; i++)
        qemuHostTable->domainFree(g_ptr_array_index(handles, i));
}

static qemuDom *
qemuDomRef(qemuDom *d)
{
    g_atomic_int_inc(&d->refs);
    return d;
}

static void
qemuDomUnref(void *p)
{
    qemuDom *d = p;

    if (!d || !g_atomic_int_dec_and_test(&d->refs))
        return;
    g_clear_pointer(&d->def, virtkitDomainDefFree);
    g_clear_pointer(&d->newDef, virtkitDomainDefFree);
    g_clear_object(&d->proc);
    g_free(d->name);
    g_free(d->monPath);
    qemuHostUnref(d->host);
    g_free(d);
}

static qemuDom *
qemuDomNew(qemuHost *h, virtkitDomainDef *def)
{
    qemuDom *d = g_new0(qemuDom, 1);

    d->refs = 1;
    d->host = qemuHostRef(h);
    d->id = -1;
    d->def = def;
    d->name = g_strdup(virtkitDomainDefGetName(def));
    virtkitDomainDefGetUUID(def, d->uuid);
    d->state = VIR_DOMAIN_SHUTOFF;
    d->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    return d;
}

static bool
qemuDomIsActive(const qemuDom *d)
{
    return d->id != -1;
}

/* The host's list takes the caller's reference. */
static void
qemuHostAddDom(qemuHost *h, qemuDom *d)
{
    g_ptr_array_add(h->doms, d);
}

static void
qemuDomRemove(qemuHost *h, qemuDom *d)
{
    d->removed = true;
    g_ptr_array_remove(h->doms, d);     /* drops the list's reference */
}

static qemuDom *
qemuDomFindUUID(qemuHost *h, const unsigned char *uuid)
{
    for (guint i = 0; i < h->doms->len; i++) {
        qemuDom *d = g_ptr_array_index(h->doms, i);
        if (memcmp(d->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return d;
    }
    return NULL;
}

static qemuDom *
qemuDomFindName(qemuHost *h, const char *name)
{
    for (guint i = 0; i < h->doms->len; i++) {
        qemuDom *d = g_ptr_array_index(h->doms, i);
        if (strcmp(d->name, name) == 0)
            return d;
    }
    return NULL;
}

static qemuDom *
qemuDomFindID(qemuHost *h, int id)
{
    for (guint i = 0; i < h->doms->len; i++) {
        qemuDom *d = g_ptr_array_index(h->doms, i);
        if (id != -1 && d->id == id)
            return d;
    }
    return NULL;
}

static qemuHost *
qemuConnHost(virConnectPtr conn)
{
    return qemuHostTable->connectGetPrivate(conn, QEMU_PLUGIN_NAME);
}

static virDomainPtr
qemuDomHandle(virConnectPtr conn, qemuDom *d)
{
    return qemuHostTable->domainNew(conn, d->name, d->uuid, d->id);
}

/* Every call on a domain handle starts here: the host locked, the domain
 * referenced; qemuDomEnd undoes it. */
static qemuDom *
qemuDomBegin(virDomainPtr dom, qemuHost **hp)
{
    qemuHost *h = qemuConnHost(qemuHostTable->domainGetConnect(dom));
    unsigned char uuid[VIR_UUID_BUFLEN];
    qemuDom *d;

    qemuHostTable->domainGetUUID(dom, uuid);
    g_mutex_lock(&h->lock);
    d = qemuDomFindUUID(h, uuid);
    if (!d) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];
        qemuHostTable->uuidFormat(uuid, uuidstr);
        qemuHostUnlock(h);
        /* libvirt's qemu driver words it so */
        QEMU_REPORT(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)", uuidstr,
                    qemuHostTable->domainGetName(dom));
        return NULL;
    }
    *hp = h;
    return qemuDomRef(d);
}

static void
qemuDomEnd(qemuHost *h, qemuDom *d)
{
    qemuHostUnlock(h);
    qemuDomUnref(d);
}

/* ======================================================================
 * Jobs
 * ==================================================================== */

static int
qemuJobWaitTimeout(void)
{
    const char *env = g_getenv("VIRTKIT_QEMU_JOB_WAIT_TIMEOUT_MS");
    guint64 v;

    if (env && virtkitParseUInt64(env, &v) && v <= G_MAXINT)
        return (int)v;
    return qemuJobWaitTimeoutMs;
}

/* With the lock held: waits (bounded) for @d's job, then holds it as @job. */
static int
qemuJobBegin(qemuHost *h, qemuDom *d, const char *job)
{
    int timeout = qemuJobWaitTimeout();
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout * 1000;

    while (d->job && !d->removed) {
        if (!g_cond_wait_until(&h->jobCond, &h->lock, deadline) && d->job) {
            QEMU_REPORT(VIR_ERR_OPERATION_TIMEOUT,
                        "cannot acquire the job for '%s' on domain '%s': it is held by job "
                        "'%s' (%" G_GINT64_FORMAT " ms so far); gave up after "
                        "job_wait_timeout_ms=%d", job, d->name, d->job,
                        (g_get_monotonic_time() - d->jobSinceMono) / 1000, timeout);
            return -1;
        }
    }
    if (d->removed) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];
        qemuHostTable->uuidFormat(d->uuid, uuidstr);
        QEMU_REPORT(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)", uuidstr,
                    d->name);
        return -1;
    }
    d->job = job;
    d->jobSinceMono = g_get_monotonic_time();
    return 0;
}

static void
qemuJobEnd(qemuHost *h, qemuDom *d)
{
    d->job = NULL;
    g_cond_broadcast(&h->jobCond);
}

/* ======================================================================
 * Events: once per open connection of the root
 * ==================================================================== */

static void
qemuEmit(qemuHost *h, qemuDom *d, const virtkitDomainEvent *ev)
{
    virDomainPtr handle = NULL;

    for (guint i = 0; i < h->conns->len; i++) {
        virConnectPtr c = g_ptr_array_index(h->conns, i);
        if (!qemuHostTable->domainEventWanted(c, ev->event_id))
            continue;
        /* the core copies name, UUID and id: one handle serves them all.
         * None is made on a connection already closing (its close waits
         * for our lock): it gets no event, the others still do. */
        if (!handle && !(handle = qemuDomHandle(c, d)))
            continue;
        qemuHostTable->domainEventEmit(c, handle, ev);
    }
    /* not here: see qemuHostUnlock */
    if (handle)
        g_ptr_array_add(h->deferredFree, handle);
}

static void
qemuEmitLifecycle(qemuHost *h, qemuDom *d, int event, int detail)
{
    virtkitDomainEvent ev = { .struct_size = sizeof(ev),
                              .event_id = VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                              .event = event, .detail = detail };
    qemuEmit(h, d, &ev);
}

/* ======================================================================
 * Files
 * ==================================================================== */

static bool
qemuWriteFile(const char *path, const char *text, const char *what)
{
    g_autoptr(GError) err = NULL;

    if (!g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &err)) {
        QEMU_REPORT(VIR_ERR_OPERATION_FAILED, "cannot write the %s file '%s': %s", what, path,
                    err->message);
        return false;
    }
    return true;
}

static char *
qemuConfigPath(qemuHost *h, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".xml", NULL);
    return g_build_filename(h->configDir, file, NULL);
}

static char *
qemuStatusPath(qemuHost *h, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".xml", NULL);
    return g_build_filename(h->stateDir, file, NULL);
}

static char *
qemuLogPath(qemuHost *h, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".log", NULL);
    return g_build_filename(h->logDir, file, NULL);
}

static int
qemuDomSaveConfig(qemuHost *h, const virtkitDomainDef *def)
{
    g_autofree char *path = qemuConfigPath(h, virtkitDomainDefGetName(def));
    g_autofree char *xml = virtkitDomainDefFormat(def, VIR_DOMAIN_XML_SECURE);

    return qemuWriteFile(path, xml, "domain configuration") ? 0 : -1;
}

static const char *
qemuStateName(int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING: return "running";
    case VIR_DOMAIN_BLOCKED: return "blocked";
    case VIR_DOMAIN_PAUSED: return "paused";
    case VIR_DOMAIN_SHUTDOWN: return "shutdown";
    case VIR_DOMAIN_SHUTOFF: return "shutoff";
    case VIR_DOMAIN_CRASHED: return "crashed";
    case VIR_DOMAIN_PMSUSPENDED: return "pmsuspended";
    default: return "nostate";
    }
}

static int
qemuStateFromName(const char *name)
{
    for (int s = VIR_DOMAIN_NOSTATE; s <= VIR_DOMAIN_PMSUSPENDED; s++) {
        if (g_strcmp0(qemuStateName(s), name) == 0)
            return s;
    }
    return VIR_DOMAIN_NOSTATE;
}

/*
 * The live status, NAME.xml in run/qemu: what a later open of the root
 * needs to find the guest again without touching it.
 *
 *   <domstatus state='running' reason='1' pid='1234' starttime='56789' id='1'
 *              persistent='1'>
 *     <monitor path='ROOT/run/qemu/NAME.monitor' type='unix'/>
 *     <domain type='qemu' id='1'>...</domain>
 *   </domstatus>
 */
static int
qemuDomSaveStatus(qemuHost *h, qemuDom *d)
{
    g_autofree char *path = qemuStatusPath(h, d->name);
    g_autofree char *dom = virtkitDomainDefFormatID(d->def, VIR_DOMAIN_XML_SECURE, d->id);
    g_autofree char *mon = g_markup_printf_escaped("%s", d->monPath ? d->monPath : "");
    g_autoptr(GString) s = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(dom, "\n", -1);

    g_string_append_printf(s, "<domstatus state='%s' reason='%d' pid='%d' starttime='%"
                           G_GUINT64_FORMAT "' id='%d' persistent='%d'>\n",
                           qemuStateName(d->state), d->reason, (int)d->pid, d->startTime, d->id,
                           d->persistent ? 1 : 0);
    g_string_append_printf(s, "  <monitor path='%s' type='unix'/>\n", mon);
    for (char **l = lines; *l; l++) {
        if (**l)
            g_string_append_printf(s, "  %s\n", *l);
    }
    g_string_append(s, "</domstatus>\n");
    return qemuWriteFile(path, s->str, "domain status") ? 0 : -1;
}

static void
qemuDomRemoveStatus(qemuHost *h, qemuDom *d)
{
    g_autofree char *path = qemuStatusPath(h, d->name);

    if (g_unlink(path) < 0 && errno != ENOENT)
        qemuHostTable->log(VIRTKIT_LOG_WARN, "qemu", __FILE__, __LINE__, __func__,
                           "cannot remove '%s': %s", path, g_strerror(errno));
}

/* ======================================================================
 * Processes
 * ==================================================================== */

/* /proc/PID/stat: the process's state letter and start time (field 22,
 * clock ticks since boot); false when there is no such process. */
static bool
qemuProcStat(GPid pid, char *state, guint64 *starttime, guint64 *cputicks)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *text = NULL;
    g_auto(GStrv) f = NULL;
    const char *p;

    if (pid <= 0 || !g_file_get_contents(path, &text, NULL, NULL))
        return false;
    /* the command name may hold spaces and parentheses: start after the last ')' */
    if (!(p = strrchr(text, ')')))
        return false;
    f = g_strsplit(p + 2, " ", 0);
    /* f[0] is field 3 (state), f[11] field 14 (utime), f[12] stime, f[19] starttime */
    if (g_strv_length(f) < 20)
        return false;
    if (state)
        *state = f[0][0];
    if (starttime)
        *starttime = g_ascii_strtoull(f[19], NULL, 10);
    if (cputicks)
        *cputicks = g_ascii_strtoull(f[11], NULL, 10) + g_ascii_strtoull(f[12], NULL, 10);
    return true;
}

/* Whether @pid is still the QEMU that started at @starttime (a reused pid
 * is not), and not yet a zombie. */
static bool
qemuProcAlive(GPid pid, guint64 starttime)
{
    char st = 0;
    guint64 t = 0;

    if (!qemuProcStat(pid, &st, &t, NULL))
        return false;
    return st != 'Z' && st != 'X' && (starttime == 0 || t == starttime);
}

static void
qemuProcSignal(GPid pid, guint64 starttime, int sig)
{
    if (qemuProcAlive(pid, starttime))
        kill(pid, sig);
}

/* Polls (1 ms, growing to 20 ms) until @pid is gone or @ms pass. */
static bool
qemuProcWaitGone(GPid pid, guint64 starttime, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    gulong step = 1000;

    while (qemuProcAlive(pid, starttime)) {
        if (g_get_monotonic_time() > deadline)
            return false;
        g_usleep(step);
        step = MIN(step * 2, 20000);
    }
    return true;
}

static const char *
qemuFindBinary(void)
{
    static char *found;
    const char *env = g_getenv("VIRTKIT_QEMU_BINARY");

    if (env && *env)
        return env;
    if (!found)
        found = g_find_program_in_path("qemu-system-x86_64");
    return found;
}

/* The last @max bytes of @path from @offset on, whole lines, trimmed. */
static char *
qemuLogTail(const char *path, goffset offset)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    const char *start;

    if (!g_file_get_contents(path, &text, &len, NULL) || (gsize)offset > len)
        return g_strdup("");
    start = text + offset;
    if (strlen(start) > QEMU_LOG_TAIL_BYTES) {
        start += strlen(start) - QEMU_LOG_TAIL_BYTES;
        if (strchr(start, '\n'))
            start = strchr(start, '\n') + 1;
    }
    return g_strstrip(g_strdup(start));
}

/*
 * The command line from qemu-command.c, with one change: the builder has
 * QEMU create the monitor socket at a path, and we hand QEMU a socket we
 * already listen on as fd 3 instead (as libvirt does), so the monitor can
 * be connected at once, before QEMU is up, without polling for the path.
 */
static GStrv
qemuBuildArgv(qemuHost *h, const char *binary, qemuDom *d, const char *monPath)
{
    qemuCommandOptions opts = {
        .binary = binary,
        /* KVM does not run guests on these machines; the probe that would
         * say so for real is not written yet: TCG always */
        .kvm = FALSE,
        .monitor_path = monPath,
        .socket_dir = h->stateDir,
        /* as libvirt: a guest's power-off stops QEMU rather than ending it,
         * so a reboot can reset it; the SHUTDOWN handler ends it otherwise */
        .no_shutdown = TRUE,
    };
    g_autoptr(GError) err = NULL;
    GStrv argv = qemuBuildCommandLine(d->def, &opts, &err);
    bool replaced = false;

    if (!argv) {
        int code = err->domain == VIRTKIT_CONF_ERROR && err->code > 0 ? err->code :
                   VIR_ERR_CONFIG_UNSUPPORTED;
        QEMU_REPORT(code, "cannot start domain '%s': %s", d->name, err->message);
        return NULL;
    }
    for (char **a = argv; *a && a[1]; a++) {
        if (strcmp(*a, "-chardev") == 0 && g_str_has_prefix(a[1], "socket,id=charmonitor,")) {
            g_free(a[1]);
            a[1] = g_strdup("socket,id=charmonitor,fd=3,server=on,wait=off");
            replaced = true;
        }
    }
    if (!replaced) {
        QEMU_REPORT(VIR_ERR_INTERNAL_ERROR,
                    "the QEMU command line of domain '%s' has no '-chardev socket,id=charmonitor'",
                    d->name);
        g_strfreev(argv);
        return NULL;
    }
    return argv;
}

/* A unix socket bound at @path and listening; -1 with an error reported. */
static int
qemuListenUnix(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        QEMU_REPORT(VIR_ERR_CONFIG_UNSUPPORTED,
                    "the monitor socket path '%s' is %zu bytes long, over the limit of %zu "
                    "for a unix socket: use a shorter embed root", path, strlen(path),
                    sizeof(sa.sun_path) - 1);
        return -1;
    }
    strcpy(sa.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        QEMU_REPORT(VIR_ERR_SYSTEM_ERROR, "cannot create a unix socket: %s", g_strerror(errno));
        return -1;
    }
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
        QEMU_REPORT(VIR_ERR_SYSTEM_ERROR, "cannot listen on the monitor socket '%s': %s", path,
                    g_strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int
qemuConnectUnix(const char *path, GError **error)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "monitor socket path '%s' is too long", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e),
                    "cannot connect to the monitor socket '%s': %s", path, g_strerror(e));
        return -1;
    }
    return fd;
}

/* ---- monitor callbacks (reader thread) ---------------------------------- */

/* With the lock held: @mon, @d's monitor, has ended. */
static void
qemuHandleEOFLocked(qemuHost *h, qemuDom *d, qemuMonitor *mon)
{
    bool shutdown = d->gotShutdown;

    if (h->closed || d->mon != mon)
        return;
    d->mon = NULL;
    qemuMonitorClose(mon);
    if (d->beingDestroyed)
        return;
    /* libvirt's processMonitorEOFEvent: a SHUTDOWN first means the guest
     * powered off, anything else a crash */
    qemuHostTable->log(VIRTKIT_LOG_INFO, "qemu", __FILE__, __LINE__, __func__,
                       "QEMU of domain '%s' (pid %d) closed its monitor%s", d->name,
                       (int)d->pid, shutdown ? " after SHUTDOWN" : ": crashed");
    qemuProcSignal(d->pid, d->startTime, SIGKILL);
    qemuDomRef(d);
    qemuProcessStopped(h, d, shutdown ? VIR_DOMAIN_SHUTOFF_SHUTDOWN : VIR_DOMAIN_SHUTOFF_CRASHED);
    qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_STOPPED,
                      shutdown ? VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN :
                                 VIR_DOMAIN_EVENT_STOPPED_FAILED);
    if (!d->persistent && !d->removed)
        qemuDomRemove(h, d);
    qemuDomUnref(d);
}

static void
qemuHandleEOF(qemuMonitor *mon, void *opaque)
{
    qemuDom *d = opaque;
    qemuHost *h = d->host;

    g_mutex_lock(&h->lock);
    qemuHandleEOFLocked(h, d, mon);
    qemuHostUnlock(h);
}

/*
 * The second half of virDomainReboot, once the guest has powered off:
 * 'system_reset' and 'cont' under the domain's job, the domain running
 * (booted) again.  If QEMU refuses, it is killed, as libvirt does; its
 * EOF then stops the domain (reason shutdown: the guest did power off).
 */
static gpointer
qemuFakeRebootThread(gpointer opaque)
{
    qemuDom *d = opaque;
    qemuHost *h = d->host;
    qemuMonitor *mon;

    g_autoptr(GError) err = NULL;
    JsonNode *r = NULL;

    g_mutex_lock(&h->lock);
    if (qemuJobBegin(h, d, "reboot") < 0) {
        /* the job's holder (a destroy, say) decides the domain's fate */
        qemuHostTable->log(VIRTKIT_LOG_WARN, "qemu", __FILE__, __LINE__, __func__,
                           "domain '%s': no reset after the guest's power-off for the reboot: "
                           "its job is busy", d->name);
        goto out;
    }
    mon = d->mon;
    if (h->closed || !mon || !d->fakeReboot)
        goto endjob;
    /* the EOF handler may close the monitor meanwhile: the commands fail then */
    qemuMonitorRef(mon);
    qemuHostUnlock(h);
    if ((r = qemuMonitorCommand(mon, "system_reset", NULL, QEMU_MONITOR_COMMAND_TIMEOUT_MS, &err))) {
        json_node_unref(r);
        r = qemuMonitorCommand(mon, "cont", NULL, QEMU_MONITOR_COMMAND_TIMEOUT_MS, &err);
    }
    qemuMonitorUnref(mon);
    g_mutex_lock(&h->lock);
    if (!r) {
        qemuHostTable->log(VIRTKIT_LOG_WARN, "qemu", __FILE__, __LINE__, __func__,
                           "domain '%s': the reboot's reset failed, killing QEMU (pid %d): %s",
                           d->name, (int)d->pid, err->message);
        if (d->mon == mon)
            qemuProcSignal(d->pid, d->startTime, SIGKILL);
        goto endjob;
    }
    json_node_unref(r);
    if (d->mon == mon && qemuDomIsActive(d)) {
        d->fakeReboot = false;
        d->gotShutdown = false;
        d->state = VIR_DOMAIN_RUNNING;
        d->reason = VIR_DOMAIN_RUNNING_BOOTED;
        qemuDomSaveStatus(h, d);
    }
 endjob:
    qemuJobEnd(h, d);
 out:
    qemuHostUnlock(h);
    qemuDomUnref(d);
    return NULL;
}

/* From the monitor's reader thread, with the lock held. */
static void
qemuFakeRebootLater(qemuDom *d)
{
    g_autoptr(GError) err = NULL;
    GThread *t = g_thread_try_new("qemu-reboot", qemuFakeRebootThread, qemuDomRef(d), &err);

    if (t) {
        g_thread_unref(t);
        return;
    }
    qemuHostTable->log(VIRTKIT_LOG_WARN, "qemu", __FILE__, __LINE__, __func__,
                       "domain '%s': cannot start the reboot's reset (%s): killing QEMU",
                       d->name, err->message);
    qemuProcSignal(d->pid, d->startTime, SIGKILL);
    qemuDomUnref(d);
}

/* libvirt's qemuDomainPausedReasonToSuspendedEvent. */
static int
qemuSuspendedDetail(int reason)
{
    switch (reason) {
    case VIR_DOMAIN_PAUSED_MIGRATION: return VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED;
    case VIR_DOMAIN_PAUSED_FROM_SNAPSHOT: return VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT;
    case VIR_DOMAIN_PAUSED_POSTCOPY_FAILED: return VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED;
    case VIR_DOMAIN_PAUSED_POSTCOPY: return VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY;
    default: return VIR_DOMAIN_EVENT_SUSPENDED_PAUSED;
    }
}

static void
qemuHandleEvent(qemuMonitor *mon, const char *name, JsonObject *data, void *opaque)
{
    qemuDom *d = opaque;
    qemuHost *h = d->host;

    g_mutex_lock(&h->lock);
    if (h->closed || d->mon != mon)
        goto out;
    qemuHostTable->log(VIRTKIT_LOG_DEBUG, "qemu", __FILE__, __LINE__, __func__,
                       "domain '%s': QMP event %s", d->name, name);
    if (strcmp(name, "STOP") == 0) {
        /* the STOP -no-shutdown makes QEMU send after SHUTDOWN changes
         * nothing (libvirt: pausedShutdown) */
        if (d->state == VIR_DOMAIN_RUNNING && !d->gotShutdown) {
            int reason = d->gotShutdown ? VIR_DOMAIN_PAUSED_SHUTTING_DOWN :
                         d->pausedReason ? d->pausedReason : VIR_DOMAIN_PAUSED_UNKNOWN;
            d->state = VIR_DOMAIN_PAUSED;
            d->reason = reason;
            qemuDomSaveStatus(h, d);
            qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_SUSPENDED, qemuSuspendedDetail(reason));
        }
    } else if (strcmp(name, "RESUME") == 0) {
        if (d->state != VIR_DOMAIN_RUNNING && d->state != VIR_DOMAIN_SHUTDOWN) {
            d->state = VIR_DOMAIN_RUNNING;
            d->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
            qemuDomSaveStatus(h, d);
            qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
        }
    } else if (strcmp(name, "SHUTDOWN") == 0) {
        int detail = VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED;

        if (data && json_object_has_member(data, "guest"))
            detail = json_object_get_boolean_member(data, "guest") ?
                     VIR_DOMAIN_EVENT_SHUTDOWN_GUEST : VIR_DOMAIN_EVENT_SHUTDOWN_HOST;
        d->gotShutdown = true;
        if (d->fakeReboot) {
            /* virDomainReboot: as libvirt's fake reboot, no state change and
             * no lifecycle event; QEMU (stopped by -no-shutdown) is reset
             * and continued by a worker, as no monitor command may be sent
             * from this thread */
            qemuFakeRebootLater(d);
            goto out;
        }
        if (d->state != VIR_DOMAIN_SHUTDOWN) {
            d->state = VIR_DOMAIN_SHUTDOWN;
            d->reason = VIR_DOMAIN_SHUTDOWN_UNKNOWN;
            qemuDomSaveStatus(h, d);
            qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_SHUTDOWN, detail);
        }
        /* on_poweroff destroy (the only action so far): a QEMU told not to
         * exit by itself is told now; its EOF then stops the domain */
        qemuProcSignal(d->pid, d->startTime, SIGTERM);
    } else if (strcmp(name, "RESET") == 0) {
        virtkitDomainEvent ev = { .struct_size = sizeof(ev),
                                  .event_id = VIR_DOMAIN_EVENT_ID_REBOOT };
        qemuEmit(h, d, &ev);
    } else if (strcmp(name, "DEVICE_DELETED") == 0) {
        const char *alias = data ? json_object_get_string_member_with_default(data, "device", NULL)
                                 : NULL;
        if (alias) {
            virtkitDomainEvent ev = { .struct_size = sizeof(ev),
                                      .event_id = VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                      .str1 = alias };
            qemuEmit(h, d, &ev);
        }
    }
    /* POWERDOWN (ACPI button pressed), BLOCK_JOB_* and JOB_STATUS_CHANGE
     * carry nothing a domain without block jobs acts on yet: logged above. */
 out:
    qemuHostUnlock(h);
}

static const qemuMonitorCallbacks qemuMonitorCbs = {
    .event = qemuHandleEvent,
    .eof = qemuHandleEOF,
};

/*
 * With the lock and @d's job held: what stopping leaves behind.  The
 * domain is inactive after; a transient one is the caller's to remove.
 */
static void
qemuProcessStopped(qemuHost *h, qemuDom *d, int reason)
{
    if (d->mon) {
        qemuMonitorClose(d->mon);
        d->mon = NULL;
    }
    qemuDomRemoveStatus(h, d);
    if (d->monPath)
        unlink(d->monPath);
    g_clear_pointer(&d->monPath, g_free);
    g_clear_object(&d->proc);
    d->pid = 0;
    d->startTime = 0;
    d->id = -1;
    d->state = VIR_DOMAIN_SHUTOFF;
    d->reason = reason;
    d->gotShutdown = false;
    d->fakeReboot = false;
    d->beingDestroyed = false;
    d->pausedReason = 0;
    d->autodestroyConn = NULL;
    if (d->newDef) {
        virtkitDomainDefFree(d->def);
        d->def = g_steal_pointer(&d->newDef);
    }
}

/*
 * With the lock and @d's job held; drops the lock while QEMU starts.
 * Spawns QEMU paused, speaks QMP, and (unless @paused) lets the CPUs run.
 * Emits libvirt's qemu driver's events for a start.
 */
static int
qemuProcessStart(qemuHost *h, qemuDom *d, bool paused, virConnectPtr autodestroy)
{
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) argv = NULL;
    g_autofree char *monPath = NULL;
    g_autofree char *logPath = qemuLogPath(h, d->name);
    g_autofree char *cmdline = NULL;
    g_autofree char *header = NULL;
    const char *binary = qemuFindBinary();
    qemuMonitor *mon = NULL;
    GPid pid = 0;
    guint64 startTime = 0;
    int lfd = -1, logfd = -1, cfd;
    goffset logStart;

    if (!binary) {
        QEMU_REPORT(VIR_ERR_CONFIG_UNSUPPORTED,
                    "cannot start domain '%s': no QEMU binary: 'qemu-system-x86_64' is not in "
                    "PATH and VIRTKIT_QEMU_BINARY is not set", d->name);
        return -1;
    }
    {
        g_autofree char *file = g_strconcat(d->name, ".monitor", NULL);
        monPath = g_build_filename(h->stateDir, file, NULL);
    }
    if ((lfd = qemuListenUnix(monPath)) < 0)
        return -1;
    if (!(argv = qemuBuildArgv(h, binary, d, monPath))) {
        close(lfd);
        unlink(monPath);
        return -1;
    }
    logfd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logfd < 0) {
        QEMU_REPORT(VIR_ERR_SYSTEM_ERROR, "cannot open the log file '%s' of domain '%s': %s",
                    logPath, d->name, g_strerror(errno));
        close(lfd);
        return -1;
    }
    cmdline = g_strjoinv(" ", argv);
    {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *when = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%f");
        header = g_strdup_printf("%.23s+0000: starting up\n%s\n", when, cmdline);
    }
    logStart = lseek(logfd, 0, SEEK_END);
    if (write(logfd, header, strlen(header)) < 0) {
        /* the log is for people; QEMU still starts */
    }
    logStart += (goffset)strlen(header);

    launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
    g_subprocess_launcher_take_stdout_fd(launcher, dup(logfd));
    g_subprocess_launcher_take_stderr_fd(launcher, logfd);
    g_subprocess_launcher_take_fd(launcher, lfd, 3);

    d->beingDestroyed = false;
    d->gotShutdown = false;
    d->fakeReboot = false;
    qemuHostUnlock(h);

    proc = g_subprocess_launcher_spawnv(launcher, (const char *const *)argv, &err);
    /* closes our copies of the log and of the listening socket */
    g_clear_object(&launcher);
    if (!proc) {
        g_mutex_lock(&h->lock);
        QEMU_REPORT(VIR_ERR_OPERATION_FAILED, "cannot start QEMU '%s' for domain '%s': %s",
                    binary, d->name, err->message);
        unlink(monPath);
        return -1;
    }
    pid = (GPid)g_ascii_strtoll(g_subprocess_get_identifier(proc), NULL, 10);
    qemuProcStat(pid, NULL, &startTime, NULL);

    /* connects at once: the socket listens already; QEMU greets when up */
    cfd = qemuConnectUnix(monPath, &err);
    if (cfd >= 0)
        mon = qemuMonitorOpen(cfd, monPath, QEMU_MONITOR_OPEN_TIMEOUT_MS, 0, &qemuMonitorCbs,
                              qemuDomRef(d), qemuDomUnref, &err);
    if (mon && !paused) {
        g_autoptr(JsonNode) r = qemuMonitorCommand(mon, "cont", NULL,
                                                   QEMU_MONITOR_COMMAND_TIMEOUT_MS, &err);
        if (!r)
            g_clear_pointer(&mon, qemuMonitorClose);
    }
    if (!mon) {
        g_autofree char *tail = NULL;

        /* QEMU has written its last words by the time the socket closed */
        g_subprocess_force_exit(proc);
        g_subprocess_wait(proc, NULL, NULL);
        tail = qemuLogTail(logPath, logStart);
        g_mutex_lock(&h->lock);
        unlink(monPath);
        /* libvirt's words, with QEMU's own message from its log */
        QEMU_REPORT(VIR_ERR_INTERNAL_ERROR, "QEMU unexpectedly closed the monitor (vm='%s'): %s",
                    d->name, *tail ? tail : err->message);
        return -1;
    }

    g_mutex_lock(&h->lock);
    d->proc = g_steal_pointer(&proc);
    d->pid = pid;
    d->startTime = startTime;
    d->monPath = g_steal_pointer(&monPath);
    d->mon = mon;
    d->id = h->nextId++;
    d->autodestroyConn = autodestroy;
    if (paused) {
        d->state = VIR_DOMAIN_PAUSED;
        d->reason = VIR_DOMAIN_PAUSED_USER;
    } else {
        d->state = VIR_DOMAIN_RUNNING;
        d->reason = VIR_DOMAIN_RUNNING_BOOTED;
    }
    qemuDomSaveStatus(h, d);
    /* libvirt's order: the RESUME of 'cont' while starting, then STARTED;
     * a paused start is STARTED then SUSPENDED */
    if (!paused)
        qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (paused)
        qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    /* QEMU may have died between 'cont' and here, its EOF ignored because
     * the monitor was not yet the domain's: handle it now */
    if (qemuMonitorGotEOF(mon))
        qemuHandleEOFLocked(h, d, mon);
    return 0;
}

/*
 * With the lock and @d's job held; drops the lock while waiting.  SIGTERM,
 * then (unless @graceful) SIGKILL after QEMU_KILL_WAIT_MS.  Returns 0 when
 * QEMU is gone, -1 with an error reported.
 */
static int
qemuProcessKill(qemuHost *h, qemuDom *d, bool graceful)
{
    GPid pid = d->pid;
    guint64 st = d->startTime;
    bool gone;

    d->beingDestroyed = true;
    /* no EOF handling for what we do on purpose */
    if (d->mon) {
        qemuMonitorClose(d->mon);
        d->mon = NULL;
    }
    qemuHostUnlock(h);
    qemuProcSignal(pid, st, SIGTERM);
    gone = qemuProcWaitGone(pid, st, QEMU_KILL_WAIT_MS);
    if (!gone && !graceful) {
        qemuProcSignal(pid, st, SIGKILL);
        gone = qemuProcWaitGone(pid, st, QEMU_KILL_WAIT_MS);
    }
    g_mutex_lock(&h->lock);
    if (!gone) {
        /* libvirt's words for the same failure */
        QEMU_REPORT_FROM(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                         "Failed to terminate process %d with SIG%s: %s", (int)pid,
                         graceful ? "TERM" : "KILL", g_strerror(EBUSY));
        return -1;
    }
    return 0;
}

/* ======================================================================
 * Opening an embed root; reconnecting to its running guests
 * ==================================================================== */

static virtkitDomainDef *
qemuParseXML(const char *xml, unsigned int parseFlags)
{
    g_autoptr(GError) error = NULL;
    virtkitDomainDef *def = virtkitDomainDefParseString(xml, NULL, parseFlags, &error);

    if (!def) {
        int from = VIR_FROM_DOMAIN;
        int code = virtkitConfErrorCode(error, &from);

        QEMU_REPORT_FROM(from, code, "%s", error ? error->message : "unknown error");
        return NULL;
    }
    return def;
}

/* The domain types this plugin runs. */
static int
qemuCheckDefType(const virtkitDomainDef *def)
{
    const char *type = virtkitDomainDefGetType(def);

    if (g_strcmp0(type, "qemu") != 0 && g_strcmp0(type, "kvm") != 0) {
        QEMU_REPORT(VIR_ERR_CONFIG_UNSUPPORTED,
                    "domain '%s' has type '%s': the qemu plugin runs types 'qemu' and 'kvm'",
                    virtkitDomainDefGetName(def), type ? type : "");
        return -1;
    }
    return 0;
}

static void
qemuHostLoadConfigs(qemuHost *h)
{
    g_autoptr(GDir) dir = g_dir_open(h->configDir, 0, NULL);
    const char *f;

    while (dir && (f = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        g_autofree char *xml = NULL;
        virtkitDomainDef *def;
        qemuDom *d;

        if (!g_str_has_suffix(f, ".xml"))
            continue;
        path = g_build_filename(h->configDir, f, NULL);
        if (!vkFileReadBounded(path, VIRTKIT_XML_DEFAULT_MAX_SIZE, &xml, NULL, NULL, NULL))
            continue;
        if (!(def = qemuParseXML(xml, 0))) {
            qemuHostTable->log(VIRTKIT_LOG_WARN, "qemu", __FILE__, __LINE__, __func__,
                               "skipping the configuration '%s': it does not parse", path);
            continue;
        }
        d = qemuDomNew(h, def);
        d->persistent = true;
        qemuHostAddDom(h, d);
    }
}

static char *
qemuXmlAttr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *ret = v ? g_strdup((const char *)v) : NULL;

    xmlFree(v);
    return ret;
}

/*
 * One status file: a guest started by an earlier open of this root (this
 * process or another).  If its QEMU still runs (same pid, same start
 * time), its monitor is connected again and the guest is left as it is;
 * otherwise the domain is shut off and the status removed.
 */
static void
qemuHostReconnectOne(qemuHost *h, const char *path)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    xmlDocPtr doc = NULL;
    vkXmlErrors xerr;
    xmlNodePtr root, n;
    g_autofree char *state = NULL, *reason = NULL, *pid = NULL, *st = NULL, *id = NULL;
    g_autofree char *persistent = NULL, *monPath = NULL;
    g_autofree char *domxml = NULL;
    g_autoptr(GError) err = NULL;
    virtkitDomainDef *def = NULL;
    qemuDom *d;
    int cfd;

    /* bounded whatever the file is; parsed with libxml2's errors kept off
     * the application's stderr */
    if (!vkFileReadBounded(path, 16 * 1024 * 1024, &text, &len, NULL, NULL))
        return;
    vkXmlErrorsBegin(&xerr);
    doc = vkXmlReadMemory(&xerr, text, (int)len, 0);
    vkXmlErrorsEnd(&xerr);
    if (!doc || !(root = xmlDocGetRootElement(doc)) ||
        !xmlStrEqual(root->name, (const xmlChar *)"domstatus"))
        goto bad;
    state = qemuXmlAttr(root, "state");
    reason = qemuXmlAttr(root, "reason");
    pid = qemuXmlAttr(root, "pid");
    st = qemuXmlAttr(root, "starttime");
    id = qemuXmlAttr(root, "id");
    persistent = qemuXmlAttr(root, "persistent");
    for (n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, (const xmlChar *)"monitor")) {
            g_free(monPath);
            monPath = qemuXmlAttr(n, "path");
        } else if (xmlStrEqual(n->name, (const xmlChar *)"domain") && !domxml) {
            xmlBufferPtr buf = xmlBufferCreate();
            vkXmlErrorsBegin(&xerr);
            xmlNodeDump(buf, doc, n, 0, 0);
            vkXmlErrorsEnd(&xerr);
            domxml = g_strdup((const char *)xmlBufferContent(buf));
            xmlBufferFree(buf);
        }
    }
    if (!domxml || !monPath || !pid || !(def = qemuParseXML(domxml, 0)))
        goto bad;

    {
        unsigned char uuid[VIR_UUID_BUFLEN];
        virtkitDomainDefGetUUID(def, uuid);
        d = qemuDomFindUUID(h, uuid);
    }
    if (d) {
        /* the running definition; the config read from etc/ stays the config */
        d->newDef = d->def;
        d->def = def;
    } else {
        d = qemuDomNew(h, def);
        d->persistent = g_strcmp0(persistent, "1") == 0;
        qemuHostAddDom(h, d);
    }
    d->pid = (GPid)g_ascii_strtoll(pid, NULL, 10);
    d->startTime = st ? g_ascii_strtoull(st, NULL, 10) : 0;
    d->monPath = g_strdup(monPath);
    d->id = id ? (int)g_ascii_strtoll(id, NULL, 10) : h->nextId;
    d->state = qemuStateFromName(state);
    d->reason = reason ? (int)g_ascii_strtoll(reason, NULL, 10) : 0;
    h->nextId = MAX(h->nextId, d->id + 1);

    if (!qemuProcAlive(d->pid, d->startTime)) {
        qemuHostTable->log(VIRTKIT_LOG_INFO, "qemu", __FILE__, __LINE__, __func__,
                           "domain '%s': QEMU (pid %d) is gone", d->name, (int)d->pid);
        goto gone;
    }
    cfd = qemuConnectUnix(d->monPath, &err);
    if (cfd < 0 ||
        !(d->mon = qemuMonitorOpen(cfd, d->monPath, QEMU_MONITOR_OPEN_TIMEOUT_MS, 0,
                                   &qemuMonitorCbs, qemuDomRef(d), qemuDomUnref, &err))) {
        qemuHostTable->log(VIRTKIT_LOG_WARN, "qemu", __FILE__, __LINE__, __func__,
                           "domain '%s': cannot reconnect to QEMU (pid %d): %s", d->name,
                           (int)d->pid, err ? err->message : "?");
        goto gone;
    }
    {
        g_autoptr(JsonNode) r = qemuMonitorCommand(d->mon, "query-status", NULL,
                                                   QEMU_MONITOR_COMMAND_TIMEOUT_MS, NULL);
        JsonObject *o = r && JSON_NODE_HOLDS_OBJECT(r) ? json_node_get_object(r) : NULL;

        /* what happened while nobody watched */
        if (o && g_strcmp0(json_object_get_string_member_with_default(o, "status", NULL),
                           "shutdown") == 0) {
            /* the guest powered off while nobody watched (-no-shutdown kept
             * QEMU): end it now; its EOF stops the domain, reason shutdown */
            d->gotShutdown = true;
            d->state = VIR_DOMAIN_SHUTDOWN;
            d->reason = VIR_DOMAIN_SHUTDOWN_UNKNOWN;
            qemuProcSignal(d->pid, d->startTime, SIGTERM);
        } else if (o) {
            gboolean running = json_object_get_boolean_member_with_default(o, "running", FALSE);
            if (running && d->state != VIR_DOMAIN_RUNNING) {
                d->state = VIR_DOMAIN_RUNNING;
                d->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
            } else if (!running && d->state == VIR_DOMAIN_RUNNING) {
                d->state = VIR_DOMAIN_PAUSED;
                d->reason = VIR_DOMAIN_PAUSED_UNKNOWN;
            }
        }
    }
    xmlFreeDoc(doc);
    return;

 gone:
    qemuProcessStopped(h, d, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    if (!d->persistent)
        qemuDomRemove(h, d);
    xmlFreeDoc(doc);
    return;

 bad:
    qemuHostTable->log(VIRTKIT_LOG_WARN, "qemu", __FILE__, __LINE__, __func__,
                       "skipping the status file '%s': it does not parse", path);
    if (doc)
        xmlFreeDoc(doc);
}

static void
qemuHostReconnect(qemuHost *h)
{
    g_autoptr(GDir) dir = g_dir_open(h->stateDir, 0, NULL);
    const char *f;

    while (dir && (f = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;

        if (!g_str_has_suffix(f, ".xml"))
            continue;
        path = g_build_filename(h->stateDir, f, NULL);
        qemuHostReconnectOne(h, path);
    }
}

static qemuHost *
qemuHostOpen(const char *root)
{
    qemuHost *h = g_new0(qemuHost, 1);
    const char *dirs[4];

    h->refs = 1;
    h->root = g_strdup(root);
    h->configDir = g_build_filename(root, "etc", "qemu", NULL);
    h->stateDir = g_build_filename(root, "run", "qemu", NULL);
    h->logDir = g_build_filename(root, "log", "qemu", NULL);
    h->cacheDir = g_build_filename(root, "cache", "qemu", NULL);
    g_mutex_init(&h->lock);
    g_cond_init(&h->jobCond);
    g_mutex_init(&h->capsLock);
    h->doms = g_ptr_array_new_with_free_func(qemuDomUnref);
    h->conns = g_ptr_array_new();
    h->deferredFree = g_ptr_array_new();
    h->nextId = 1;
    dirs[0] = h->configDir;
    dirs[1] = h->stateDir;
    dirs[2] = h->logDir;
    dirs[3] = h->cacheDir;
    for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
        if (g_mkdir_with_parents(dirs[i], 0700) < 0) {
            QEMU_REPORT(VIR_ERR_OPERATION_FAILED,
                        "cannot create the directory '%s' under the embed root '%s': %s",
                        dirs[i], root, g_strerror(errno));
            qemuHostUnref(h);
            return NULL;
        }
    }
    g_mutex_lock(&h->lock);
    qemuHostLoadConfigs(h);
    qemuHostReconnect(h);
    qemuHostUnlock(h);
    return h;
}

/* With the lock held: the last connection went.  Guests keep running (as
 * with libvirt's embedded driver); their monitors are let go so the next
 * open, in this process or another, reconnects. */
static void
qemuHostClose(qemuHost *h)
{
    h->closed = true;
    for (guint i = 0; i < h->doms->len; i++) {
        qemuDom *d = g_ptr_array_index(h->doms, i);
        if (d->mon) {
            qemuMonitorClose(d->mon);
            d->mon = NULL;
        }
        d->removed = true;
    }
    g_ptr_array_set_size(h->doms, 0);
}

/* ======================================================================
 * Plugin and connections
 * ==================================================================== */

static int
qemuInit(const virtkitPluginHost *host, void **plugin_data)
{
    (void)plugin_data;
    qemuHostTable = host;
    qemuHosts = g_hash_table_new(g_str_hash, g_str_equal);
    qemuAllHosts = g_ptr_array_new();
    return 0;
}

/* At exit: guests started with VIR_DOMAIN_START_AUTODESTROY die with the
 * process that started them; the others keep running. */
static void
qemuShutdown(void *plugin_data)
{
    (void)plugin_data;
    g_mutex_lock(&qemuHostsLock);
    for (guint i = 0; qemuAllHosts && i < qemuAllHosts->len; i++) {
        qemuHost *h = g_ptr_array_index(qemuAllHosts, i);
        g_mutex_lock(&h->lock);
        for (guint j = 0; j < h->doms->len; j++) {
            qemuDom *d = g_ptr_array_index(h->doms, j);
            if (d->autodestroyConn && qemuDomIsActive(d)) {
                if (d->mon) {
                    qemuMonitorClose(d->mon);
                    d->mon = NULL;
                }
                qemuProcSignal(d->pid, d->startTime, SIGKILL);
                qemuDomRemoveStatus(h, d);
            }
        }
        qemuHostUnlock(h);
    }
    g_mutex_unlock(&qemuHostsLock);
}

static virtkitPluginOpenStatus
qemuConnectOpen(virConnectPtr conn, const char *uri, virConnectAuthPtr auth, unsigned int flags)
{
    g_autoptr(GUri) parsed = NULL;
    g_autoptr(GHashTable) params = NULL;
    g_autofree char *root = NULL;
    const char *path, *query;
    qemuHost *h;

    (void)auth;
    (void)flags;
    parsed = g_uri_parse(uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
    if (!parsed || g_strcmp0(g_uri_get_scheme(parsed), "qemu") != 0)
        return VIRTKIT_PLUGIN_OPEN_DECLINED;
    if (g_uri_get_host(parsed) && g_uri_get_host(parsed)[0])
        return VIRTKIT_PLUGIN_OPEN_DECLINED;
    path = g_uri_get_path(parsed);
    if (g_strcmp0(path, "/system") == 0 || g_strcmp0(path, "/session") == 0) {
        /* Only virtkitd would hand us these (clients route them to it). */
        QEMU_REPORT(VIR_ERR_NO_CONNECT,
                    "%s: the qemu plugin serves '%s' only inside virtkitd, and virtkitd does "
                    "not exist yet; use qemu:///embed?root=DIR", uri, path);
        return VIRTKIT_PLUGIN_OPEN_ERROR;
    }
    if (g_strcmp0(path, "/embed") != 0) {
        QEMU_REPORT(VIR_ERR_NO_CONNECT,
                    "%s: unexpected QEMU URI path '%s': the qemu plugin serves "
                    "qemu:///embed?root=DIR (and qemu:///system, qemu:///session in virtkitd)",
                    uri, path ? path : "");
        return VIRTKIT_PLUGIN_OPEN_ERROR;
    }
    query = g_uri_get_query(parsed);
    if (query)
        params = g_uri_parse_params(query, -1, "&", G_URI_PARAMS_NONE, NULL);
    if (params && g_hash_table_lookup(params, "root"))
        root = g_strdup(g_hash_table_lookup(params, "root"));
    if (!root || !*root) {
        /* libvirt's words */
        QEMU_REPORT(VIR_ERR_INVALID_ARG, "%s: URI must be qemu:///embed?root=...", uri);
        return VIRTKIT_PLUGIN_OPEN_ERROR;
    }
    if (!g_path_is_absolute(root)) {
        QEMU_REPORT(VIR_ERR_INVALID_ARG,
                    "%s: the embed root '%s' must be an absolute path", uri, root);
        return VIRTKIT_PLUGIN_OPEN_ERROR;
    }
    {
        char *c = g_canonicalize_filename(root, NULL);
        g_free(root);
        root = c;
    }

    g_mutex_lock(&qemuHostsLock);
    h = g_hash_table_lookup(qemuHosts, root);
    if (!h) {
        if (!(h = qemuHostOpen(root))) {
            g_mutex_unlock(&qemuHostsLock);
            return VIRTKIT_PLUGIN_OPEN_ERROR;
        }
        g_hash_table_insert(qemuHosts, h->root, h);
        g_ptr_array_add(qemuAllHosts, h);
    }
    g_mutex_lock(&h->lock);
    g_ptr_array_add(h->conns, conn);
    qemuHostUnlock(h);
    g_mutex_unlock(&qemuHostsLock);
    qemuHostTable->connectSetPrivate(conn, QEMU_PLUGIN_NAME, h);
    return VIRTKIT_PLUGIN_OPEN_SUCCESS;
}

static int
qemuConnectClose(virConnectPtr conn)
{
    qemuHost *h = qemuConnHost(conn);

    if (!h)
        return 0;
    g_mutex_lock(&qemuHostsLock);
    g_mutex_lock(&h->lock);
    g_ptr_array_remove(h->conns, conn);
    /* guests this connection started with VIR_DOMAIN_START_AUTODESTROY */
    for (guint i = 0; i < h->doms->len;) {
        qemuDom *d = g_ptr_array_index(h->doms, i);

        if (d->autodestroyConn == conn && qemuDomIsActive(d) && !d->job) {
            qemuDomRef(d);
            d->job = "autodestroy";
            qemuProcessKill(h, d, false);
            qemuProcessStopped(h, d, VIR_DOMAIN_SHUTOFF_DESTROYED);
            qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
            qemuJobEnd(h, d);
            if (!d->persistent)
                qemuDomRemove(h, d);
            qemuDomUnref(d);
            i = 0;      /* the lock was dropped: look again from the start */
            continue;
        }
        i++;
    }
    if (h->conns->len == 0) {
        qemuHostClose(h);
        g_hash_table_remove(qemuHosts, h->root);
        g_ptr_array_remove(qemuAllHosts, h);
        qemuHostUnlock(h);
        qemuHostUnref(h);
    } else {
        qemuHostUnlock(h);
    }
    g_mutex_unlock(&qemuHostsLock);
    qemuHostTable->connectSetPrivate(conn, QEMU_PLUGIN_NAME, NULL);
    return 0;
}

static int
qemuConnectSupportsFeature(virConnectPtr conn, int feature)
{
    (void)conn;
    (void)feature;
    return 0;
}

static const char *
qemuConnectGetType(virConnectPtr conn)
{
    (void)conn;
    return "QEMU";
}

static int
qemuConnectIsAlive(virConnectPtr conn)
{
    (void)conn;
    return 1;
}

static int
qemuConnectIsEncrypted(virConnectPtr conn)
{
    (void)conn;
    return 0;
}

static int
qemuConnectIsSecure(virConnectPtr conn)
{
    (void)conn;
    return 1;
}

static char *
qemuConnectGetHostname(virConnectPtr conn)
{
    (void)conn;
    return g_strdup(g_get_host_name());
}

/* ======================================================================
 * Lists and lookups
 * ==================================================================== */

#define QEMU_LIST_FILTERS \
    (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE | \
     VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT | \
     VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED | \
     VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER | \
     VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE | \
     VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART | \
     VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT | VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT | \
     VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT | VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT)

static bool
qemuDomMatchesFilter(const qemuDom *d, unsigned int flags)
{
    unsigned int f;
    bool active = qemuDomIsActive(d);

#define QEMU_GROUP(a, b, ca, cb) \
    f = flags & ((a) | (b)); \
    if (f && f != ((a) | (b)) && !((f & (a) && (ca)) || (f & (b) && (cb)))) \
        return false;
    QEMU_GROUP(VIR_CONNECT_LIST_DOMAINS_ACTIVE, VIR_CONNECT_LIST_DOMAINS_INACTIVE,
               active, !active);
    QEMU_GROUP(VIR_CONNECT_LIST_DOMAINS_PERSISTENT, VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
               d->persistent, !d->persistent);
    /* no managed save, autostart, snapshots or checkpoints yet */
    QEMU_GROUP(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
               false, true);
    QEMU_GROUP(VIR_CONNECT_LIST_DOMAINS_AUTOSTART, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
               false, true);
    QEMU_GROUP(VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT,
               false, true);
    QEMU_GROUP(VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT,
               false, true);
#undef QEMU_GROUP
    f = flags & (VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
                 VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER);
    if (f) {
        bool ok = ((f & VIR_CONNECT_LIST_DOMAINS_RUNNING) && d->state == VIR_DOMAIN_RUNNING) ||
                  ((f & VIR_CONNECT_LIST_DOMAINS_PAUSED) && d->state == VIR_DOMAIN_PAUSED) ||
                  ((f & VIR_CONNECT_LIST_DOMAINS_SHUTOFF) && d->state == VIR_DOMAIN_SHUTOFF) ||
                  ((f & VIR_CONNECT_LIST_DOMAINS_OTHER) && d->state != VIR_DOMAIN_RUNNING &&
                   d->state != VIR_DOMAIN_PAUSED && d->state != VIR_DOMAIN_SHUTOFF);
        if (!ok)
            return false;
    }
    return true;
}

static int
qemuConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    qemuHost *h = qemuConnHost(conn);
    g_autoptr(GPtrArray) out = g_ptr_array_new();
    int n;

    QEMU_CHECK_FLAGS(flags, QEMU_LIST_FILTERS, -1);
    g_mutex_lock(&h->lock);
    for (guint i = 0; i < h->doms->len; i++) {
        qemuDom *d = g_ptr_array_index(h->doms, i);
        if (!qemuDomMatchesFilter(d, flags))
            continue;
        g_ptr_array_add(out, domains ? qemuDomHandle(conn, d) : NULL);
    }
    qemuHostUnlock(h);
    n = (int)out->len;
    if (domains) {
        g_ptr_array_add(out, NULL);
        *domains = (virDomainPtr *)g_ptr_array_steal(out, NULL);
    }
    return n;
}

static virDomainPtr
qemuDomainLookupByID(virConnectPtr conn, int id)
{
    qemuHost *h = qemuConnHost(conn);
    virDomainPtr ret = NULL;
    qemuDom *d;

    g_mutex_lock(&h->lock);
    if ((d = qemuDomFindID(h, id)))
        ret = qemuDomHandle(conn, d);
    else
        QEMU_REPORT(VIR_ERR_NO_DOMAIN, "no domain with matching id %d", id);
    qemuHostUnlock(h);
    return ret;
}

static virDomainPtr
qemuDomainLookupByName(virConnectPtr conn, const char *name)
{
    qemuHost *h = qemuConnHost(conn);
    virDomainPtr ret = NULL;
    qemuDom *d;

    g_mutex_lock(&h->lock);
    if ((d = qemuDomFindName(h, name)))
        ret = qemuDomHandle(conn, d);
    else
        QEMU_REPORT(VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", name);
    qemuHostUnlock(h);
    return ret;
}

static virDomainPtr
qemuDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    qemuHost *h = qemuConnHost(conn);
    virDomainPtr ret = NULL;
    qemuDom *d;

    g_mutex_lock(&h->lock);
    if ((d = qemuDomFindUUID(h, uuid))) {
        ret = qemuDomHandle(conn, d);
    } else {
        char uuidstr[VIR_UUID_STRING_BUFLEN];
        qemuHostTable->uuidFormat(uuid, uuidstr);
        QEMU_REPORT(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s'", uuidstr);
    }
    qemuHostUnlock(h);
    return ret;
}

/* ======================================================================
 * Queries (no job)
 * ==================================================================== */

static int
qemuDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info)
{
    qemuHost *h;
    qemuDom *d = qemuDomBegin(domain, &h);
    guint64 ticks = 0;

    if (!d)
        return -1;
    memset(info, 0, sizeof(*info));
    info->state = (unsigned char)d->state;
    info->maxMem = virtkitDomainDefGetMemory(d->def);
    info->memory = virtkitDomainDefGetCurrentMemory(d->def);
    if (!info->memory || !qemuDomIsActive(d))
        info->memory = info->maxMem;
    info->nrVirtCpu = (unsigned short)virtkitDomainDefGetVcpus(d->def);
    if (qemuDomIsActive(d) && qemuProcStat(d->pid, NULL, NULL, &ticks))
        info->cpuTime = ticks * (1000000000ULL / (unsigned long long)sysconf(_SC_CLK_TCK));
    qemuDomEnd(h, d);
    return 0;
}

static int
qemuDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    qemuHost *h;
    qemuDom *d;

    QEMU_CHECK_FLAGS(flags, 0, -1);
    if (!(d = qemuDomBegin(domain, &h)))
        return -1;
    *state = d->state;
    if (reason)
        *reason = d->reason;
    qemuDomEnd(h, d);
    return 0;
}

static char *
qemuDomainGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    qemuHost *h;
    qemuDom *d;
    const virtkitDomainDef *def;
    char *xml;
    bool inactive = (flags & (VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_MIGRATABLE)) != 0;

    QEMU_CHECK_FLAGS(flags, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE |
                     VIR_DOMAIN_XML_UPDATE_CPU | VIR_DOMAIN_XML_MIGRATABLE, NULL);
    if (!(d = qemuDomBegin(domain, &h)))
        return NULL;
    def = inactive && d->newDef ? d->newDef : d->def;
    xml = virtkitDomainDefFormatID(def, flags & VIR_DOMAIN_XML_SECURE,
                                   qemuDomIsActive(d) && !inactive ? d->id : -1);
    qemuDomEnd(h, d);
    return xml;
}

static char *
qemuDomainGetOSType(virDomainPtr domain)
{
    qemuHost *h;
    qemuDom *d = qemuDomBegin(domain, &h);
    char *ret;

    if (!d)
        return NULL;
    ret = g_strdup(virtkitDomainDefGetOSType(d->def) ? virtkitDomainDefGetOSType(d->def) : "hvm");
    qemuDomEnd(h, d);
    return ret;
}

static unsigned long
qemuDomainGetMaxMemory(virDomainPtr domain)
{
    qemuHost *h;
    qemuDom *d = qemuDomBegin(domain, &h);
    unsigned long ret;

    if (!d)
        return 0;
    ret = (unsigned long)virtkitDomainDefGetMemory(d->def);
    qemuDomEnd(h, d);
    return ret;
}

static int
qemuDomainIsActive(virDomainPtr dom)
{
    qemuHost *h;
    qemuDom *d = qemuDomBegin(dom, &h);
    int ret;

    if (!d)
        return -1;
    ret = qemuDomIsActive(d);
    qemuDomEnd(h, d);
    return ret;
}

static int
qemuDomainIsPersistent(virDomainPtr dom)
{
    qemuHost *h;
    qemuDom *d = qemuDomBegin(dom, &h);
    int ret;

    if (!d)
        return -1;
    ret = d->persistent;
    qemuDomEnd(h, d);
    return ret;
}

static int
qemuDomainGetAutostart(virDomainPtr domain, int *autostart)
{
    qemuHost *h;
    qemuDom *d = qemuDomBegin(domain, &h);

    if (!d)
        return -1;
    *autostart = 0;
    qemuDomEnd(h, d);
    return 0;
}

/* No managed save yet: no domain has an image. */
static int
qemuDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    qemuHost *h;
    qemuDom *d;

    QEMU_CHECK_FLAGS(flags, 0, -1);
    if (!(d = qemuDomBegin(dom, &h)))
        return -1;
    qemuDomEnd(h, d);
    return 0;
}

/* ======================================================================
 * Define, undefine
 * ==================================================================== */

/* libvirt's virDomainObjListAddLocked checks. */
static int
qemuCheckDefClash(qemuHost *h, virtkitDomainDef *def, qemuDom **existing)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    const char *name = virtkitDomainDefGetName(def);
    qemuDom *byUUID, *byName;

    virtkitDomainDefGetUUID(def, uuid);
    byUUID = qemuDomFindUUID(h, uuid);
    byName = qemuDomFindName(h, name);
    if (byUUID && strcmp(byUUID->name, name) != 0) {
        qemuHostTable->uuidFormat(uuid, uuidstr);
        QEMU_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                         "domain '%s' is already defined with uuid %s", byUUID->name, uuidstr);
        return -1;
    }
    if (!byUUID && byName) {
        qemuHostTable->uuidFormat(byName->uuid, uuidstr);
        QEMU_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                         "domain '%s' already exists with uuid %s", name, uuidstr);
        return -1;
    }
    *existing = byUUID;
    return 0;
}

static virDomainPtr
qemuDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    qemuHost *h = qemuConnHost(conn);
    g_autoptr(virtkitDomainDef) def = NULL;
    virDomainPtr ret = NULL;
    qemuDom *existing = NULL, *d;
    int detail;

    QEMU_CHECK_FLAGS(flags, VIR_DOMAIN_DEFINE_VALIDATE, NULL);
    /* parsed before any lock is taken */
    if (!(def = qemuParseXML(xml, flags & VIR_DOMAIN_DEFINE_VALIDATE)))
        return NULL;
    if (qemuCheckDefType(def) < 0)
        return NULL;
    g_mutex_lock(&h->lock);
    if (qemuCheckDefClash(h, def, &existing) < 0)
        goto cleanup;
    if (qemuDomSaveConfig(h, def) < 0)
        goto cleanup;
    if (existing) {
        d = qemuDomRef(existing);
        if (qemuJobBegin(h, d, "define") < 0) {
            qemuDomUnref(d);
            goto cleanup;
        }
        if (qemuDomIsActive(d)) {
            virtkitDomainDefFree(d->newDef);
            d->newDef = g_steal_pointer(&def);
        } else {
            virtkitDomainDefFree(d->def);
            d->def = g_steal_pointer(&def);
        }
        detail = VIR_DOMAIN_EVENT_DEFINED_UPDATED;
    } else {
        d = qemuDomNew(h, g_steal_pointer(&def));
        qemuHostAddDom(h, qemuDomRef(d));
        qemuJobBegin(h, d, "define");
        detail = VIR_DOMAIN_EVENT_DEFINED_ADDED;
    }
    d->persistent = true;
    ret = qemuDomHandle(conn, d);
    qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_DEFINED, detail);
    qemuJobEnd(h, d);
    qemuDomUnref(d);
 cleanup:
    qemuHostUnlock(h);
    return ret;
}

static int
qemuDomainUndefineFlags(virDomainPtr domain, unsigned int flags)
{
    qemuHost *h;
    qemuDom *d;
    int ret = -1;

    QEMU_CHECK_FLAGS(flags, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                     VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM |
                     VIR_DOMAIN_UNDEFINE_KEEP_NVRAM | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA |
                     VIR_DOMAIN_UNDEFINE_TPM | VIR_DOMAIN_UNDEFINE_KEEP_TPM, -1);
    if (!(d = qemuDomBegin(domain, &h)))
        return -1;
    if (qemuJobBegin(h, d, "undefine") < 0)
        goto cleanup;
    if (!d->persistent) {
        QEMU_REPORT(VIR_ERR_OPERATION_INVALID, "cannot undefine transient domain");
        goto endjob;
    }
    {
        g_autofree char *path = qemuConfigPath(h, d->name);
        if (g_unlink(path) < 0 && errno != ENOENT) {
            QEMU_REPORT(VIR_ERR_SYSTEM_ERROR, "cannot remove config '%s': %s", path,
                        g_strerror(errno));
            goto endjob;
        }
    }
    qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    d->persistent = false;
    if (qemuDomIsActive(d)) {
        g_clear_pointer(&d->newDef, virtkitDomainDefFree);
        qemuDomSaveStatus(h, d);
    } else {
        qemuDomRemove(h, d);
    }
    ret = 0;
 endjob:
    qemuJobEnd(h, d);
 cleanup:
    qemuDomEnd(h, d);
    return ret;
}

/* ======================================================================
 * Lifecycle
 * ==================================================================== */

static int
qemuDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    qemuHost *h;
    qemuDom *d;
    int ret = -1;

    QEMU_CHECK_FLAGS(flags, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY |
                     VIR_DOMAIN_START_BYPASS_CACHE | VIR_DOMAIN_START_FORCE_BOOT |
                     VIR_DOMAIN_START_RESET_NVRAM, -1);
    if (!(d = qemuDomBegin(domain, &h)))
        return -1;
    if (qemuJobBegin(h, d, "start") < 0)
        goto cleanup;
    if (qemuDomIsActive(d)) {
        QEMU_REPORT(VIR_ERR_OPERATION_INVALID, "domain is already running");
        goto endjob;
    }
    /* no managed save yet, so FORCE_BOOT has nothing to skip */
    if (qemuProcessStart(h, d, flags & VIR_DOMAIN_START_PAUSED,
                         (flags & VIR_DOMAIN_START_AUTODESTROY) ?
                         qemuHostTable->domainGetConnect(domain) : NULL) < 0)
        goto endjob;
    qemuHostTable->domainSetID(domain, d->id);
    ret = 0;
 endjob:
    qemuJobEnd(h, d);
 cleanup:
    qemuDomEnd(h, d);
    return ret;
}

static virDomainPtr
qemuDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    qemuHost *h = qemuConnHost(conn);
    g_autoptr(virtkitDomainDef) def = NULL;
    virDomainPtr ret = NULL;
    qemuDom *existing = NULL, *d;

    QEMU_CHECK_FLAGS(flags, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY |
                     VIR_DOMAIN_START_BYPASS_CACHE | VIR_DOMAIN_START_VALIDATE |
                     VIR_DOMAIN_START_RESET_NVRAM, NULL);
    if (!(def = qemuParseXML(xmlDesc, (flags & VIR_DOMAIN_START_VALIDATE) ?
                                      VIR_DOMAIN_DEFINE_VALIDATE : 0)))
        return NULL;
    if (qemuCheckDefType(def) < 0)
        return NULL;
    g_mutex_lock(&h->lock);
    if (qemuCheckDefClash(h, def, &existing) < 0)
        goto cleanup;
    if (existing) {
        d = qemuDomRef(existing);
        if (qemuJobBegin(h, d, "start") < 0) {
            qemuDomUnref(d);
            goto cleanup;
        }
        if (qemuDomIsActive(d)) {
            QEMU_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID,
                             "domain '%s' is already active", d->name);
            goto endjob;
        }
        /* runs the new definition; the config stays */
        d->newDef = d->def;
        d->def = g_steal_pointer(&def);
    } else {
        d = qemuDomNew(h, g_steal_pointer(&def));
        qemuHostAddDom(h, qemuDomRef(d));
        qemuJobBegin(h, d, "start");
    }
    if (qemuProcessStart(h, d, flags & VIR_DOMAIN_START_PAUSED,
                         (flags & VIR_DOMAIN_START_AUTODESTROY) ? conn : NULL) < 0) {
        if (d->newDef) {
            virtkitDomainDefFree(d->def);
            d->def = g_steal_pointer(&d->newDef);
        }
        if (!d->persistent && !d->removed)
            qemuDomRemove(h, d);
        goto endjob;
    }
    ret = qemuDomHandle(conn, d);
 endjob:
    qemuJobEnd(h, d);
    qemuHostUnlock(h);
    qemuDomUnref(d);
    return ret;
 cleanup:
    qemuHostUnlock(h);
    return ret;
}

static int
qemuDomainDestroyFlags(virDomainPtr domain, unsigned int flags)
{
    qemuHost *h;
    qemuDom *d;
    int ret = -1;

    QEMU_CHECK_FLAGS(flags, VIR_DOMAIN_DESTROY_GRACEFUL, -1);
    if (!(d = qemuDomBegin(domain, &h)))
        return -1;
    if (qemuJobBegin(h, d, "destroy") < 0)
        goto cleanup;
    if (!qemuDomIsActive(d)) {
        QEMU_REPORT(VIR_ERR_OPERATION_INVALID, "domain is not running");
        goto endjob;
    }
    if (qemuProcessKill(h, d, flags & VIR_DOMAIN_DESTROY_GRACEFUL) < 0)
        goto endjob;
    qemuProcessStopped(h, d, VIR_DOMAIN_SHUTOFF_DESTROYED);
    qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    qemuHostTable->domainSetID(domain, -1);
    if (!d->persistent && !d->removed)
        qemuDomRemove(h, d);
    ret = 0;
 endjob:
    qemuJobEnd(h, d);
 cleanup:
    qemuDomEnd(h, d);
    return ret;
}

/* With the lock and the job held: @cmd on @d's monitor, the lock dropped
 * while QEMU answers.  -1 with an error reported. */
static int
qemuDomMonitorCommand(qemuHost *h, qemuDom *d, const char *cmd)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) r = NULL;
    qemuMonitor *mon = d->mon;

    if (!mon) {
        QEMU_REPORT(VIR_ERR_OPERATION_INVALID, "domain is not running");
        return -1;
    }
    /* the EOF handler may close the monitor meanwhile; keep it alive */
    qemuMonitorRef(mon);
    qemuHostUnlock(h);
    r = qemuMonitorCommand(mon, cmd, NULL, QEMU_MONITOR_COMMAND_TIMEOUT_MS, &err);
    qemuMonitorUnref(mon);
    g_mutex_lock(&h->lock);
    if (!r) {
        QEMU_REPORT(VIR_ERR_OPERATION_FAILED, "domain '%s': %s", d->name, err->message);
        return -1;
    }
    return 0;
}

static int
qemuDomainSuspend(virDomainPtr domain)
{
    qemuHost *h;
    qemuDom *d;
    int ret = -1;

    if (!(d = qemuDomBegin(domain, &h)))
        return -1;
    if (qemuJobBegin(h, d, "suspend") < 0)
        goto cleanup;
    if (!qemuDomIsActive(d)) {
        QEMU_REPORT(VIR_ERR_OPERATION_INVALID, "domain is not running");
        goto endjob;
    }
    if (d->state == VIR_DOMAIN_PAUSED) {
        ret = 0;        /* libvirt: suspending a paused domain succeeds quietly */
        goto endjob;
    }
    d->pausedReason = VIR_DOMAIN_PAUSED_USER;
    if (qemuDomMonitorCommand(h, d, "stop") < 0)
        goto endjob;
    /* the STOP event usually came first and did this */
    if (qemuDomIsActive(d) && d->state == VIR_DOMAIN_RUNNING) {
        d->state = VIR_DOMAIN_PAUSED;
        d->reason = VIR_DOMAIN_PAUSED_USER;
        qemuDomSaveStatus(h, d);
        qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    }
    ret = 0;
 endjob:
    d->pausedReason = 0;
    qemuJobEnd(h, d);
 cleanup:
    qemuDomEnd(h, d);
    return ret;
}

static int
qemuDomainResume(virDomainPtr domain)
{
    qemuHost *h;
    qemuDom *d;
    int ret = -1;

    if (!(d = qemuDomBegin(domain, &h)))
        return -1;
    if (qemuJobBegin(h, d, "resume") < 0)
        goto cleanup;
    if (!qemuDomIsActive(d)) {
        QEMU_REPORT(VIR_ERR_OPERATION_INVALID, "domain is not running");
        goto endjob;
    }
    if (d->state == VIR_DOMAIN_RUNNING) {
        ret = 0;
        goto endjob;
    }
    if (qemuDomMonitorCommand(h, d, "cont") < 0)
        goto endjob;
    if (qemuDomIsActive(d) && d->state != VIR_DOMAIN_RUNNING) {
        d->state = VIR_DOMAIN_RUNNING;
        d->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
        qemuDomSaveStatus(h, d);
        qemuEmitLifecycle(h, d, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    }
    ret = 0;
 endjob:
    qemuJobEnd(h, d);
 cleanup:
    qemuDomEnd(h, d);
    return ret;
}

static int
qemuDomainShutdownFlags(virDomainPtr domain, unsigned int flags)
{
    qemuHost *h;
    qemuDom *d;
    int ret = -1;

    QEMU_CHECK_FLAGS(flags, VIR_DOMAIN_SHUTDOWN_DEFAULT | VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN, -1);
    if (!(d = qemuDomBegin(domain, &h)))
        return -1;
    if (qemuJobBegin(h, d, "shutdown") < 0)
        goto cleanup;
    if (!qemuDomIsActive(d) || d->state != VIR_DOMAIN_RUNNING) {
        /* libvirt's words */
        QEMU_REPORT(VIR_ERR_OPERATION_INVALID, "domain is not running");
        goto endjob;
    }
    /* the guest decides; SHUTDOWN and the EOF follow if it does.  A
     * reboot asked before becomes this shutdown (libvirt does the same) */
    d->fakeReboot = false;
    ret = qemuDomMonitorCommand(h, d, "system_powerdown");
 endjob:
    qemuJobEnd(h, d);
 cleanup:
    qemuDomEnd(h, d);
    return ret;
}

static int
qemuDomainReset(virDomainPtr domain, unsigned int flags)
{
    qemuHost *h;
    qemuDom *d;
    int ret = -1;

    QEMU_CHECK_FLAGS(flags, 0, -1);
    if (!(d = qemuDomBegin(domain, &h)))
        return -1;
    if (qemuJobBegin(h, d, "reset") < 0)
        goto cleanup;
    if (!qemuDomIsActive(d)) {
        QEMU_REPORT(VIR_ERR_OPERATION_INVALID, "domain is not running");
        goto endjob;
    }
    ret = qemuDomMonitorCommand(h, d, "system_reset");
 endjob:
    qemuJobEnd(h, d);
 cleanup:
    qemuDomEnd(h, d);
    return ret;
}

/*
 * libvirt's qemu driver's reboot by ACPI: the power button is pressed
 * ('system_powerdown') and, when the guest has powered off, QEMU (kept by
 * -no-shutdown) is reset and continued (qemuFakeRebootThread).  A guest
 * that ignores the button is not rebooted, as with libvirt.
 */
static int
qemuDomainReboot(virDomainPtr domain, unsigned int flags)
{
    qemuHost *h;
    qemuDom *d;
    int ret = -1;

    QEMU_CHECK_FLAGS(flags, VIR_DOMAIN_REBOOT_DEFAULT | VIR_DOMAIN_REBOOT_ACPI_POWER_BTN, -1);
    if (!(d = qemuDomBegin(domain, &h)))
        return -1;
    if (qemuJobBegin(h, d, "reboot") < 0)
        goto cleanup;
    if (!qemuDomIsActive(d)) {
        /* libvirt's words */
        QEMU_REPORT(VIR_ERR_OPERATION_INVALID, "domain is not running");
        goto endjob;
    }
    d->fakeReboot = true;
    if ((ret = qemuDomMonitorCommand(h, d, "system_powerdown")) < 0)
        d->fakeReboot = false;
 endjob:
    qemuJobEnd(h, d);
 cleanup:
    qemuDomEnd(h, d);
    return ret;
}

/* ======================================================================
 * Capabilities: what the QEMU binary said when probed (qemu-caps.c)
 * ==================================================================== */

static void
qemuCapsLogMessage(gboolean warning, const char *msg)
{
    qemuHostTable->log(warning ? VIRTKIT_LOG_WARN : VIRTKIT_LOG_INFO, "qemu", __FILE__, __LINE__,
                       __func__, "%s", msg);
}

/*
 * Without the host lock: the binary's capabilities, from memory, the
 * cache under ROOT/cache/qemu or a probe.  NULL with an error reported.
 */
static qemuCaps *
qemuHostGetCaps(qemuHost *h)
{
    const char *binary = qemuFindBinary();
    g_autoptr(GError) err = NULL;
    qemuCaps *c;

    if (!binary) {
        QEMU_REPORT(VIR_ERR_CONFIG_UNSUPPORTED,
                    "no QEMU binary: 'qemu-system-x86_64' is not in PATH and "
                    "VIRTKIT_QEMU_BINARY is not set");
        return NULL;
    }
    if (!g_path_is_absolute(binary)) {
        QEMU_REPORT(VIR_ERR_CONFIG_UNSUPPORTED,
                    "the QEMU binary '%s' (VIRTKIT_QEMU_BINARY) must be an absolute path", binary);
        return NULL;
    }
    g_mutex_lock(&h->capsLock);
    c = qemuCapsLookup(h->cacheDir, binary, h->caps, qemuCapsLogMessage, &err);
    if (c && c != h->caps) {
        g_clear_pointer(&h->caps, qemuCapsUnref);
        h->caps = qemuCapsRef(c);
        qemuHostTable->log(VIRTKIT_LOG_INFO, "qemu", __FILE__, __LINE__, __func__,
                           "capabilities of '%s' %s in %.1f ms", binary,
                           c->probed ? "probed" : "read from the cache", c->probe_ms);
    }
    g_mutex_unlock(&h->capsLock);
    if (!c) {
        if (err->domain == G_FILE_ERROR)
            QEMU_REPORT(VIR_ERR_SYSTEM_ERROR, "%s", err->message);
        else
            QEMU_REPORT(VIR_ERR_INTERNAL_ERROR, "Failed to probe capabilities for %s: %s",
                        binary, err->message);
    }
    return c;
}

/* The machines the command-line builder runs: pc, q35 and their versions. */
static bool
qemuMachineRunnable(const char *name)
{
    return g_str_has_prefix(name, "pc-i440fx-") || g_str_has_prefix(name, "pc-q35-") ||
           strcmp(name, "pc") == 0 || strcmp(name, "q35") == 0;
}

/* One NUMA cell for the host: its memory and CPUs; more than one node is
 * left out of <topology> rather than misdescribed (not modelled yet). */
static void
qemuCapsAddHostTopology(virtkitCaps *caps)
{
    g_autofree char *meminfo = NULL;
    g_autoptr(GDir) nodes = g_dir_open("/sys/devices/system/node", 0, NULL);
    const char *f, *p;
    guint64 memKiB = 0;
    guint nnodes = 0;
    virtkitCapsCell *cell;
    long ncpus = sysconf(_SC_NPROCESSORS_ONLN);

    while (nodes && (f = g_dir_read_name(nodes))) {
        if (g_str_has_prefix(f, "node") && g_ascii_isdigit(f[4]))
            nnodes++;
    }
    if (nnodes > 1 || ncpus < 1)
        return;
    if (!vkFileReadBounded("/proc/meminfo", 1024 * 1024, &meminfo, NULL, NULL, NULL) ||
        !(p = strstr(meminfo, "MemTotal:")))
        return;
    memKiB = g_ascii_strtoull(p + strlen("MemTotal:"), NULL, 10);
    cell = virtkitCapsAddCell(caps, memKiB, (guint)ncpus);
    virtkitCapsCellAddPages(cell, 4, memKiB / 4);
}

static char *
qemuConnectGetCapabilities(virConnectPtr conn)
{
    qemuHost *h = qemuConnHost(conn);
    g_autoptr(qemuCaps) qc = qemuHostGetCaps(h);
    g_autoptr(virtkitCaps) caps = NULL;
    const qemuCapsMachine *def;
    virtkitCapsGuest *g;
    struct utsname u;
    guint page = 4;

    if (!qc)
        return NULL;
    caps = virtkitCapsNew(uname(&u) == 0 ? u.machine : qc->arch);
    g_array_append_val(caps->page_sizes_kib, page);
    qemuCapsAddHostTopology(caps);
    caps->secmodel = g_strdup("none");
    caps->secmodel_doi = g_strdup("0");

    /* one guest: the binary's arch, the machines the builder runs, the
     * default first with its alias after it (libvirt's order), and only
     * domain type 'qemu': the plugin runs TCG (see qemuBuildArgv) */
    g = virtkitCapsAddGuest(caps, "hvm", qc->arch, 64, qc->binary);
    if ((def = qemuCapsFindMachine(qc, NULL)) && qemuMachineRunnable(def->name)) {
        virtkitCapsGuestAddMachineFull(g, def->name, NULL, def->max_cpus, def->deprecated);
        if (def->alias)
            virtkitCapsGuestAddMachineFull(g, def->alias, def->name, def->max_cpus,
                                           def->deprecated);
    }
    for (guint i = 0; i < qc->machines->len; i++) {
        const qemuCapsMachine *m = g_ptr_array_index(qc->machines, i);
        if (m == def || !qemuMachineRunnable(m->name))
            continue;
        virtkitCapsGuestAddMachineFull(g, m->name, NULL, m->max_cpus, m->deprecated);
        if (m->alias)
            virtkitCapsGuestAddMachineFull(g, m->alias, m->name, m->max_cpus, m->deprecated);
    }
    virtkitCapsGuestAddDomainType(g, "qemu");
    /* libvirt's x86_64 guest features; formatted as written */
    virtkitCapsGuestAddFeature(g, "acpi default='on' toggle='yes'");
    virtkitCapsGuestAddFeature(g, "apic default='on' toggle='no'");
    virtkitCapsGuestAddFeature(g, "cpuselection");
    virtkitCapsGuestAddFeature(g, "deviceboot");
    return virtkitCapsFormat(caps);
}

/*
 * The CPU models domain capabilities list for mode 'custom': libvirt's
 * names, so not QEMU's versioned ones (Skylake-Client-v2: the plain name
 * is its alias) nor max, host and base, which are modes, not models.
 */
static bool
qemuCPUModelListed(const char *name)
{
    const char *v = strrchr(name, '-');

    if (strcmp(name, "max") == 0 || strcmp(name, "host") == 0 || strcmp(name, "base") == 0)
        return false;
    if (v && v[1] == 'v' && v[2]) {
        for (v += 2; g_ascii_isdigit(*v); v++)
            ;
        if (!*v)
            return false;
    }
    return true;
}

static char *
qemuConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin, const char *arch,
                                 const char *machine, const char *virttype, unsigned int flags)
{
    static const char *const diskDevice[] = { "disk", "cdrom", NULL };
    static const char *const diskBusPc[] = { "ide", "scsi", "virtio", "sata", NULL };
    static const char *const diskBusQ35[] = { "scsi", "virtio", "sata", NULL };
    static const char *const graphics[] = { "vnc", NULL };
    static const char *const video[] = { "vga", "cirrus", "virtio", "bochs", "none", NULL };
    static const char *const channel[] = { "null", "pty", "dev", "file", "pipe", "tcp", "unix",
                                           NULL };
    qemuHost *h = qemuConnHost(conn);
    g_autoptr(qemuCaps) qc = NULL;
    g_autoptr(virtkitDomainCaps) dc = NULL;
    const qemuCapsMachine *m;
    bool q35;

    QEMU_CHECK_FLAGS(flags, 0, NULL);
    if (!(qc = qemuHostGetCaps(h)))
        return NULL;
    if (emulatorbin && strcmp(emulatorbin, qc->binary) != 0) {
        if (!g_file_test(emulatorbin, G_FILE_TEST_EXISTS)) {
            /* libvirt's words */
            QEMU_REPORT(VIR_ERR_SYSTEM_ERROR, "Cannot check QEMU binary %s: %s", emulatorbin,
                        g_strerror(ENOENT));
        } else {
            QEMU_REPORT(VIR_ERR_INVALID_ARG,
                        "emulator '%s' is not the qemu plugin's QEMU '%s' (VIRTKIT_QEMU_BINARY "
                        "chooses another)", emulatorbin, qc->binary);
        }
        return NULL;
    }
    if (arch && strcmp(arch, qc->arch) != 0) {
        /* libvirt's words; the plugin runs the one binary */
        QEMU_REPORT(VIR_ERR_CONFIG_UNSUPPORTED,
                    "unable to find any emulator to serve '%s' architecture", arch);
        return NULL;
    }
    if (virttype && strcmp(virttype, "qemu") != 0) {
        if (strcmp(virttype, "kvm") == 0)
            /* libvirt's words; KVM initialises here but does not run guests,
             * so the plugin runs TCG only (hypervisors/README.md) */
            QEMU_REPORT(VIR_ERR_INVALID_ARG,
                        "the accel 'kvm' is not supported by '%s' on this host", qc->binary);
        else
            QEMU_REPORT(VIR_ERR_INVALID_ARG,
                        "virtualization type '%s' is not supported by the qemu plugin (it runs "
                        "'qemu')", virttype);
        return NULL;
    }
    if (!(m = qemuCapsFindMachine(qc, machine))) {
        if (machine)
            /* libvirt's words */
            QEMU_REPORT(VIR_ERR_INVALID_ARG,
                        "the machine '%s' is not supported by emulator '%s'", machine, qc->binary);
        else
            QEMU_REPORT(VIR_ERR_INTERNAL_ERROR, "QEMU '%s' names no default machine",
                        qc->binary);
        return NULL;
    }
    if (!qemuMachineRunnable(m->name)) {
        QEMU_REPORT(VIR_ERR_CONFIG_UNSUPPORTED,
                    "the machine '%s' of emulator '%s' is not one the qemu plugin runs (pc, q35 "
                    "and their versions)", m->name, qc->binary);
        return NULL;
    }
    q35 = g_str_has_prefix(m->name, "pc-q35-");

    dc = virtkitDomainCapsNew(qc->binary, "qemu", m->name, qc->arch);
    dc->max_vcpus = m->max_cpus;
    /* what qemu-command.c writes, not all QEMU could: <iothreads>,
     * <loader>, <memoryBacking>, hostdevs and the rest are refused there */
    dc->iothreads = FALSE;
    dc->cpu_host_passthrough = FALSE;   /* TCG */
    dc->cpu_maximum = TRUE;
    {
        GPtrArray *names = g_ptr_array_new();
        GPtrArray *usable = g_ptr_array_new();
        for (guint i = 0; i < qc->cpu_models->len; i++) {
            const qemuCapsCPUModel *cm = g_ptr_array_index(qc->cpu_models, i);
            if (!qemuCPUModelListed(cm->name))
                continue;
            g_ptr_array_add(names, g_strdup(cm->name));
            g_ptr_array_add(usable, g_strdup(cm->usable ? "yes" : "no"));
        }
        g_ptr_array_add(names, NULL);
        g_ptr_array_add(usable, NULL);
        dc->cpu_custom_models = (GStrv)g_ptr_array_free(names, FALSE);
        dc->cpu_custom_usable = (GStrv)g_ptr_array_free(usable, FALSE);
    }
    dc->no_memory_backing = TRUE;
    dc->disk_device = g_strdupv((char **)diskDevice);
    dc->disk_bus = g_strdupv((char **)(q35 ? diskBusQ35 : diskBusPc));
    dc->graphics_type = g_strdupv((char **)graphics);
    dc->video_model = g_strdupv((char **)video);
    dc->channel_type = g_strdupv((char **)channel);
    return virtkitDomainCapsFormat(dc);
}

/* libvirt's qemu driver answers the QEMU binary's version. */
static int
qemuConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    g_autoptr(qemuCaps) qc = qemuHostGetCaps(qemuConnHost(conn));

    if (!qc)
        return -1;
    *hvVer = qc->version;
    return 0;
}

/* ======================================================================
 * Tables
 * ==================================================================== */

static const virtkitHypervisorOps qemuHypervisor = {
    .struct_size = sizeof(virtkitHypervisorOps),
    .connectOpen = qemuConnectOpen,                                     /* 1.0 */
    .connectClose = qemuConnectClose,                                   /* 1.0 */
    .connectSupportsFeature = qemuConnectSupportsFeature,               /* 1.0 */
    .connectGetCapabilities = qemuConnectGetCapabilities,               /* 1.0 */
    .connectGetDomainCapabilities = qemuConnectGetDomainCapabilities,   /* 1.0 */
    .connectGetHostname = qemuConnectGetHostname,                       /* 1.0 */
    .connectGetVersion = qemuConnectGetVersion,                         /* 1.0 */
    .connectGetType = qemuConnectGetType,                               /* 1.0 */
    .connectIsAlive = qemuConnectIsAlive,                               /* 1.0 */
    .connectIsEncrypted = qemuConnectIsEncrypted,                       /* 1.0 */
    .connectIsSecure = qemuConnectIsSecure,                             /* 1.0 */
    .connectListAllDomains = qemuConnectListAllDomains,                 /* 1.0 */
    .domainCreateWithFlags = qemuDomainCreateWithFlags,                 /* 1.0 */
    .domainCreateXML = qemuDomainCreateXML,                             /* 1.0 */
    .domainDefineXMLFlags = qemuDomainDefineXMLFlags,                   /* 1.0 */
    .domainDestroyFlags = qemuDomainDestroyFlags,                       /* 1.0 */
    .domainGetAutostart = qemuDomainGetAutostart,                       /* 1.0 */
    .domainGetInfo = qemuDomainGetInfo,                                 /* 1.0 */
    .domainGetMaxMemory = qemuDomainGetMaxMemory,                       /* 1.0 */
    .domainGetOSType = qemuDomainGetOSType,                             /* 1.0 */
    .domainGetState = qemuDomainGetState,                               /* 1.0 */
    .domainGetXMLDesc = qemuDomainGetXMLDesc,                           /* 1.0 */
    .domainHasManagedSaveImage = qemuDomainHasManagedSaveImage,         /* 1.0 */
    .domainIsActive = qemuDomainIsActive,                               /* 1.0 */
    .domainIsPersistent = qemuDomainIsPersistent,                       /* 1.0 */
    .domainLookupByID = qemuDomainLookupByID,                           /* 1.0 */
    .domainLookupByName = qemuDomainLookupByName,                       /* 1.0 */
    .domainLookupByUUID = qemuDomainLookupByUUID,                       /* 1.0 */
    .domainReboot = qemuDomainReboot,                                   /* 1.0 */
    .domainReset = qemuDomainReset,                                     /* 1.0 */
    .domainResume = qemuDomainResume,                                   /* 1.0 */
    .domainShutdownFlags = qemuDomainShutdownFlags,                     /* 1.0 */
    .domainSuspend = qemuDomainSuspend,                                 /* 1.0 */
    .domainUndefineFlags = qemuDomainUndefineFlags,                     /* 1.0 */
};

static const char *const qemuSchemes[] = { "qemu", NULL };

static const virtkitPluginDescriptor qemuDescriptor = {
    .struct_size = sizeof(virtkitPluginDescriptor),
    .abi_major = VIRTKIT_PLUGIN_ABI_MAJOR,
    .abi_minor = VIRTKIT_PLUGIN_ABI_MINOR,
    .name = QEMU_PLUGIN_NAME,
    .version = VIRTKIT_VERSION,
    .license = "LGPL-2.1-or-later",
    .uri_schemes = qemuSchemes,
    .flags = VIRTKIT_PLUGIN_STATEFUL | VIRTKIT_PLUGIN_EMBEDDABLE | VIRTKIT_PLUGIN_LOCAL_ONLY,
    .init = qemuInit,
    .shutdown = qemuShutdown,
    .hypervisor = &qemuHypervisor,
};

VIRTKIT_PLUGIN_DEFINE(qemuDescriptor)
