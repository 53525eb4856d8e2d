#!/bin/sh
# Installs dependencies, configures (once) and builds virtkit in ./build.
# Extra arguments go to 'meson setup' the first time.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
if [ ! -f build/build.ninja ]; then
    meson setup build -Dwerror=true "$@"
fi
meson compile -C build
