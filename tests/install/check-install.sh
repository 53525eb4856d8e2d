#!/bin/sh
# TAP test: 'meson install' into a DESTDIR gives libvirtkit.so.0, the headers,
# virtkit.pc and virtkit-compat.pc, and an unchanged libvirt program
# (#include <libvirt/libvirt.h>) builds and runs against them through
# 'pkg-config virtkit-compat' alone; and virtkit-conformance, the plugin
# conformance suite, is in bindir and runs against the installed test plugin.
# usage: check-install.sh BUILDDIR SRCDIR [conformance|no-conformance]
set -u
build=$1 src=$2 conformance_opt=${3:-conformance}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
TAP_TMP=$dest
. "$(dirname "$0")/tap.sh"

echo "1..8"
check "meson install into a DESTDIR" env DESTDIR="$dest/root" meson install -C "$build" --no-rebuild --quiet
lib=$(find "$dest/root" -name 'libvirtkit.so.0' | head -n 1)
check "libvirtkit.so.0 is installed" test -n "$lib"
pcdir=$(dirname "$(find "$dest/root" -name virtkit-compat.pc | head -n 1)")
check "virtkit.pc and virtkit-compat.pc are installed" test -f "$pcdir/virtkit.pc" -a -f "$pcdir/virtkit-compat.pc"
check "the compat tree has libvirt.h and virterror.h" \
    sh -c "test -n \"\$(find '$dest/root' -path '*compat/libvirt/libvirt.h')\" && test -n \"\$(find '$dest/root' -path '*compat/libvirt/virterror.h')\""
# The .pc files are relocatable (prefix from their own location), so the
# DESTDIR copy is found as it lies.
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs virtkit-compat 2>&1)
check "a libvirt program builds with pkg-config virtkit-compat" \
    sh -c "cc -Wall -Werror -o '$dest/tour' '$src/examples/api-tour.c' $flags"
check "and runs against the installed library" \
    env LD_LIBRARY_PATH="$(dirname "$lib")" "$dest/tour"
conformance=$(find "$dest/root" -path '*/bin/virtkit-conformance' | head -n 1)
testplugin=$(find "$dest/root" -name test.plugin | head -n 1)
if [ "$conformance_opt" = no-conformance ]; then
    # -Dconformance=false: nothing of it installed
    check "virtkit-conformance is not installed (-Dconformance=false)" test -z "$conformance"
    check "nor any other file of the suite" \
        sh -c "test -z \"\$(find '$dest/root' -name '*conformance*')\""
elif check "virtkit-conformance is installed in bindir" test -n "$conformance" &&
     [ -n "$testplugin" ]; then
    check "and runs the snapshot suite against the installed test plugin" \
        env LD_LIBRARY_PATH="$(dirname "$lib")" VIRTKIT_PLUGIN_DIR="$(dirname "$testplugin")" \
        "$conformance" --tap test:///default
else
    # a build without the test plugin (-Dplugin_test=disabled): it still
    # starts, and says how to use it
    check "and starts (no test plugin installed to run it against)" \
        sh -c "env LD_LIBRARY_PATH='$(dirname "$lib")' '$conformance' 2>&1; test \$? -eq 2"
fi
[ "$bad" -eq 0 ]
