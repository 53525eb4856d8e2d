#!/bin/sh
# TAP test: the out-of-tree example plugin builds against the installed
# plugin API alone (meson install into a DESTDIR, then a separate meson
# project pointed at it with PKG_CONFIG_PATH), and the unmodified core
# loads it through VIRTKIT_PLUGIN_DIR and serves it through the public API.
# usage: check-out-of-tree.sh BUILDDIR SRCDIR
set -u
build=$1 src=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
n=0 bad=0
check() {
    desc=$1; shift; n=$((n+1))
    if "$@" >"$dest/out" 2>&1; then echo "ok $n - $desc"; else bad=$((bad+1)); echo "not ok $n - $desc"; sed 's/^/# /' "$dest/out" | tail -n 30; fi
}

echo "1..5"
check "meson install into a DESTDIR" env DESTDIR="$dest/root" meson install -C "$build" --no-rebuild --quiet
pcdir=$(dirname "$(find "$dest/root" -name virtkit-plugin.pc | head -n 1)")
libdir=$(dirname "$(find "$dest/root" -name 'libvirtkit.so.0' | head -n 1)")
check "the example configures against virtkit-plugin.pc only" \
    env PKG_CONFIG_PATH="$pcdir" meson setup "$dest/ex" "$src/examples/out-of-tree-plugin" \
        -Dplugindir="$dest/plugins"
check "and builds" meson compile -C "$dest/ex"
check "and installs its module and key file" \
    sh -c "meson install -C '$dest/ex' --quiet && test -f '$dest/plugins/example.plugin' && ls '$dest/plugins'/libvirtkit-plugin-example*"
check "the installed core loads it and serves it through the public API" \
    env VIRTKIT_PLUGIN_DIR="$dest/plugins" LD_LIBRARY_PATH="$libdir" "$dest/ex/example-client"
[ "$bad" -eq 0 ]
