#!/bin/sh
# TAP test: 'meson install' into a DESTDIR gives libvirtkit.so.0, the headers,
# virtkit.pc and virtkit-compat.pc, and an unchanged libvirt program
# (#include <libvirt/libvirt.h>) builds and runs against them through
# 'pkg-config virtkit-compat' alone.
# usage: check-install.sh BUILDDIR SRCDIR
set -u
build=$1 src=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
n=0 bad=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
nok() { n=$((n+1)); bad=$((bad+1)); echo "not ok $n - $1"; }
check() { desc=$1; shift; if "$@" >"$dest/out" 2>&1; then ok "$desc"; else nok "$desc"; sed 's/^/# /' "$dest/out"; fi; }

echo "1..6"
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
[ "$bad" -eq 0 ]
