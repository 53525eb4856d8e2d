#!/bin/sh
# Builds the tiny guest the qemu suite's ACPI cases boot: Debian's kernel
# (linux-image-amd64's current image) and an initramfs of busybox-static
# whose /init powers off when the ACPI power button is pressed.
#
#   scripts/acpi-guest.sh [DIR]     (default: /var/cache/virtkit/acpi-guest)
#
# Leaves DIR/vmlinuz, DIR/initrd.cpio, DIR/README and DIR/VERSION.  The packages are
# fetched with 'apt-get download' and unpacked with 'dpkg-deb -x': nothing
# is installed on the host (installing a kernel runs bootloader hooks).
# Does nothing when DIR already holds this version of the guest.  Needs network for apt.
set -eu
dir=${1:-/var/cache/virtkit/acpi-guest}
# the guest's version: bumped when /init changes, so an old guest is rebuilt
version=2
if [ -s "$dir/vmlinuz" ] && [ -s "$dir/initrd.cpio" ] &&
   [ "$(cat "$dir/VERSION" 2>/dev/null)" = "$version" ]; then
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
kpkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)
if [ -z "$kpkg" ]; then
    echo "acpi-guest: cannot tell which kernel linux-image-amd64 depends on" >&2
    exit 1
fi
apt-get download -q busybox-static "$kpkg" >/dev/null
dpkg-deb -x busybox-static_*.deb bb
dpkg-deb -x "$kpkg"_*.deb k
bb=$work/bb/bin/busybox
kver=$(ls k/lib/modules)

mkdir -p ird/bin ird/dev ird/proc ird/sys
cp "$bb" ird/bin/busybox
# evdev gives the power button a /dev/input node; button is the ACPI driver
cp "k/lib/modules/$kver/kernel/drivers/input/evdev.ko" \
   "k/lib/modules/$kver/kernel/drivers/acpi/button.ko" ird/
cat > ird/init <<'EOF'
#!/bin/busybox sh
# virtkit's ACPI test guest: says it is up on the console, waits for one
# event from the power button, powers off.
b=/bin/busybox
$b mount -t proc proc /proc
$b mount -t sysfs sys /sys
$b mount -t devtmpfs dev /dev
$b insmod /evdev.ko
$b insmod /button.ko
ev=
for d in /sys/class/input/event*; do
    [ "$($b cat "$d/device/name")" = "Power Button" ] && ev=/dev/${d#/sys/class/}
done
# open the button first, then say "up": a press after that is never missed
[ -n "$ev" ] && exec 3< "$ev"
echo "virtkit-guest: up, power button at ${ev:-none}"
[ -n "$ev" ] && $b dd of=/dev/null bs=24 count=1 <&3 2>/dev/null
echo "virtkit-guest: power button pressed, powering off"
$b poweroff -f
EOF
chmod 755 ird/init
(cd ird && "$bb" find . | "$bb" cpio -o -H newc > "$work/initrd.cpio" 2>/dev/null)

mkdir -p "$dir"
cp "k/boot/vmlinuz-$kver" "$dir/vmlinuz.tmp" && mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
cp initrd.cpio "$dir/initrd.cpio.tmp" && mv "$dir/initrd.cpio.tmp" "$dir/initrd.cpio"
printf 'kernel %s (%s), busybox-static %s; built by scripts/acpi-guest.sh\n' "$kver" "$kpkg" \
    "$(dpkg-deb -f busybox-static_*.deb Version)" > "$dir/README"
echo "$version" > "$dir/VERSION"
echo "acpi-guest: $dir (kernel $kver)"
