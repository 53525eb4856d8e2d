#!/bin/sh
# TAP test: the uninstalled pkg-config files meson writes into
# BUILDDIR/meson-uninstalled build a libvirt program against the build
# tree's libvirtkit (with -L into the tree and both include directories),
# and a plugin against the tree's plugin API, with no install at all.
# usage: check-uninstalled.sh BUILDDIR SRCDIR
set -u
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TAP_TMP=$tmp
. "$(dirname "$0")/tap.sh"
export PKG_CONFIG_PATH="$build/meson-uninstalled"

echo "1..6"
check "virtkit-uninstalled.pc has -I and -L into the tree" \
    sh -c "pkg-config --cflags virtkit | grep -q -- '-I$src/core/include' &&
           pkg-config --libs virtkit | grep -q -- '-L$build/core'"
check "virtkit-compat-uninstalled.pc has the compat directory" \
    sh -c "pkg-config --cflags virtkit-compat | grep -q -- '-I$src/core/include/virtkit/compat'"
flags=$(pkg-config --cflags --libs virtkit-compat 2>&1)
check "a libvirt program builds with the uninstalled virtkit-compat" \
    sh -c "cc -Wall -Werror -o '$tmp/tour' '$src/examples/api-tour.c' $flags"
check "and links the build tree's library" \
    sh -c "LD_LIBRARY_PATH='$build/core' ldd '$tmp/tour' | grep -q '$build/core/libvirtkit.so.0'"
cat >"$tmp/plugin.c" <<'C'
#include <virtkit/virtkit-plugin.h>
int vk_probe(void);
int vk_probe(void) { return VIRTKIT_PLUGIN_ABI_MAJOR + (int)sizeof(virtkitHypervisorOps); }
C
pflags=$(pkg-config --cflags virtkit-plugin glib-2.0 2>&1)
check "a plugin source builds with the uninstalled virtkit-plugin" \
    sh -c "cc -Wall -Werror -c -o '$tmp/plugin.o' '$tmp/plugin.c' $pflags"
check "virtkit-plugin-uninstalled.pc carries no -lvirtkit" \
    sh -c "! pkg-config --libs virtkit-plugin | grep -q -- -lvirtkit"
[ "$bad" -eq 0 ]
