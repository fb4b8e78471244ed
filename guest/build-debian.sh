#!/bin/sh
# Builds the Debian test guest: OUT/debian-12.qcow2, one disk that boots under
# SeaBIOS and under OVMF (UEFI), with systemd, DHCP, qemu-guest-agent and a
# redis-server that keeps its data only in memory.
#
# usage: build-debian.sh OUT [--packages "PKG ..."] [--firstboot SCRIPT] [--size SIZE]
#
#   --packages   more Debian packages to install
#   --firstboot  a script installed as /usr/local/sbin/domsnap-firstboot and
#                run once, at the first boot, by domsnap-firstboot.service
#   --size       the disk's virtual size (default 4G; the image is sparse)
#
# The image is built once: OUT/debian-12.inputs holds a sha256 of the inputs
# (this script, guest/debian/*, the package list, the first-boot script, the
# size); when it matches, nothing is done. Downloaded packages are kept in
# OUT/cache for the next build.
#
# How: mmdebstrap (minbase) fills a directory; mkfs.ext4 -d makes the root
# filesystem from it, mtools the EFI system partition, sfdisk the GPT, and
# GRUB's images come from the host's grub-pc-bin and grub-efi-amd64-bin:
# core.img in the BIOS boot partition (written like grub-bios-setup does) and
# EFI/BOOT/BOOTX64.EFI. Both read /boot/grub/grub.cfg from the root
# filesystem. No mounts on the host, no loop devices. Needs root.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
self=$here/$(basename "$0")
files=$here/debian
name=debian-12
suite=bookworm

say() { echo "build-debian: $*" >&2; }
die() { say "$*"; exit 1; }
usage() { die "usage: build-debian.sh OUT [--packages \"PKG ...\"] [--firstboot SCRIPT] [--size SIZE]"; }

[ $# -ge 1 ] || usage
out=$1
shift
extra="" firstboot="" size=4G
while [ $# -gt 0 ]; do
    case $1 in
        --packages) [ $# -ge 2 ] || usage; extra="$extra $2"; shift 2 ;;
        --packages=*) extra="$extra ${1#*=}"; shift ;;
        --firstboot) [ $# -ge 2 ] || usage; firstboot=$2; shift 2 ;;
        --firstboot=*) firstboot=${1#*=}; shift ;;
        --size) [ $# -ge 2 ] || usage; size=$2; shift 2 ;;
        --size=*) size=${1#*=}; shift ;;
        *) usage ;;
    esac
done
case $out in -*) usage ;; esac
if [ -n "$firstboot" ]; then
    [ -f "$firstboot" ] || die "first-boot script '$firstboot' not found"
    firstboot=$(cd "$(dirname "$firstboot")" && pwd)/$(basename "$firstboot")
fi

# The disk size in bytes: N with an optional K, M, G or T suffix.
case $size in
    *[Kk]) mult=1024 num=${size%?} ;;
    *[Mm]) mult=1048576 num=${size%?} ;;
    *[Gg]) mult=1073741824 num=${size%?} ;;
    *[Tt]) mult=1099511627776 num=${size%?} ;;
    *) mult=1 num=$size ;;
esac
case $num in ''|*[!0-9]*) die "--size '$size': expected a number with an optional K, M, G or T" ;; esac
disk_bytes=$((num * mult / 1048576 * 1048576))
[ "$disk_bytes" -ge $((1024 * 1048576)) ] || die "--size '$size': at least 1G"

# What the guest gets: a minbase Debian plus these, plus --packages.
packages="systemd-sysv udev dbus kmod e2fsprogs linux-image-amd64 initramfs-tools zstd
          iproute2 netbase procps qemu-guest-agent redis-server"
packages=$(echo $packages $extra | tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' ')
packages=${packages% }

mkdir -p "$out"
out=$(cd "$out" && pwd)

# The cache key: every input of the build.
inputs=$(
    {
        echo "builder"; sha256sum < "$self"
        for f in $(cd "$files" && ls | sort); do
            echo "file $f"; sha256sum < "$files/$f"
        done
        echo "packages $packages"
        echo "firstboot"
        if [ -n "$firstboot" ]; then sha256sum < "$firstboot"; else echo none; fi
        echo "size $disk_bytes"
    } | sha256sum | cut -d' ' -f1
)
image=$out/$name.qcow2
if [ -f "$image" ] && [ -f "$out/$name.inputs" ] &&
   [ "$(cat "$out/$name.inputs")" = "$inputs" ]; then
    say "$image is up to date (inputs $inputs), nothing to do"
    exit 0
fi

# Host tools, installed when missing (as root), as scripts/deps.sh does.
[ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap builds the tree as root; mkfs.ext4 -d keeps its owners)"
host_pkgs="mmdebstrap debian-archive-keyring mtools fdisk e2fsprogs grub-common
           grub-pc-bin grub-efi-amd64-bin qemu-utils"
missing=""
for p in $host_pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    say "installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed; install$missing by hand"
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
        die "could not install$missing (apt-get install$missing)"
fi
need() { # need TOOL-OR-PATH PACKAGE
    case $1 in
        /*) [ -e "$1" ] ;;
        *) command -v "$1" >/dev/null 2>&1 ;;
    esac || die "$1 is missing: install the Debian package $2 (apt-get install $2)"
}
need mmdebstrap mmdebstrap
need /usr/share/keyrings/debian-archive-keyring.gpg debian-archive-keyring
need mformat mtools; need mmd mtools; need mcopy mtools
need sfdisk fdisk
need mkfs.ext4 e2fsprogs
need grub-mkimage grub-common
need /usr/lib/grub/i386-pc/boot.img grub-pc-bin
need /usr/lib/grub/x86_64-efi/linux.mod grub-efi-amd64-bin
need qemu-img qemu-utils

# The mirror: the one this host's apt uses (deb.debian.org on CI).
mirror="" security=""
for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    for u in $(sed -n 's/^URIs:[[:space:]]*//p' "$f"); do
        case $u in
            http*://*security*) [ -n "$security" ] || security=$u ;;
            http*://*) [ -n "$mirror" ] || mirror=$u ;;
        esac
    done
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    for u in $(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }' "$f"); do
        case $u in
            *security*) [ -n "$security" ] || security=$u ;;
            *) [ -n "$mirror" ] || mirror=$u ;;
        esac
    done
done
mirror=${mirror%/} security=${security%/}
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
say "mirror $mirror${security:+, security $security}"

work=$out/work
cache=$out/cache/apt
rm -rf --one-file-system "$work"
mkdir -p "$work" "$cache"
trap 'rm -rf --one-file-system "$work"' EXIT
start=$(date +%s)

# Layout (512-byte sectors): GPT; 1 MiB BIOS boot partition (GRUB's core.img);
# 64 MiB EFI system partition (FAT); the rest is the ext4 root.
bios_start=2048 bios_size=2048
esp_start=4096 esp_size=131072
root_start=135168
root_size=$((disk_bytes / 512 - 34 - root_start))
uuid=$(cat /proc/sys/kernel/random/uuid)

# 1. The tree.
echo 1 > "$work/mmdebstrap.rc"
say "mmdebstrap $suite (minbase + $packages)"
set -- "deb $mirror $suite main" "deb $mirror $suite-updates main"
[ -z "$security" ] || set -- "$@" "deb $security $suite-security main"
{ DS_HERE=$files DS_UUID=$uuid DS_HOSTNAME=domsnap-debian \
  DS_CMDLINE="console=tty0 console=ttyS0,115200n8" DS_FIRSTBOOT=$firstboot \
    mmdebstrap --mode=root --variant=minbase --arch=amd64 --format=directory \
    --dpkgopt="$files/dpkg-nodoc" --dpkgopt="$files/dpkg-nohardware" \
    --dpkgopt=force-unsafe-io --aptopt="$files/apt-minimal" \
    --include="$(echo "$packages" | tr ' ' ',')" \
    --skip=essential/unlink \
    --setup-hook="mkdir -p \"\$1\"/var/cache/apt/archives" \
    --setup-hook="sync-in '$cache' /var/cache/apt/archives/" \
    --essential-hook="'$files/customize.sh' essential \"\$1\"" \
    --customize-hook="sync-out /var/cache/apt/archives '$cache'" \
    --customize-hook="'$files/customize.sh' final \"\$1\"" \
    $suite "$work/root" "$@" 2>&1 && echo 0 > "$work/mmdebstrap.rc"; } |
    sed -u 's/^/build-debian: mmdebstrap: /' >&2
[ "$(cat "$work/mmdebstrap.rc")" = 0 ] && [ -f "$work/root/boot/grub/grub.cfg" ] ||
    die "mmdebstrap failed (see above)"
# Keep only the newest version of each cached package.
(cd "$cache" && ls *.deb 2>/dev/null | sed 's/_.*//' | sort | uniq -d |
    while read -r p; do ls -v "$p"_*.deb | head -n -1 | xargs rm -f; done) || true

# 2. The disk: a sparse raw file, GPT, the root filesystem filled from the
# tree at its offset, the ESP at its own.
raw=$work/disk.raw
say "disk: $((disk_bytes / 1048576)) MiB, root UUID $uuid"
truncate -s "$disk_bytes" "$raw"
sfdisk -q "$raw" <<EOF
label: gpt
start=$bios_start, size=$bios_size, type=21686148-6449-6E6F-744E-656564454649, name="bios"
start=$esp_start, size=$esp_size, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="esp"
start=$root_start, size=$root_size, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root"
EOF

say "mkfs.ext4 -d (root filesystem, $((root_size / 2048)) MiB)"
mkfs.ext4 -q -F -L debian-root -U "$uuid" -E offset=$((root_start * 512)),nodiscard \
    -d "$work/root" "$raw" $((root_size / 2))k

# 3. GRUB: the same small configuration in both images finds the root
# filesystem and hands over to its /boot/grub/grub.cfg.
cat > "$work/early.cfg" <<EOF
search.fs_uuid $uuid root
set prefix=(\$root)/boot/grub
EOF
grub_mods="part_gpt ext2 search search_fs_uuid normal configfile linux echo test
           serial terminal sleep boot gzio ls cat halt reboot all_video"
say "GRUB: core.img (i386-pc) and BOOTX64.EFI (x86_64-efi)"
# shellcheck disable=SC2086
grub-mkimage -O i386-pc -o "$work/core.img" -c "$work/early.cfg" -p /boot/grub \
    biosdisk $grub_mods
# shellcheck disable=SC2086
grub-mkimage -O x86_64-efi -o "$work/BOOTX64.EFI" -c "$work/early.cfg" -p /boot/grub \
    efi_gop $grub_mods

# BIOS: boot.img's code into the MBR (its partition table stays), pointing at
# core.img in the BIOS boot partition; core.img's first sector (diskboot)
# gets the block list of the rest. This is what grub-bios-setup writes.
core_sectors=$(( ($(stat -c %s "$work/core.img") + 511) / 512 ))
[ "$core_sectors" -le "$bios_size" ] || die "core.img ($core_sectors sectors) does not fit the BIOS boot partition"
le() { # le VALUE BYTES: VALUE as BYTES little-endian bytes, for printf
    v=$1 n=$2 s=""
    while [ "$n" -gt 0 ]; do s="$s\\$(printf %o $((v & 255)))"; v=$((v >> 8)); n=$((n - 1)); done
    printf "$s"
}
dd if=/usr/lib/grub/i386-pc/boot.img of="$raw" bs=440 count=1 conv=notrunc status=none
le "$bios_start" 8 | dd of="$raw" bs=1 seek=$((0x5c)) conv=notrunc status=none
# A hard disk: skip boot.img's check of the BIOS drive number (two NOPs).
printf '\220\220' | dd of="$raw" bs=1 seek=$((0x66)) conv=notrunc status=none
dd if="$work/core.img" of="$raw" bs=512 seek="$bios_start" conv=notrunc status=none
# diskboot's block list: start sector, sector count, load segment 0x820.
{ le $((bios_start + 1)) 8; le $((core_sectors - 1)) 2; le $((0x820)) 2; } |
    dd of="$raw" bs=1 seek=$((bios_start * 512 + 0x1f4)) conv=notrunc status=none

# UEFI: a FAT ESP with GRUB at the removable-media path, which OVMF boots
# when it has no boot entry for the disk.
esp="$raw@@$((esp_start * 512))"
mformat -i "$esp" -T "$esp_size" -h 64 -s 32 -H 0 -v ESP -N 0x$(echo "$uuid" | cut -c1-8) ::
mmd -i "$esp" ::/EFI ::/EFI/BOOT
mcopy -i "$esp" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI

# 4. qcow2, compressed (zstd): only what the tree holds is stored.
say "qemu-img convert -> $image"
qemu-img convert -c -O qcow2 -o compression_type=zstd "$raw" "$image.tmp"
mv "$image.tmp" "$image"
echo "$inputs" > "$out/$name.inputs"
say "done in $(( $(date +%s) - start )) s: $image ($(du -h "$image" | cut -f1), virtual $((disk_bytes / 1048576)) MiB); root password: domsnap"
