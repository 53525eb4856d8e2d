#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks plugin operation tables and writes the support matrix.

For every plugin source in the tree (plugins/<name>/*.c, and any .c file
that says "virtkit-plugin: <name>" in a comment), every designated
initializer of a virtkitHypervisorOps / virtkitStorageOps / virtkitStreamOps
table must:
  - name its implementation <plugin><Field> (".domainSuspend =
    testDomainSuspend"), and
  - carry the ABI tag of the group the field sits in, in the generated
    header ("/* 1.0 */").

With --matrix FILE it also writes the support matrix (API x plugin) as
Markdown, for the README.  The older forms of an operation that the core
routes to the newest form's slot (api-gen.py's route=, named after the API
in the slot's comment) get a row each, marked with the slot's API.

usage: check-plugin-tables.py OPS_HEADER SRCROOT [--matrix FILE [--expect FILE]]
Prints TAP; exits 1 on any violation, or when the matrix differs from the
committed copy given with --expect (regenerate it with --matrix onto it).
"""
import os
import re
import sys


def header_groups(path):
    """(table, field) -> (abi group, API name, [older forms routed to it])"""
    fields = {}
    table = None
    group = "1.0"
    for line in open(path):
        m = re.match(r"typedef struct _(virtkit\w+Ops) \{", line)
        if m:
            table, group = m.group(1), "1.0"
            continue
        m = re.match(r"\s*/\* Since ABI (\d+\.\d+) \*/", line)
        if m:
            group = m.group(1)
            continue
        m = re.match(r"\s*.*\(\*(\w+)\)\(.*\);(?:\s*/\* (\w+)((?:, \w+)*) \*/)?", line)
        if m and table:
            routed = [n for n in (m.group(3) or "").split(", ") if n]
            fields[(table, m.group(1))] = (group, m.group(2) or m.group(1), routed)
    return fields


def plugin_sources(root):
    out = []
    for base, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(("build", ".git"))]
        for f in files:
            if not f.endswith(".c"):
                continue
            path = os.path.join(base, f)
            rel = os.path.relpath(path, root)
            parts = rel.split(os.sep)
            name = None
            if parts[0] == "plugins" and len(parts) > 2:
                name = parts[1]
            else:
                with open(path, errors="replace") as fp:
                    m = re.search(r"virtkit-plugin: (\w+)", fp.read(4000))
                if m:
                    name = m.group(1)
            if name:
                out.append((name, path))
    return sorted(out)


def tables_in(path):
    """Yields (table type, field, implementation, tag or None, line number)."""
    text = open(path, errors="replace").read()
    for m in re.finditer(r"(virtkit\w+Ops)\s+\w+\s*=\s*\{(.*?)\n\};", text, re.S):
        ttype = m.group(1)
        start = text.count("\n", 0, m.start(2)) + 1
        for i, line in enumerate(m.group(2).split("\n")):
            fm = re.match(r"\s*\.(\w+)\s*=\s*(\w+)\s*,?\s*(?:/\*\s*([\d.]+)\s*\*/)?", line)
            if fm and fm.group(1) != "struct_size":
                yield ttype, fm.group(1), fm.group(2), fm.group(3), start + i


def row_name(ttype, info):
    """A public API names its own row; a plugin-only slot (connectOpen, which
    the hypervisor and storage tables both have) is named with its table, so
    each row is listed once."""
    return info[1] if info[1].startswith("vir") else f"{ttype}.{info[1]}"


def main():
    hdr, root = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    matrix_out = args[args.index("--matrix") + 1] if "--matrix" in args else None
    expect = args[args.index("--expect") + 1] if "--expect" in args else None
    fields = header_groups(hdr)
    problems = []
    support = {}
    checked = 0
    for plugin, path in plugin_sources(root):
        for ttype, field, impl, tag, lineno in tables_in(path):
            checked += 1
            where = f"{os.path.relpath(path, root)}:{lineno}"
            info = fields.get((ttype, field))
            if not info:
                problems.append(f"{where}: {ttype} has no field '{field}'")
                continue
            want = plugin + field[0].upper() + field[1:]
            if impl != want:
                problems.append(f"{where}: .{field} is implemented by '{impl}'; name it '{want}'")
            if tag != info[0]:
                problems.append(f"{where}: .{field} carries ABI tag {tag or '(none)'}; "
                                f"its group in {os.path.basename(hdr)} is {info[0]}")
            # The matrix is of shipped plugins, not of examples and fixtures.
            if os.path.relpath(path, root).split(os.sep)[0] == "plugins":
                support.setdefault(row_name(ttype, info), set()).add(plugin)

    print("1..3" if expect else "1..2")
    print(f"{'ok' if checked else 'not ok'} 1 - found plugin tables to check ({checked} slots)")
    print(f"{'not ok' if problems else 'ok'} 2 - every slot is named <plugin><Field> and tagged with its ABI group")
    for p in problems:
        print(f"# {p}")

    if matrix_out:
        plugins = sorted({p for s in support.values() for p in s})
        via = {old: v[1] for v in fields.values() for old in v[2]}
        apis = sorted([row_name(k[0], v) for k, v in fields.items()] + list(via))
        assert len(apis) == len(set(apis)), "a row would be listed twice"
        with open(matrix_out, "w") as fp:
            fp.write("<!-- Generated by tests/check-plugin-tables.py: do not edit. -->\n")
            fp.write("# Support matrix\n\nWhich public API each in-tree plugin carries out "
                     "(✓), by its operation tables.  An older form of an operation has no "
                     "slot of its own: the core carries it out through the newest form's "
                     "slot (→), with libvirt's defaults.\n\n")
            if not plugins:
                fp.write("No in-tree plugin yet.\n")
            else:
                fp.write("| API | " + " | ".join(plugins) + " |\n")
                fp.write("|---|" + "---|" * len(plugins) + "\n")
                for api in apis:
                    slot_api = via.get(api, api)
                    row = ["✓" if p in support.get(slot_api, ()) else "" for p in plugins]
                    name = f"`{api}` → `{slot_api}`" if api in via else f"`{api}`"
                    fp.write(f"| {name} | " + " | ".join(row) + " |\n")
    stale = False
    if expect and matrix_out:
        stale = not os.path.exists(expect) or open(expect).read() != open(matrix_out).read()
        print(f"{'not ok' if stale else 'ok'} 3 - {os.path.relpath(expect, root)} is up to date")
        if stale:
            print(f"# regenerate: {sys.argv[0]} {hdr} {root} --matrix {expect}")
    sys.exit(1 if problems or not checked or stale else 0)


if __name__ == "__main__":
    main()
