#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Generates virtkitd's side of libvirt's remote protocol from two sources:
core/api/*.api (every public function's signature, read with api-gen.py's
parser) and rpc/remote.procs (the hand-kept procedure table).

remote.procs, one item per line ('#' starts a comment):

  const NAME VALUE                 a list cap (REMOTE_NAME in the .x)
  type NAME FIELD:TYPE,...         a helper struct remote_NAME for layouts
  proc NUM NAME API FLAGS [ATTR ...]
                                   NUM: libvirt's procedure number
                                   NAME: REMOTE_PROC_* without the prefix
                                   API: the public function it serves, or '-'
                                   FLAGS: comma list of prio (priority worker),
                                     preopen (allowed before CONNECT_OPEN),
                                     ro / rw (allowed on a read-only socket or
                                     not; default: rw when the .api marks the
                                     API rw, else ro), server (a MESSAGE the
                                     server sends: a CALL of it is unknown),
                                     or '-'

Attributes:
  impl=hand        the handler is written in rpc/vk-rpc-dispatch.c as
                   vkRpcRemote<CamelName>; args=/ret= give its layouts
  args=LAYOUT      the args struct, when not the one derived from the API
  ret=LAYOUT       the ret struct, likewise
  retval=FIELD     the API's int return value is an answer, sent as FIELD
                   (default: an int return is only a status)
  opt=A,B          these 'const char *' arguments may be NULL (remote_string)
  also=API,...     other public functions this procedure serves (for the
                   coverage test: virConnectOpenAuth is CONNECT_OPEN too)
  shape=SHAPE:MAX  a regular shape other than one call with scalars:
                     list-all  obj, T ***list, flags -> {need_results, flags}
                               -> {T list<MAX>; count ret} (count=int|uint)
                     names     obj, char **names, int max[, flags]
                               -> {int max[, flags]} -> {string names<MAX>}
                     ids       conn, int *ids, int max -> {int ids<MAX>}
                     tp-get    obj[, x], params, int *nparams, flags
                               -> {[x,] int nparams, flags}
                               -> {param params<MAX>; int nparams}
                     tp-getn   the legacy form with no nparams in ret
                     tp-set    obj[, x], params, int nparams[, flags]
                               -> {[x,] param params<MAX>[, flags]}

LAYOUT is a comma list of FIELD:TYPE.  TYPE is string, ostring (may be
NULL), uuid, dom, odom, snap, pool, opool, vol, int, uint, hyper, uhyper,
double, char, uchar, short, ushort, param, opaque or a 'type' of the file,
followed by <MAX> for a variable array or [N] for a fixed one (MAX a const
of the file without REMOTE_, or a number).  Field names do not matter on
the wire, only types, order and optionality; the generated handlers copy a
struct the API fills (virDomainInfo, ...) field by field by name.

usage: rpc-gen.py OUTDIR APIDIR PROCS
writes: OUTDIR/remote_protocol.x      (rpcgen -h / -c turn it into C)
        OUTDIR/vk-rpc-remote-table.c  (generated handlers, vkRpcRemoteProgram)
        OUTDIR/vk-rpc-remote-procs.h  (the hand handlers' prototypes)
        OUTDIR/vk-rpc-remote-procs.tsv (number, name, api, impl, flags: for tests)
"""

import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("api_gen", os.path.join(HERE, "api-gen.py"))
api_gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_gen)

# Layout types: .x spelling
XTYPES = {
    "string": "remote_nonnull_string",
    "ostring": "remote_string",
    "uuid": "remote_uuid",
    "dom": "remote_nonnull_domain",
    "odom": "remote_domain",
    "snap": "remote_nonnull_domain_snapshot",
    "pool": "remote_nonnull_storage_pool",
    "opool": "remote_storage_pool",
    "vol": "remote_nonnull_storage_vol",
    "int": "int",
    "uint": "unsigned int",
    "hyper": "hyper",
    "uhyper": "unsigned hyper",
    "double": "double",
    "char": "char",
    "uchar": "unsigned char",
    "short": "short",
    "ushort": "unsigned short",
    "param": "remote_typed_param",
    "opaque": "opaque",
}

# API handle types: layout type, lookup helper, free function
HANDLES = {
    "virDomainPtr": ("dom", "vkRpcGetDomain", "virDomainFree", "vkRpcMakeDomain"),
    "virDomainSnapshotPtr": ("snap", "vkRpcGetSnapshot", "virDomainSnapshotFree",
                             "vkRpcMakeSnapshot"),
    "virStoragePoolPtr": ("pool", "vkRpcGetPool", "virStoragePoolFree", "vkRpcMakePool"),
    "virStorageVolPtr": ("vol", "vkRpcGetVol", "virStorageVolFree", "vkRpcMakeVol"),
}
LIST_TYPES = {
    "virDomainPtr **": "virDomainPtr", "virDomainSnapshotPtr **": "virDomainSnapshotPtr",
    "virStoragePoolPtr **": "virStoragePoolPtr", "virStorageVolPtr **": "virStorageVolPtr",
}

# scalar input argument C type -> layout type
SCALAR_IN = {
    "int": "int", "unsigned int": "uint", "unsigned long": "uhyper",
    "unsigned long long": "uhyper", "long long": "hyper", "double": "double",
}
# scalar output argument C type -> layout type
SCALAR_OUT = {
    "int *": "int", "unsigned int *": "uint", "unsigned long *": "uhyper",
    "unsigned long long *": "uhyper", "long long *": "hyper", "double *": "double",
}
# C type of a layout scalar in rpcgen's output
CSCALAR = {
    "int": "int", "uint": "u_int", "hyper": "quad_t", "uhyper": "u_quad_t",
    "double": "double", "char": "char", "uchar": "u_char", "short": "short",
    "ushort": "u_short",
}


def die(msg):
    raise SystemExit("rpc-gen: " + msg)


def camel(name):
    return "".join(p.capitalize() for p in name.lower().split("_"))


class Field:
    def __init__(self, name, ltype):
        self.name = name
        m = re.match(r"^(\w+)(?:<(\w*)>|\[(\w+)\])?$", ltype)
        if not m:
            die(f"cannot read field type {ltype!r}")
        self.base, self.var, self.fixed = m.group(1), m.group(2), m.group(3)
        self.text = ltype

    def xdecl(self, consts, types):
        if self.base in XTYPES:
            t = XTYPES[self.base]
        elif self.base in types:
            t = "remote_" + self.base
        else:
            die(f"field {self.name}: unknown type {self.base}")

        def cap(c):
            if c.isdigit():
                return c
            if c not in consts:
                die(f"field {self.name}: no const {c} in remote.procs")
            return "REMOTE_" + c
        if self.var is not None:
            return f"{t} {self.name}<{cap(self.var) if self.var else ''}>;"
        if self.fixed is not None:
            return f"{t} {self.name}[{cap(self.fixed)}];"
        if self.base == "opaque":
            die(f"field {self.name}: opaque needs <MAX> or [N]")
        return f"{t} {self.name};"


def parse_layout(text):
    if text in ("", "void"):
        return []
    out = []
    for part in text.split(","):
        n, _, t = part.partition(":")
        if not t:
            die(f"layout item {part!r}: want FIELD:TYPE")
        out.append(Field(n, t))
    return out


class Proc:
    def __init__(self, lineno, num, name, api, flags, attrs):
        self.lineno = lineno
        self.num = int(num)
        self.name = name
        self.api_name = None if api == "-" else api
        self.flags = set() if flags == "-" else set(flags.split(","))
        bad = self.flags - {"prio", "preopen", "ro", "rw", "server"}
        if bad:
            die(f"line {lineno}: unknown flags {sorted(bad)}")
        self.attrs = {}
        for a in attrs:
            k, eq, v = a.partition("=")
            if not eq:
                die(f"line {lineno}: attribute {a!r}: want KEY=VALUE")
            self.attrs[k] = v
        known = {"impl", "args", "ret", "retval", "opt", "shape", "count", "also"}
        if set(self.attrs) - known:
            die(f"line {lineno}: unknown attributes {sorted(set(self.attrs) - known)}")
        self.impl = self.attrs.get("impl", "gen")
        if self.impl not in ("gen", "hand"):
            die(f"line {lineno}: impl={self.impl}: want gen or hand")
        self.api = None
        self.args = None   # [Field]
        self.ret = None
        self.fn = "vkRpcRemote" + camel(name)

    @property
    def lname(self):
        return self.name.lower()

    def args_struct(self):
        return f"remote_{self.lname}_{'msg' if 'server' in self.flags else 'args'}"

    def ret_struct(self):
        return f"remote_{self.lname}_ret"


def read_procs(path):
    consts, types, procs = {}, {}, []
    for i, raw in enumerate(open(path), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        w = line.split()
        if w[0] == "const" and len(w) == 3:
            consts[w[1]] = w[2]
        elif w[0] == "type" and len(w) == 3:
            types[w[1]] = parse_layout(w[2])
        elif w[0] == "proc" and len(w) >= 5:
            procs.append(Proc(i, *w[1:5], w[5:]))
        else:
            die(f"{path}:{i}: cannot read: {line}")
    seen = {}
    for p in procs:
        if p.num in seen:
            die(f"procedures {seen[p.num].name} and {p.name} share number {p.num}")
        seen[p.num] = p
    names = [p.name for p in procs]
    if len(set(names)) != len(names):
        die("a procedure name is listed twice")
    procs.sort(key=lambda p: p.num)
    return consts, types, procs


# ------------------------------------------------------------ layouts

def derive(p):
    """The layout derived from the API's signature: (args, ret, plan) where
    plan says, per API argument, where its value comes from."""
    api = p.api
    opt = set(p.attrs.get("opt", "").split(",")) - {""}
    args, ret, plan = [], [], []
    shape, _, smax = p.attrs.get("shape", "").partition(":")
    count_t = p.attrs.get("count", "uint")
    for i, a in enumerate(api.args):
        t = a.type
        if i == 0 and t == "virConnectPtr":
            plan.append(("conn", None))
            continue
        if t in HANDLES:
            f = Field(a.name, HANDLES[t][0])
            args.append(f)
            plan.append(("handle", f, t))
        elif t == "const char *":
            f = Field(a.name, "ostring" if a.name in opt else "string")
            args.append(f)
            plan.append(("str", f))
        elif t == "const unsigned char *" and a.name == "uuid":
            f = Field(a.name, "uuid")
            args.append(f)
            plan.append(("uuid", f))
        elif t in LIST_TYPES and shape == "list-all":
            args.append(Field("need_results", "int"))
            ret.append(Field(a.name, f"{HANDLES[LIST_TYPES[t]][0]}<{smax}>"))
            plan.append(("list", ret[-1], LIST_TYPES[t]))
        elif t in ("char ** const", "char **") and shape == "names":
            ret.append(Field(a.name, f"string<{smax}>"))
            plan.append(("names", ret[-1]))
        elif t == "int *" and shape == "ids":
            ret.append(Field(a.name, f"int<{smax}>"))
            plan.append(("ids", ret[-1]))
        elif t == "virTypedParameterPtr" and shape in ("tp-get", "tp-getn"):
            ret.append(Field("params", f"param<{smax}>"))
            plan.append(("tpget", ret[-1]))
        elif t == "int *" and shape in ("tp-get", "tp-getn") and plan and plan[-1][0] == "tpget":
            args.append(Field("nparams", "int"))
            if shape == "tp-get":
                ret.append(Field("nparams", "int"))
            plan.append(("tpgetn", args[-1]))
        elif t == "virTypedParameterPtr" and shape == "tp-set":
            args.append(Field("params", f"param<{smax}>"))
            plan.append(("tpset", args[-1]))
        elif t in ("int", "unsigned int") and shape == "tp-set" and plan and plan[-1][0] == "tpset":
            plan.append(("tpsetn", None))
        elif t == "int" and shape in ("names", "ids") and plan and plan[-1][0] in ("names", "ids"):
            f = Field(a.name, "int")
            args.append(f)
            plan.append(("max", f))
        elif (t == "unsigned char *" and i + 1 < len(api.args)
              and api.args[i + 1].type == "int" and api.args[i + 1].name == "maplen"):
            f = Field(a.name, "opaque<CPUMAP_MAX>")
            args.append(f)
            plan.append(("opaque", f))
        elif t == "int" and a.name == "maplen" and plan and plan[-1][0] == "opaque":
            plan.append(("opaquelen", plan[-1][1]))
        elif t in SCALAR_IN:
            f = Field(a.name, SCALAR_IN[t])
            args.append(f)
            plan.append(("scalar", f, t))
        elif t in SCALAR_OUT:
            f = Field(a.name, SCALAR_OUT[t])
            ret.append(f)
            plan.append(("out", f, t))
        elif struct_of(t):
            plan.append(("struct", struct_of(t)))
        elif t == "size_t" and plan and plan[-1][0] == "struct":
            plan.append(("sizeof", plan[-1][1]))
        else:
            return None, None, f"argument {a.type} {a.name} has no regular layout"
    r = api.ret
    if shape == "list-all":
        ret.append(Field("ret", count_t))
    if r == "int":
        if "retval" in p.attrs and shape != "list-all":
            ret.insert(0, Field(p.attrs["retval"], "int"))
    elif r in ("char *", "const char *"):
        ret.insert(0, Field(p.attrs.get("retval", "str"), "string"))
    elif r in HANDLES:
        ret.insert(0, Field(p.attrs.get("retval", HANDLES[r][0]), HANDLES[r][0]))
    elif r in ("unsigned long", "unsigned long long"):
        ret.insert(0, Field(p.attrs.get("retval", "num"), "uhyper"))
    else:
        return None, None, f"return type {r} has no regular layout"
    return args, ret, plan


STRUCTS = {}
TYPEDEFS = {}


def struct_of(ctype):
    """The struct a 'virFooPtr' argument points at, or None."""
    t = TYPEDEFS.get(ctype, "")
    if t.endswith("*") and t[:-1].strip() in STRUCTS:
        return t[:-1].strip()
    return None


def fill_layouts(procs, apis):
    for p in procs:
        if p.api_name:
            if p.api_name not in apis:
                die(f"proc {p.num} {p.name}: no api {p.api_name} in core/api/")
            p.api = apis[p.api_name]
        if "args" in p.attrs or "ret" in p.attrs or p.impl == "hand" or not p.api:
            if p.impl == "gen" and "server" not in p.flags and not ("ret" in p.attrs and p.api):
                die(f"proc {p.num} {p.name}: give impl=hand, or derive its layout from the API")
            p.args = parse_layout(p.attrs.get("args", ""))
            p.ret = parse_layout(p.attrs.get("ret", ""))
            if p.impl == "hand" and "args" not in p.attrs and p.api:
                a, _, why = derive(p)
                if a is None:
                    die(f"proc {p.num} {p.name}: {why}; give its args=")
                p.args = a
            if p.impl == "gen" and "server" not in p.flags:
                # a ret override with the API's struct copied by name
                a, _, p.plan = derive(p)
                if a is None:
                    die(f"proc {p.num} {p.name}: {p.plan}")
                if "args" not in p.attrs:
                    p.args = a
            continue
        a, r, plan = derive(p)
        if a is None:
            die(f"proc {p.num} {p.name} ({p.api_name}): {plan}; give impl=hand with its layout")
        p.args, p.ret, p.plan = a, r, plan


# ------------------------------------------------------------ .x

def gen_x(consts, types, procs):
    o = ["/* Generated by scripts/rpc-gen.py from rpc/remote.procs and core/api/: do not edit.",
         " * SPDX-License-Identifier: LGPL-2.1-or-later",
         " * libvirt's remote program (0x20008086 version 1) as virtkitd speaks it:",
         " * the layouts are libvirt's, the text is ours. */",
         "",
         "const REMOTE_STRING_MAX = 4194304;",
         "typedef string remote_nonnull_string<REMOTE_STRING_MAX>;",
         "typedef remote_nonnull_string *remote_string;",
         "typedef opaque remote_uuid[16];",
         ""]
    for n, v in consts.items():
        o.append(f"const REMOTE_{n} = {v};")
    o += ["",
          "struct remote_nonnull_domain { remote_nonnull_string name; remote_uuid uuid; int id; };",
          "struct remote_nonnull_network { remote_nonnull_string name; remote_uuid uuid; };",
          "struct remote_nonnull_storage_pool { remote_nonnull_string name; remote_uuid uuid; };",
          "struct remote_nonnull_storage_vol {",
          "    remote_nonnull_string pool; remote_nonnull_string name; remote_nonnull_string key;",
          "};",
          "struct remote_nonnull_domain_snapshot { remote_nonnull_string name; "
          "remote_nonnull_domain dom; };",
          "typedef remote_nonnull_domain *remote_domain;",
          "typedef remote_nonnull_network *remote_network;",
          "typedef remote_nonnull_storage_pool *remote_storage_pool;",
          "typedef remote_nonnull_storage_vol *remote_storage_vol;",
          "",
          "/* The payload of a REPLY with status ERROR (and of a server STREAM error). */",
          "struct remote_error {",
          "    int code; int domain; remote_string message; int level; remote_domain dom;",
          "    remote_string str1; remote_string str2; remote_string str3;",
          "    int int1; int int2; remote_network net;",
          "};",
          "",
          "/* virTypedParameter: the discriminant is virTypedParameterType. */",
          "union remote_typed_param_value switch (int type) {",
          "case 1: int i;",
          "case 2: unsigned int ui;",
          "case 3: hyper l;",
          "case 4: unsigned hyper ul;",
          "case 5: double d;",
          "case 6: int b;",
          "case 7: remote_nonnull_string s;",
          "};",
          "struct remote_typed_param { remote_nonnull_string field; "
          "remote_typed_param_value value; };",
          ""]
    for n, fields in types.items():
        o.append(f"struct remote_{n} {{")
        o += ["    " + f.xdecl(consts, types) for f in fields]
        o.append("};")
    o.append("")
    for p in procs:
        if p.args:
            o.append(f"struct {p.args_struct()} {{ /* {p.num} */")
            o += ["    " + f.xdecl(consts, types) for f in p.args]
            o.append("};")
        if p.ret:
            o.append(f"struct {p.ret_struct()} {{")
            o += ["    " + f.xdecl(consts, types) for f in p.ret]
            o.append("};")
    o.append("")
    o.append("enum remote_procedure {")
    o.append(",\n".join(f"    REMOTE_PROC_{p.name} = {p.num}" for p in procs))
    o.append("};")
    o.append("")
    return "\n".join(o)


# ------------------------------------------------------------ C

def cfield_in(p, f):
    return f"args->{f.name}"


def gen_handler(p):
    """One generated handler: unpack, call, pack."""
    api = p.api
    shape, _, smax = p.attrs.get("shape", "").partition(":")
    L = []
    decl = [f"static int\n{p.fn}(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,"
            f"\n{' ' * (len(p.fn) + 1)}void *a, void *r)", "{"]
    if p.args:
        decl.append(f"    {p.args_struct()} *args = a;")
    else:
        decl.append("    (void)a;")
    if p.ret:
        decl.append(f"    {p.ret_struct()} *ret = r;")
    else:
        decl.append("    (void)r;")
    decl.append("    virConnectPtr conn = vkRpcDispatchConn(client);")
    decl.append("    int rv = -1;")
    callargs, post, cleanup = [], [], []
    retfields = {f.name: f for f in p.ret}
    pre = ["    if (!conn)", "        return -1;"]
    structvar = None
    for step in p.plan:
        kind = step[0]
        if kind == "conn":
            callargs.append("conn")
        elif kind == "handle":
            f, t = step[1], step[2]
            lt, getter, freer, _ = HANDLES[t]
            v = f"h_{f.name}"
            decl.append(f"    {t} {v} = NULL;")
            pre.append(f"    if (!({v} = {getter}(conn, &args->{f.name})))")
            pre.append("        goto cleanup;")
            callargs.append(v)
            cleanup.append(f"    if ({v})\n        {freer}({v});")
        elif kind == "str":
            f = step[1]
            if f.base == "ostring":
                callargs.append(f"args->{f.name} ? *args->{f.name} : NULL")
            else:
                callargs.append(f"args->{f.name}")
        elif kind == "uuid":
            callargs.append(f"(const unsigned char *)args->{step[1].name}")
        elif kind == "scalar":
            f, t = step[1], step[2]
            callargs.append(f"({t})args->{f.name}" if t != "int" else f"args->{f.name}")
        elif kind == "out":
            f, t = step[1], step[2]
            v = f"o_{f.name}"
            decl.append(f"    {t[:-2]} {v} = 0;")
            callargs.append(f"&{v}")
            post.append(f"    ret->{f.name} = {v};")
        elif kind == "struct":
            sname = step[1]
            structvar = "s"
            decl.append(f"    {sname} s;")
            pre.append("    memset(&s, 0, sizeof(s));")
            callargs.append("&s")
            sfields = {fl.strip().rstrip(";").split()[-1].split("[")[0]: fl for fl in STRUCTS[sname]}
            for f in p.ret:
                if f.name == p.attrs.get("retval"):
                    continue
                if f.name not in sfields:
                    die(f"proc {p.num} {p.name}: ret field {f.name} is not a field of {sname}")
                if f.fixed:
                    post.append(f"    memcpy(ret->{f.name}, s.{f.name}, sizeof(ret->{f.name}));")
                else:
                    post.append(f"    ret->{f.name} = s.{f.name};")
        elif kind == "opaque":
            f = step[1]
            callargs.append(f"(unsigned char *)args->{f.name}.{f.name}_val")
        elif kind == "opaquelen":
            f = step[1]
            callargs.append(f"(int)args->{f.name}.{f.name}_len")
        elif kind == "sizeof":
            callargs.append(f"sizeof({step[1]})")
        elif kind == "list":
            f, t = step[1], step[2]
            lt, getter, freer, maker = HANDLES[t]
            decl.append(f"    {t} *list = NULL;")
            decl.append("    int n = -1;")
            callargs.append("args->need_results ? &list : NULL")
            cleanup.append(f"    if (list) {{\n        for (int i = 0; i < n; i++)\n"
                           f"            {freer}(list[i]);\n        free(list);\n    }}")
        elif kind in ("names", "ids"):
            f = step[1]
            elem = "char *" if kind == "names" else "int "
            decl.append(f"    {elem}*items = NULL;")
            decl.append("    int n = -1;")
            callargs.append("items")
        elif kind == "max":
            f = step[1]
            pre.append(f"    if (args->{f.name} < 0 || args->{f.name} > REMOTE_{smax}) {{")
            pre.append(f"        vkRpcReportLimit(\"{f.name}\", args->{f.name}, REMOTE_{smax});")
            pre.append("        goto cleanup;")
            pre.append("    }")
            pre.append(f"    items = calloc(args->{f.name} ? args->{f.name} : 1, sizeof(*items));")
            pre.append("    if (!items)\n        goto cleanup;")
            callargs.append(f"args->{f.name}")
        elif kind == "tpget":
            decl.append("    virTypedParameterPtr params = NULL;")
            decl.append("    int nparams = 0;")
            callargs.append("params")
        elif kind == "tpgetn":
            pre.append(f"    if (args->nparams < 0 || args->nparams > REMOTE_{smax}) {{")
            pre.append(f"        vkRpcReportLimit(\"nparams\", args->nparams, REMOTE_{smax});")
            pre.append("        goto cleanup;")
            pre.append("    }")
            pre.append("    nparams = args->nparams;")
            pre.append("    if (nparams && !(params = calloc(nparams, sizeof(*params))))")
            pre.append("        goto cleanup;")
            callargs.append("&nparams")
        elif kind == "tpset":
            decl.append("    virTypedParameterPtr params = NULL;")
            decl.append("    int nparams = 0;")
            pre.append(f"    if (vkRpcParamsFromWire(args->params.params_val, args->params.params_len,"
                       f"\n                            REMOTE_{smax}, &params, &nparams) < 0)")
            pre.append("        goto cleanup;")
            callargs.append("params")
            cleanup.append("    virTypedParamsFree(params, nparams);")
        elif kind == "tpsetn":
            callargs.append("nparams")
        else:
            die(f"internal: step {kind}")
    if shape in ("tp-get", "tp-getn"):
        has_flags = any(a.name == "flags" for a in api.args)
        flags = "args->flags" if has_flags else "0"
        post.append("    if (params) {")
        post.append(f"        if (vkRpcParamsToWire(params, nparams, REMOTE_{smax},"
                    f" &ret->params.params_val,\n                              "
                    f"&ret->params.params_len, {flags}) < 0)")
        post.append("            goto cleanup;")
        if shape == "tp-get":
            post.append("        ret->nparams = 0;")
        post.append("    } else {")
        if shape == "tp-get":
            post.append("        ret->nparams = nparams;")
        else:
            post.append("        (void)nparams;")
        post.append("    }")
        cleanup.append("    if (params)\n        virTypedParamsFree(params, nparams);")
    # the call and its result
    call = f"{api.name}({', '.join(callargs)})"
    r = api.ret
    body = []
    if shape == "list-all":
        lt = [s for s in p.plan if s[0] == "list"][0]
        f, t = lt[1], lt[2]
        maker = HANDLES[t][3]
        body.append(f"    if ((n = {call}) < 0)\n        goto cleanup;")
        body.append(f"    if (list) {{")
        body.append(f"        if (n > REMOTE_{smax}) {{")
        body.append(f"            vkRpcReportLimit(\"{f.name}\", n, REMOTE_{smax});")
        body.append("            goto cleanup;")
        body.append("        }")
        body.append(f"        ret->{f.name}.{f.name}_val = calloc(n ? n : 1, "
                    f"sizeof(*ret->{f.name}.{f.name}_val));")
        body.append(f"        if (!ret->{f.name}.{f.name}_val)\n            goto cleanup;")
        body.append(f"        ret->{f.name}.{f.name}_len = n;")
        body.append("        for (int i = 0; i < n; i++)")
        body.append(f"            {maker}(&ret->{f.name}.{f.name}_val[i], list[i]);")
        body.append("    }")
        body.append("    ret->ret = n;")
    elif shape in ("names", "ids"):
        f = [s for s in p.plan if s[0] in ("names", "ids")][0][1]
        body.append(f"    if ((n = {call}) < 0)\n        goto cleanup;")
        body.append(f"    ret->{f.name}.{f.name}_val = items;")
        body.append(f"    ret->{f.name}.{f.name}_len = n;")
        body.append("    items = NULL;")
        if shape == "names":
            cleanup.append("    if (items) {\n        for (int i = 0; i < n; i++)\n"
                           "            free(items[i]);\n        free(items);\n    }")
        else:
            cleanup.append("    free(items);")
    elif r == "int":
        rvf = p.attrs.get("retval")
        if rvf and shape != "list-all":
            body.append(f"    if ((ret->{rvf} = {call}) < 0)\n        goto cleanup;")
        else:
            body.append(f"    if ({call} < 0)\n        goto cleanup;")
    elif r == "char *":
        body.append(f"    if (!(ret->{p.ret[0].name} = {call}))\n        goto cleanup;")
    elif r == "const char *":
        decl.append("    const char *s0;")
        body.append(f"    if (!(s0 = {call}))\n        goto cleanup;")
        body.append(f"    if (!(ret->{p.ret[0].name} = strdup(s0)))\n        goto cleanup;")
    elif r in HANDLES:
        decl.append(f"    {r} res = NULL;")
        body.append(f"    if (!(res = {call}))\n        goto cleanup;")
        body.append(f"    {HANDLES[r][3]}(&ret->{p.ret[0].name}, res);")
        cleanup.append(f"    if (res)\n        {HANDLES[r][2]}(res);")
    elif r in ("unsigned long", "unsigned long long"):
        pre.append("    virResetLastError();")
        body.append(f"    ret->{p.ret[0].name} = {call};")
        body.append(f"    if (ret->{p.ret[0].name} == 0 && virGetLastErrorCode() != VIR_ERR_OK)")
        body.append("        goto cleanup;")
    cleanup.append("    virConnectClose(conn);")
    decl.append("    virErrorPtr saved;")
    # the frees are public calls, which reset the thread's error: keep the failure's
    cleanup.insert(0, "    saved = vkRpcErrorSave(rv);")
    cleanup.append("    vkRpcErrorRestore(saved);")
    L = decl + [""] + pre + body + post + ["    rv = 0;", "", " cleanup:"]
    L += cleanup + ["    return rv;", "}", ""]
    # "cleanup" label may be unused: mark it
    text = "\n".join(L)
    if "goto cleanup" not in text:
        text = text.replace(" cleanup:\n", " cleanup: G_GNUC_UNUSED;\n")
    return text


def gen_c(procs):
    o = ["/* Generated by scripts/rpc-gen.py from rpc/remote.procs and core/api/: do not edit. */",
         "/* SPDX-License-Identifier: LGPL-2.1-or-later */",
         "#include <config.h>",
         "#include <stdlib.h>",
         "#include <string.h>",
         "#include <glib.h>",
         '#include "vk-rpc-dispatch.h"',
         ""]
    for p in procs:
        if p.impl == "gen" and "server" not in p.flags:
            o.append(gen_handler(p))
    o.append("static const vkRpcProcDesc vkRpcRemoteProcs[] = {")
    for p in procs:
        fl = []
        ro = ("rw" not in p.flags) and ("ro" in p.flags or not p.api or "rw" not in p.api.attrs)
        if ro:
            fl.append("VK_RPC_PROC_READONLY_OK")
        if "prio" in p.flags:
            fl.append("VK_RPC_PROC_PRIORITY")
        if "preopen" in p.flags:
            fl.append("VK_RPC_PROC_PREOPEN")
        if "server" in p.flags:
            fl.append("VK_RPC_PROC_SERVER_ONLY")
        af = f"(xdrproc_t)xdr_{p.args_struct()}" if p.args else "VK_RPC_XDR_VOID"
        asz = f"sizeof({p.args_struct()})" if p.args else "0"
        rf = f"(xdrproc_t)xdr_{p.ret_struct()}" if p.ret else "VK_RPC_XDR_VOID"
        rsz = f"sizeof({p.ret_struct()})" if p.ret else "0"
        fn = "NULL" if "server" in p.flags else p.fn
        o.append(f"    {{ {p.num}, \"{p.name}\", {af}, {asz}, {rf}, {rsz}, {fn},")
        o.append(f"      {' | '.join(fl) if fl else '0'} }},")
    o.append("};")
    o.append("")
    o.append("const vkRpcProgram vkRpcRemoteProgram = {")
    o.append("    VK_RPC_REMOTE_PROGRAM, VK_RPC_REMOTE_VERSION,")
    o.append("    vkRpcRemoteProcs, G_N_ELEMENTS(vkRpcRemoteProcs),")
    o.append("};")
    o.append("")
    return "\n".join(o)


def gen_h(procs):
    o = ["/* Generated by scripts/rpc-gen.py from rpc/remote.procs: do not edit. */",
         "/* SPDX-License-Identifier: LGPL-2.1-or-later */",
         "#ifndef VK_RPC_REMOTE_PROCS_H",
         "# define VK_RPC_REMOTE_PROCS_H",
         "/* The handlers rpc/vk-rpc-dispatch.c writes by hand (impl=hand). */"]
    for p in procs:
        if p.impl == "hand" and "server" not in p.flags:
            o.append(f"int {p.fn}(vkRpcClient *client, const vkRpcHeader *hdr, void *args, void *ret);")
    o.append("#endif")
    o.append("")
    return "\n".join(o)


def gen_tsv(procs):
    o = []
    for p in procs:
        o.append("\t".join([str(p.num), p.name, p.api_name or "-", p.impl,
                            ",".join(sorted(p.flags)) or "-", p.attrs.get("also", "-")]))
    return "\n".join(o) + "\n"


def main():
    if len(sys.argv) != 4:
        die("usage: rpc-gen.py OUTDIR APIDIR PROCS")
    outdir, apidir, procs_path = sys.argv[1:]
    items = api_gen.parse(apidir)
    apis = {}
    for fam in api_gen.FAMILY_ORDER:
        for it in items[fam]:
            if it[0] == "api":
                apis[it[1].name] = it[1]
            elif it[0] == "struct":
                STRUCTS[it[1]] = it[4]
            elif it[0] == "typedef":
                TYPEDEFS[it[1]] = it[2].strip()
    consts, types, procs = read_procs(procs_path)
    fill_layouts(procs, apis)
    outs = {
        "remote_protocol.x": gen_x(consts, types, procs),
        "vk-rpc-remote-table.c": gen_c(procs),
        "vk-rpc-remote-procs.h": gen_h(procs),
        "vk-rpc-remote-procs.tsv": gen_tsv(procs),
    }
    for n, text in outs.items():
        path = os.path.join(outdir, n)
        old = open(path).read() if os.path.exists(path) else None
        if old != text:
            with open(path, "w") as fp:
                fp.write(text)


if __name__ == "__main__":
    main()
