# Helpers for the scenarios and the benchmark that run inside dom0.
# Results are printed as "@@ TAP ..." lines on the console, for the host.
export DOMSNAP_STATE_DIR=/tmp/domsnap
T=0
FAILED=0
tap() { echo "@@ TAP $*"; }
ok() { T=$((T + 1)); tap "ok $T - $*"; }
not_ok() { T=$((T + 1)); FAILED=$((FAILED + 1)); tap "not ok $T - $*"; }
# check DESCRIPTION COMMAND...: ok if the command succeeds
check() {
    d=$1; shift
    if out=$("$@" 2>&1); then ok "$d"; else not_ok "$d"; echo "$out" | sed 's/^/@@ #   /'; fi
}
# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "@@ #   expected '$2', got '$3'"; fi
}
# expect_match DESCRIPTION PATTERN TEXT
expect_match() {
    if echo "$3" | grep -q -- "$2"; then ok "$1"; else
        not_ok "$1"; echo "$3" | sed 's/^/@@ #   /'; fi
}
# The pty xenconsoled gives the domain's PV console.
tty_of() {
    id=$(xl domid "$1" 2>/dev/null) || return 1
    xenstore-read "/local/domain/$id/console/tty"
}
# g DOMAIN COMMAND...: guestd's replies, one per line
g() {
    dom=$1; shift
    t=$(tty_of "$dom") || { echo "no domain $dom"; return 1; }
    guestctl --wait 120 "$t" "$@"
}
now_ms() { awk '{printf "%d\n", $1 * 1000}' /proc/uptime; }
# A guest with one raw disk, started by xl as a Xen user would: PV, or
# with a third argument "pvh" PVH (whose TSC Xen must not trap here: QEMU's
# nested SVM cannot decode the RDTSCP intercept).
make_guest() {
    name=$1 disk=$2 type=${3:-pv} qcow2=${4:-}
    dd if=/dev/zero of="$disk" bs=1M count=0 seek=16 2>/dev/null
    cat > "/tmp/$name.cfg" <<CFG
name = "$name"
type = "$type"
kernel = "/guest/vmlinux"
ramdisk = "/guest/initrd.gz"
extra = "console=hvc0 quiet loglevel=0"
memory = 128
vcpus = 1
on_crash = "preserve"
disk = [ "format=raw, vdev=xvda, access=rw, target=$disk" ]
CFG
    [ "$type" = pvh ] && echo 'tsc_mode = "native"' >> "/tmp/$name.cfg"
    if [ -n "$qcow2" ]; then   # a second disk, qcow2, served by QEMU's qdisk
        qemu-img create -q -f qcow2 "$qcow2" 16M
        sed -i "s|^disk = .*|disk = [ \"format=raw, vdev=xvda, access=rw, target=$disk\", \"format=qcow2, vdev=xvdb, access=rw, backendtype=qdisk, target=$qcow2\" ]|" "/tmp/$name.cfg"
    fi
    # once more if xl itself dies: under TCG, glibc's robust-mutex assertion
    # has been seen to abort it once (pthread_mutex_lock.c: e != ESRCH)
    for try in 1 2; do
        xl create "/tmp/$name.cfg" >/tmp/xl-create.log 2>&1 && return 0
        echo "@@ # xl create $name failed (try $try):"; sed 's/^/@@ #   /' /tmp/xl-create.log
        xl destroy "$name" >/dev/null 2>&1
    done
    return 1
}
