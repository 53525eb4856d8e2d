#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""TAP test: which URI virConnectOpen(NULL) chooses, and how a name
without a scheme is refused, in virtkit and in Debian's libvirt 9.0, in
the same run (one open-probe binary built against each).

usage: check-open-default.py OURS-PROBE THEIRS-PROBE

Both run with nothing configured: no *_DEFAULT_URI variable, XDG dirs and
HOME in an empty temporary directory (no user config, no session daemon
socket), LIBVIRT_AUTOSTART=0 (libvirt's client must not spawn a daemon),
and VIRTKIT_CONF naming a file that does not exist.

Intended differences, checked as such:
- with nothing configured both fail with the same code, domain and level;
  libvirt's message is about the daemon socket it tried, ours names the
  ways to choose a URI (virtkitd does not exist yet, so no socket is tried);
- the refusal of a name without a scheme keeps libvirt's message as its
  prefix, then says the name is not an alias either;
- VIRTKIT_DEFAULT_URI comes before LIBVIRT_DEFAULT_URI (libvirt has no
  VIRTKIT_DEFAULT_URI).
"""
import os
import re
import subprocess
import sys
import tempfile

OURS, THEIRS = sys.argv[1], sys.argv[2]
VIR_ERR_NO_CONNECT = 5
VIR_ERR_SYSTEM_ERROR = 38
VIR_FROM_NONE = 0
VIR_FROM_RPC = 7
VIR_ERR_ERROR = 2

tmp = tempfile.mkdtemp(prefix="vk-open-default-")
conf = os.path.join(tmp, "virtkit.conf")


def probe(prog, names, extra=None):
    env = dict(os.environ)
    for k in ("LIBVIRT_DEFAULT_URI", "VIRTKIT_DEFAULT_URI", "VIRSH_DEFAULT_CONNECT_URI",
              "VKSH_DEFAULT_CONNECT_URI", "LIBVIRT_DEBUG", "VIRTKIT_DEBUG"):
        env.pop(k, None)
    for k in ("XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        env[k] = os.path.join(tmp, k.lower())
    env["HOME"] = tmp
    env["LIBVIRT_AUTOSTART"] = "0"
    env["VIRTKIT_CONF"] = conf
    env.update(extra or {})
    out = subprocess.run([prog] + names, env=env, capture_output=True, text=True,
                         timeout=60).stdout
    lines = out.splitlines()
    assert len(lines) == len(names), "probe printed %r" % out
    res = []
    for line in lines:
        if line.startswith("OK "):
            res.append(("OK", line[3:]))
        else:
            m = re.match(r"ERR (\d+) (\d+) (\d+) (.*)$", line)
            assert m, line
            res.append((int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)))
    return res


results = []


def check(name, ok, detail=""):
    results.append((bool(ok), name, detail))


def stock_default_configured():
    """A machine-wide libvirt default (root reads /etc/libvirt/libvirt.conf)
    would make libvirt open something: then the comparison means nothing."""
    try:
        with open("/etc/libvirt/libvirt.conf") as f:
            return re.search(r"(?m)^\s*uri_default\s*=", f.read()) is not None
    except OSError:
        return False


# 1. Nothing configured: both fail, with the same code, domain and level.
ours = probe(OURS, ["-"])[0]
theirs = probe(THEIRS, ["-"])[0]
if stock_default_configured():
    results.append((True, "nothing configured: compared with libvirt", "SKIP "
                    "/etc/libvirt/libvirt.conf sets uri_default on this machine"))
elif theirs[0] == "OK":
    results.append((True, "nothing configured: compared with libvirt", "SKIP "
                    "libvirt connected to %s: a libvirt daemon runs on this machine" % theirs[1]))
else:
    check("nothing configured: libvirt fails (system error from the RPC layer)",
          theirs[:3] == (VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, VIR_ERR_ERROR), repr(theirs))
    check("nothing configured: virtkit fails with libvirt's code, domain and level",
          ours[:3] == theirs[:3], "ours %r\ntheirs %r" % (ours, theirs))
if ours[0] == "OK":
    check("nothing configured: no mock host chosen", False, "virtkit opened " + ours[1])
else:
    msg = ours[3]
    want = ["vksh -c URI", "virConnectOpen", "VIRTKIT_DEFAULT_URI", "LIBVIRT_DEFAULT_URI",
            "uri_default in " + conf]
    missing = [w for w in want if w not in msg]
    check("nothing configured: the message names every way to choose a URI", not missing,
          "message: %s\nmissing: %r" % (msg, missing))
    check("nothing configured: the message says there is no local virtkitd",
          "no local virtkitd" in msg, msg)

# 2. LIBVIRT_DEFAULT_URI is honoured by both.
env = {"LIBVIRT_DEFAULT_URI": "test:///default"}
ours = probe(OURS, ["-"], env)[0]
theirs = probe(THEIRS, ["-"], env)[0]
check("LIBVIRT_DEFAULT_URI=test:///default: both open it",
      ours == theirs == ("OK", "test:///default"), "ours %r\ntheirs %r" % (ours, theirs))
ours = probe(OURS, [""], env)[0]
check("virConnectOpen(\"\") takes the default as well", ours == ("OK", "test:///default"),
      repr(ours))

# 3. VIRTKIT_DEFAULT_URI first, then LIBVIRT_DEFAULT_URI, then uri_default.
env = {"VIRTKIT_DEFAULT_URI": "test:///default", "LIBVIRT_DEFAULT_URI": "myte"}
ours = probe(OURS, ["-"], env)[0]
check("VIRTKIT_DEFAULT_URI comes before LIBVIRT_DEFAULT_URI", ours == ("OK", "test:///default"),
      repr(ours))
with open(conf, "w") as f:
    f.write('uri_default = "myte"\n')
ours = probe(OURS, ["-"], {"LIBVIRT_DEFAULT_URI": "test:///default"})[0]
check("LIBVIRT_DEFAULT_URI comes before uri_default", ours == ("OK", "test:///default"),
      repr(ours))
with open(conf, "w") as f:
    f.write('uri_default = "test:///default"\n')
ours = probe(OURS, ["-"], {"LIBVIRT_DEFAULT_URI": ""})[0]
check("an empty LIBVIRT_DEFAULT_URI counts as unset; uri_default is used",
      ours == ("OK", "test:///default"), repr(ours))
os.unlink(conf)

# 4. A name without a scheme: libvirt's code, domain and message.
names = ["myte", "my_te", "/tmp/x", "a%41b", "a@b?c"]
for name, o, t in zip(names, probe(OURS, names), probe(THEIRS, names)):
    check("'%s': libvirt refuses it as VIR_ERR_NO_CONNECT from VIR_FROM_NONE" % name,
          t[:3] == (VIR_ERR_NO_CONNECT, VIR_FROM_NONE, VIR_ERR_ERROR), repr(t))
    check("'%s': virtkit refuses it with libvirt's code, domain and level" % name,
          o[:3] == t[:3], "ours %r\ntheirs %r" % (o, t))
    check("'%s': virtkit's message starts with libvirt's, word for word" % name,
          o[0] != "OK" and t[0] != "OK" and o[3].startswith(t[3]),
          "ours %r\ntheirs %r" % (o, t))
o = probe(OURS, ["myte"])[0]
check("'myte': the message adds that it is no alias", o[0] != "OK" and o[3].endswith(
      "; it is not an alias in 'uri_aliases' of %s (none defined)" % conf), repr(o))
o = probe(OURS, ["-"], {"LIBVIRT_DEFAULT_URI": "myte"})[0]
check("a default without a scheme says where it came from",
      o[0] == VIR_ERR_NO_CONNECT and o[3].endswith("; it came from $LIBVIRT_DEFAULT_URI"),
      repr(o))

os.rmdir(tmp) if not os.listdir(tmp) else None
print("1..%d" % len(results))
for i, (ok, name, detail) in enumerate(results, 1):
    if detail.startswith("SKIP "):
        print("ok %d - %s # SKIP %s" % (i, name, detail[5:]))
        continue
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        for line in detail.splitlines():
            print("# " + line)
