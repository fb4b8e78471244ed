#!/bin/sh
# libdomsnap's ABI is exactly what include/domsnap.h declares DS_PUBLIC: every
# such function is exported from the shared library, and nothing else is
# (everything else is compiled with hidden visibility). TAP.
#
# With DEBIAN/LIBDOMSNAP0.SYMBOLS, also that the Debian symbols file lists
# exactly the exported symbols (a new one needs a line there, with the
# version that brings it).
#
# usage: check-exports.sh LIBDOMSNAP.SO INCLUDE/DOMSNAP.H [DEBIAN/LIBDOMSNAP0.SYMBOLS]
set -u
so=$1 header=$2 symbols=${3-}
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

command -v nm >/dev/null || { echo "1..0 # SKIP nm is not installed (binutils)"; exit 0; }
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT

# The functions the header makes public: the identifier before the '(' of
# the declaration that follows each line holding DS_PUBLIC alone (or of the
# rest of a line that starts with it).
awk '
    pending && match($0, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/) {
        s = substr($0, RSTART, RLENGTH); sub(/[ \t]*\($/, "", s); print s; pending = 0; next }
    /^[ \t]*DS_PUBLIC[ \t]*$/ { pending = 1; next }
    /^[ \t]*DS_PUBLIC[ \t]/ {
        if (match($0, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
            s = substr($0, RSTART, RLENGTH); sub(/[ \t]*\($/, "", s); print s
        } else pending = 1 }
' "$header" | sort -u >"$t/declared"

# What the library exports (defined, dynamic), without the @@VERSION tail
# and without the version node itself (an absolute symbol).
if ! nm -D --defined-only "$so" >"$t/nm" 2>"$t/err"; then
    echo "1..1"; echo "not ok 1 - nm -D $so"; sed 's/^/# /' "$t/err"; exit 1
fi
awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' "$t/nm" | sort -u >"$t/exported"

if [ -s "$t/declared" ]; then
    ok "include/domsnap.h declares $(wc -l <"$t/declared") DS_PUBLIC functions"
else
    not_ok "include/domsnap.h declares DS_PUBLIC functions (none found)"
fi

extra=$(comm -13 "$t/declared" "$t/exported")
if [ -z "$extra" ]; then
    ok "$(basename "$so") exports nothing that include/domsnap.h does not declare DS_PUBLIC"
else
    not_ok "$(basename "$so") exports symbols that are not DS_PUBLIC in include/domsnap.h"
    printf '%s\n' "$extra" | sed 's/^/#   /'
fi

missing=$(comm -23 "$t/declared" "$t/exported")
if [ -z "$missing" ]; then
    ok "every DS_PUBLIC function of include/domsnap.h is exported"
else
    not_ok "DS_PUBLIC functions of include/domsnap.h that $(basename "$so") does not export (defined elsewhere, or not at all?)"
    printf '%s\n' "$missing" | sed 's/^/#   /'
fi

# A function declared without DS_PUBLIC is hidden: the library builds, and
# only a program that calls it fails to link. Name those here.
undeclared=$(grep -E '^[A-Za-z].*\<ds_[a-z0-9_]+[ \t]*\(' "$header" |
             grep -vE '^(typedef|#|G_DEFINE|DS_PUBLIC)' |
             sed -E 's/.*\<(ds_[a-z0-9_]+)[ \t]*\(.*/\1/' | sort -u | comm -23 - "$t/declared")
if [ -z "$undeclared" ]; then
    ok "every ds_ function declared in include/domsnap.h carries DS_PUBLIC"
else
    not_ok "functions declared in include/domsnap.h without DS_PUBLIC (hidden: callers cannot link)"
    printf '%s\n' "$undeclared" | sed 's/^/#   /'
fi

soname=$(objdump -p "$so" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
if [ "$soname" = "libdomsnap.so.0" ]; then
    ok "its soname is libdomsnap.so.0"
else
    not_ok "its soname is libdomsnap.so.0 (got '$soname')"
fi

if [ -n "$symbols" ]; then
    # " ds_check@DOMSNAP_0 0.1.0": the name, without the version node
    awk '/^ / { sub(/@.*/, "", $1); if ($1 !~ /^DOMSNAP_/) print $1 }' "$symbols" | sort -u \
        >"$t/symbols"
    diff=$(comm -3 "$t/exported" "$t/symbols" | sed 's/^\t/not exported, listed: /; t; s/^/exported, not listed: /')
    if [ -z "$diff" ]; then
        ok "$(basename "$symbols") lists exactly the exported symbols"
    else
        not_ok "$(basename "$symbols") lists exactly the exported symbols"
        printf '%s\n' "$diff" | sed 's/^/#   /'
    fi
fi

echo "1..$n"
[ "$failed" -eq 0 ]
