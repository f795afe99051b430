#!/usr/bin/env python3
"""Runs runbook and the Lua baseline side by side, alternating, and prints medians and ratios.

    compare.py RUNBOOK_BINARY WORKLOAD.runbook WORKLOAD.lua RULES.lua [--rounds N] [--against OTHER_BINARY]

For each command: median wall time, statements per second, MB/s, and peak memory
(maximum resident set size from /usr/bin/time -v); then the ratios runbook/Lua. Also
`wc -l` on the same file (the I/O floor) and startup on a 3-statement runbook against a
3-line Lua script. With --against, another build's `run --quiet` and `run` (an earlier commit's,
say) run in the same rounds, and their ratios to Lua are printed beside this one's.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def measure(command, stdout=subprocess.DEVNULL):
    """Wall seconds (to the microsecond, /usr/bin/time's own start included) and peak KiB
    (from /usr/bin/time) of one run."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        began = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", t.name] + command,
                                stdout=stdout, stderr=subprocess.PIPE)
        wall = time.perf_counter() - began
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
        peak = t.read().split()[-1]
        return wall, int(peak)


def main():
    args = sys.argv[1:]
    rounds = 5
    if "--rounds" in args:
        i = args.index("--rounds"); rounds = int(args[i + 1]); del args[i:i + 2]
    against = None
    if "--against" in args:
        i = args.index("--against"); against = args[i + 1]; del args[i:i + 2]
    runbook, workload, lua_workload, rules = args
    size_mb = os.path.getsize(workload) / 1e6
    statements = sum(1 for _ in open(workload))
    out = tempfile.NamedTemporaryFile("w", suffix=".out", delete=False)
    commands = {
        "runbook run --quiet": [runbook, "run", "--quiet", workload],
        "runbook run (events to a file)": [runbook, "run", workload],
        "lua5.4 (baseline)": ["lua5.4", lua_workload, rules],
        "wc -l (I/O floor)": ["wc", "-l", workload],
    }
    if against:
        commands["other build: run --quiet"] = [against, "run", "--quiet", workload]
        commands["other build: run (events)"] = [against, "run", workload]
    samples = {name: [] for name in commands}
    for _ in range(rounds):  # alternate, so that machine noise falls on all alike
        for name, command in commands.items():
            with open(out.name, "w") as sink:
                samples[name].append(measure(command, stdout=sink))
    print(f"workload: {workload}: {statements:,} statements, {size_mb:.1f} MB; {rounds} rounds, alternating")
    print(f"{'command':34} {'median s':>9} {'stmts/s':>12} {'MB/s':>8} {'peak MiB':>9}")
    medians = {}
    for name, runs in samples.items():
        wall = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs) / 1024
        medians[name] = (wall, peak)
        rate = statements / wall if wall > 0 else float("inf")
        mbps = size_mb / wall if wall > 0 else float("inf")
        print(f"{name:34} {wall:9.3f} {rate:12,.0f} {mbps:8.1f} {peak:9.1f}")
    lua_wall, lua_peak = medians["lua5.4 (baseline)"]
    q_wall, q_peak = medians["runbook run --quiet"]
    t_wall, _ = medians["runbook run (events to a file)"]
    print(f"ratio runbook --quiet / lua: wall {q_wall / lua_wall:.2f}x (goal <= 0.20x), peak memory {q_peak / lua_peak:.2f}x (goal <= 0.75x)")
    print(f"ratio runbook (events) / lua: wall {t_wall / lua_wall:.2f}x (goal <= 0.5x)")
    if against:
        o_wall, o_peak = medians["other build: run --quiet"]
        fastest = {name: min(r[0] for r in samples[name]) for name in samples}
        e_wall, _ = medians["other build: run (events)"]
        print(f"other build --quiet / lua: wall {o_wall / lua_wall:.2f}x, peak memory {o_peak / lua_peak:.2f}x; "
              f"events {e_wall / lua_wall:.2f}x; "
              f"fastest runs: this build {fastest['runbook run --quiet'] / fastest['lua5.4 (baseline)']:.2f}x, "
              f"other build {fastest['other build: run --quiet'] / fastest['lua5.4 (baseline)']:.2f}x")

    # Startup: a 3-statement runbook against a 3-line Lua script.
    with tempfile.TemporaryDirectory() as d:
        tiny = os.path.join(d, "tiny.runbook")
        with open(tiny, "w") as f:
            f.write("admin anna\nas anna connect\nexpect owner anna\n")
        tiny_lua = os.path.join(d, "tiny.lua")
        with open(tiny_lua, "w") as f:
            f.write("local owner = nil\nlocal function connect(a) owner = a end\nconnect('anna'); assert(owner == 'anna')\n")
        start = {"runbook": [], "lua": []}
        for _ in range(max(rounds, 30)):
            for name, command in (("runbook", [runbook, "run", "--quiet", tiny]), ("lua", ["lua5.4", tiny_lua])):
                began = time.perf_counter()
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
                start[name].append(time.perf_counter() - began)
        r, l = statistics.median(start["runbook"]), statistics.median(start["lua"])
        print(f"startup (3 statements, fork and exec included): runbook {r * 1000:.1f} ms, lua {l * 1000:.1f} ms, "
              f"ratio {r / l:.1f}x (goal <= 1.5x)")
    os.unlink(out.name)


if __name__ == "__main__":
    main()
