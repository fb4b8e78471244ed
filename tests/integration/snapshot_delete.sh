#!/bin/sh
# snapshot-delete changes nothing that any other snapshot or the running
# domain sees: every remaining snapshot's disk state and the live disks are
# compared (qemu-img compare) with copies taken before, and every remaining
# snapshot is reverted to and its counter and markers read.
. "$(dirname "$0")/lib.sh"
setup

qemu-img create -q -f qcow2 "$T/d-a.qcow2" 64M
qemu-img create -q -f raw "$T/d-b.raw" 16M
write_cfg d "$T/d-a.qcow2,qcow2,xvda" "$T/d-b.raw,raw,xvdb"
check "create" ds create "$T/d.cfg"
guest_wait d.sock ping >/dev/null
mark() { guest d.sock "set $1" "disk-write vda M$1-vda" "disk-write vdb M$1-vdb" >/dev/null; }
state() { echo $(guest_wait d.sock get "disk-read vda" "disk-read vdb"); }
snapdir="$T/state/lib/domains/d/snapshots"

# kind_file SNAP VDEV: "KIND FILE" of that disk in the snapshot's record.
kind_file() {
    python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
d=[d for d in r["disks"] if d["vdev"]==sys.argv[2]][0]
print(d["kind"], d["file"])' "$snapdir/$1/snapshot.json" "$2"
}
current_disk() {
    python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["config"]
print([d["pdev_path"] for d in c["disks"] if d["vdev"]==sys.argv[2]][0])' \
        "$T/state/lib/domains/d/domain.json" "$1"
}
# capture SNAP|live VDEV OUT: the disk's state as a raw image.
capture() {
    if [ "$1" = live ]; then
        qemu-img convert -U -O raw "$(current_disk "$2")" "$3"
    else
        set -- "$1" "$2" "$3" $(kind_file "$1" "$2")
        if [ "$4" = internal ]; then
            qemu-img convert -U -O raw -l "snapshot.name=$1" "$5" "$3"
        else
            qemu-img convert -U -O raw "$5" "$3"
        fi
    fi
}
capture_all() { # capture_all DIR SNAP...
    dir=$1; shift; mkdir -p "$dir"
    for s in "$@" live; do
        for v in xvda xvdb; do capture "$s" "$v" "$dir/$s-$v.raw"; done
    done
}
compare_all() { # compare_all LABEL DIR SNAP...
    label=$1; dir=$2; shift 2
    bad=""
    for s in "$@" live; do
        for v in xvda xvdb; do
            capture "$s" "$v" "$T/now.raw"
            qemu-img compare -q -f raw -F raw "$dir/$s-$v.raw" "$T/now.raw" || bad="$bad $s/$v"
            rm -f "$T/now.raw"
        done
    done
    expect_eq "$label: every remaining snapshot and the live disks are byte-identical" "" "$bad"
}
revert_all() { # revert_all LABEL SNAP=COUNTER...
    label=$1; shift
    for sc in "$@"; do
        s=${sc%=*}; c=${sc#*=}
        check "$label: revert to $s" ds snapshot-revert d "$s"
        expect_eq "$label: $s reads back exactly" "$c M$c-vda M$c-vdb" "$(state)"
    done
}
check_images() {
    bad=""
    for img in $(find "$T" -name '*.qcow2'); do
        qemu-img check -q -U "$img" >/dev/null 2>&1 || bad="$bad $img"
    done
    expect_eq "$1: qemu-img check is clean on every image" "" "$bad"
}

# A tree: s1 (xvda internal, xvdb external) -> s2 (all external) -> s3,
# and a branch s4 from s1.
mark 1; check "s1" ds snapshot-create d --name s1
mark 2; check "s2 (external)" ds snapshot-create d --name s2 --external
mark 3; check "s3" ds snapshot-create d --name s3
check "back to s1" ds snapshot-revert d s1
mark 4; check "s4 (external, a branch of s1)" ds snapshot-create d --name s4 --external
mark 5
expect_match "the tree" "s1 .*\+- s2 .*\+- s3 .*\+- s4" "$(ds snapshot-list d --tree | tr '\n' ' ')"
expect_eq "snapshot-current names the newest" s4 "$(ds snapshot-current d)"
expect_match "the tree marks the current one" "\+- s4 \*" "$(ds snapshot-list d --tree | tr '\n' ' ')"
expect_match "snapshot-info: s1 has two children" "Children: +2" "$(ds snapshot-info d s1)"
expect_match "snapshot-info: s3's parent is s2" "Parent: +s2" "$(ds snapshot-info d s3)"
expect_eq "snapshot-list --json: names, parents, current, kinds" \
    "s1:None:False:external s2:s1:False:external s3:s2:False:external s4:s1:True:external" \
    "$(ds snapshot-list d --json | python3 -c 'import json,sys
print(" ".join("%s:%s:%s:%s" % (s["name"], s["parent"], s["current"], s["record"]["memory"]["kind"]) for s in json.load(sys.stdin)))')"
expect_match "snapshot-list -l prints every field" '"pause_us"' "$(ds snapshot-list d -l)"

capture_all "$T/before1" s1 s2 s3 s4
check "delete s2 (the middle of an external chain, domain running)" ds snapshot-delete d s2
expect_eq "s2 is gone" "" "$(ds snapshot-list d | grep ' s2 ')"
expect_match "s3 is now s1's child" "s1 .*\+- s3" "$(ds snapshot-list d --tree | tr '\n' ' ')"
expect_eq "s2's memory image is deleted" no "$([ -e "$snapdir/s2/memory.img" ] && echo yes || echo no)"
compare_all "after deleting s2" "$T/before1" s1 s3 s4
expect_eq "the running guest did not notice" "5 M5-vda M5-vdb" "$(state)"
check_images "after deleting s2"
revert_all "after deleting s2" s3=3 s1=1 s4=4

# The root, with the domain shut off: internal snapshot out of the qcow2,
# the raw image (the user's) kept.
guest d.sock "set 6" "disk-write vda M6-vda" "disk-write vdb M6-vdb" >/dev/null
check "destroy" ds destroy d
capture_all "$T/before2" s1 s3 s4
check "delete s1 (the root, domain shut off)" ds snapshot-delete d s1
expect_eq "s1 is gone from the qcow2" "" "$(qemu-img snapshot -l "$T/d-a.qcow2" | grep ' s1 ')"
expect_eq "the user's raw image is kept" yes "$([ -f "$T/d-b.raw" ] && echo yes)"
compare_all "after deleting s1" "$T/before2" s3 s4
check_images "after deleting s1"
check "start" ds start d
guest_wait d.sock ping >/dev/null
revert_all "after deleting s1" s4=4 s3=3

# Internal only, online.
check "s7 internal-only (xvdb left out)" ds snapshot-create d --name s7 "disks=[',,xvda',',,xvdb,no']"
expect_match "s7 is in the qcow2" " s7 " "$(qemu-img snapshot -l -U "$(current_disk xvda)" 2>/dev/null; qemu-img snapshot -l -U "$T/d-a.qcow2")"
check "delete s7 online (QMP)" ds snapshot-delete d s7
expect_eq "s7 is gone from every qcow2" "" \
    "$(for f in $(find "$T" -name '*.qcow2'); do qemu-img snapshot -l -U "$f"; done | grep ' s7 ')"

# --metadata: records only; the files stay, and the user is warned.
files_before=$(find "$snapdir" -type f ! -name snapshot.json | sort)
out=$(ds snapshot-delete d s4 --metadata 2>&1)
expect_match "--metadata warns that the domain may be built on s4's image" \
    "warning: snapshot 's4' held the frozen image" "$out"
expect_eq "--metadata: s4's record is gone" "" "$(ds snapshot-list d | grep ' s4 ')"
expect_eq "--metadata: every file stays" "$files_before" \
    "$(find "$snapdir" -type f ! -name snapshot.json | sort)"
expect_eq "--metadata: the guest is untouched" "3 M3-vda M3-vdb" "$(state)"

# --children and --children-only.
mark 8; check "s8" ds snapshot-create d --name s8
mark 9; check "s9 (child of s8)" ds snapshot-create d --name s9
check "delete s8 --children-only" ds snapshot-delete d s8 --children-only
expect_eq "s9 gone, s8 kept" "s8" "$(ds snapshot-list d | awk 'NR>2 {print $2}' | grep -E '^s(8|9)$' | tr '\n' ' ' | xargs)"
mark 10; check "s10 (child of s8)" ds snapshot-create d --name s10
check "delete s8 --children" ds snapshot-delete d s8 --children
expect_eq "s8 and s10 gone" "" "$(ds snapshot-list d | grep -E ' s(8|10) ')"
expect_eq "the guest keeps its state" "10 M10-vda M10-vdb" "$(state)"
revert_all "after --children" s3=3

# An all-external chain: the frozen images are merged into the images
# built on them (block-stream into the running chain; qemu-img rebase
# when shut off), and deleted.
mark 11; check "e1" ds snapshot-create d --name e1 --external
mark 12; check "e2" ds snapshot-create d --name e2 --external
mark 13; check "e3" ds snapshot-create d --name e3 --external
mark 14
capture_all "$T/before3" e1 e2 e3
check "delete e2 online (block-stream)" ds snapshot-delete d e2
expect_eq "e2's frozen image (e1's overlay) is merged and gone" no \
    "$([ -e "$snapdir/e1/xvda.qcow2" ] && echo yes || echo no)"
compare_all "after deleting e2" "$T/before3" e1 e3
expect_eq "the running guest did not notice" "14 M14-vda M14-vdb" "$(state)"
check "destroy" ds destroy d
capture_all "$T/before4" e1 e3
check "delete e3 offline (qemu-img rebase)" ds snapshot-delete d e3
expect_eq "e3's frozen image is merged and gone" no \
    "$([ -e "$snapdir/e2/xvda.qcow2" ] && echo yes || echo no)"
compare_all "after deleting e3" "$T/before4" e1
check_images "after the external deletes"
check "start" ds start d
guest_wait d.sock ping >/dev/null
revert_all "after the external deletes" e1=11 s3=3

# Bad input.
out=$(ds snapshot-delete d nosuch 2>&1)
expect_match "unknown snapshot" "snapshot 'nosuch' does not exist for domain 'd'" "$out"
for bad in "a/b" ".x" "-x"; do
    out=$(ds snapshot-delete d -- "$bad" 2>&1)
    expect_match "name '$bad' refused" "snapshot name '$bad' must not" "$out"
done
printf '{ "name": "s3",\n  "oops": ,\n}\n' >"$snapdir/s3/snapshot.json.bad"
cp "$snapdir/s3/snapshot.json" "$T/s3.json"
mkdir -p "$snapdir/broken"
printf '{ "name": "broken",\n  "domain": ,\n}\n' >"$snapdir/broken/snapshot.json"
out=$(ds snapshot-list d 2>&1)
expect_match "a hand-broken record: located error" "broken/snapshot.json:2:[0-9]+: invalid JSON" "$out"
expect_match "a hand-broken record: the others still list" " s3 " "$out"
rm -rf "$snapdir/broken" "$snapdir/s3/snapshot.json.bad"
check "destroy" ds destroy d
out=$(ds undefine d 2>&1) && not_ok "undefine of a domain with snapshots is refused (it was not)" ||
    expect_match "undefine of a domain with snapshots is refused, naming them" \
        "domain 'd' has [0-9]* snapshots* (.*s3.*): undefine would remove their files" "$out"
expect_match "  and the domain is still there" "^d " "$(ds list)"
check_images "at the end"
finish
