# SPDX-License-Identifier: LGPL-2.1-or-later
"""Daemons for the integration tests, started by the test on temporary
sockets and killed by pid: virtkitd (the build's) and, as the reference,
Debian's stock libvirtd serving libvirt's own test driver, unprivileged
(as uid 65534 when the test runs as root), with HOME and XDG_* in a
temporary directory so nothing touches the real user's state."""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

LIBVIRTD = shutil.which("libvirtd") or (os.path.exists("/usr/sbin/libvirtd") and "/usr/sbin/libvirtd")
SETPRIV = shutil.which("setpriv")

# Every daemon a test starts is ended by pid when the test ends, however it
# ends: a normal exit, an exception (atexit), or meson's SIGTERM at its
# timeout and a ^C (the handlers below).  As a backstop for SIGKILL, which
# no handler sees, each daemon also gets an idle timeout: it exits by
# itself once no client has been connected for IDLE_EXIT seconds (a
# killed test's connections close with it).
IDLE_EXIT = 300
_live = set()


def _stop_all():
    for d in list(_live):
        d.stop()


def _on_signal(signum, frame):
    _stop_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


atexit.register(_stop_all)
for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, _on_signal)


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, diag=None):
        self.n += 1
        if not cond:
            self.failed += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, name))
        if diag and not cond:
            for line in str(diag).splitlines():
                print("# " + line)
        sys.stdout.flush()
        return cond

    def skip(self, name, reason):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, reason))
        sys.stdout.flush()

    def done(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed else 0)


def wait_socket(path, proc, timeout=15.0):
    """Until a connect() to path succeeds; raises when proc died or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("daemon exited with %s before listening on %s" % (proc.returncode, path))
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            s.close()
            return
        except OSError:
            s.close()
            time.sleep(0.05)
    raise RuntimeError("nothing listens on %s after %.0f s" % (path, timeout))


class Daemon:
    """Common part: a temp dir, a process, a socket path, kill by pid."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="vk-it-")
        os.chmod(self.dir, 0o777)
        self.proc = None
        self.sock = None
        self.ro_sock = None

    def env(self):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.path.join(self.dir, "home"),
            "XDG_RUNTIME_DIR": os.path.join(self.dir, "run"),
            "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
            "XDG_CACHE_HOME": os.path.join(self.dir, "cache"),
            "XDG_DATA_HOME": os.path.join(self.dir, "data"),
            "XDG_STATE_HOME": os.path.join(self.dir, "state"),
            "LANG": "C",
        }
        for k in ("VIRTKIT_PLUGIN_DIR", "VIRTKIT_PLUGIN_SYSTEM_DIR", "ASAN_OPTIONS", "UBSAN_OPTIONS",
                  "LD_LIBRARY_PATH"):
            if k in os.environ:
                env[k] = os.environ[k]
        for d in ("home", "run", "config", "cache", "data", "state"):
            p = os.path.join(self.dir, d)
            os.makedirs(p, exist_ok=True)
            os.chmod(p, 0o700 if d == "run" else 0o777)
        return env

    def uri(self, ro=False):
        return "test+unix:///default?socket=" + (self.ro_sock if ro else self.sock)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        _live.discard(self)
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self):
        try:
            with open(os.path.join(self.dir, "daemon.log"), errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""


def conf_text(settings):
    out = []
    for k, v in settings.items():
        out.append("%s = %s" % (k, '"%s"' % v if isinstance(v, str) else int(v)))
    return "\n".join(out) + "\n"


class Virtkitd(Daemon):
    def __init__(self, binary, **settings):
        super().__init__()
        self.binary = binary
        sockdir = os.path.join(self.dir, "sock")
        conf = {"unix_sock_dir": sockdir, "libvirt_sockets": 0, "unix_sock_ro_enable": 1}
        conf.update(settings)
        self.settings = conf
        self.conf = os.path.join(self.dir, "virtkitd.conf")
        self.configure()
        self.sock = os.path.join(sockdir, "virtkit-sock")
        self.ro_sock = os.path.join(sockdir, "virtkit-sock-ro")
        self.pidfile = os.path.join(self.dir, "virtkitd.pid")

    def configure(self, **settings):
        self.settings.update(settings)
        with open(self.conf, "w") as f:
            f.write(conf_text(self.settings))

    def start(self, extra=()):
        logf = open(os.path.join(self.dir, "daemon.log"), "w")
        # --timeout first: a test's own --timeout in extra comes later and wins
        self.proc = subprocess.Popen([self.binary, "-f", self.conf, "-p", self.pidfile, "-v",
                                      "--timeout", str(IDLE_EXIT)] + list(extra),
                                     env=self.env(), stdout=logf, stderr=subprocess.STDOUT)
        _live.add(self)
        logf.close()
        wait_socket(self.sock, self.proc)
        return self


class Libvirtd(Daemon):
    """Stock libvirtd in session mode: one socket, DIR/sock/libvirt-sock."""

    def __init__(self, **settings):
        super().__init__()
        sockdir = os.path.join(self.dir, "sock")
        os.makedirs(sockdir)
        os.chmod(sockdir, 0o777)
        conf = {"unix_sock_dir": sockdir, "auth_unix_rw": "none", "auth_unix_ro": "none",
                "log_outputs": "3:file:" + os.path.join(self.dir, "daemon.log")}
        conf.update(settings)
        if "max_clients" in conf and "max_anonymous_clients" not in conf:
            conf["max_anonymous_clients"] = conf["max_clients"]
        self.conf = os.path.join(self.dir, "libvirtd.conf")
        with open(self.conf, "w") as f:
            f.write(conf_text(conf))
        os.chmod(self.conf, 0o644)
        self.sock = os.path.join(sockdir, "libvirt-sock")
        self.ro_sock = None

    @staticmethod
    def available():
        if not LIBVIRTD:
            return "no libvirtd installed (Debian package libvirt-daemon)"
        if os.geteuid() == 0 and not SETPRIV:
            return "running as root and no setpriv to drop to uid 65534"
        return None

    def start(self):
        argv = [LIBVIRTD, "-f", self.conf, "-t", str(IDLE_EXIT)]
        env = self.env()
        if os.geteuid() == 0:
            # unprivileged, as the protocol README's captures were made
            argv = [SETPRIV, "--reuid", "65534", "--regid", "65534", "--clear-groups"] + argv
            for d in ("home", "run", "config", "cache", "data", "state"):
                os.chown(os.path.join(self.dir, d), 65534, 65534)
        self.proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _live.add(self)
        wait_socket(self.sock, self.proc)
        return self
