#!/bin/sh
# scripts/fuzz.sh [SECONDS]: runs every fuzz target of tests/fuzz for
# SECONDS each (default 60), $FUZZ_JOBS at a time (default 2), and prints
# one TAP line per target. Builds them first, with clang, in build-fuzz (or $FUZZ_BUILD):
# libFuzzer with AddressSanitizer and UndefinedBehaviorSanitizer.
#
# Each run works in a new directory outside the tree ($FUZZ_WORK, or a
# mktemp -d under $TMPDIR): per target a corpus that starts from the seeds
# (tests/fuzz/seeds/TARGET, the inputs kept in tests/fuzz/regressions, and
# the tests' own data: tests/data and ../shared/conformance, read in place)
# and the log. A crash, leak or timeout keeps the input that caused it; its
# path and the tail of the sanitizer's report are printed, and the script
# exits 1. Copy the input to tests/fuzz/regressions/TARGET/ once it is fixed.
# FUZZ_TARGETS="xlcfg qmp" runs only those.
set -u

seconds=${1:-60}
case $seconds in
    '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
src=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-$src/build-fuzz}
conformance=$src/../shared/conformance
all="xlcfg domain_config diskspec vifspec channelspec snapshot_config snapshot_xml
     save_header domain_record snapshot_record qmp"
targets=${FUZZ_TARGETS:-$all}

if ! command -v clang >/dev/null; then
    echo "1..0 # SKIP clang is not installed (scripts/deps.sh installs it)"
    exit 0
fi
if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" "$src" >"${TMPDIR:-/tmp}/fuzz-setup.log" 2>&1 || {
        echo "fuzz: meson setup of $build failed:" >&2
        tail -20 "${TMPDIR:-/tmp}/fuzz-setup.log" >&2
        exit 1
    }
fi
if ! grep -q 'tests/fuzz/fuzz_xlcfg:' "$build/build.ninja"; then
    echo "1..0 # SKIP $build does not build the fuzz targets (its compiler is not clang" \
         "with libFuzzer: see its meson-logs/meson-log.txt)"
    exit 0
fi
exes=""
for t in $targets; do exes="$exes tests/fuzz/fuzz_$t"; done
# shellcheck disable=SC2086
ninja -C "$build" -j"${FUZZ_JOBS:-2}" $exes >"${TMPDIR:-/tmp}/fuzz-build.log" 2>&1 || {
    echo "fuzz: the build failed:" >&2
    tail -30 "${TMPDIR:-/tmp}/fuzz-build.log" >&2
    exit 1
}

work=${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/domsnap-fuzz.XXXXXX")}
mkdir -p "$work"

# one_per_line FILE... DIR: every line of the files that is not blank or a
# '#' comment becomes a seed of its own (device specs).
one_per_line() {
    out=$1; shift
    cat "$@" 2>/dev/null | grep -v '^#' | grep -v '^[[:space:]]*$' | {
        i=0
        while IFS= read -r line; do
            i=$((i + 1))
            printf '%s' "$line" >"$out/line-$i"
        done
    }
}

# with_flags BYTE DIR FILE...: the XML target's seeds: its first byte is
# the parse flags (1 redefine, 2 internal).
with_flags() {
    byte=$1; out=$2; shift 2
    for f in "$@"; do
        [ -f "$f" ] || continue
        { printf "\\$byte"; cat "$f"; } >"$out/$byte-$(basename "$f")"
    done
}

# seeds TARGET DIR: fills DIR with TARGET's seeds.
seeds() {
    into=$2
    mkdir -p "$into"
    for d in "$src/tests/fuzz/seeds/$1" "$src/tests/fuzz/regressions/$1"; do
        [ -d "$d" ] && cp "$d"/* "$into"/ 2>/dev/null
    done
    case $1 in
        xlcfg | domain_config)
            cp "$src"/tests/data/domain_config/*.in "$src"/examples/*.cfg "$into"/ ;;
        diskspec) one_per_line "$into" "$conformance/xen/disk-specs.txt" ;;
        vifspec) one_per_line "$into" "$src"/tests/data/vifspec/*.in ;;
        channelspec) one_per_line "$into" "$src"/tests/data/channelspec/*.in ;;
        snapshot_xml)
            with_flags 000 "$into" "$conformance"/libvirt/qemudomainsnapshotxml2xmlin/*.xml
            with_flags 003 "$into" "$conformance"/libvirt/qemudomainsnapshotxml2xmlout/*.xml ;;
    esac
    true
}

dict_of() {
    case $1 in
        xlcfg | domain_config) echo xlcfg ;;
        save_header | domain_record | snapshot_record) echo records ;;
        *) echo "$1" ;;
    esac
}

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# run_one N TARGET: fuzzes TARGET for $seconds; its TAP line (and on a
# failure the report's tail) goes to its directory's "tap".
run_one() {
    n=$1 t=$2
    dir=$work/$t
    mkdir -p "$dir/corpus" "$dir/tmp"
    seeds "$t" "$dir/seeds"
    dict=$src/tests/fuzz/dict/$(dict_of "$t").dict
    set -- -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$dir/"
    [ -f "$dict" ] && set -- "$@" -dict="$dict"
    TMPDIR=$dir/tmp "$build/tests/fuzz/fuzz_$t" "$@" "$dir/corpus" "$dir/seeds" \
        >"$dir/log" 2>&1
    rc=$?
    crash=$(ls "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* \
               "$dir"/slow-unit-* 2>/dev/null | head -1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2)
    if [ "$rc" -eq 0 ] && [ -z "$crash" ]; then
        echo "ok $n - $t: ${runs:-?} runs, ${cov:-?} edges covered" >"$dir/tap"
    else
        {
            echo "not ok $n - $t: exit $rc; input kept in ${crash:-(none: see the log)}"
            echo "#   log: $dir/log"
            grep -v '^INFO:\|^#[0-9]' "$dir/log" | grep -v '^[[:space:]]*$' | tail -30 |
                sed 's/^/#   /'
        } >"$dir/tap"
    fi
}

# FUZZ_JOBS lanes (default: 2, one per core here), each running its share
# of the targets one after the other; the TAP lines come out in order.
jobs=${FUZZ_JOBS:-2}
echo "# fuzzing for ${seconds}s per target, $jobs at a time, in $work"
lane=0
while [ $lane -lt "$jobs" ]; do
    (
        n=0
        for t in $targets; do
            n=$((n + 1))
            [ $(( (n - 1) % jobs )) -eq $lane ] && run_one $n "$t"
        done
    ) &
    lane=$((lane + 1))
done
wait
n=0
failed=0
for t in $targets; do
    n=$((n + 1))
    if [ -f "$work/$t/tap" ]; then
        cat "$work/$t/tap"
        grep -q '^not ok' "$work/$t/tap" && failed=$((failed + 1))
    else
        echo "not ok $n - $t: did not run (see $work/$t)"
        failed=$((failed + 1))
    fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
