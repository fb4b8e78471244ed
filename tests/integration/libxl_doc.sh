#!/bin/sh
# The libxl snapshot document's examples, run as that document writes them
# (its paths moved into the test's directory) on the real test guest: the
# four creates (default name, -n NAME, an external config with memory = "yes"
# and a disk = [ 'hda=PATH,type=qcow2', ... ] under <domain_uuid>, an
# internal disk-only config with creationtime), the three list forms, delete
# and revert with -n. After each revert the guest's counter (RAM) and disk
# markers are read back; the files the delete removes must be gone; bad
# input is refused, located, and creates nothing.
. "$(dirname "$0")/lib.sh"
setup
cd "$T" || exit 1

qemu-img create -q -f qcow2 "$T/hda.qcow2" 64M
qemu-img create -q -f qcow2 "$T/hdc.qcow2" 64M
write_cfg web1 "$T/hda.qcow2,qcow2,hda" "$T/hdc.qcow2,qcow2,hdc"
check "create web1 (disks hda and hdc, qcow2)" ds create "$T/web1.cfg"
guest_wait web1.sock ping >/dev/null

snapdir="$T/state/lib/domains/web1/snapshots"
# mark N: counter N in RAM, markers MN-hda and MN-hdc on the disks.
mark() { guest web1.sock "set $1" "disk-write vda M$1-hda" "disk-write vdb M$1-hdc" >/dev/null; }
state() { echo $(guest_wait web1.sock get "disk-read vda" "disk-read vdb"); }
record() { python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
for k in sys.argv[2:]: r=r[k] if not isinstance(r, list) else r[int(k)]
print(str(r).lower() if isinstance(r, bool) else r)' "$snapdir/$@"; }
current_disk() {
    python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["config"]
print([d["pdev_path"] for d in c["disks"] if d["vdev"]==sys.argv[2]][0])' \
        "$T/state/lib/domains/web1/domain.json" "$1"
}
uuid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["c_info"]["uuid"])' \
    "$T/state/lib/domains/web1/domain.json")
expect_match "the domain has a UUID" '^[0-9a-f]{8}-[0-9a-f]{4}-' "$uuid"
internal_tags() { qemu-img snapshot -l -U "$1" | awk 'NR > 2 { print $2 }' | sort | tr '\n' ' '; }
names() { ls "$snapdir" 2>/dev/null | sort | tr '\n' ' '; }

# ---- create, 1: no config, the default name (epoch seconds), internal disks
mark 1
t0=$(date +%s)
out=$(ds snapshot-create web1 2>&1)
t1=$(date +%s)
expect_match "create 1: snapshot-create DOM" "^Snapshot '[0-9]+' of domain 'web1' created" "$out"
first=$(echo "$out" | sed -n "s/^Snapshot '\([0-9]*\)'.*/\1/p")
expect_eq "create 1: the name is the creation time in epoch seconds" yes \
    "$([ -n "$first" ] && [ "$first" -ge "$t0" ] && [ "$first" -le "$t1" ] && echo yes)"
expect_eq "create 1: recorded with that creation time" "$first" "$(record "$first/snapshot.json" creation_time)"
expect_eq "create 1: both disks internal" "internal internal" \
    "$(record "$first/snapshot.json" disks 0 kind) $(record "$first/snapshot.json" disks 1 kind)"

# ---- create, 2: -n NAME DOM
mark 2
check "create 2: snapshot-create -n domain_snapshot_name web1" \
    ds snapshot-create -n domain_snapshot_name web1
both=$(printf '%s\n' "$first" domain_snapshot_name | sort | tr '\n' ' ')
expect_eq "create 2: hda's image holds both internal snapshots" "$both" "$(internal_tags "$T/hda.qcow2")"
expect_eq "create 2: hdc's image holds both internal snapshots" "$both" "$(internal_tags "$T/hdc.qcow2")"

# ---- create, 3: the internal disk snapshot config (no memory key)
cat >snapshot_internal <<'CFG'
name = "disk_snapshot"
description = "internal, disks only"
creationtime = "1397207580"
type = "internal"
CFG
mark 3
check "create 3: snapshot-create web1 snapshot_internal" ds snapshot-create web1 snapshot_internal
expect_eq "create 3: creationtime kept as the record's creation time" 1397207580 \
    "$(record disk_snapshot/snapshot.json creation_time)"
expect_eq "create 3: no memory saved (a disk snapshot)" no \
    "$(record disk_snapshot/snapshot.json memory kind)"
expect_eq "create 3: crash-consistent, as the domain was running" true \
    "$(record disk_snapshot/snapshot.json crash_consistent)"
expect_match "create 3: internal in hda's image" " disk_snapshot " " $(internal_tags "$T/hda.qcow2")"
expect_match "create 3: internal in hdc's image" " disk_snapshot " " $(internal_tags "$T/hdc.qcow2")"
info=$(ds snapshot-info web1 disk_snapshot)
expect_match "create 3: snapshot-info says it is crash-consistent" \
    "Consistency: +crash-consistent \(disks only, taken while the domain was running\)" "$info"
expect_match "create 3: snapshot-info: the domain was running" "Domain state: +running" "$info"

# ---- create, 4: the external config: memory = "yes", an overlay per disk
# under a directory named after the domain's UUID
cat >snapshot_external <<CFG
name = "external_snapshot"
description = "memory and an overlay per disk"
memory = "yes"
type = "external"
disk = [ 'hda=$T/snapshots/<domain_uuid>/hda.qcow2,type=qcow2',
         'hdc=$T/snapshots/<domain_uuid>/hdc.qcow2,type=qcow2' ]
CFG
mark 4
check "create 4: snapshot-create web1 snapshot_external" ds snapshot-create web1 snapshot_external
ovl="$T/snapshots/$uuid"
expect_eq "create 4: <domain_uuid> is the domain's UUID; its directory is 0700" 700 \
    "$(stat -c %a "$ovl" 2>&1)"
expect_eq "create 4: the domain now runs on the overlays" "$ovl/hda.qcow2 $ovl/hdc.qcow2" \
    "$(current_disk hda) $(current_disk hdc)"
chain=$(qemu-img info -U --backing-chain "$ovl/hda.qcow2")
expect_match "create 4: hda's overlay is backed by hda's image" \
    "image: $ovl/hda.qcow2 .*backing file: $T/hda.qcow2 .*image: $T/hda.qcow2" "$(echo $chain)"
expect_match "create 4: hdc's overlay is backed by hdc's image" "backing file: $T/hdc.qcow2" \
    "$(qemu-img info -U "$ovl/hdc.qcow2")"
mem="$snapdir/external_snapshot/memory.img"
expect_eq "create 4: memory = yes: the image at the default place, 0600" 600 "$(stat -c %a "$mem" 2>&1)"
expect_eq "create 4: recorded as external memory, external disks" "external external external" \
    "$(record external_snapshot/snapshot.json memory kind) $(record external_snapshot/snapshot.json disks 0 kind) $(record external_snapshot/snapshot.json disks 1 kind)"
mark 5
expect_eq "the guest runs on, on the overlays" "5 M5-hda M5-hdc" "$(state)"

# ---- list, 1: the short form
list=$(ds snapshot-list web1)
expect_eq "list 1: name, the domain's state, disk-only, for each" \
    "$(printf '%s\n' "$first:running:no" domain_snapshot_name:running:no \
        disk_snapshot:running:yes external_snapshot:running:no | sort | tr '\n' ' ')" \
    "$(echo "$list" | sed 's/^\*//' | awk 'NR > 2 { print $1 ":" $5 ":" $6 }' | sort | tr '\n' ' ')"
expect_match "list 1: the creation time is creationtime's" \
    "disk_snapshot +$(date -d @1397207580 '+%Y-%m-%d %H:%M:%S %z' | sed 's/+/[+]/')" "$list"
expect_match "list 1: the columns" "Name +Creation Time +State +Disk-only" "$list"

# ---- list, 2: -l DOM NAME: everything about one snapshot
one=$(ds snapshot-list -l web1 domain_snapshot_name)
expect_eq "list 2: one record, the one named, in full" \
    "domain_snapshot_name running external internal,internal web1" \
    "$(echo "$one" | python3 -c 'import json,sys; r=json.load(sys.stdin)
print(r["name"], r["domain_state"], r["memory"]["kind"], ",".join(d["kind"] for d in r["disks"]), r["config"]["c_info"]["name"])' 2>&1)"

# ---- list, 3: -l DOM: everything about every snapshot
all=$(ds snapshot-list -l web1)
expect_eq "list 3: every record, in full" \
    "$(printf '%s\n' "$first" domain_snapshot_name disk_snapshot external_snapshot | sort | tr '\n' ' ')" \
    "$(echo "$all" | python3 -c 'import json,sys
text=sys.stdin.read(); d=json.JSONDecoder(); i=0; out=[]
while True:
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    r, i = d.raw_decode(text, i); assert "config" in r; out.append(r["name"])
print(" ".join(sorted(out)) + " ")' 2>&1)"

# ---- revert, 1: -n NAME DOM (its images are frozen under the overlays, so
# the internal snapshot is copied out)
check "revert 1: snapshot-revert -n domain_snapshot_name web1" \
    ds snapshot-revert -n domain_snapshot_name web1
expect_eq "revert 1: counter and markers of domain_snapshot_name" "2 M2-hda M2-hdc" "$(state)"
mark 6

# ---- delete: -n NAME DOM
there=""
for f in "$mem" "$ovl/hda.qcow2" "$ovl/hdc.qcow2" "$snapdir/external_snapshot/snapshot.json"; do
    [ -f "$f" ] && there="$there+"
done
expect_eq "before the delete: its memory image, overlays and record are there" "++++" "$there"
check "delete: snapshot-delete -n external_snapshot web1" ds snapshot-delete -n external_snapshot web1
left=""
for f in "$mem" "$ovl/hda.qcow2" "$ovl/hdc.qcow2" "$snapdir/external_snapshot"; do
    [ -e "$f" ] && left="$left $f"
done
expect_eq "delete: its memory image, overlays and record are gone" "" "$left"
expect_eq "delete: the domain's own images stay" "yes yes" \
    "$([ -f "$T/hda.qcow2" ] && echo yes) $([ -f "$T/hdc.qcow2" ] && echo yes)"
expect_eq "delete: snapshot-list no longer shows it" "" "$(ds snapshot-list web1 | grep ' external_snapshot ')"
expect_eq "delete: the running guest did not notice" "6 M6-hda M6-hdc" "$(state)"

# ---- revert, 2: the default-named snapshot
check "revert 2: snapshot-revert -n $first web1" ds snapshot-revert -n "$first" web1
expect_eq "revert 2: counter and markers of the first snapshot" "1 M1-hda M1-hdc" "$(state)"
expect_eq "revert 2: the domain runs on its own images again" "$T/hda.qcow2 $T/hdc.qcow2" \
    "$(current_disk hda) $(current_disk hdc)"

# ---- revert, 3: the disk snapshot: a cold boot with its disks
out=$(ds snapshot-revert -n disk_snapshot web1 2>&1)
expect_match "revert 3: a running domain needs --force for a disk snapshot" \
    "snapshot 'disk_snapshot' has no memory: .*use --force" "$out"
check "revert 3: snapshot-revert --force -n disk_snapshot web1" \
    ds snapshot-revert --force -n disk_snapshot web1
guest_wait web1.sock ping >/dev/null
expect_eq "revert 3: a fresh boot (counter 0) on disk_snapshot's disks" "0 M3-hda M3-hdc" "$(state)"

# ---- revert, 4: our DOM SNAP form still works
check "revert 4: snapshot-revert web1 domain_snapshot_name" ds snapshot-revert web1 domain_snapshot_name
expect_eq "revert 4: domain_snapshot_name again" "2 M2-hda M2-hdc" "$(state)"

# ---- bad input: refused, located, nothing created
before_names=$(names)
before_tags="$(internal_tags "$T/hda.qcow2")|$(internal_tags "$T/hdc.qcow2")"
nothing_created() { # LABEL
    expect_eq "$1: no snapshot recorded" "$before_names" "$(names)"
    expect_eq "$1: no internal snapshot taken" "$before_tags" \
        "$(internal_tags "$T/hda.qcow2")|$(internal_tags "$T/hdc.qcow2")"
    expect_eq "$1: no file made" "" "$(ls -A "$T/bad" 2>/dev/null; [ -e "$T/bad" ] && echo "$T/bad")"
}
mark 8

out=$(ds snapshot-create -n a -n b web1 2>&1); rc=$?
expect_eq "-n twice: bad usage" 2 "$rc"
expect_match "-n twice: the option is named" "snapshot-create: -n given twice \('a', then 'b'\)" "$out"
nothing_created "-n twice"
out=$(ds snapshot-revert -n domain_snapshot_name web1 disk_snapshot 2>&1); rc=$?
expect_match "revert with -n and SNAP: refused" \
    "named both by -n \('domain_snapshot_name'\) and as SNAP \('disk_snapshot'\)" "$out"
expect_eq "revert with -n and SNAP: bad usage" 2 "$rc"
out=$(ds snapshot-delete -n disk_snapshot --name disk_snapshot web1 2>&1)
expect_match "delete with --name after -n: refused" "snapshot-delete: --name given twice" "$out"
expect_match "delete with --name after -n: nothing deleted" " disk_snapshot " "$(ds snapshot-list web1)"

printf 'name = "t1"\ntype = "externel"\n' >bad_type
out=$(ds snapshot-create web1 bad_type 2>&1)
expect_match "unknown type: located, with a suggestion" \
    "^domsnap: bad_type:2:8: type must be 'internal' or 'external', not 'externel' \(did you mean 'external'\?\)" "$out"
nothing_created "unknown type"

future=$(( $(date +%s) + 86400 ))
printf 'name = "t2"\ndescription = "tomorrow"\ncreationtime = "%s"\ntype = "internal"\n' "$future" >bad_time
out=$(ds snapshot-create web1 bad_time 2>&1)
expect_match "creationtime in the future: located" \
    "^domsnap: bad_time:3:16: creationtime '$future' is in the future" "$out"
nothing_created "creationtime in the future"

printf 'name = "t3"\nmemory = "yes"\ntype = "external"\ndisk = [ %s,\n         %s ]\n' \
    "'hda=$T/bad/<domain_uuid>/hda.qcow2,type=qcow2'" "'hdz=$T/bad/<domain_uuid>/hdz.qcow2,type=qcow2'" >bad_disk
out=$(ds snapshot-create web1 bad_disk 2>&1)
expect_match "a vdev the domain lacks: located" \
    "^domsnap: bad_disk:5:10: domain 'web1' has no disk 'hdz'" "$out"
nothing_created "a vdev the domain lacks"

printf 'name = "t4"\ndisks = [ ",,hda" ]\ndisk = [ "hda=%s/bad/hda.qcow2" ]\n' "$T" >bad_mix
out=$(ds snapshot-create web1 bad_mix 2>&1)
expect_match "one disk in both disks= and disk=: located" \
    "^domsnap: bad_mix:3:10: disk 'hda' is given both by disks= \(at bad_mix:2:11\) and by disk=" "$out"
nothing_created "disk and disks for one disk"
expect_eq "after the bad input the guest is as it was" "8 M8-hda M8-hdc" "$(state)"

check "destroy" ds destroy web1
bad=""
for img in $(find "$T" -name '*.qcow2'); do
    qemu-img check -q "$img" >/dev/null 2>&1 || bad="$bad $img"
done
expect_eq "qemu-img check is clean on every image" "" "$bad"
finish
