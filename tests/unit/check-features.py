#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Compares virtkit's connection feature numbers with the table of the
protocol brief (shared/protocol/README.md, section 6: what libvirtd 9.0
answered stock clients), read at test time.  TAP on stdout.

usage: check-features.py TEST-FEATURES-BINARY BRIEF"""

import os
import re
import subprocess
import sys


def brief_table(path):
    """{number: name} from the rows of section 6's table."""
    text = open(path, encoding="utf-8").read()
    sec = re.search(r"^## 6\..*?$(.*?)^## ", text, re.S | re.M)
    if not sec:
        raise SystemExit("Bail out! no section 6 in " + path)
    out = {}
    for line in sec.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2:
            continue
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", cells[0])
        if not m:
            continue
        lo = int(m.group(1))
        hi = int(m.group(2) or lo)
        names = [n.strip() for n in cells[1].split(",")]
        if len(names) != hi - lo + 1:
            raise SystemExit(f"Bail out! row '{line}': {hi - lo + 1} numbers, {len(names)} names")
        for i, n in enumerate(names):
            out[lo + i] = n
    return out


def main():
    binary, brief = sys.argv[1], sys.argv[2]
    if not os.path.exists(brief):
        print("1..0 # SKIP the protocol brief is not beside this tree: " + brief)
        return 0
    want = brief_table(brief)
    got = {}
    for line in subprocess.run([binary, "--list"], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        num, name = line.split()
        got[int(num)] = name
    nums = sorted(set(want) | set(got))
    print(f"1..{len(nums)}")
    bad = 0
    for i, n in enumerate(nums, 1):
        if want.get(n) == got.get(n):
            print(f"ok {i} - feature {n} is {got[n]}")
        else:
            bad += 1
            print(f"not ok {i} - feature {n}: the brief says {want.get(n)}, virtkit says {got.get(n)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
