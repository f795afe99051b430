#!/usr/bin/env python3
"""The language server's outline of a large document: a runbook of LINES lines of 20
declared names each (200,000 names at the default 10,000 lines) is opened, then its
documentSymbol is asked for.

    scripts/bench/outline.py BINARY [LINES]

Prints the time from sending the request to reading its reply, the reply's size and
symbol count, what the server logged about it, and the server's peak resident memory.
"""
import json
import subprocess
import sys
import time


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read(stream):
    length = None
    while True:
        line = stream.readline()
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(stream.read(length))


def main():
    binary = sys.argv[1]
    lines = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    text = "\n".join("user " + ", ".join(f"u{l}_{i}" for i in range(20)) for l in range(lines)) + "\n"
    uri = "file:///bench/outline.runbook"
    server = subprocess.Popen(["/usr/bin/time", "-f", "%M", binary, "lsp"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    send = lambda m: (server.stdin.write(frame(m)), server.stdin.flush())
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    read(server.stdout)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "runbook", "version": 1, "text": text}}})
    while read(server.stdout).get("method") != "textDocument/publishDiagnostics":
        pass
    start = time.monotonic()
    send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}})
    logged = []
    while True:
        message = read(server.stdout)
        if message.get("method") == "window/logMessage":
            logged.append(message["params"]["message"])
        if message.get("id") == 2:
            break
    elapsed = time.monotonic() - start
    size = len(json.dumps(message))
    send({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
    read(server.stdout)
    send({"jsonrpc": "2.0", "method": "exit"})
    _, err = server.communicate()
    peak = int(err.decode().strip().splitlines()[-1])
    print(f"documentSymbol of {lines:,} lines ({lines * 20:,} names): {elapsed:.3f} s, "
          f"{len(message['result']):,} symbols in {size / 1e6:.1f} MB; server peak {peak / 1024:.0f} MiB")
    for line in logged:
        print("logged:", line)


if __name__ == "__main__":
    main()
