#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""vksh against stock virsh (TAP).

usage: check-vksh.py VKSH DATADIR

Each case runs one scenario in ONE vksh process and, for comparisons, the
same scenario in ONE `virsh -c test:///default` process (each virsh process
has a fresh in-memory test host, as each vksh process has a fresh test
plugin).  stdout, stderr and the exit status must match after volatile
values are masked (UUIDs, CPU time).  Where our test plugin does more than
libvirt's test driver, the case states vksh's expected output itself.

The cases that need test:///default are skipped, with a reason, when the
test plugin is not on VIRTKIT_PLUGIN_DIR; parsing, help and global-option
cases run without it.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

VKSH = sys.argv[1]
DATADIR = sys.argv[2]
VIRSH = shutil.which("virsh")
URI = "test:///default"

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


SNAP_TIME_RE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}")
EPOCH_RE = re.compile(r"\b1\d{9}\b")


def mask_snap(text):
    """Snapshot creation times, and names made from them."""
    text = SNAP_TIME_RE.sub("YYYY-MM-DD hh:mm:ss +zzzz", text)
    return EPOCH_RE.sub("EPOCH", text)


def mask(text):
    text = UUID_RE.sub("UUID", text)
    # CPU time is a clock reading in libvirt's test driver
    text = re.sub(r"(?m)^CPU time: .*\n", "", text)
    text = re.sub(r"\(Time: [0-9.]+ ms\)", "(Time: T ms)", text)
    return text


def ours(text):
    """Drop what vksh adds to virsh's help (options marked virtkit's own)."""
    text = re.sub(r"(?m)^    --\S+(?: <\w+>)? +.*\(virtkit; virsh has none\)\n", "", text)
    return text.replace(" [--json]", "").replace(" [--run <string>]", "")


# Nothing of the machine's or the user's configuration is read: no default
# URI variable, XDG dirs and HOME in an empty directory (no user config, no
# session daemon socket), no daemon autostart, and no virtkit.conf.  A case
# that wants a default URI sets it through env=.
SANDBOX = tempfile.mkdtemp(prefix="vksh-sandbox-")
SANDBOX_ENV = {
    "LIBVIRT_DEFAULT_URI": None, "VIRSH_DEFAULT_CONNECT_URI": None,
    "VIRTKIT_DEFAULT_URI": None, "VKSH_DEFAULT_CONNECT_URI": None,
    "XDG_CONFIG_HOME": os.path.join(SANDBOX, "config"),
    "XDG_RUNTIME_DIR": os.path.join(SANDBOX, "runtime"),
    "XDG_CACHE_HOME": os.path.join(SANDBOX, "cache"),
    "HOME": SANDBOX,
    "LIBVIRT_AUTOSTART": "0",
    "VIRTKIT_CONF": os.path.join(SANDBOX, "virtkit.conf"),
}


def run(prog, args, cwd, stdin=None, timeout=60, extra_env=None):
    env = dict(os.environ)
    for k, v in list(SANDBOX_ENV.items()) + list((extra_env or {}).items()):
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    env.pop("VKSH_DEBUG", None)
    env.pop("VIRSH_DEBUG", None)
    env["LC_ALL"] = "C"
    p = subprocess.run([prog] + args, cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=timeout, input=stdin if stdin is not None else "")
    return p.returncode, p.stdout, p.stderr


results = []


def report(ok, name, detail=None, skip=None):
    results.append((ok, name, detail, skip))


def show_diff(a, b):
    import difflib
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                        "virsh/expected", "vksh"))


def same(name, args, needs_plugin=True, cwd=None, snap=False, env=None):
    """vksh ARGS and virsh ARGS agree (after masking).  snap: the case
    needs snapshots in our test plugin; creation times are masked."""
    if needs_plugin and not have_plugin:
        report(True, name, skip="test plugin not on VIRTKIT_PLUGIN_DIR")
        return
    if not VIRSH:
        report(True, name, skip="virsh not installed (libvirt-clients)")
        return
    # virsh's save/managedsave job watcher now and then never returns (seen
    # under load): retry with a longer wait each time, then fail.  A case
    # that cannot be compared is not a pass, and a skip would hide it.
    vr = None
    for wait in (20, 40, 60):
        try:
            vr = run(VIRSH, args, cwd or work, timeout=wait, extra_env=env)
            break
        except subprocess.TimeoutExpired:
            continue
    if vr is None:
        report(False, name, "stock virsh hung three times (20 s, 40 s, 60 s) on: virsh "
               + " ".join(args))
        return
    kr = run(VKSH, args, cwd or work, extra_env=env)
    kr = (kr[0], ours(kr[1]), kr[2])
    if snap:
        vr = (vr[0], mask_snap(vr[1]), mask_snap(vr[2]))
        kr = (kr[0], mask_snap(kr[1]), mask_snap(kr[2]))
    problems = []
    if vr[0] != kr[0]:
        problems.append("exit status: virsh %d, vksh %d" % (vr[0], kr[0]))
    if mask(vr[1]) != mask(kr[1]):
        problems.append("stdout differs:\n" + show_diff(mask(vr[1]), mask(kr[1])))
    if mask(vr[2]) != mask(kr[2]):
        problems.append("stderr differs:\n" + show_diff(mask(vr[2]), mask(kr[2])))
    report(not problems, name, "\n".join(problems))


def expect(name, args, stdout, stderr="", rc=0, needs_plugin=True, stdin=None,
           match=None, snap=False, env=None):
    """vksh ARGS prints what the case states (our plugin does more than libvirt's)."""
    if needs_plugin and not have_plugin:
        report(True, name, skip="test plugin not on VIRTKIT_PLUGIN_DIR")
        return
    kr = run(VKSH, args, work, stdin=stdin, extra_env=env)
    if snap:
        kr = (kr[0], mask_snap(kr[1]), mask_snap(kr[2]))
    problems = []
    if kr[0] != rc:
        problems.append("exit status: expected %d, got %d" % (rc, kr[0]))
    if match is not None:
        if not re.search(match, kr[1], re.S):
            problems.append("stdout does not match %r:\n%s" % (match, kr[1]))
    elif mask(kr[1]) != stdout:
        problems.append("stdout differs:\n" + show_diff(stdout, mask(kr[1])))
    if mask(kr[2]) != stderr:
        problems.append("stderr differs:\n" + show_diff(stderr, mask(kr[2])))
    report(not problems, name, "\n".join(problems))


def c(script):
    """A whole scenario as one command string, in one process."""
    return ["-c", URI, script]


work = tempfile.mkdtemp(prefix="vksh-test-")
shutil.copy(os.path.join(DATADIR, "vm1.xml"), work)
shutil.copy(os.path.join(DATADIR, "disk.xml"), work)
have_plugin = run(VKSH, ["-c", URI, "uri"], work)[0] == 0
# The test plugin serves snapshots: when it is there, a snapshot-list that
# fails is a failure, not a reason to skip the snapshot cases.
if have_plugin:
    r = run(VKSH, c("snapshot-list test"), work)
    report(r[0] == 0, "the test plugin serves snapshots (snapshot-list test)", r[2])

# ---- the framework: parsing, help, errors (no connection needed) ---------
for cmd in ["dominfo", "start", "list", "schedinfo", "save", "restore", "undefine",
            "blockresize", "setmem", "memtune", "blkiotune", "event", "help", "dumpxml",
            "domblkinfo", "shutdown", "create", "define", "setvcpus", "attach-device",
            "domcapabilities", "save-image-dumpxml", "managedsave", "edit",
            "snapshot-create", "snapshot-create-as", "snapshot-list", "snapshot-info",
            "snapshot-current", "snapshot-parent", "snapshot-dumpxml", "snapshot-revert",
            "snapshot-delete", "snapshot-edit", "snapshot"]:
    same("help %s" % cmd, ["help", cmd], needs_plugin=False)
same("--help on a command is help COMMAND", ["dominfo", "--help"], needs_plugin=False)
same("--help=value is refused", ["dominfo", "--help=1"], needs_plugin=False)
same("help for an unknown command", ["help", "nosuch"], needs_plugin=False)
same("unknown command", ["nosuch"], needs_plugin=False)
same("unknown option", ["start", "--foo"], needs_plugin=False)
same("missing required positional", ["start"], needs_plugin=False)
same("option without its value", ["dominfo", "--domain"], needs_plugin=False)
same("unexpected extra data", ["dominfo", "a", "b"], needs_plugin=False)
same("option given twice", ["dominfo", "a", "--domain", "b"], needs_plugin=False)
same("'=' after a boolean option", ["domstate", "x", "--reason=1"], needs_plugin=False)
same("missing closing quote", ["domstate \"x"], needs_plugin=False)
same("dangling backslash", ["domstate x\\"], needs_plugin=False)
same("unknown global option", ["-z"], needs_plugin=False)
same("-k not a number", ["-k", "abc", "help"], needs_plugin=False)
same("-k negative", ["-k", "-1", "help"], needs_plugin=False)
same("-K not a number", ["-K", "abc", "help"], needs_plugin=False)
same("-e two characters", ["-e", "ab", "help"], needs_plugin=False)
same("-d not a number", ["-d", "abc", "help", "uri"], needs_plugin=False)
same("comment only", ["# nothing"], needs_plugin=False)
same("echo, and echo --shell quoting", ["echo a b; echo --shell 'a b' c \"d'e\""],
     needs_plugin=False)

# ---- test:///default, compared with virsh --------------------------------
same("list, one running domain", c("list"))
same("list --all, table, quiet", ["-q"] + c("list --all"))
same("list variants", c("list --all --name; list --uuid; list --id; list --all --name --uuid --id; "
                        "list --table --title --all; list --inactive; list --state-running; "
                        "list --state-shutoff; list --persistent; list --transient"))
same("list --table with --name is refused", c("list --table --name"))
same("dominfo, domstate, domid, domname, domuuid",
     c("dominfo test; domstate test; domstate test --reason; domid test; domname 1; "
       "domuuid test; domname 6695eb01-f6a4-8304-79aa-97f2502e193f"))
same("a domain that is not there", c("dominfo nosuch; domid nosuch"))
same("--opt=value, -- and quoting", c("dominfo --domain=test; domstate 'te'st; "
                                       "domid \"test\"; domid -- test"))
same("the last command decides the exit status", c("domid nosuch; domid test"))
same("-q drops the blank line after each command", ["-q"] + c("domid test; domname 1"))
same("read-only connection refuses changes", ["-r"] + c("destroy test"))
# Files are read with virsh's 10 MiB cap whatever they are: /dev/zero and
# a file one byte over the cap are refused with virsh's words (before the
# cap, vksh read /dev/zero until memory ran out); a file at the cap is read.
with open(os.path.join(work, "over-cap.xml"), "wb") as f:
    f.write(b" " * (10 * 1024 * 1024 + 1))
same("define /dev/zero: refused at virsh's 10 MiB cap", c("define /dev/zero"))
same("attach-device from /dev/zero: refused at the cap", c("attach-device test /dev/zero"))
same("define of a file one byte over the cap", c("define over-cap.xml"))

same("define, start, suspend, resume, save, restore, undefine",
     c("define vm1.xml; list --all; dominfo vm1; start vm1; start vm1; domstate vm1 --reason; "
       "suspend vm1; domstate vm1 --reason; resume vm1; domstate vm1 --reason; "
       "save vm1 %s/s1.img; domstate vm1 --reason; restore %s/s1.img; domstate vm1 --reason; "
       "destroy vm1; destroy vm1; undefine vm1; undefine vm1; list --all" % (work, work)))
same("managedsave, list --managed-save, managedsave-remove",
     c("define vm1.xml; start vm1; managedsave vm1; list --all --managed-save; "
       "list --all --with-managed-save --name; dominfo vm1; managedsave-remove vm1; "
       "managedsave-remove vm1; undefine vm1"))
same("create, shutdown, reboot, reset",
     c("create vm1.xml; list --all; shutdown vm1; list --all; reboot test; reset test; "
       "shutdown test --mode foo"))
same("dumpxml and its flags, --xpath, --wrap",
     c("dumpxml test; dumpxml test --inactive; dumpxml test --security-info; "
       "dumpxml test --xpath //disk; dumpxml test --xpath //target/@dev --wrap; "
       "dumpxml test --wrap --xpath //target; dumpxml test --xpath //nosuch; "
       "dumpxml test --xpath 'count(//disk)'"))
same("host commands", c("nodeinfo; hostname; uri; version"))
same("capabilities", c("capabilities"))
same("memtune, blkiotune, schedinfo (read)", c("memtune test; blkiotune test; schedinfo test"))
same("domblklist, domblkinfo", c("domblklist test; domblklist test --details; "
                                "domblklist test --inactive; domblkinfo test vda; "
                                "domblkinfo test --all; domblkinfo test --all --human; "
                                "domblkinfo test; domblkinfo test --all --device vda"))
same("blockresize: a malformed size", c("blockresize test vda 1x"))
same("setmem: a malformed size, exclusive flags",
     c("setmem test abc; setmem test 1G --current --live"))
same("event: argument checks and the list", c("event; event --list; event --event nosuch"))
same("event: timing out", c("event --all --timeout 1; event --all --loop --timeout 1"))
same("timing output", ["-t"] + c("domid test"))
same("argv mode", ["-c", URI, "domstate", "test", "--reason"])
same("undefine: exclusive flags", c("undefine test --nvram --keep-nvram"))

# ---- snapshots, compared with virsh --------------------------------------
with open(os.path.join(work, "snap1.xml"), "w") as f:
    f.write("<domainsnapshot>\n  <name>fromfile</name>\n"
            "  <description>from a file</description>\n</domainsnapshot>\n")
with open(os.path.join(work, "bad-snap.xml"), "w") as f:
    f.write("<domainsnapshot><name>bad\n")
EDITORS = {
    # adds a description after each </name>
    "ed-desc.sh": "sed -i 's|</name>|</name><description>new</description>|' \"$1\"",
    # renames snapshot a to b
    "ed-rename.sh": "sed -i 's|<name>a</name>|<name>b</name>|' \"$1\"",
}
for fname, body in EDITORS.items():
    path = os.path.join(work, fname)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body + "\n")
    os.chmod(path, 0o755)


def editor(fname):
    return {"EDITOR": os.path.join(work, fname), "VISUAL": None}


same("snapshot-create-as, -list (table, --tree, --parent, --name), -info, -current, "
     "-parent, -dumpxml",
     c("snapshot-create-as test s1; snapshot-create-as test s2 --description 'hello <world>'; "
       "snapshot-list test; snapshot-list test --tree; snapshot-list test --parent; "
       "snapshot-list test --name; snapshot-info test s1; snapshot-info test --current; "
       "snapshot-current test --name; snapshot-current test; snapshot-current test --security-info; "
       "snapshot-parent test s2; snapshot-parent test s1; snapshot-parent test --current; "
       "snapshot-dumpxml test s2; snapshot-dumpxml test s1 --security-info"), snap=True)
same("snapshot commands on a domain without snapshots",
     c("snapshot-current test; snapshot-current test --name; snapshot-info test; "
       "snapshot-info test s1; snapshot-info test --current; snapshot-parent test; "
       "snapshot-dumpxml test nosuch; snapshot-revert test; snapshot-delete test; "
       "snapshot-list test; snapshot-list test --tree; snapshot-list test --name; "
       "snapshot-list test --current; snapshot-create-as nosuch"), snap=True)
same("snapshots with -q: no messages, no table header",
     ["-q"] + c("snapshot-create-as test s1; snapshot-current test --name; snapshot-parent test s1; "
                "snapshot-create-as test s2; snapshot-parent test s2; snapshot-list test; "
                "snapshot-list test --parent"), snap=True)
same("snapshot-list: tree shapes, filters, --from, --current, --descendants, --topological",
     c("snapshot-create-as test a; snapshot-create-as test b; snapshot-current test a; "
       "snapshot-create-as test c; snapshot-create-as test d; snapshot-current test --snapshotname c; "
       "snapshot-create-as test e; snapshot-list test --tree; snapshot-list test --roots; "
       "snapshot-list test --leaves --name; snapshot-list test --no-leaves --name; "
       "snapshot-list test --from a --name; snapshot-list test --from a --descendants --name; "
       "snapshot-list test --current --name; snapshot-list test --current --descendants; "
       "snapshot-list test --from a --tree; snapshot-list test --topological --name; "
       "snapshot-list test --parent --from a; snapshot-list test --metadata --name; "
       "snapshot-list test --no-metadata --name; snapshot-list test --inactive --name; "
       "snapshot-list test --active --name; snapshot-list test --internal --name; "
       "snapshot-list test --external --name; snapshot-list test --disk-only --name; "
       "snapshot-list test --current --tree; snapshot-list test --descendants --tree --from c; "
       "snapshot-list test --roots --name; snapshot-list test --from e --name; "
       "snapshot-list test --parent --name; snapshot-list test --topological --tree; "
       "snapshot-list test --from nosuch"), snap=True)
same("snapshot-list: options that exclude each other",
     c("snapshot-create-as test a; snapshot-list test --tree --name; snapshot-list test --parent --roots; "
       "snapshot-list test --parent --tree; snapshot-list test --roots --tree; "
       "snapshot-list test --roots --from a; snapshot-list test --roots --current; "
       "snapshot-list test --leaves --tree; snapshot-list test --tree --inactive; "
       "snapshot-list test --external --tree; snapshot-list test --descendants; "
       "snapshot-list test --from a --current; snapshot-list nosuch --tree --name; "
       "snapshot-list nosuch --descendants; snapshot-list nosuch"), snap=True)
same("snapshot-create from a file, from nothing (a name from the clock), refused flags",
     c("snapshot-create test snap1.xml; snapshot-create test; snapshot-create test --xmlfile /nonexistent; "
       "snapshot-create test snap1.xml --current; snapshot-create test snap1.xml; "
       "snapshot-create test bad-snap.xml; snapshot-create nosuch snap1.xml; "
       "snapshot-list test --name; snapshot-info test fromfile"), snap=True)
same("snapshot-create-as --print-xml: --name, --description, --memspec, --diskspec",
     c("snapshot-create-as test --print-xml; "
       "snapshot-create-as test x 'a desc' --print-xml --memspec /tmp/mem,snapshot=external "
       "--diskspec vda,snapshot=external,driver=qcow2,file=/tmp/vda.qcow2 --diskspec vdb,snapshot=no; "
       "snapshot-create-as test --print-xml --no-metadata; snapshot-create-as test --print-xml --memspec bad; "
       "snapshot-create-as test --print-xml --diskspec vda,bad=1; snapshot-create-as test --print-xml --diskspec ''; "
       "snapshot-create-as test --print-xml --memspec ''; snapshot-create-as test --print-xml --name ''; "
       "snapshot-create-as test --print-xml --description ''; "
       "snapshot-create-as test --print-xml --diskspec vda,stype=block,file=/dev/x; "
       "snapshot-create-as test --print-xml --memspec file=/a,,b,snapshot=no; "
       "snapshot-create-as test --print-xml --diskspec 'v&a,file=/a<b'; "
       "snapshot-create-as test --print-xml --diskspec vda,stype=foo; "
       "snapshot-create-as test --print-xml --diskspec vda,stype=file,file=/x,driver=raw,snapshot=external; "
       "snapshot-create-as test --print-xml --diskspec vda,file=; "
       "snapshot-create-as test --print-xml --diskspec 'vda,snapshot=a<b'; "
       "snapshot-create-as test --print-xml --memspec snapshot=internal; "
       "snapshot-create-as test --print-xml --memspec /a,/b; "
       "snapshot-create-as test --print-xml --memspec file=/a,snapshot=x,snapshot=y; "
       "snapshot-create-as test --print-xml --memspec file=; snapshot-create-as test --print-xml --diskspec ,,; "
       "snapshot-create-as test --print-xml --diskspec vda,; "
       "snapshot-create-as test --print-xml --name 'a<b' --description 'x&y'; "
       "snapshot-create-as test --print-xml --diskspec vda --diskspec=vdb; "
       "snapshot-create-as test --print-xml vdc; snapshot-create-as test --print-xml n d vda vdb; "
       "snapshot-create-as test --print-xml --diskspec ,file=/x; "
       "snapshot-create-as test --print-xml --memspec 'snapshot=a<b,file=/c&d'; "
       "snapshot-create-as test --print-xml --diskspec 'vda,driver=a<b'; "
       "snapshot-create-as nosuch --print-xml --memspec bad"))
same("snapshots of a running, a paused and a shut off domain; snapshot-revert to each",
     c("snapshot-create-as test s1; suspend test; snapshot-create-as test s2; destroy test; "
       "snapshot-create-as test s3; snapshot-list test --parent; snapshot-list test --inactive; "
       "snapshot-list test --active --name; snapshot-info test s3; snapshot-revert test s1; "
       "domstate test; snapshot-revert test s2; domstate test; snapshot-revert test s3; domstate test; "
       "snapshot-revert test --current --paused; snapshot-revert test s1 --current; "
       "snapshot-revert test s1 --running --paused; snapshot-revert test s2 --force; domstate test; "
       "snapshot-revert test s1 --paused; domstate test --reason; snapshot-revert test s2 --running; "
       "domstate test --reason; snapshot-list test --tree"), snap=True)
same("snapshot-delete: one, the current one, --children, --children-only",
     c("snapshot-create-as test a; snapshot-create-as test b; snapshot-create-as test c; "
       "snapshot-current test a; snapshot-create-as test d; snapshot-delete test c; "
       "snapshot-list test --tree; snapshot-delete test --current; snapshot-info test a; "
       "snapshot-delete test a --children-only; snapshot-list test --tree; snapshot-create-as test e; "
       "snapshot-create-as test f; snapshot-delete test a --children; snapshot-list test; "
       "snapshot-delete test nosuch; snapshot-create-as test h; "
       "snapshot-delete test h --children --children-only; snapshot-delete test h --current; "
       "snapshot-delete test"), snap=True)
same("snapshot-current: setting it; snapshot-dumpxml --xpath; create-as --halt and flags",
     c("snapshot-create-as test a; snapshot-create-as test b; snapshot-current test nosuch; "
       "snapshot-current test --name --snapshotname a; snapshot-current test --snapshotname a --security-info; "
       "snapshot-current test --name; snapshot-info test a; "
       "snapshot-dumpxml test a --xpath //name; snapshot-dumpxml test a --xpath //state --wrap; "
       "snapshot-dumpxml test a --xpath //nosuch; snapshot-dumpxml test; "
       "snapshot-create-as test h --halt; domstate test; snapshot-create-as test l --live; "
       "snapshot-create-as test q --quiesce; snapshot-create-as test v --validate; "
       "snapshot-create-as test a; snapshot-list test --name"), snap=True)
same("snapshot commands: which error comes first",
     c("snapshot-create-as test a; snapshot-revert test a --reset-nvram; "
       "snapshot-current nosuch --name --snapshotname a; snapshot-create-as nosuch --print-xml; "
       "snapshot-create nosuch /nonexistent; snapshot-info nosuch; snapshot-dumpxml nosuch a; "
       "snapshot-edit nosuch --rename --clone; snapshot-delete nosuch a; "
       "snapshot-revert nosuch a --running --paused; snapshot-current nosuch; "
       "snapshot-parent nosuch --current a; snapshot-info test --current a; "
       "snapshot-parent test --current a; snapshot-delete test a --current"), snap=True)
same("snapshot-edit: unchanged, edited, --current, --clone, refused options",
     c("snapshot-create-as test a; snapshot-create-as test z; snapshot-edit test a; "
       "snapshot-dumpxml test a --xpath //description; snapshot-edit test z --current; "
       "snapshot-edit test; snapshot-edit test a --rename --clone; snapshot-edit test --current; "
       "snapshot-edit test --current --snapshotname a; snapshot-current test --name"),
     snap=True, env=editor("ed-desc.sh"))
same("snapshot-edit --clone",
     c("snapshot-create-as test a; snapshot-create-as test z; snapshot-edit test a --clone; "
       "snapshot-list test --parent"), snap=True, env=editor("ed-rename.sh"))

# ---- where our test plugin does more than libvirt's test driver ----------
expect("dumpxml --xpath that does not compile: vksh's error only, never libxml2's "
       "'XPath error' lines on stderr (virsh prints an empty line and exits 0)",
       c("dumpxml test --xpath '//bad['"), "\n",
       stderr="error: internal error: Incorrect xpath '//bad['\n", rc=1)
expect("start --paused (libvirt's test driver refuses the flag)",
       c("start test --paused; destroy test; start test --paused; domstate test --reason; "
         "resume test; domstate test --reason"),
       "\nDomain 'test' destroyed\n\nDomain 'test' started\n\npaused (user)\n\n"
       "Domain 'test' resumed\n\nrunning (unpaused)\n\n",
       "error: Domain is already active\n")
expect("blockresize: sizes as virsh parses them (libvirt's test driver has no blockresize)",
       c("blockresize test vda 2T; domblkinfo test vda; "
         "blockresize test vda 2199023255552B; domblkinfo test vda; "
         "blockresize test vda 2147483648; domblkinfo test vda; "
         "blockresize test vda 2200000000KB; domblkinfo test vda; "
         "blockresize test vda 10G"),
       "Block device 'vda' is resized\n\n"
       "Capacity:       2199023255552\nAllocation:     1099511627776\nPhysical:       1099511627776\n\n"
       "Block device 'vda' is resized\n\n"
       "Capacity:       2199023255552\nAllocation:     1099511627776\nPhysical:       1099511627776\n\n"
       "Block device 'vda' is resized\n\n"
       "Capacity:       2199023255552\nAllocation:     1099511627776\nPhysical:       1099511627776\n\n"
       "Block device 'vda' is resized\n\n"
       "Capacity:       2200000000000\nAllocation:     1099511627776\nPhysical:       1099511627776\n\n"
       "\n",
       "error: Failed to resize block device 'vda'\n"
       "error: invalid argument: cannot shrink disk 'vda' (/guest/diskimage1) of domain 'test' "
       "from 2200000000000 to 10737418240 bytes\n", rc=1)
expect("schedinfo --set keeps the value (libvirt's test driver drops it)",
       c("schedinfo test --set weight=100; schedinfo test weight=30; schedinfo test"),
       "Scheduler      : fair\nweight         : 100\n\n"
       "Scheduler      : fair\nweight         : 30\n\n"
       "Scheduler      : fair\nweight         : 30\n\n")
expect("setmem and setvcpus",
       c("setmem test 1G; dominfo test; setvcpus test 1; dominfo test"),
       None, match=r"Used memory:    1048576 KiB.*CPU\(s\):         1\n")
expect("attach-device and detach-device",
       c("attach-device test disk.xml --config; domblklist test --inactive; "
         "detach-device test disk.xml --config; domblklist test --inactive"),
       "Device attached successfully\n\n"
       " Target   Source\n-----------------------------\n vda      /guest/diskimage1\n"
       " vdb      /guest/extra.img\n\n"
       "Device detached successfully\n\n"
       " Target   Source\n-----------------------------\n vda      /guest/diskimage1\n\n")
expect("events: lifecycle as virsh prints them (event --run is virtkit's own)",
       c("define vm1.xml; event --all --loop --timeout 1 "
         "--run 'start vm1; suspend vm1; resume vm1; destroy vm1'; "
         "event --event lifecycle --run 'start vm1' --timeout 5"),
       # events arrive on the core's thread: they may print between the
       # commands' own lines, but in order
       None, match=r"event 'lifecycle' for domain 'vm1': Started Booted\n.*"
       r"event 'lifecycle' for domain 'vm1': Suspended Paused\n.*"
       r"event 'lifecycle' for domain 'vm1': Resumed Unpaused\n.*"
       r"event 'lifecycle' for domain 'vm1': Stopped Destroyed\n.*"
       r"event loop timed out\nevents received: 4\n\n.*"
       r"event 'lifecycle' for domain 'vm1': Started Booted\n.*events received: 1\n\n$")
expect("snapshot-create-as --no-metadata: a snapshot libvirt keeps no record of "
       "(libvirt's test driver refuses the flag)",
       c("snapshot-create-as test nm --no-metadata; snapshot-list test --name; "
         "snapshot-info test nm; snapshot-current test"),
       "Domain snapshot nm created\n\n\n\n",
       "error: Domain snapshot not found: no domain snapshot with matching name 'nm'\n"
       "error: domain 'test' has no current snapshot\n", rc=1, snap=True)
expect("snapshot-delete --metadata (libvirt's test driver refuses the flag)",
       c("snapshot-create-as test a; snapshot-create-as test b; snapshot-delete test a --metadata; "
         "snapshot-list test --parent; snapshot-delete test b --metadata --children; "
         "snapshot-list test --name"),
       "Domain snapshot a created\nDomain snapshot b created\nDomain snapshot a deleted\n\n"
       " Name   Creation Time               State     Parent\n"
       "------------------------------------------------------\n"
       " b      YYYY-MM-DD hh:mm:ss +zzzz   running   \n\n"
       "Domain snapshot b deleted\n\n\n", snap=True)
expect("disk-only snapshots with an external --diskspec (libvirt's test driver refuses "
       "--disk-only); a full external snapshot is refused",
       c("snapshot-create-as test d --disk-only --diskspec vda,snapshot=external,file=%s/vda.d.qcow2; "
         "snapshot-info test d; snapshot-list test --disk-only --name; "
         "snapshot-list test --external --name; snapshot-list test --internal --name; "
         "snapshot-list test --active --name; snapshot-dumpxml test d --xpath //disks --wrap; "
         "snapshot-create-as test full --memspec %s/mem --diskspec vda,snapshot=external,file=%s/x"
         % (work, work, work)),
       "Domain snapshot d created\n"
       "Name:           d\nDomain:         test\nCurrent:        yes\nState:          disk-snapshot\n"
       "Location:       external\nParent:         -\nChildren:       0\nDescendants:    0\n"
       "Metadata:       yes\n\n"
       "d\n\nd\n\n\n\n"
       "<nodes>\n  <disks>\n    <disk name=\"vda\" snapshot=\"external\" type=\"file\">\n"
       "      <source file=\"%s/vda.d.qcow2\"/>\n    </disk>\n  </disks>\n</nodes>\n\n\n" % work,
       "error: unsupported configuration: memory state of domain 'test': this host cannot take "
       "full external (memory and disk) snapshots\n", rc=1, snap=True)
expect("snapshot-revert --running/--paused to a shut-off snapshot starts the guest "
       "(libvirt's test driver leaves it shut off)",
       c("destroy test; snapshot-create-as test off; start test; snapshot-revert test off; "
         "domstate test --reason; snapshot-revert test off --running; domstate test --reason; "
         "snapshot-revert test off --paused; domstate test --reason"),
       "Domain 'test' destroyed\n\nDomain snapshot off created\nDomain 'test' started\n\n"
       "Domain snapshot off reverted\n\nshut off (from snapshot)\n\n"
       "Domain snapshot off reverted\n\nrunning (from snapshot)\n\n"
       "Domain snapshot off reverted\n\npaused (from snapshot)\n\n", snap=True)
expect("no snapshots of a domain started with --autodestroy",
       c("define vm1.xml; start vm1 --autodestroy; snapshot-create-as vm1 s; snapshot-create vm1; "
         "snapshot-list vm1 --name"),
       "Domain 'vm1' defined from vm1.xml\n\nDomain 'vm1' started\n\n\n\n\n",
       "error: Requested operation is not valid: domain 'vm1' was started with "
       "VIR_DOMAIN_START_AUTODESTROY: autodestroy domains cannot be snapshotted\n" * 2,
       snap=True)
expect("snapshot-edit: a new name needs --rename or --clone; --rename (libvirt's test "
       "driver cannot delete the old metadata)",
       c("snapshot-create-as test a; snapshot-create-as test z; snapshot-edit test a; "
         "snapshot-list test --name; snapshot-edit test a --rename; snapshot-list test --parent"),
       "Domain snapshot a created\nDomain snapshot z created\n\na\nz\n\n\n"
       " Name   Creation Time               State     Parent\n"
       "------------------------------------------------------\n"
       " b      YYYY-MM-DD hh:mm:ss +zzzz   running   \n"
       " z      YYYY-MM-DD hh:mm:ss +zzzz   running   \n\n",
       "error: Must use --rename or --clone to change a to b\nerror: Failed to update a\n",
       snap=True, env=editor("ed-rename.sh"))
expect("list --json", c("list --all --json"),
       None, match=r'^\[\n  \{\n    "id" : 1,\n    "name" : "test",')
expect("domblklist --json", c("domblklist test --json"),
       None, match=r'"target" : "vda",\n    "source" : "/guest/diskimage1"')
expect("plugins names the test plugin and its ABI", ["plugins"],
       None, match=r" test +loaded +1\.\d+ +hypervisor +test ")
expect("plugins --json", ["plugins", "--json"],
       None, match=r'"name" : "test",\n    "status" : "loaded"')
# ---- the default URI: never a mock host ----------------------------------
def same_failure(name, args, env=None, ours_adds=None, prefix=False, needs_plugin=False):
    """Both fail to connect: same exit status, stdout and first error line
    ("error: failed to connect to the hypervisor").  The reason on the next
    line is libvirt's own; vksh's must contain every string of ours_adds,
    and with prefix=True start with virsh's, word for word.  needs_plugin:
    the reason names the test plugin, so the case needs it installed."""
    if needs_plugin and not have_plugin:
        report(True, name, skip="test plugin not on VIRTKIT_PLUGIN_DIR")
        return
    if not VIRSH:
        report(True, name, skip="virsh not installed (libvirt-clients)")
        return
    vr = run(VIRSH, args, work, timeout=20, extra_env=env)
    kr = run(VKSH, args, work, extra_env=env)
    if vr[0] == 0:
        # a libvirt daemon answers on this machine (a system socket the
        # sandbox cannot hide): virsh has nothing to compare with
        report(kr[0] != 0, name, "vksh exit status %d" % kr[0],
               skip="virsh connected: a libvirt daemon runs on this machine")
        return
    problems = []
    if vr[0] != kr[0]:
        problems.append("exit status: virsh %d, vksh %d" % (vr[0], kr[0]))
    if vr[1] != kr[1]:
        problems.append("stdout differs:\n" + show_diff(vr[1], kr[1]))
    vl, kl = vr[2].splitlines(), kr[2].splitlines()
    if len(vl) != 2 or len(kl) != 2 or vl[0] != kl[0]:
        problems.append("stderr differs:\n" + show_diff(vr[2], kr[2]))
    else:
        for want in ours_adds or []:
            if want not in kl[1]:
                problems.append("vksh's reason lacks %r: %s" % (want, kl[1]))
        if prefix and not kl[1].startswith(vl[1]):
            problems.append("vksh's reason does not start with virsh's:\n%s\n%s" % (vl[1], kl[1]))
    report(not problems, name, "\n".join(problems))


same_failure("no URI and nothing configured: no mock host, virsh's error and exit status",
             ["echo before; list"],
             ours_adds=["vksh -c URI", "VIRTKIT_DEFAULT_URI", "LIBVIRT_DEFAULT_URI",
                        "uri_default in " + SANDBOX_ENV["VIRTKIT_CONF"]])
same_failure("-c with a name that has no scheme: libvirt's reason, then ours",
             ["-c", "myte", "echo never"],
             ours_adds=["; it is not an alias in 'uri_aliases' of "], prefix=True)
same_failure("VIRSH_DEFAULT_CONNECT_URI is used, at the first command that needs it",
             ["echo before; uri"], env={"VIRSH_DEFAULT_CONNECT_URI": "myte"},
             prefix=True)
same("LIBVIRT_DEFAULT_URI chooses the host", ["uri; domname 1"],
     env={"LIBVIRT_DEFAULT_URI": URI})
same("VIRSH_DEFAULT_CONNECT_URI chooses the host, before LIBVIRT_DEFAULT_URI",
     ["uri; domname 1"], env={"VIRSH_DEFAULT_CONNECT_URI": URI, "LIBVIRT_DEFAULT_URI": "myte"})
same("-c before VIRSH_DEFAULT_CONNECT_URI", ["-c", URI, "uri"],
     env={"VIRSH_DEFAULT_CONNECT_URI": "myte"})
expect("VKSH_DEFAULT_CONNECT_URI before VIRSH_DEFAULT_CONNECT_URI", ["uri"],
       URI + "\n\n", env={"VKSH_DEFAULT_CONNECT_URI": URI, "VIRSH_DEFAULT_CONNECT_URI": "myte"})
expect("VIRTKIT_DEFAULT_URI before LIBVIRT_DEFAULT_URI", ["uri"],
       URI + "\n\n", env={"VIRTKIT_DEFAULT_URI": URI, "LIBVIRT_DEFAULT_URI": "myte"})

# ---- plugins: what a plugin author needs to see ---------------------------
expect("plugins lists the directories it searched, with what each held", ["plugins"],
       None, match=r"\nSearched, in order:\n  \S+/plugins/test  \(1 plugin\)\n"
                   r"(  \S+/plugins/\w+  \(1 plugin\)\n)*"
                   r"  \S+/virtkit/plugins-1  \((no such directory|\d+ plugins?)\)\n\n",
       env={"VIRTKIT_PLUGIN_SYSTEM_DIR": None})  # the installed directory, as users see it
expect("plugins says so when it finds nothing, and where it looked", ["plugins"],
       None, match=r"^No plugins found\.  Searched, in order:\n  /nonexistent/plugins  "
                   r"\(no such directory\)\n  /nonexistent/system  \(no such directory\)\n",
       needs_plugin=False, env={"VIRTKIT_PLUGIN_DIR": "/nonexistent/plugins",
                                "VIRTKIT_PLUGIN_SYSTEM_DIR": "/nonexistent/system"})
FIXTURES = os.environ.get("VIRTKIT_TEST_FIXTURE_DIR")
if FIXTURES:
    fx = {"VIRTKIT_PLUGIN_DIR": FIXTURES}
    L = r"[^\n]*"   # the rest of one line (the match runs with re.S)
    expect("plugins: a scheme clash is a refusal on both plugins", ["plugins"], None,
           match=r"\n fixdupa +refused " + L + r"\n fixdupb +refused " + L +
                 r"\n.*\nfixdupa:\n(?:  " + L + r"\n)*?  Reason: +Plugin 'fixdupa' is refused: "
                 r"two hypervisor plugins claim the scheme 'fixdup': 'fixdupa' "
                 r"\(\S+/fixdupa\.plugin\) and 'fixdupb' \(\S+/fixdupb\.plugin\)" + L +
                 r"\n\nfixdupb:\n(?:  " + L + r"\n)*?  Reason: +Plugin 'fixdupb' is refused: "
                 r"two hypervisor plugins claim the scheme 'fixdup'",
           needs_plugin=False, env=fx)
    expect("plugins: the descriptor's ABI, not the key file's", ["plugins"], None,
           match=r"\n fixabikey +refused +1\.0 " + L + r"\n(?:" + L + r"\n)*?"
                 r" fixnewerminor +refused +1\.1 " + L + r"\n(?:" + L + r"\n)*?"
                 r" fixwrongmajor +refused +2\.0 ",
           needs_plugin=False, env=fx)
    expect("plugins: unresolved symbols are refusals naming them, not a crash", ["plugins"],
           None, match=r"\nfixunresfunc:\n(?:  " + L + r"\n)*?  Reason: +Plugin 'fixunresfunc' "
                 r"\(\S+/libvirtkit-fixture-unresfunc\.so\) is refused: it uses the symbol "
                 r"'fixtureMissingFunction', which neither it nor any library it links defines\n"
                 r"\nfixunresvar:\n(?:  " + L + r"\n)*?  Reason: +Plugin 'fixunresvar' "
                 r"\(\S+/libvirtkit-fixture-unresvar\.so\) is refused: it uses the symbol "
                 r"'fixtureMissingVariable'",
           needs_plugin=False, env=fx)
    expect("plugins: the module's real file name", ["plugins"], None,
           match=r"\nfixdupa:\n  File: +\S+/libvirtkit-fixture-dupa\.so\n"
                 r"(?:" + L + r"\n)*?fixgood:\n  File: +\S+/libvirtkit-fixture-good\.so\n",
           needs_plugin=False, env=fx)
else:
    report(True, "plugins on the loader's fixtures", skip="VIRTKIT_TEST_FIXTURE_DIR not set")
same_failure("a URI naming a host is not served by the local test plugin",
             ["-c", "test://somehost/default", "list"],
             ours_adds=["error: no connection driver available for test://somehost/default: "
                        "the URI names the host 'somehost', but plugin 'test' (",
                        "VIRTKIT_PLUGIN_LOCAL_ONLY", "no 'remote' plugin is installed"],
             needs_plugin=True)
same_failure("a URI with a transport is not served by the local test plugin either",
             ["-c", "test+unix:///default", "list"],
             ours_adds=["error: no connection driver available for test+unix:///default: "
                        "the URI asks for the transport 'unix', which only the 'remote' plugin "
                        "speaks, and none is installed; plugin 'test' ("],
             needs_plugin=True)

expect("commands from a pipe", ["-c", URI], None, stdin="domid test\ndomname 1; uri\n",
       match=r"^1\n\ntest\n\ntest:///default\n\n$")
expect("quit stops a piped session", ["-c", URI], "1\n\n", stdin="domid test\nquit\ndomid test\n")

shutil.rmtree(work, ignore_errors=True)
shutil.rmtree(SANDBOX, ignore_errors=True)

print("1..%d" % len(results))
for i, (ok, name, detail, skip) in enumerate(results, 1):
    if skip:
        print("ok %d - %s # SKIP %s" % (i, name, skip))
        continue
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok and detail:
        for line in detail.splitlines():
            print("# " + line)
