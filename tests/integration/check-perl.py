#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Stock Sys::Virt (Debian's libsys-virt-perl) against virtkitd, compared
line by line with the same tour against Debian's libvirtd serving
libvirt's test driver (TAP).

usage: check-perl.py VIRTKITD

tour-perl.pl prints one "STEP: RESULT" line per call: connection facts,
the test domain's info, state, scheduler and memory parameters, errors
(code, domain, message) of a missing domain, a read-only destroy and a
stale handle, a define/start/suspend/resume/setMemory/snapshot/destroy/
undefine cycle, and the lifecycle events the default event loop
(Sys::Virt::Event::register_default) delivered for it.  Every line must be
the same from both daemons; there is no intended difference.
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

VIRTKITD = sys.argv[1]
TOUR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tour-perl.pl")
tap = harness.Tap()


def have_sys_virt():
    if not shutil.which("perl"):
        return "no perl"
    p = subprocess.run(["perl", "-MSys::Virt", "-e", "1"], capture_output=True, text=True)
    return None if p.returncode == 0 else "no Sys::Virt (Debian package libsys-virt-perl)"


def tour(daemon):
    p = subprocess.run(["perl", TOUR, daemon.uri()], capture_output=True, text=True, timeout=120)
    lines = p.stdout.splitlines()
    return p.returncode, lines, p.stderr


why = have_sys_virt() or harness.Libvirtd.available()
if why:
    print("1..0 # SKIP " + why)
    sys.exit(0)

vk = harness.Virtkitd(VIRTKITD).start()
try:
    lv = harness.Libvirtd().start()
    try:
        rc_lv, ref, err_lv = tour(lv)
    finally:
        lv.stop()
    rc_vk, got, err_vk = tour(vk)
    tap.ok(rc_lv == 0 and len(ref) > 40, "the tour runs against libvirtd", err_lv[-2000:])
    tap.ok(rc_vk == 0, "the tour runs against virtkitd", err_vk[-2000:] + vk.log()[-1500:])
    theirs = dict(line.split(": ", 1) for line in ref if ": " in line)
    ours = dict(line.split(": ", 1) for line in got if ": " in line)
    for line in ref:
        step = line.split(": ", 1)[0]
        tap.ok(ours.get(step) == theirs.get(step), "perl: " + step,
               "virtkitd: %r\nlibvirtd: %r" % (ours.get(step), theirs.get(step)))
    extra = [s for s in ours if s not in theirs]
    tap.ok(not extra, "no step only virtkitd printed", ", ".join(extra))
finally:
    vk.stop()
tap.done()
