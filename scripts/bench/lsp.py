#!/usr/bin/env python3
"""A client of `runbook lsp` that measures it: a 5,000-line runbook with 20 scenarios is
opened, then edited one character at a time; then the same with a syntax error in it (a
half-typed line in one scenario, as someone typing leaves it).

    scripts/bench/lsp.py BINARY [EDITS] [MEMORY_EDITS]

Prints, for EDITS one-character didChange notifications (each waited for): the time from
sending the change to receiving the publishDiagnostics of that version, median and p95;
the same with the syntax error; the same for hover and completion requests; and the server's resident memory (VmRSS)
every 1,000 of MEMORY_EDITS further edits.
"""
import json
import os
import random
import statistics
import subprocess
import sys
import time

random.seed(16)


def runbook(lines=5000, scenarios=20):
    """A runbook of `lines` lines: members, a connected owner, grants; then scenarios of
    grants, revokes and expectations, each ending in a handoff."""
    out = ["# benchmark: a large team's handoff rehearsals"]
    admins = [f"admin{i}" for i in range(20)]
    users = [f"user{i}" for i in range(400)]
    out.append("admin " + ", ".join(admins))
    for i in range(0, len(users), 20):
        out.append("user " + ", ".join(users[i:i + 20]))
    out.append("as admin0 connect")
    for i in range(0, 200, 20):
        out.append("as admin0 grant " + ", ".join(users[i:i + 20]))
    per = (lines - len(out)) // scenarios
    for s in range(scenarios):
        out.append("")
        out.append(f'scenario "rehearsal {s}" {{')
        body = []
        granted = set(users[:200])
        while len(body) < per - 7:
            u = users[random.randrange(len(users))]
            if u in granted:
                body.append(f"  as admin0 revoke {u}")
                body.append(f"  expect {u} not connected")
                granted.discard(u)
            else:
                body.append(f"  as admin0 grant {u}")
                body.append(f"  expect {u} connected  # {u} reaches Marketo through admin0")
                granted.add(u)
        body += ["  as admin0 grant admin1", "  as admin0 revoke admin1", "  as admin1 connect",
                 "  as admin0 disconnect", "  expect owner admin1"]
        out += body
        out.append("}")
    return "\n".join(out) + "\n"


class Client:
    def __init__(self, binary):
        self.process = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id:
                return message

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, version, uri):
        while True:
            message = self.read()
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params.get("version") == version and params.get("uri") == uri:
                return message["params"]["diagnostics"]

    def rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def edit(client, uri, lines, target, version, edits, memory_edits, base, label):
    """One-character edits at the end of line `target`, each waited for: a character added
    (one more diagnostic than `base`) and taken away again. Prints the latencies of the
    first `edits`, and the memory every 1,000 of the `memory_edits` after them."""
    column = len(lines[target])
    times = []
    for n in range(edits + memory_edits):
        version += 1
        if n % 2 == 0:
            change = {"range": {"start": {"line": target, "character": column}, "end": {"line": target, "character": column}}, "text": "x"}
        else:
            change = {"range": {"start": {"line": target, "character": column}, "end": {"line": target, "character": column + 1}}, "text": ""}
        sent = time.perf_counter()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        diagnostics = client.diagnostics(version, uri)
        elapsed = time.perf_counter() - sent
        if n < edits:
            times.append(elapsed)
            expected = base + (1 if n % 2 == 0 else 0)
            assert len(diagnostics) == expected, (n, diagnostics)
        elif (n - edits) % 1000 == 0 or n == edits + memory_edits - 1:
            print(f"  after {n - edits + 1:>6} more edits: VmRSS {client.rss_kib() / 1024:.1f} MiB")
    print(f"didChange to publishDiagnostics{label}, {edits} edits: median {statistics.median(times) * 1000:.1f} ms, "
          f"p95 {percentile(times, 95) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms")


def main():
    binary = sys.argv[1]
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    memory_edits = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    text = runbook()
    lines = text.split("\n")
    uri = "file:///bench/large.runbook"
    client = Client(binary)
    client.request("initialize", {"capabilities": {}})
    client.notify("initialized", {})
    start = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "runbook", "version": 1, "text": text}})
    first = client.diagnostics(1, uri)
    opened = time.perf_counter() - start
    print(f"document: {len(lines) - 1} lines, {text.count('scenario ')} scenarios, {len(text)} bytes; "
          f"open to diagnostics {opened * 1000:.1f} ms, {len(first)} diagnostics")

    # One-character edits in the middle of the file: a user's name gets a character (an
    # unknown member, a violation in that scenario) and loses it again.
    target = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("  as admin0 grant user"))
    edit(client, uri, lines, target, 1, edits, memory_edits, base=0, label="")

    # The same with a half-typed line in a scenario of the first half: that scenario does
    # not run and says so on its title, the rest are rehearsed as before.
    broken_uri = "file:///bench/typing.runbook"
    typing = list(lines)
    typing.insert(next(i for i in range(1, len(lines)) if lines[i].startswith("  as admin0 ")) + 1, "  as admin0 conect")
    client.notify("textDocument/didOpen", {"textDocument": {"uri": broken_uri, "languageId": "runbook", "version": 1, "text": "\n".join(typing)}})
    opened = client.diagnostics(1, broken_uri)
    assert [d.get("code") for d in opened] == ["expected", "not-run"], opened
    edit(client, broken_uri, typing, target + 1, 1, edits, 0, base=2, label=", with a syntax error")

    for method, make in [
        ("textDocument/hover", lambda line: {"line": line, "character": 4}),
        ("textDocument/completion", lambda line: {"line": line, "character": 12}),
    ]:
        times = []
        candidates = [i for i, l in enumerate(lines) if l.startswith("  as admin0 ")]
        for _ in range(200):
            line = random.choice(candidates)
            sent = time.perf_counter()
            answer = client.request(method, {"textDocument": {"uri": uri}, "position": make(line)})
            times.append(time.perf_counter() - sent)
            assert answer.get("result"), answer
        print(f"{method}, 200 requests: median {statistics.median(times) * 1000:.1f} ms, p95 {percentile(times, 95) * 1000:.1f} ms")

    client.request("shutdown", None)
    client.notify("exit", None)
    client.process.wait(timeout=10)


if __name__ == "__main__":
    main()
