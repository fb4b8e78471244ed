#!/bin/sh
# Bad configs give a located error and start nothing.
. "$(dirname "$0")/lib.sh"
setup

qemu-img create -q -f qcow2 "$T/a.qcow2" 64M

# expect_refused DESC PATTERN CFG-TEXT [KEY=VALUE...]
expect_refused() {
    desc=$1; pattern=$2; text=$3; shift 3
    printf '%s\n' "$text" >"$T/bad.cfg"
    if out=$(ds create "$T/bad.cfg" "$@" 2>&1); then
        not_ok "$desc (it was accepted)"
    else
        expect_match "$desc" "$pattern" "$out"
    fi
    expect_eq "$desc: nothing started" 0 "$(qemu_count)"
    expect_eq "$desc: nothing recorded" "" "$(ls "$T/state/lib/domains")"
}

base="name = 'bad'
kernel = '$GUEST_DIR/vmlinuz'
ramdisk = '$GUEST_DIR/initrd.img'"

expect_refused "unknown key" \
    "bad.cfg:4:1: unknown key 'memroy' \(did you mean 'memory'\?\)" \
    "$base
memroy = 256"
expect_refused "unterminated string" \
    "bad.cfg:4:9: unterminated string" \
    "$base
extra = 'console=ttyS0"
expect_refused "missing disk file" \
    "bad.cfg:4:10: disk 'xvda': file '$T/missing.qcow2' does not exist" \
    "$base
disk = [ 'missing.qcow2,qcow2,xvda' ]"
expect_refused "unsupported disk format" \
    "disk 'xvda': format 'vhd' is unsupported" \
    "$base
disk = [ 'a.qcow2,vhd,xvda' ]"
expect_refused "bad disk spec" \
    "bad.cfg:4:10: disk spec 'foo': no vdev specified" \
    "$base
disk = [ 'foo' ]"
expect_refused "unknown key on the command line" \
    "command line argument 1:1:1: unknown key 'memroy'" \
    "$base" "memroy=5"
expect_refused "missing kernel" \
    "bad.cfg:2:10: kernel file '/nonexistent/vmlinuz' does not exist" \
    "name = 'bad'
kernel = '/nonexistent/vmlinuz'"

# The device keys (issue 11): each bad value at its place.
expect_refused "vif model" \
    "bad.cfg:5:9: vif 1: model 'e1001' is not one of e1000, rtl8139, virtio-net" \
    "$base
vif = [ 'model=e1000',
        'model=e1001' ]"
expect_refused "vif hotplug script" \
    "bad.cfg:4:9: vif 0: script= \\(a hotplug script\\) is not supported" \
    "$base
vif = [ 'bridge=br0,script=vif-bridge' ]"
expect_refused "vif hostfwd" \
    "bad.cfg:4:9: vif 0: hostfwd 'tcp::22' is not \\[tcp\\|udp\\]:\\[HOSTADDR\\]:PORT-\\[GUESTADDR\\]:PORT" \
    "$base
vif = [ 'hostfwd=tcp::22' ]"
expect_refused "cdrom with a missing image" \
    "bad.cfg:4:10: cdrom 'hdc': file '$T/missing.iso' does not exist" \
    "$base
disk = [ 'missing.iso,,hdc,cdrom' ]"
expect_refused "boot order" \
    "bad.cfg:4:8: boot 'cx': each letter must be c \\(hard disk\\), d \\(cdrom\\) or n \\(network\\), given once" \
    "$base
boot = 'cx'"
expect_refused "rombios" \
    "bad.cfg:4:8: bios 'rombios' is not available with QEMU" \
    "$base
bios = 'rombios'"
expect_refused "type pv without a kernel" \
    "bad.cfg:2:8: a pv guest needs kernel= on the qemu driver" \
    "name = 'bad'
type = 'pv'"
expect_refused "vnclisten without vnc" \
    "bad.cfg:4:1: 'vnclisten' needs vnc = 1" \
    "$base
vnclisten = '0.0.0.0'"
expect_refused "vga" \
    "bad.cfg:4:7: vga 'qxl' is not one of stdvga, cirrus, none" \
    "$base
vga = 'qxl'"
expect_refused "usbdevice" \
    "bad.cfg:4:25: usbdevice 'joystick' is not one of tablet, mouse, keyboard" \
    "$base
usbdevice = [ 'tablet', 'joystick' ]"
expect_refused "channel without a name" \
    "bad.cfg:4:13: channel 0: a channel needs name=" \
    "$base
channel = [ 'connection=socket' ]"
expect_refused "on_poweroff restart" \
    "bad.cfg:4:15: on_poweroff 'restart' is not supported by the qemu driver \\(it supports destroy, preserve\\)" \
    "$base
on_poweroff = 'restart'"
expect_refused "device_model_args" \
    "bad.cfg:4:29: 'device_model_args' must be a string, not a number" \
    "$base
device_model_args = [ '-m', 512 ]"
expect_refused "a vif on the command line" \
    "command line argument 1:1:6: vif 0: type 'vif' \\(Xen's paravirtual NIC\\) is not available" \
    "$base" "vif=['type=vif']"
if [ -f /usr/share/OVMF/OVMF_VARS_4M.fd ]; then
    # Its NVRAM is made before QEMU starts; QEMU does not start: none is left.
    expect_refused "a UEFI domain that does not start leaves no NVRAM" \
        "bridge 'nosuchbr0' does not exist" \
        "$base
bios = 'ovmf'
vif = [ 'bridge=nosuchbr0' ]"
fi

# A duplicate name: the first domain is real, the second is refused.
write_cfg dup "$T/a.qcow2,qcow2,xvda"
check "first domain 'dup' starts (paused)" ds create -p "$T/dup.cfg"
out=$(ds create "$T/dup.cfg" 2>&1)
expect_match "duplicate domain name" "domain 'dup' already exists \(paused\)" "$out"
expect_eq "duplicate: still one QEMU" 1 "$(qemu_count)"
check "destroy dup" ds destroy dup
out=$(ds create "$T/dup.cfg" 2>&1)
expect_match "a shut-off domain's name is taken too" "domain 'dup' already exists \(shut off\); start it with 'domsnap start dup'" "$out"

out=$(ds pause nosuch 2>&1)
expect_match "unknown domain" "domain 'nosuch' does not exist" "$out"
out=$(ds pause ../etc 2>&1)
expect_match "a name with '/' is refused before it becomes a path" "domain name '../etc' must not start with '.'" "$out"
out=$(ds restore "$T/a.qcow2" 2>&1)
expect_match "restore of a file that is not a save file" "is not a domsnap memory image" "$out"

finish
