#!/bin/sh
# make demo: boot the test guest, put state in its RAM and disks, take a
# snapshot, change everything, revert, and show that the state came back.
set -eu
build=${1:-build}
D="$build/domsnap"
G="$build/tests/guestctl"
export DOMSNAP_STATE_DIR="$build/demo-state"
sock="$build/guest/guestd.sock"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

# What an interrupted earlier run left is cleared first.
"$D" destroy guest >/dev/null 2>&1 || true
rm -rf "$DOMSNAP_STATE_DIR" "$build/guest/xvda.qcow2" "$build/guest/xvdb.raw"
qemu-img create -q -f qcow2 "$build/guest/xvda.qcow2" 64M
qemu-img create -q -f raw "$build/guest/xvdb.raw" 16M

say "Boot the test guest (TCG, about 5 s): a qcow2 disk (xvda) and a raw one (xvdb)"
run "$D" create examples/guest.cfg
"$G" --wait 120 "$sock" ping >/dev/null
run "$D" list

say "Put state in guest RAM (counter = 41) and on both disks (marker A)"
run "$G" "$sock" "set 41" "disk-write vda A-on-qcow2" "disk-write vdb A-on-raw" get

say "Snapshot it: memory to a file, xvda internal (qcow2), xvdb external (raw)"
run "$D" snapshot-create guest --name before --description "counter 41, markers A"

say "Change everything: counter 42, marker B on both disks"
run "$G" "$sock" inc "disk-write vda B" "disk-write vdb B" get

say "Live snapshot (background: the guest is paused for milliseconds)"
run "$D" snapshot-create guest --name after --live

say "Revert to 'before'"
run "$D" snapshot-revert guest before
echo "counter, vda and vdb now read:"
got=$("$G" "$sock" get "disk-read vda" "disk-read vdb" | tr '\n' ' ')
echo "$got"
if [ "$got" = "41 A-on-qcow2 A-on-raw " ]; then
    echo "Memory and both disks came back exactly."
else
    echo "demo: expected '41 A-on-qcow2 A-on-raw', got '$got'" >&2
    exit 1
fi

say "And forward again to 'after'"
run "$D" snapshot-revert guest after
run "$G" "$sock" get "disk-read vda" "disk-read vdb"

say "Clean up"
run "$D" destroy guest
echo "(The state, snapshots included, is in $DOMSNAP_STATE_DIR.)"
