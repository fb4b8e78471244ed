#!/bin/sh
# QMP (and the guest agent's QMP) is spoken only through the typed command
# layer: qmp_commands.c and qga_commands.c, with their JSON in qmp_types.c,
# over the transports qmp.c and qga.c. Prints, as TAP, every place outside
# them that builds or reads JSON where QMP is spoken, that reaches the
# transports' untyped execute, or that writes a command by hand.
#
# Not QMP, so allowed: image/qemu_img.c reads qemu-img info --output=json (the
# qemu-img program's output). Records, save headers and the CLI's --json
# output live outside the drivers and talk to no QEMU.
set -u
src=${1:-$(dirname "$0")/../src}
cd "$src" || exit 1
q=drivers/qemu

transport="$q/qmp.c $q/qmp.h $q/qmp_wire.h $q/qga.c $q/qga_wire.h"
layer="$q/qmp_commands.c $q/qmp_types.c $q/qmp_types.h $q/qga_commands.c"
not_qmp="image/qemu_img.c"

allowed() { # $1 file, $2... allowed files
    f=$1
    shift
    for a in "$@"; do
        [ "$f" = "$a" ] && return 0
    done
    return 1
}

# Every file of the qemu driver, and every other file that talks QMP (it
# includes one of its headers).
qmp_headers='qmp\.h|qmp_commands\.h|qga\.h|qga_commands\.h|qemu_block\.h|qemu_driver\.h'
speakers=$( { ls $q/*.c $q/*.h
              grep -rlE "^#include \"([a-z_]+/)*($qmp_headers)\"" --include='*.c' --include='*.h' .
            } | sed 's|^\./||' | sort -u)

missing=""
for f in $transport $layer $not_qmp; do
    [ -f "$f" ] || missing="$missing src/$f"
done

json=""
for f in $speakers; do
    allowed "$f" $transport $layer $not_qmp && continue
    hits=$(grep -nE 'json_|json-c/' "$f" | sed "s|^|src/$f:|")
    [ -n "$hits" ] && json="$json$hits
"
done

wire=$(grep -rnE '^#include "([a-z_]+/)*(qmp_wire|qga_wire|qmp_types)\.h"' --include='*.c' \
           --include='*.h' . | sed 's|^\./||' | while IFS=: read -r f line text; do
           allowed "$f" $transport $layer || echo "src/$f:$line: $text"
       done)

by_hand=$(grep -rnE '\\?"execute\\?"' --include='*.c' . | sed 's|^\./||' |
          while IFS=: read -r f line text; do
              allowed "$f" $q/qmp.c $q/qga.c $q/qga_commands.c || echo "src/$f:$line: $text"
          done)

echo "1..4"
report() { # $1 number, $2 what, $3 findings
    if [ -z "$3" ]; then
        echo "ok $1 - $2"
    else
        echo "not ok $1 - $2"
        printf '%s\n' "$3" | sed '/^$/d; s/^/# /'
        failed=1
    fi
}
failed=0
report 1 "the layer's and the transports' files are where this check looks" "$missing"
report 2 "no JSON where QMP is spoken, outside the typed layer and the transports" "$json"
report 3 "only the layer includes the transports' untyped execute (qmp_wire.h, qga_wire.h, qmp_types.h)" "$wire"
report 4 "no QMP command written by hand (an \"execute\" member) outside the transports" "$by_hand"
exit $failed
