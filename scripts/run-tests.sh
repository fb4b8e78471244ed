#!/bin/sh
# Runs the test suites through meson and prints one closing line:
#   "N passed, N failed, N skipped"  (counting every TAP subtest)
# followed by the reason of every skip.
# usage: run-tests.sh BUILD-DIR [SUITE]
# env:   TIMEOUT_MULTIPLIER (meson test's --timeout-multiplier)
set -u
build=$1
suite=${2:-}

set -- --print-errorlogs
[ -n "$suite" ] && set -- "$@" --suite "$suite"
# (check-asan: sanitized programs run slower)
[ -n "${TIMEOUT_MULTIPLIER:-}" ] && set -- "$@" --timeout-multiplier "$TIMEOUT_MULTIPLIER"
meson test -C "$build" "$@"
rc=$?

python3 - "$build/meson-logs/testlog.json" <<'PY'
import itertools, json, re, sys
passed = failed = skipped = 0
reasons = []
summaries = []
failures = []
with open(sys.argv[1]) as f:
    for line in f:
        t = json.loads(line)
        out = t.get("stdout") or ""
        name = t["name"]
        plan_skip = re.search(r"^1\.\.0\s*#\s*SKIP\s*(.*)$", out, re.M)
        if plan_skip:
            skipped += 1
            reasons.append(f"{name}: {plan_skip.group(1).strip()}")
            continue
        oks = nots = skips = 0
        lines = out.splitlines()
        for i, l in enumerate(lines):
            if l.startswith("# summary: "):
                summaries.append(l[len("# summary: "):])
            m = re.match(r"^(not )?ok\b[^#]*(#\s*(SKIP|skip)\S*\s*(.*))?", l)
            if not m:
                continue
            if m.group(2):
                skips += 1
                reasons.append(f"{name}: {m.group(4).strip()}")
            elif m.group(1):
                nots += 1
                # the failure and its diagnostics, so that the last lines of
                # a CI log say what failed
                diag = list(itertools.takewhile(lambda d: d.startswith("#"), lines[i + 1:i + 9]))
                failures.append(f"{name}: {l}")
                failures.extend("    " + d for d in diag)
            else:
                oks += 1
        if oks + nots + skips == 0:
            # Not TAP: count the test itself.
            if t["result"] == "OK": oks = 1
            elif t["result"] == "SKIP": skips = 1; reasons.append(f"{name}: skipped")
            else: nots = 1; failures.append(f"{name}: {t['result']}")
        elif t["result"] not in ("OK", "SKIP") and nots == 0:
            nots = 1  # crashed or timed out after its last TAP line
            failures.append(f"{name}: {t['result']} after its last TAP line")
        passed += oks; failed += nots; skipped += skips
print()
for s in summaries:
    print(s)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
for r in reasons:
    print(f"  skipped: {r}")
for f in failures:
    print(f"  failed: {f}")
PY
exit $rc
