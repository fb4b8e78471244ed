#!/bin/sh
# The devices a domain config gives a real guest: VNC (RFB handshake on
# 127.0.0.1, a QMP screendump), a user-mode NIC with a port forward and the
# recorded MAC (the same after destroy + start), an empty cdrom and one with
# an ISO, the guest agent's channel, create --dry-run, dumpcfg (its output
# creates the same domain), UEFI (OVMF, its NVRAM a private qcow2 in the
# domain's directory, snapshotted and reverted like a disk), and NICs on a
# Linux bridge and on an existing tap, inside a network namespace the test
# makes.
. "$(dirname "$0")/lib.sh"
setup
command -v python3 >/dev/null || skip_all "python3 is not installed (QMP and RFB checks)"

# qmp DOM COMMAND [ARGS-JSON]: the command's "return", as JSON.
cat >"$T/qmp.py" <<'EOF'
import json, socket, sys
rec = json.load(open(sys.argv[1]))
s = socket.socket(socket.AF_UNIX)
s.connect(rec["qmp_socket"])
f = s.makefile("rw")
def send(cmd, args=None):
    m = {"execute": cmd}
    if args is not None:
        m["arguments"] = args
    f.write(json.dumps(m) + "\n")
    f.flush()
    while True:
        r = json.loads(f.readline())
        if "return" in r or "error" in r:
            return r
f.readline()
send("qmp_capabilities")
r = send(sys.argv[2], json.loads(sys.argv[3]) if len(sys.argv) > 3 else None)
print(json.dumps(r.get("return", r.get("error"))))
EOF
record() { echo "$T/state/lib/domains/$1/domain.json"; }
qmp() { dom=$1; shift; python3 "$T/qmp.py" "$(record "$dom")" "$@"; }
hmp() { qmp "$1" human-monitor-command "{\"command-line\": \"$2\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin))'; }
# field DOM PYTHON-EXPRESSION-ON-r: a value from the domain's record.
field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$(record "$1")"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- VNC, a user-mode NIC, cdroms, USB tablet, guest agent channel ----
qemu-img create -q -f qcow2 "$T/dev.qcow2" 64M
echo "domsnap cdrom" >"$T/readme.txt"
if command -v genisoimage >/dev/null; then
    genisoimage -quiet -V DSTEST -o "$T/media.iso" "$T/readme.txt"
else
    # Any file is media to QEMU; a real ISO 9660 needs genisoimage.
    dd if=/dev/zero of="$T/media.iso" bs=2048 count=16 2>/dev/null
fi
fwd=$(free_port)
write_cfg dev "$T/dev.qcow2,qcow2,xvda" ",,hdc,cdrom" "$T/media.iso,,hdd,cdrom"
cat >>"$T/dev.cfg" <<EOF
vnc = 1
vif = [ 'model=e1000,hostfwd=tcp::$fwd-:22' ]
usbdevice = [ 'tablet' ]
guest_agent = 1
on_crash = "preserve"
device_model_args = [ '-rtc', 'base=utc' ]
EOF

out=$(ds create --dry-run "$T/dev.cfg" 2>&1)
expect_match "create --dry-run prints QEMU's command line" "^qemu-system-x86_64 " "$out"
expect_eq "  with the device_model_args last" "-rtc base=utc" "$(echo "$out" | tail -n 1 | sed 's/^ *//')"
expect_match "  with VNC on 127.0.0.1" "-vnc 127\\.0\\.0\\.1:0,to=99" "$out"
expect_match "  with the cdroms on IDE" "-device ide-cd,id=ds-cd1,drive=ds-cd1-fmt,bus=ide.1,unit=1" "$out"
expect_eq "  and starts nothing" 0 "$(qemu_count)"
expect_eq "  and records nothing" "" "$(ls "$T/state/lib/domains")"

check "create with vnc, a vif, two cdroms, a tablet and the agent channel" ds create "$T/dev.cfg"
expect_eq "guestd answers" "pong" "$(guest_wait dev.sock ping)"

mac=$(field dev 'r["config"]["nics"][0]["mac"]')
expect_match "a MAC was made (Xen's OUI, as xl) and recorded" "^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}\$" "$mac"
expect_match "the recorded vif is user-mode, restricted" \
    "^user on \['tcp:127.0.0.1:$fwd-:22'\]\$" \
    "$(field dev 'r["config"]["nics"][0]["type"], r["config"]["nics"][0]["restrict"], r["config"]["nics"][0]["hostfwd"]')"
net=$(hmp dev "info network")
expect_match "QEMU's NIC is an e1000 with the recorded MAC" "model=e1000,macaddr=$mac" "$net"
expect_match "on a restricted user-mode network" "type=user,.*restrict=on" "$net"
expect_match "the forward is on 127.0.0.1" "TCP.HOST_FORWARD.*127\.0\.0\.1 +$fwd " "$(hmp dev 'info usernet')"
check "the forwarded port accepts a connection" \
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $fwd), 5).close()"

vnc=$(qmp dev query-vnc)
expect_match "VNC listens on 127.0.0.1 only" '"host": "127.0.0.1"' "$vnc"
port=$(echo "$vnc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["service"])')
expect_eq "the VNC server speaks RFB 3.8" "b'RFB 003.008\\n'" \
    "$(python3 -c "import socket; s=socket.create_connection(('127.0.0.1', $port), 5); print(s.recv(12))")"
qmp dev screendump "{\"filename\": \"$T/screen.ppm\"}" >/dev/null
expect_eq "a QMP screendump writes the screen (stdvga)" "P6" "$(head -c 2 "$T/screen.ppm" 2>/dev/null)"
expect_match "the USB tablet is there" "QEMU USB Tablet" "$(hmp dev 'info usb')"

blk=$(qmp dev query-block)
cds=$(echo "$blk" | python3 -c '
import json,sys
for b in json.load(sys.stdin):
    if b.get("qdev","").startswith("ds-cd"):
        i = b.get("inserted")
        print(b["qdev"], b["removable"], i["file"] if i else "empty", i["ro"] if i else "-")')
expect_eq "query-block: an empty cdrom and one with the ISO, read-only" \
    "ds-cd0 True empty - ds-cd1 True $T/media.iso True" "$(echo $cds)"
expect_eq "cdroms are not disks: snapshots leave them out" "['xvda']" \
    "$(field dev '[d["vdev"] for d in r["config"]["disks"]]')"
check "the guest agent's channel has its socket in the run dir" \
    test -S "$T/state/run/$(field dev 'r["id"]')/org.qemu.guest_agent.0.sock"
expect_match "on_crash gives the guest a pvpanic device" "pvpanic" "$(hmp dev 'info qtree')"

# ---- vncviewer, cd-insert / cd-eject, and what a revert does to them ----
expect_eq "vncviewer --print gives the display's address" "127.0.0.1::$port" \
    "$(ds vncviewer dev --print)"
# media CDROM-QDEV: what the running QEMU has in it
media() { qmp dev query-block | python3 -c '
import json,sys
for b in json.load(sys.stdin):
    if b.get("qdev") == sys.argv[1]:
        print(b["inserted"]["file"] if b.get("inserted") else "empty")' "$1"; }
cp "$T/media.iso" "$T/other.iso"
check "cd-insert dev hdc other.iso" ds cd-insert dev hdc "$T/other.iso"
expect_eq "  QEMU has it in the drive" "$T/other.iso" "$(media ds-cd0)"
expect_eq "  and the record keeps it" "$T/other.iso" \
    "$(field dev '[c.get("pdev_path") for c in r["config"]["cdroms"] if c["vdev"] == "hdc"][0]')"
guest dev.sock "set 7" >/dev/null
check "snapshot with the ISO in hdc" ds snapshot-create dev --name cd1
check "cd-eject dev hdc" ds cd-eject dev hdc

# ---- --quiesce where no agent answers (the test guest runs none) ----
out=$(DOMSNAP_AGENT_TIMEOUT=2 DOMSNAP_AGENT_THAW_WAIT=2 ds snapshot-create dev --name q --quiesce 2>&1)
expect_match "--quiesce with no agent answering fails, saying so" \
    "freeze-fs failed.*guest agent did not answer .* within 2000 ms" "$out"
expect_eq "  and takes nothing" "" "$(ls "$T/state/lib/domains/dev/snapshots" | grep '^q$')"
expect_eq "  the guest runs on" pong "$(guest dev.sock ping)"
expect_eq "  qemu-img snapshot -l has no 'q'" "" \
    "$(qemu-img snapshot -U -l "$T/dev.qcow2" | awk '$2 == "q"')"
expect_eq "  the drive is empty" "empty" "$(media ds-cd0)"
out=$(ds cd-insert dev hdx "$T/other.iso" 2>&1)
expect_match "cd-insert into a drive the domain lacks names it and its cdroms" \
    "domain 'dev' has no cdrom 'hdx' \(its cdroms: hdc, hdd\)" "$out"
out=$(ds cd-insert dev hdc "$T/nosuch.iso" 2>&1)
expect_match "cd-insert of a missing file is refused, naming it" "nosuch.iso' is not a file" "$out"
expect_eq "  and changes nothing" "empty" "$(media ds-cd0)"
check "revert to the snapshot" ds snapshot-revert dev cd1
expect_eq "after the revert the ISO is back in hdc (QEMU)" "$T/other.iso" "$(media ds-cd0)"
expect_eq "  and in the record" "$T/other.iso" \
    "$(field dev '[c.get("pdev_path") for c in r["config"]["cdroms"] if c["vdev"] == "hdc"][0]')"
expect_eq "  the guest's memory too" 7 "$(guest_wait dev.sock get)"
rm -f "$T/screen2.ppm"
qmp dev screendump "{\"filename\": \"$T/screen2.ppm\"}" >/dev/null
expect_eq "a screendump after the revert writes the screen" "P6" "$(head -c 2 "$T/screen2.ppm" 2>/dev/null)"
port=$(qmp dev query-vnc | python3 -c 'import json,sys; print(json.load(sys.stdin)["service"])')
expect_eq "the VNC server answers after the revert" "b'RFB 003.008\\n'" \
    "$(python3 -c "import socket; s=socket.create_connection(('127.0.0.1', $port), 5); print(s.recv(12))")"
check "cd-eject dev hdc" ds cd-eject dev hdc

check "destroy" ds destroy dev
check "start again" ds start dev
expect_eq "guestd answers after start" "pong" "$(guest_wait dev.sock ping)"
expect_match "the MAC is the same after destroy + start" "macaddr=$mac" "$(hmp dev 'info network')"
expect_eq "and still the recorded one" "$mac" "$(field dev 'r["config"]["nics"][0]["mac"]')"

ds dumpcfg dev >"$T/dump.cfg"
expect_match "dumpcfg prints the config as xl.cfg" "^name = \"dev\"" "$(cat "$T/dump.cfg")"
expect_match "  with the recorded MAC" "vif = \[ \"mac=$mac,type=user,model=e1000" "$(cat "$T/dump.cfg")"
check "destroy dev (its disk is dev2's too)" ds destroy dev
check "dumpcfg's output creates a domain" ds create "$T/dump.cfg" name=dev2
expect_eq "  the same domain (dumpcfg of both differ in the name only)" \
    "$(ds dumpcfg dev | sed 1d)" "$(ds dumpcfg dev2 | sed 1d)"
expect_match "  with the same MAC in QEMU" "macaddr=$mac" "$(hmp dev2 'info network')"
check "destroy dev2" ds destroy dev2
check "undefine dev2" ds undefine dev2

# ---- UEFI: OVMF, with the NVRAM a qcow2 the snapshots take ----
if [ -f "${DOMSNAP_OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}" ]; then
    qemu-img create -q -f qcow2 "$T/efi.qcow2" 64M
    write_cfg efi "$T/efi.qcow2,qcow2,xvda"
    echo 'bios = "ovmf"' >>"$T/efi.cfg"
    check "create a UEFI domain (bios = \"ovmf\")" ds create "$T/efi.cfg"
    nv="$T/state/lib/domains/efi/nvram.qcow2"
    expect_eq "its NVRAM is in the domain's directory, 0600" 600 "$(stat -c %a "$nv" 2>&1)"
    expect_match "  a qcow2" "file format: qcow2" "$(qemu-img info -U "$nv")"
    expect_eq "  recorded as a disk of role nvram" "nvram qcow2 nvram $nv" \
        "$(field efi '" ".join(str(x) for d in r["config"]["disks"] if d["role"] == "nvram" for x in (d["vdev"], d["format"], d["role"], d["pdev_path"]))')"
    expect_match "QEMU maps it as the second flash unit" "/machine/system.flash1.*$nv" \
        "$(qmp efi query-block | python3 -c 'import json,sys; [print(b["qdev"], b["inserted"]["file"]) for b in json.load(sys.stdin) if "inserted" in b]')"
    expect_eq "the kernel boots through OVMF (guestd answers)" "pong" "$(guest_wait efi.sock ping)"
    expect_match "QEMU runs it" '"status": "running"' "$(qmp efi query-status)"
    out=$(ds snapshot-create efi --name q --quiesce 2>&1)
    expect_match "--quiesce of a domain without an agent channel is refused" \
        "domain 'efi' has no guest agent channel" "$out"
    expect_eq "  and takes nothing" "" "$(ls "$T/state/lib/domains/efi/snapshots" 2>/dev/null)"
    ino=$(stat -c %i "$nv")
    check "destroy the UEFI domain" ds destroy efi
    check "the NVRAM passes qemu-img check" qemu-img check -q "$nv"
    check "start it again" ds start efi
    expect_eq "  the NVRAM file was kept, not made again" "$ino $nv" \
        "$(stat -c %i "$nv") $(field efi '[d["pdev_path"] for d in r["config"]["disks"] if d["role"] == "nvram"][0]')"
    expect_eq "  guestd answers" "pong" "$(guest_wait efi.sock ping)"

    guest efi.sock "set 41" >/dev/null
    check "snapshot (internal) of the UEFI domain" ds snapshot-create efi --name e1
    expect_match "  the NVRAM is snapshotted like a disk" "nvram:internal" "$(ds snapshot-list efi)"
    expect_match "  inside its qcow2" " e1 " "$(qemu-img snapshot -U -l "$nv")"
    guest efi.sock "set 42" >/dev/null
    check "snapshot (external) of the UEFI domain" ds snapshot-create efi --name e2 --external
    expect_match "  the NVRAM gets an overlay" "nvram:external" "$(ds snapshot-list efi)"
    check "revert to the internal snapshot" ds snapshot-revert efi e1
    expect_eq "  the guest is back at 41" 41 "$(guest_wait efi.sock get)"
    check "revert to the external snapshot" ds snapshot-revert efi e2
    expect_eq "  the guest is back at 42" 42 "$(guest_wait efi.sock get)"
    check "destroy" ds destroy efi
    for img in $(field efi '" ".join(d["pdev_path"] for d in r["config"]["disks"])'); do
        check "qemu-img check $(basename "$img")" qemu-img check -q "$img"
    done
    out=$(DOMSNAP_OVMF_CODE=/nonexistent/OVMF_CODE_4M.fd ds create "$T/efi.cfg" name=efi2 2>&1)
    expect_match "a missing OVMF names the package" "efi.cfg:[0-9]+:8: the OVMF firmware code '/nonexistent/OVMF_CODE_4M.fd' is missing \(install the 'ovmf' package\)" "$out"
    expect_eq "  and records nothing" "" "$(ls "$T/state/lib/domains" | grep efi2)"
else
    ok "# SKIP UEFI: OVMF is not installed (the 'ovmf' package)"
fi

# ---- NICs on a bridge and on an existing tap, in a network namespace ----
ns=dsit$$
if [ "$(id -u)" = 0 ] && [ -c /dev/net/tun ] && ip netns add "$ns" 2>/dev/null; then
    trap 'ip netns del "$ns" 2>/dev/null; cleanup' EXIT
    ip -n "$ns" link add br0 type bridge && ip -n "$ns" link set br0 up
    ip -n "$ns" tuntap add dev dstap0 mode tap
    write_cfg net "$T/dev.qcow2,qcow2,xvda"
    echo "vif = [ 'bridge=br0,model=virtio-net', 'vifname=dstap0,mac=00:16:3e:00:00:02' ]" >>"$T/net.cfg"
    check "create with a NIC on a bridge and one on a tap (in netns $ns)" \
        ip netns exec "$ns" "$DOMSNAP" create "$T/net.cfg"
    id=$(field net 'r["id"]')
    expect_match "domsnap's tap vif$id.0-emu is on the bridge" "vif$id.0-emu" \
        "$(ip -n "$ns" link show master br0 2>&1)"
    net=$(hmp net "info network")
    expect_match "QEMU has the virtio NIC on the tap fd" "model=virtio-net-pci,macaddr=$(field net 'r["config"]["nics"][0]["mac"]')" "$net"
    expect_match "and the NIC on the existing tap" "ifname=dstap0" "$net"
    check "destroy" ip netns exec "$ns" "$DOMSNAP" destroy net
    check "the tap left with QEMU" sh -c "! ip -n $ns link show vif$id.0-emu 2>/dev/null"
    check "the existing tap stays" ip -n "$ns" link show dstap0
    out=$(ip netns exec "$ns" "$DOMSNAP" create "$T/net.cfg" name=net2 vif="['bridge=nosuch']" 2>&1)
    expect_match "a missing bridge is refused" "vif 0: tap 'vif[0-9]+.0-emu': bridge 'nosuch' does not exist" "$out"
    expect_eq "  and records nothing" "" "$(ls "$T/state/lib/domains" | grep net2)"
else
    ok "# SKIP bridge and tap NICs: needs root, /dev/net/tun and ip netns"
fi

expect_eq "no QEMU left running" 0 "$(qemu_count)"
finish
