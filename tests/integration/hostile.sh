#!/bin/sh
# Hostile input: names that would be paths ('/', '..', a newline, 4 KiB), a
# NUL in a config, symlinks planted in the state directory, records edited
# to point outside it, and save files and memory images truncated at every
# 4 KiB boundary. Each is refused with an error that names the offending
# thing and a non-zero exit, and changes nothing: the files outside the
# state directory (content and mtime), the snapshot list, the running
# domain.
. "$(dirname "$0")/lib.sh"
setup

out=$T/outside
mkdir -p "$out/dir" "$out/snapdir"
echo "precious" >"$out/victim"
echo "precious too" >"$out/dir/file"
qemu-img create -q -f qcow2 "$out/victim.qcow2" 16M
qemu-img create -q -f qcow2 "$T/h-a.qcow2" 64M
write_cfg h "$T/h-a.qcow2,qcow2,xvda"
check "create h" ds create "$T/h.cfg"
guest_wait h.sock ping >/dev/null
check "snapshot s1 (memory and disk)" ds snapshot-create h --name s1
check "snapshot s2 (external)" ds snapshot-create h --name s2 --external
snapdir=$T/state/lib/domains/h/snapshots

# What must not change: the files outside (path, size, mtime, content) and
# the snapshots (their list and records).
outside_state() {
    find "$out" -printf '%p %s %T@\n' | sort
    find "$out" -type f -exec md5sum {} + | sort
}
snapshots_state() {
    ds snapshot-list h 2>&1
    find "$snapdir" -name snapshot.json -exec md5sum {} + | sort
}
remember() {
    outside_before=$(outside_state)
    snapshots_before=$(snapshots_state)
}
remember

# refused DESC PATTERN CMD...: CMD fails, says PATTERN (grep -E), and
# nothing outside, no snapshot and not the domain's state changed.
refused() {
    desc=$1; pattern=$2; shift 2
    if "$@" >"$T/out" 2>&1; then
        not_ok "$desc (it was accepted)"
        sed 's/^/#   /' "$T/out"
    else
        expect_match "$desc" "$pattern" "$(cat "$T/out")"
    fi
    expect_eq "$desc: nothing outside changed" "$outside_before" "$(outside_state)"
    expect_eq "$desc: the snapshots are intact" "$snapshots_before" "$(snapshots_state)"
    expect_eq "$desc: h still runs" running "$(state_of h)"
}

# ---- names ----
nl='a
b'
long=$(printf '%04096d' 0 | tr 0 x)
domain_name() { # domain_name NAME: a config for domain NAME
    printf 'name = "%s"\nkernel = "%s"\n' "$1" "$GUEST_DIR/vmlinuz" >"$T/n.cfg"
}
domain_name "a/b"
refused "domain name with '/' in a config" "domain name 'a/b' must not contain '/'" \
    ds create "$T/n.cfg"
domain_name ".."
refused "domain name '..' in a config" "domain name '\.\.' must not start with '\.'" \
    ds create "$T/n.cfg"
domain_name 'a\nb'
refused "domain name with a newline in a config" "domain name 'a.nb' must not contain" \
    ds create "$T/n.cfg"
domain_name "$long"
refused "4 KiB domain name in a config" "domain name 'x{32}\.\.\.' is longer than 255 bytes" \
    ds create "$T/n.cfg"
domain_name ok
refused "domain name '../outside' on the command line" "domain name '\.\./outside' must not" \
    ds create "$T/n.cfg" "name=../outside"
refused "domain name with a newline on the command line" "domain name 'a.nb' must not" \
    ds create "$T/n.cfg" "name=$nl"
for cmd in list dumpcfg destroy undefine snapshot-list; do
    refused "$cmd of domain '../outside'" "domain name '\.\./outside' must not|domain '\.\./outside' does not exist" \
        ds "$cmd" ../outside
    refused "$cmd of a 4 KiB domain name" "longer than 255 bytes|domain 'x+' does not exist" \
        ds "$cmd" "$long"
done
refused "snapshot name with '/'" "snapshot name 'a/b' must not contain '/'" \
    ds snapshot-create h --name a/b
refused "snapshot name '..'" "snapshot name '\.\.' must not start with '\.'" \
    ds snapshot-create h --name ..
refused "snapshot name with a newline" "snapshot name 'a.nb' must not contain" \
    ds snapshot-create h --name "$nl"
refused "4 KiB snapshot name" "snapshot name 'x{32}\.\.\.' is longer than 255 bytes" \
    ds snapshot-create h --name "$long"
printf 'name = "../../outside/victim"\n' >"$T/s.cfg"
refused "snapshot name with '/' in a snapshot config" \
    "s\.cfg:1:8: snapshot name '\.\./\.\./outside/victim' must not start with '\.'" \
    ds snapshot-create h "$T/s.cfg"
for cmd in snapshot-revert snapshot-delete snapshot-dumpxml snapshot-info; do
    refused "$cmd of snapshot '../s1'" "snapshot name '\.\./s1' must not start with '\.'" \
        ds "$cmd" h ../s1
    refused "$cmd of a 4 KiB snapshot name" "snapshot name 'x{32}\.\.\.' is longer than 255" \
        ds "$cmd" h "$long"
done

# ---- a NUL byte ----
printf 'name = "n"\nkernel = "%s"\nmem\000ory = 64\n' "$GUEST_DIR/vmlinuz" >"$T/nul.cfg"
refused "a NUL byte in a domain config" "nul\.cfg:3:4: a NUL byte" ds create "$T/nul.cfg"
printf 'name = "n1"\n\000name = "n2"\n' >"$T/nul-snap.cfg"
refused "a NUL byte in a snapshot config" "nul-snap\.cfg:2:1: a NUL byte" \
    ds snapshot-create h "$T/nul-snap.cfg"

# ---- symlinks in the state directory ----
sed 's/"name": "h"/"name": "evil"/' "$T/state/lib/domains/h/domain.json" >"$out/dir/domain.json"
ln -s "$out/dir" "$T/state/lib/domains/evil"
remember
for cmd in dumpcfg start undefine snapshot-list; do
    refused "$cmd of a domain whose directory is a symlink" \
        "'$T/state/lib/domains/evil' is a symbolic link" ds "$cmd" evil
done
rm "$T/state/lib/domains/evil"
mkdir -m 700 "$T/state/lib/domains/evil"
ln -s "$out/dir/domain.json" "$T/state/lib/domains/evil/domain.json"
remember
for cmd in dumpcfg start undefine; do
    refused "$cmd of a domain whose record is a symlink" \
        "domain\.json.*(symbolic link|Too many levels)" ds "$cmd" evil
done
rm -r "$T/state/lib/domains/evil"

# A snapshot directory that is a link to one outside, whose record names
# a memory image and an overlay there.
python3 - "$snapdir/s1/snapshot.json" "$out/snapdir/snapshot.json" "$out" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
r["name"] = "evil"
r["dir"] = sys.argv[3] + "/snapdir"
r["memory"]["file"] = sys.argv[3] + "/victim"
json.dump(r, open(sys.argv[2], "w"))
EOF
ln -s "$out/snapdir" "$snapdir/evil"
remember
for cmd in snapshot-revert snapshot-dumpxml snapshot-info; do
    refused "$cmd of a snapshot whose directory is a symlink" \
        "'$snapdir/evil' is a symbolic link" ds "$cmd" h evil
done
# (a listing skips the link: to delete, there is no such snapshot)
refused "snapshot-delete of a snapshot whose directory is a symlink" \
    "'$snapdir/evil' is a symbolic link|snapshot 'evil' does not exist" ds snapshot-delete h evil
rm "$snapdir/evil"

# ---- records edited to point outside ----
# edit SNAP FIELD=VALUE...: a copy of s1's record as SNAP, edited: no
# memory and no disk snapshotted unless said.
edit() {
    snap=$1; shift
    mkdir -m 700 "$snapdir/$snap"
    python3 - "$snapdir/s1/snapshot.json" "$snapdir/$snap/snapshot.json" "$snap" "$@" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
r["name"] = sys.argv[3]
r["parent"] = "s2"
r["dir"] = sys.argv[2].rsplit("/", 1)[0]
r["memory"] = {"kind": "no"}
for d in r["disks"]:
    d["kind"] = "no"
for a in sys.argv[4:]:
    k, v = a.split("=", 1)
    if k == "memory":
        r["memory"] = {"kind": "external", "file": v, "bytes": 13}
    elif k == "overlay":
        d = r["disks"][0]
        d["kind"], d["overlay"] = "external", v
    elif k == "copy":
        d = r["disks"][0]
        d["kind"], d["copy"] = "copy", v
json.dump(r, open(sys.argv[2], "w"))
EOF
}
edit e-abs memory="$out/victim"
edit e-rel memory="../../../../../../outside/victim"
edit e-overlay overlay="$out/victim.qcow2"
edit e-copy copy="$out/dir/file"
remember
refused "delete of a snapshot whose memory image is outside (absolute)" \
    "memory image '$out/victim' is not a domsnap memory image" ds snapshot-delete h e-abs
refused "delete of a snapshot whose memory image is outside (relative)" \
    "memory image '\.\./\.\./\.\./\.\./\.\./\.\./outside/victim' is not an absolute path" \
    ds snapshot-delete h e-rel
refused "delete of a snapshot whose overlay is outside" \
    "overlay '$out/victim\.qcow2' of disk 'xvda' is not built on" ds snapshot-delete h e-overlay
refused "delete of a snapshot whose copy is outside" \
    "copy '$out/dir/file' of disk 'xvda' is not in" ds snapshot-delete h e-copy
for s in e-abs e-rel e-overlay e-copy; do rm -r "${snapdir:?}/$s"; done
remember

# ---- truncated memory images ----
# cuts SIZE: the 4 KiB boundaries below SIZE, from the end down to 0: all
# of them with HOSTILE_EVERY_CUT=1 (some 20,000 runs of domsnap for the
# test guest's 80 MiB image: an hour on a loaded machine); otherwise every
# one in the first and in the last 256 KiB (the header, the stream's
# start, its end) and 128 spread evenly between them.
cuts() {
    python3 - "$1" "${HOSTILE_EVERY_CUT:-0}" <<'EOF'
import sys
size, every = int(sys.argv[1]), sys.argv[2] == "1"
last = (size - 1) // 4096
picked = set(range(last + 1)) if every else set(range(min(64, last + 1)))
if not every:
    picked |= set(range(max(0, last - 63), last + 1))
    picked |= {64 + (last - 128) * i // 128 for i in range(128) if last > 128}
for k in sorted(picked, reverse=True):
    print(k * 4096)
EOF
}

# truncations FILE CMD...: CMD (which uses FILE) on FILE cut at each of
# cuts' boundaries; it must fail every time, naming FILE. Prints the sizes
# at which it did not.
truncations() {
    file=$1; shift
    for cut in $(cuts "$(stat -c %s "$file")"); do
        truncate -s "$cut" "$file"
        if "$@" >"$T/out" 2>&1 || ! grep -qF "'$file'" "$T/out"; then
            echo "$cut: $(cat "$T/out")"
        fi
    done
}

cp "$snapdir/s1/memory.img" "$T/s1-memory.img"
bad=$(truncations "$snapdir/s1/memory.img" ds snapshot-revert h s1)
expect_eq "revert from a memory image cut at 4 KiB boundaries fails, naming it" "" "$bad"
cp "$T/s1-memory.img" "$snapdir/s1/memory.img"
rm "$T/s1-memory.img"
remember
expect_eq "after the truncated reverts, h still runs" running "$(state_of h)"
expect_eq "after the truncated reverts, no second QEMU" 1 "$(qemu_count)"

check "save h" ds save h "$T/h.save"
cp "$T/h.save" "$T/cut.save"
bad=$(truncations "$T/cut.save" ds restore "$T/cut.save")
expect_eq "restore from a save file cut at 4 KiB boundaries fails, naming it" "" "$bad"
expect_eq "after the truncated restores, h is shut off" shutoff "$(state_of h)"
expect_eq "after the truncated restores, no QEMU" 0 "$(qemu_count)"
check "restore from the whole save file" ds restore "$T/h.save"
expect_eq "h runs again" running "$(state_of h)"
expect_match "its guest answers" "pong" "$(guest_wait h.sock ping)"
check "revert to s1 from its intact image" ds snapshot-revert h s1
expect_match "s1's guest answers" "pong" "$(guest_wait h.sock ping)"
expect_eq "nothing outside changed in the end" "$outside_before" "$(outside_state)"

check "destroy h" ds destroy h
finish
