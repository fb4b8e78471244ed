#!/bin/sh
# mmdebstrap hooks for build-debian.sh: "customize.sh essential ROOT" writes
# /etc/fstab and tells initramfs-tools the root's type before the kernel is
# installed (so that its initramfs checks the root filesystem, which it
# cannot probe in a chroot); "customize.sh final ROOT" configures the tree.
# Runs on the host; commands that must run inside use chroot.
# Environment (from build-debian.sh): DS_HERE (this directory), DS_UUID (the
# root filesystem's UUID), DS_HOSTNAME, DS_CMDLINE (kernel command line,
# without root=), DS_FIRSTBOOT (a script to run once at first boot, or empty).
set -eu
phase=$1
root=$2
here=$DS_HERE

cat > "$root/etc/fstab" <<FSTAB
# <file system>	<mount point>	<type>	<options>	<dump>	<pass>
UUID=$DS_UUID	/	ext4	errors=remount-ro	0	1
FSTAB
mkdir -p "$root/etc/initramfs-tools/conf.d"
echo FSTYPE=ext4 > "$root/etc/initramfs-tools/conf.d/domsnap-fstype"
[ "$phase" = final ] || exit 0

echo "$DS_HOSTNAME" > "$root/etc/hostname"
cat > "$root/etc/hosts" <<HOSTS
127.0.0.1	localhost
127.0.1.1	$DS_HOSTNAME
::1		localhost ip6-localhost ip6-loopback
HOSTS
: > "$root/etc/resolv.conf"

# Network: systemd-networkd, DHCP on any wired NIC.
install -m 644 "$here/80-dhcp.network" "$root/etc/systemd/network/80-dhcp.network"
chroot "$root" systemctl enable -q systemd-networkd.service
# Nothing waits for "online": a guest without a NIC must not stall.
chroot "$root" systemctl disable -q systemd-networkd-wait-online.service

# redis: on every address, no protected mode, nothing saved to disk.
cat "$here/redis.conf" >> "$root/etc/redis/redis.conf"
chroot "$root" systemctl enable -q redis-server.service

# qemu-guest-agent.service needs no enabling: the package's udev rule starts
# it when the virtio-serial port org.qemu.guest_agent.0 appears.

# No time sync, no apt or man-db timers, no scrub or trim: the guest never
# reaches the internet and does nothing behind a test's back.
chroot "$root" systemctl mask -q systemd-timesyncd.service apt-daily.timer \
    apt-daily-upgrade.timer man-db.timer e2scrub_all.timer e2scrub_reap.service \
    fstrim.timer dpkg-db-backup.timer

# root: password "domsnap"; the serial console logs in by itself.
echo 'root:domsnap' | chroot "$root" chpasswd
mkdir -p "$root/etc/systemd/system/serial-getty@ttyS0.service.d"
install -m 644 "$here/autologin.conf" \
    "$root/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf"

# First-boot script: run once by a oneshot unit, then a marker stops it.
if [ -n "$DS_FIRSTBOOT" ]; then
    install -m 755 "$DS_FIRSTBOOT" "$root/usr/local/sbin/domsnap-firstboot"
    install -m 644 "$here/domsnap-firstboot.service" \
        "$root/etc/systemd/system/domsnap-firstboot.service"
    chroot "$root" systemctl enable -q domsnap-firstboot.service
fi

# GRUB's configuration, shared by the BIOS and the UEFI core images (each
# finds the root filesystem by UUID and reads this file).
kernel=vmlinuz initrd=initrd.img
if [ ! -e "$root/vmlinuz" ] || [ ! -e "$root/initrd.img" ]; then
    kver=$(ls "$root/lib/modules" | sort -V | tail -n 1)
    kernel=boot/vmlinuz-$kver initrd=boot/initrd.img-$kver
fi
mkdir -p "$root/boot/grub"
cat > "$root/boot/grub/grub.cfg" <<GRUB
set timeout=1
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry 'Debian 12 (domsnap test guest)' {
    search --no-floppy --fs-uuid --set=root $DS_UUID
    linux /$kernel root=UUID=$DS_UUID ro $DS_CMDLINE
    initrd /$initrd
}
GRUB

# dpkg in the guest syncs its files again (the build did not need to).
sed -i '/^force-unsafe-io$/d' "$root/etc/dpkg/dpkg.cfg.d/99mmdebstrap"

# Small: no apt lists, no logs from the build.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
       "$root"/var/cache/apt/archives/*.deb \
       "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/*
