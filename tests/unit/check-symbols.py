#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""TAP test: libvirtkit.so exports libvirt's symbols in the same version
nodes as Debian's libvirt.so.0, our own additions only in VIRTKIT_* nodes,
and nothing unversioned.

usage: check-symbols.py OURS.so LIBVIRT.so
"""
import re
import subprocess
import sys


def exports(path):
    out = subprocess.run(["objdump", "-T", path], check=True, capture_output=True,
                         text=True).stdout
    syms = {}
    for line in out.splitlines():
        m = re.search(r"\s(g|w)\s.*\s(\*UND\*|\.\w+)\s+[0-9a-f]+\s+(\S+)\s+(\w+)$", line)
        if m and m.group(2) != "*UND*":
            syms[m.group(4)] = m.group(3)
    return syms


ours, theirs = exports(sys.argv[1]), exports(sys.argv[2])
checks = []
lib = {s: n for s, n in ours.items() if n.startswith("LIBVIRT_")}
checks.append(("exports libvirt's symbols (more than 350)", len(lib) > 350, str(len(lib))))
wrong = [f"{s}: ours {n}, libvirt {theirs.get(s)}" for s, n in lib.items() if theirs.get(s) != n]
checks.append(("every libvirt symbol sits in libvirt's node", not wrong, "; ".join(wrong[:10])))
own = [s for s, n in ours.items() if n.startswith("VIRTKIT_")]
checks.append(("our additions sit in VIRTKIT_* nodes and are not libvirt's",
               own and not [s for s in own if s in theirs], ", ".join(own)))
stray = [f"{s} ({n})" for s, n in ours.items()
         if not n.startswith(("LIBVIRT_", "VIRTKIT_")) and n != "Base" and not s.startswith("_")]
checks.append(("nothing else is exported", not stray, ", ".join(stray[:10])))

print(f"1..{len(checks)}")
bad = 0
for i, (name, ok, detail) in enumerate(checks, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        bad += 1
        print(f"# {detail}")
sys.exit(1 if bad else 0)
