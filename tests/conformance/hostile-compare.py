#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs the hostile-argument table (hostile.c, generated from core/api/ by
hostile-gen.py) built against virtkit and, when given, against Debian's
libvirt, both on test:///default, and reports TAP.

usage: hostile-compare.py OURS [STOCK]

virtkit must run every case without dying (the sanitizer build runs this
under ASan and UBSan: an overflow or a NULL dereference kills the run).
Where libvirt's own wrapper refuses the argument -- VIR_ERR_INVALID_ARG
worded as its argument checks are (virCheck*Arg and the like, no
"invalid argument: " prefix) -- virtkit must leave the very same error:
code, domain, level and message, unless the case is listed in INTENDED
below with the reason.  Everything else (what a driver says once the
arguments pass) belongs to misuse.c's table and the plugin tests.

Stock libvirt dies on some cases where its wrapper checks nothing (a count
that says the caller's list is longer than it is); the run resumes after
such a case and the case is reported as a note, never as virtkit's fault.
"""

import os
import subprocess
import sys

# Where virtkit means to leave another error than libvirt's wrapper, and why.
# The value is virtkit's line after the case name.
INTENDED = {
    "virTypedParamsAddFromString__value_null": (
        "same code and domain; virtkit names the argument, the call, the field and its type",
        "8|0|2|invalid argument: value in virTypedParamsAddFromString must not be NULL "
        "(field 'x', type 'unknown')"),
    "virConnectStoragePoolEventRegisterAny__pool_null": (
        "storage pool events are not implemented in virtkit yet: the call says so first",
        "3|18|2|this function is not supported by the connection driver: "
        "virConnectStoragePoolEventRegisterAny (not implemented in virtkit yet)"),
}

# Cases no wrapper can check: the count says how long the caller's own list
# is, and the run's list is shorter, so reading it overruns it in libvirt
# and in virtkit alike (C cannot tell how long an array is).
UNCHECKABLE = {"virTypedParamsGet__nparams_max"} | {
    f"virTypedParamsGet{t}__nparams_max"
    for t in ("Boolean", "Double", "Int", "LLong", "String", "UInt", "ULLong")}


def run(prog):
    """Runs PROG to the end, resuming after a case that kills it.  Returns
    ({case: line}, [case order], [cases that died], stderr tails)."""
    lines, order, died, errs = {}, [], [], []
    env = dict(os.environ)
    start = None
    for _ in range(1000):
        args = [prog] + (["--from", start] if start else [])
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, env=env, timeout=600)
        last = None
        for line in p.stdout.splitlines():
            name, sep, rest = line.partition("|")
            if not sep:
                continue
            last = name
            order.append(name)
            lines[name] = rest if rest else None
        if p.returncode == 0 and (last is None or lines[last] is not None):
            return lines, order, died, errs
        if last is None or lines[last] is not None:
            errs.append(f"exit status {p.returncode} between cases: {p.stderr[-3000:]}")
            return lines, order, died, errs
        died.append(last)
        errs.append(f"{last}: exit status {p.returncode}: {p.stderr[-3000:]}")
        start = last
    return lines, order, died, errs


def wrapper_refusal(line):
    return line is not None and line.startswith("8|") and "|invalid argument: " not in line


def main():
    ours_prog = sys.argv[1]
    stock_prog = sys.argv[2] if len(sys.argv) > 2 else None
    ours, order, died, errs = run(ours_prog)
    results = []
    if len(order) < 500:
        results.append((False, "the table", f"only {len(order)} cases ran"))
    for e in errs:
        if not any(e.startswith(u + ":") for u in UNCHECKABLE):
            results.append((False, "virtkit run", e))
    stock = None
    if stock_prog:
        stock, sorder, sdied, _ = run(stock_prog)
        if sorder != order:
            results.append((False, "same cases",
                            f"virtkit ran {len(order)} cases, libvirt {len(sorder)}"))
        notes = [n for n in sdied if n not in UNCHECKABLE]
        if notes:
            print(f"# libvirt 9.0 dies on {len(notes)} cases virtkit survives: "
                  + ", ".join(notes))
    for name in INTENDED:
        if name not in ours:
            results.append((False, f"{name} (intended)", "no such case in the table"))
    compared = 0
    for name in order:
        if name in UNCHECKABLE:
            continue
        got = ours[name]
        if got is None:
            continue            # reported above, with what the run printed
        if stock is None:
            intended = INTENDED.get(name)
            if intended:
                results.append((got == intended[1], name,
                                f"virtkit: {got}\n want:   {intended[1]}"))
            continue
        theirs = stock.get(name)
        if not wrapper_refusal(theirs) or got.startswith("SKIP|"):
            continue
        compared += 1
        intended = INTENDED.get(name)
        if intended:
            note, want = intended
            results.append((got == want, f"{name} # intended: {note}",
                            f"virtkit: {got}\n want:    {want}\n libvirt: {theirs}"))
        else:
            results.append((got == theirs, name, f"virtkit: {got}\n libvirt: {theirs}"))
    results.append((True, f"{len(order)} cases ran, {compared} compared with libvirt's "
                    "wrapper checks", ""))

    print(f"1..{len(results)}")
    fails = 0
    for i, (ok, name, why) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")
        if not ok:
            fails += 1
            for line in why.splitlines():
                print(f"# {line}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
