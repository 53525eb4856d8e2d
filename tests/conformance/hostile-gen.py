#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes hostile.c, the hostile-argument table, from core/api/*.api.

For every public function the description declares, one case per pointer
argument passes NULL there, and one case per size, count, offset or range
argument passes each of its hostile values (0 and the type's maximum, -1
for signed ones, 2^63 for 64-bit offsets); every other argument gets a sane
default, so the one hostile value is what the call meets.  The calls run on
a fresh live domain of test:///default for each case.  The source is public
API only and is built against virtkit and against Debian's libvirt;
hostile-compare.py runs both and compares (see there).

Output of the program, one line per case (as misuse.c):
  name|code|domain|level|message     the error the call left
  name|OK|                           the call succeeded
A case prints 'name|' before it calls, so a run that dies leaves the name
of the case that killed it; 'hostile --from NAME' resumes after it.

usage: hostile-gen.py APIDIR OUT.c
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "apigen", os.path.join(HERE, "..", "..", "scripts", "api-gen.py"))
apigen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(apigen)

# Families left out: their calls replace process-wide state (the error
# handler, the event loop implementation) that the run itself relies on.
SKIP_FAMILIES = {"error", "event"}

# Functions left out, with the reason.
SKIP = {
    # a NULL name means the default URI, which may reach a daemon on the
    # machine; misuse.c covers bad URIs
    "virConnectOpen": "default URI", "virConnectOpenReadOnly": "default URI",
    "virConnectOpenAuth": "default URI",
    # tests never suspend the machine they run on
    "virNodeSuspendForDuration": "host power",
    # migration reaches out to the URI it is given
    "virDomainMigrate": "network", "virDomainMigrate2": "network",
    "virDomainMigrate3": "network", "virDomainMigrateToURI": "network",
    "virDomainMigrateToURI2": "network", "virDomainMigrateToURI3": "network",
    # takes a file descriptor of the caller's
    "virDomainOpenGraphics": "caller's fd", "virDomainOpenGraphicsFD": "caller's fd",
    # closes the connection every other case uses
    "virConnectClose": "run's connection",
}

# Integer arguments that size a caller's buffer or count its entries.
COUNTS = {"size", "nbytes", "maplen", "maxids", "maxinfo", "maxnames", "nameslen",
          "ncpumaps", "nkeycodes", "nparams", "maxCells", "ncpus", "nfds", "nfiles",
          "nkeys", "nmountpoints", "npages", "nr_stats", "nvcpus", "cellCount", "count",
          "maxerrors"}
# 64-bit offsets into a disk or guest memory.
OFFSETS = {"offset", "start"}
# Indexes and enumerations whose range a wrapper may check.
RANGES = {"cellNum", "cpuNum", "startCell", "start_cpu", "codeset", "dumpformat", "action",
          "id", "eventID", "vcpu", "iothread_id", "signum"}

INT_MAX_OF = {
    "int": ("INT_MAX", True), "unsigned int": ("UINT_MAX", False),
    "size_t": ("SIZE_MAX", False), "unsigned long": ("ULONG_MAX", False),
    "unsigned long long": ("ULLONG_MAX", False), "long long": ("LLONG_MAX", True),
}

XML_NAMES = {"xml", "xmlDesc", "dxml", "destxml", "xmlCPU", "domainXml", "nativeConfig",
             "xmlconfig"}
FILE_NAMES = {"to", "from", "file", "dumpfile"}
DISK_NAMES = {"disk", "path", "device", "base", "top", "dev"}


def pointer_default(a, api, i):
    t = a.type
    if t == "virConnectPtr":
        return "rw"
    if t == "virDomainPtr":
        return "dom"
    if t == "virDomainSnapshotPtr":
        return "snap"
    if t == "virStreamPtr":
        return "st"
    if t == "virStoragePoolPtr":
        return "pool"
    if t == "virStorageVolPtr":
        return "vol"
    if t in ("const char *",):
        n = a.name
        if n in XML_NAMES:
            return "hostile_xml"
        if n in FILE_NAMES:
            return "save_path"
        if n in DISK_NAMES:
            return '"vda"'
        if n == "uri":
            return '"http://example.org/hostile"'
        if n == "key":
            return '"hostile"'
        if n == "metadata":
            return '"<hostile/>"'
        return '"x"'
    # each argument its own region, so out-arguments never alias
    return f"({t})(void *)(scratch + {i} * SCRATCH_SLICE)"


def int_default(a):
    if a.name == "flags":
        return "0"
    if a.name == "size" and a.type == "size_t":
        return "8"
    if a.name in COUNTS:
        return "1"
    return "0"


def hostile_values(a):
    """(label, C expression) pairs for an integer argument."""
    if a.name == "flags" or a.type not in INT_MAX_OF:
        return []
    mx, signed = INT_MAX_OF[a.type]
    out = []
    if a.name in COUNTS:
        out = [("zero", "0"), ("max", mx)]
        if signed:
            out.append(("minus1", "-1"))
    elif a.name in OFFSETS and a.type == "unsigned long long":
        out = [("2p63", "(1ULL << 63)"), ("max", mx)]
    elif a.name in RANGES:
        out = [("max", mx)] + ([("minus1", "-1")] if signed else [])
    return out


def cases(items):
    out = []
    for fam in apigen.FAMILY_ORDER:
        if fam in SKIP_FAMILIES:
            continue
        for it in items[fam]:
            if it[0] != "api":
                continue
            api = it[1]
            if api.name in SKIP:
                continue
            freeing = api.name.endswith("Free") or api.name.endswith("Clear")
            for i, a in enumerate(api.args):
                pointer = "*" in a.type or a.type.endswith("Ptr")
                if pointer and a.name != "opaque":
                    out.append((f"{api.name}__{a.name}_null", api, i, "NULL"))
                elif not pointer and not freeing:
                    for label, val in hostile_values(a):
                        out.append((f"{api.name}__{a.name}_{label}", api, i, val))
    return out


def case_fn(name, api, idx, val):
    args = []
    needs = []
    for i, a in enumerate(api.args):
        pointer = "*" in a.type or a.type.endswith("Ptr")
        if i == idx:
            args.append(f"({a.type}){val}" if val != "NULL" else "NULL")
        elif pointer:
            d = pointer_default(a, api, i)
            if d in ("pool", "vol"):
                needs.append(d)
            args.append(d)
        elif a.type.endswith("Func") or a.type.endswith("Callback"):
            args.append("NULL")
        elif a.type == "double":
            args.append("0.0")
        else:
            args.append(int_default(a))
    call = f"{api.name}({', '.join(args)})"
    o = [f"static void\ncase_{name}(void)\n{{"]
    for n in needs:
        o.append(f"    if (!{n}) {{ skipped = \"no {n}\"; return; }}")
    if api.ret == "void":
        o.append(f"    {call};")
    else:
        o.append(f"    (void){call};")
    o.append("}")
    return "\n".join(o)


PROLOGUE = r'''/* Generated by tests/conformance/hostile-gen.py from core/api/: do not edit.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <glib.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static virConnectPtr rw;
static virDomainPtr dom;              /* "hostile", running, fresh for each case */
static virDomainSnapshotPtr snap;     /* "s1" of dom */
static virStreamPtr st;
static virStoragePoolPtr pool;        /* stock libvirt's default-pool, when there is one */
static virStorageVolPtr vol;
static const char *skipped;
static char *save_path;
static char *disk_path;
static char *hostile_xml;
/* What every other pointer argument points at: zeroed, one 64 KiB slice per
 * argument position (larger than any struct or list a sane count of 1 asks
 * for), so two out-arguments of one call never share memory. */
#define SCRATCH_SLICE 65536
static union { long long align; unsigned char bytes[16 * SCRATCH_SLICE]; } scratch_mem;
#define scratch (scratch_mem.bytes)

'''

EPILOGUE = r'''
static void
quiet(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

static void
clean_domain(void)
{
    virDomainPtr d;

    if (snap)
        virDomainSnapshotFree(snap);
    snap = NULL;
    if (dom)
        virDomainFree(dom);
    dom = NULL;
    while ((d = virDomainLookupByName(rw, "hostile"))) {
        virDomainDestroy(d);
        if (virDomainUndefineFlags(d, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                                      VIR_DOMAIN_UNDEFINE_MANAGED_SAVE) < 0) {
            virDomainFree(d);
            break;
        }
        virDomainFree(d);
    }
    g_unlink(save_path);
}

static void
fresh(void)
{
    clean_domain();
    memset(scratch, 0, sizeof(scratch));
    skipped = NULL;
    if (!(dom = virDomainDefineXML(rw, hostile_xml)) || virDomainCreate(dom) < 0 ||
        !(snap = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>s1</name>"
                                                 "</domainsnapshot>", 0))) {
        g_printerr("hostile: setup failed: %s\n", virGetLastErrorMessage());
        exit(2);
    }
    if (st)
        virStreamFree(st);
    if (!(st = virStreamNew(rw, 0))) {
        g_printerr("hostile: setup failed: %s\n", virGetLastErrorMessage());
        exit(2);
    }
}

static char *
field(const char *text, const char *tmpdir)
{
    g_auto(GStrv) parts = g_strsplit(text ? text : "", tmpdir, -1);
    g_autofree char *joined = g_strjoinv("$TMP", parts);

    g_strdelimit(joined, "|\n", ' ');
    return g_steal_pointer(&joined);
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *tmpdir = NULL;
    const char *from = NULL, *only = NULL;
    bool started;

    if (argc > 2 && strcmp(argv[1], "--from") == 0)
        from = argv[2];
    else if (argc > 1)
        only = argv[1];
    started = from == NULL;
    if (!(tmpdir = g_dir_make_tmp("hostile-XXXXXX", &err))) {
        g_printerr("hostile: %s\n", err->message);
        return 2;
    }
    save_path = g_build_filename(tmpdir, "hostile.save", NULL);
    disk_path = g_build_filename(tmpdir, "disk.img", NULL);
    {
        g_autofree char *zeros = g_malloc0(65536);

        if (!g_file_set_contents(disk_path, zeros, 65536, &err)) {
            g_printerr("hostile: %s\n", err->message);
            return 2;
        }
    }
    hostile_xml = g_strdup_printf(
        "<domain type='test'><name>hostile</name><memory>131072</memory><vcpu>2</vcpu>"
        "<os><type>hvm</type></os><devices>"
        "<disk type='file' device='disk'><source file='%s'/><target dev='vda' bus='virtio'/>"
        "</disk></devices></domain>", disk_path);
    virSetErrorFunc(NULL, quiet);
    if (virEventRegisterDefaultImpl() < 0 || !(rw = virConnectOpen("test:///default"))) {
        g_printerr("hostile: setup failed: %s\n", virGetLastErrorMessage());
        return 2;
    }
    pool = virStoragePoolLookupByName(rw, "default-pool");
    if (pool)
        vol = virStorageVolLookupByName(pool, "default-vol");
    virResetLastError();

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        virErrorPtr e;

        if (!started) {
            started = strcmp(cases[i].name, from) == 0;
            continue;
        }
        if (only && strcmp(only, cases[i].name) != 0)
            continue;
        fresh();
        printf("%s|", cases[i].name);
        fflush(stdout);
        virResetLastError();
        cases[i].run();
        e = virGetLastError();
        if (skipped) {
            printf("SKIP|%s\n", skipped);
        } else if (e) {
            g_autofree char *msg = field(e->message, tmpdir);

            printf("%d|%d|%d|%s\n", e->code, e->domain, e->level, msg);
        } else {
            printf("OK|\n");
        }
        fflush(stdout);
    }
    clean_domain();
    if (st)
        virStreamFree(st);
    g_unlink(disk_path);
    g_rmdir(tmpdir);
    return 0;
}
'''


def main():
    apidir, out = sys.argv[1], sys.argv[2]
    items = apigen.parse(apidir)
    cs = cases(items)
    o = [PROLOGUE]
    for name, api, idx, val in cs:
        o.append(case_fn(name, api, idx, val))
        o.append("")
    o.append("static const struct { const char *name; void (*run)(void); } cases[] = {")
    for name, *_ in cs:
        o.append(f'    {{ "{name}", case_{name} }},')
    o.append("};")
    o.append(EPILOGUE)
    with open(out + ".tmp", "w") as f:
        f.write("\n".join(o))
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
