import Foundation
import Testing

@testable import RunbookCommandLine

/// `runbook run [-q | --quiet] FILE...` is read without the argument parser, for a fast
/// start; any other command line goes through it. Both readings must run alike.
@Test(
    "run reads its common command lines as the argument parser would",
    arguments: [
        (["run", "a.runbook"], ["run", "--format", "text", "a.runbook"]),
        (["run", "-q", "a.runbook", "b.runbook"], ["run", "--quiet", "--format=text", "a.runbook", "b.runbook"]),
        (["run", "b.runbook", "--quiet", "stops.runbook"], ["run", "--format", "text", "-q", "--", "b.runbook", "stops.runbook"]),
        (["run", "bad.runbook", "a.runbook"], ["run", "--format", "text", "bad.runbook", "a.runbook"]),
        (["run", "-q", "stops.runbook"], ["run", "-q", "--format", "text", "stops.runbook"]),
        (["run", "missing.runbook"], ["run", "--format", "text", "missing.runbook"]),
        (["run"], ["run", "--format", "text"]),
        (["run", "-"], ["run", "--format", "text", "-"]),
    ])
func fastAndParsedCommandLinesAgree(fast: [String], parsed: [String]) throws {
    // Two different readings, or the comparison proves nothing.
    #expect(RunJob(commandLine: ["runbook"] + fast) != nil, "\(fast) is not read by the fast path")
    #expect(RunJob(commandLine: ["runbook"] + parsed) == nil, "\(parsed) is not read by the argument parser")
    let dir = try Scratch()
    try dir.write("a.runbook", "admin anna\nuser ben\nas anna connect\nas anna grant ben\nexpect ben connected\n")
    try dir.write("b.runbook", "expect owner none\n")
    try dir.write("bad.runbook", "as anna grnt ben\n")
    try dir.write("stops.runbook", "admin anna\nas anna disconnect\n")
    let stdin = Data("admin cleo\nas cleo connect\n".utf8)
    let viaFastPath = try Binary.run(fast, in: dir.url, stdin: stdin)
    let viaParser = try Binary.run(parsed, in: dir.url, stdin: stdin)
    #expect(viaFastPath.status == viaParser.status)
    #expect(viaFastPath.stdout == viaParser.stdout)
    #expect(viaFastPath.stderr == viaParser.stderr)
    #expect(!(viaFastPath.stdout + viaFastPath.stderr).isEmpty)
}

/// A command that never reads its standard input exits while the test still feeds it; with
/// more input than a pipe holds, the feeding always fails. That must not end the test run.
@Test func inputLeftUnreadDoesNotEndTheTestRun() throws {
    let result = try Binary.run(["explain", "nope"], stdin: Data(count: 1 << 20))
    #expect(result.status == 64)
    #expect(result.stderr.contains("unknown rule 'nope'"))
}

@Test func aFileAloneIsRunAsLuaRunsAFile() throws {
    let dir = try Scratch()
    try dir.write("setup.runbook", setupRunbook)
    let direct = try Binary.run(["setup.runbook", "--quiet"], in: dir.url)
    let ran = try Binary.run(["run", "setup.runbook", "--quiet"], in: dir.url)
    #expect(direct.status == 0 && direct.stdout == ran.stdout && direct.stderr == ran.stderr)
    let loud = try Binary.run(["setup.runbook"], in: dir.url)
    #expect(loud.stdout.hasPrefix("setup.runbook:1: anna and ben joined the instance as admins\n"))
}

/// Diagnostics are coloured on a terminal, but not on one that says it is `dumb`, nor with
/// `NO_COLOR` set.
@Test func colourOnlyWhereTheTerminalShowsIt() throws {
    let dir = try Scratch()
    try dir.write("bad.runbook", "as anna connect\n")
    func transcript(_ environment: [String: String]) throws -> String {
        let tty = try PseudoTerminal(["run", "\(dir.url.path)/bad.runbook"], environment: environment)
        try tty.expect("anna is not a member of the instance")
        #expect(try tty.waitForExit() == 1)
        return tty.transcript
    }
    #expect(try transcript([:]).contains("\u{1B}["))
    #expect(try !transcript(["TERM": "dumb"]).contains("\u{1B}"))
    #expect(try !transcript(["NO_COLOR": "1"]).contains("\u{1B}"))
}

/// A run whose files do not parse ends with a summary line, as every other failure does:
/// how many syntax errors (those past the fiftieth shown counted too), in how many files.
@Test func aRunThatDidNotParseEndsWithASummary() throws {
    let dir = try Scratch()
    try dir.write("good.runbook", "admin anna\n")
    try dir.write("bad.runbook", String(repeating: "as anna conect\n", count: 60))
    let text = try Binary.run(["run", "good.runbook", "bad.runbook"], in: dir.url)
    #expect(text.status == 65)
    #expect(text.stdout == "nothing ran: 60 syntax errors in 1 of 2 files\n", "\(text.stdout)")
    let json = try Binary.run(["run", "--format", "json", "bad.runbook"], in: dir.url)
    #expect(
        json.stdout.hasSuffix(
            #"{"summary":{"status":"did-not-parse","statements":0,"expectations":0,"files":0,"filesGiven":1,"syntaxErrors":60}}"# + "\n"))
}
