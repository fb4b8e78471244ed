#!/bin/bash
# The bash completion (completion/domsnap), run as bash runs it: COMP_WORDS
# split at COMP_WORDBREAKS, bash-completion's helpers loaded, COMPREPLY
# compared. Commands and options come from the built command; domain and
# snapshot names from a state directory laid out as src/store writes it
# (LIB/domains/NAME/domain.json, .../snapshots/SNAP/snapshot.json; the
# completion reads names only, so the records hold "{}"), with the entries
# the store skips beside them. TAP.
#
# usage: check-completion.sh DOMSNAP COMPLETION
set -u
domsnap=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") comp=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
bc=/usr/share/bash-completion/bash_completion
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

[ -f "$bc" ] || { echo "1..0 # SKIP bash-completion is not installed ($bc)"; exit 0; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

record() { mkdir -p -m 0700 "$(dirname "$1")" && echo '{}' >"$1" && chmod 0600 "$1"; }
lib=$T/state/lib
record "$lib/domains/web1/domain.json"
record "$lib/domains/web1/snapshots/s1/snapshot.json"
record "$lib/domains/web1/snapshots/before-upgrade/snapshot.json"
mkdir -p "$lib/domains/web1/snapshots/files-only"            # a --dir's leftovers: no record
record "$lib/domains/web1/snapshots/.s3.tmp/snapshot.json"   # hidden: skipped
record "$lib/domains/web2/domain.json"
record "$lib/domains/web2/snapshots/nightly/snapshot.json"
mkdir -p "$lib/domains/.web3.tmp" "$lib/domains/no-record" "$lib/locks"
ln -s "$lib/domains/web2" "$lib/domains/link"                # symlinks: never followed
record "$T/other/lib/domains/db1/domain.json"
mkdir -p "$T/cwd" && touch "$T/cwd/guest.cfg"

# The cases, run below in one bash (bash-completion is loaded once):
# exact LINE WANT: exactly these completions, sorted;
# has LINE WORD...: these among them (and not those written !WORD).
kinds=() lines=() wants=()
exact() { kinds+=(exact) lines+=("$1") wants+=("$2"); }
has() { kinds+=(has) lines+=("$1"); shift; wants+=("$*"); }

# complete_lines < LINES: for each line, the COMPREPLY of the cursor at its
# end, sorted, on one line; with DOMSNAP_STATE_DIR=$T/state, in $T/cwd.
complete_lines() {
    (cd "$T/cwd" && DOMSNAP_STATE_DIR=$T/state bash --norc --noprofile -c '
        source "$1" && source "$2" || exit 1
        while IFS= read -r line; do
            # bash splits at COMP_WORDBREAKS: "--live=pr" is "--live" "=" "pr"
            read -ra raw <<<"$line"
            [[ $line == *" " ]] && raw+=("")
            COMP_WORDS=()
            for w in "${raw[@]}"; do
                while [[ $w == *=* ]]; do COMP_WORDS+=("${w%%=*}" "="); w=${w#*=}; done
                COMP_WORDS+=("$w")
            done
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line}
            COMPREPLY=()
            _domsnap "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf "%s\n" "${COMPREPLY[@]}" | sed "/^$/d" | sort | tr "\n" " " | sed "s/ $//"
            echo
        done
    ' _ "$bc" "$comp")
}

# the line as the report shows it
shown() { s=${1//$D/domsnap}; printf '%s' "${s//$T/\$T}"; }

check_case() {  # KIND LINE WANT GOT
    case $1 in
    exact)
        if [ "$4" = "$3" ]; then ok "'$(shown "$2")' -> ${3:-(nothing)}"; else
            not_ok "'$(shown "$2")'"; echo "#   want: $3"; echo "#   got:  $4"; fi ;;
    has)
        got=" $4 " bad=""
        for w in $3; do
            case $w in
                !*) case $got in *" ${w#!} "*) bad="$bad ${w#!}(present)" ;; esac ;;
                *) case $got in *" $w "*) ;; *) bad="$bad $w(missing)" ;; esac ;;
            esac
        done
        if [ -z "$bad" ]; then ok "'$(shown "$2")' -> $3"; else
            not_ok "'$(shown "$2")':$bad"; echo "#   got:$got"; fi ;;
    esac
}

D=$domsnap
commands=$(LC_ALL=C "$D" --help | awk '/^commands:/ { f = 1; next } /^$/ { f = 0 } f && /^  [a-z]/ { print $1 }' |
           sort | tr '\n' ' ' | sed 's/ $//')
exact "$D " "$commands"
exact "$D snapshot-r" "snapshot-revert"
has "$D --" --state-dir --driver --timeout --help --version
exact "$D --driver " "qemu xen"
exact "$D --timeout 5 pa" "pause"
has "$D snapshot-create web1 --" --live= --name= --disk-only --quiesce --dir= --xml= \
    --state-dir= --help '!--tree' '!--running'
exact "$D snapshot-create web1 --live=" "background precopy"
exact "$D snapshot-create web1 --live=p" "precopy"
has "$D snapshot-revert web1 s1 --" --running --paused --force --no-time-sync --name=
exact "$D snapshot-revert " "web1 web2"
exact "$D snapshot-list w" "web1 web2"
exact "$D snapshot-revert web1 " "before-upgrade s1"
exact "$D snapshot-revert web1 b" "before-upgrade"
exact "$D snapshot-delete web2 " "nightly"
exact "$D snapshot-info web1 s1 " ""
exact "$D snapshot-delete web2 -n " "nightly"
exact "$D snapshot-delete web2 --name=" "nightly"
exact "$D snapshot-delete -n nightly " "web1 web2"
exact "$D snapshot-delete -n nightly web2 " ""
exact "$D snapshot-create web1 -n " ""
exact "$D snapshot-create web1 --description 'x' " "guest.cfg"
exact "$D snapshot-create --live web1 " "guest.cfg"
exact "$D create -n " "guest.cfg"
exact "$D create guest.cfg " ""
exact "$D --state-dir $T/other destroy " "db1"
exact "$D list --state-dir=$T/other " "db1"
exact "$D list --state-dir $T/other " "db1"
exact "$D version " ""

printf '%s\n' "${lines[@]}" | complete_lines >"$T/got" 2>"$T/err"
if [ "$(wc -l <"$T/got")" -ne "${#lines[@]}" ]; then
    echo "1..1"; echo "not ok 1 - the completion runs for each line"; sed 's/^/# /' "$T/err"
    exit 1
fi
i=0
while IFS= read -r got; do
    check_case "${kinds[i]}" "${lines[i]}" "${wants[i]}" "$got"
    i=$((i + 1))
done <"$T/got"

echo "1..$n"
[ "$failed" -eq 0 ]
