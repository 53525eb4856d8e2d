#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The plugin ABI lock (scripts/api-gen.py, plugin-api/abi/): generation
fails, with a message naming the fix, on each way the .api files, the
committed lists and virtkit-plugin.h can disagree; and the ABI 1.0 slot
list itself is frozen.

Each case copies core/api/, plugin-api/abi/ and virtkit-plugin.h into a
scratch tree, changes one thing, runs 'api-gen.py ops' there and expects
it to fail with the given words.

usage: check-abi-lock.py SRCROOT      (prints TAP)
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

# ABI 1.0 is what plugins are built against: its slot list never changes.
# New slots go to plugin-api/abi/1.1.slots (and so on), never here.
SLOTS_1_0_SHA256 = "cc6d81e7275911d26c48d5b349f2d0824da7ced410c74b3ef41c3baed238b163"


def tree(root, tmp):
    shutil.copytree(os.path.join(root, "core", "api"), os.path.join(tmp, "core", "api"))
    shutil.copytree(os.path.join(root, "plugin-api", "abi"), os.path.join(tmp, "plugin-api", "abi"))
    os.makedirs(os.path.join(tmp, "plugin-api", "include", "virtkit"))
    shutil.copy(os.path.join(root, "plugin-api", "include", "virtkit", "virtkit-plugin.h"),
                os.path.join(tmp, "plugin-api", "include", "virtkit"))


def edit(tmp, rel, fn):
    path = os.path.join(tmp, rel)
    text = open(path).read()
    new = fn(text)
    assert new != text, f"case did not change {rel}"
    open(path, "w").write(new)


def run(root, tmp):
    out = os.path.join(tmp, "out")
    os.makedirs(out, exist_ok=True)
    p = subprocess.run([sys.executable, os.path.join(root, "scripts", "api-gen.py"), "ops", out,
                        os.path.join(tmp, "core", "api")], capture_output=True, text=True)
    return p.returncode, (p.stdout + p.stderr).strip()


API = "core/api/domain.api"
SLOTS = "plugin-api/abi/1.0.slots"
FIELDS = "plugin-api/abi/structs.fields"
HDR = "plugin-api/include/virtkit/virtkit-plugin.h"

CASES = [
    ("an API with a slot and no abi=", API,
     lambda t: t.replace("virDomainSuspend(virDomainPtr domain) ; 0.0.3 rw abi=1.0",
                         "virDomainSuspend(virDomainPtr domain) ; 0.0.3 rw"),
     "virDomainSuspend has no abi="),
    ("a slot in the .api files but in no list", API,
     lambda t: t + "\napi int virDomainFrobnicate(virDomainPtr domain, unsigned int flags) ; 9.0.0 abi=1.0\n",
     "virtkitHypervisorOps.domainFrobnicate (virDomainFrobnicate) is in core/api/ but in no "
     "committed slot list: append the line 'virtkitHypervisorOps domainFrobnicate' to "
     "plugin-api/abi/1.0.slots"),
    ("a slot in a list but not in the .api files", SLOTS,
     lambda t: t + "virtkitHypervisorOps domainFrobnicate\n",
     "virtkitHypervisorOps.domainFrobnicate is in the committed list but no api in core/api/ "
     "has that slot"),
    ("a removed API whose slot is listed", API,
     lambda t: re.sub(r"\napi int virDomainSuspend\([^\n]*", "", t),
     "virtkitHypervisorOps.domainSuspend is in the committed list but no api"),
    ("an abi= that disagrees with the list", API,
     lambda t: t.replace("virDomainSuspend(virDomainPtr domain) ; 0.0.3 rw abi=1.0",
                         "virDomainSuspend(virDomainPtr domain) ; 0.0.3 rw abi=1.1"),
     "virDomainSuspend says abi=1.1 but its slot virtkitHypervisorOps.domainSuspend is in "
     "the ABI 1.0 list"),
    ("a list newer than the header's minor", "plugin-api/abi/1.1.slots",
     lambda t: t + "virtkitHypervisorOps domainSuspend\n",
     "newer than VIRTKIT_PLUGIN_ABI_MINOR (1.0)"),
    ("abi= on a routed API", API,
     lambda t: t.replace("route=virDomainCreateWithFlags(domain,0)",
                         "route=virDomainCreateWithFlags(domain,0) abi=1.0"),
     "virDomainCreate has abi= but no slot (routed)"),
    ("a host field inserted, not appended", HDR,
     lambda t: t.replace("    bool (*logEnabled)(int priority, const char *module);",
                         "    int (*inserted)(void);\n"
                         "    bool (*logEnabled)(int priority, const char *module);"),
     "virtkitPluginHost field 5 is 'inserted' where the committed list has 'logEnabled'"),
    ("a host field appended but not listed", HDR,
     lambda t: t.replace("} virtkitPluginHost;",
                         "    /* Since ABI 1.0 */\n    int (*appended)(void);\n} virtkitPluginHost;"),
     "virtkitPluginHost.appended is in no committed field list: append "
     "'virtkitPluginHost 1.0 appended' to plugin-api/abi/structs.fields"),
    ("a descriptor field removed", HDR,
     lambda t: t.replace("    const char *license;                 /* SPDX identifier */\n", ""),
     "virtkitPluginDescriptor field 6 is 'uri_schemes' where the committed list has 'license'"),
    ("a listed field under the wrong group", FIELDS,
     lambda t: t.replace("virtkitPluginDescriptor 1.0 stream", "virtkitPluginDescriptor 1.1 stream"),
     "virtkitPluginDescriptor.stream is listed for ABI 1.1, newer than VIRTKIT_PLUGIN_ABI_MINOR"),
]


def main():
    root = sys.argv[1]
    n = len(CASES) + 2
    print(f"1..{n}")
    fails = 0
    digest = hashlib.sha256(open(os.path.join(root, SLOTS), "rb").read()).hexdigest()
    ok = digest == SLOTS_1_0_SHA256
    print(f"{'ok' if ok else 'not ok'} 1 - {SLOTS} is ABI 1.0 as locked")
    if not ok:
        fails += 1
        print(f"# sha256 {digest}, locked {SLOTS_1_0_SHA256}: the 1.0 slot order is what ABI 1.0")
        print("# plugins were built against; append new slots to plugin-api/abi/1.1.slots")
    with tempfile.TemporaryDirectory() as tmp:
        tree(root, tmp)
        rc, msg = run(root, tmp)
        print(f"{'ok' if rc == 0 else 'not ok'} 2 - the tree as committed generates")
        if rc:
            fails += 1
            print("# " + msg.replace("\n", "\n# "))
    for i, (what, rel, fn, want) in enumerate(CASES, 3):
        with tempfile.TemporaryDirectory() as tmp:
            tree(root, tmp)
            if not os.path.exists(os.path.join(tmp, rel)):
                open(os.path.join(tmp, rel), "w").close()
            edit(tmp, rel, fn)
            rc, msg = run(root, tmp)
            good = rc != 0 and want in msg
            print(f"{'ok' if good else 'not ok'} {i} - refused: {what}")
            if not good:
                fails += 1
                print(f"# exit {rc}; wanted: {want}")
                print("# got: " + msg.replace("\n", "\n# "))
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
