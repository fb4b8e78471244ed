#!/bin/bash
# Builds what the Xen tests boot under QEMU, into OUT:
#   OUT/xen            Debian's Xen 4.17 hypervisor (multiboot ELF)
#   OUT/dom0.cpio.gz   a dom0 initramfs: Debian's Xen 4.17 userspace (xl,
#                      xenstored, xenconsoled, hotplug scripts, the qdisk
#                      device model from qemu-system-xen, qemu-img), domsnap with
#                      the xen driver, guestctl, their libraries, and the
#                      domU's kernel and initramfs (guestd on the PV console)
# The Xen packages are apt-get downloaded and unpacked (dpkg-deb -x), never
# installed; the kernel is the test guest's (make guest), used for dom0 and
# domU alike.
#
# usage: build-images.sh OUT BUILD GUEST_DIR
set -euo pipefail

out=$1 build=$2 guest=$3
here=$(cd "$(dirname "$0")" && pwd)
xenver=4.17
cache=$out/cache
mkdir -p "$cache/debs"
out=$(cd "$out" && pwd) build=$(cd "$build" && pwd) guest=$(cd "$guest" && pwd)

pkgs="xen-hypervisor-$xenver-amd64 xen-utils-$xenver xen-utils-common xenstore-utils
      libxenmisc$xenver libxenstore4 libxencall1 libxendevicemodel1 libxenevtchn1
      libxenforeignmemory1 libxengnttab1 libxentoolcore1 libxentoollog1 libxenhypfs1
      libyajl2 qemu-system-xen"
if [ ! -e "$cache/debs/.done" ]; then
    # shellcheck disable=SC2086
    (cd "$cache/debs" && { apt-get download -q $pkgs 2>/dev/null ||
                           { apt-get update -qq && apt-get download -q $pkgs; }; } &&
     touch .done)
fi
if [ ! -e "$cache/root/.done" ]; then
    rm -rf "$cache/root"
    mkdir -p "$cache/root"
    for d in "$cache"/debs/*.deb; do dpkg-deb -x "$d" "$cache/root"; done
    touch "$cache/root/.done"
fi
root=$cache/root
kernel=$guest/cache/kernel
kver=$(ls "$kernel/lib/modules" | head -n 1)
zcat "$root/boot/xen-$xenver-amd64.gz" > "$out/xen"
cp "$kernel/boot/vmlinuz-$kver" "$out/vmlinuz"

# ---- the domU: busybox, xen-blkfront, guestd on the PV console (hvc0)
du=$out/domu-root
rm -rf "$du"
mkdir -p "$du"/{bin,dev,proc,sys}
cp /bin/busybox "$du/bin/busybox"
cp "$build/guestd" "$du/bin/guestd"
cp "$kernel/lib/modules/$kver/kernel/drivers/block/xen-blkfront.ko" "$du/"
cat > "$du/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
insmod /xen-blkfront.ko
for i in $(seq 50); do [ -b /dev/xvda ] && break; sleep 0.2; done
# guestd answers on the PV console; nothing else may write there
exec /bin/guestd /dev/hvc0 </dev/null >/dev/null 2>&1
INIT
chmod +x "$du/init"
(cd "$du" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/domu-initrd.gz"

# ---- dom0
d=$out/dom0-root
rm -rf "$d"
mkdir -p "$d"/{bin,sbin,dev,proc,sys,run,tmp,etc,modules,guest,lib64,var/lib/xen,var/log/xen}
mkdir -p "$d"/usr/{bin,sbin,lib/x86_64-linux-gnu} "$d/lib/x86_64-linux-gnu"
cp /bin/busybox "$d/bin/busybox"
xb=usr/lib/xen-$xenver/bin
mkdir -p "$d/$xb" "$d/usr/lib/xen-$xenver/lib"
for b in xl xenstored xenconsoled xenconsole libxl-save-helper xen-init-dom0 xenstore-control; do
    cp -a "$root/$xb/$b" "$d/$xb/"
done
cp -a "$root/usr/lib/x86_64-linux-gnu/." "$d/usr/lib/x86_64-linux-gnu/"
cp -a "$root/usr/lib/xen-$xenver/lib/x86_64-linux-gnu" "$d/usr/lib/xen-$xenver/lib/"
cp -a "$root"/usr/bin/xenstore* "$d/bin/"
cp -a "$root/etc/xen" "$d/etc/"
for l in xl xenstored xenconsoled; do ln -sf "/$xb/$l" "$d/usr/sbin/$l"; done
# the hotplug scripts are bash and use flock; glibc dlopen()s libgcc_s
cp /bin/bash "$d/bin/bash"
cp /usr/bin/flock "$d/bin/flock"
mkdir -p "$d/usr/libexec"
cp "$root/usr/libexec/xen-qemu-system-i386" "$d/usr/libexec/"   # libxl's device model (qdisk)
mkdir -p "$d/usr/share/qemu"
cp -a /usr/share/qemu/keymaps "$d/usr/share/qemu/"                # libxl passes -vnc none, which loads one
cp /usr/bin/qemu-img "$d/usr/bin/qemu-img"
cp /bin/cp "$d/usr/bin/cp"          # GNU cp: bench/xen's baseline copies sparsely, as a user would
cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$d/lib/x86_64-linux-gnu/"
cp "$build/domsnap" "$d/bin/domsnap"
cp "$build/tests/guestctl" "$d/bin/guestctl"
cp "$here/scenarios.sh" "$here/bench.sh" "$here/lib-dom0.sh" "$here/../stress-records.sh" \
   "$here/../lsan.supp" "$d/guest/"
# $build: domsnap's own libdomsnap.so.0, which its copy's RUNPATH ($ORIGIN)
# no longer reaches; ldd names it there and the loop copies it into dom0
export LD_LIBRARY_PATH=$root/usr/lib/x86_64-linux-gnu:$root/usr/lib/xen-$xenver/lib/x86_64-linux-gnu:$build
for b in "$d/$xb"/* "$root/usr/bin/xenstore" /bin/bash /usr/bin/flock /bin/cp /usr/bin/qemu-img \
         "$d/usr/libexec/xen-qemu-system-i386" "$d/bin/domsnap" "$d/bin/guestctl"; do
    ldd "$b" 2>/dev/null | awk '$3 ~ /^\// {print $3} $1 ~ /^\/lib64/ {print $1}'
done | sort -u | while read -r lib; do
    case "$lib" in
        "$root"/*) ;;
        /lib64/*) cp -L "$lib" "$d/lib64/" ;;
        *) cp -L "$lib" "$d/lib/x86_64-linux-gnu/" ;;
    esac
done
unset LD_LIBRARY_PATH
m=$kernel/lib/modules/$kver/kernel
for k in drivers/xen/xen-evtchn.ko drivers/xen/xen-privcmd.ko drivers/xen/xenfs/xenfs.ko \
         drivers/xen/xen-gntdev.ko drivers/xen/xen-gntalloc.ko \
         drivers/block/xen-blkback/xen-blkback.ko drivers/block/loop.ko; do
    [ -e "$m/$k" ] && cp "$m/$k" "$d/modules/"
done
# libxenguest would XZ-decompress the bzImage on every domain build (seconds
# under TCG): hand it the ELF vmlinux inside instead
off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$out/vmlinuz" | head -n 1 | cut -d: -f1 || true)
if [ -n "$off" ] && tail -c +$((off + 1)) "$out/vmlinuz" | xz -dcq > "$out/vmlinux" 2>/dev/null;
   head -c 4 "$out/vmlinux" | grep -q ELF; then
    cp "$out/vmlinux" "$d/guest/vmlinux"
else
    cp "$out/vmlinuz" "$d/guest/vmlinux"
fi
cp "$out/domu-initrd.gz" "$d/guest/initrd.gz"
cp "$here/dom0-init.sh" "$d/init"
chmod +x "$d/init"
(cd "$d" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/dom0.cpio.gz"
echo "xen-images: $(du -h "$out/dom0.cpio.gz" | cut -f1) dom0 initramfs in $out"
