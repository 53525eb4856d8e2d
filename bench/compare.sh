#!/bin/sh
# virtkit against Debian's libvirt, on test:///default:
#  1. in process: bench/domain-ops.c built against each (domain-ops and
#     domain-ops-libvirt), figures per operation and the speed-up;
#  2. whole process: `vksh -c test:///default list --all` against
#     `virsh -c test:///default list --all` (hyperfine when installed,
#     else the mean of repeated runs).
# Not run by `meson test`.  usage: bench/compare.sh [BUILDDIR] [N] [BIG]
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
N=${2:-1000}
BIG=${3:-10000}
export VIRTKIT_PLUGIN_DIR="$PWD/$B/plugins/test"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$B/bench/domain-ops" "$N" "$BIG" > "$tmp/vk"
"$B/bench/domain-ops-libvirt" "$N" "$BIG" > "$tmp/lv"
echo "in process, microseconds per operation ($N domains; list-all also with $BIG):"
printf '%-36s %12s %12s %10s\n' operation virtkit libvirt speed-up
grep -v '^#' "$tmp/vk" | while IFS="$(printf '\t')" read -r name us; do
    lv=$(grep -F "$name	" "$tmp/lv" | cut -f2)
    awk -v n="$name" -v a="$us" -v b="$lv" \
        'BEGIN { printf "%-36s %12.3f %12.3f %9.2fx\n", n, a, b, b / a }'
done

echo
echo "whole process: list --all"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N -w 5 -r 50 --export-json "$tmp/h.json" \
        "$B/tools/vksh/vksh -c test:///default list --all" \
        "virsh -c test:///default list --all" > /dev/null
    python3 - "$tmp/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
vk, lv = r[0]["mean"] * 1000, r[1]["mean"] * 1000
print("%-36s %12.3f %12.3f   vksh takes %.2f of virsh's time (ms, hyperfine mean)" %
      ("vksh/virsh list --all", vk, lv, vk / lv))
PY
else
    t() { s=$(date +%s%N); i=0; while [ $i -lt 50 ]; do "$@" > /dev/null; i=$((i + 1)); done
          e=$(date +%s%N); echo $(( (e - s) / 50000 )); }
    vk=$(t "$B/tools/vksh/vksh" -c test:///default list --all)
    lv=$(t virsh -c test:///default list --all)
    awk -v a="$vk" -v b="$lv" 'BEGIN { printf "%-36s %12d %12d   vksh takes %.2f of virsh time (us, mean of 50)\n", "vksh/virsh list --all", a, b, a / b }'
fi
