#!/bin/sh
# TAP test: the build options a packager uses leave out what they say and
# nothing else fails.  Builds SRCDIR in scratch directories:
#   the defaults with --prefix in scratch: built, installed into that
#     prefix, and then its test suite passes (no test may count the
#     installed plugins as its own);
#   -Dplugin_test=disabled -Dreadline=disabled, same prefix: builds, and its
#     own test suite passes (the tests that need test:///default are left
#     out, and the test plugin installed in the prefix is not seen);
#   -Dtests=disabled: configures with no test at all;
#   -Dvksh=disabled: configures with no vksh.
# usage: check-configs.sh SRCDIR
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TAP_TMP=$tmp TAP_TAIL=40
. "$(dirname "$0")/tap.sh"

echo "1..13"
prefix="$tmp/prefix"
check "configure the defaults with --prefix=$prefix" meson setup "$tmp/in" "$src" -Dwerror=true --prefix="$prefix"
check "build" meson compile -C "$tmp/in"
check "install into the configured prefix" meson install -C "$tmp/in" --no-rebuild --quiet
# Installed programs find the library (rpath) and the installed test plugin.
check "the installed vksh runs from the prefix as it is" \
    env -u VIRTKIT_PLUGIN_DIR -u VIRTKIT_PLUGIN_SYSTEM_DIR -u LD_LIBRARY_PATH \
        "$prefix/bin/vksh" -q -c test:///default 'domname 1'
check "the installed virtkit-conformance passes against the installed test plugin" \
    env -u VIRTKIT_PLUGIN_DIR -u VIRTKIT_PLUGIN_SYSTEM_DIR -u LD_LIBRARY_PATH \
        "$prefix/bin/virtkit-conformance" --tap test:///default
check "then its test suite passes" \
    meson test -C "$tmp/in" --no-rebuild --no-suite install --no-suite packaging --no-suite qemu
check "configure -Dplugin_test=disabled -Dreadline=disabled, same prefix" \
    meson setup "$tmp/np" "$src" -Dwerror=true -Dplugin_test=disabled -Dreadline=disabled \
        --prefix="$prefix"
check "and build" meson compile -C "$tmp/np"
check "no test plugin was built" sh -c "! find '$tmp/np' -name 'libvirtkit-plugin-test*.so' | grep -q ."
# Without the plugin, nothing in this tree may be found on the search path
# but the build's own fixtures (the tests must never see installed plugins).
check "and its test suite passes without it" \
    meson test -C "$tmp/np" --no-rebuild --no-suite install --no-suite packaging --no-suite qemu
check "configure -Dtests=disabled" meson setup "$tmp/nt" "$src" -Dtests=disabled
check "which defines no test" sh -c "meson introspect --tests '$tmp/nt' | python3 -c 'import json,sys; sys.exit(len(json.load(sys.stdin)) != 0)'"
check "configure -Dvksh=disabled: no vksh target" \
    sh -c "meson setup '$tmp/nv' '$src' -Dvksh=disabled >/dev/null &&
           ! meson introspect --targets '$tmp/nv' | python3 -c 'import json,sys; sys.exit(not any(t[\"name\"] == \"vksh\" for t in json.load(sys.stdin)))'"
[ "$bad" -eq 0 ]
