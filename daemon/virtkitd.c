/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * virtkitd: serves a virtkit host over libvirt's remote protocol, so stock
 * virsh, python3-libvirt and Sys::Virt manage it as they manage libvirtd.
 *
 * The daemon is one more application of the core: the procedures open the
 * plugin a client's URI names through the public API.  This file is the
 * process around the runtime (rpc/vk-rpc-server.c): options, virtkitd.conf,
 * the pid file, the sockets (its own, libvirt's where they are free, or
 * those systemd passes in), logging, and the idle timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "config.h"
#include "vir-conf.h"
#include "vk-internal.h"
#include "vk-rpc-server.h"

typedef struct {
    char *path;
    bool readonly;
    bool ours;          /* created here: removed at exit */
    GSocket *sock;
} vkdSocket;

typedef struct {
    vkRpcServerConfig rpc;
    char *config_path;
    char *sock_dir;
    char *libvirt_sock_dir;
    int libvirt_sockets;       /* -1: not set (on when free) */
    char *sock_group;
    unsigned int rw_perms;
    unsigned int ro_perms;
    bool ro_enable;
    int log_level;
    char *log_filters;
    char *log_outputs;
} vkdConfig;

static int vkd_log_level = 3;
static bool vkd_privileged;

/* ---- logging: one line per message, libvirt's shape ---- */

static int
vkdGLibLevel(GLogLevelFlags level)
{
    if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
        return 4;
    if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE))
        return 3;
    if (level & G_LOG_LEVEL_INFO)
        return 2;
    return 1;
}

static GLogWriterOutput
vkdLogWriter(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data G_GNUC_UNUSED)
{
    static const char *words[] = { "", "debug", "info", "warning", "error" };
    const char *msg = NULL;
    int l = vkdGLibLevel(level);
    g_autoptr(GDateTime) now = NULL;
    g_autofree char *stamp = NULL;
    g_autofree char *line = NULL;

    if (l < vkd_log_level)
        return G_LOG_WRITER_HANDLED;
    for (gsize i = 0; i < n; i++) {
        if (g_str_equal(fields[i].key, "MESSAGE"))
            msg = fields[i].value;
    }
    now = g_date_time_new_now_utc();
    stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%f");
    /* %f is microseconds; libvirt shows milliseconds */
    if (stamp && strlen(stamp) > 3)
        stamp[strlen(stamp) - 3] = '\0';
    line = g_strdup_printf("%s+0000: %d: %s : %s\n", stamp, (int)getpid(), words[l],
                           msg ? msg : "");
    if (write(STDERR_FILENO, line, strlen(line)) < 0)
        return G_LOG_WRITER_UNHANDLED;
    return G_LOG_WRITER_HANDLED;
}

/* The core prints every error it dispatches to stderr by default; in the
 * daemon errors belong to the client that caused them. */
static void
vkdQuietErrors(void *data G_GNUC_UNUSED, virErrorPtr err G_GNUC_UNUSED)
{
}

/* ---- virtkitd.conf ---- */

static bool
vkdConfGetPerms(vkConf *conf, const char *key, unsigned int *perms, GError **err)
{
    g_autofree char *s = NULL;
    char *end = NULL;
    guint64 v;
    int r = vkConfGetString(conf, key, &s, err);

    if (r <= 0)
        return r == 0;
    v = g_ascii_strtoull(s, &end, 8);
    if (!*s || *end || v > 0777) {
        g_set_error(err, VK_CONF_ERROR, VK_CONF_ERROR_RANGE,
                    "%s: %s = \"%s\" is not an octal mode between 0000 and 0777",
                    vkConfGetFilename(conf), key, s);
        return false;
    }
    *perms = v;
    return true;
}

static bool
vkdConfGetUInt(vkConf *conf, const char *key, guint64 max, unsigned int *value, GError **err)
{
    guint64 v;
    int r = vkConfGetUIntRange(conf, key, max, &v, err);
    if (r < 0)
        return false;
    if (r > 0)
        *value = v;
    return true;
}

static bool
vkdConfigLoad(vkdConfig *cfg, const char *path, bool must_exist, GError **err)
{
    g_autoptr(GError) lerr = NULL;
    g_autoptr(vkConf) conf = vkConfParseFile(path, &lerr);
    gint64 i64;
    gboolean b;
    int r;

    if (!conf) {
        if (!must_exist && g_error_matches(lerr, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return true;
        g_propagate_error(err, g_steal_pointer(&lerr));
        return false;
    }
#define STR(key, field) \
    do { \
        char *v_ = NULL; \
        if ((r = vkConfGetString(conf, key, &v_, err)) < 0) \
            return false; \
        if (r > 0) { \
            g_free(field); \
            field = v_; \
        } \
    } while (0)
    STR("unix_sock_dir", cfg->sock_dir);
    STR("libvirt_sock_dir", cfg->libvirt_sock_dir);
    STR("unix_sock_group", cfg->sock_group);
    STR("log_filters", cfg->log_filters);
    STR("log_outputs", cfg->log_outputs);
#undef STR
    if (!vkdConfGetPerms(conf, "unix_sock_rw_perms", &cfg->rw_perms, err) ||
        !vkdConfGetPerms(conf, "unix_sock_ro_perms", &cfg->ro_perms, err))
        return false;
    if ((r = vkConfGetBool(conf, "libvirt_sockets", &b, err)) < 0)
        return false;
    if (r > 0)
        cfg->libvirt_sockets = b;
    if ((r = vkConfGetBool(conf, "unix_sock_ro_enable", &b, err)) < 0)
        return false;
    if (r > 0)
        cfg->ro_enable = b;
    if (!vkdConfGetUInt(conf, "max_clients", 1000000, &cfg->rpc.max_clients, err) ||
        !vkdConfGetUInt(conf, "max_workers", 4096, &cfg->rpc.max_workers, err) ||
        !vkdConfGetUInt(conf, "prio_workers", 4096, &cfg->rpc.prio_workers, err) ||
        !vkdConfGetUInt(conf, "max_client_requests", 100000, &cfg->rpc.max_client_requests, err) ||
        !vkdConfGetUInt(conf, "keepalive_count", 1000, &cfg->rpc.keepalive_count, err))
        return false;
    if ((r = vkConfGetIntRange(conf, "keepalive_interval", -1, 86400, &i64, err)) < 0)
        return false;
    if (r > 0)
        cfg->rpc.keepalive_interval = i64;
    if ((r = vkConfGetIntRange(conf, "log_level", 1, 4, &i64, err)) < 0)
        return false;
    if (r > 0)
        cfg->log_level = i64;
    return true;
}

/* ---- the pid file ---- */

static int
vkdPidFileAcquire(const char *path, GError **err)
{
    g_autofree char *dir = g_path_get_dirname(path);
    char buf[64];
    int fd;

    if (g_mkdir_with_parents(dir, 0755) < 0) {
        g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot create the directory %s of pid file %s: %s", dir, path,
                    g_strerror(errno));
        return -1;
    }
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot open pid file %s: %s", path, g_strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
        long pid = 0;
        if (n > 0) {
            buf[n] = '\0';
            pid = strtol(buf, NULL, 10);
        }
        close(fd);
        if (pid > 0)
            g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                        "another virtkitd is running: pid %ld holds the pid file %s", pid, path);
        else
            g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                        "another virtkitd is running: the pid file %s is locked", path);
        return -1;
    }
    g_snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, strlen(buf), 0) != (ssize_t)strlen(buf)) {
        g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot write pid file %s: %s", path, g_strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* ---- sockets ---- */

/* 1: a live daemon answers on @path; 0: nothing does (absent or stale). */
static int
vkdSocketLive(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd, r;

    if (strlen(path) >= sizeof(sa.sun_path))
        return 0;
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    close(fd);
    return r == 0;
}

static GSocket *
vkdSocketListen(const char *path, unsigned int perms, gid_t gid, GError **err)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autoptr(GSocket) s = NULL;
    g_autoptr(GSocketAddress) addr = NULL;
    struct stat st;

    if (g_mkdir_with_parents(dir, 0755) < 0) {
        g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot create socket directory %s: %s", dir, g_strerror(errno));
        return NULL;
    }
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                        "%s exists and is not a socket; not replacing it", path);
            return NULL;
        }
        if (vkdSocketLive(path)) {
            g_set_error(err, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                        "another daemon is listening on %s", path);
            return NULL;
        }
        g_info("removing stale socket %s", path);
        g_unlink(path);
    }
    s = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, err);
    if (!s)
        return NULL;
    addr = g_unix_socket_address_new(path);
    if (!g_socket_bind(s, addr, FALSE, err))
        return NULL;
    if (chmod(path, perms) < 0 || (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) < 0)) {
        g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot set mode %04o / group of socket %s: %s", perms, path,
                    g_strerror(errno));
        g_unlink(path);
        return NULL;
    }
    g_socket_set_listen_backlog(s, 128);
    if (!g_socket_listen(s, err)) {
        g_unlink(path);
        return NULL;
    }
    return g_steal_pointer(&s);
}

/* Sockets systemd passed in (sd_listen_fds' protocol: LISTEN_PID is us,
 * LISTEN_FDS counts fds from 3).  A socket bound to a path ending "-ro"
 * is read-only. */
static bool
vkdSocketsActivated(GPtrArray *socks, GError **err)
{
    const char *pid_s = g_getenv("LISTEN_PID");
    const char *fds_s = g_getenv("LISTEN_FDS");
    guint64 pid, nfds;

    if (!pid_s || !fds_s)
        return true;
    if (!g_ascii_string_to_unsigned(pid_s, 10, 1, G_MAXINT, &pid, NULL) ||
        (pid_t)pid != getpid())
        return true;
    if (!g_ascii_string_to_unsigned(fds_s, 10, 0, 1024, &nfds, err)) {
        g_prefix_error(err, "LISTEN_FDS: ");
        return false;
    }
    g_unsetenv("LISTEN_PID");
    g_unsetenv("LISTEN_FDS");
    g_unsetenv("LISTEN_FDNAMES");
    for (guint64 i = 0; i < nfds; i++) {
        int fd = 3 + (int)i;
        struct sockaddr_un sa;
        socklen_t len = sizeof(sa);
        vkdSocket *v;
        GSocket *s;

        fcntl(fd, F_SETFD, FD_CLOEXEC);
        if (!(s = g_socket_new_from_fd(fd, err))) {
            g_prefix_error(err, "socket-activated fd %d: ", fd);
            return false;
        }
        v = g_new0(vkdSocket, 1);
        v->sock = s;
        memset(&sa, 0, sizeof(sa));
        if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 && sa.sun_family == AF_UNIX &&
            len > offsetof(struct sockaddr_un, sun_path)) {
            v->path = g_strndup(sa.sun_path, len - offsetof(struct sockaddr_un, sun_path));
            v->readonly = g_str_has_suffix(v->path, "-ro");
        } else {
            v->path = g_strdup_printf("fd %d", fd);
        }
        g_ptr_array_add(socks, v);
    }
    return true;
}

static void
vkdSocketFree(gpointer data)
{
    vkdSocket *v = data;
    if (v->ours)
        g_unlink(v->path);
    g_clear_object(&v->sock);
    g_free(v->path);
    g_free(v);
}

static bool
vkdAdd(GPtrArray *socks, const char *path, bool readonly, unsigned int perms, gid_t gid,
       bool optional, GError **err)
{
    g_autoptr(GError) lerr = NULL;
    GSocket *s = vkdSocketListen(path, perms, gid, &lerr);
    vkdSocket *v;

    if (!s) {
        if (optional) {
            g_info("not listening on %s: %s", path, lerr->message);
            return true;
        }
        g_propagate_error(err, g_steal_pointer(&lerr));
        return false;
    }
    v = g_new0(vkdSocket, 1);
    v->path = g_strdup(path);
    v->readonly = readonly;
    v->ours = true;
    v->sock = s;
    g_ptr_array_add(socks, v);
    g_info("listening on %s%s", path, readonly ? " (read-only)" : "");
    return true;
}

static bool
vkdSocketsOpen(const vkdConfig *cfg, GPtrArray *socks, GError **err)
{
    gid_t gid = (gid_t)-1;
    g_autofree char *rw = NULL, *ro = NULL, *lrw = NULL, *lro = NULL;

    if (cfg->sock_group && *cfg->sock_group) {
        struct group *gr = getgrnam(cfg->sock_group);
        if (!gr) {
            g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                        "unix_sock_group = \"%s\" in %s: no such group", cfg->sock_group,
                        cfg->config_path);
            return false;
        }
        gid = gr->gr_gid;
    }
    rw = g_build_filename(cfg->sock_dir, "virtkit-sock", NULL);
    if (!vkdAdd(socks, rw, false, cfg->rw_perms, gid, false, err))
        return false;
    if (cfg->ro_enable) {
        ro = g_build_filename(cfg->sock_dir, "virtkit-sock-ro", NULL);
        if (!vkdAdd(socks, ro, true, cfg->ro_perms, gid, false, err))
            return false;
    }
    /* libvirt's paths, so stock tools reach us without ?socket=, but never
     * one another daemon answers on: off when asked, on when free. */
    if (cfg->libvirt_sockets != 0) {
        bool optional = cfg->libvirt_sockets < 0;
        g_autoptr(GError) lerr = NULL;

        lrw = g_build_filename(cfg->libvirt_sock_dir, "libvirt-sock", NULL);
        if (!vkdAdd(socks, lrw, false, cfg->rw_perms, gid, optional, &lerr))
            g_warning("libvirt_sockets = 1, but %s", lerr->message);
        if (cfg->ro_enable) {
            g_clear_error(&lerr);
            lro = g_build_filename(cfg->libvirt_sock_dir, "libvirt-sock-ro", NULL);
            if (!vkdAdd(socks, lro, true, cfg->ro_perms, gid, optional, &lerr))
                g_warning("libvirt_sockets = 1, but %s", lerr->message);
        }
    }
    return true;
}

/* ---- main ---- */

#ifdef VK_HAVE_REMOTE_PROGRAM
static const vkRpcProgram *const vkd_programs[] = { &vkRpcRemoteProgram };
static const vkRpcServerHooks vkd_hooks = {
    vkRpcDispatchClientNew, vkRpcDispatchClientFree, vkRpcDispatchClientIsOpen,
};
#endif

typedef struct {
    GMainLoop *loop;
    vkRpcServer *srv;
    guint timeout;
    int signal;
} vkdMain;

static gboolean
vkdOnSignal(gpointer data)
{
    vkdMain *m = data;
    m->signal = 1;
    g_main_loop_quit(m->loop);
    return G_SOURCE_CONTINUE;
}

static gboolean
vkdOnTick(gpointer data)
{
    vkdMain *m = data;
    if (m->timeout && vkRpcServerIdleSeconds(m->srv) >= m->timeout) {
        g_info("no client for %u s (--timeout), exiting", m->timeout);
        g_main_loop_quit(m->loop);
    }
    return G_SOURCE_CONTINUE;
}

static void
vkdConfigDefaults(vkdConfig *cfg)
{
    const char *run = g_get_user_runtime_dir();

    memset(cfg, 0, sizeof(*cfg));
    vkRpcServerConfigInit(&cfg->rpc);
    cfg->libvirt_sockets = -1;
    cfg->rw_perms = 0700;
    cfg->ro_perms = 0777;
    cfg->log_level = 3;
    if (vkd_privileged) {
        cfg->config_path = g_strdup("/etc/virtkit/virtkitd.conf");
        cfg->sock_dir = g_strdup("/run/virtkit");
        cfg->libvirt_sock_dir = g_strdup("/run/libvirt");
        cfg->ro_enable = true;
    } else {
        cfg->config_path = g_build_filename(g_get_user_config_dir(), "virtkit", "virtkitd.conf",
                                            NULL);
        cfg->sock_dir = g_build_filename(run, "virtkit", NULL);
        cfg->libvirt_sock_dir = g_build_filename(run, "libvirt", NULL);
        cfg->ro_enable = false;
    }
}

int
main(int argc, char **argv)
{
    g_autofree char *opt_config = NULL, *opt_pidfile = NULL;
    gboolean opt_version = FALSE, opt_verbose = FALSE, opt_dump = FALSE;
    gint opt_timeout = 0;
    GOptionEntry entries[] = {
        { "config", 'f', 0, G_OPTION_ARG_FILENAME, &opt_config,
          "configuration file (default /etc/virtkit/virtkitd.conf as root, "
          "$XDG_CONFIG_HOME/virtkit/virtkitd.conf otherwise)", "FILE" },
        { "pid-file", 'p', 0, G_OPTION_ARG_FILENAME, &opt_pidfile,
          "pid file, locked while the daemon runs", "FILE" },
        { "timeout", 't', 0, G_OPTION_ARG_INT, &opt_timeout,
          "exit after SECS seconds without a client", "SECS" },
        { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "log info messages", NULL },
        { "version", 'V', 0, G_OPTION_ARG_NONE, &opt_version, "print the version and exit", NULL },
        /* for tests/integration: the table the read-only test walks */
        { "dump-procedures", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_dump,
          "print every procedure served (program, number, name, flags) and exit", NULL },
        G_OPTION_ENTRY_NULL
    };
    g_autoptr(GOptionContext) octx = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) socks = NULL;
    g_autofree char *pidfile = NULL;
    vkdConfig cfg;
    vkdMain m = { 0 };
    int pidfd;
    const vkRpcProgram *const *progs = NULL;
    size_t nprogs = 0;
    const vkRpcServerHooks *hooks = NULL;

    vkd_privileged = geteuid() == 0;
    octx = g_option_context_new("- serve a virtkit host over libvirt's remote protocol");
    g_option_context_set_summary(octx,
        "Runs in the foreground.  Stock virsh reaches it with\n"
        "  virsh -c 'test+unix:///default?socket=SOCKET' ...\n"
        "or with no URI when it listens on libvirt's socket (libvirt_sockets).");
    g_option_context_add_main_entries(octx, entries, NULL);
    if (!g_option_context_parse(octx, &argc, &argv, &err)) {
        fprintf(stderr, "virtkitd: %s (try --help)\n", err->message);
        return 2;
    }
    if (opt_version) {
        printf("virtkitd (virtkit) %s\n", VIRTKIT_VERSION);
        return 0;
    }
    if (opt_dump) {
#ifdef VK_HAVE_REMOTE_PROGRAM
        for (size_t i = 0; i < G_N_ELEMENTS(vkd_programs); i++) {
            const vkRpcProgram *p = vkd_programs[i];
            for (size_t j = 0; j < p->nprocs; j++)
                printf("%#x %d %s %s%s%s%s\n", p->prog, p->procs[j].proc, p->procs[j].name,
                       p->procs[j].flags & VK_RPC_PROC_READONLY_OK ? "readonly-ok," : "",
                       p->procs[j].flags & VK_RPC_PROC_PRIORITY ? "priority," : "",
                       p->procs[j].flags & VK_RPC_PROC_PREOPEN ? "preopen," : "",
                       p->procs[j].flags & VK_RPC_PROC_SERVER_ONLY ? "server-only," : "");
        }
#endif
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "virtkitd: unexpected argument '%s' (try --help)\n", argv[1]);
        return 2;
    }
    if (opt_timeout < 0) {
        fprintf(stderr, "virtkitd: --timeout %d: seconds must be 0 (never) or more\n",
                opt_timeout);
        return 2;
    }

    vkdConfigDefaults(&cfg);
    if (opt_config) {
        g_free(cfg.config_path);
        cfg.config_path = g_strdup(opt_config);
    }
    if (!vkdConfigLoad(&cfg, cfg.config_path, opt_config != NULL, &err)) {
        fprintf(stderr, "virtkitd: %s\n", err->message);
        return 1;
    }
    cfg.rpc.config_name = cfg.config_path;
    vkd_log_level = opt_verbose ? MIN(cfg.log_level, 2) : cfg.log_level;
    g_log_set_writer_func(vkdLogWriter, NULL, NULL);
    {
        g_autofree char *lvl = g_strdup_printf("%d", vkd_log_level);
        if (vkLogConfigure(lvl, cfg.log_filters, cfg.log_outputs) < 0) {
            virErrorPtr e = virGetLastError();
            fprintf(stderr, "virtkitd: log settings in %s: %s\n", cfg.config_path,
                    e && e->message ? e->message : "invalid");
            return 1;
        }
    }
    virSetErrorFunc(NULL, vkdQuietErrors);

    pidfile = opt_pidfile ? g_strdup(opt_pidfile)
                          : vkd_privileged ? g_strdup("/run/virtkitd.pid")
                                           : g_build_filename(g_get_user_runtime_dir(), "virtkit",
                                                              "virtkitd.pid", NULL);
    if ((pidfd = vkdPidFileAcquire(pidfile, &err)) < 0) {
        fprintf(stderr, "virtkitd: %s\n", err->message);
        return 1;
    }

    socks = g_ptr_array_new_with_free_func(vkdSocketFree);
    if (!vkdSocketsActivated(socks, &err) ||
        (socks->len == 0 && !vkdSocketsOpen(&cfg, socks, &err))) {
        fprintf(stderr, "virtkitd: %s\n", err->message);
        g_unlink(pidfile);
        return 1;
    }

#ifdef VK_HAVE_REMOTE_PROGRAM
    progs = vkd_programs;
    nprogs = G_N_ELEMENTS(vkd_programs);
    hooks = &vkd_hooks;
#else
    g_warning("this build has no remote program table: every call is answered "
              "'Cannot find program'");
#endif
    m.srv = vkRpcServerNew(&cfg.rpc, hooks, progs, nprogs, &err);
    if (!m.srv) {
        fprintf(stderr, "virtkitd: %s\n", err->message);
        g_unlink(pidfile);
        return 1;
    }
    for (guint i = 0; i < socks->len; i++) {
        vkdSocket *v = g_ptr_array_index(socks, i);
        vkRpcServerAddListener(m.srv, v->sock, v->readonly);
    }
    signal(SIGPIPE, SIG_IGN);
    if (!vkRpcServerStart(m.srv, &err)) {
        fprintf(stderr, "virtkitd: %s\n", err->message);
        g_unlink(pidfile);
        return 1;
    }
    g_info("virtkitd %s running, pid %ld", VIRTKIT_VERSION, (long)getpid());

    m.loop = g_main_loop_new(NULL, FALSE);
    m.timeout = opt_timeout;
    g_unix_signal_add(SIGTERM, vkdOnSignal, &m);
    g_unix_signal_add(SIGINT, vkdOnSignal, &m);
    g_timeout_add(200, vkdOnTick, &m);
    g_main_loop_run(m.loop);

    vkRpcServerFree(m.srv);
    g_main_loop_unref(m.loop);
    g_clear_pointer(&socks, g_ptr_array_unref);
    g_unlink(pidfile);
    close(pidfd);
    g_free(cfg.config_path);
    g_free(cfg.sock_dir);
    g_free(cfg.libvirt_sock_dir);
    g_free(cfg.sock_group);
    g_free(cfg.log_filters);
    g_free(cfg.log_outputs);
    return 0;
}
