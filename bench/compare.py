#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""virtkit against Debian's libvirt on test:///default, in the same run.

1. In process: bench/domain-ops.c built against each (domain-ops and
   domain-ops-libvirt), run one after the other (order alternating between
   runs), microseconds of the calling thread's CPU time per operation and
   the speed-up (libvirt / virtkit).
2. Whole process: `vksh -c test:///default list --all` against `virsh ...`,
   and beside them /bin/true and bench/startup-floor (vksh's libraries and
   the test plugin loaded, nothing run): what the dynamic linker alone costs.

Each figure is the median over --runs runs; with more than one run the
range of the ratio over the runs is printed too, and the load average of
the machine before and after.  --readme rewrites README.md's table (between
its bench markers) from the result.  Not run by `meson test`.

usage: bench/compare.sh [--runs R] [--readme] [BUILDDIR [N [BIG]]]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (key in domain-ops' output, label, goal as text, goal test on the speed-up)
IN_PROCESS = [
    ("define", "define (1000 domains)", "≥ 3×", lambda r: r >= 3),
    ("lookup-by-name", "lookup by name", "", None),
    ("lookup+xmldesc", "lookup + XMLDesc", "≥ 3×", lambda r: r >= 3),
    ("list-all-1000 (per call, median)", "listAllDomains, 1000 domains", "", None),
    ("list-all-10000 (per call, median)", "listAllDomains, 10,000 domains", "", None),
    ("all-domain-stats-1000 (per call, median)",
     "getAllDomainStats, 1000 domains, default set (ours 12 stats a domain, libvirt's 2)",
     "≥ 3×", lambda r: r >= 3),
    ("all-domain-stats-1000 state (per call, median)",
     "getAllDomainStats, 1000 domains, state only (same 2 stats)", "≥ 3×", lambda r: r >= 3),
    ("all-domain-stats-1000 first call",
     "getAllDomainStats, first call (ours reads each disk file once)", "", None),
    ("lookup+undefine", "lookup + undefine", "≥ 3×", lambda r: r >= 3),
]


def run_ops(exe, n, big, env):
    out = subprocess.run([exe, str(n), str(big)], check=True, capture_output=True,
                         text=True, env=env).stdout
    figures = {}
    for line in out.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        name, us = line.rsplit("\t", 1)
        figures[name] = float(us)
    return figures


def time_process(argv, env, count):
    """Mean wall time and mean CPU time (user + system, from getrusage) of
    @count runs of @argv, in milliseconds.  The CPU time is what the
    process itself used: waiting for a CPU other work holds is not in it,
    so it moves far less with the machine's load than the wall time."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    for _ in range(count):
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = (time.perf_counter() - t0) * 1000 / count
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)) * 1000 / count
    return wall, cpu


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--readme", action="store_true")
    ap.add_argument("--processes", type=int, default=30,
                    help="runs of each program per whole-process figure")
    ap.add_argument("builddir", nargs="?", default="build")
    ap.add_argument("n", nargs="?", type=int, default=1000)
    ap.add_argument("big", nargs="?", type=int, default=10000)
    a = ap.parse_args()
    b = os.path.join(ROOT, a.builddir)
    env = dict(os.environ)
    env["VIRTKIT_PLUGIN_DIR"] = os.path.join(b, "plugins", "test")
    env["VIRTKIT_PLUGIN_SYSTEM_DIR"] = ""
    plugin_so = os.path.join(b, "plugins", "test", "libvirtkit-plugin-test.so")
    procs = [
        ("true", ["/bin/true"]),
        ("floor", [os.path.join(b, "bench", "startup-floor"), plugin_so]),
        ("vksh", [os.path.join(b, "tools", "vksh", "vksh"), "-c", "test:///default",
                  "list", "--all"]),
        ("virsh", ["virsh", "-c", "test:///default", "list", "--all"]),
    ]
    vk_runs, lv_runs, proc_runs = [], [], []
    load_before = loadavg()
    for r in range(a.runs):
        pair = [("vk", os.path.join(b, "bench", "domain-ops")),
                ("lv", os.path.join(b, "bench", "domain-ops-libvirt"))]
        if r % 2:
            pair.reverse()
        got = {k: run_ops(exe, a.n, a.big, env) for k, exe in pair}
        vk_runs.append(got["vk"])
        lv_runs.append(got["lv"])
        proc_runs.append({k: time_process(argv, env, a.processes) for k, argv in procs})
        print(f"run {r + 1}/{a.runs}: load {loadavg():.2f}", file=sys.stderr)
    load_after = loadavg()

    rows = []
    print(f"in process, µs of CPU time per operation, median of {a.runs} run(s) "
          f"({a.n} domains; list-all also with {a.big}):")
    print(f"{'operation':<48} {'virtkit':>10} {'libvirt':>10} {'speed-up':>9}  range")
    for key, label, goal, test in IN_PROCESS:
        vk = [x[key] for x in vk_runs]
        lv = [x[key] for x in lv_runs]
        ratios = [l / v for v, l in zip(vk, lv)]
        mv, ml, mr = statistics.median(vk), statistics.median(lv), statistics.median(ratios)
        met = "" if not test else ("met" if test(mr) else "**missed**")
        rows.append((label, mv, ml, mr, min(ratios), max(ratios), goal, met))
        print(f"{key:<48} {mv:>10.2f} {ml:>10.2f} {mr:>8.2f}x  "
              f"{min(ratios):.2f}–{max(ratios):.2f}")

    wall = {k: statistics.median(x[k][0] for x in proc_runs) for k, _ in procs}
    cpu = {k: statistics.median(x[k][1] for x in proc_runs) for k, _ in procs}
    vr = [x["vksh"][0] / x["virsh"][0] for x in proc_runs]
    vc = [x["vksh"][1] / x["virsh"][1] for x in proc_runs]
    print()
    print(f"whole process, ms per run (mean of {a.processes}, median of {a.runs} run(s)):")
    print(f"  {'':<8} {'wall':>8} {'cpu':>8}")
    for k, _ in procs:
        print(f"  {k:<8} {wall[k]:8.2f} {cpu[k]:8.2f}")
    print(f"  vksh takes {statistics.median(vr):.2f} of virsh's wall time "
          f"({min(vr):.2f}–{max(vr):.2f}) and {statistics.median(vc):.2f} of its CPU time "
          f"({min(vc):.2f}–{max(vc):.2f}); the floor takes {wall['floor'] / wall['virsh']:.2f} "
          f"and {cpu['floor'] / cpu['virsh']:.2f}; vksh is {wall['vksh'] / wall['floor']:.2f}× "
          f"its floor in wall time, {cpu['vksh'] / cpu['floor']:.2f}× in CPU time")
    print(f"load average (1 min) before {load_before:.2f}, after {load_after:.2f}, "
          f"on {os.cpu_count()} CPUs")

    if a.readme:
        update_readme(rows, wall, cpu, vr, vc, a, load_before, load_after)


def update_readme(rows, wall, cpu, vr, vc, a, load_before, load_after):
    begin = "<!-- bench/compare.sh --readme: begin -->"
    end = "<!-- bench/compare.sh --readme: end -->"
    path = os.path.join(ROOT, "README.md")
    text = open(path, encoding="utf-8").read()
    if begin not in text or end not in text:
        sys.exit("compare.py: README.md has no bench markers")
    lines = [begin, "",
             f"Median of {a.runs} runs of `bench/compare.sh --runs {a.runs}` on this machine "
             f"({os.cpu_count()} CPUs shared with other work: load average {load_before:.1f} "
             f"before, {load_after:.1f} after); µs of the calling thread's CPU time per operation "
             "(wall time on this machine is mostly waiting for a CPU), speed-up = libvirt ÷ virtkit, "
             "with its range over the runs.", "",
             "| operation | virtkit | libvirt 9.0 | speed-up | range | goal |",
             "|---|---:|---:|---:|---:|---|"]
    for label, mv, ml, mr, lo, hi, goal, met in rows:
        g = f"{goal} {met}".strip()
        lines.append(f"| {label} | {fmt(mv)} | {fmt(ml)} | {mr:.2f}× | {lo:.2f}–{hi:.2f} | {g} |")
    vmed, cmed = statistics.median(vr), statistics.median(vc)
    lines += ["",
              f"Whole process (ms a run, mean of {a.processes} runs each, median over the runs; "
              "wall time, then CPU time, user + system, which the load moves far less):", "",
              "| program | wall | CPU | ÷ virsh (wall / CPU) |", "|---|---:|---:|---:|"]
    names = [("true", "`/bin/true`"),
             ("floor", "`bench/startup-floor` (vksh's libraries and the test plugin loaded, nothing run)"),
             ("vksh", "`vksh -c test:///default list --all`"),
             ("virsh", "`virsh -c test:///default list --all`")]
    for k, label in names:
        lines.append(f"| {label} | {wall[k]:.2f} | {cpu[k]:.2f} | "
                     f"{wall[k] / wall['virsh']:.2f} / {cpu[k] / cpu['virsh']:.2f} |")
    floor = cpu["floor"] / cpu["virsh"]
    vf = cpu["vksh"] / cpu["floor"]
    goal = (f"the floor is under ¼ of virsh's CPU time ({floor:.2f}), so the goal is vksh ≤ 0.25: "
            f"{'met' if cmed <= 0.25 else 'missed'}" if floor < 0.25 else
            f"the floor itself takes {floor:.2f} of virsh's CPU time, not under ¼, so the goal "
            f"is vksh within 1.2× of the floor: {'met' if vf <= 1.2 else 'missed'}")
    lines += ["",
              f"vksh takes {vmed:.2f} of virsh's wall time ({min(vr):.2f}–{max(vr):.2f}) and "
              f"{cmed:.2f} of its CPU time ({min(vc):.2f}–{max(vc):.2f}), and is {vf:.2f}× its "
              f"floor in CPU time; {goal}.", "", end]
    a_i, b_i = text.index(begin), text.index(end) + len(end)
    open(path, "w", encoding="utf-8").write(text[:a_i] + "\n".join(lines) + text[b_i:])
    print("README.md updated", file=sys.stderr)


def fmt(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.2f}"


if __name__ == "__main__":
    main()
