#!/bin/sh
# virtkit against Debian's libvirt on test:///default, in process and whole
# process; bench/compare.py says what and how.  Not run by `meson test`.
# usage: bench/compare.sh [--runs R] [--readme] [BUILDDIR [N [BIG]]]
exec python3 "$(dirname "$0")/compare.py" "$@"
