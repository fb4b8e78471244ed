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
