#!/bin/sh
# snapshot-create and snapshot-revert on a real guest, in every mode: the
# guest's counter (RAM) and disk markers must come back exactly, twice, and
# across two snapshots; every image must pass qemu-img check afterwards.
. "$(dirname "$0")/lib.sh"
setup

# markers DOM TEXT: writes TEXT-vda and TEXT-vdb.
markers() { guest "$1.sock" "disk-write vda $2-vda" "disk-write vdb $2-vdb" >/dev/null; }
state() { echo $(guest "$1.sock" get "disk-read vda" "disk-read vdb"); }

# scenario LABEL DOM SNAPSHOT-CREATE-OPTIONS...
# The domain runs, with disks vda and vdb.
scenario() {
    label=$1; dom=$2; shift 2
    guest "$dom.sock" "set 41" >/dev/null; markers "$dom" A
    check "$label: snapshot-create s1" ds snapshot-create "$dom" --name s1 "$@"
    guest "$dom.sock" inc >/dev/null; markers "$dom" B
    expect_eq "$label: changed before revert" "42 B-vda B-vdb" "$(state "$dom")"
    check "$label: revert to s1" ds snapshot-revert "$dom" s1
    expect_eq "$label: s1's counter and markers are back" "41 A-vda A-vdb" "$(state "$dom")"
    guest "$dom.sock" inc >/dev/null; markers "$dom" C
    check "$label: revert to s1 again" ds snapshot-revert "$dom" s1
    expect_eq "$label: s1 again, exactly" "41 A-vda A-vdb" "$(state "$dom")"
    guest "$dom.sock" "set 50" >/dev/null; markers "$dom" S2
    check "$label: snapshot-create s2 (child of s1)" ds snapshot-create "$dom" --name s2 "$@"
    check "$label: revert to s1 from s2" ds snapshot-revert "$dom" s1
    expect_eq "$label: s1 from s2" "41 A-vda A-vdb" "$(state "$dom")"
    guest "$dom.sock" "set 60" >/dev/null; markers "$dom" X
    check "$label: revert to s2 after writing on s1's branch" ds snapshot-revert "$dom" s2
    expect_eq "$label: s2's state, not the other branch's" "50 S2-vda S2-vdb" "$(state "$dom")"
    check "$label: destroy" ds destroy "$dom"
    check_images "$label"
}

# qemu-img check every qcow2 image the test made (the guest's and domsnap's).
check_images() {
    bad=""
    for img in $(find "$T" -name '*.qcow2'); do
        qemu-img check -q "$img" >/dev/null 2>&1 || bad="$bad $img"
    done
    expect_eq "$1: qemu-img check is clean on every image" "" "$bad"
}

# The image the domain's disk VDEV uses now, from its record.
current_disk() {
    python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["config"]
print([d["pdev_path"] for d in c["disks"] if d["vdev"]==sys.argv[2]][0])' \
        "$T/state/lib/domains/$1/domain.json" "$2"
}

new_domain() { # new_domain DOM FORMAT-A FORMAT-B
    dom=$1
    for d in a b; do
        fmt=$2; [ $d = b ] && fmt=$3
        qemu-img create -q -f "$fmt" "$T/$dom-$d.$fmt" 64M
    done
    write_cfg "$dom" "$T/$dom-a.$2,$2,xvda" "$T/$dom-b.$3,$3,xvdb"
    ds create "$T/$dom.cfg" >/dev/null && guest_wait "$dom.sock" ping >/dev/null
}

# 1. internal: two qcow2 disks, memory to a file, disks internal.
new_domain int qcow2 qcow2
scenario internal int
expect_match "internal: qemu-img snapshot -l lists s1 and s2" "s1.*
.*s2|s1 .*s2" "$(qemu-img snapshot -l "$T/int-a.qcow2" | tr '\n' ' ')"
# the revert keeps the image's state under a tag until it is done, then drops it
expect_eq "internal: no domsnap-before-revert tag is left after the reverts" "" \
    "$(qemu-img snapshot -l -U "$T/int-a.qcow2" | grep domsnap-before-revert)"
rec="$T/state/lib/domains/int/snapshots/s1/snapshot.json"
expect_eq "internal: the record is private (0600)" 600 "$(stat -c %a "$rec")"
expect_eq "internal: the memory image is private (0600)" 600 \
    "$(stat -c %a "$T/state/lib/domains/int/snapshots/s1/memory.img")"
expect_match "internal: the record says memory external, disks internal" \
    '"kind": "internal"' "$(cat "$rec")"

# 2. external over qcow2.
new_domain extq qcow2 qcow2
scenario "external over qcow2" extq --external
chain=$(qemu-img info --backing-chain "$(current_disk extq xvda)")
expect_match "external over qcow2: the disk now runs on a chain through s2's and s1's directories" \
    "snapshots/s2/xvda.*snapshots/s1/xvda.*extq-a.qcow2" "$(echo $chain)"

# 3. external over raw: raw disks always get an overlay.
new_domain extr raw raw
scenario "external over raw" extr
chain=$(qemu-img info --backing-chain "$(current_disk extr xvda)")
expect_match "external over raw: the chain ends in the raw image" \
    "backing file format: raw" "$chain"
expect_eq "external over raw: the raw image keeps s1's state (frozen)" "A-vda" \
    "$(head -c 5 "$T/extr-a.raw")"

# 4. live, background (point in time: the memory as of the pause).
new_domain bg qcow2 raw
guest bg.sock "dirty 32" >/dev/null
scenario "live background" bg --live=background
rec=$(cat "$T/state/lib/domains/bg/snapshots/s1/snapshot.json")
expect_match "live background: recorded as such" '"live": "background"' "$rec"

# 5. live, pre-copy (the memory as of the end).
new_domain pc qcow2 raw
guest pc.sock "dirty 32" >/dev/null
scenario "live precopy" pc --live=precopy
expect_match "live precopy: recorded as such" '"live": "precopy"' \
    "$(cat "$T/state/lib/domains/pc/snapshots/s1/snapshot.json")"

# 6. disk-only snapshot of a shut-off domain.
new_domain off qcow2 raw
markers off A
check "shut-off: destroy" ds destroy off
check "shut-off: snapshot-create (disk only)" ds snapshot-create off --name s1
expect_match "shut-off: recorded without memory" '"kind": "no"' \
    "$(cat "$T/state/lib/domains/off/snapshots/s1/snapshot.json")"
expect_match "shut-off: qemu-img snapshot -l lists s1" " s1 " "$(qemu-img snapshot -l "$T/off-a.qcow2")"
check "shut-off: start" ds start off
guest_wait off.sock "set 7" >/dev/null; markers off B
out=$(ds snapshot-revert off s1 2>&1)
expect_match "shut-off: a running domain needs --force for a disk-only snapshot" \
    "has no memory: .*current memory is lost; use --force" "$out"
expect_eq "shut-off: refused revert changed nothing" "7 B-vda B-vdb" "$(state off)"
check "shut-off: revert --force" ds snapshot-revert --force off s1
expect_eq "shut-off: reverted domain is shut off, as recorded" shutoff "$(state_of off)"
check "shut-off: start after revert" ds start off
guest_wait off.sock ping >/dev/null
expect_eq "shut-off: cold boot with the snapshot's disks" "0 A-vda A-vdb" "$(state off)"
markers off C
check "shut-off: revert --force --running boots it" ds snapshot-revert --force --running off s1
guest_wait off.sock ping >/dev/null
expect_eq "shut-off: disks at the snapshot again" "0 A-vda A-vdb" "$(state off)"
check "shut-off: destroy" ds destroy off
check_images "shut-off"

# 7. a snapshot config: one disk internal, one external at a path it names.
new_domain cfg qcow2 qcow2
cat >"$T/snap.cfg" <<CFG
name = "s1"
description = "one internal, one external"
memory = "external"
memory_path = "cfg-s1.mem"
disks = [ ",,xvda", "cfg-s1-xvdb.qcow2,qcow2,xvdb" ]
CFG
guest cfg.sock "set 41" >/dev/null; markers cfg A
check "config: snapshot-create DOM CFGFILE" ds snapshot-create cfg "$T/snap.cfg" --name ignored
expect_eq "config: name= in the file wins over --name" "yes" \
    "$([ -f "$T/state/lib/domains/cfg/snapshots/s1/snapshot.json" ] && echo yes)"
expect_eq "config: memory image where memory_path says" 600 "$(stat -c %a "$T/cfg-s1.mem")"
expect_match "config: xvdb's overlay where the config says" "backing file: $T/cfg-b.qcow2" \
    "$(qemu-img info -U "$T/cfg-s1-xvdb.qcow2")"
expect_match "config: xvda internal" " s1 " "$(qemu-img snapshot -l -U "$T/cfg-a.qcow2")"
guest cfg.sock inc >/dev/null; markers cfg B
check "config: revert with the RFC's form (DOM CFGFILE)" ds snapshot-revert cfg "$T/snap.cfg"
expect_eq "config: state is back" "41 A-vda A-vdb" "$(state cfg)"
guest cfg.sock inc >/dev/null; markers cfg B
check "config: revert again by name" ds snapshot-revert cfg s1
expect_eq "config: state is back again" "41 A-vda A-vdb" "$(state cfg)"
guest cfg.sock "set 50" >/dev/null; markers cfg S2
check "config: second snapshot with KEY=VALUE lines" ds snapshot-create cfg "$T/snap.cfg" \
    name=s2 memory_path="$T/cfg-s2.mem" "disks=[',,xvda', '$T/cfg-s2-xvdb.qcow2,,xvdb']"
check "config: revert to s1 from s2" ds snapshot-revert cfg s1
expect_eq "config: s1 from s2" "41 A-vda A-vdb" "$(state cfg)"
markers cfg X
check "config: revert to s2" ds snapshot-revert cfg s2
expect_eq "config: s2's state" "50 S2-vda S2-vdb" "$(state cfg)"

# A paused domain: the snapshot records it paused, and revert leaves it so.
check "paused: pause" ds pause cfg
check "paused: snapshot of a paused domain" ds snapshot-create cfg --name p1
check "paused: unpause" ds unpause cfg
guest cfg.sock "set 77" >/dev/null
check "paused: revert" ds snapshot-revert cfg p1
expect_eq "paused: reverted domain is paused, as recorded" paused "$(state_of cfg)"
check "paused: revert --running" ds snapshot-revert --running cfg p1
expect_eq "paused: --running overrides" running "$(state_of cfg)"
expect_eq "paused: p1's counter" 50 "$(guest cfg.sock get)"
check "config: destroy" ds destroy cfg
check_images "config"

finish
