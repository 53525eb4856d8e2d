#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs the misuse table (misuse.c) built against virtkit and against
Debian's libvirt, both on test:///default, and compares, case by case, the
code, domain, level and message of the error each call leaves (TAP).

usage: misuse-compare.py OURS [STOCK]

A case passes when both libraries say the same thing, or when the case is
listed in INTENDED below and virtkit says exactly what is listed there
while libvirt says something else.  A listed difference that has gone away
fails too (drop it from the table), as does a case where neither library
reports an error (it would prove nothing).  With OURS alone (the sanitizer
build, which has no stock build to compare with), every case must run and
match the table's expectation of an error.
"""

import subprocess
import sys

# Where virtkit means to differ from libvirt 9.0, and why.  The value is
# virtkit's whole line after the case name: code|domain|level|message
# (or OK|detail for a call that succeeds).
INTENDED = {
    # --- virtkit says more
    "lookup_uuidstr_bad": (
        "virtkit names the argument, the call and the value; libvirt says "
        "'Invalid UUID'",
        "8|20|2|uuidstr in virDomainLookupByUUIDString must be a valid UUID, not 'not-a-uuid'"),
    "get_version_null": (
        "libvirt fails without reporting anything (its dispatcher's 'cause is "
        "unknown'); virtkit names the NULL argument",
        "8|0|2|libVer in virGetVersion must not be NULL"),
    "typed_params_add_null_name": (
        "virtkit does more: libvirt accepts a NULL name (GLib prints a "
        "critical and the entry gets an empty name); virtkit refuses it",
        "8|0|2|name in virTypedParamsAddInt must not be NULL"),
    "typed_params_set_long_field": (
        "same code; virtkit names the call, the entry and the limit "
        "(VIR_TYPED_PARAM_FIELD_LENGTH)",
        "8|0|2|invalid argument: Parameter 0 passed to virDomainSetSchedulerParameters has "
        "a name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' "
        "that fills all 80 bytes of the field with no terminating NUL; typed parameter names "
        "must be shorter than 80 bytes (VIR_TYPED_PARAM_FIELD_LENGTH)"),
    "typed_params_set_bad_type": (
        "same code; the core refuses an unknown type before any plugin runs, "
        "naming the known types; libvirt's test driver reports it against its "
        "own table",
        "8|0|2|invalid argument: Parameter 'weight' passed to virDomainSetSchedulerParameters "
        "has unknown type 99; known types are 1 (int) to 7 (string)"),
    "event_register_bad_id": (
        "same code and domain; virtkit names the call and the value",
        "8|20|2|eventID in virConnectDomainEventRegisterAny must be less than 27, "
        "but it is 9999"),
    "define_bad_uuid": (
        "libvirt calls a user's bad <uuid> an internal error; virtkit reports an "
        "XML error naming the value and the line",
        "35|20|2|Malformed <uuid> 'zzz' at line 1"),
    "define_huge_memory": (
        "virtkit names the element and what it expects",
        "35|20|2|Invalid value '99999999999999999999999' for <memory>: expected a "
        "non-negative integer"),
    "define_bad_type": (
        "same code and domain; virtkit names the attribute and the line",
        "67|20|2|unsupported configuration: unknown value 'nosuch' for attribute 'type' of "
        "<domain> at line 1"),
    "open_nonsense_uri": (
        "same domain; virtkit says why the URI does not parse and calls it an "
        "invalid argument rather than an internal error",
        "8|45|2|invalid argument: malformed URI '::::' (from the connection name): URI is not "
        "absolute, and no base URI was provided"),
    "open_test_missing_file": (
        "same domain; virtkit says it cannot read the file (libvirt: it cannot "
        "parse it)",
        "9|12|2|operation failed: cannot load the test host '/no/such/file.xml': Cannot read "
        "the node file '/no/such/file.xml'"),
    "open_test_relative_path": (
        "as open_test_missing_file",
        "9|12|2|operation failed: cannot load the test host '/relative': Cannot read the node "
        "file '/relative'"),
    "restore_foreign_file": (
        "libvirt: 'internal error: mismatched header magic'; virtkit names the "
        "file and the header it expected",
        "9|12|2|operation failed: '$TMP/foreign.save' is not a save image of the test host "
        "(no 'VirtkitTestSave1' header)"),
    "save_image_get_xml_foreign": (
        "as restore_foreign_file",
        "9|12|2|operation failed: '$TMP/foreign.save' is not a save image of the test host "
        "(no 'VirtkitTestSave1' header)"),
    "restore_empty_file": (
        "libvirt reports a system error with a stale errno ('No such file or "
        "directory' for a file that exists); virtkit says it is no save image",
        "9|12|2|operation failed: '$TMP/empty.save' is not a save image of the test host "
        "(no 'VirtkitTestSave1' header)"),
    "restore_directory": (
        "same code and domain (a system error with errno's text); libvirt words "
        "it as an incomplete header, virtkit as an image it cannot read",
        "38|12|2|cannot read domain image '$TMP': Is a directory"),
    "close_callback_unregister_unknown": (
        "virtkit does more: libvirt's test driver returns 0 for a close "
        "callback that was never registered; virtkit says so, as libvirt's "
        "remote driver refuses it too",
        "55|20|2|Requested operation is not valid: that close callback is not registered on "
        "connection 'test:///default'"),
    "stream_new_flags_unknown": (
        "virtkit does more: libvirt's virStreamNew takes any flags; virtkit "
        "refuses those it does not know, as libvirt's drivers do for their calls",
        "8|38|2|unsupported flags (0x40000000) in function virStreamNew"),
    "block_resize_unknown_disk": (
        "virtkit's test plugin does more: it resizes disks (libvirt's test driver "
        "has no virDomainBlockResize) and refuses an unknown disk with the words "
        "libvirt's test driver uses for virDomainGetBlockInfo",
        "8|12|2|invalid argument: invalid path nosuch not assigned to domain"),
    "cells_free_memory_past_end": (
        "same code and domain; virtkit names the start cell and the range",
        "8|12|2|invalid argument: start cell 1000 out of range (0-1)"),
    "block_resize_huge": (
        "virtkit's test plugin does more: it resizes disks (libvirt's test driver "
        "has no virDomainBlockResize), and refuses a size whose bytes overflow",
        "82|12|2|numerical overflow: size 18446744073709551615 KiB for disk 'vda' is too big"),
    "block_peek_offset_2p63": (
        "virtkit's test plugin does more: it reads disks (libvirt's test driver has no "
        "virDomainBlockPeek) and refuses an offset no file can have, naming the limit",
        "8|12|2|invalid argument: cannot read 16 bytes at offset 9223372036854775808 of disk "
        "'vda' (/guest/diskimage1): a disk's offsets end at 9223372036854775807"),
    "define_name_newline": (
        "same code and words; libvirt reports it from its XML helpers (VIR_FROM_XML), "
        "virtkit from the domain parser (VIR_FROM_DOMAIN), as for every other name check",
        "35|20|2|invalid char in name:  "),
    "blkio_device_weight_huge": (
        "virtkit does more: libvirt's test driver stores a per-device list of any "
        "length (and sends it in every event); the test host bounds it",
        "8|20|2|invalid argument: blkio device list 'device_weight' is longer than the "
        "limit of 65536 bytes"),
    "metadata_key_xmlns": (
        "virtkit does more: libvirt stores an element prefixed 'xmlns', which XML "
        "reserves; virtkit's test host would lose it, so it refuses it",
        "8|12|2|invalid argument: metadata key 'xmlns' cannot be a namespace prefix: XML "
        "reserves it"),
    "metadata_uri_empty": (
        "virtkit does more: libvirt binds a prefix to the empty namespace name, which "
        "XML namespaces forbid; virtkit's test host would lose the element, so it refuses it",
        "8|12|2|invalid argument: metadata of type element needs a non-empty namespace URI"),
    # --- not there yet
    "pin_vcpu_huge": (
        "the test plugin does not pin vCPUs yet: the call is unsupported",
        "3|20|2|this function is not supported by the connection driver: virDomainPinVcpu"),
    "pool_lookup_missing": (
        "the test plugin has no storage pools yet: the call is unsupported",
        "3|18|2|this function is not supported by the connection driver: "
        "virStoragePoolLookupByName"),
    "vol_lookup_path_missing": (
        "the test plugin has no storage volumes yet: the call is unsupported",
        "3|18|2|this function is not supported by the connection driver: "
        "virStorageVolLookupByPath"),
    "open_unknown_scheme": (
        "libvirt hands a URI no driver claims to its daemon (and fails to reach "
        "it here); virtkit has no remote plugin yet and says no driver takes it",
        "5|0|2|no connection driver available for nosuchhv:///system"),
}

# Cases that succeed on purpose: what they print is the point.
SUCCEEDS = {"event_first_callback_ids", "memory_stats_null"}


def run(prog):
    p = subprocess.run([prog], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=120)
    lines = {}
    order = []
    for line in p.stdout.splitlines():
        name, _, rest = line.partition("|")
        lines[name] = rest
        order.append(name)
    return p.returncode, p.stderr, order, lines


def main():
    ours_prog = sys.argv[1]
    stock_prog = sys.argv[2] if len(sys.argv) > 2 else None
    rc, err, order, ours = run(ours_prog)
    fails = 0
    results = []
    if rc != 0:
        results.append((False, "virtkit run", f"exit status {rc}: {err.strip()}"))
    # libxml2 must never write to the application's stderr (its default handler)
    noise = [l for l in err.splitlines() if " error : " in l or "parser error" in l]
    results.append((not noise, "virtkit writes no libxml2 message to stderr", "\n".join(noise)))
    stock = None
    if stock_prog:
        src, serr, sorder, stock = run(stock_prog)
        if src != 0:
            results.append((False, "libvirt run", f"exit status {src}: {serr.strip()}"))
        if sorder != order:
            results.append((False, "same cases",
                            f"virtkit ran {len(order)} cases, libvirt {len(sorder)}"))
    for name in INTENDED:
        if name not in ours:
            results.append((False, f"{name} (intended)", "no such case in the table"))
    for name in order:
        got = ours[name]
        intended = INTENDED.get(name)
        if stock is None:
            want = intended[1] if intended else None
            if want is not None:
                ok = got == want
                why = f"virtkit: {got}\n want:   {want}"
            else:
                ok = got.startswith("OK|") == (name in SUCCEEDS)
                why = f"virtkit: {got} (expected {'success' if name in SUCCEEDS else 'an error'})"
            results.append((ok, name, why))
            continue
        theirs = stock.get(name)
        if theirs is None:
            results.append((False, name, "libvirt printed nothing for this case"))
            continue
        if got.startswith("OK|") and theirs.startswith("OK|") and name not in SUCCEEDS:
            results.append((False, name, f"no error on either side: it tests nothing ({got})"))
            continue
        if intended:
            note, want = intended
            if theirs == want:
                results.append((False, name, "listed as an intended difference, but libvirt "
                                 f"now says the same: drop it from INTENDED\n libvirt: {theirs}"))
            else:
                results.append((got == want, name + " # intended: " + note,
                                f"virtkit: {got}\n want:    {want}\n libvirt: {theirs}"))
            continue
        results.append((got == theirs, name, f"virtkit: {got}\n libvirt: {theirs}"))

    print(f"1..{len(results)}")
    for i, (ok, name, why) in enumerate(results, 1):
        if ok:
            print(f"ok {i} - {name}")
        else:
            fails += 1
            print(f"not ok {i} - {name}")
            for line in why.splitlines():
                print(f"# {line}")
    if len(order) < 60:
        print(f"# only {len(order)} cases ran")
        return 1
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
