import Foundation
import Testing

/// Bad input through every entry point ends in a clear diagnostic and the documented
/// exit status, never a crash or a hang: each row runs under a time limit, and says what
/// it says in a few lines.
struct BadInput: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    /// Written to `input` in the scratch folder (and fed on standard input when `stdin`).
    var input: [UInt8]
    var stdin = false
    /// Shell redirections for the run: `> /dev/full`, `<&-`.
    var redirect = ""
    var status: Int32
    var says: String
    /// At most this many bytes of output: no row may flood a terminal.
    var outputLimit = 1 << 16
    var testDescription: String { (arguments + [redirect]).joined(separator: " ") + " → \(status)" }
}

/// A runbook that runs, for the rows about where its output goes.
let runs = Array("admin anna\nas anna connect\nexpect owner anna\n".utf8)

let garbage: [UInt8] = Array("admin \"a\u{0}b\"\n\u{1}\u{7F}".utf8) + [0xFF, 0xFE, 0x0A] + Array("scenario {\n".utf8)
let manyBraces = [UInt8](String(repeating: "}}} ,,, \"x\n", count: 20_000).utf8)

/// A line of 40,000 errors, which once printed the line once for each of them.
let errorsOnOneLine = [UInt8](String(repeating: "% ", count: 40_000).utf8)

let badInputs: [BadInput] = [
    BadInput(
        arguments: ["run", "input"], input: errorsOnOneLine, status: 65, says: "input: and 39,950 more errors",
        outputLimit: 20_000),
    BadInput(
        arguments: ["fmt", "input"], input: errorsOnOneLine, status: 65, says: "input: and 39,950 more errors",
        outputLimit: 20_000),
    BadInput(
        arguments: ["test", "input"], input: errorsOnOneLine, status: 65, says: "input: and 39,950 more errors",
        outputLimit: 20_000),
    BadInput(
        arguments: ["repl"], input: errorsOnOneLine, stdin: true, status: 65, says: "<stdin>: and 39,950 more errors",
        outputLimit: 20_000),
    BadInput(arguments: ["run", "input"], input: garbage, status: 65, says: "input:1:9: error: unexpected control byte 0x00"),
    BadInput(arguments: ["run", "input"], input: manyBraces, status: 65, says: "unexpected '}' with no scenario open"),
    BadInput(arguments: ["run", "-"], input: garbage, stdin: true, status: 65, says: "<stdin>:2:3: error: invalid UTF-8 byte 0xFF"),
    BadInput(arguments: [], input: garbage, stdin: true, status: 65, says: "<stdin>:2:1: error: unexpected control byte 0x01"),
    BadInput(arguments: ["repl"], input: garbage, stdin: true, status: 65, says: "<stdin>:1:9: error: unexpected control byte 0x00"),
    BadInput(
        arguments: ["repl"], input: Array("admin a\nscenario \"s\" {\n  as a connect\n".utf8), stdin: true, status: 65,
        says: "expected '}' to close the scenario opened at line 2"),
    BadInput(arguments: ["run", "."], input: [], status: 66, says: ".: cannot read: is a directory"),
    BadInput(arguments: ["run", "missing"], input: [], status: 66, says: "missing: cannot read: No such file or directory"),
    BadInput(
        arguments: ["test", "input"], input: garbage, status: 65,
        says: "FAIL input did not run: 7 syntax errors found before anything ran\n0 passed, 1 failed"),
    BadInput(arguments: ["test", "missing"], input: [], status: 66, says: "missing: cannot read"),
    BadInput(arguments: ["fmt", "input"], input: garbage, status: 65, says: "error: invalid UTF-8 byte 0xFF"),
    BadInput(arguments: ["fmt", "--check", "input"], input: manyBraces, status: 65, says: "unexpected '}'"),
    BadInput(arguments: ["fmt", "missing"], input: [], status: 66, says: "missing: cannot read"),
    BadInput(
        arguments: ["plan", "--state", "input", "owner a"], input: Array("{\"format\":".utf8), status: 65,
        says: "input: invalid state file: not valid JSON"),
    BadInput(arguments: ["plan", "--state", "input", "owner"], input: [], status: 64, says: "invalid goal 'owner'"),
    BadInput(
        arguments: ["plan", "--state", "input", "violation as a connect"], input: [], status: 64,
        says: "'violation' is not a goal"),
    BadInput(arguments: ["plan", "--state", "input"], input: [], status: 64, says: "Missing expected argument '<goals> ...'"),
    BadInput(
        arguments: ["run", "--state", "input", "-"], input: Array("[1, 2".utf8), stdin: false, status: 65,
        says: "input: invalid state file: not valid JSON"),
    BadInput(
        arguments: ["run", "--state", "input", "-"], input: Array(String(repeating: "[", count: 100_000).utf8),
        status: 65, says: "invalid state file"),
    BadInput(
        arguments: ["run", "--state", "input", "-"],
        input: Array(#"{"format":"runbook-state","version":1,"members":[{"name":"a","role":"owner"}],"connections":[],"grants":[]}"#.utf8),
        status: 65, says: "invalid state file"),
    BadInput(
        arguments: ["run", "--state", "input", "-"],
        input: Array(#"{"format":"runbook-state","version":"1","members":[],"connections":[],"grants":[]}"#.utf8),
        status: 65, says: "invalid state file: wrong type at 'version': expected a number"),
    BadInput(
        arguments: ["repl", "--state", "input"], input: Array("nonsense".utf8), stdin: false, status: 65,
        says: "invalid state file"),
    BadInput(
        arguments: ["plan", "--state", "/dev/zero", "owner a"], input: [], status: 66,
        says: "/dev/zero: cannot read state file: is not a regular file"),
    BadInput(
        arguments: ["repl", "--state", "."], input: [], status: 66,
        says: "runbook: .: cannot read state file: names a directory, not a file"),
    BadInput(
        arguments: ["run", "--state", "input", "-"], input: Array("[]".utf8), status: 65,
        says: "input: invalid state file: expected an object at the top level, found a list"),
    BadInput(arguments: ["explain", "nope"], input: [], status: 64, says: "unknown rule 'nope'"),
    BadInput(
        arguments: ["frobnicate"], input: [], status: 64,
        says: "runbook: 'frobnicate' is neither a command nor a file\n  hint: 'runbook --help' lists the commands"),
    BadInput(arguments: ["rn"], input: [], status: 64, says: "runbook: 'rn' is neither a command nor a file; did you mean 'run'?"),
    BadInput(arguments: ["input"], input: garbage, status: 65, says: "input:1:9: error: unexpected control byte 0x00"),
    BadInput(arguments: [""], input: [], status: 66, says: "runbook: cannot read a file with an empty name"),
    BadInput(arguments: ["run", ""], input: [], status: 66, says: "runbook: cannot read a file with an empty name"),
    BadInput(
        arguments: ["explain", "DISCONNECT-STRANDS-USERS"], input: [], status: 64,
        says: "unknown rule 'DISCONNECT-STRANDS-USERS'; did you mean 'disconnect-strands-users'?"),
    BadInput(arguments: ["run", "--format", "xml", "input"], input: [], status: 64, says: "--format"),
    // Output that cannot be written: a message on standard error and status 74, for every command.
    BadInput(arguments: ["run", "input"], input: runs, redirect: "> /dev/full", status: 74, says: full("standard output")),
    BadInput(
        arguments: ["run", "--format", "json", "input"], input: runs, redirect: "> /dev/full", status: 74, says: full("standard output")),
    BadInput(arguments: ["test", "input"], input: runs, redirect: "> /dev/full", status: 74, says: full("standard output")),
    BadInput(
        arguments: ["test", "--format", "junit", "input"], input: runs, redirect: "> /dev/full", status: 74, says: full("standard output")),
    BadInput(arguments: ["fmt", "input"], input: runs, redirect: "> /dev/full", status: 74, says: full("standard output")),
    BadInput(
        arguments: ["plan", "--state", "new.json", "owner none"], input: [], redirect: "> /dev/full", status: 74,
        says: full("standard output")),
    BadInput(arguments: ["rules"], input: [], redirect: "> /dev/full", status: 74, says: full("standard output")),
    BadInput(arguments: ["explain", "remove-self"], input: [], redirect: "> /dev/full", status: 74, says: full("standard output")),
    BadInput(arguments: ["--help"], input: [], redirect: "> /dev/full", status: 74, says: full("standard output")),
    BadInput(arguments: [], input: runs, stdin: true, redirect: "> /dev/full", status: 74, says: full("standard output")),
    // Endless inputs stop at the limit, with the path and the limit.
    BadInput(arguments: ["run", "-q", "/dev/zero"], input: [], status: 66, says: "runbook: /dev/zero: cannot read: \(endless)"),
    BadInput(arguments: ["run", "-"], input: [], redirect: "< /dev/zero", status: 66, says: "runbook: -: cannot read: \(endless)"),
    BadInput(arguments: [], input: [], redirect: "< /dev/zero", status: 66, says: "runbook: -: cannot read: \(endless)"),
    BadInput(arguments: ["fmt", "/dev/zero"], input: [], status: 66, says: "runbook: /dev/zero: cannot read: \(endless)"),
    BadInput(
        arguments: ["fmt", "--check", "-"], input: [], redirect: "< /dev/zero", status: 66, says: "runbook: -: cannot read: \(endless)"),
    BadInput(arguments: ["test", "/dev/zero"], input: [], status: 66, says: "runbook: /dev/zero: cannot read: \(endless)"),
    BadInput(arguments: ["repl"], input: [], redirect: "< /dev/zero", status: 66, says: "runbook: -: cannot read: \(endless)"),
    BadInput(arguments: ["test", "/dev/urandom"], input: [], status: 66, says: "runbook: /dev/urandom: cannot read: \(endless)"),
    // A closed standard input is not an empty runbook.
    BadInput(arguments: ["run", "-"], input: [], redirect: "<&-", status: 66, says: "runbook: -: cannot read: standard input is closed"),
    BadInput(arguments: [], input: [], redirect: "<&-", status: 66, says: "runbook: -: cannot read: standard input is closed"),
    BadInput(arguments: ["repl"], input: [], redirect: "<&-", status: 66, says: "runbook: -: cannot read: standard input is closed"),
    BadInput(arguments: ["fmt"], input: [], redirect: "<&-", status: 66, says: "runbook: -: cannot read: standard input is closed"),
    // A closed standard output fails as a write to it would.
    BadInput(
        arguments: ["run", "input"], input: runs, redirect: ">&-", status: 74, says: "cannot write to standard output: Bad file descriptor"),
    // Standard error cannot be written: nothing can be said, but the status says it.
    BadInput(arguments: ["run", "input"], input: garbage, redirect: "2> /dev/full", status: 74, says: ""),
    BadInput(arguments: ["frobnicate"], input: [], redirect: "2> /dev/full", status: 74, says: ""),
]

/// Why an input that does not end is refused.
let endless = "goes on past 256 MiB, the most runbook reads from a pipe or a device"

/// What a run says when it cannot write to `stream` on a full disk.
func full(_ stream: String) -> String { "runbook: cannot write to \(stream): No space left on device" }

@Test("bad input", arguments: badInputs)
func badInput(_ row: BadInput) throws {
    let dir = try Scratch()
    try Data(row.input).write(to: dir.url.appendingPathComponent("input"))
    let result = try Binary.run(
        row.arguments, in: dir.url, stdin: row.stdin ? Data(row.input) : Data(), redirect: row.redirect, timeout: 60)
    #expect(!result.timedOut)
    #expect(result.stdout.utf8.count + result.stderr.utf8.count <= row.outputLimit)
    #expect(result.status == row.status, "\(result.stderr)")
    #expect(row.says.isEmpty || (result.stdout + result.stderr).contains(row.says), "\(result.stdout)\(result.stderr)")
    #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
}

@Test func hugeStateFilesLoad() throws {
    let dir = try Scratch()
    let members = (0..<50_000).map { #"{"name":"u\#($0)","role":"user"}"# }.joined(separator: ",")
    try dir.write("s.json", #"{"format":"runbook-state","version":1,"members":[\#(members)],"connections":[],"grants":[]}"#)
    let result = try Binary.run(["run", "-q", "--state", "s.json", "-"], in: dir.url, stdin: Data("expect u49999 not connected\n".utf8))
    #expect(result.status == 0, "\(result.stderr)")
}
