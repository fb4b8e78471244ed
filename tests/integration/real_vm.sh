#!/bin/sh
# A real VM: the Debian 12 guest (make guest-debian) boots from its own disk
# under SeaBIOS and under OVMF, with a virtio NIC on user-mode networking
# (restrict=on, redis forwarded to 127.0.0.1) and the guest agent. In every
# snapshot mode, state A is written to redis (guest memory) and to a file
# (guest disk), the snapshot is taken, state B is written, the domain is
# reverted, and A is read back over the network and from the disk (page
# cache dropped). Under OVMF a UEFI variable comes back too, after a cold
# boot. Every qcow2 (disks, NVRAM) passes qemu-img check.
. "$(dirname "$0")/lib.sh"
setup

IMG=${DEBIAN_IMAGE:-$GUEST_DIR/../guest-debian/debian-12.qcow2}
[ -f "$IMG" ] || skip_all "the Debian guest is not built (make guest-debian)"
command -v python3 >/dev/null || skip_all "python3 is not installed"

redis() { python3 "$TESTS_DIR/tools/redis_cmd.py" "$@"; }
gx() { python3 "$TESTS_DIR/tools/guest_exec.py" "$DOMSNAP" "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# boot DOM FIRMWARE PORT: a domain on an overlay of the image; waits until
# redis answers on PORT and the agent answers.
boot() {
    dom=$1 fw=$2 port=$3
    qemu-img create -q -f qcow2 -b "$IMG" -F qcow2 "$T/$dom.qcow2"
    cat >"$T/$dom.cfg" <<CFG
name = "$dom"
type = "hvm"
bios = "$fw"
memory = 1024
disk = [ '$T/$dom.qcow2,qcow2,xvda' ]
vif = [ 'model=virtio-net,hostfwd=tcp:127.0.0.1:$port-:6379,restrict=on' ]
guest_agent = 1
CFG
    check "$dom ($fw): create" ds create "$T/$dom.cfg"
    if redis --wait 300 "$port" PING >"$T/out" 2>&1; then
        ok "$dom ($fw): boots from its disk, redis answers over the network"
    else
        not_ok "$dom ($fw): boots from its disk, redis answers over the network"
        tail -n 20 "$T"/state/run/*/console.log | sed 's/^/#   /'
        return 1
    fi
    gx --wait 120 "$dom" true >/dev/null 2>&1
    expect_eq "$dom ($fw): the guest agent answers" 0 "$?"
}

# state_set DOM PORT VALUE: VALUE in redis (memory only: no persistence) and
# in /root/state (disk, synced).
state_set() {
    redis "$2" SET mem "$3" >/dev/null && gx "$1" "echo $3 > /root/state && sync" >/dev/null
}
# state_get DOM PORT: "MEMORY DISK", the disk read past the page cache.
state_get() {
    echo "$(redis "$2" GET mem) $(gx "$1" 'echo 3 > /proc/sys/vm/drop_caches; cat /root/state')"
}

# mode DOM PORT LABEL OPTIONS...: one snapshot mode, create and revert.
mode() {
    dom=$1 port=$2 label=$3; shift 3
    state_set "$dom" "$port" "A-$label"
    check "$dom $label: snapshot-create" ds snapshot-create "$dom" --name "$label" "$@"
    state_set "$dom" "$port" "B-$label"
    expect_eq "$dom $label: state B before the revert" "B-$label B-$label" "$(state_get "$dom" "$port")"
    check "$dom $label: snapshot-revert" ds snapshot-revert "$dom" "$label"
    redis --wait 60 "$port" PING >/dev/null 2>&1
    expect_eq "$dom $label: state A back, from memory (redis) and from disk" \
        "A-$label A-$label" "$(state_get "$dom" "$port")"
}

# A UEFI variable of the guest's (efivarfs): attributes NV+BS+RT, one byte.
VAR=/sys/firmware/efi/efivars/DomsnapTest-6e2ad7c3-1f0c-4c6f-9f43-8a1d2b3c4d5e
uefi_set() { gx "$1" "chattr -i $VAR 2>/dev/null; printf '\\007\\000\\000\\000$2' > $VAR" >/dev/null; }
uefi_get() { gx "$1" "tail -c 1 $VAR"; }

# An agent that hangs mid-freeze: a freeze hook that sleeps 20 s. The create
# times out, fails, takes nothing, and thaws the guest once the agent answers.
hang_mid_freeze() {
    dom=$1
    hook=$(printf '#!/bin/sh\nif [ "$1" = freeze ] && [ -e /root/hang ]; then sleep 20; fi\nexit 0\n' | base64 -w0)
    conf=$(printf '[general]\nfsfreeze-hook=/etc/qemu/fsfreeze-hook\n' | base64 -w0)
    old=$(gx "$dom" 'pidof qemu-ga')
    gx "$dom" "mkdir -p /etc/qemu && echo $hook | base64 -d > /etc/qemu/fsfreeze-hook &&
        chmod 755 /etc/qemu/fsfreeze-hook && echo $conf | base64 -d > /etc/qemu/qemu-ga.conf &&
        touch /root/hang && systemd-run --no-block --on-active=1 systemctl restart qemu-guest-agent" \
        >/dev/null 2>&1
    # until the agent that read the new config answers
    i=0
    while [ $i -lt 60 ]; do
        new=$(gx --wait 30 "$dom" 'pidof qemu-ga' 2>/dev/null)
        [ -n "$new" ] && [ "$new" != "$old" ] && break
        sleep 1
        i=$((i + 1))
    done
    out=$(DOMSNAP_AGENT_TIMEOUT=3 ds snapshot-create "$dom" --name hang --quiesce 2>&1)
    expect_match "$dom: an agent that hangs mid-freeze times out, and the create fails" \
        "could not be frozen.*did not answer" "$out"
    expect_eq "$dom:   nothing of it is taken" "" \
        "$(ls "$T/state/lib/domains/$dom/snapshots" | grep '^hang$')"
    expect_eq "$dom:   the guest's filesystems are thawed" '"thawed"' \
        "$(ds qemu-agent-command "$dom" '{"execute":"guest-fsfreeze-status"}' 2>&1)"
    expect_eq "$dom:   and writable" ok "$(gx "$dom" 'rm -f /root/hang && echo ok' 2>&1)"
}

firmware_suite() {
    fw=$1 dom=$2 port=$(free_port)
    boot "$dom" "$fw" "$port" || return
    if [ "$fw" = seabios ]; then
        # the guest's shell on its serial console computes the answer
        out=$( (sleep 2; printf '\necho tok$((6*7))tok\n'; sleep 5) | timeout 30 "$DOMSNAP" console "$dom")
        expect_match "$dom: domsnap console reaches the guest's serial console" "tok42tok" "$out"
    fi
    mode "$dom" "$port" default
    mode "$dom" "$port" live --live
    mode "$dom" "$port" precopy --live=precopy
    mode "$dom" "$port" external --external
    mode "$dom" "$port" internal memory=internal
    mode "$dom" "$port" quiesce --quiesce
    expect_match "$dom quiesce: snapshot-info says it was quiesced" "Quiesced: *yes" \
        "$(ds snapshot-info "$dom" quiesce)"
    out=$(gx "$dom" 'timeout 20 touch /root/thawed && echo writable' 2>&1)
    expect_eq "$dom quiesce: after the revert the guest's filesystems are thawed" writable "$out"
    if [ "$fw" = seabios ]; then
        hang_mid_freeze "$dom"
    fi
    if [ "$fw" = ovmf ]; then
        uefi_set "$dom" A
        check "$dom: snapshot-create nvram" ds snapshot-create "$dom" --name nvram
        uefi_set "$dom" B
        expect_eq "$dom: the UEFI variable changed" B "$(uefi_get "$dom")"
        check "$dom: snapshot-revert nvram" ds snapshot-revert "$dom" nvram
        expect_eq "$dom: the UEFI variable is back (memory)" A "$(uefi_get "$dom")"
        check "$dom: destroy" ds destroy "$dom"
        check "$dom: start (a cold boot: the firmware reads the NVRAM)" ds start "$dom"
        # (OVMF may reset the machine once on the way up)
        redis --wait 300 "$port" PING >/dev/null 2>&1
        expect_eq "$dom: the UEFI variable is back (NVRAM, after a cold boot)" A \
            "$(gx --wait 120 "$dom" "tail -c 1 $VAR")"
    fi
    # a guest that reboots comes back up, and stays recorded as running
    gx "$dom" 'systemctl reboot' >/dev/null 2>&1
    sleep 5
    redis --wait 300 "$port" PING >/dev/null 2>&1
    expect_eq "$dom: after the guest rebooted, redis answers again" 0 "$?"
    expect_eq "$dom: and the domain is recorded as running" running "$(state_of "$dom")"
    if [ "$fw" = seabios ]; then
        gx --wait 120 "$dom" true >/dev/null 2>&1
        check "$dom: shutdown -w (through the guest agent)" ds shutdown "$dom" -w --timeout 180
        expect_eq "$dom: shut off" shutoff "$(state_of "$dom")"
    else
        check "$dom: destroy" ds destroy "$dom"
    fi
}

firmware_suite seabios deb-bios
if [ -f /usr/share/OVMF/OVMF_CODE_4M.fd ]; then
    firmware_suite ovmf deb-uefi
else
    ok "# SKIP the ovmf suite: OVMF is not installed (the Debian package 'ovmf')"
fi

bad=""
for img in $(find "$T" -name '*.qcow2'); do
    qemu-img check -q "$img" >/dev/null 2>&1 || bad="$bad $img"
done
expect_eq "qemu-img check: every disk and NVRAM image is clean" "" "$bad"
finish
