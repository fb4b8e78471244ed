#!/bin/sh
# make demo: boot the test guest, put state in its RAM and disks, save it,
# change everything, restore, and show that the saved state came back.
set -eu
build=${1:-build}
D="$build/domsnap"
G="$build/tests/guestctl"
export DOMSNAP_STATE_DIR="$build/demo-state"
sock="$build/guest/guestd.sock"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

# A demo left running by an interrupted earlier run is stopped first.
"$D" destroy guest >/dev/null 2>&1 || true
"$D" undefine guest >/dev/null 2>&1 || true

say "Boot the test guest (TCG, about 5 s)"
run "$D" create examples/guest.cfg
"$G" --wait 120 "$sock" ping >/dev/null
run "$D" list

say "Put state in guest RAM (counter = 41) and on both disks (marker A)"
run "$G" "$sock" "set 41" "disk-write vda A-on-qcow2" "disk-write vdb A-on-raw"

say "Save the domain (memory + config) to a file, keep it running"
run "$D" save -c guest "$build/guest/demo.save"
ls -l "$build/guest/demo.save"

say "Change everything: counter 42, marker B"
run "$G" "$sock" inc "disk-write vda B" "disk-write vdb B" get

say "Destroy it and restore the save file"
run "$D" destroy guest
run "$D" restore "$build/guest/demo.save"
echo "counter and vda/vdb now read:"
run "$G" "$sock" get "disk-read vda" "disk-read vdb"
got=$("$G" "$sock" get)
if [ "$got" = 41 ]; then
    echo "RAM came back: counter is 41 again."
else
    echo "demo: expected counter 41, got '$got'" >&2
    exit 1
fi
echo "(The disks keep B: save/restore carries memory only, as in xl. Snapshots carry both.)"

say "Clean up"
run "$D" destroy guest
run "$D" undefine guest
