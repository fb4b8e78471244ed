#!/bin/sh
# The layers of ../shared/DESIGN.md, bottom up; an include may only point to
# its own layer or one below. Prints every include that points up (none is
# the only passing answer), as TAP.
#   util < formats < store < image < drivers < engine < lib < cli
set -u
src=${1:-$(dirname "$0")/../src}
up=$(cd "$src" && grep -rn '^#include "[a-z_]*/' --include='*.c' --include='*.h' . | awk -F: '
    BEGIN { n = split("util formats store image drivers engine lib cli", l, " ");
            for (i = 1; i <= n; i++) rank[l[i]] = i }
    { split($1, path, "/"); me = path[2]
      to = $3; sub(/^#include "/, "", to); sub(/\/.*/, "", to)
      if ((to in rank) && (me in rank) && rank[to] > rank[me])
          printf "src/%s:%s: %s includes %s: %s\n", substr($1, 3), $2, me, to, $3 }')
echo "1..1"
if [ -z "$up" ]; then
    echo "ok 1 - no include points to a higher layer (util < formats < store < image < drivers < engine < lib < cli)"
else
    echo "not ok 1 - includes that point to a higher layer"
    echo "$up" | sed 's/^/# /'
    exit 1
fi
