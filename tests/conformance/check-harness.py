#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""TAP test: what virtkit-conformance tells a plugin author whose plugin
fails.  Run against the loader's good fixture (tests/plugins), which opens
fine but declares no org.virtkit.snapshots and has no snapshot (or define)
slot, so every case fails.

usage: check-harness.py VIRTKIT-CONFORMANCE FIXTURE-DIR
"""
import os
import re
import subprocess
import sys

PROG, FIXTURES = sys.argv[1], sys.argv[2]
results = []


def check(name, ok, detail=""):
    results.append((bool(ok), name, detail))


def run(args, env_extra=None):
    env = dict(os.environ)
    env["VIRTKIT_PLUGIN_DIR"] = FIXTURES
    env.pop("VIRTKIT_CONFORMANCE_URI", None)
    env.pop("VIRTKIT_CONFORMANCE_DOMAIN_XML", None)
    env.update(env_extra or {})
    return subprocess.run([PROG] + args, env=env, capture_output=True, text=True, timeout=300)


p = run(["--tap", "fixgood:///x"])
out = p.stdout
plan = re.search(r"(?m)^1\.\.(\d+)$", out)
lines = re.findall(r"(?m)^(ok|not ok) (\d+) (\S+)", out)
check("a failing plugin makes the suite fail", p.returncode != 0, "exit status %d" % p.returncode)
check("every case runs, though the first ones failed",
      plan is not None and len(lines) == int(plan.group(1)) and len(lines) > 20,
      "plan %s, %d results\n%s" % (plan and plan.group(0), len(lines), out[-2000:]))
check("a plugin that does not declare org.virtkit.snapshots fails, not skips",
      ("not ok", "1", "/snapshot/claimed") in lines and " # SKIP" not in out and
      "plugin 'fixgood' does not declare the vendor feature org.virtkit.snapshots" in out,
      out[:1500])
failed = [n for (st, _, n) in lines if st == "not ok" and n != "/snapshot/claimed"]
check("the cases fail (the fixture has no snapshots)", len(failed) == len(lines) - 1,
      "%d of %d failed" % (len(failed), len(lines)))
# VIR_ERR_NO_SUPPORT from virDomainDefineXML (CreateXML for transient ones)
want = (r"libvirt error: code 3, domain \d+, level 2: this function is not supported by the "
        r"connection driver: virDomain(Define|Create)XML")
missing = []
for name in failed:
    # GLib quotes the failed case's stderr under its "not ok" line
    block = re.search(r"(?s)# child process \(%s/subprocess \[\d+\]\) stderr: \"(.*?)\"\n"
                      % re.escape(name), out)
    if not block or not re.search(want, block.group(1)):
        missing.append(name)
check("each failed case shows the libvirt error of its failed call", not missing,
      "no '%s' under: %s" % (want, ", ".join(missing)))

p = run(["--tap"])
check("no URI: a usage message and exit status 2",
      p.returncode == 2 and "usage:" in p.stderr and "URI" in p.stderr,
      "exit %d, stderr %r" % (p.returncode, p.stderr))
p = run(["--tap", "fixgood:///x", "/nonexistent/template.xml"])
check("an unreadable template is named", p.returncode == 1 and
      "cannot read the domain template /nonexistent/template.xml" in p.stderr,
      "exit %d, stderr %r" % (p.returncode, p.stderr))

print("1..%d" % len(results))
for i, (ok, name, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        for line in detail.splitlines():
            print("# " + line)
