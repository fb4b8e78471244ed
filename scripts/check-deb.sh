#!/bin/bash
# The Debian packages, built and used as a user gets them: builds the .debs
# (dpkg-buildpackage -us -uc -b) from a clean copy of the tree (its tracked
# files as they are in the working tree, so the tree itself is not touched),
# runs lintian (errors fail; warnings are listed), unpacks them with dpkg -x
# into an empty directory (no root install), and from the unpacked files
# alone (LD_LIBRARY_PATH into it): domsnap --version, a program built with
# pkg-config against libdomsnap-dev, and one real snapshot of the busybox
# test guest (create, snapshot-create, snapshot-list, snapshot-revert with
# the guest's state read back, the packaged completion on the records it
# wrote, destroy). TAP; exits non-zero on a failure.
#
# usage: scripts/check-deb.sh [BUILD]
#   BUILD: the build dir that has the test guest (BUILD/guest: make guest)
#          and guestctl (BUILD/tests/guestctl); default: build
# env:     DEB_BUILD_OPTIONS (added to parallel=2)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" 2>/dev/null && pwd) || build=${1:-$top/build}

# ok, not_ok, check, expect_eq, expect_match, finish, cleanup, write_cfg,
# guest, guest_wait: the integration tests' helpers
. "$top/tests/integration/lib.sh"

for tool in dpkg-buildpackage dpkg-deb git; do
    command -v "$tool" >/dev/null ||
        skip_all "$tool is not installed (scripts/deps.sh installs dpkg-dev, debhelper, lintian)"
done
# Short: the guest's unix sockets go in here too (107 bytes at most).
T=$(mktemp -d /tmp/dsdeb.XXXXXX) || exit 1
trap cleanup EXIT            # kills the guest's QEMU if one is left, removes $T
export DOMSNAP_STATE_DIR=$T/state

version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
upstream=${version%-*}
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

# ---- a clean copy of the tree, built
# (git stash create: a commit of the working tree's tracked files, made
# without touching the tree, the index or the stash; nothing if clean)
rev=$(git -C "$top" stash create 2>/dev/null)
rev=${rev:-HEAD}
src=$T/src/domsnap-$upstream
mkdir -p "$T/src"
check "a copy of the tree's tracked files ($(git -C "$top" rev-parse --short "$rev")$([ "$rev" = HEAD ] || echo ', with uncommitted changes'))" \
    sh -c 'git -C "$1" archive --prefix="domsnap-$2/" "$3" | tar -x -C "$4"' _ "$top" "$upstream" "$rev" "$T/src"
# The unit tests read the conformance corpus beside the tree (debian/rules
# leaves those tests out without it).
[ -d "$top/../shared" ] && ln -s "$(cd "$top/../shared" && pwd)" "$T/src/shared"

if (cd "$src" && DEB_BUILD_OPTIONS="parallel=2 ${DEB_BUILD_OPTIONS-}" \
        dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1; then
    ok "dpkg-buildpackage -us -uc -b ($version)"
else
    not_ok "dpkg-buildpackage -us -uc -b ($version)"
    tail -n 60 "$T/build.log" | sed 's/^/#   /'
    finish; exit 1
fi
grep -E '^(Ok|Fail|Skipped):' "$T/build.log" | sed 's/^/# unit tests in the build: /' | tr -s ' '
changes=$(ls "$T"/src/domsnap_"${version}"_*.changes)

if command -v lintian >/dev/null; then
    if lintian --fail-on error --tag-display-limit 0 "$changes" >"$T/lintian.log" 2>&1; then
        ok "lintian: no errors ($(grep -c '^W: ' "$T/lintian.log") warnings)"
    else
        not_ok "lintian: no errors"
    fi
    grep -E '^[EWI]: ' "$T/lintian.log" | sed 's/^/#   /'
else
    ok "lintian # SKIP lintian is not installed (scripts/deps.sh installs it)"
fi

# ---- unpacked, not installed
root=$T/root
mkdir -p "$root"
for p in domsnap libdomsnap0 libdomsnap-dev; do
    deb=$(ls "$T"/src/"${p}_${version}"_*.deb 2>/dev/null | head -n 1)
    if [ -n "$deb" ] && dpkg -x "$deb" "$root"; then
        ok "$p: built and unpacked ($(basename "$deb"))"
    else
        not_ok "$p: built and unpacked"
    fi
done
missing=""
for f in usr/bin/domsnap "usr/lib/$ma/libdomsnap.so.0" "usr/lib/$ma/libdomsnap.so" \
         usr/include/domsnap.h "usr/lib/$ma/pkgconfig/domsnap.pc" \
         usr/share/man/man1/domsnap.1.gz usr/share/man/man5/domsnap.cfg.5.gz \
         usr/share/man/man5/domsnap-snapshot.cfg.5.gz \
         usr/share/bash-completion/completions/domsnap; do
    [ -e "$root/$f" ] || missing="$missing $f"
done
expect_eq "the packages hold the command, the library, the header, the .pc, the man pages and the completion" "" "$missing"

export LD_LIBRARY_PATH=$root/usr/lib/$ma
DOMSNAP=$root/usr/bin/domsnap
expect_eq "domsnap --version" "domsnap $upstream" "$("$DOMSNAP" --version 2>&1)"
expect_match "domsnap loads the unpacked libdomsnap.so.0" "libdomsnap.so.0 => $root/" "$(ldd "$DOMSNAP")"

cat >"$T/api.c" <<'EOF'
#include <domsnap.h>
#include <stdio.h>
int main(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(DsConnection) conn = ds_connection_open(NULL, &error);
    printf("%s %s\n", ds_domain_state_to_string(DS_DOMAIN_PAUSED), conn ? "open" : error->message);
    return conn ? 0 : 1;
}
EOF
if command -v pkg-config >/dev/null && command -v cc >/dev/null; then
    # domsnap.pc with its prefix moved into the unpacked tree (glib's stays)
    mkdir -p "$T/pc"
    sed "s|^prefix=.*|prefix=$root/usr|" "$root/usr/lib/$ma/pkgconfig/domsnap.pc" >"$T/pc/domsnap.pc"
    check "a program built with pkg-config domsnap against the unpacked libdomsnap-dev" \
        sh -c 'cc -o "$1/api" "$1/api.c" $(PKG_CONFIG_PATH="$1/pc" pkg-config --cflags --libs domsnap)' \
        _ "$T"
    expect_eq "it runs on the unpacked libdomsnap.so.0" "paused open" "$("$T/api" 2>&1)"
else
    ok "pkg-config build # SKIP pkg-config or cc is not installed"
fi

# ---- one real snapshot with the unpacked domsnap
GUEST_DIR=$build/guest GUESTCTL=$build/tests/guestctl
why=""
command -v qemu-system-x86_64 >/dev/null || why="qemu-system-x86_64 is not installed"
command -v qemu-img >/dev/null || why="qemu-img is not installed"
[ -f "$GUEST_DIR/vmlinuz" ] && [ -f "$GUEST_DIR/initrd.img" ] ||
    why="the test guest is not built ($GUEST_DIR: make guest)"
[ -x "$GUESTCTL" ] || why="no guestctl ($GUESTCTL: make build)"
if [ -n "$why" ]; then
    ok "a real snapshot with the unpacked domsnap # SKIP $why"
    finish; exit
fi

state() { echo $(guest pkg.sock get "disk-read vda"); }
qemu-img create -q -f qcow2 "$T/pkg-a.qcow2" 64M
write_cfg pkg "$T/pkg-a.qcow2,qcow2,xvda"
check "create the test guest" ds create "$T/pkg.cfg"
check "the guest answers" guest_wait pkg.sock ping
guest pkg.sock "set 41" "disk-write vda A" >/dev/null
check "snapshot-create pkg --name s1" ds snapshot-create pkg --name s1
expect_match "snapshot-list shows s1, current" '^\* s1 ' "$(ds snapshot-list pkg 2>&1)"
guest pkg.sock inc "disk-write vda B" >/dev/null
expect_eq "the guest changed" "42 B" "$(state)"
check "snapshot-revert pkg s1" ds snapshot-revert pkg s1
expect_eq "s1's counter and disk marker are back" "41 A" "$(state)"

# The packaged completion, on the records this domsnap wrote.
bc=/usr/share/bash-completion/bash_completion
if [ -f "$bc" ]; then
    got=$(bash --norc --noprofile -c '
        source "$1" && source "$2" || exit 1
        COMP_WORDS=("$3" snapshot-revert pkg "") COMP_CWORD=3
        COMP_LINE="$3 snapshot-revert pkg " COMP_POINT=${#COMP_LINE}
        _domsnap "$3" "" pkg; echo "${COMPREPLY[*]}"' _ "$bc" \
        "$root/usr/share/bash-completion/completions/domsnap" "$DOMSNAP" 2>&1)
    expect_eq "the packaged completion offers s1 for 'snapshot-revert pkg '" "s1" "$got"
else
    ok "the packaged completion # SKIP bash-completion is not installed"
fi

check "destroy pkg" ds destroy pkg
expect_eq "no QEMU is left" "0" "$(qemu_count)"
finish
