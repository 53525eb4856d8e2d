#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""TAP test: every function core/api/ exports is served by a procedure of
rpc/remote.procs, or is on one of the two lists below, which say why; the
table's numbers and names are libvirt 9.0's (the dissector's list in the
protocol captures); no two entries share a number or a name; and
rpc-gen.py refuses a table where two do.

usage: check-rpc-coverage.py PROCS.TSV APIDIR RPC-GEN.PY PROCS 9.0-PROCEDURES.TSV
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

# Functions that need no procedure, ever.
EXCEPTIONS = {
    # typed-parameter list helpers work on the caller's own array
    **{f"virTypedParams{s}": "local helper" for s in (
        "AddBoolean", "AddDouble", "AddFromString", "AddInt", "AddLLong", "AddString",
        "AddStringList", "AddUInt", "AddULLong", "Clear", "Free", "Get", "GetBoolean",
        "GetDouble", "GetInt", "GetLLong", "GetString", "GetUInt", "GetULLong")},
    # the error API is the caller's thread state; errors travel in replies
    **{f: "local error state" for f in (
        "virConnCopyLastError", "virConnGetLastError", "virConnResetLastError",
        "virConnSetErrorFunc", "virCopyLastError", "virDefaultErrorFunc", "virFreeError",
        "virGetLastError", "virGetLastErrorCode", "virGetLastErrorDomain",
        "virGetLastErrorMessage", "virResetError", "virResetLastError", "virSaveLastError",
        "virSetErrorFunc")},
    # the event loop is the application's
    **{f"virEvent{s}": "the application's event loop" for s in (
        "AddHandle", "AddTimeout", "RegisterDefaultImpl", "RegisterImpl", "RemoveHandle",
        "RemoveTimeout", "RunDefaultImpl", "UpdateHandle", "UpdateTimeout")},
    # keepalive is the RPC layer's own program (0x6b656570), asked with
    # SUPPORTS_FEATURE(10); liveness is computed by the client
    "virConnectSetKeepAlive": "keepalive program",
    "virConnectIsAlive": "client-side",
    # the client's transport knows; libvirt has no procedure for it
    "virConnectIsEncrypted": "client-side",
    # library-wide, no connection
    "virGetVersion": "library-local", "virInitialize": "library-local",
    # reference counts are per process
    **{f: "reference count" for f in (
        "virConnectRef", "virDomainRef", "virDomainFree", "virDomainSnapshotRef",
        "virDomainSnapshotFree", "virStoragePoolRef", "virStoragePoolFree",
        "virStorageVolRef", "virStorageVolFree", "virStreamRef", "virStreamFree")},
    # fields of a handle the client already holds
    **{f: "handle field" for f in (
        "virDomainGetConnect", "virDomainGetName", "virDomainGetID", "virDomainGetUUID",
        "virDomainGetUUIDString", "virDomainSnapshotGetConnect", "virDomainSnapshotGetDomain",
        "virDomainSnapshotGetName", "virStoragePoolGetConnect", "virStoragePoolGetName",
        "virStoragePoolGetUUID", "virStoragePoolGetUUIDString", "virStorageVolGetConnect",
        "virStorageVolGetName", "virStorageVolGetKey")},
    # parsed by the client, sent as LOOKUP_BY_UUID
    "virDomainLookupByUUIDString": "client-side", "virStoragePoolLookupByUUIDString": "client-side",
    # libvirt's old name of virDomainCreateXML: the client sends DOMAIN_CREATE_XML
    "virDomainCreateLinux": "alias",
    # free structs the client made
    **{f: "local free" for f in (
        "virDomainFSInfoFree", "virDomainIOThreadInfoFree", "virDomainInterfaceFree",
        "virDomainStatsRecordListFree")},
    # stream data travels as STREAM packets of the call that opened the
    # stream, not as procedures of its own
    **{f"virStream{s}": "stream packets" for s in (
        "New", "Abort", "EventAddCallback", "EventRemoveCallback", "EventUpdateCallback",
        "Finish", "Recv", "RecvAll", "RecvFlags", "RecvHole", "Send", "SendAll", "SendHole",
        "SparseRecvAll", "SparseSendAll")},
}

# Functions libvirt serves over the wire that virtkitd does not serve yet:
# each needs something the runtime (vk-rpc.h) does not offer yet.
NOT_YET = {
    **{f: "needs streams in the runtime" for f in (
        "virDomainOpenConsole", "virDomainOpenChannel", "virDomainScreenshot",
        "virStorageVolUpload", "virStorageVolDownload")},
    **{f: "needs fd passing in the runtime" for f in (
        "virDomainOpenGraphics", "virDomainOpenGraphicsFD", "virDomainCreateWithFiles",
        "virDomainCreateXMLWithFiles", "virDomainFDAssociate")},
    **{f: "the client drives migration's begin/prepare/perform/finish procedures"
       for f in ("virDomainMigrate", "virDomainMigrate2", "virDomainMigrate3",
                 "virDomainMigrateToURI", "virDomainMigrateToURI2", "virDomainMigrateToURI3")},
    **{f: "storage pool events (368-373): the core has them pending" for f in (
        "virConnectStoragePoolEventRegisterAny", "virConnectStoragePoolEventDeregisterAny")},
}


def main():
    tsv, apidir, rpcgen, procs, theirs = sys.argv[1:6]
    spec = importlib.util.spec_from_file_location(
        "api_gen", os.path.join(os.path.dirname(rpcgen), "api-gen.py"))
    api_gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(api_gen)
    items = api_gen.parse(apidir)
    apis = {it[1].name for fam in api_gen.FAMILY_ORDER for it in items[fam] if it[0] == "api"}

    rows = [line.rstrip("\n").split("\t") for line in open(tsv) if line.strip()]
    served = {}
    for num, name, api, impl, flags, also in rows:
        for a in ([api] if api != "-" else []) + (also.split(",") if also != "-" else []):
            served.setdefault(a, []).append(f"{num} {name}")
    libvirt = None
    for line in open(theirs) if os.path.exists(theirs) else []:
        libvirt = libvirt or {}
        n, _, nm = line.strip().partition("\t")
        if n.isdigit():
            libvirt[int(n)] = nm.replace("REMOTE_PROC_", "")

    checks = []
    missing = sorted(a for a in apis if a not in served and a not in EXCEPTIONS and a not in NOT_YET)
    checks.append(("every exported function has a procedure or a reason", not missing,
                   "no procedure: " + ", ".join(missing)))
    stale = sorted(a for a in list(EXCEPTIONS) + list(NOT_YET) if a in served)
    checks.append(("no listed function is served after all", not stale,
                   "served, drop from the list: " + ", ".join(stale)))
    unknown = sorted(a for a in list(EXCEPTIONS) + list(NOT_YET) + list(served) if a not in apis)
    checks.append(("every function named exists in core/api", not unknown, ", ".join(unknown)))
    nums = [int(r[0]) for r in rows]
    names = [r[1] for r in rows]
    checks.append(("no two procedures share a number",
                   len(nums) == len(set(nums)), str(sorted(n for n in nums if nums.count(n) > 1))))
    checks.append(("no two procedures share a name",
                   len(names) == len(set(names)), str(sorted(n for n in names if names.count(n) > 1))))
    if libvirt is None:
        # a release tarball has no ../shared beside it
        checks.append(("numbers and names are libvirt 9.0's # SKIP no " + theirs, True, ""))
    else:
        wrong = [f"{n} {nm} (libvirt 9.0: {libvirt.get(n)})" for n, nm in zip(nums, names)
                 if libvirt.get(n) != nm]
        checks.append(("numbers and names are libvirt 9.0's", not wrong, "; ".join(wrong)))
    checks.append(("the table serves at least 250 procedures", len(rows) >= 250, str(len(rows))))

    # the generator refuses a duplicate number, naming both procedures
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "remote.procs")
        with open(procs) as src, open(bad, "w") as dst:
            dst.write(src.read())
            dst.write("proc 3 CONNECT_GET_TYPE_AGAIN virConnectGetType -\n")
        r = subprocess.run([sys.executable, rpcgen, tmp, apidir, bad],
                           capture_output=True, text=True)
        ok = r.returncode != 0 and "share number 3" in r.stderr and "CONNECT_GET_TYPE_AGAIN" in r.stderr
        checks.append(("rpc-gen.py refuses two procedures with one number", ok, r.stderr.strip()))

    print(f"1..{len(checks)}")
    bad = 0
    for i, (name, ok, detail) in enumerate(checks, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")
        if not ok:
            bad += 1
            print(f"# {detail}")
    print(f"# {len(rows)} procedures; not served yet: "
          + "; ".join(f"{a} ({why})" for a, why in sorted(NOT_YET.items())))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
