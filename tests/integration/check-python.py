#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Stock python3-libvirt against virtkitd, compared with the same calls
against Debian's libvirtd serving libvirt's test driver (TAP).

usage: check-python.py VIRTKITD

The tour: open, getType, getLibVersion, getHostname, getURI, lookupByName,
info, state, XMLDesc, isActive/isPersistent, listAllDomains, defineXML,
create, destroy, undefine, errors (code, domain, message) of a missing
domain and of a read-only destroy; then isAlive, setKeepAlive with the
default event loop running, and the close callback after the daemon is
killed (reason VIR_CONNECT_CLOSE_REASON_EOF).  A call that virtkitd answers
"unknown procedure" is skipped, naming the procedure.
"""
import os
import sys

try:
    import libvirt
except ImportError:
    # meson's python may be another interpreter than Debian's, which has
    # python3-libvirt
    if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("1..0 # SKIP no python3-libvirt")
    sys.exit(0)
import re  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

VIRTKITD = sys.argv[1]
tap = harness.Tap()
libvirt.registerErrorHandler(lambda ctx, err: None, None)

VM = """<domain type='test'><name>py1</name>
<uuid>22222222-3333-4444-5555-666666666666</uuid>
<memory unit='KiB'>524288</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type></os></domain>"""


def outcome(fn):
    try:
        return ("ok", fn())
    except libvirt.libvirtError as e:
        return ("error", e.get_error_code(), e.get_error_domain(), e.get_error_message())


def tour(uri):
    c = libvirt.open(uri)
    ro = libvirt.openReadOnly(uri)
    res = []
    steps = [
        ("getType", lambda: c.getType()),
        ("getLibVersion", lambda: c.getLibVersion() > 0),
        ("getHostname", lambda: c.getHostname()),
        ("getURI", lambda: re.sub(r"socket=.*", "socket=S", c.getURI())),
        ("lookupByName", lambda: c.lookupByName("test").name()),
        ("info", lambda: c.lookupByName("test").info()[:4]),
        ("state", lambda: c.lookupByName("test").state()),
        ("XMLDesc", lambda: c.lookupByName("test").XMLDesc(0)),
        ("isActive/isPersistent", lambda: (c.lookupByName("test").isActive(),
                                           c.lookupByName("test").isPersistent())),
        ("listAllDomains", lambda: sorted(d.name() for d in c.listAllDomains(0))),
        ("lookup missing", lambda: c.lookupByName("nosuch")),
        ("defineXML", lambda: c.defineXML(VM).name()),
        ("create", lambda: c.lookupByName("py1").create()),
        ("state after create", lambda: c.lookupByName("py1").state()),
        ("read-only destroy", lambda: ro.lookupByName("py1").destroy()),
        ("destroy", lambda: c.lookupByName("py1").destroy()),
        ("undefine", lambda: c.lookupByName("py1").undefine()),
        ("listAllDomains after", lambda: sorted(d.name() for d in c.listAllDomains(0))),
        ("isAlive", lambda: c.isAlive()),
    ]
    for name, fn in steps:
        res.append((name, outcome(fn)))
    ro.close()
    c.close()
    return res


def main():
    why = harness.Libvirtd.available()
    if why:
        tap.skip("python tour", why)
        tap.done()
    vk = harness.Virtkitd(VIRTKITD).start()
    lv = harness.Libvirtd().start()
    try:
        # holders keep each daemon's test:///default alive between opens
        hold = [libvirt.open(vk.uri()), libvirt.open(lv.uri())]
        ours, theirs = tour(vk.uri()), tour(lv.uri())
        for (name, a), (_, b) in zip(ours, theirs):
            m = a[0] == "error" and re.search(r"unknown procedure: (\d+)", a[3] or "")
            if m and b[0] != "error":
                tap.skip("python: " + name, "virtkitd does not serve procedure %s yet" % m.group(1))
                continue
            tap.ok(a == b, "python: " + name, "virtkitd: %r\nlibvirtd: %r" % (a, b))
        for h in hold:
            h.close()
    finally:
        lv.stop()

    # keepalive with an event loop, then the close callback when the daemon dies
    libvirt.virEventRegisterDefaultImpl()
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            libvirt.virEventRunDefaultImpl()
    t = threading.Thread(target=loop, daemon=True)
    t.start()
    try:
        c = libvirt.open(vk.uri())
        tap.ok(c.setKeepAlive(1, 3) == 0, "python: setKeepAlive(1, 3) with the default event loop")
        time.sleep(2.5)  # a few keepalive rounds in both directions
        tap.ok(c.isAlive() == 1 and c.getType() == "TEST", "python: alive after keepalive rounds")
        reasons = []
        c.registerCloseCallback(lambda conn, reason, opaque: reasons.append(reason), None)
        vk.proc.kill()
        vk.proc.wait(10)
        deadline = time.monotonic() + 10
        while not reasons and time.monotonic() < deadline:
            time.sleep(0.05)
        tap.ok(reasons == [libvirt.VIR_CONNECT_CLOSE_REASON_EOF],
               "python: close callback after the daemon is killed, reason EOF", repr(reasons))
        tap.ok(c.isAlive() == 0, "python: isAlive() is 0 afterwards")
        try:
            c.unregisterCloseCallback()
            c.close()
        except libvirt.libvirtError:
            pass
    finally:
        stop.set()
        vk.stop()
    tap.done()


main()
