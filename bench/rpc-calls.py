#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Calls per second over the wire: stock python3-libvirt against virtkitd
and against Debian's libvirtd (its test driver), same machine, same run,
both started here on temporary sockets (tests/integration/harness.py).

usage: bench/rpc-calls.py BUILDDIR [SECONDS]

Prints calls/s of getLibVersion (a trivial procedure), lookupByName +
XMLDesc, listAllDomains, and each daemon's RSS idle, with the ratios.
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
import harness  # noqa: E402
import libvirt  # noqa: E402

build = sys.argv[1]
secs = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
os.environ.setdefault("VIRTKIT_PLUGIN_DIR", os.path.join(build, "plugins", "test"))


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def rate(fn):
    n = 0
    end = time.monotonic() + secs
    start = time.monotonic()
    while time.monotonic() < end:
        for _ in range(50):
            fn()
        n += 50
    return n / (time.monotonic() - start)


def measure(d):
    libvirt.registerErrorHandler(lambda *a: None, None)
    c = libvirt.open(d.uri())
    dom = c.lookupByName("test")
    res = {
        "getLibVersion": rate(c.getLibVersion),
        "lookupByName+XMLDesc": rate(lambda: c.lookupByName("test").XMLDesc(0)),
        "listAllDomains": rate(lambda: c.listAllDomains(0)),
        "info": rate(dom.info),
    }
    res["rss_kib"] = rss_kib(d.proc.pid)
    c.close()
    return res


vk = harness.Virtkitd(os.path.join(build, "daemon", "virtkitd")).start()
lv = harness.Libvirtd().start()
try:
    time.sleep(0.5)
    idle = (rss_kib(vk.proc.pid), rss_kib(lv.proc.pid))
    r_vk = measure(vk)
    r_lv = measure(lv)
finally:
    vk.stop()
    lv.stop()
print("%-24s %12s %12s %8s" % ("calls/s", "virtkitd", "libvirtd", "ratio"))
for k in ("getLibVersion", "lookupByName+XMLDesc", "listAllDomains", "info"):
    print("%-24s %12.0f %12.0f %7.2fx" % (k, r_vk[k], r_lv[k], r_vk[k] / r_lv[k]))
print("%-24s %12d %12d %7.2fx" % ("RSS idle (KiB)", idle[0], idle[1], idle[0] / idle[1]))
print("%-24s %12d %12d %7.2fx" % ("RSS after (KiB)", r_vk["rss_kib"], r_lv["rss_kib"],
                                  r_vk["rss_kib"] / r_lv["rss_kib"]))
