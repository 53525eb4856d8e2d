#!/bin/sh
# The README's main job: a short tour of vksh (virsh's commands over
# libvirtkit) on test:///default, the in-process mock hypervisor.  Runs
# vksh from the build tree with VIRTKIT_PLUGIN_DIR pointing at the plugins
# built beside it.  usage: scripts/tour.sh [BUILDDIR]
#
# test:///default keeps its guests in memory: every vksh process starts
# from the same fresh host, so the tour is one vksh process running one
# ';'-separated command string (the same habit as virsh).
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
VKSH=$(cd "$B/tools/vksh" && pwd)/vksh
PLUGIN_PATH=$(cat "$B/tools/vksh/plugin-path")
if [ -z "$PLUGIN_PATH" ]; then
    # no test plugin in this build (-Dplugin_test=disabled, or a tree from
    # before it): the API tour runs without any plugin
    echo "tour: this build has no plugins; running examples/api-tour instead" >&2
    exec "$B/examples/api-tour"
fi
export VIRTKIT_PLUGIN_DIR="$PLUGIN_PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp tools/vksh/tour-demo.xml "$work/demo.xml"
cd "$work"

# Each step: a heading (echo), then the command as you would type it.
exec "$VKSH" -c test:///default "
echo '== 1. Which plugins are there: vksh plugins (ABI, schemes, capabilities)';
plugins;
echo '== 2. The mock host starts with one running guest: vksh list --all';
list --all;
echo '== 3. Define a guest from XML and see it, shut off: define demo.xml';
define demo.xml;
list --all --title;
echo '== 4. Start it and look at it: start demo; dominfo demo';
start demo;
dominfo demo;
echo '== 5. Suspend it: suspend demo; domstate demo --reason';
suspend demo;
domstate demo --reason;
echo '== 6. Save its memory to a file, then restore it: save / restore';
save demo demo.save --running;
list --all;
restore demo.save;
domstate demo --reason;
echo '== 7. Grow its disk; sizes read as virsh reads them (T = TiB, TB = 10^12)';
blockresize demo vda 2T;
domblkinfo demo vda --human;
echo '== 8. The XML the plugin keeps, or one part of it: dumpxml --xpath';
dumpxml demo --xpath //disk;
echo '== 9. Events as they happen (event --run acts while listening)';
event --all --loop --timeout 1 --run 'suspend demo; resume demo; destroy demo';
echo '== 10. Tidy up: undefine demo; list --all';
undefine demo;
list --all --name;
echo 'Next: vksh help, vksh help domain, vksh list --all --json'"
