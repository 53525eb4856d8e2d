#!/bin/sh
# Runs the conformance suite from a build tree against one plugin, through
# the public API.  An installed virtkit has the same program on PATH:
#
#   VIRTKIT_PLUGIN_DIR=DIR virtkit-conformance URI [DOMAIN-TEMPLATE.xml]
#
# usage: VIRTKIT_PLUGIN_DIR=DIR tests/conformance/run.sh URI [DOMAIN-TEMPLATE.xml]
#
# DIR holds the plugin's module and key file; URI is a URI it serves; the
# template is a domain definition for that hypervisor with @NAME@ where each
# test domain's name goes (default: a 'test'-type domain).  The plugin must
# declare the vendor feature org.virtkit.snapshots.  BUILDDIR (default
# ./build) is where virtkit was built.
set -eu
[ $# -ge 1 ] || { echo "usage: run.sh URI [DOMAIN-TEMPLATE.xml]" >&2; exit 2; }
build=${BUILDDIR:-$(dirname "$0")/../../build}
exec "$build/tests/conformance/virtkit-conformance" --tap "$@"
