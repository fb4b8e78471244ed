# bench/xen's measurements, inside dom0 in one Xen boot: domsnap's
# snapshot-create and snapshot-revert against the same by hand with xl
# (xl save -p + cp + xl unpause; xl destroy + cp + xl restore). For each:
# the wall time of the whole operation, the guest's pause as the guest saw
# it (guestd's 1 ms ticker: its longest stall), and for domsnap's creates
# the pause domsnap recorded (suspend event to unpause). Lines:
#   @@ BENCH OP ROUND wall_ms=N [pause_ms=N] [recorded_ms=N]
# A failed operation prints @@ BENCH-FAILED and no figure.
. /guest/lib-dom0.sh

G=bench
ROUNDS=${ROUNDS:-5}
make_guest $G /tmp/bench.raw || { echo "@@ BENCH-FAILED xl create"; exit 1; }
g $G 'set 1' 'disk-write xvda X' gap >/dev/null || { echo "@@ BENCH-FAILED guest"; exit 1; }

# run OP ROUND [SNAPSHOT] -- COMMAND...: times COMMAND, then asks the guest
# for its stall (and domsnap for SNAPSHOT's recorded pause)
run() {
    op=$1 r=$2 snap=""; shift 2
    [ "$1" != -- ] && { snap=$1; shift; }
    shift
    g $G gap >/dev/null
    t0=$(now_ms)
    if ! "$@" >/tmp/bench-op.log 2>&1; then
        echo "@@ BENCH-FAILED $op $r"; sed 's/^/@@ #   /' /tmp/bench-op.log
        return 1
    fi
    t1=$(now_ms)
    gap=$(g $G gap)
    rec=""
    [ -n "$snap" ] && rec=$(domsnap snapshot-info $G $snap |
        awk '/^Guest paused:/ {printf " recorded_ms=%d", $3}')
    case $op in
        # after a revert the guest's clock jumps by the snapshot's age: no pause figure
        *revert) echo "@@ BENCH $op $r wall_ms=$((t1 - t0))" ;;
        *) echo "@@ BENCH $op $r wall_ms=$((t1 - t0)) pause_ms=$((gap / 1000))$rec" ;;
    esac
}
xl_snapshot() {
    xl save -p $G /tmp/xl.save && /usr/bin/cp --sparse=always /tmp/bench.raw /tmp/xl-disk.raw &&
        xl unpause $G
}
xl_revert() {
    xl destroy $G && /usr/bin/cp --sparse=always /tmp/xl-disk.raw /tmp/bench.raw &&
        xl restore /tmp/xl.save
}
for r in $(seq $ROUNDS); do
    run xl-snapshot $r -- xl_snapshot
    # a revert's pause is the whole operation: the old domain is gone
    if run domsnap-create $r b$r -- domsnap snapshot-create $G --name b$r; then
        run domsnap-revert $r -- domsnap snapshot-revert $G b$r
    fi
    run xl-revert $r -- xl_revert
    rm -f /tmp/xl.save /tmp/xl-disk.raw
    domsnap snapshot-delete $G b$r >/dev/null 2>&1
done
xl destroy $G

# --live, where Xen can log-dirty the guest: a PVH guest (Debian's Xen has
# no shadow paging for PV), live and not, the guest dirtying 16 MiB
G=pvhbench
make_guest $G /tmp/pvhbench.raw pvh || { echo "@@ BENCH-FAILED xl create pvh"; exit 1; }
g $G 'dirty 16' gap >/dev/null
for r in $(seq $ROUNDS); do
    run pvh-create $r p$r -- domsnap snapshot-create $G --name p$r
    run pvh-create-live $r q$r -- domsnap snapshot-create $G --name q$r --live
    domsnap snapshot-delete $G p$r >/dev/null 2>&1; domsnap snapshot-delete $G q$r >/dev/null 2>&1
done
xl destroy $G
