#!/bin/sh
# A real guest through create, pause/unpause, save/restore (all three
# modes), crash, destroy, start, shutdown and undefine; its counter (RAM)
# and disk markers must survive exactly what they should.
. "$(dirname "$0")/lib.sh"
setup

qemu-img create -q -f qcow2 "$T/a.qcow2" 64M
qemu-img create -q -f raw "$T/b.raw" 16M
write_cfg d1 "$T/a.qcow2,qcow2,xvda" "format=raw,vdev=xvdb,target=$T/b.raw"

check "create with a qcow2 and a raw disk" ds create "$T/d1.cfg"
expect_eq "guestd answers" "pong" "$(guest_wait d1.sock ping)"
out=$(guest d1.sock "set 41" "disk-write vda A-qcow2" "disk-write vdb A-raw" get)
expect_eq "counter and markers written" "ok ok ok 41" "$(echo $out)"
expect_eq "guestd refuses a bad device" "ERR bad device 'sda'" "$(guest d1.sock 'disk-read sda')"
expect_eq "list shows running" running "$(state_of d1)"
expect_match "list shows memory and vcpus" '^d1 +1 +256 +1 +running' "$(ds list | sed -n 2p)"
check_fails "a second create with the same name is refused" ds create "$T/d1.cfg"

check "pause" ds pause d1
expect_eq "list shows paused" paused "$(state_of d1)"
check_fails "pausing a paused domain is refused" ds pause d1
check "unpause" ds unpause d1
expect_eq "list shows running again" running "$(state_of d1)"
expect_eq "counter still 41 after unpause" 41 "$(guest d1.sock get)"

check "save (then destroy, as xl save)" ds save d1 "$T/d1.save"
expect_eq "save file is private (0600)" 600 "$(stat -c %a "$T/d1.save")"
expect_eq "save file starts with domsnap's header" "DomSnapMemImage" "$(head -c 15 "$T/d1.save")"
expect_eq "domain is shut off after save" shutoff "$(state_of d1)"
expect_eq "no QEMU left running" 0 "$(qemu_count)"
guest d1.sock "disk-write vda B" >/dev/null 2>&1 && not_ok "guest gone after save" || ok "guest gone after save"

check "restore" ds restore "$T/d1.save"
expect_eq "restored domain runs" running "$(state_of d1)"
out=$(guest d1.sock get "disk-read vda" "disk-read vdb")
expect_eq "restore: counter 41 and both markers" "41 A-qcow2 A-raw" "$(echo $out)"

check "save -c (checkpoint, keep running)" ds save -c d1 "$T/d1-c.save"
expect_eq "still running after save -c" running "$(state_of d1)"
out=$(guest d1.sock inc get)
expect_eq "guest keeps running after save -c" "ok 42" "$(echo $out)"
check "save -p (leave paused)" ds save -p d1 "$T/d1-p.save"
expect_eq "paused after save -p" paused "$(state_of d1)"
check "unpause after save -p" ds unpause d1
expect_eq "counter 42 after save -p and unpause" 42 "$(guest d1.sock get)"

check "restore refuses a running domain's name" sh -c "! \"$DOMSNAP\" restore \"$T/d1-c.save\""
check "destroy" ds destroy d1
check "restore -p of the checkpoint" ds restore -p "$T/d1-c.save"
expect_eq "restored paused" paused "$(state_of d1)"
check "unpause the checkpoint" ds unpause d1
expect_eq "checkpoint's counter (41, taken before inc)" 41 "$(guest d1.sock get)"

pid=$(cat "$T"/state/run/*/qemu.pid)
kill -9 "$pid"
sleep 0.5
expect_eq "a killed QEMU shows as crashed" crashed "$(state_of d1)"
out=$(ds pause d1 2>&1)
expect_match "operations on a crashed domain say so" "domain 'd1' is not running \(crashed\)" "$out"
check "destroy cleans up a crashed domain" ds destroy d1
expect_eq "shut off after destroy" shutoff "$(state_of d1)"
expect_eq "runtime directory removed" "" "$(ls "$T/state/run")"

check "start boots it again" ds start d1
out=$(guest_wait d1.sock get "disk-read vda" "disk-read vdb")
expect_eq "cold boot: fresh RAM, disks kept" "0 A-qcow2 A-raw" "$(echo $out)"
check "shutdown -w" ds shutdown -w --timeout 60 d1
expect_eq "shut off after shutdown" shutoff "$(state_of d1)"
expect_eq "no QEMU left after shutdown" 0 "$(qemu_count)"
check "create -p starts paused" sh -c "\"$DOMSNAP\" undefine d1 && \"$DOMSNAP\" create -p \"$T/d1.cfg\""
expect_eq "paused right after create -p" paused "$(state_of d1)"
check "destroy by id" ds destroy 1
check "undefine" ds undefine d1
expect_eq "list is empty after undefine" 1 "$(ds list | wc -l)"
check "qemu-img check on the qcow2 disk" qemu-img check -q "$T/a.qcow2"
expect_eq "records are private (0600)" "" "$(find "$T/state" -type f ! -perm 0600 ! -name '*.lock')"
expect_eq "state directories are private (0700)" "" "$(find "$T/state" -type d ! -perm 0700)"

finish
