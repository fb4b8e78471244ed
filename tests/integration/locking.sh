#!/bin/sh
# One lock per domain: a second operation waits (--timeout) or fails with a
# clear message; it never interleaves with the first.
. "$(dirname "$0")/lib.sh"
setup

qemu-img create -q -f qcow2 "$T/l-a.qcow2" 64M
write_cfg l "$T/l-a.qcow2,qcow2,xvda"
check "create" ds create "$T/l.cfg"
guest_wait l.sock "set 41" >/dev/null

# A snapshot slowed to take a few seconds holds the domain's lock.
DOMSNAP_TEST_MIGRATE_BANDWIDTH=20000000 "$DOMSNAP" snapshot-create l --name slow >"$T/slow.out" 2>&1 &
slow=$!
i=0
while [ $i -lt 100 ] && ! [ -e "$T/state/lib/domains/l/snapshots/slow/memory.img" ]; do sleep 0.05; i=$((i + 1)); done
out=$(ds --timeout 0 snapshot-create l --name other 2>&1)
expect_match "a second operation fails at once with --timeout 0" \
    "domain 'l' is busy: another domsnap operation \(pid $slow\) holds its lock" "$out"
expect_eq "...and took nothing" "" "$(ls "$T/state/lib/domains/l/snapshots" | grep other)"
out=$(ds --timeout 0 pause l 2>&1)
expect_match "pause waits its turn too" "domain 'l' is busy" "$out"
check "with --timeout 60 it waits for the first and then runs" ds --timeout 60 snapshot-create l --name other
wait $slow
expect_eq "the first finished normally" 0 "$?"
expect_match "the first was created" "Snapshot 'slow' of domain 'l' created" "$(cat "$T/slow.out")"
expect_match "the second waited for the first" "slow .*\+- other" "$(ds snapshot-list l --tree | tr '\n' ' ')"
expect_eq "other's parent is slow: it ran after slow was recorded" "slow" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["parent"])' \
        "$T/state/lib/domains/l/snapshots/other/snapshot.json")"
check "both revert" sh -c "\"$DOMSNAP\" snapshot-revert l slow && \"$DOMSNAP\" snapshot-revert l other"
expect_eq "the guest is whole" 41 "$(guest l.sock get)"
check "destroy" ds destroy l
finish
