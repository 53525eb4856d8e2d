#!/bin/sh
# Runs the conformance suites against one plugin, through the public API.
#
#   VIRTKIT_PLUGIN_DIR=DIR tests/conformance/run.sh URI [DOMAIN-TEMPLATE.xml]
#
# DIR holds the plugin's module and key file; URI is a URI it serves; the
# template is a domain definition for that hypervisor with @NAME@ where each
# test domain's name goes (default: a 'test'-type domain for test:///).
# A plugin takes part when its descriptor lists the vendor feature
# org.virtkit.snapshots.  BUILDDIR (default ./build) is where virtkit was built.
set -eu
uri=${1:?usage: run.sh URI [DOMAIN-TEMPLATE.xml]}
build=${BUILDDIR:-$(dirname "$0")/../../build}
export VIRTKIT_CONFORMANCE_URI="$uri"
if [ $# -ge 2 ]; then
    VIRTKIT_CONFORMANCE_DOMAIN_XML=$(realpath "$2")
    export VIRTKIT_CONFORMANCE_DOMAIN_XML
fi
exec "$build/tests/conformance/snapshot-conformance" --tap
