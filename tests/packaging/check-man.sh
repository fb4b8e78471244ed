#!/bin/sh
# domsnap(1) keeps up with the command: every command in its table
# (`domsnap --help`) has a "## COMMAND" section in doc/domsnap.1.scd, every
# section is a command, each command's section names each of its options
# (`domsnap COMMAND --help`) in a term line ("*-s*, *--long*"), and GLOBAL
# OPTIONS names the options taken before the command. TAP.
#
# usage: check-man.sh DOMSNAP DOC/DOMSNAP.1.SCD
set -u
domsnap=$1 page=$2
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
export LC_ALL=C  # GOption's headings, untranslated

t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT

if ! "$domsnap" --help >"$t/help"; then
    echo "1..1"; echo "not ok 1 - $domsnap --help"; exit 1
fi
awk '/^commands:/ { f = 1; next } /^$/ { f = 0 } f && /^  [a-z]/ { print $1 }' "$t/help" \
    >"$t/commands"
grep '^## ' "$page" | cut -c4- >"$t/sections"

[ -s "$t/commands" ] && ok "domsnap --help lists $(wc -l <"$t/commands") commands" ||
    not_ok "domsnap --help lists the commands (none found)"

# section NAME: the lines of "## NAME" up to the next heading
section() { awk -v s="## $1" '$0 == s { f = 1; next } /^#/ { f = 0 } f' "$page"; }

while read -r cmd; do
    if ! grep -qx -- "$cmd" "$t/sections"; then
        not_ok "$cmd: a section '## $cmd' in $(basename "$page")"
        continue
    fi
    section "$cmd" >"$t/section"
    [ "$cmd" = version ] && { ok "$cmd: has a section"; continue; }
    if ! "$domsnap" "$cmd" --help >"$t/opts" 2>&1; then
        not_ok "$cmd: domsnap $cmd --help"; sed 's/^/#   /' "$t/opts"; continue
    fi
    # "  -p, --paused   Leave..." / "  --live=MODE  ..." under Application Options
    awk '/^Application Options:/ { f = 1; next } /^$/ { f = 0 }
         f && $1 ~ /^-/ { for (i = 1; i <= NF && $i ~ /^-/; i++) {
                              o = $i; sub(/,$/, "", o); sub(/=.*/, "", o); print o } }' \
        "$t/opts" | grep -vx -- '--state-dir' >"$t/optnames"
    missing=""
    while read -r opt; do
        # a term line: "*-p*, *--paused*" or "*--live*[=_MODE_]"
        grep -E '^\*-' "$t/section" | grep -qF -- "*$opt*" || missing="$missing $opt"
    done <"$t/optnames"
    if [ -z "$missing" ]; then
        ok "$cmd: has a section naming each of its options ($(wc -l <"$t/optnames"))"
    else
        not_ok "$cmd: its section names each option (missing:$missing)"
    fi
done <"$t/commands"

stale=$(grep -vxF -f "$t/commands" "$t/sections")
[ -z "$stale" ] && ok "every '## ' section of $(basename "$page") is a command" ||
    not_ok "sections of $(basename "$page") that are no command: $(echo $stale)"

# Global options: the usage line's [--x ...], and --help, --version.
section_global=$(awk '$0 == "# GLOBAL OPTIONS" { f = 1; next } /^#/ { f = 0 } f' "$page")
missing=""
for opt in $(head -n 1 "$t/help" | grep -o '\[--[a-z-]*' | cut -c2-) --help --version; do
    printf '%s\n' "$section_global" | grep -qF -- "*$opt*" || missing="$missing $opt"
done
[ -z "$missing" ] && ok "GLOBAL OPTIONS names the options before the command" ||
    not_ok "GLOBAL OPTIONS names the options before the command (missing:$missing)"

echo "1..$n"
[ "$failed" -eq 0 ]
