#!/usr/bin/env bash
# The planner at the size of a real instance, with a release build: for each shape, the
# wall time and peak memory (state loading included) of `runbook plan`, the length of the
# plan it prints checked against the optimum worked out by hand for that shape, and the
# plan run back through `runbook run --state` to its goals.
#   scripts/bench/plan.sh [ROUNDS]     (the median of ROUNDS runs; default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
bin=$PWD/$(scripts/build-release.sh)
work=.build-bench/plan
mkdir -p "$work"

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]

def state(name, admins, users, connections, grants, stranded=()):
    members = [{"name": a, "role": "admin"} for a in admins] + [{"name": u, "role": "user"} for u in users]
    json.dump({"format": "runbook-state", "version": 1, "members": members, "connections": connections,
               "grants": grants, "stranded": list(stranded)}, open(f"{work}/{name}.json", "w"))

for n in (15, 2000, 6000):  # admin boss connected, users u0... with no access
    state(f"users{n}", ["boss"], [f"u{i}" for i in range(n)], ["boss"], [])
for n in (200, 2000, 10000):  # n admins, all connected
    admins = [f"a{i}" for i in range(n)]
    state(f"admins{n}", admins, [], admins, [])
state("admins102", [f"a{i}" for i in range(102)], [], [f"a{i}" for i in range(100)], [])
# 20,000 members: 100 admins, adm0...adm49 connected, adm99 holding access; 10,000 of the
# 19,900 users holding access.
admins = [f"adm{i}" for i in range(100)]
users = [f"u{i}" for i in range(19900)]
state("large", admins, users, admins[:50], ["adm99"] + users[:9999])
# After an incident: the same 20,000 members, nobody connected, u0...u9999 stranded.
state("incident", admins, users, [], [], users[:10000])
PY

grants() { for i in $(seq 0 $(($1 - 1))); do printf 'u%s has access;' "$i"; done; }
# name | state | optimum | goals, separated by ';'
rows=(
  "15 grants|users15|15|$(grants 15)"
  "2,000 grants|users2000|2000|$(grants 2000)"
  "6,000 grants|users6000|6000|$(grants 6000)"
  "6,000 grants, as one goal 'u0, ... has access'|users6000|6000|$(seq -s, -f 'u%g' 0 5999 | sed 's/,/, /g') has access"
  "200 admins, owner none|admins200|200|owner none"
  "2,000 admins, owner none|admins2000|2000|owner none"
  "10,000 admins, owner none|admins10000|10000|owner none"
  "102 admins, owner a77|admins102|2|owner a77"
  "20,000 members, owner adm50 (free)|large|1|owner adm50"
  "20,000 members, owner adm99 (holds access)|large|2|owner adm99"
  "20,000 members, adm10 absent (connected)|large|2|adm10 absent"
  "20,000 members, owner adm50 + adm10 absent|large|3|owner adm50;adm10 absent"
  "20,000 members, 10,000 stranded, 'u0, ... connected'|incident|10001|$(seq -s, -f 'u%g' 0 9999 | sed 's/,/, /g') connected|2"
)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-48s %8s %10s %9s %s\n' "shape" "actions" "statements" "wall (s)" "peak (MB)"
for row in "${rows[@]}"; do
    IFS='|' read -r name file optimum goals optimalStatements <<<"$row"
    IFS=';' read -r -a args <<<"$goals"
    walls=()
    peaks=()
    for _ in $(seq "$rounds"); do
        /usr/bin/time -f '%e %M' -o "$work/time" "$bin" plan --state "$work/$file.json" "${args[@]}" >"$work/plan.runbook"
        read -r wall kb <"$work/time"
        walls+=("$wall")
        peaks+=("$kb")
    done
    header=$(sed -n 2p "$work/plan.runbook")
    actions=$(echo "$header" | sed -E 's/^# ([0-9,]+) actions?.*/\1/' | tr -d ,)
    statements=$(echo "$header" | sed -nE 's/.* in ([0-9,]+) statements?,.*/\1/p' | tr -d ,)
    if [ "$actions" != "$optimum" ]; then
        echo "$name: $actions actions, but the optimum is $optimum" >&2
        exit 1
    fi
    if [ -n "${optimalStatements:-}" ] && [ "${statements:-$actions}" != "$optimalStatements" ]; then
        echo "$name: ${statements:-$actions} statements, but the optimum is $optimalStatements" >&2
        exit 1
    fi
    "$bin" run --quiet --state "$work/$file.json" "$work/plan.runbook"
    wall=$(printf '%s\n' "${walls[@]}" | median)
    peak=$(printf '%s\n' "${peaks[@]}" | median)
    printf '%-48s %8s %10s %9s %9.0f\n' "$name" "$actions" "${statements:-$actions}" "$wall" "$(echo "$peak/1024" | bc -l)"
done
