#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Bootstrap virtkit's API description (core/api/*.api) from the facts that
Debian's libvirt-dev publishes: names, C types, numeric values, Since versions
(/usr/share/libvirt/api/libvirt-api.xml), the symbol version node of every
exported function (libvirt.so.0's dynamic symbol table) and which enum
members sit under VIR_ENUM_SENTINELS (the installed headers).

Only facts are carried over; no documentation text is.  The generated .api
files are ours from then on: they are committed, reviewed and edited by hand
(wrapper attributes such as read-only rules live there).  This script is run
by a developer, never by the build.

usage: scripts/api-import.py OUTDIR [CHECKS.tsv]

CHECKS.tsv (core/api/libvirt-checks.tsv) records, per libvirt 9.0 wrapper, the
checks it makes before calling its driver: read-only refusal, non-NULL and
range checks, flag exclusions and requirements (read from libvirt 9.0.0's
sources by a developer; facts only).
"""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

API_XML = "/usr/share/libvirt/api/libvirt-api.xml"
LIBVIRT_SO = "/usr/lib/x86_64-linux-gnu/libvirt.so.0"
HEADERS = "/usr/include/libvirt"

# libvirt file -> our family name (header virtkit-<family>.h)
FAMILIES = {
    "libvirt-common": "common",
    "libvirt-host": "host",
    "libvirt-event": "event",
    "libvirt-domain": "domain",
    "libvirt-domain-snapshot": "domain-snapshot",
    "libvirt-storage": "storage",
    "libvirt-stream": "stream",
    "virterror": "error",
}

# Implemented by hand in core/ (no plugin slot).  Everything else in these
# families is dispatched to a plugin table, or marked pending.
CORE = set("""
virGetVersion virInitialize virConnectOpen virConnectOpenReadOnly virConnectOpenAuth
virConnectClose virConnectRef virConnectGetURI virConnectGetLibVersion
virConnectRegisterCloseCallback virConnectUnregisterCloseCallback
virDomainRef virDomainFree virDomainGetName virDomainGetUUID virDomainGetUUIDString
virDomainGetID virDomainGetConnect
virDomainSnapshotRef virDomainSnapshotFree virDomainSnapshotGetName
virDomainSnapshotGetDomain virDomainSnapshotGetConnect
virStoragePoolRef virStoragePoolFree virStoragePoolGetName virStoragePoolGetUUID
virStoragePoolGetUUIDString virStoragePoolGetConnect
virStorageVolRef virStorageVolFree virStorageVolGetName virStorageVolGetKey
virStorageVolGetConnect
virStreamNew virStreamRef virStreamFree
virStreamSendAll virStreamRecvAll virStreamSparseSendAll virStreamSparseRecvAll
virNodeAllocPages
virDomainStatsRecordListFree virDomainFSInfoFree virDomainIOThreadInfoFree
virDomainInterfaceFree
virConnectDomainEventRegister virConnectDomainEventDeregister
virConnectDomainEventRegisterAny virConnectDomainEventDeregisterAny
virConnectStoragePoolEventRegisterAny virConnectStoragePoolEventDeregisterAny
virConnectSetIdentity
virDomainLookupByUUIDString virStoragePoolLookupByUUIDString virDomainCreateLinux
""".split())
CORE.discard("virNodeAllocPages")

# Calls whose other negative returns are answers, not errors (-2: would
# block on a non-blocking stream; -3: at a hole with STOP_AT_HOLE).
FAIL_ONLY_MINUS_ONE = {"virStreamSend", "virStreamRecv", "virStreamRecvFlags"}

# Families implemented wholly by hand.
CORE_FAMILIES = {"error", "event"}
CORE_PREFIXES = ("virTypedParams",)

# Hand-written in a later issue; until then the generated body says so.
PENDING = set("""
virConnectStoragePoolEventRegisterAny virConnectStoragePoolEventDeregisterAny
virConnectSetIdentity
""".split())


def sym_nodes():
    out = subprocess.run(["objdump", "-T", LIBVIRT_SO], check=True,
                         capture_output=True, text=True).stdout
    nodes = {}
    for line in out.splitlines():
        m = re.search(r"\s(LIBVIRT_[0-9.]+)\s+(\w+)$", line)
        if m:
            nodes[m.group(2)] = m.group(1)
    return nodes


def sentinels():
    names = set()
    for fn in os.listdir(HEADERS):
        inside = False
        for line in open(os.path.join(HEADERS, fn)):
            s = line.strip()
            if s.startswith("#") and "ifdef VIR_ENUM_SENTINELS" in s:
                inside = True
            elif s.startswith("#") and "endif" in s:
                inside = False
            elif inside:
                m = re.match(r"(VIR_\w+)", s)
                if m:
                    names.add(m.group(1))
    return names


def ctype(t):
    t = t.strip()
    t = re.sub(r"\s+\*", " *", t)
    return t


def decl(t, name):
    t = ctype(t)
    if t.endswith("*"):
        return t + name
    m = re.match(r"(.*?)\s*(\[.*\])$", t)
    return f"{t} {name}"


def fields(elem, indent="    "):
    lines = []
    for f in elem.findall("field"):
        name, t = f.get("name"), f.get("type")
        if t == "union":
            lines.append(f"{indent}union {{")
            lines.extend(fields(f.find("union"), indent + "    "))
            lines.append(f"{indent}}} {name};")
        elif "[" in t:
            base, arr = t.split(" ", 1)[0], t[t.index("["):]
            base = t[: t.index(" " + name)] if (" " + name) in t else t[: t.index("[")].rsplit(" ", 1)[0]
            lines.append(f"{indent}{base} {name}{arr};")
        else:
            lines.append(f"{indent}{decl(t, name)};")
    return lines


def load_checks(path):
    checks = {}
    if not path or not os.path.exists(path):
        return checks
    for line in open(path):
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 3 and cols[0].startswith("vir"):
            checks[cols[0]] = cols
    return checks


def main():
    outdir = sys.argv[1]
    checks = load_checks(sys.argv[2] if len(sys.argv) > 2 else None)
    root = ET.parse(API_XML).getroot()
    syms = root.find("symbols")
    nodes = sym_nodes()
    sent = sentinels()
    out = {fam: [] for fam in FAMILIES.values()}

    # enums grouped by type, in value order; a few members are written in
    # libvirt's headers as another member's name: resolve those to numbers
    raw = {e.get("name"): e.get("value") for e in syms.findall("enum")}

    def value(name):
        v = raw[name]
        return int(v) if re.fullmatch(r"-?[0-9]+", v) else value(v)

    enums = {}
    for e in syms.findall("enum"):
        fam = FAMILIES.get(e.get("file"))
        if fam:
            enums.setdefault((fam, e.get("type")), []).append(e)
    for (fam, tname), members in sorted(enums.items()):
        since = min((m.get("version") or "0.0.1" for m in members),
                    key=lambda v: tuple(int(x) for x in v.split(".")))
        out[fam].append(f"enum {tname} {since}")
        members.sort(key=lambda m: (value(m.get("name")), m.get("name")))
        for m in members:
            v = str(value(m.get("name")))
            if m.get("value_bitshift") is not None and int(v) > 0:
                shift = int(m.get("value_bitshift"))
                v = f"1{'U' if shift == 31 else ''} << {shift}"
            flag = " sentinel" if m.get("name") in sent else ""
            out[fam].append(f"    {m.get('name')} = {v} {m.get('version')}{flag}")
        out[fam].append("end")

    for m in syms.findall("macro"):
        fam = FAMILIES.get(m.get("file"))
        name = m.get("name")
        if not fam or name.startswith("_vir") or name == "LIBVIR_VERSION_NUMBER":
            continue
        since = m.get("version") or "0.0.1"
        if m.get("string") is not None:
            out[fam].append(f'define {name} "{m.get("string")}" {since}')
        elif m.get("params") is not None:
            body = m.get("raw") or ""
            out[fam].append(f"macro {name}({m.get('params')}) {since} {body}")
        else:
            out[fam].append(f"define {name} {m.get('raw')} {since}")

    for s in syms.findall("struct"):
        fam = FAMILIES.get(s.get("file"))
        if not fam:
            continue
        tag = s.get("type").replace("struct ", "")
        if not s.findall("field"):
            out[fam].append(f"opaque {s.get('name')} {tag} {s.get('version')}")
            continue
        out[fam].append(f"struct {s.get('name')} {tag} {s.get('version')}")
        out[fam].extend(fields(s))
        out[fam].append("end")

    for t in syms.findall("typedef"):
        fam = FAMILIES.get(t.get("file"))
        if not fam or t.get("type") == "enum":
            continue
        out[fam].append(f"typedef {t.get('name')} = {ctype(t.get('type'))} ; {t.get('version')}")

    for f in syms.findall("functype"):
        fam = FAMILIES.get(f.get("file"))
        if not fam:
            continue
        args = [decl(a.get("type"), a.get("name")) for a in f.findall("arg")]
        ret = ctype(f.find("return").get("type"))
        sep = "" if ret.endswith("*") else " "
        out[fam].append(f"callback {ret}{sep}{f.get('name')}({', '.join(args) or 'void'}) ; {f.get('version')}")

    for f in syms.findall("function"):
        fam = FAMILIES.get(f.get("file"))
        if not fam:
            continue
        name = f.get("name")
        args = [decl(a.get("type"), a.get("name")) for a in f.findall("arg")]
        ret = ctype(f.find("return").get("type"))
        sep = "" if ret.endswith("*") else " "
        attrs = []
        node = nodes.get(name)
        if node and node != "LIBVIRT_" + f.get("version"):
            attrs.append(f"node={node}")
        if name in FAIL_ONLY_MINUS_ONE:
            attrs.append("fail=-1")
        if name in PENDING:
            attrs.append("impl=pending")
        elif name in CORE or fam in CORE_FAMILIES or name.startswith(CORE_PREFIXES):
            attrs.append("impl=core")
        c = checks.get(name)
        if not c and "impl=core" not in attrs and "impl=pending" not in attrs:
            # No record of libvirt's checks for this one: refuse it on
            # read-only connections unless its name says it only reads.
            ro = re.search(r"(Get|List|Num|Lookup|Is|Has|Compare|Baseline|Stats|Peek|"
                           r"Current|Parent|Supports)", name[3:])
            if not ro:
                attrs.append("rw")
        if c is not None:
            ro = c[1].strip()
            if ro.startswith("rw-if:"):
                attrs.append("rw-if=" + ro[6:].replace(" ", ""))
            elif ro.startswith("rw"):
                attrs.append("rw")
            # unconditional checks only: conditional ones are the plugin's
            nonnull = [n.strip() for n in c[2].split(",")
                       if n.strip() not in ("", "-") and "(" not in n]
            if nonnull:
                attrs.append("nonnull=" + ",".join(nonnull))
            kinds = ("exclusive:", "positive:", "nonnegative:", "nonzero:",
                     "nonemptystring:", "nonnullarray:", "require:")
            other = [re.sub(r"\(duplicated[^)]*\)$", "", o.strip().replace(" ", ""))
                     for o in c[3].split(";")
                     if o.strip().startswith(kinds) and "(only" not in o]
            if other:
                attrs.append("check=" + ";".join(other))
        out[fam].append(f"api {ret}{sep}{name}({', '.join(args) or 'void'}) ; {f.get('version')} {' '.join(attrs)}".rstrip())

    # Facts the XML leaves out: bodies of a few function-like macros, the
    # exported default-auth variable, and the network handle virError names.
    bodies = {
        "VIR_CPU_MAPLEN": "(((cpu) + 7) / 8)",
        "VIR_DOMAIN_EVENT_CALLBACK": "((virConnectDomainEventGenericCallback)(cb))",
        "VIR_NODEINFO_MAXCPUS": "((nodeinfo).nodes*(nodeinfo).sockets*(nodeinfo).cores*(nodeinfo).threads)",
    }
    for fam, lines in out.items():
        for i, l in enumerate(lines):
            for k, b in bodies.items():
                if l.startswith(f"macro {k}("):
                    lines[i] = l.rstrip() + " " + b
    for v in syms.findall("variable"):
        fam = FAMILIES.get(v.get("file"))
        if fam:
            node = nodes.get(v.get("name"))
            tail = f" node={node}" if node and node != "LIBVIRT_" + v.get("version") else ""
            out[fam].append(f"variable {v.get('type')} {v.get('name')} ; {v.get('version')}{tail}")
    out["error"].insert(0, "opaque virNetwork _virNetwork 0.2.0")
    out["error"].insert(1, "typedef virNetworkPtr = virNetwork * ; 0.2.0")
    out["common"].insert(0, "define LIBVIR_VERSION_NUMBER 9000000 0.0.1")

    os.makedirs(outdir, exist_ok=True)
    for fam, lines in out.items():
        with open(os.path.join(outdir, fam + ".api"), "w") as fp:
            fp.write(f"# virtkit API description: family '{fam}' (header virtkit/virtkit-{fam}.h).\n")
            fp.write("# Format: see scripts/api-gen.py.  Facts (names, types, values, Since)\n")
            fp.write("# follow libvirt 9.0.0; attributes after the version are ours.\n")
            for l in lines:
                fp.write(l + "\n")


if __name__ == "__main__":
    main()
