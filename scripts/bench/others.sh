#!/usr/bin/env bash
# The other speed goals, each measured on a generated input with a release build:
#   - lexing plus parsing a ~25 MB runbook (goal: at least 100 MB/s), process start and
#     file reading included, for `run`, for `test` (the file is one test) and for
#     `fmt --check` (which also writes the canonical text);
#   - `runbook test` on 10,000 scenarios in one file (goal: under a second);
#   - `runbook plan` on a 2,000-member instance with 1,000 grants (goal: under 100 ms);
#   - `runbook run --quiet` on 20,000 names that mix scripts (`p\u0430y0`, `p\u0430y1`, ...
#     with a Cyrillic `а`), declared in one statement, each a lookalike warning (goal:
#     under 0.5 s).
#   - `runbook procedure` of a 10,000-statement runbook (goal: under a second).
#   scripts/bench/others.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
bin=$PWD/$(scripts/build-release.sh)
work=.build-bench/workload
mkdir -p "$work"

python3 - "$work" <<'PY'
import sys, random
work = sys.argv[1]
rng = random.Random(7)
# ~25 MB: a failing first statement, so that a run parses everything and runs nothing.
lines = ["expect owner nobody", "admin " + ", ".join(f"admin{i}" for i in range(50))]
size = sum(len(l) + 1 for l in lines)
while size < 25_000_000:
    u = f"user{rng.randrange(10000)}"
    lines.append(rng.choice([f"as admin1 grant {u}", f"expect {u} connected", f"as admin1 revoke {u}",
                             f"expect violation connect-requires-admin as {u} connect", "expect owner admin1"]))
    size += len(lines[-1]) + 1
open(f"{work}/parse.runbook", "w").write("\n".join(lines) + "\n")
# 10,000 scenarios.
out = ["admin anna, ben", "user carl", "as anna connect", "as anna grant carl", ""]
for i in range(10000):
    out += [f'scenario "handoff {i}" {{', "  as ben connect", "  as anna disconnect", "  expect carl connected",
            "  expect violation already-connected as ben connect", "}", ""]
open(f"{work}/scenarios.runbook", "w").write("\n".join(out))
# 2,000 members, 1,000 grants, adminA connected.
import json
members = [{"name": "adminA", "role": "admin"}, {"name": "adminB", "role": "admin"}]
members += [{"name": f"admin{i}", "role": "admin"} for i in range(98)]
members += [{"name": f"user{i}", "role": "user"} for i in range(1900)]
grants = ["adminB"] + [f"user{i}" for i in range(999)]
# 20,000 names that mix scripts, in one declaration.
open(f"{work}/lookalikes.runbook", "w").write("user " + ", ".join(f"p\u0430y{i}" for i in range(20000)) + "\n")
json.dump({"format": "runbook-state", "version": 1, "members": members, "connections": ["adminA"], "grants": grants},
          open(f"{work}/plan-state.json", "w"))
# 10,000 statements that run clean: 100 admins and 2,000 users declared, then grants and
# revokes by the owner, expectations, and a handoff now and then.
admins, users = [f"admin{i}" for i in range(100)], [f"user{i}" for i in range(2000)]
out = ["admin " + ", ".join(admins[i:i + 50]) for i in range(0, 100, 50)]
out += ["user " + ", ".join(users[i:i + 50]) for i in range(0, 2000, 50)]
out += ["as admin0 connect", "expect owner admin0"]
owner, granted = 0, set()
while len(out) < 10000:
    r = rng.random()
    if r < 0.4:
        u = rng.choice(users)
        out.append(f"as admin{owner} {'revoke' if u in granted else 'grant'} {u}")
        granted ^= {u}
    elif r < 0.7:
        u = rng.choice(users)
        out.append(f"expect {u} {'connected' if u in granted else 'not connected'}")
    elif r < 0.75:
        new = rng.choice([a for a in range(100) if a != owner])
        out += [f"as admin{new} connect", f"as admin{owner} disconnect"]
        owner = new
    else:
        out.append(f"expect owner admin{owner}")
open(f"{work}/procedure.runbook", "w").write("\n".join(out) + "\n")
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_of() {  # wall seconds of one run, the exit status ignored
    local start end
    start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}
size=$(stat -c %s "$work/parse.runbook")
parse=$(for _ in $(seq "$rounds"); do time_of "$bin" run --quiet "$work/parse.runbook"; done | median)
tree=$(for _ in $(seq "$rounds"); do time_of "$bin" test "$work/parse.runbook"; done | median)
fmt=$(for _ in $(seq "$rounds"); do time_of "$bin" fmt --check "$work/parse.runbook"; done | median)
scen=$(for _ in $(seq "$rounds"); do time_of "$bin" test "$work/scenarios.runbook"; done | median)
plan=$(for _ in $(seq "$rounds"); do time_of "$bin" plan --state "$work/plan-state.json" 'owner adminB' 'adminA absent'; done | median)
look=$(for _ in $(seq "$rounds"); do time_of "$bin" run --quiet "$work/lookalikes.runbook"; done | median)
procedure=$(for _ in $(seq "$rounds"); do time_of "$bin" procedure "$work/procedure.runbook"; done | median)
"$bin" procedure "$work/procedure.runbook" >/dev/null || { echo "the procedure workload did not run clean" >&2; exit 1; }
"$bin" test "$work/scenarios.runbook" | tail -1
"$bin" plan --state "$work/plan-state.json" 'owner adminB' 'adminA absent' | sed -n '3,6p'
printf 'lex + parse for runbook run (the first statement stops it) of %.1f MB: %.3f s = %.0f MB/s (goal >= 100)\n' "$(echo "$size/1000000" | bc -l)" "$parse" "$(echo "$size/1000000/$parse" | bc -l)"
printf 'lex + parse for runbook test (the file is one test, stopped at once): %.3f s = %.0f MB/s\n' "$tree" "$(echo "$size/1000000/$tree" | bc -l)"
printf 'lex + parse + canonical text (fmt --check): %.3f s = %.0f MB/s\n' "$fmt" "$(echo "$size/1000000/$fmt" | bc -l)"
printf 'runbook test, 10,000 scenarios: %.3f s (goal < 1 s)\n' "$scen"
printf 'runbook run --quiet, 20,000 names that mix scripts: %.3f s (goal < 0.5 s)\n' "$look"
printf 'runbook plan, 2,000 members and 1,000 grants, state loading included: %.0f ms (goal < 100 ms)\n' "$(echo "$plan*1000" | bc -l)"
printf 'runbook procedure, 10,000 statements (%s lines of Markdown): %.3f s (goal < 1 s)\n' "$("$bin" procedure "$work/procedure.runbook" | wc -l)" "$procedure"
