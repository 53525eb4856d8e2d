#!/bin/sh
# Installs what virtkit builds and tests with, on Debian 12, as root.
# Idempotent: asks apt only for what is missing.
set -eu
PKGS="meson ninja-build pkg-config gcc clang libclang-rt-14-dev python3
libglib2.0-dev libltdl-dev libxml2-dev libxml2-utils
libvirt-dev libvirt-clients libvirt0
libtirpc-dev rpcsvc-proto
libreadline-dev libjson-glib-dev
qemu-system-x86 qemu-utils
python3-libvirt libsys-virt-perl libvirt-daemon libvirt-daemon-driver-qemu"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi
# The qemu suite's ACPI guest (Debian's kernel + busybox, unpacked, never
# installed); without it those cases skip.
"$(dirname "$0")/acpi-guest.sh" ||
    echo "deps: no ACPI test guest; the qemu suite's ACPI cases will skip"
