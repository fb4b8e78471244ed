#!/bin/bash
# The Xen tests: boots Debian's Xen 4.17 under QEMU (TCG), with a dom0 that
# carries domsnap, runs the scenarios (or the benchmark) inside it on a PV
# guest, and turns what dom0 reports on the serial console ("@@ TAP ...")
# into TAP here.
#
# usage: run.sh BUILD GUEST_DIR [test|bench]
# env:   XEN_TIMEOUT (s, default 1500), XEN_CONSOLE (the console log's path),
#        XEN_ROUNDS (bench: rounds of each operation, default 5),
#        XEN_CPUS (the Xen host's CPUs, all given to dom0; default 1)
set -uo pipefail

build=$(cd "$1" && pwd) guest=$2 mode=${3:-test}
here=$(cd "$(dirname "$0")" && pwd)
out=$build/xen
log=${XEN_CONSOLE:-$out/console-$mode.log}
timeout_s=${XEN_TIMEOUT:-1500}

skip() { echo "1..0 # SKIP $*"; exit 0; }
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"
# (not "ldd | grep -q": with pipefail, grep's early exit fails ldd with SIGPIPE)
case "$(ldd "$build/domsnap" 2>/dev/null)" in *libxenlight*) ;; *) false ;; esac ||
    skip "domsnap was built without the xen driver (install libxen-dev: make deps)"
[ -d "$guest/cache/kernel" ] || skip "no test guest kernel ($guest/cache/kernel): run 'make guest'"
[ "$(awk '/MemAvailable/ {print int($2 / 1024)}' /proc/meminfo)" -ge 4500 ] ||
    skip "Xen under QEMU needs 4.5 GiB of free memory"

mkdir -p "$out"
"$here/build-images.sh" "$out" "$build" "$guest" >"$out/build-images.log" 2>&1 || {
    echo "1..1"; echo "not ok 1 - build the Xen images"; sed 's/^/# /' "$out/build-images.log"
    exit 1; }

# -cpu max without SMAP/SMEP: QEMU's TCG otherwise crashes Xen's PV dom0
# (../shared/xen-in-qemu/README.md, failure 1). Without FSGSBASE, PCID and
# INVPCID too, a precaution, not a proven fix: dom0's libxl users (xl
# itself too) were seen to die of corrupted memory now and then (a mutex in
# libxl's own data, malloc's lists), which is what a wrong TLS base or a
# missed TLB flush would do; without these features Xen and dom0's kernel
# keep TLS bases in MSRs and flush by CR3 writes. thread=single: with one
# host thread per vCPU (MTTCG) on a loaded 2-core host, dom0's processes
# were seen to die of memory corruption under the concurrent stress test ('symbol
# lookup error' for symbols their libraries have, 'malloc(): unsorted double
# linked list corrupted', SIGSEGV) and a record's JSON to come out damaged.
# dom0 2.5 GiB: its /tmp (tmpfs) holds the guests' disks, their copies and
# the memory images, beside the qdisk QEMU and the domsnap processes of the
# stress test; with 1.5 GiB processes were seen SIGKILLed ("Killed") and
# xenstore lookups to fail ("no domain guest") late in a run.
# One CPU by default: with thread=single two vCPUs only take turns on one
# host thread anyway, and with two, libxl users (xl itself included) were
# seen to die of corrupted memory now and then.
cpus=${XEN_CPUS:-1}
# A sanitized domsnap (make check-asan) reports in dom0 as it does here:
# the sanitizers' options go along on dom0's command line.
san=
for v in ASAN_OPTIONS UBSAN_OPTIONS; do
    eval "val=\${$v:-}"
    [ -n "$val" ] && san="$san domsnap_env=$v=$val"
done
start=$(date +%s)
timeout "$timeout_s" qemu-system-x86_64 -accel tcg,thread=single -cpu max,-smap,-smep,-fsgsbase,-pcid,-invpcid -smp "$cpus" -m 4096 \
    -nographic -no-reboot -nodefaults -serial stdio -monitor none \
    -kernel "$out/xen" \
    -append "console=com1 com1=115200,8n1 dom0_mem=2560M,max:2560M dom0_max_vcpus=$cpus loglvl=error guest_loglvl=error noreboot" \
    -initrd "$out/vmlinuz console=hvc0 quiet loglevel=3 rdinit=/init domsnap_mode=$mode domsnap_rounds=${XEN_ROUNDS:-5} domsnap_stress=${XEN_STRESS:-0}$san,$out/dom0.cpio.gz" \
    </dev/null >"$log" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
tr -d '\r' < "$log" > "$log.clean"

if [ "$mode" = bench ]; then
    grep -a '^@@ BENCH' "$log.clean"
    grep -aq '^@@ done' "$log.clean"
    exit $?
fi
# dom0's TAP, then the run itself
grep -a '^@@ TAP \|^@@ #' "$log.clean" | sed -e 's/^@@ TAP //' -e 's/^@@ #/#/' | grep -v '^1\.\.' > "$out/tap"
n=$(grep -c '^\(not \)\?ok ' "$out/tap")
cat "$out/tap"
n=$((n + 1))
if grep -aq '^@@ done' "$log.clean" && grep -aq '^@@ TAP 1\.\.' "$log.clean"; then
    echo "ok $n - Xen booted, ran the scenarios and powered off in ${secs} s"
else
    echo "not ok $n - the Xen run did not finish (QEMU exit $rc after ${secs} s; console: $log)"
    tail -n 40 "$log.clean" | sed 's/^/#   /'
fi
echo "1..$n"
echo "# summary: Xen 4.17 under QEMU: whole run ${secs} s"
