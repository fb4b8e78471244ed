# bench/xen's measurements, inside dom0 in one Xen boot: domsnap's
# snapshot-create and snapshot-revert against the same by hand with xl
# (xl save -p + cp + xl unpause; xl destroy + cp + xl restore). For each:
# the wall time of the whole operation and the guest's pause as the guest
# saw it (guestd's 1 ms ticker: its longest stall). Lines:
#   @@ BENCH OP ROUND wall_ms=N pause_ms=N
. /guest/lib-dom0.sh

G=bench
ROUNDS=${ROUNDS:-5}
make_guest $G /tmp/bench.raw || { echo "@@ BENCH-FAILED xl create"; exit 1; }
g $G 'set 1' 'disk-write xvda X' gap >/dev/null || { echo "@@ BENCH-FAILED guest"; exit 1; }

# run OP ROUND COMMAND...: times COMMAND, then asks the guest for its stall
run() {
    op=$1 r=$2; shift 2
    g $G gap >/dev/null
    t0=$(now_ms)
    "$@" >/tmp/bench-op.log 2>&1 || { echo "@@ BENCH-FAILED $op"; sed 's/^/@@ #   /' /tmp/bench-op.log; }
    t1=$(now_ms)
    gap=$(g $G gap)
    case $op in
        # after a revert the guest's clock jumps by the snapshot's age: no pause figure
        *revert) echo "@@ BENCH $op $r wall_ms=$((t1 - t0))" ;;
        *) echo "@@ BENCH $op $r wall_ms=$((t1 - t0)) pause_ms=$((gap / 1000))" ;;
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
    run xl-snapshot $r xl_snapshot
    run domsnap-create $r domsnap snapshot-create $G --name b$r
    # the revert's pause is the whole operation: the old domain is gone
    run xl-revert $r xl_revert
    run domsnap-revert $r domsnap snapshot-revert $G b$r
    rm -f /tmp/xl.save /tmp/xl-disk.raw
    domsnap snapshot-delete $G b$r >/dev/null
done
xl destroy $G
