#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""virtkitd as a process (TAP): options, the pid file, sockets it takes and
those it must not, socket activation, the idle timeout, conf errors.

usage: check-daemon.py VIRTKITD

- --version, --help, a bad option, a bad conf value (named with its file).
- The pid file is locked: a second virtkitd refuses and names the pid.
- A socket path another live daemon answers on is never taken (our own
  path: refused; libvirt's path with libvirt_sockets = 1: skipped with a
  warning, and the stock libvirtd on it keeps working); a stale socket
  is replaced.
- libvirt_sockets = 1 on a free libvirt_sock_dir: stock virsh reaches
  virtkitd there.
- LISTEN_PID/LISTEN_FDS (systemd's protocol): the passed sockets are used
  and none is created; the one bound to a path ending -ro is read-only.
- --timeout 1 exits by itself once no client is connected.
- The harness itself: a test process ended by SIGTERM (meson's timeout)
  or by an exception leaves no daemon behind.
"""
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from rawrpc import OK, Client  # noqa: E402

VIRTKITD = sys.argv[1]
tap = harness.Tap()


def run(argv, env=None, timeout=20):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)


def auth_list_ok(path):
    c = Client(path)
    try:
        c.call(66)
        return c.recv().status == OK
    finally:
        c.close()


def cli():
    p = run([VIRTKITD, "--version"])
    tap.ok(p.returncode == 0 and p.stdout.startswith("virtkitd (virtkit) "), "--version", p.stdout)
    p = run([VIRTKITD, "--help"])
    tap.ok(p.returncode == 0 and "--pid-file" in p.stdout and "--timeout" in p.stdout, "--help", p.stdout)
    p = run([VIRTKITD, "--no-such-option"])
    tap.ok(p.returncode == 2 and "no-such-option" in p.stderr, "a bad option is refused", p.stderr)
    d = harness.Virtkitd(VIRTKITD, max_workers=0)
    try:
        p = run([VIRTKITD, "-f", d.conf, "-p", d.pidfile], env=d.env())
        tap.ok(p.returncode == 1 and "max_workers" in p.stderr and d.conf in p.stderr,
               "max_workers = 0 refused, naming the knob and the file", p.stderr)
    finally:
        d.stop()
    d = harness.Virtkitd(VIRTKITD, keepalive_interval="five")
    try:
        p = run([VIRTKITD, "-f", d.conf, "-p", d.pidfile], env=d.env())
        tap.ok(p.returncode == 1 and "keepalive_interval" in p.stderr and d.conf in p.stderr,
               "a string for keepalive_interval refused, naming key and file", p.stderr)
    finally:
        d.stop()
    p = run([VIRTKITD, "-f", "/nonexistent/virtkitd.conf", "-p", "/nonexistent/x.pid"])
    tap.ok(p.returncode == 1 and "/nonexistent/virtkitd.conf" in p.stderr, "a missing --config is an error",
           p.stderr)


def pidfile_and_sockets():
    d = harness.Virtkitd(VIRTKITD).start()
    try:
        p = run([VIRTKITD, "-f", d.conf, "-p", d.pidfile], env=d.env())
        tap.ok(p.returncode == 1 and ("pid %d holds the pid file" % d.proc.pid) in p.stderr,
               "a second virtkitd refuses, naming the pid holding the pid file", p.stderr)
        other = os.path.join(d.dir, "other.pid")
        p = run([VIRTKITD, "-f", d.conf, "-p", other], env=d.env())
        tap.ok(p.returncode == 1 and ("another daemon is listening on %s" % d.sock) in p.stderr,
               "a socket a live daemon answers on is not taken", p.stderr)
        tap.ok(auth_list_ok(d.sock), "the first daemon still serves")
        d.proc.kill()
        d.proc.wait(10)
        tap.ok(os.path.exists(d.sock), "a killed daemon leaves a stale socket behind")
        d.start()
        tap.ok(auth_list_ok(d.sock), "a stale socket is replaced")
    finally:
        d.stop()


def libvirt_sockets():
    why = harness.Libvirtd.available()
    if why:
        tap.skip("libvirt_sockets beside a live libvirtd", why)
    else:
        lv = harness.Libvirtd().start()
        d = harness.Virtkitd(VIRTKITD, libvirt_sockets=1, libvirt_sock_dir=os.path.dirname(lv.sock))
        try:
            d.start()
            time.sleep(0.3)
            tap.ok("libvirt_sockets = 1, but another daemon is listening on %s" % lv.sock in d.log(),
                   "libvirt_sockets = 1 does not take libvirt's socket from a live libvirtd", d.log())
            p = run(["virsh", "-q", "-c", lv.uri(), "hostname"], env=d.env())
            tap.ok(p.returncode == 0 and lv.alive(), "and the libvirtd keeps serving it", p.stderr)
        finally:
            d.stop()
            lv.stop()
    d = harness.Virtkitd(VIRTKITD)
    libdir = os.path.join(d.dir, "libvirt-run")
    d.configure(libvirt_sockets=1, libvirt_sock_dir=libdir)
    try:
        d.start()
        lsock = os.path.join(libdir, "libvirt-sock")
        p = run(["virsh", "-q", "-c", "test+unix:///default?socket=" + lsock, "list", "--all"], env=d.env())
        tap.ok(p.returncode == 0 and "test" in p.stdout, "on a free path libvirt_sockets serves libvirt's socket",
               p.stdout + p.stderr)
        ro = os.path.join(libdir, "libvirt-sock-ro")
        p = run(["virsh", "-q", "-c", "test+unix:///default?socket=" + ro, "destroy", "test"], env=d.env())
        tap.ok(p.returncode == 1 and "read only access prevents virDomainDestroy" in p.stderr,
               "and libvirt's -ro socket is read-only", p.stderr)
    finally:
        d.stop()


def activation():
    d = harness.Virtkitd(VIRTKITD)
    try:
        paths = [os.path.join(d.dir, "act-sock"), os.path.join(d.dir, "act-sock-ro")]
        socks = []
        for p in paths:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(p)
            s.listen(16)
            socks.append(s)
        env = d.env()

        def child():
            for i, s in enumerate(socks):
                os.dup2(s.fileno(), 3 + i)
                os.set_inheritable(3 + i, True)
            os.environ.clear()
            os.environ.update(env)
            os.environ["LISTEN_PID"] = str(os.getpid())
            os.environ["LISTEN_FDS"] = "2"
        logf = open(os.path.join(d.dir, "daemon.log"), "w")
        d.proc = subprocess.Popen([VIRTKITD, "-f", d.conf, "-p", d.pidfile, "-v"], preexec_fn=child,
                                  close_fds=False, stdout=logf, stderr=subprocess.STDOUT)
        logf.close()
        for s in socks:
            s.close()
        harness.wait_socket(paths[0], d.proc)
        tap.ok(auth_list_ok(paths[0]), "socket activation: the passed socket serves")
        tap.ok(not os.path.exists(d.sock), "socket activation: no socket of its own is created")
        p = run(["virsh", "-q", "-c", "test+unix:///default?socket=" + paths[1], "destroy", "test"], env=env)
        tap.ok(p.returncode == 1 and "read only access prevents virDomainDestroy" in p.stderr,
               "socket activation: the -ro one is read-only", p.stderr)
    finally:
        d.stop()


def idle_timeout():
    d = harness.Virtkitd(VIRTKITD)
    try:
        d.start(["--timeout", "1"])
        c = Client(d.sock)
        c.call(66)
        c.recv()
        time.sleep(1.6)
        tap.ok(d.alive(), "--timeout 1: stays while a client is connected")
        c.close()
        try:
            d.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
        tap.ok(d.proc.returncode == 0, "--timeout 1: exits by itself once idle", d.log())
        tap.ok(not os.path.exists(d.sock) and not os.path.exists(d.pidfile),
               "--timeout 1: its socket and pid file are removed")
    finally:
        d.stop()


CHILD = r"""
import os, sys, time
sys.path.insert(0, sys.argv[1])
import harness
d = harness.Virtkitd(sys.argv[2]).start()
print(d.proc.pid, flush=True)
if sys.argv[3] == "raise":
    raise RuntimeError("a case failing early")
time.sleep(60)
"""


def gone_now(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            # a zombie is gone too: only its parent (the child) can reap it
            return f.read().split(") ", 1)[1].startswith("Z")
    except FileNotFoundError:
        return True


def gone(pid, within=10.0):
    deadline = time.monotonic() + within
    while not gone_now(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def harness_cleanup():
    here = os.path.dirname(os.path.abspath(__file__))
    for how in ("sigterm", "raise"):
        child = subprocess.Popen([sys.executable, "-c", CHILD, here, VIRTKITD, how],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        pid, ok = 0, False
        try:
            pid = int(child.stdout.readline() or 0)
            if how == "sigterm" and pid:
                child.terminate()
            child.wait(20)
            ok = pid and gone(pid)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            if pid and not gone_now(pid):
                os.kill(pid, 9)
        tap.ok(ok, "harness: a test ended by %s leaves no virtkitd behind" %
               ("SIGTERM" if how == "sigterm" else "an exception"), "pid %d" % pid)


cli()
harness_cleanup()
pidfile_and_sockets()
libvirt_sockets()
activation()
idle_timeout()
tap.done()
