#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Summarises meson test logs for CI: counts per build directory, every
skipped test and TAP subtest with its reason, and a closing
'N passed, N failed' line over all of them.

usage: test-summary.py BUILDDIR..."""

import json
import re
import sys

SKIP_RE = re.compile(r"^(?:ok \d+\s*(?P<name>.*?)\s*# SKIP|1\.\.0 # SKIP)\s*(?P<why>.*)$",
                     re.I)


def main():
    total_p = total_f = 0
    for d in sys.argv[1:]:
        passed = failed = skipped = 0
        skips = []
        for line in open(f"{d}/meson-logs/testlog.json", encoding="utf-8"):
            r = json.loads(line)
            res = r["result"]
            if res in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif res == "SKIP":
                skipped += 1
            else:
                failed += 1
            # TAP subtests skipped inside a passing test count too: list each.
            for out in (r.get("stdout") or "").splitlines():
                m = SKIP_RE.match(out.strip())
                if m:
                    sub = (m.group("name") or "").lstrip("- ")
                    skips.append(f"{r['name']}: {sub + ': ' if sub else ''}{m.group('why')}")
            if res == "SKIP" and not any(s.startswith(r["name"] + ":") for s in skips):
                skips.append(f"{r['name']}: skipped (exit code 77, no reason printed)")
        print(f"{d}: {passed} passed, {failed} failed, {skipped} skipped tests; "
              f"{len(skips)} skips in all")
        for s in skips:
            print(f"  skip: {s}")
        total_p += passed
        total_f += failed
    print(f"{total_p} passed, {total_f} failed")


if __name__ == "__main__":
    main()
