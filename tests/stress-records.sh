#!/bin/sh
# Concurrent domsnap operations on the same and on different domains, then a
# check that no update of a domain's record was lost.
#
# usage: stress-records.sh ROUNDS WORKDIR DOM[:ALIAS]...
#   Every DOM must be running, with no snapshots. ALIAS is another name domsnap must find the
#   domain by (a Xen domid): the readers use it too, so first-time lookups
#   race with the writers. $DOMSNAP is the command (default: domsnap);
#   $STRESS_CREATE_ARGS the snapshot-create options (default: --disk-only).
#
# Per domain, one writer creates and deletes snapshots in a fixed order and
# keeps a model of the tree (each snapshot's parent, the current one); beside
# it run readers (list, snapshot-current, snapshot-list, by name and alias)
# and a pauser (pause/unpause). Everything waits for locks instead of failing
# (DOMSNAP_LOCK_TIMEOUT). Afterwards the tree domsnap recorded must be the
# model, and `check` must find nothing. Prints "PASS what" / "FAIL what"
# lines (details after "# "); exits 1 if anything failed.
set -u
rounds=$1 work=$2
shift 2
ds=${DOMSNAP:-domsnap}
# $STRESS_LOG: every operation's start and end, for following a run live.
if [ -n "${STRESS_LOG:-}" ]; then
    real_ds=$ds
    ds=traced
    traced() {
        echo "$(date +%s) $$ start $*" >>"$STRESS_LOG"
        $real_ds "$@"
        rc=$?
        echo "$(date +%s) end rc=$rc $*" >>"$STRESS_LOG"
        return $rc
    }
fi
create_args=${STRESS_CREATE_ARGS:---disk-only}
export DOMSNAP_LOCK_TIMEOUT=${DOMSNAP_LOCK_TIMEOUT:-300}
failures=0
mkdir -p "$work"

pass() { echo "PASS $*"; }
# current DOM: the current snapshot's name, empty if there is none.
current() {
    out=$($ds snapshot-current "$1" 2>&1) && { echo "$out"; return 0; }
    case "$out" in *"has no current snapshot"*) echo ""; return 0 ;; esac
    echo "$out"
    return 1
}
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# writer DOM: round i creates wi; every third round deletes the snapshot
# two back (its child is re-parented), every fourth the current one (the
# current moves to its parent). The model follows the same rules.
writer() {
    dom=$1 m=$work/$dom.model
    rm -rf "$m"; mkdir -p "$m"; : >"$work/$dom.writer.err"
    current "$dom" >"$m/current"
    i=1
    while [ $i -le "$rounds" ]; do
        s=w$i
        # shellcheck disable=SC2086
        if $ds snapshot-create "$dom" --name "$s" $create_args >/dev/null 2>>"$work/$dom.writer.err"; then
            cp "$m/current" "$m/$s.parent"
            echo "$s" >"$m/current"
        else
            echo "snapshot-create $dom $s failed" >>"$work/$dom.writer.err"
        fi
        if [ $((i % 3)) -eq 0 ] && [ -e "$m/w$((i - 2)).parent" ]; then
            delete_in_model "$dom" "w$((i - 2))"
        fi
        if [ $((i % 4)) -eq 0 ]; then
            delete_in_model "$dom" "$(cat "$m/current")"
        fi
        i=$((i + 1))
    done
    : >"$work/$dom.done"
}

# delete_in_model DOM SNAP: deletes SNAP, and does to the model what a
# delete does to the tree.
delete_in_model() {
    dom=$1 s=$2 m=$work/$1.model
    [ -n "$s" ] || return 0
    if ! $ds snapshot-delete "$dom" "$s" >/dev/null 2>>"$work/$dom.writer.err"; then
        echo "snapshot-delete $dom $s failed" >>"$work/$dom.writer.err"
        return 0
    fi
    p=$(cat "$m/$s.parent")
    for f in "$m"/*.parent; do
        [ -e "$f" ] && [ "$(cat "$f")" = "$s" ] && echo "$p" >"$f"
    done
    [ "$(cat "$m/current")" = "$s" ] && echo "$p" >"$m/current"
    rm -f "$m/$s.parent"
}

# reader DOM ALIAS N: reads until the domain's writer is done; any failure
# of a read, or a current snapshot that is not one of the writer's, is noted.
reader() {
    dom=$1 alias=$2 err=$work/$1.reader.$3.err
    : >"$err"
    while ! [ -e "$work/$dom.done" ]; do
        for who in "$dom" "$alias"; do
            cur=$(current "$who") || { echo "snapshot-current $who failed: $cur" >>"$err"; cur=""; }
            case "$cur" in ''|w[0-9]*) ;; *) echo "snapshot-current $who said '$cur'" >>"$err" ;; esac
            $ds snapshot-list "$who" >/dev/null 2>>"$err" || echo "snapshot-list $who failed" >>"$err"
        done
        $ds list >/dev/null 2>>"$err" || echo "list failed" >>"$err"
    done
}

pauser() {
    dom=$1 err=$work/$1.pauser.err
    : >"$err"
    while ! [ -e "$work/$dom.done" ]; do
        $ds pause "$dom" >/dev/null 2>>"$err" || echo "pause $dom failed" >>"$err"
        $ds unpause "$dom" >/dev/null 2>>"$err" || echo "unpause $dom failed" >>"$err"
    done
}

pids=""
for spec in "$@"; do
    dom=${spec%%:*} alias=${spec#*:}
    rm -f "$work/$dom.done" "$work/$dom".reader.*.err
    writer "$dom" & pids="$pids $!"
    reader "$dom" "$alias" 1 & pids="$pids $!"
    reader "$dom" "$alias" 2 & pids="$pids $!"
    pauser "$dom" & pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids

# errors FILE...: the lines the workers noted (empty: none).
errors() { cat "$@" 2>/dev/null | grep -v '^$' | head -n 20; }

for spec in "$@"; do
    dom=${spec%%:*} m=$work/${spec%%:*}.model
    e=$(errors "$work/$dom.writer.err")
    [ -z "$e" ] && pass "$dom: every create and delete of the writer succeeded" ||
        { fail "$dom: every create and delete of the writer succeeded"; echo "$e" | sed 's/^/# /'; }
    e=$(errors "$work/$dom".reader.*.err "$work/$dom.pauser.err")
    [ -z "$e" ] && pass "$dom: every concurrent read, pause and unpause succeeded" ||
        { fail "$dom: every concurrent read, pause and unpause succeeded"; echo "$e" | sed 's/^/# /'; }
    want=$(cat "$m/current") got=$(current "$dom")
    [ "$want" = "$got" ] && pass "$dom: the current snapshot is $want, as the operations say" ||
        { fail "$dom: the current snapshot is $want, as the operations say"; echo "# got '$got'"; }
    want=$(cd "$m" && ls ./*.parent 2>/dev/null | sed 's|^\./||; s|\.parent$||' | sort | tr '\n' ' ')
    got=$(ls "$DOMSNAP_STATE_DIR/lib/domains/$dom/snapshots" 2>/dev/null | sort | tr '\n' ' ')
    [ "$want" = "$got" ] && pass "$dom: the snapshots left are the ones not deleted ($want)" ||
        { fail "$dom: the snapshots left are the ones not deleted"; echo "# want '$want', got '$got'"; }
    bad=""
    for f in "$m"/*.parent; do
        [ -e "$f" ] || continue
        s=$(basename "$f" .parent)
        want=$(cat "$f")
        got=$($ds snapshot-info "$dom" "$s" 2>&1 | sed -n 's/^Parent: *//p')
        [ "$got" = "-" ] && got=""
        [ "$want" = "$got" ] || bad="$bad $s(parent want '$want' got '$got')"
    done
    [ -z "$bad" ] && pass "$dom: every snapshot's parent is the one the operations say" ||
        { fail "$dom: every snapshot's parent is the one the operations say"; echo "#$bad"; }
    out=$($ds check "$dom" 2>&1)
    echo "$out" | grep -q "No problems found" && pass "$dom: check finds nothing" ||
        { fail "$dom: check finds nothing"; echo "$out" | sed 's/^/# /'; }
done
[ "$failures" -eq 0 ]
