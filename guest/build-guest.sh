#!/bin/sh
# Builds the test guest: OUT/vmlinuz and OUT/initrd.img.
#
# usage: build-guest.sh OUT GUESTD
#
# The kernel is Debian's linux-image-amd64 (apt-get download + dpkg-deb -x,
# cached in OUT/cache); userland is busybox-static and guestd. Debian builds
# virtio as modules, so the initramfs carries them and /init loads them in
# dependency order.
set -eu

out=$1
guestd=$2
cache=$out/cache
root=$out/root

mkdir -p "$cache"
cd_cache() { (cd "$cache" && "$@"); }

# The meta package names the current kernel package; download both once.
if ! ls "$cache"/linux-image-[0-9]*.deb >/dev/null 2>&1; then
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
          awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
              awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    fi
    if [ -z "$pkg" ]; then
        echo "build-guest: cannot find the kernel package behind linux-image-amd64 (run 'apt-get update')" >&2
        exit 1
    fi
    cd_cache apt-get download -q "$pkg" 2>&1 | grep -v 'unsandboxed' || true
    ls "$cache"/linux-image-[0-9]*.deb >/dev/null
fi
deb=$(ls "$cache"/linux-image-[0-9]*.deb | head -n 1)

if [ ! -d "$cache/kernel" ] || [ "$deb" -nt "$cache/kernel" ]; then
    rm -rf "$cache/kernel"
    dpkg-deb -x "$deb" "$cache/kernel"
fi
kver=$(ls "$cache/kernel/lib/modules" | head -n 1)
cp "$cache/kernel/boot/vmlinuz-$kver" "$out/vmlinuz"

busybox=/bin/busybox
[ -x "$busybox" ] || { echo "build-guest: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }
if ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked' && ldd "$busybox" >/dev/null 2>&1; then
    echo "build-guest: $busybox is not static (apt-get install busybox-static)" >&2
    exit 1
fi

rm -rf "$root"
mkdir -p "$root/bin" "$root/sbin" "$root/dev" "$root/proc" "$root/sys" \
         "$root/tmp" "$root/lib/modules"
cp "$busybox" "$root/bin/busybox"
for applet in sh mount insmod mkdir sleep cat echo ls poweroff sync; do
    ln -s busybox "$root/bin/$applet"
done
cp "$guestd" "$root/sbin/guestd"

# Load order matters: each module needs the ones before it (virtio uses
# virtio_ring's exports on this kernel).
modules="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk button evdev"
for m in $modules; do
    f=$(find "$cache/kernel/lib/modules/$kver" -name "$m.ko" | head -n 1)
    [ -n "$f" ] || { echo "build-guest: module $m.ko not found in $deb" >&2; exit 1; }
    cp "$f" "$root/lib/modules/"
done

cat > "$root/init" <<EOF
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $modules; do insmod /lib/modules/\$m.ko; done
# virtio_blk probes asynchronously: give the disks a moment to appear.
i=0
while [ \$i -lt 50 ] && ! ls /dev/vd* >/dev/null 2>&1; do sleep 0.1; i=\$((i+1)); done
echo "guest: disks: \$(ls /dev/vd* 2>/dev/null | tr '\n' ' ')"
echo "guest: ready"
exec /sbin/guestd /dev/ttyS1
EOF
chmod 755 "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.img.tmp"
mv "$out/initrd.img.tmp" "$out/initrd.img"
# Disks for examples/guest.cfg, made once (they are the example's data).
[ -f "$out/xvda.qcow2" ] || qemu-img create -q -f qcow2 "$out/xvda.qcow2" 64M
[ -f "$out/xvdb.raw" ] || qemu-img create -q -f raw "$out/xvdb.raw" 16M
echo "build-guest: $out/vmlinuz ($kver) and $out/initrd.img"
