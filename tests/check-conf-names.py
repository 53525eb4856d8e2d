#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks conf/'s one naming style (stated in conf/virtkit-conf-xml.h).

Every function, typedef, struct tag and file-scope variable in conf/*.c and
conf/*.h, static ones included, is virtkit + CamelCase (no underscore after
the prefix; a struct tag adds a leading underscore); every macro a conf/
header defines is VIRTKIT_UPPER_CASE.  Struct fields, parameters and locals
are not checked (they are snake_case, as in GLib).

usage: check-conf-names.py CONFDIR
Prints TAP, one test per file; exits 1 on any violation.
"""
import os
import re
import sys

NAME = re.compile(r"_?virtkit[A-Z][A-Za-z0-9]*$")
MACRO = re.compile(r"VIRTKIT_[A-Z0-9_]+$")
# Names defined by the toolchain or GLib that a file may set on purpose.
ALLOWED_MACROS = {"G_LOG_DOMAIN"}


def strip(text):
    """Comments and string literals blanked out, line structure kept."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                  blank, text, flags=re.S)


def names_in(path):
    """Yields (line number, kind, name) for every file-scope name in @path."""
    text = strip(open(path).read())
    depth = 0
    header = path.endswith(".h")
    for no, line in enumerate(text.split("\n"), 1):
        at_top = depth == 0
        if at_top:
            m = re.match(r"#\s*define\s+(\w+)", line)
            if m and header and m.group(1) not in ALLOWED_MACROS:
                yield no, "macro", m.group(1)
            m = re.match(r"(?:static\s+)?(?:inline\s+)?(?:[\w\s\*]+?[\s\*])?(\w+)\s*\(", line)
            if m and not line.startswith(("#", " ", "\t", "G_", "return")):
                yield no, "function", m.group(1)
            m = re.match(r"typedef\s+(?:struct|enum|union)\s+(\w+)", line)
            if m:
                yield no, "tag", m.group(1)
            m = re.match(r"typedef\b[^;(]*?(\w+)\s*;", line)
            if m:
                yield no, "typedef", m.group(1)
            m = re.match(r"(?:struct|enum|union)\s+(\w+)\s*\{", line)
            if m:
                yield no, "tag", m.group(1)
            m = re.match(r"(?:static\s+|extern\s+)?(?:const\s+)?(?!typedef|struct|enum|return)"
                         r"\w+[\s\*]+(?:const\s+)?\**\s*(\w+)\s*(?:\[\w*\])?\s*(?:=|;)", line)
            if m and not line.startswith((" ", "\t", "#")):
                yield no, "variable", m.group(1)
        m = re.match(r"\}\s*(\w+)\s*;", line)
        if m and depth == 1:
            yield no, "typedef", m.group(1)
        depth += line.count("{") - line.count("}")


def main():
    confdir = sys.argv[1]
    files = sorted(f for f in os.listdir(confdir) if f.endswith((".c", ".h")))
    print(f"1..{len(files)}")
    failed = False
    for i, f in enumerate(files, 1):
        bad = []
        for no, kind, name in names_in(os.path.join(confdir, f)):
            ok = MACRO.match(name) if kind == "macro" else NAME.match(name)
            if not ok:
                bad.append(f"{f}:{no}: {kind} '{name}' is not "
                           + ("VIRTKIT_UPPER_CASE" if kind == "macro" else "virtkitCamelCase"))
        if bad:
            failed = True
            print(f"not ok {i} - {f}")
            for b in bad:
                print(f"# {b}")
        else:
            print(f"ok {i} - {f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
