#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Generates virtkit's public headers, the core's public wrappers, the
plugin operation tables, the symbol version script and the constant/layout
comparison sources from one description: core/api/*.api.

Description format, one item per line ('#' starts a comment line):

  enum TYPE SINCE                      members follow, then 'end'
      NAME = VALUE SINCE [sentinel]    'sentinel': only under VIR_ENUM_SENTINELS
  define NAME VALUE SINCE              object-like macro ("string" or C text)
  macro NAME(PARAMS) SINCE BODY        function-like macro
  opaque NAME TAG SINCE                an object handle: typedef struct TAG NAME
  struct NAME TAG SINCE                fields (C declarations) follow, then 'end'
  typedef NAME = C-TYPE ; SINCE
  callback C-PROTOTYPE ; SINCE         a function pointer type
  variable C-TYPE NAME ; SINCE [node=NODE]   an exported variable (core/ defines it)
  api C-PROTOTYPE ; SINCE [ATTR ...]   a public function

api attributes:
  impl=core       written by hand in core/ (no plugin slot, no generated body)
  impl=pending    not implemented yet: the generated body reports
                  VIR_ERR_NO_SUPPORT naming the API and saying so
  rw              refused on read-only connections (VIR_ERR_OPERATION_DENIED)
  rw-if=FLAG|...  refused on read-only connections when a flag is given
  nonnull=a,b     these arguments must not be NULL (VIR_ERR_INVALID_ARG)
  check=...       other argument checks (see CHECKS below)
  fail=-1         only -1 is a failure (other negative returns are answers)
  abspath=a,b     file paths made absolute (g_canonicalize_filename against
                  the caller's working directory) after the checks, before
                  the slot sees them, as libvirt's wrapper does; "" is the
                  working directory itself
  node=NODE       symbol version node when it differs from LIBVIRT_<SINCE>
  abi=1.N         the plugin ABI minor whose table group holds the slot:
                  required on every API that has a slot (carried out by a
                  plugin, not routed), refused on the others.  A new API
                  takes the next minor, and its slot is appended to
                  plugin-api/abi/1.N.slots (see THE ABI LOCK below).
  route=NEW(EXPR,...)
                  an older form of an operation whose newest form is the
                  api NEW: it has no slot of its own.  Its wrapper makes the
                  old form's own checks (handle, arguments, read-only; every
                  message and the log line name the old API), reports
                  VIR_ERR_NO_SUPPORT naming the old API when NEW's slot is
                  NULL, and calls NEW's slot with these C expressions, written
                  over the old form's argument names, one per argument of
                  NEW (no spaces inside the attribute):
                    route=virDomainCreateWithFlags(domain,0)
                  The defaults are the ones libvirt's drivers use when they
                  implement the old form through the new one (SetMemory is
                  SetMemoryFlags with VIR_DOMAIN_AFFECT_LIVE, ...).  When NEW
                  is a typed-parameter getter, its params/nparams positions
                  take the old form's buffer arguments and the core keeps the
                  get rules; the old form gets string entries only if it has
                  a flags argument of its own (GetSchedulerParameters never).
  route=NEW:HELPER(EXPR,...)
                  the same where the arguments need converting: the wrapper
                  calls HELPER(NEW's slot, EXPR, ...), written by hand in
                  core/vir-route.c (declared in core/vk-route.h), which
                  reports errors as internal functions do and returns what
                  the old form returns (BlockStats fills its struct from
                  BlockStatsFlags' typed parameters; Save and SaveFlags build
                  SaveParams' list).
  A NEW is never routed itself, is carried out by a plugin, and names the
  same handle type first; tests/check-plugin-tables.py shows the routed
  forms in the support matrix through the slot comment of NEW.

THE ABI LOCK.  The order of every operation table is not the order of the
.api lines: it is committed in plugin-api/abi/1.N.slots, one file per ABI
minor, one 'TABLE slot' a line (TABLE virtkitHypervisorOps,
virtkitStorageOps or virtkitStreamOps; connectOpen and its kin included).
The tables are built in that order, minor after minor, and generation
fails, naming the file and the fix, when an API with a slot has no abi=,
when a slot is in the .api files but in no list or in a list but not in the
.api files, when an API's abi= disagrees with the list holding its slot, or
when a list is newer than VIRTKIT_PLUGIN_ABI_MINOR.  The hand-written
structs of plugin-api/include/virtkit/virtkit-plugin.h (the descriptor, the
host table, virtkitDomainEvent) are held the same way to
plugin-api/abi/structs.fields ('STRUCT 1.N field' in declaration order, 1.N
the 'Since ABI' group in the header).  Alongside the tables, 'ops' writes
virtkit-plugin-abi-check.h: _Static_assert(offsetof(...)) checks whose
expected offsets come from the lists (slot N sits at sizeof(size_t) + N
pointers), and the committed field order of each struct; the core and the
loader test compile it.  With --upto 1.N, 'ops' writes the tables as a
plugin built against the 1.N header sees them (the lists up to 1.N only).

usage: api-gen.py headers|ops|core OUTDIR APIDIR [--upto 1.N]
  (the ABI lists and virtkit-plugin.h are found at APIDIR/../../plugin-api)
writes: headers: OUTDIR/virtkit-<family>.h
        ops:     OUTDIR/virtkit-plugin-ops.h (plugin-api's operation tables),
                 OUTDIR/virtkit-plugin-abi-check.h
        core:    OUTDIR/vk-api-wrappers.c, OUTDIR/libvirtkit.syms,
                 OUTDIR/consts-list.h
"""

import os
import re
import sys

FAMILY_ORDER = ["common", "host", "event", "domain", "domain-snapshot",
                "storage", "stream", "error"]
FAMILY_DEPS = {
    "common": [],
    "host": ["common"],
    "event": ["common"],
    "domain": ["host"],
    "domain-snapshot": ["domain"],
    "storage": ["host"],
    "stream": ["host"],
    "error": ["domain"],
}

# Our own additions (VIRTKIT_0.1), written by hand in core/.
VIRTKIT_SYMBOLS = {
    "VIRTKIT_0.1": ["virtkitGetVersion", "virtkitConnectListPlugins", "virtkitPluginInfoFree",
                    "virtkitDrvFeatureName", "virtkitConnectListPluginDirs",
                    "virtkitSetLastError", "virtkitConnectSupportsFeature"],
}

# VIR_FROM_THIS of libvirt 9.0's libvirt-<family>.c, measured.
FAMILY_ERROR_DOMAIN = {
    "host": "VIR_FROM_DOMAIN",
    "domain": "VIR_FROM_DOMAIN",
    "domain-snapshot": "VIR_FROM_DOMAIN_SNAPSHOT",
    "storage": "VIR_FROM_STORAGE",
    "stream": "VIR_FROM_STREAMS",
}

HANDLES = {
    "virConnectPtr": ("conn", "VK_MAGIC_CONNECT", "VIR_FROM_NONE", "VIR_ERR_INVALID_CONN", "{h}"),
    "virDomainPtr": ("domain", "VK_MAGIC_DOMAIN", "VIR_FROM_DOM", "VIR_ERR_INVALID_DOMAIN", "{h}->conn"),
    "virDomainSnapshotPtr": ("snapshot", "VK_MAGIC_SNAPSHOT", "VIR_FROM_DOMAIN_SNAPSHOT",
                             "VIR_ERR_INVALID_DOMAIN_SNAPSHOT", "{h}->domain->conn"),
    "virStoragePoolPtr": ("pool", "VK_MAGIC_POOL", "VIR_FROM_STORAGE", "VIR_ERR_INVALID_STORAGE_POOL",
                          "{h}->conn"),
    "virStorageVolPtr": ("vol", "VK_MAGIC_VOL", "VIR_FROM_STORAGE", "VIR_ERR_INVALID_STORAGE_VOL",
                         "{h}->conn"),
    "virDomainPtr *": ("domainList", "VK_MAGIC_DOMAIN", "VIR_FROM_DOM", "VIR_ERR_INVALID_DOMAIN",
                       "{h}[0]->conn"),
    "virStreamPtr": ("stream", "VK_MAGIC_STREAM", "VIR_FROM_STREAMS", "VIR_ERR_INVALID_STREAM",
                     "{h}->conn"),
}


def vkey(v):
    return tuple(int(x) for x in v.split("."))


class Arg:
    def __init__(self, text):
        text = text.strip()
        m = re.match(r"^(.*?)(\w+)$", text)
        self.type = m.group(1).strip()
        self.name = m.group(2)
        self.text = text


class Api:
    def __init__(self, fam, proto, since, attrs):
        m = re.match(r"^(.*?)(\w+)\((.*)\)$", proto.strip())
        self.ret = m.group(1).strip()
        self.name = m.group(2)
        argtext = m.group(3).strip()
        self.args = [] if argtext == "void" else [Arg(a) for a in argtext.split(",")]
        self.proto = proto.strip()
        self.fam = fam
        self.since = since
        self.attrs = {}
        for a in attrs:
            k, _, v = a.partition("=")
            self.attrs[k] = v
        self.impl = self.attrs.get("impl", "plugin")
        self.route = None      # (new api name, helper or None, [expr, ...])
        if "route" in self.attrs:
            m = re.match(r"^(\w+)(?::(\w+))?\((.*)\)$", self.attrs["route"])
            if not m or self.impl != "plugin":
                raise SystemExit(f"{self.name}: cannot read route={self.attrs['route']} "
                                 "(want route=NEW(EXPR,...) or route=NEW:HELPER(EXPR,...) "
                                 "on an API a plugin carries out)")
            exprs = [e for e in m.group(3).split(",") if e] if m.group(3) else []
            self.route = (m.group(1), m.group(2), exprs)
        self.routed_here = []  # names of older forms routed to this API
        self.abi = self.attrs.get("abi", "1.0")
        self.node = self.attrs.get("node", "LIBVIRT_" + since)
        if vkey(self.node.split("_", 1)[1]) < vkey("0.0.3"):
            self.node = "LIBVIRT_0.0.3"

    @property
    def slot(self):
        n = self.name[3:]
        return n[0].lower() + n[1:]

    @property
    def table(self):
        if self.fam == "storage":
            return "storage"
        if self.fam == "stream" or self.name.startswith("virStream"):
            return "stream"
        return "hypervisor"

    def getter_params(self):
        """Index of 'virTypedParameterPtr params' in a caller-buffer getter."""
        for i, a in enumerate(self.args[:-1]):
            if (a.type == "virTypedParameterPtr" and self.args[i + 1].type == "int *"
                    and self.name != "virDomainGetCPUStats"):
                return i
        return None

    def setter_params(self):
        for i, a in enumerate(self.args[:-1]):
            nxt = self.args[i + 1]
            if a.type == "virTypedParameterPtr" and nxt.type in ("int", "unsigned int") \
                    and nxt.name.startswith("nparams"):
                return i
        return None


def parse(apidir):
    items = {f: [] for f in FAMILY_ORDER}
    for fam in FAMILY_ORDER:
        cur = None
        for raw in open(os.path.join(apidir, fam + ".api")):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if cur is not None:
                if line.strip() == "end":
                    items[fam].append(cur)
                    cur = None
                else:
                    cur[-1].append(line)
                continue
            kw, _, rest = line.partition(" ")
            if kw == "enum":
                t, since = rest.split()
                cur = ("enum", t, since, [])
            elif kw == "struct":
                n, tag, since = rest.split()
                cur = ("struct", n, tag, since, [])
            elif kw == "define":
                m = re.match(r"^(\w+) (.*) ([0-9.]+)$", rest)
                items[fam].append(("define", m.group(1), m.group(2), m.group(3)))
            elif kw == "macro":
                m = re.match(r"^(\w+\([^)]*\)) ([0-9.]+) ?(.*)$", rest)
                items[fam].append(("macro", m.group(1), m.group(3), m.group(2)))
            elif kw == "opaque":
                n, tag, since = rest.split()
                items[fam].append(("opaque", n, tag, since))
            elif kw == "typedef":
                m = re.match(r"^(\w+) = (.*) ; ([0-9.]+)$", rest)
                items[fam].append(("typedef", m.group(1), m.group(2), m.group(3)))
            elif kw == "callback":
                proto, _, since = rest.rpartition(" ; ")
                items[fam].append(("callback", proto, since))
            elif kw == "variable":
                decl, _, since = rest.rpartition(" ; ")
                items[fam].append(("variable", decl, since))
            elif kw == "api":
                proto, _, tail = rest.rpartition(" ; ")
                parts = tail.split()
                items[fam].append(("api", Api(fam, proto, parts[0], parts[1:])))
            else:
                raise SystemExit(f"{fam}.api: cannot read: {line}")
    return items


def resolve_routes(items):
    """Links every route=NEW to its api and checks it; an error names both."""
    apis = {it[1].name: it[1] for fam in FAMILY_ORDER for it in items[fam] if it[0] == "api"}
    for api in apis.values():
        if not api.route:
            continue
        name, helper, exprs = api.route
        new = apis.get(name)
        what = f"{api.name}: route={api.attrs['route']}"
        if not new:
            raise SystemExit(f"{what}: no api {name} in core/api/")
        if new.impl != "plugin" or new.route:
            raise SystemExit(f"{what}: {name} must be carried out by a plugin and not be "
                             "routed itself")
        if new.table != api.table or new.args[0].type != api.args[0].type:
            raise SystemExit(f"{what}: {name} takes a {new.args[0].type} in the {new.table} "
                             f"table, {api.name} a {api.args[0].type} in the {api.table} table")
        if not helper:
            if len(exprs) != len(new.args):
                raise SystemExit(f"{what}: {name} takes {len(new.args)} arguments, the route "
                                 f"gives {len(exprs)}")
            if new.ret != api.ret:
                raise SystemExit(f"{what}: {name} returns {new.ret}, {api.name} {api.ret}; "
                                 "convert through a helper (route=NEW:HELPER(...))")
            if (new.getter_params() is None) != (api.getter_params() is None):
                raise SystemExit(f"{what}: a typed-parameter getter routes only to another "
                                 "getter; convert through a helper")
        api.route_target = new
        new.routed_here.append(api.name)


# ---------------------------------------------------------------- headers

def ret_doc(api):
    r = api.ret
    if r == "void":
        return "Returns nothing."
    if r in ("int",):
        return "Returns -1 on failure with the thread's last error set; 0 or a count otherwise."
    if r.endswith("*") and r.startswith("char"):
        return ("Returns a newly allocated string the caller frees with free(), "
                "or NULL on failure with the thread's last error set.")
    if r.endswith("*") and r.startswith("const char"):
        return "Returns a string owned by the object, or NULL on failure."
    if r.endswith("Ptr"):
        return ("Returns a new reference the caller releases with the matching *Free call, "
                "or NULL on failure with the thread's last error set.")
    return "Returns 0 on failure with the thread's last error set."


def arg_doc(api, a):
    h = HANDLES.get(a.type)
    if a is api.args[0] and h:
        return f"the {h[0] if h[0] != 'conn' else 'connection'} the call acts on"
    if a.name == "flags":
        return "bitwise-OR of the flags this call takes; 0 for the default behaviour"
    if a.type.startswith("const char"):
        return "input string, read only during the call"
    if a.type.endswith("*") or a.type.endswith("Ptr"):
        return "pointer argument; see the family's documentation for ownership"
    return "input value"


def api_comment(api):
    lines = ["/**", f" * {api.name}:"]
    for a in api.args:
        lines.append(f" * @{a.name}: {arg_doc(api, a)}")
    lines.append(" *")
    if api.impl == "pending":
        lines.append(" * Not implemented in this release: reports VIR_ERR_NO_SUPPORT.")
    elif api.impl == "plugin":
        lines.append(" * Carried out by the connection's plugin; VIR_ERR_NO_SUPPORT when the")
        lines.append(" * plugin does not offer it.")
    if "rw" in api.attrs:
        lines.append(" * Refused on read-only connections (VIR_ERR_OPERATION_DENIED).")
    if "rw-if" in api.attrs:
        lines.append(f" * Refused on read-only connections when {api.attrs['rw-if']} is given.")
    lines.append(f" * {ret_doc(api)}")
    lines.append(" * Thread-safe: may be called from any thread.")
    lines.append(" *")
    lines.append(f" * Since: {api.since}")
    lines.append(" */")
    return "\n".join(lines)


def header(fam, items):
    g = f"VIRTKIT_{fam.upper().replace('-', '_')}_H"
    o = [f"/* Generated by scripts/api-gen.py from core/api/{fam}.api: do not edit. */",
         "/* SPDX-License-Identifier: LGPL-2.1-or-later */",
         f"#ifndef {g}", f"# define {g}", ""]
    if fam == "common":
        o += ["# include <stddef.h>", "# include <stdio.h>", "# include <string.h>", ""]
    for d in FAMILY_DEPS[fam]:
        o.append(f"# include <virtkit/virtkit-{d}.h>")
    o += ["", "# ifdef __cplusplus", 'extern "C" {', "# endif", ""]
    by = lambda k: [i for i in items if i[0] == k]
    for _, n, tag, since in by("opaque"):
        o.append(f"/* {n}: an opaque, refcounted object handle.  Since: {since} */")
        o.append(f"typedef struct {tag} {n};")
    for it in by("struct"):
        o.append(f"typedef struct {it[2]} {it[1]};")
    o.append("")
    for _, n, t, since in by("typedef"):
        if "(" in t:
            raise SystemExit("function typedef: use callback")
        if t.strip() == "virTypedParameter *" and n != "virTypedParameterPtr":
            pass
        o.append(f"/* Since: {since} */")
        o.append(f"typedef {t}{'' if t.endswith('*') else ' '}{n};")
    o.append("")
    for _, t, since, members in by("enum"):
        o.append(f"/* {t}.  Since: {since} */")
        o.append("typedef enum {")
        for m in members:
            mm = re.match(r"^\s*(\w+) = (.*?) ([0-9.]+)( sentinel)?$", m)
            name, val, msince, sent = mm.groups()
            if sent:
                o.append("# ifdef VIR_ENUM_SENTINELS")
            o.append(f"    {name} = {val}, /* Since: {msince} */")
            if sent:
                o.append("# endif")
        o.append(f"}} {t};")
        o.append("")
    for _, n, v, since in by("define"):
        o.append(f"/* Since: {since} */")
        o.append(f"# define {n} {v}")
    for _, sig, body, since in by("macro"):
        o.append(f"/* Since: {since} */")
        o.append(f"# define {sig} {body}")
    o.append("")
    cbs = {re.match(r"^.*?(\w+)\(", it[1]).group(1): it for it in by("callback")}
    cb_done, cb_order = set(), []

    def cb_emit(n):
        if n in cb_done:
            return
        cb_done.add(n)
        for other in cbs:
            if other != n and re.search(r"\b" + other + r"\b", cbs[n][1].split("(", 1)[1]):
                cb_emit(other)
        cb_order.append(cbs[n])
    for n in cbs:
        cb_emit(n)
    for _, proto, since in cb_order:
        m = re.match(r"^(.*?)(\w+)\((.*)\)$", proto)
        o.append(f"/* Callback type.  Since: {since} */")
        o.append(f"typedef {m.group(1).strip()}{'' if m.group(1).strip().endswith('*') else ' '}"
                 f"(*{m.group(2)})({m.group(3)});")
    o.append("")
    # struct bodies, embedded-by-value dependencies first
    structs = {it[1]: it for it in by("struct")}
    done = set()

    def emit(name):
        if name in done:
            return
        done.add(name)
        it = structs[name]
        for f in it[4]:
            t = f.strip().split(" ")[0]
            if t in structs and "*" not in f:
                emit(t)
        o.append(f"/* {name}: layout as libvirt defines it.  Since: {it[3]} */")
        o.append(f"struct {it[2]} {{")
        o.extend(it[4])
        o.append("};")
        o.append("")
    for n in structs:
        # virSchedParameter & co. are libvirt's old names for virTypedParameter
        if structs[n][2] == "_virTypedParameter" and n != "virTypedParameter":
            done.add(n)
        emit(n)
    for _, decl, since in by("variable"):
        o.append(f"/* Since: {since.split()[0]} */")
        o.append(f"extern {decl};")
    o.append("")
    for _, api in by("api"):
        o.append(api_comment(api))
        o.append(f"{api.proto};")
        o.append("")
    o += ["# ifdef __cplusplus", "}", "# endif", f"#endif /* {g} */", ""]
    return "\n".join(o)


# ---------------------------------------------------------------- wrappers

def fmt_of(a):
    t = a.type
    if t in ("const char *", "char *"):
        return "%s", f"VK_NULLSTR({a.name})"
    if "*" in t or t.endswith("Ptr") or t.endswith("Callback") or t.endswith("Func"):
        return "%p", f"(void *){a.name}"
    if a.name == "flags" or a.name.endswith("flags"):
        return ("0x%lx" if t == "unsigned long" else "0x%x"), a.name
    return {
        "int": ("%d", a.name),
        "unsigned int": ("%u", a.name),
        "long": ("%ld", a.name),
        "unsigned long": ("%lu", a.name),
        "long long": ("%lld", a.name),
        "unsigned long long": ("%llu", a.name),
        "double": ("%g", a.name),
        "size_t": ("%zu", a.name),
        "virDomainBlockJobCursor": ("%llu", a.name),
    }.get(t, ("%d", f"(int){a.name}"))


def fail_value(api):
    r = api.ret
    if r.endswith("*") or r.endswith("Ptr"):
        return "NULL"
    if r.startswith("unsigned"):
        return "0"
    return "-1"


def failed(api, var):
    r = api.ret
    if r.endswith("*") or r.endswith("Ptr"):
        return f"!{var}"
    if r.startswith("unsigned"):
        return f"{var} == 0"
    return f"{var} < 0"


def slot_type(api):
    """The slot's C parameter list: the API's, except caller-buffer typed
    parameter getters, whose plugin returns an allocated array."""
    gi = api.getter_params()
    parts = []
    for i, a in enumerate(api.args):
        if gi is not None and i == gi:
            parts.append(f"virTypedParameterPtr *{a.name}")
        else:
            parts.append(a.text)
    return ", ".join(parts) or "void"


def _arg_check(cond_fmt, msg):
    def gen(api, what):
        return [f"    if ({cond_fmt.format(a=what)}) {{",
                f"        vkReportInvalidArg(\"%s in %s {msg}\", \"{what}\", \"{api.name}\");",
                "        goto error;", "    }"]
    return gen


def _exclusive(api, what):
    a, b = what.split("|")
    return [f"    if ((flags & {a}) && (flags & {b})) {{",
            "        vkReportInvalidArg(\"Flags '%s' and '%s' are mutually exclusive\",",
            f"                      \"{a}\", \"{b}\");",
            "        goto error;", "    }"]


def _require(api, what):
    flag, needed = what.split("=>")
    if "|" in needed:
        # "needs one of": written out only where libvirt's wrapper has it
        alts = needed.split("|")
        cond = " && ".join(f"!(flags & {n})" for n in alts)
        shown = " or ".join(alts)
    else:
        cond = f"!(flags & {needed})"
        shown = needed
    return [f"    if ((flags & {flag}) && {cond}) {{",
            "        vkReportInvalidArg(\"Flag '%s' is required by flag '%s'\",",
            f"                      \"{shown}\", \"{flag}\");",
            "        goto error;", "    }"]


def _nonempty(api, what):
    # libvirt's two messages: NULL, then empty
    return [f"    if (!{what}) {{",
            f"        vkReportNullArg(\"{api.name}\", \"{what}\");",
            "        goto error;", "    }",
            f"    if (!*{what}) {{",
            f"        vkReportInvalidArg(\"string %s in %s must not be empty\", \"{what}\", \"{api.name}\");",
            "        goto error;", "    }"]


def _nonnullarray(api, what):
    m = re.match(r"(\w+)\(size(\w+)\)", what)
    arr, size = m.group(1), m.group(2)
    return [f"    if (!{arr} && {size} > 0) {{",
            f"        vkReportNullArg(\"{api.name}\", \"{arr}\");",
            "        goto error;", "    }"]


def _cond_arg(what):
    """'ARG(ifCOND)' -> (ARG, COND); COND is C over the API's arguments."""
    m = re.match(r"^([\w*]+)\(if(.+)\)$", what)
    if not m:
        raise SystemExit(f"cannot read check argument '{what}' (want ARG(ifCOND))")
    return m.group(1), m.group(2)


def _nonnullif(api, what):
    # virCheckNonNullArg made only when the condition holds
    arg, cond = _cond_arg(what)
    return [f"    if (({cond}) && !{arg}) {{",
            f"        vkReportNullArg(\"{api.name}\", \"{arg}\");",
            "        goto error;", "    }"]


def _nullif(api, what):
    # virCheckNullArg: the argument means nothing here, so it must be NULL
    arg, cond = _cond_arg(what)
    return [f"    if (({cond}) && {arg}) {{",
            f"        vkReportInvalidArg(\"%s in %s must be NULL\", \"{arg}\", \"{api.name}\");",
            "        goto error;", "    }"]


def _zeroif(api, what):
    # virCheckZeroArg; libvirt 9.0's text says "must not be zero" for it
    arg, cond = _cond_arg(what)
    return [f"    if (({cond}) && {arg} != 0) {{",
            f"        vkReportInvalidArg(\"%s in %s must not be zero\", \"{arg}\", \"{api.name}\");",
            "        goto error;", "    }"]


def _positiveif(api, what):
    arg, cond = _cond_arg(what)
    return [f"    if (({cond}) && {arg} <= 0) {{",
            f"        vkReportInvalidArg(\"%s in %s must be greater than zero\", \"{arg}\", "
            f"\"{api.name}\");",
            "        goto error;", "    }"]


def _product(api, what):
    # A*B<=LIMIT(ifCOND): the buffer the two describe must be addressable
    m = re.match(r"^(\w+)\*(\w+)<=(\w+)(?:\(if(.+)\))?$", what)
    a, b, limit, cond = m.group(1), m.group(2), m.group(3), m.group(4) or "1"
    return [f"    if (({cond}) && {b} > 0 && (unsigned long long){a} > {limit} / (unsigned long long){b}) {{",
            "        vkReportError(VIR_ERR_OVERFLOW, \"input too large: %lld * %lld\",",
            f"                      (long long){a}, (long long){b});",
            "        goto error;", "    }"]


def _maxsize(api, what):
    # size<=sizeof(STRUCT): an older caller may pass a shorter struct, never a longer one
    arg, limit = what.split("<=")
    return [f"    if ({arg} > {limit}) {{",
            f"        vkReportInvalidArg(\"{arg} must not exceed %zu\", {limit});",
            "        goto error;", "    }"]


def _emptyok(api, what):
    # ARR(sizeN): nothing asked, nothing to do: 0 without calling the plugin
    m = re.match(r"(\w+)\(size(\w+)\)", what)
    arr, size = m.group(1), m.group(2)
    return [f"    if (!{arr} || {size} == 0)", "        return 0;"]


def _clamp(api, what):
    arg, limit = what.split("<=")
    return [f"    if ({arg} > {limit})", f"        {arg} = {limit};"]


def _samestream(api, what):
    # the stream must belong to the connection of the handle it serves
    h = api.args[0].name
    return [f"    if ({what}->conn != {h}->conn) {{",
            f"        vkReportInvalidArg(\"stream must match connection of domain '%s'\", {h}->name);",
            "        goto error;", "    }"]


def _fixed(cond, fmt, *args):
    """A check with libvirt 9.0's own words (VIR_ERR_INVALID_ARG)."""
    def gen(api, what):
        vals = "".join(", " + a for a in args)
        return [f"    if ({cond}) {{",
                f"        vkReportInvalidArg(\"{fmt}\"{vals});",
                "        goto error;", "    }"]
    return gen


# Checks libvirt 9.0's wrappers word individually, named check=libvirt:NAME.
LIBVIRT_CHECKS = {
    "codeset": _fixed("codeset >= VIR_KEYCODE_SET_LAST", "Unsupported codeset '%d'",
                      "(int)codeset"),
    "dumpformat": _fixed("dumpformat >= VIR_DOMAIN_CORE_DUMP_FORMAT_LAST",
                         "dumpformat '%d' is not supported", "(int)dumpformat"),
    "lifecycle-type": _fixed("type >= VIR_DOMAIN_LIFECYCLE_LAST",
                             "invalid argument: invalid lifecycle type '%u'", "type"),
    "lifecycle-action": _fixed("action >= VIR_DOMAIN_LIFECYCLE_ACTION_LAST",
                               "invalid argument: invalid lifecycle action '%u'", "action"),
    "cpustats-start": _fixed("start_cpu == -1 && ncpus != 1",
                             "ncpus must be 1 when start_cpu is -1"),
    "cpustats-start-negative": _fixed("start_cpu < -1",
                                      "start_cpu in virDomainGetCPUStats must be zero or "
                                      "greater"),
    "cpunum": _fixed("cpuNum < 0 && cpuNum != VIR_NODE_CPU_STATS_ALL_CPUS",
                     "cpuNum in virNodeGetCPUStats only accepts -1 as a negative value"),
    "cellnum": _fixed("cellNum < 0 && cellNum != VIR_NODE_MEMORY_STATS_ALL_CELLS",
                      "cellNum in virNodeGetMemoryStats only accepts -1 as a negative value"),
    "rebase-copy-flags": _fixed(
        "!(flags & VIR_DOMAIN_BLOCK_REBASE_COPY) && (flags & (VIR_DOMAIN_BLOCK_REBASE_SHALLOW | "
        "VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT | VIR_DOMAIN_BLOCK_REBASE_COPY_RAW | "
        "VIR_DOMAIN_BLOCK_REBASE_COPY_DEV))", "use of flags requires a copy job"),
    "title-newline": _fixed("type == VIR_DOMAIN_METADATA_TITLE && metadata && strchr(metadata, '\\n')",
                            "metadata title can't contain newlines"),
}

# Argument checks as libvirt's wrappers make them (VIR_ERR_INVALID_ARG).
CHECKS = {
    "nonnullif": _nonnullif,
    "nullif": _nullif,
    "zeroif": _zeroif,
    "positiveif": _positiveif,
    "product": _product,
    "maxsize": _maxsize,
    "emptyok": _emptyok,
    "clamp": _clamp,
    "samestream": _samestream,
    "libvirt": lambda api, what: LIBVIRT_CHECKS[what](api, what),
    "positive": _arg_check("{a} <= 0", "must be greater than zero"),
    "nonnegative": _arg_check("{a} < 0", "must be zero or greater"),
    "nonzero": _arg_check("{a} == 0", "must not be zero"),
    "nonemptystring": _nonempty,
    "exclusive": _exclusive,
    "nonnullarray": _nonnullarray,
    "require": _require,
    "maxmemory": lambda api, what: [
        # libvirt's bound: a KiB count whose bytes fit in a long long
        f"    if ({what} > LLONG_MAX / 1024) {{",
        f"        vkReportError(VIR_ERR_OVERFLOW, \"input too large: %lu\", {what});",
        "        goto error;", "    }"],
    "atmost": lambda api, what: [
        f"    if ({what.replace('<=', ' > ')}) {{",
        f"        vkReportInvalidArg(\"{what.split('<=')[0]} must be <= %d\", {what.split('<=')[1]});",
        "        goto error;", "    }"],
}


def wrapper(api):
    o = []
    o.append(f"{api.proto}")
    o.append("{")
    h = HANDLES.get(api.args[0].type) if api.args else None
    rv = fail_value(api)
    has_ret = api.ret != "void"
    if api.args:
        fmts = ", ".join(f"{a.name}={fmt_of(a)[0]}" for a in api.args)
        vals = ", ".join(fmt_of(a)[1] for a in api.args)
        o.append(f'    VK_LOG_API("{api.name}", "{fmts}", {vals});')
    else:
        o.append(f'    VK_LOG_API("{api.name}", "%s", "");')
    o.append("")
    o.append("    virResetLastError();")
    if api.impl == "pending":
        o.append(f'    vkReportError(VIR_ERR_NO_SUPPORT, "%s (not implemented in virtkit yet)", "{api.name}");')
        if h and h[0] != "domainList":
            o.append(f"    if ({api.args[0].name} && {api.args[0].name}->magic == {h[1]})")
            o.append(f"        vkErrorDispatch({h[4].format(h=api.args[0].name)});")
            o.append("    else")
            o.append("        vkErrorDispatch(NULL);")
        else:
            o.append("    vkErrorDispatch(NULL);")
        if has_ret:
            o.append(f"    return {rv};")
        o.append("}")
        return "\n".join(o)
    if not h:
        raise SystemExit(f"{api.name}: plugin API without a handle argument")
    hn = api.args[0].name
    o.append("    virConnectPtr hconn = NULL;")
    gi = api.getter_params()
    if has_ret and gi is None:
        o.append(f"    {api.ret}{'' if api.ret.endswith('*') else ' '}ret;")
    si = api.setter_params()
    if gi is not None:
        o.append("    virTypedParameterPtr all = NULL;")
        o.append("    int nall = 0;")
    if gi is not None or si is not None:
        o.append("    int strok;")
    absargs = [x for x in api.attrs.get("abspath", "").split(",") if x]
    for n in absargs:
        if n not in [a.name for a in api.args]:
            raise SystemExit(f"{api.name}: abspath={n} names no argument")
        o.append(f"    g_autofree char *abs_{n} = NULL;")
    o.append("")
    early = []
    if h[0] == "domainList":
        # libvirt checks the list and the result pointer before the handles
        early = [x for x in api.attrs.get("nonnull", "").split(",") if x]
        for n in early:
            o.append(f"    if (!{n}) {{")
            o.append(f"        vkReportNullArg(\"{api.name}\", \"{n}\");")
            o.append("        goto error;")
            o.append("    }")
    o.append(f"    if (!vkCheck{h[0][0].upper() + h[0][1:]}({hn}, \"{api.name}\"))")
    o.append("        goto error;")
    o.append(f"    hconn = {h[4].format(h=hn)};")
    # other handle arguments (virDomainMigrate's dconn, ...)
    for a in api.args[1:]:
        hh = HANDLES.get(a.type)
        if hh:
            o.append(f"    if (!vkCheck{hh[0][0].upper() + hh[0][1:]}({a.name}, \"{api.name}\"))")
            o.append("        goto error;")
    if "rw" in api.attrs:
        o.append(f"    if (!vkCheckWritable(hconn, \"{api.name}\"))")
        o.append("        goto error;")
    if "rw-if" in api.attrs:
        fl = api.attrs["rw-if"]
        cond = f"({fl})" if "==" in fl else f"(({fl.replace('|', ' | ')}) & flags)"
        o.append(f"    if ({cond} && !vkCheckWritable(hconn, \"{api.name}\"))")
        o.append("        goto error;")
    getter_args = set()
    if gi is not None:
        getter_args = {api.args[gi].name, api.args[gi + 1].name, "*" + api.args[gi + 1].name}
    for n in [x for x in api.attrs.get("nonnull", "").split(",") if x]:
        if n not in [a.name for a in api.args] or n in getter_args or n in early:
            continue
        o.append(f"    if (!{n}) {{")
        o.append(f"        vkReportNullArg(\"{api.name}\", \"{n}\");")
        o.append("        goto error;")
        o.append("    }")
    for chk in [x for x in api.attrs.get("check", "").split(";") if x]:
        kind, _, what = chk.partition(":")
        if what in getter_args:
            continue
        o.extend(CHECKS[kind](api, what))
    if gi is not None:
        pn, nn = api.args[gi].name, api.args[gi + 1].name
        o.append(f"    if (vkTypedParamsCheckGetArgs({pn}, {nn}, \"{api.name}\") < 0)")
        o.append("        goto error;")
    # The slot carrying the call out: the API's own, or its newest form's.
    tgt = getattr(api, "route_target", None) or api
    slot = f"hconn->tables->{tgt.table}->{tgt.slot}"
    o.append(f"    if (!hconn->tables->{tgt.table} || !{slot}) {{")
    o.append(f"        vkReportError(VIR_ERR_NO_SUPPORT, \"%s\", \"{api.name}\");")
    o.append("        goto error;")
    o.append("    }")
    if si is not None or gi is not None:
        # Asked of the plugin; an error fails the call, never reads as "no".
        o.append("    if ((strok = vkConnectSupportsFeature(hconn, VIRTKIT_DRV_FEATURE_TYPED_PARAM_STRING)) < 0)")
        o.append("        goto error;")
    if si is not None:
        pn, nn = api.args[si].name, api.args[si + 1].name
        o.append(f"    if (vkTypedParamsCheckSet({pn}, (int){nn}, strok > 0, NULL,")
        o.append(f"                              \"{api.name}\") < 0)")
        o.append("        goto error;")
    for n in absargs:
        # libvirt's wrapper makes the path absolute against the caller's
        # working directory: the plugin (or virtkitd) never sees a relative one
        o.append(f"    {n} = abs_{n} = g_canonicalize_filename({n}, NULL);")
    # Arguments of the slot, as expressions over this API's arguments.
    if api.route:
        exprs = list(api.route[2])
    else:
        exprs = [a.name for a in api.args]
    if api.route and api.route[1]:
        call = f"{api.route[1]}({slot}, {', '.join(exprs)})"
    else:
        tgi = tgt.getter_params()
        call_args = []
        for i, (a, e) in enumerate(zip(tgt.args, exprs)):
            if tgi is not None and i == tgi:
                call_args.append("&all")
            elif tgi is not None and i == tgi + 1:
                call_args.append("&nall")
            elif a.name == "flags" and tgi is not None and any(x.name == "flags" for x in api.args):
                call_args.append(f"vkTypedParamsFlagsForPlugin({e}, strok > 0)")
            else:
                call_args.append(e)
        call = f"{slot}({', '.join(call_args)})"
    if gi is not None:
        pn, nn = api.args[gi].name, api.args[gi + 1].name
        # libvirt's rule: a getter with a flags argument returns strings
        # whenever the plugin takes them, as if the caller had passed
        # STRING_OKAY; one without (GetSchedulerParameters) never does.
        cflags = ("vkTypedParamsFlagsForCaller(flags, strok > 0)"
                  if any(a.name == "flags" for a in api.args) else "0")
        o.append(f"    if ({call} < 0)")
        o.append("        goto error;")
        o.append(f"    vkTypedParamsReturn(all, nall, {pn}, {nn}, {cflags});")
        o.append("    return 0;")
    elif has_ret:
        o.append(f"    ret = {call};")
        cond = "ret == -1" if api.attrs.get("fail") == "-1" else failed(api, "ret")
        o.append(f"    if ({cond})")
        o.append("        goto error;")
        o.append("    return ret;")
    else:
        o.append(f"    {call};")
        o.append("    return;")
    o.append("")
    o.append(" error:")
    o.append("    vkErrorDispatch(hconn);")
    if has_ret:
        o.append(f"    return {rv};")
    o.append("}")
    return "\n".join(o)


def wrappers(items):
    o = ["/* Generated by scripts/api-gen.py from core/api/ (one .api file per family): do not edit.",
         " * Every public call that a plugin carries out, each following the one",
         " * ritual of CONVENTIONS.md. */",
         "/* SPDX-License-Identifier: LGPL-2.1-or-later */",
         "/* Range checks compare with the _LAST members, as libvirt's wrappers do. */",
         "#define VIR_ENUM_SENTINELS",
         "#include <config.h>", "",
         '#include "vk-object.h"', '#include "vk-dispatch.h"', '#include "vk-route.h"', ""]
    for fam in FAMILY_ORDER:
        # A wrapper's own errors come from the domain of the libvirt source
        # file that defines the call (its VIR_FROM_THIS), as libvirt's do.
        o += ["#undef VK_FROM", f"#define VK_FROM {FAMILY_ERROR_DOMAIN.get(fam, 'VIR_FROM_NONE')}", ""]
        for it in items[fam]:
            if it[0] == "api" and it[1].impl in ("plugin", "pending"):
                o.append(wrapper(it[1]))
                o.append("")
    return "\n".join(o)


TABLE_NAMES = {"hypervisor": "virtkitHypervisorOps", "storage": "virtkitStorageOps",
               "stream": "virtkitStreamOps"}

# Slots that are no public API: how a plugin is opened, closed and asked.
EXTRA_SLOTS = {
    "hypervisor": [
        ("connectOpen", "virtkitPluginOpenStatus (*connectOpen)(virConnectPtr conn, const char *uri, "
         "virConnectAuthPtr auth, unsigned int flags)"),
        ("connectClose", "int (*connectClose)(virConnectPtr conn)"),
        ("connectSupportsFeature", "int (*connectSupportsFeature)(virConnectPtr conn, int feature)"),
    ],
    # A secondary plugin (storage) attaches to connections through these.
    "storage": [
        ("connectOpen", "virtkitPluginOpenStatus (*connectOpen)(virConnectPtr conn, const char *uri, "
         "virConnectAuthPtr auth, unsigned int flags)"),
        ("connectClose", "int (*connectClose)(virConnectPtr conn)"),
    ],
    "stream": [],
}


def abi_fail(msg):
    raise SystemExit(f"api-gen.py: ABI lock: {msg}")


def read_lists(abidir):
    """The committed slot lists: [(minor, table C name, slot, where)] in order."""
    out = []
    files = sorted((f for f in os.listdir(abidir) if f.endswith(".slots")),
                   key=lambda f: vkey(f[:-len(".slots")]))
    for f in files:
        minor = f[:-len(".slots")]
        if not re.match(r"^\d+\.\d+$", minor):
            abi_fail(f"plugin-api/abi/{f}: name a slot list after its ABI minor (1.N.slots)")
        for n, line in enumerate(open(os.path.join(abidir, f)), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 2 or parts[0] not in TABLE_NAMES.values():
                abi_fail(f"plugin-api/abi/{f}:{n}: cannot read '{line}' (want 'TABLE slot', "
                         f"TABLE one of {', '.join(TABLE_NAMES.values())})")
            out.append((minor, parts[0], parts[1], f"plugin-api/abi/{f}:{n}"))
    return out


def header_minor(plugin_h):
    m = re.search(r"#\s*define VIRTKIT_PLUGIN_ABI_MINOR (\d+)", open(plugin_h).read())
    return "1." + m.group(1)


def locked_tables(items, abidir, plugin_h, upto=None):
    """Every ops table in the committed order, checked against core/api/:
    {table: [(minor, slot, decl or Api)]}.  Fails with a message naming the
    file, the slot and the fix on any disagreement."""
    have = {t: {} for t in TABLE_NAMES}     # table -> slot -> Api or C decl
    for t, extras in EXTRA_SLOTS.items():
        for slot, decl in extras:
            have[t][slot] = decl
    for fam in FAMILY_ORDER:
        for it in items[fam]:
            if it[0] != "api":
                continue
            api = it[1]
            has_slot = api.impl == "plugin" and not api.route
            if has_slot and "abi" not in api.attrs:
                abi_fail(f"core/api/{fam}.api: {api.name} has no abi=: say which ABI minor's "
                         f"table group holds its slot (abi=1.0 for the slots of ABI 1.0; a new "
                         f"API takes the next minor)")
            if not has_slot and "abi" in api.attrs:
                abi_fail(f"core/api/{fam}.api: {api.name} has abi= but no slot "
                         f"({'routed' if api.route else 'impl=' + api.impl}): drop it")
            if has_slot:
                have[api.table][api.slot] = api
    by_name = {v: k for k, v in TABLE_NAMES.items()}
    lists = read_lists(abidir)
    core_minor = header_minor(plugin_h)
    seen = {}
    tables = {t: [] for t in TABLE_NAMES}
    for minor, tname, slot, where in lists:
        t = by_name[tname]
        if vkey(minor) > vkey(core_minor):
            abi_fail(f"{where}: {tname}.{slot} is listed for ABI {minor}, newer than "
                     f"VIRTKIT_PLUGIN_ABI_MINOR ({core_minor}) in virtkit-plugin.h: bump it")
        if (t, slot) in seen:
            abi_fail(f"{where}: {tname}.{slot} is listed twice (first at {seen[(t, slot)]})")
        seen[(t, slot)] = where
        what = have[t].get(slot)
        if what is None:
            abi_fail(f"{where}: {tname}.{slot} is in the committed list but no api in "
                     f"core/api/ has that slot: a locked slot is never removed or renamed "
                     f"(keep its api, or mark it deprecated and leave it in place)")
        if isinstance(what, Api) and what.abi != minor:
            abi_fail(f"core/api/{what.fam}.api: {what.name} says abi={what.abi} but its slot "
                     f"{tname}.{slot} is in the ABI {minor} list ({where})")
        if isinstance(what, str) and minor != "1.0":
            abi_fail(f"{where}: {tname}.{slot} belongs to ABI 1.0")
        if upto is None or vkey(minor) <= vkey(upto):
            tables[t].append((minor, slot, what))
    for t in TABLE_NAMES:
        for slot, what in have[t].items():
            if (t, slot) in seen:
                continue
            minor = what.abi if isinstance(what, Api) else "1.0"
            name = f" ({what.name})" if isinstance(what, Api) else ""
            abi_fail(f"{TABLE_NAMES[t]}.{slot}{name} is in core/api/ but in no committed slot "
                     f"list: append the line '{TABLE_NAMES[t]} {slot}' to "
                     f"plugin-api/abi/{minor}.slots (append only: never insert)")
    return tables


def struct_fields_in_header(plugin_h, struct):
    """[(group, field)] of a struct of virtkit-plugin.h, in declaration order."""
    text = open(plugin_h).read()
    m = re.search(r"struct _" + struct + r"\s*\{(.*?)\n\}", text, re.S)
    if not m:
        abi_fail(f"virtkit-plugin.h has no struct _{struct}")
    body = m.group(1)
    out, group, depth, cur = [], "1.0", 0, ""
    i = 0
    while i < len(body):
        if body.startswith("/*", i):
            j = body.index("*/", i)
            g = re.match(r"/\*\s*Since ABI (\d+\.\d+)", body[i:j])
            if g:
                group = g.group(1)
            i = j + 2
            continue
        c = body[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == ";" and depth == 0:
            decl = " ".join(cur.split())
            fp = re.search(r"\(\s*\*\s*(\w+)\s*\)", decl)
            name = fp.group(1) if fp else re.search(r"(\w+)\s*(\[[^\]]*\])?\s*$", decl).group(1)
            out.append((group, name))
            cur = ""
        else:
            cur += c
        i += 1
    return out


def read_fields(abidir):
    """plugin-api/abi/structs.fields: {struct: [(minor, field, where)]}."""
    out = {}
    path = os.path.join(abidir, "structs.fields")
    for n, line in enumerate(open(path), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or not re.match(r"^\d+\.\d+$", parts[1]):
            abi_fail(f"plugin-api/abi/structs.fields:{n}: cannot read '{line}' "
                     "(want 'STRUCT 1.N field')")
        out.setdefault(parts[0], []).append((parts[1], parts[2],
                                             f"plugin-api/abi/structs.fields:{n}"))
    return out


def locked_structs(abidir, plugin_h, upto=None):
    """Checks the hand-written structs of virtkit-plugin.h against the
    committed field list; returns {struct: [field, ...]} up to @upto."""
    lists = read_fields(abidir)
    core_minor = header_minor(plugin_h)
    out = {}
    for struct, fields in lists.items():
        hdr = struct_fields_in_header(plugin_h, struct)
        for k, (minor, field, where) in enumerate(fields):
            if vkey(minor) > vkey(core_minor):
                abi_fail(f"{where}: {struct}.{field} is listed for ABI {minor}, newer than "
                         f"VIRTKIT_PLUGIN_ABI_MINOR ({core_minor}): bump it")
            if k >= len(hdr):
                abi_fail(f"{where}: {struct}.{field} is in the committed list but "
                         f"virtkit-plugin.h's {struct} ends before it (fields are never removed)")
            hgroup, hfield = hdr[k]
            if hfield != field:
                abi_fail(f"virtkit-plugin.h: {struct} field {k + 1} is '{hfield}' where the committed "
                         f"list has '{field}' ({where}): fields are appended at the end of the "
                         f"struct, never inserted, renamed or removed")
            if hgroup != minor:
                abi_fail(f"virtkit-plugin.h: {struct}.{field} sits under 'Since ABI {hgroup}' "
                         f"but the committed list says {minor} ({where})")
        for hgroup, hfield in hdr[len(fields):]:
            abi_fail(f"virtkit-plugin.h: {struct}.{hfield} is in no committed field list: append "
                     f"'{struct} {hgroup} {hfield}' to plugin-api/abi/structs.fields")
        out[struct] = [f for m, f, _ in fields if upto is None or vkey(m) <= vkey(upto)]
    for struct in ("virtkitPluginDescriptor", "virtkitPluginHost"):
        if struct not in out:
            abi_fail(f"plugin-api/abi/structs.fields lists no field of {struct}")
    return out


def ops(items, abidir, plugin_h, upto=None):
    tables = locked_tables(items, abidir, plugin_h, upto)
    minor = upto or header_minor(plugin_h)
    o = ["/* Generated by scripts/api-gen.py from core/api/ (one .api file per family)",
         " * in the slot order committed in plugin-api/abi/1.N.slots: do not edit. */",
         "/* SPDX-License-Identifier: LGPL-2.1-or-later */",
         "#ifndef VIRTKIT_PLUGIN_OPS_H", "# define VIRTKIT_PLUGIN_OPS_H", "",
         "# include <stddef.h>", "# include <virtkit/virtkit.h>", "",
         "/* The ABI minor whose slot lists these tables hold. */",
         f"# define VIRTKIT_PLUGIN_OPS_ABI_MINOR {minor.split('.')[1]}", "",
         "/* One slot per public API a plugin carries out, named after the API",
         " * minus its 'vir' prefix.  A slot takes the API's own arguments, after",
         " * the core has checked handles, arguments and read-only rules, with one",
         " * exception: a getter whose caller passes a typed-parameter buffer",
         " * (virDomainGetMemoryParameters, ...) has a slot that returns every",
         " * entry in a newly allocated array (*params, *nparams); the core then",
         " * applies the nparams rules.  Its flags carry VIR_TYPED_PARAM_STRING_OKAY",
         " * exactly when the plugin answers yes to TYPED_PARAM_STRING (and the API",
         " * has flags); the caller then gets the string entries, as with libvirt.",
         " * A NULL slot means unsupported.",
         " * Older forms of an operation (virDomainCreate, virDomainSave, ...) have",
         " * no slot: the core calls the newest form's slot with libvirt's defaults",
         " * and names them after the slot's API in its comment.",
         " * The order of every table is locked: plugin-api/abi/1.N.slots lists it,",
         " * and new slots are only ever appended, in the group of a new minor. */", ""]
    for t, slots in tables.items():
        name = TABLE_NAMES[t]
        o.append(f"typedef struct _{name} {{")
        o.append("    size_t struct_size;  /* sizeof(" + name + ") as the plugin was built */")
        group = None
        for g, slot, what in slots:
            if g != group:
                o.append("")
                o.append(f"    /* Since ABI {g} */")
                group = g
            if isinstance(what, str):
                o.append(f"    {what};")
                continue
            api = what
            r = api.ret
            sep = "" if r.endswith("*") else " "
            also = "".join(f", {n}" for n in api.routed_here)
            o.append(f"    {r}{sep}(*{api.slot})({slot_type(api)});  /* {api.name}{also} */")
        o.append(f"}} {name};")
        o.append("")
    o.append("#endif")
    o.append("")
    return "\n".join(o), tables


def abi_checks(items, abidir, plugin_h, upto=None):
    """_Static_asserts of the locked layout: each slot's offset from its
    index in the committed lists (never from the struct itself), and each
    hand-written struct's fields in the committed order."""
    tables = locked_tables(items, abidir, plugin_h, upto)
    structs = locked_structs(abidir, plugin_h, upto)
    o = ["/* Generated by scripts/api-gen.py from plugin-api/abi/: do not edit.",
         " * The plugin ABI's layout, as committed: compiled into the core and the",
         " * loader test, so a table or struct that moves a field fails the build. */",
         "/* SPDX-License-Identifier: LGPL-2.1-or-later */",
         "#ifndef VIRTKIT_PLUGIN_ABI_CHECK_H", "# define VIRTKIT_PLUGIN_ABI_CHECK_H", "",
         "# include <stddef.h>", "# include <virtkit/virtkit-plugin.h>", "",
         "/* Slot N of a table: after struct_size, N function pointers in. */",
         "# define VK_ABI_SLOT_OFFSET(n) (sizeof(size_t) + (n) * sizeof(void (*)(void)))", ""]
    for t, slots in tables.items():
        name = TABLE_NAMES[t]
        o.append(f"_Static_assert(offsetof({name}, struct_size) == 0, \"{name}.struct_size\");")
        for n, (g, slot, _) in enumerate(slots):
            o.append(f"_Static_assert(offsetof({name}, {slot}) == VK_ABI_SLOT_OFFSET({n}),")
            o.append(f"               \"{name}.{slot}: slot {n} of plugin-api/abi/ (ABI {g})\");")
        o.append(f"_Static_assert(sizeof({name}) == VK_ABI_SLOT_OFFSET({len(slots)}),")
        o.append(f"               \"{name} has exactly the {len(slots)} committed slots\");")
        o.append("")
    for struct, fields in structs.items():
        o.append(f"_Static_assert(offsetof({struct}, {fields[0]}) == 0, \"{struct}.{fields[0]}\");")
        for a, b in zip(fields, fields[1:]):
            o.append(f"_Static_assert(offsetof({struct}, {b}) > offsetof({struct}, {a}),")
            o.append(f"               \"{struct}.{b} follows {a} (plugin-api/abi/structs.fields)\");")
        o.append("")
    o.append("#endif")
    o.append("")
    return "\n".join(o)


def syms(items):
    nodes = {}
    for fam in FAMILY_ORDER:
        for it in items[fam]:
            if it[0] == "api":
                nodes.setdefault(it[1].node, []).append(it[1].name)
            elif it[0] == "variable":
                n = it[1].split()[-1]
                since, _, node = it[2].partition(" node=")
                nodes.setdefault(node or "LIBVIRT_" + since, []).append(n)
    order = sorted(nodes, key=lambda n: vkey(n.split("_", 1)[1]))
    o = ["# Generated by scripts/api-gen.py: do not edit.",
         "# libvirt's symbols sit in libvirt's version nodes; ours in VIRTKIT_*.", ""]
    prev = None
    for n in order:
        o.append(f"{n} {{")
        o.append("    global:")
        for s in sorted(nodes[n]):
            o.append(f"        {s};")
        if prev is None:
            o.append("    local:")
            o.append("        *;")
        o.append(f"}}{' ' + prev if prev else ''};")
        o.append("")
        prev = n
    for n, lst in VIRTKIT_SYMBOLS.items():
        o.append(f"{n} {{")
        o.append("    global:")
        for s in lst:
            o.append(f"        {s};")
        o.append(f"}} {prev};")
        prev = n
    o.append("")
    return "\n".join(o)


def consts(items):
    """X-macro lists of every constant our headers define and of the struct
    layouts, for the comparison test against libvirt-dev's headers."""
    o = ["/* Generated by scripts/api-gen.py: do not edit. */", "#define VK_CONSTS(X, S) \\"]
    for fam in FAMILY_ORDER:
        for it in items[fam]:
            if it[0] == "enum":
                for m in it[3]:
                    mm = re.match(r"^\s*(\w+) = ", m)
                    o.append(f"    X({mm.group(1)}) \\")
            elif it[0] == "define" and it[2].startswith("_vir"):
                pass  # a struct tag alias: no value to compare
            elif it[0] == "define" and not it[2].startswith('"'):
                o.append(f"    X({it[1]}) \\")
            elif it[0] == "define":
                o.append(f"    S({it[1]}) \\")
    o.append("    /* end of VK_CONSTS */")
    o.append("")
    o.append("#define VK_STRUCTS(T, F) \\")
    for fam in FAMILY_ORDER:
        for it in items[fam]:
            if it[0] == "struct":
                o.append(f"    T({it[1]}) \\")
                for f in it[4]:
                    mm = re.match(r"^    [^ ].*?(\w+)(\[.*\])?;$", f)
                    if mm and not f.startswith("        "):
                        o.append(f"    F({it[1]}, {mm.group(1)}) \\")
                # union members of virTypedParameter are listed by hand in the test
    o.append("    /* end of VK_STRUCTS */")
    o.append("")
    return "\n".join(o)


def main():
    args = sys.argv[1:]
    upto = None
    if "--upto" in args:
        k = args.index("--upto")
        upto = args[k + 1]
        del args[k:k + 2]
    mode, outdir, apidir = args[0], args[1], args[2]
    # The ABI lists and the hand-written plugin header sit beside core/api/.
    pa = os.path.join(apidir, "..", "..", "plugin-api")
    abidir = os.path.join(pa, "abi")
    plugin_h = os.path.join(pa, "include", "virtkit", "virtkit-plugin.h")
    items = parse(apidir)
    resolve_routes(items)

    def write(rel, text):
        path = os.path.join(outdir, rel)
        try:
            if open(path).read() == text:
                return
        except OSError:
            pass
        with open(path, "w") as fp:
            fp.write(text)

    if mode == "headers":
        for fam in FAMILY_ORDER:
            write(f"virtkit-{fam}.h", header(fam, items[fam]))
        return
    if mode == "ops":
        text, _ = ops(items, abidir, plugin_h, upto)
        write("virtkit-plugin-ops.h", text)
        write("virtkit-plugin-abi-check.h", abi_checks(items, abidir, plugin_h, upto))
        return
    write("vk-api-wrappers.c", wrappers(items))
    write("libvirtkit.syms", syms(items))
    write("consts-list.h", consts(items))


if __name__ == "__main__":
    main()
