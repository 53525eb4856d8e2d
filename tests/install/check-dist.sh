#!/bin/sh
# TAP test: a release tarball ('meson dist' of the committed tree) builds and
# passes its own tests where nothing is beside it: only the tests that read
# ../shared (the domain XML corpus, the protocol brief) may skip, and they
# must say why.
# usage: check-dist.sh BUILDDIR
set -u
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TAP_TMP=$tmp TAP_TAIL=40
. "$(dirname "$0")/tap.sh"

echo "1..5"
# --allow-dirty: a developer's uncommitted edits are simply not in the tarball.
check "meson dist makes a tarball" meson dist -C "$build" --allow-dirty --no-tests --formats gztar
tarball=$(ls "$build"/meson-dist/virtkit-*.tar.gz 2>/dev/null | head -n 1)
check "which unpacks where no shared/ is beside it" \
    sh -c "mkdir '$tmp/rel' && tar -xzf '$tarball' -C '$tmp/rel' && test ! -e '$tmp/rel/../shared'"
src=$(ls -d "$tmp"/rel/virtkit-* | head -n 1)
check "configure and build the tarball" \
    sh -c "meson setup '$tmp/b' '$src' -Dwerror=true && meson compile -C '$tmp/b'"
# (the qemu suite runs in the main build; here it would only slow the run)
check "its test suite passes" meson test -C "$tmp/b" --no-rebuild --no-suite packaging --no-suite install --no-suite qemu
# The skips allowed, each saying what it lacks.
check "only the tests that need shared/ skip, each with its reason" python3 - "$tmp/b" <<'PY'
import json, sys
allowed = {"virtkit:conf / conf-domain-corpus", "virtkit:test-plugin / test-plugin-corpus",
           "virtkit:test-plugin / test-plugin-mutate", "virtkit:unit / features-brief"}
bad = 0
for line in open(sys.argv[1] + "/meson-logs/testlog.json"):
    r = json.loads(line)
    if r["result"] != "SKIP":
        continue
    why = [l for l in r.get("stdout", "").splitlines() if "SKIP" in l]
    if r["name"] not in allowed:
        print(f"{r['name']} skipped, and it may not: {why}")
        bad += 1
    elif not any("shared" in w or "corpus" in w or "brief" in w for w in why):
        print(f"{r['name']} skipped without saying what it lacks: {why}")
        bad += 1
sys.exit(1 if bad else 0)
PY
[ "$bad" -eq 0 ]
