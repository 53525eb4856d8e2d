#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Stock virsh against virtkitd serving test:///default, each command in its
own virsh process, compared with what the same virsh prints against
Debian's stock libvirtd serving libvirt's own test driver (TAP).

usage: check-virsh.py VIRTKITD

`test+unix:///default?socket=PATH` is the URI that makes stock virsh talk to
a daemon: with a plain `test:///default` virsh opens libvirt's test driver
in its own process and no daemon is involved (each daemon's log shows the
client, checked below).

Each scenario runs on a fresh pair of daemons; a connection held open by
the test keeps each daemon's test:///default alive between virsh runs
(libvirt's test driver forgets its state when the last connection
closes).  stdout, stderr and exit status must match after volatile values
are masked (socket paths, CPU time, snapshot creation times).  Where our
test plugin does more than libvirt's test driver, the case writes the
expected text itself (`ours=`).

A command that virtkitd answers "unknown procedure: N" is a procedure the
dispatch table does not serve yet: the rest of that scenario is skipped
with the procedure named, so the list of skips is the list of what is left.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from rawrpc import Client  # noqa: E402

VIRTKITD = sys.argv[1]
VIRSH = shutil.which("virsh")
tap = harness.Tap()
WORK = tempfile.mkdtemp(prefix="vk-virsh-")
os.chmod(WORK, 0o777)

VM2_XML = """<domain type='test'>
  <name>vm2</name>
  <uuid>11111111-2222-3333-4444-555555555555</uuid>
  <memory unit='KiB'>1048576</memory>
  <currentMemory unit='KiB'>1048576</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <boot dev='hd'/>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/var/lib/vk-test/vm2.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
"""


def virsh_env(d):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C",
           "HOME": os.path.join(WORK, "home"), "XDG_CONFIG_HOME": os.path.join(WORK, "home", ".config"),
           "XDG_RUNTIME_DIR": os.path.join(WORK, "run"), "XDG_CACHE_HOME": os.path.join(WORK, "cache")}
    for p in (env["HOME"], env["XDG_RUNTIME_DIR"], env["XDG_CACHE_HOME"]):
        os.makedirs(p, exist_ok=True)
    return env


def run_virsh(d, args, ro=False, timeout=30):
    argv = [VIRSH, "-q"] + (["-r"] if ro else []) + ["-c", d.uri()] + args
    p = subprocess.run(argv, env=virsh_env(d), capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def mask(text, d):
    text = text.replace(d.sock, "SOCK")
    text = text.replace(d.dir, "DIR")
    text = re.sub(r"(?m)^(CPU time:\s+).*$", r"\1T", text)
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", "TIME", text)
    text = re.sub(r"<creationTime>\d+</creationTime>", "<creationTime>T</creationTime>", text)
    text = re.sub(r"(?m)^(Creation Time:\s*).*$", r"\1T", text)
    return text


UNKNOWN_PROC = re.compile(r"unknown procedure: (\d+)")


class Pair:
    """virtkitd and libvirtd, fresh, each with a holder connection."""

    def __init__(self):
        self.vk = harness.Virtkitd(VIRTKITD).start()
        self.lv = harness.Libvirtd().start()
        self.holders = []
        for d in (self.vk, self.lv):
            c = Client(d.sock)
            c.call(66)
            c.recv()
            c.open()
            self.holders.append(c)

    def stop(self):
        for c in self.holders:
            c.close()
        self.vk.stop()
        self.lv.stop()


def scenario(name, steps):
    """steps: (args, options) with options: ours= expected (rc, out, err) for
    virtkitd where it does more than libvirt's test driver; ro=True."""
    pair = Pair()
    try:
        skipping = None
        for step in steps:
            args, opts = step[0], (step[1] if len(step) > 1 else {})
            label = "%s: virsh %s%s" % (name, "-r " if opts.get("ro") else "", " ".join(args))
            if skipping:
                tap.skip(label, skipping)
                continue
            # {dir}: a directory of each daemon's own (0777), so files one
            # daemon writes are never the other's
            lv = run_virsh(pair.lv, [a.replace("{dir}", pair.lv.dir) for a in args],
                           ro=opts.get("ro", False))
            vk = run_virsh(pair.vk, [a.replace("{dir}", pair.vk.dir) for a in args],
                           ro=opts.get("ro", False))
            m = UNKNOWN_PROC.search(vk[2])
            if m and vk[0] != 0:
                skipping = "virtkitd does not serve procedure %s yet (needed by virsh %s)" % (
                    m.group(1), args[0])
                tap.skip(label, skipping)
                continue
            lv_m = (lv[0], mask(lv[1], pair.lv), mask(lv[2], pair.lv))
            vk_m = (vk[0], mask(vk[1], pair.vk), mask(vk[2], pair.vk))
            if opts.get("no_cpu_time"):
                # libvirt's test driver reports a clock reading as the CPU
                # time of a shut-off domain; ours reports 0, for which virsh
                # prints no line (as against a real hypervisor)
                lv_m = (lv_m[0], re.sub(r"(?m)^CPU time:.*\n", "", lv_m[1]), lv_m[2])
            if opts.get("digits"):
                vk_m = (vk_m[0], re.sub(r"\d+", "N", vk_m[1]), vk_m[2])
            if "ours" in opts:
                want = opts["ours"]
                tap.ok(vk_m == want, label + " (expected text: virtkit's test plugin does more)",
                       "virtkitd: %r\nexpected: %r\nlibvirtd: %r" % (vk_m, want, lv_m))
            else:
                tap.ok(vk_m == lv_m, label, "virtkitd: %r\nlibvirtd: %r" % (vk_m, lv_m))
        tap.ok(pair.vk.alive(), "%s: virtkitd alive at the end" % name, pair.vk.log())
    finally:
        pair.stop()


def events():
    """virsh event --all --timeout while another virsh destroys and starts."""
    pair = Pair()
    try:
        outs = {}
        for d in (pair.lv, pair.vk):
            argv = [VIRSH, "-q", "-c", d.uri(), "event", "--all", "--loop", "--timeout", "6"]
            ev = subprocess.Popen(argv, env=virsh_env(d), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
            time.sleep(1.5)  # registered by then (27 calls)
            steps = [run_virsh(d, a) for a in (["destroy", "test"], ["start", "test"])]
            try:
                out, err = ev.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                ev.kill()
                out, err = ev.communicate()
            outs[d] = (ev.returncode, mask(out, d), mask(err, d), [x[0] for x in steps])
        vk, lv = outs[pair.vk], outs[pair.lv]
        m = UNKNOWN_PROC.search(vk[2])
        if m:
            tap.skip("events: virsh event --all --timeout with destroy and start",
                     "virtkitd does not serve procedure %s yet" % m.group(1))
        else:
            tap.ok(vk == lv and "Stopped Destroyed" in lv[1],
                   "events: virsh event --all --timeout with destroy and start",
                   "virtkitd: %r\nlibvirtd: %r" % (vk, lv))
    finally:
        pair.stop()


def check_through_daemon():
    """The URI really goes through the socket: the daemon logs the client."""
    vk = harness.Virtkitd(VIRTKITD).start()
    try:
        rc, out, err = run_virsh(vk, ["uri"])
        time.sleep(0.2)
        tap.ok(rc == 0 and "connected" in vk.log(), "test+unix:// URI reaches virtkitd over its socket",
               vk.log())
        # a plain test:///default is libvirt's driver inside virsh: no client
        n = vk.log().count("connected:")
        subprocess.run([VIRSH, "-q", "-c", "test:///default", "list"], env=virsh_env(vk),
                       capture_output=True, timeout=30)
        time.sleep(0.2)
        tap.ok(vk.log().count("connected:") == n, "plain test:///default does not touch the daemon")
    finally:
        vk.stop()


def main():
    why = harness.Libvirtd.available()
    if not VIRSH or why:
        tap.skip("virsh tour", why or "no virsh (libvirt-clients)")
        tap.done()
    vm2 = os.path.join(WORK, "vm2.xml")
    with open(vm2, "w") as f:
        f.write(VM2_XML)
    os.chmod(vm2, 0o644)
    try:
        check_through_daemon()
        scenario("host", [
            (["version"],), (["hostname"],), (["nodeinfo"],), (["uri"],),
            (["list", "--all"],), (["dominfo", "test"],), (["domstate", "test", "--reason"],),
            (["capabilities"],),
        ])
        scenario("define", [
            (["define", vm2],), (["list", "--all"],), (["start", "vm2"],), (["dumpxml", "vm2"],),
            (["domstate", "vm2", "--reason"],), (["destroy", "vm2"],), (["undefine", "vm2"],),
            (["list", "--all"],),
        ])
        scenario("destroy", [
            (["destroy", "test"],), (["domstate", "test", "--reason"],), (["start", "test"],),
            (["destroy", "test"], {"ro": True}), (["list", "--all"],),
        ])
        scenario("suspend", [
            (["suspend", "test"],), (["domstate", "test", "--reason"],), (["resume", "test"],),
            (["domstate", "test", "--reason"],),
        ])
        scenario("shutdown", [(["shutdown", "test"],), (["domstate", "test", "--reason"],)])
        scenario("disks", [
            (["define", vm2],), (["start", "vm2"],), (["domblklist", "vm2"],),
            # libvirt's test driver invents rd/wr counters from the clock;
            # our test plugin keeps counters per disk, with libvirt's
            # BLOCK_STATS_FLAGS fields (virsh shows them all)
            (["domblkstat", "vm2", "vda"], {"digits": True, "ours": (0, "".join(
                "vda %s N\n" % f for f in ("rd_req", "rd_bytes", "wr_req", "wr_bytes", "flush_operations",
                                           "rd_total_times", "wr_total_times", "flush_total_times")), "")}),
        ])
        scenario("blkinfo", [(["define", vm2],), (["domblkinfo", "vm2", "vda"],)])
        scenario("blockresize", [
            (["define", vm2],), (["start", "vm2"],),
            # libvirt's test driver has no blockresize; ours grows the disk
            # (it refuses to shrink one)
            (["blockresize", "vm2", "vda", "2T"], {"ours": (0, "", "")}),  # -q: no "resized" line
            (["domblkinfo", "vm2", "vda"], {"ours": (0, "Capacity:       2199023255552\n"
                                                      "Allocation:     1099511627776\nPhysical:       1099511627776\n", "")}),
            (["blockresize", "vm2", "vda", "1G"], {"ours": (1, "", "error: Failed to resize block device 'vda'\n"
                "error: invalid argument: cannot shrink disk 'vda' (/var/lib/vk-test/vm2.img) of domain 'vm2' "
                "from 2199023255552 to 1073741824 bytes\n")}),
        ])
        scenario("schedinfo", [(["schedinfo", "test"],), (["schedinfo", "test", "--set", "weight=100"],
                                                         # libvirt's test driver does not keep the weight set
                                                         {"ours": (0, "Scheduler      : fair\n"
                                                                   "weight         : 100\n", "")})])
        scenario("memtune", [
            (["memtune", "test"],), (["memtune", "test", "--hard-limit", "4194304"],), (["memtune", "test"],),
        ])
        scenario("blkiotune", [(["blkiotune", "test"],)])
        scenario("save", [
            (["save", "test", "{dir}/test.save"],), (["domstate", "test", "--reason"],),
            (["restore", "{dir}/test.save"],),
            (["domstate", "test", "--reason"],),
        ])
        scenario("managedsave", [
            (["managedsave", "test"],), (["dominfo", "test"], {"no_cpu_time": True}), (["start", "test"],),
            (["domstate", "test", "--reason"],),
        ])
        scenario("snapshots", [
            (["snapshot-list", "test"],),
            (["snapshot-create-as", "test", "s1", "--description", "first"],),
            (["snapshot-create-as", "test", "s2"],),
            (["snapshot-list", "test"],), (["snapshot-list", "test", "--tree"],),
            (["snapshot-current", "test", "--name"],), (["snapshot-info", "test", "s1"],),
            (["snapshot-parent", "test", "s2"],), (["snapshot-dumpxml", "test", "s1"],),
            (["undefine", "test"],),
            (["snapshot-revert", "test", "s1"],), (["snapshot-delete", "test", "s2"],),
            (["snapshot-list", "test", "--name"],),
        ])
        events()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    tap.done()


main()
