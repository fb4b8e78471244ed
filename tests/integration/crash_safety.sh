#!/bin/sh
# domsnap killed (SIGKILL) before each step of create, revert and delete;
# then `domsnap check` finds it and `check --repair` finishes or undoes it:
# no half snapshot is listed, every listed snapshot reverts correctly, and
# the domain's disks hold everything written before the kill.
. "$(dirname "$0")/lib.sh"
setup

qemu-img create -q -f qcow2 "$T/c-a.qcow2" 64M
qemu-img create -q -f raw "$T/c-b.raw" 16M
write_cfg c "$T/c-a.qcow2,qcow2,xvda" "$T/c-b.raw,raw,xvdb"
check "create" ds create "$T/c.cfg"
guest_wait c.sock "set 41" "disk-write vda A-vda" "disk-write vdb A-vdb" >/dev/null
state() { echo $(guest_wait c.sock get "disk-read vda" "disk-read vdb"); }
disks() { python3 -c 'import json,sys; print([d["pdev_path"] for d in json.load(open(sys.argv[1]))["config"]["disks"]])' "$T/state/lib/domains/c/domain.json"; }

# killed_then_repaired LABEL OP:STEP CMD...: the command dies at the step;
# check sees it, --repair mends it, check is then clean.
killed_then_repaired() {
    label=$1; at=$2; shift 2
    DOMSNAP_TEST_KILL_AT_STEP=$at "$DOMSNAP" "$@" >/dev/null 2>&1
    expect_eq "$label: domsnap was killed at $at" 137 "$?"
    out=$(ds check c 2>&1); rc=$?
    expect_eq "$label: check finds it (exit 1)" 1 "$rc"
    expect_match "$label: check names it" "interrupted ${at%%:*} of '.*' \(at step '" "$out"
    check "$label: check --repair" ds check c --repair
    check "$label: check is clean afterwards" ds check c
}

original=$(disks)
for mode in "" "--live=background"; do
    steps="prepare $(ds snapshot-create c --name k --dry-run $mode | sed -n 's/^plan: //p' | tr -d ',')"
    for step in $steps; do
        label="create ${mode:-non-live}, killed before $step"
        killed_then_repaired "$label" "snapshot-create:$step" snapshot-create c --name k $mode
        expect_eq "$label: no half snapshot listed" "" "$(ds snapshot-list c | grep ' k ')"
        expect_eq "$label: no internal snapshot left" "" "$(qemu-img snapshot -l -U "$T/c-a.qcow2" | grep ' k ')"
        expect_eq "$label: domain running on its original disks" "running $original" \
            "$(state_of c) $(disks)"
        expect_eq "$label: the guest's memory and disks are intact" "41 A-vda A-vdb" "$(state)"
    done
done

# A shut-off domain's create works on the image files.
check "destroy for the offline create" ds destroy c
for step in prepare create-overlays offline-internal write-record; do
    label="create offline, killed before $step"
    killed_then_repaired "$label" "snapshot-create:$step" snapshot-create c --name k
    expect_eq "$label: no half snapshot listed" "" "$(ds snapshot-list c | grep ' k ')"
    expect_eq "$label: no internal snapshot left" "" "$(qemu-img snapshot -l "$T/c-a.qcow2" | grep ' k ')"
    expect_eq "$label: domain shut off on its original disks" "shutoff $original" \
        "$(state_of c) $(disks)"
done
check "start again" ds start c
expect_eq "the disks are intact" "A-vda A-vdb" "$(echo $(guest_wait c.sock "disk-read vda" "disk-read vdb"))"
guest c.sock "set 41" >/dev/null

# Snapshots to revert to and to delete; then changes after them.
check "snapshot s (memory + disks)" ds snapshot-create c --name s
guest c.sock "set 50" "disk-write vda B-vda" "disk-write vdb B-vdb" >/dev/null
check "snapshot t (external)" ds snapshot-create c --name t --external
guest c.sock "set 60" "disk-write vda C-vda" "disk-write vdb C-vdb" >/dev/null

for step in stop disks start record done; do
    label="revert, killed before $step"
    killed_then_repaired "$label" "snapshot-revert:$step" snapshot-revert c s
    if [ "$step" = done ]; then
        expect_eq "$label: the revert had finished and stays" "41 A-vda A-vdb" "$(state)"
    else
        expect_eq "$label: rolled back, shut off" shutoff "$(state_of c)"
        check "$label: start" ds start c
        expect_eq "$label: the disks hold what was written before the kill" "C-vda C-vdb" \
            "$(echo $(guest_wait c.sock "disk-read vda" "disk-read vdb"))"
    fi
    expect_eq "$label: no keep-tag left behind" "" \
        "$(qemu-img snapshot -l -U "$T/c-a.qcow2" | grep domsnap-before-revert)"
    check "$label: revert to t" ds snapshot-revert c t
    expect_eq "$label: t is intact" "50 B-vda B-vdb" "$(state)"
    guest c.sock "set 60" "disk-write vda C-vda" "disk-write vdb C-vdb" >/dev/null
done

check "snapshot u" ds snapshot-create c --name u --external
killed_then_repaired "delete, killed before it" "snapshot-delete:delete" snapshot-delete c t
expect_eq "delete: the repair finished it" "" "$(ds snapshot-list c | grep ' t ')"
for sc in s=41:A u=60:C; do
    s=${sc%%=*}; rest=${sc#*=}
    check "every listed snapshot reverts: $s" ds snapshot-revert c "$s"
    expect_eq "$s reads back" "${rest%%:*} ${rest#*:}-vda ${rest#*:}-vdb" "$(state)"
done
check "destroy" ds destroy c
bad=""
for img in $(find "$T" -name '*.qcow2'); do qemu-img check -q "$img" >/dev/null 2>&1 || bad="$bad $img"; done
expect_eq "qemu-img check is clean on every image" "" "$bad"
finish
