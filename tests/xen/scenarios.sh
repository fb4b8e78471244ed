# The Xen scenarios, inside dom0 on a real Xen 4.17: domsnap snapshots a PV
# domain that xl started, and the guest's own agent (guestd, over the PV
# console) says what its memory and disk hold after each revert.
. /guest/lib-dom0.sh

G=guest
S=$DOMSNAP_STATE_DIR/lib/domains/$G/snapshots
make_guest $G /tmp/xvda.raw || { not_ok "xl create the PV guest"; tap "1..$T"; exit 1; }
expect_eq "the guest answers on its PV console" pong "$(g $G ping)"

# ---- non-live snapshot, then revert
expect_eq "counter 41, disk marker A" "ok
ok" "$(g $G 'set 41' 'disk-write xvda A')"
check "snapshot-create $G --name s1" domsnap snapshot-create $G --name s1
expect_eq "the guest runs on after the snapshot" 41 "$(g $G get)"
expect_eq "memory image is 0600" 600 "$(stat -c %a $S/s1/memory.img)"
expect_eq "snapshot directory is 0700" 700 "$(stat -c %a $S/s1)"
expect_eq "the disk's copy holds marker A" A "$(head -c 1 $S/s1/xvda.raw)"
expect_match "the domain is found by its domid too" "s1" "$(domsnap snapshot-list "$(xl domid $G)")"
expect_match "domsnap list shows it with its domid" "^$G  *$(xl domid $G) .*running" "$(domsnap list)"
xml=$(domsnap snapshot-dumpxml $G s1 --domain)
expect_match "snapshot-dumpxml --domain: a Xen domain, as libxl runs it" \
    "<domain type='xen'>" "$xml"
expect_match "snapshot-dumpxml --domain: a PV guest, its raw disk on blkback" \
    "machine='xenpv'>linux</type>.*<driver name='phy' type='raw'/>" "$(echo "$xml" | tr -d '\n')"
expect_match "snapshot-dumpxml: the raw disk's copy is libvirt's 'manual'" \
    "<disk name='xvda' snapshot='manual'/>" "$xml"
g $G inc 'disk-write xvda B' >/dev/null
expect_eq "changed: counter 42, marker B" "42
B" "$(g $G get 'disk-read xvda')"
id_before=$(xl domid $G)
check "snapshot-revert $G s1" domsnap snapshot-revert $G s1
expect_eq "after revert: counter 41, marker A (memory and disk of s1)" "41
A" "$(g $G get 'disk-read xvda')"
[ "$(xl domid $G)" != "$id_before" ] && ok "revert made a new domain (restored by libxl)" ||
    not_ok "revert made a new domain (restored by libxl)"
expect_eq "no image left aside" "" "$(ls /tmp/xvda.raw.domsnap-before-revert 2>/dev/null)"

# ---- live snapshot (libxl pre-copy), then revert
g $G 'set 43' 'disk-write xvda C' >/dev/null
# Debian's Xen has no shadow paging, so no log-dirty for PV guests: refused
# up front, with the reason, and nothing changes
out=$(domsnap snapshot-create $G --name pvlive --live 2>&1)
expect_match "--live on a PV guest is refused with the reason" "CONFIG_SHADOW_PAGING" "$out"
expect_eq "and nothing of it is left; the guest runs on" "43" "$(g $G get)$(ls -d $S/pvlive 2>/dev/null)"
check "snapshot-create $G --name s2" domsnap snapshot-create $G --name s2
g $G inc 'disk-write xvda D' >/dev/null
check "snapshot-revert $G s2" domsnap snapshot-revert $G s2
expect_eq "after revert: counter 43, marker C (memory and disk of s2)" "43
C" "$(g $G get 'disk-read xvda')"

# --live where Xen can track dirty memory: a PVH guest (HAP)
H=pvhguest
HS=$DOMSNAP_STATE_DIR/lib/domains/$H/snapshots
if make_guest $H /tmp/pvh.raw pvh && [ "$(g $H ping)" = pong ]; then
    ok "xl create a PVH guest"
    g $H 'set 7' 'disk-write xvda P' >/dev/null
    check "snapshot-create $H --name live1 --live" domsnap snapshot-create $H --name live1 --live
    expect_match "live1 is recorded as live (precopy)" "precopy" "$(domsnap snapshot-info $H live1)"
    expect_eq "the PVH guest runs on" 7 "$(g $H get)"
    g $H inc 'disk-write xvda Q' >/dev/null
    check "snapshot-revert $H live1" domsnap snapshot-revert $H live1
    expect_eq "after revert: counter 7, marker P (memory and disk of live1)" "7
P" "$(g $H get 'disk-read xvda')"
    check "snapshot-delete $H live1" domsnap snapshot-delete $H live1
    expect_eq "live1's files are gone" "" "$(ls $HS 2>/dev/null)"
    xl destroy $H
else
    not_ok "xl create a PVH guest"
    cat /tmp/xl-create.log | sed 's/^/@@ #   /'
fi

# ---- a qcow2 disk served by qdisk: internal snapshots through the device
# model's QMP socket; the raw disk beside it is copied
Q=qguest
QS=$DOMSNAP_STATE_DIR/lib/domains/$Q/snapshots
if make_guest $Q /tmp/q-xvda.raw pv /tmp/q-xvdb.qcow2 && [ "$(g $Q ping)" = pong ]; then
    ok "xl create a PV guest with a qcow2 disk on qdisk"
    g $Q 'set 41' 'disk-write xvda A' 'disk-write xvdb QA' >/dev/null
    check "snapshot-create $Q --name q1" domsnap snapshot-create $Q --name q1
    expect_match "xvda is copied, xvdb internal" "xvda:copy xvdb:internal" "$(domsnap snapshot-info $Q q1)"
    expect_match "qemu-img snapshot -l shows q1 in the qcow2" " q1 " "$(qemu-img snapshot -l -U /tmp/q-xvdb.qcow2)"
    g $Q inc 'disk-write xvda B' 'disk-write xvdb QB' >/dev/null
    check "snapshot-revert $Q q1" domsnap snapshot-revert $Q q1
    expect_eq "after revert: 41, A on the raw disk, QA on the qcow2" "41
A
QA" "$(g $Q get 'disk-read xvda' 'disk-read xvdb')"
    expect_eq "the revert's keep-tag is gone from the qcow2" "" \
        "$(qemu-img snapshot -l -U /tmp/q-xvdb.qcow2 | grep domsnap-before-revert)"
    out=$(domsnap snapshot-create $Q --name qx --external 2>&1)
    expect_match "--external is refused on Xen, saying why" "libxl keeps each disk's image path" "$out"
    check "snapshot-delete $Q q1 (running: through QMP)" domsnap snapshot-delete $Q q1
    expect_eq "q1 is gone from the qcow2" "" "$(qemu-img snapshot -l -U /tmp/q-xvdb.qcow2 | grep ' q1 ')"
    xl destroy $Q
    sleep 1
    check "qemu-img check of the qcow2 after all that" qemu-img check /tmp/q-xvdb.qcow2
else
    not_ok "xl create a PV guest with a qcow2 disk on qdisk"
    sed 's/^/@@ #   /' /tmp/xl-create.log
    for f in /var/log/xen/qemu-dm-$Q.log /var/log/xen/xl-$Q.log; do
        [ -e $f ] && tail -n 20 $f | sed 's/^/@@ #   /'
    done
fi

# ---- list, info, tree, current
list=$(domsnap snapshot-list $G)
expect_match "snapshot-list shows s1" "^[ *]*s1 " "$list"
expect_match "snapshot-list shows s2" "^[ *]*s2 " "$list"
expect_eq "current snapshot is s2" s2 "$(domsnap snapshot-current $G)"
expect_match "the record keeps libxl's config" '"libxl_config"' "$(cat $S/s2/snapshot.json)"
expect_match "snapshot-dumpxml calls the raw copy a 'manual' disk snapshot" \
    "<disk name='xvda' snapshot='manual'/>" "$(domsnap snapshot-dumpxml $G s2)"
expect_match "snapshot-list --tree has s2 under s1" "s2" "$(domsnap snapshot-list $G --tree)"

# ---- a paused domain stays paused
xl pause $G
check "snapshot-create of a paused domain" domsnap snapshot-create $G --name s3
expect_match "the domain is still paused" "paused" "$(domsnap list)"
xl unpause $G

# ---- revert --paused
check "snapshot-revert $G s1 --paused" domsnap snapshot-revert $G s1 --paused
expect_match "the reverted domain is paused" "paused" "$(domsnap list)"
xl unpause $G
expect_eq "and holds s1's state" "41
A" "$(g $G get 'disk-read xvda')"

# ---- a failure halfway is undone
g $G 'set 50' >/dev/null
if DOMSNAP_TEST_FAIL_AT_STEP=resume domsnap snapshot-create $G --name bad >/tmp/bad.log 2>&1; then
    not_ok "an injected failure at resume fails the create"
else
    ok "an injected failure at resume fails the create"
fi
expect_match "the error names the snapshot and the domain" "snapshot 'bad' of domain '$G'" "$(cat /tmp/bad.log)"
expect_eq "nothing of it is left" "" "$(ls -d $S/bad 2>/dev/null)"
expect_eq "the guest runs on, unchanged" 50 "$(g $G get)"
check "check finds nothing wrong" domsnap check $G

# ---- domsnap killed mid-create, inside the guest's stop: check --repair
g $G 'set 60' >/dev/null
DOMSNAP_TEST_KILL_AT_STEP=snapshot-create:resume domsnap snapshot-create $G --name k1 >/dev/null 2>&1
expect_match "killed inside the stop: the guest is left stopped" "paused" "$(domsnap list)"
expect_match "check names the interrupted create" "interrupted snapshot-create of 'k1'" "$(domsnap check $G 2>&1)"
check "check --repair rolls it back" domsnap check $G --repair
expect_match "the guest runs again" "running" "$(domsnap list)"
expect_eq "with its memory as it was, and no k1" "60" "$(g $G get)$(ls -d $S/k1 2>/dev/null)"

# ---- domsnap killed mid-revert, after the disk went back, before the restore
g $G 'disk-write xvda K' >/dev/null
DOMSNAP_TEST_KILL_AT_STEP=snapshot-revert:start domsnap snapshot-revert $G s2 >/dev/null 2>&1
expect_eq "killed mid-revert: s2's copy is in place, the image kept aside" "C K" \
    "$(head -c 1 /tmp/xvda.raw) $(head -c 1 /tmp/xvda.raw.domsnap-before-revert)"
check "check --repair rolls the revert back" domsnap check $G --repair
expect_eq "the disk is as it was before the revert, nothing left aside" "K" \
    "$(head -c 1 /tmp/xvda.raw)$(ls /tmp/xvda.raw.domsnap-before-revert 2>/dev/null)"
check "a shut-off Xen domain reverts too (restored from s2)" domsnap snapshot-revert $G s2
expect_eq "s2's state" "43
C" "$(g $G get 'disk-read xvda')"

# ---- a record that exists but cannot be read is reported, never replaced
# by the hypervisor's view of the domain (which knows no snapshots)
R=$DOMSNAP_STATE_DIR/lib/domains/$G/domain.json
cp $R /tmp/domain.json.good
head -c 100 /tmp/domain.json.good > $R
out=$(domsnap snapshot-current $G 2>&1)
expect_match "an unreadable record is an error naming the file" "domain.json:.*invalid JSON" "$out"
expect_eq "and the record is left as it was" same \
    "$(head -c 100 /tmp/domain.json.good | cmp -s - $R && echo same || echo replaced)"
cp /tmp/domain.json.good $R
expect_eq "with the record back, the current snapshot is s2 again" s2 "$(domsnap snapshot-current $G)"

# ---- bad input
out=$(domsnap snapshot-create nosuch --name x 2>&1)
expect_match "an unknown domain is named in the error" "nosuch" "$out"
out=$(domsnap snapshot-revert $G nosuch 2>&1)
expect_match "an unknown snapshot is named in the error" "nosuch" "$out"

# ---- delete
check "snapshot-delete $G s1" domsnap snapshot-delete $G s1
expect_eq "s1's files are gone" "" "$(ls -d $S/s1 2>/dev/null)"
list=$(domsnap snapshot-list $G)
if echo "$list" | grep -q "^[ *]*s1 "; then not_ok "snapshot-list no longer shows s1"; else ok "snapshot-list no longer shows s1"; fi
check "s2 still reverts after s1 is gone" domsnap snapshot-revert $G s2
expect_eq "s2's state" "43
C" "$(g $G get 'disk-read xvda')"
check "snapshot-delete $G s2 --children (s3 is its child)" domsnap snapshot-delete $G s2 --children
expect_eq "no snapshot left, no file left" "" "$(ls $S 2>/dev/null)"
check "domsnap check after the deletes" domsnap check $G

# ---- several domsnap processes at once on two domains, each found by name
# and by domid (first-time lookups race with writers): no lost update.
# Only with XEN_STRESS=1 (make check-xen sets it): under QEMU's TCG, dom0's
# processes that use libxl (xl itself too, which has no domsnap code) die
# now and then of corrupted memory (malloc's checks, an assertion on a
# mutex in libxl's own data), most often when many run at once; ASan finds
# nothing in domsnap through a whole stress run. make check must not fail
# at random on the emulator.
if [ "${STRESS:-0}" != 1 ]; then
    ok "# SKIP stress on Xen: make check-xen runs it (XEN_STRESS=1); under QEMU's TCG a dom0 process using libxl (xl too) dies now and then of corrupted memory, which would fail make check at random"
    make_guest guest2 /tmp/xvda2.raw >/dev/null 2>&1
    check "domsnap destroy stops a Xen domain" domsnap destroy guest2
    expect_eq "xl no longer has it" "" "$(xl domid guest2 2>/dev/null)"
    expect_match "domsnap list shows it shut off" "^guest2 .*shutoff" "$(domsnap list)"
elif make_guest guest2 /tmp/xvda2.raw && [ "$(g guest2 ping)" = pong ]; then
    # every operation's start and end, to show where a run that does not
    # finish in time stands
    STRESS_LOG=/tmp/stress.log timeout "${STRESS_TIMEOUT:-600}" sh /guest/stress-records.sh \
        "${STRESS_ROUNDS:-4}" /tmp/stress "$G:$(xl domid $G)" "guest2:$(xl domid guest2)" \
        >/tmp/stress.out 2>&1
    rc=$?
    if [ $rc = 124 ] || [ $rc = 143 ]; then
        not_ok "stress: finished within ${STRESS_TIMEOUT:-600} s"
        echo "@@ #   the last operations:"; tail -n 30 /tmp/stress.log | sed 's/^/@@ #   /'
        echo "@@ #   processes:"; ps | grep -v ']$' | sed 's/^/@@ #   /'
        pkill -f stress-records.sh; pkill domsnap
    fi
    while IFS= read -r line; do
        case "$line" in
        "PASS "*) ok "stress: ${line#PASS }" ;;
        "FAIL "*) not_ok "stress: ${line#FAIL }" ;;
        *) echo "@@ $line" ;;
        esac
    done </tmp/stress.out
    check "domsnap destroy stops a Xen domain" domsnap destroy guest2
    expect_eq "xl no longer has it" "" "$(xl domid guest2 2>/dev/null)"
    expect_match "domsnap list shows it shut off" "^guest2 .*shutoff" "$(domsnap list)"
else
    not_ok "xl create a second PV guest for the stress test"
fi

out=$(domsnap create /tmp/$G.cfg 2>&1)
expect_match "domsnap create on Xen says xl starts domains" "xen driver does not support starting domains" "$out"

xl destroy $G
# what dom0's kernel says of memory (an OOM kill shows as "Killed" above)
dmesg | grep -iE "out of memory|oom-kill|killed process" | sed 's/^/@@ # dmesg: /'
free -m | sed 's/^/@@ # free: /'
tap "1..$T"
echo "@@ scenarios: $T run, $FAILED failed"
