#!/usr/bin/env python3
"""Writes the benchmark workload twice: as a runbook and as the same calls in Lua 5.4.

    generate.py STATEMENTS OUT.runbook OUT.lua [--admins 200] [--users 10000]

Deterministic (fixed seed). Declarations come in lines of 50 names; then grants and
revokes by the owner, `expect NAME connected` / `not connected` / `owner`, refused
actions under `expect violation`, and a handoff (grant, revoke, connect, disconnect)
every 5,000 statements. The runbook runs clean (exit 0); the Lua program makes the same
calls in the same order against plain Lua functions and tables (rules.lua).
"""
import random
import sys


def main():
    args = sys.argv[1:]
    admins_n, users_n = 200, 10_000
    if "--admins" in args:
        i = args.index("--admins"); admins_n = int(args[i + 1]); del args[i:i + 2]
    if "--users" in args:
        i = args.index("--users"); users_n = int(args[i + 1]); del args[i:i + 2]
    total, runbook_path, lua_path = int(args[0]), args[1], args[2]
    rng = random.Random(20261125)
    admins = [f"admin{i}" for i in range(admins_n)]
    users = [f"user{i}" for i in range(users_n)]
    rb, lua = [], []
    count = 0

    def emit(statement, call):
        nonlocal count
        rb.append(statement)
        lua.append(call)
        count += 1

    def q(name):
        return '"' + name + '"'

    for chunk in range(0, admins_n, 50):
        names = admins[chunk:chunk + 50]
        emit("admin " + ", ".join(names), "declare('admin', {" + ",".join(map(q, names)) + "})")
    for chunk in range(0, users_n, 50):
        names = users[chunk:chunk + 50]
        emit("user " + ", ".join(names), "declare('user', {" + ",".join(map(q, names)) + "})")
    owner = admins[0]
    emit(f"as {owner} connect", f"connect({q(owner)})")
    granted, granted_set = [], set()
    next_admin = 1
    while count < total:
        if count % 5000 == 0:
            new = admins[next_admin % admins_n]
            next_admin += 1
            if new == owner:
                new = admins[next_admin % admins_n]; next_admin += 1
            emit(f"as {owner} grant {new}", f"grant({q(owner)}, {{{q(new)}}})")
            emit(f"as {owner} revoke {new}", f"revoke({q(owner)}, {{{q(new)}}})")
            emit(f"as {new} connect", f"connect({q(new)})")
            emit(f"as {owner} disconnect", f"disconnect({q(owner)})")
            owner = new
            continue
        op = rng.randrange(10)
        if op <= 2 or not granted:
            u = users[rng.randrange(users_n)]
            if u in granted_set:
                emit(f"expect {u} connected", f"expect_connected({q(u)})")
            else:
                emit(f"as {owner} grant {u}", f"grant({q(owner)}, {{{q(u)}}})")
                granted.append(u); granted_set.add(u)
        elif op <= 4:
            k = rng.randrange(len(granted))
            u = granted[k]
            granted[k] = granted[-1]; granted.pop(); granted_set.discard(u)
            emit(f"as {owner} revoke {u}", f"revoke({q(owner)}, {{{q(u)}}})")
        elif op == 5 or op == 9:
            u = granted[rng.randrange(len(granted))]
            emit(f"expect {u} connected", f"expect_connected({q(u)})")
        elif op == 6:
            u = users[rng.randrange(users_n)]
            if u in granted_set:
                emit(f"expect {u} has access", f"expect_access({q(u)})")
            else:
                emit(f"expect {u} not connected", f"expect_not_connected({q(u)})")
        elif op == 7:
            emit(f"expect owner {owner}", f"expect_owner({q(owner)})")
        else:
            kind = rng.randrange(3)
            if kind == 0:
                u = users[rng.randrange(users_n)]
                emit(f"expect violation connect-requires-admin as {u} connect",
                     f"expect_violation('connect-requires-admin', connect, {q(u)})")
            elif kind == 1:
                a = admins[rng.randrange(admins_n)]
                if a == owner:
                    a = admins[(admins.index(a) + 1) % admins_n]
                emit(f"expect violation disconnect-requires-connection as {a} disconnect",
                     f"expect_violation('disconnect-requires-connection', disconnect, {q(a)})")
            else:
                u = granted[rng.randrange(len(granted))]
                emit(f"expect violation already-has-access as {owner} grant {u}",
                     f"expect_violation('already-has-access', grant, {q(owner)}, {{{q(u)}}})")
    with open(runbook_path, "w") as f:
        f.write("\n".join(rb) + "\n")
    with open(lua_path, "w") as f:
        # Lua limits the constants of one function, so the calls go in chunks of functions.
        f.write("local R = dofile(arg[1])\n")
        f.write("local declare, connect, disconnect, grant, revoke = R.declare, R.connect, R.disconnect, R.grant, R.revoke\n")
        f.write("local expect_connected, expect_not_connected, expect_access, expect_owner, expect_violation = "
                "R.expect_connected, R.expect_not_connected, R.expect_access, R.expect_owner, R.expect_violation\n")
        for start in range(0, len(lua), 10_000):
            f.write("do local function chunk()\n")
            f.write("\n".join(lua[start:start + 10_000]))
            f.write("\nend chunk() end\n")
        f.write("R.summary()\n")


if __name__ == "__main__":
    main()
