#!/bin/sh
# make check-asan: the whole suite with domsnap (library, CLI, tests' own
# programs) built with -fsanitize=address,undefined in BUILD-asan. The test
# guests are the main build's (BUILD/guest, BUILD/guest-debian). A report
# from either sanitizer ends the process with an error, which fails the test
# it happened in; the summary then names it.
# usage: check-asan.sh BUILD
set -eu
build=$1
asan=$build-asan
if [ ! -f "$asan/build.ninja" ]; then
    meson setup "$asan" -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C "$asan"
# the guests: built once, by the main build
[ -e "$asan/guest" ] || ln -s "$(cd "$build" && pwd)/guest" "$asan/guest"
# halt_on_error: UBSan's reports fail the run too; fast_unwind_on_malloc=0: a
# leak report shows where the memory came from. Leaks are reported: a
# domsnap command is a short process, but a leak in a loop is still a bug.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86:strict_string_checks=1:detect_stack_use_after_return=1:fast_unwind_on_malloc=0
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=87
LSAN_OPTIONS=suppressions=$(cd "$(dirname "$0")/.." && pwd)/tests/lsan.supp:print_suppressions=0
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
# sanitized, domsnap is slower: the tests' time limits are doubled
TIMEOUT_MULTIPLIER=2 exec scripts/run-tests.sh "$asan"
