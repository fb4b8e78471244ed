#!/bin/sh
# Several domsnap processes at once on two domains (creates, deletes,
# reads, pause/unpause): afterwards every domain's record and snapshot tree
# is what the operations say, and check finds nothing (tests/stress-records.sh).
. "$(dirname "$0")/lib.sh"
setup

for dom in sa sb; do
    qemu-img create -q -f qcow2 "$T/$dom.qcow2" 64M
    write_cfg $dom "$T/$dom.qcow2,qcow2,xvda"
    check "create $dom" ds create "$T/$dom.cfg"
done
guest_wait sa.sock ping >/dev/null
guest_wait sb.sock ping >/dev/null

DOMSNAP=$DOMSNAP STRESS_CREATE_ARGS="--disk-only" \
    sh "$TESTS_DIR/stress-records.sh" "${STRESS_ROUNDS:-12}" "$T/stress" sa:sa sb:sb >"$T/stress.out" 2>&1
while IFS= read -r line; do
    case "$line" in
    "PASS "*) ok "${line#PASS }" ;;
    "FAIL "*) not_ok "${line#FAIL }" ;;
    *) echo "$line" ;;
    esac
done <"$T/stress.out"
expect_eq "both guests still answer" "pong pong" "$(guest sa.sock ping) $(guest sb.sock ping)"
for dom in sa sb; do check "destroy $dom" ds destroy $dom; done
finish
