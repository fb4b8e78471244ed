#!/bin/sh
# Installs, with apt-get, every Debian package that building, testing and the
# demo need and that is missing. Does nothing when all are there.
set -eu
pkgs="gcc make meson ninja-build pkg-config libc6-dev libglib2.0-dev
      libjson-c-dev libxml2-dev libxml2-utils qemu-system-x86 qemu-utils busybox-static
      cpio gzip xz-utils file libvirt-clients python3 libxen-dev ovmf genisoimage iproute2
      scdoc bash-completion dpkg-dev debhelper lintian
      clang libclang-rt-14-dev"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing="$missing $p"
done
if [ -z "$missing" ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "deps: missing packages:$missing (run 'make deps' as root, or install them)" >&2
    exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
