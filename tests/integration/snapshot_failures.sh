#!/bin/sh
# A snapshot-create that fails, at any step and for any reason, leaves the
# domain running on its original disks, with no record and no file of the
# snapshot; bad requests change nothing.
. "$(dirname "$0")/lib.sh"
setup

qemu-img create -q -f qcow2 "$T/f-a.qcow2" 64M
qemu-img create -q -f raw "$T/f-b.raw" 64M
write_cfg f "$T/f-a.qcow2,qcow2,xvda" "$T/f-b.raw,raw,xvdb"
check "create" ds create "$T/f.cfg"
guest_wait f.sock "set 41" "disk-write vda A-vda" "disk-write vdb A-vdb" >/dev/null
disks_before=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["disks"])' \
    "$T/state/lib/domains/f/domain.json")

# unchanged LABEL: the domain runs, on its original disks, and the guest's
# state is intact; no snapshot record or file is left.
unchanged() {
    expect_eq "$1: domain still running" running "$(state_of f)"
    expect_eq "$1: guest state intact" "41 A-vda A-vdb" \
        "$(echo $(guest f.sock get "disk-read vda" "disk-read vdb"))"
    expect_eq "$1: no snapshot left" "" "$(ls "$T/state/lib/domains/f/snapshots" 2>/dev/null)"
    expect_eq "$1: no internal snapshot left in the qcow2" "" \
        "$(qemu-img snapshot -l -U "$T/f-a.qcow2")"
    expect_eq "$1: domain still on its original disks" "$disks_before" \
        "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["disks"])' \
            "$T/state/lib/domains/f/domain.json")"
    expect_eq "$1: no stray files" "" "$(ls "$T" | grep -Ev '^(f\.|f-a\.qcow2|f-b\.raw|state|out|full|exists\.qcow2|snap\.cfg|intmem\.cfg)')"
}

# Bad requests.
out=$(ds snapshot-create f --name "bad/name" 2>&1)
expect_match "a name with '/' is refused" "snapshot name 'bad/name' must not contain '/'" "$out"
out=$(ds snapshot-create f --name .hidden 2>&1)
expect_match "a name starting with '.' is refused" "must not start with '.'" "$out"
out=$(ds snapshot-create f --internal 2>&1)
expect_match "--internal with a raw disk is refused" \
    "--internal: disk 'xvdb' of domain 'f' is raw, and internal snapshots need qcow2" "$out"
printf 'disks = [ ",,xvda", ",,xvdz" ]\n' >"$T/snap.cfg"
out=$(ds snapshot-create f "$T/snap.cfg" 2>&1)
expect_match "a disk the domain does not have is refused" "domain 'f' has no disk 'xvdz'" "$out"
printf 'name = "x"\nmemroy = "no"\n' >"$T/snap.cfg"
out=$(ds snapshot-create f "$T/snap.cfg" 2>&1)
expect_match "an unknown key in a snapshot config is located" \
    "snap.cfg:2:1: unknown key 'memroy' \(did you mean 'memory'\?\)" "$out"
out=$(ds snapshot-create f memory=internal 2>&1)
expect_match "internal memory with a raw disk is refused" \
    "memory='internal' .* disk 'xvdb' is raw \(leave it out with ',,xvdb,no'\)" "$out"
out=$(ds snapshot-revert f nosuch 2>&1)
expect_match "reverting to an unknown snapshot" "snapshot 'nosuch' does not exist for domain 'f'" "$out"
unchanged "bad requests"

# The overlay's path exists: nothing is overwritten.
echo precious >"$T/exists.qcow2"
printf 'disks = [ ",,xvda", "%s,qcow2,xvdb" ]\n' "$T/exists.qcow2" >"$T/snap.cfg"
out=$(ds snapshot-create f "$T/snap.cfg" --name s 2>&1)
expect_match "overlay path exists: refused" \
    "overlay '$T/exists.qcow2' for disk 'xvdb' of domain 'f' already exists" "$out"
expect_eq "overlay path exists: the file is untouched" precious "$(cat "$T/exists.qcow2")"
unchanged "overlay path exists"

# A failure injected at each step of each kind of plan is undone.
printf 'memory = "internal"\ndisks = [ ",,xvda", ",,xvdb,no" ]\n' >"$T/intmem.cfg"
for mode in "" "--live=background" "--live=precopy --external" "--disk-only" "$T/intmem.cfg"; do
    plan=$(eval "\"$DOMSNAP\"" snapshot-create f --name s --dry-run $mode | sed -n 's/^plan: //p')
    expect_match "dry run of '${mode:-non-live}' prints its plan" "write-record$" "$plan"
    for step in $(echo "$plan" | tr -d ','); do
        out=$(eval DOMSNAP_TEST_FAIL_AT_STEP=$step "\"$DOMSNAP\"" snapshot-create f --name s $mode 2>&1)
        expect_match "failure at $step (${mode:-non-live}): reported" \
            "snapshot 's' of domain 'f' not taken \($step failed; everything done so far was undone\)" "$out"
        unchanged "failure at $step (${mode:-non-live})"
    done
done

# The memory's disk fills up (a small tmpfs given as --dir).
mkdir -p "$T/full"
if mount -t tmpfs -o size=8m tmpfs "$T/full" 2>/dev/null; then
    out=$(ds snapshot-create f --name s --dir "$T/full/snap" 2>&1)
    expect_match "disk full: refused with the reason" "No space left on device|failed" "$out"
    expect_eq "disk full: the snapshot's directory is gone" "" "$(ls "$T/full")"
    umount "$T/full"
    unchanged "disk full"
else
    echo "ok $((n + 1)) # SKIP disk full: cannot mount a tmpfs here (needs root)"; n=$((n + 1))
fi
rmdir "$T/full"

# QEMU is killed while the memory is being written (slowed down so the
# kill lands in the middle).
DOMSNAP_TEST_MIGRATE_BANDWIDTH=20000000 "$DOMSNAP" snapshot-create f --name s >"$T/out" 2>&1 &
bgpid=$!
i=0
while [ $i -lt 200 ] && ! [ -s "$T/state/lib/domains/f/snapshots/s/memory.img" ]; do
    sleep 0.05; i=$((i + 1))
done
sleep 0.5
kill -9 "$(cat "$T"/state/run/*/qemu.pid)"
wait $bgpid
expect_eq "QEMU killed mid-save: snapshot-create failed" 1 "$?"
expect_match "QEMU killed mid-save: says QEMU is gone" "QEMU (closed|exited)|gone|crash" "$(cat "$T/out")"
expect_eq "QEMU killed mid-save: no snapshot left" "" "$(ls "$T/state/lib/domains/f/snapshots" 2>/dev/null)"
expect_eq "QEMU killed mid-save: no internal snapshot left in the qcow2" "" \
    "$(qemu-img snapshot -l "$T/f-a.qcow2")"
expect_eq "QEMU killed mid-save: the domain shows as crashed" crashed "$(state_of f)"
check "QEMU killed mid-save: destroy cleans up" ds destroy f
check "QEMU killed mid-save: start" ds start f
expect_eq "QEMU killed mid-save: original disks, markers intact" "A-vda A-vdb" \
    "$(echo $(guest_wait f.sock "disk-read vda" "disk-read vdb"))"
check "destroy" ds destroy f
check "qemu-img check" qemu-img check -q "$T/f-a.qcow2"

finish
