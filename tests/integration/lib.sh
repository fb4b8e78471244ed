# Shared helpers for the integration tests (TAP output, a real QEMU guest).
# Sourced by each test; the test calls `finish` at the end.
set -u

n=0
failed=0
T=""

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

# check DESC CMD...: passes when CMD exits 0; shows its output otherwise.
check() {
    desc=$1; shift
    if "$@" >"$T/out" 2>&1; then ok "$desc"; else not_ok "$desc"; sed 's/^/#   /' "$T/out"; fi
}

# check_fails DESC CMD...: passes when CMD exits non-zero.
check_fails() {
    desc=$1; shift
    if "$@" >"$T/out" 2>&1; then not_ok "$desc (it succeeded)"; sed 's/^/#   /' "$T/out"; else ok "$desc"; fi
}

# expect_eq DESC WANT GOT
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "#   want: $2"; echo "#   got:  $3"; fi
}

# expect_match DESC PATTERN TEXT (grep -E)
expect_match() {
    if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else not_ok "$1"; echo "#   want /$2/"; printf '%s\n' "$3" | sed 's/^/#   got:  /'; fi
}

skip_all() { echo "1..0 # SKIP $*"; exit 0; }

finish() { echo "1..$n"; [ "$failed" -eq 0 ]; }

cleanup() {
    if [ -n "$T" ] && [ -d "$T" ]; then
        for p in "$T"/state/run/*/qemu.pid; do
            [ -f "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null
        done
        rm -rf "$T"
    fi
}

setup() {
    : "${DOMSNAP:?}" "${GUESTCTL:?}" "${GUEST_DIR:?}"
    command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86_64 is not installed"
    command -v qemu-img >/dev/null || skip_all "qemu-img is not installed"
    [ -f "$GUEST_DIR/vmlinuz" ] && [ -f "$GUEST_DIR/initrd.img" ] ||
        skip_all "the test guest is not built (make guest)"
    # Short paths: unix socket names are limited to 107 bytes.
    T=$(mktemp -d /tmp/dsit.XXXXXX)
    trap cleanup EXIT
    export DOMSNAP_STATE_DIR="$T/state"
}

ds() { "$DOMSNAP" "$@"; }

# guest SOCKET-NAME CMD...: one reply line per command.
guest() { sock=$1; shift; "$GUESTCTL" "$T/$sock" "$@"; }
guest_wait() { sock=$1; shift; "$GUESTCTL" --wait 120 "$T/$sock" "$@"; }

# write_cfg NAME DISK-SPEC...: a guest config with a console log and guestd socket.
write_cfg() {
    name=$1; shift
    {
        echo "name = \"$name\""
        echo "memory = ${MEMORY:-256}"
        echo "kernel = \"$GUEST_DIR/vmlinuz\""
        echo "ramdisk = \"$GUEST_DIR/initrd.img\""
        echo "extra = \"console=ttyS0 quiet\""
        printf 'disk = [ '
        for d in "$@"; do printf "'%s', " "$d"; done
        echo ']'
        echo "serial = [ 'file:$name.console', 'unix:$name.sock' ]"
    } >"$T/$name.cfg"
}

# The state column of `domsnap list DOM`.
state_of() { ds list "$1" | awk 'NR == 2 { print $5 }'; }

qemu_count() { pgrep -f "$T/" 2>/dev/null | wc -l; }
