import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The REPL through a pseudo-terminal, as a person would use it.
@Test func replSession() throws {
    let home = try Scratch()
    let tty = try PseudoTerminal(["repl"], environment: ["XDG_STATE_HOME": home.url.path])
    try tty.expect("runbook> ")

    tty.type("admin anna, ben, \"Anna Berg\"\r")
    try tty.expect("joined the instance as admins")
    tty.type("user carl\r")
    try tty.expect("carl joined the instance as a user")

    // Tab completes a member name after `as`, then a verb after `as NAME`.
    tty.type("as ann\t")
    try tty.expect("as anna ")
    tty.type("con\t\r")
    try tty.expect("anna connected; the integration is now live and tied to anna")

    // A name with a space completes quoted.
    tty.type("as \"An\t")
    try tty.expect("as \"Anna Berg\"")
    tty.type("\u{15}")  // Ctrl-U: clear the line

    // A violation is reported, and the session goes on with the state unchanged.
    tty.type("as anna grant carl\r")
    try tty.expect("anna granted carl access")
    tty.type("as anna disconnect\r")
    try tty.expect("[disconnect-strands-users]")
    try tty.expect("connect another admin first: as \"Anna Berg\" connect")
    tty.type("expect owner anna\r")
    try tty.expect("ok")

    // An open scenario continues on the continuation prompt, and runs when closed.
    tty.type("scenario \"handoff\" {\r")
    try tty.expect("...> ")
    tty.type("as ben connect\r")
    tty.type("}\r")
    try tty.expect("PASS scenario handoff")

    // Ctrl-C drops the continuation and shows a fresh prompt.
    tty.type("scenario \"dropped\" {\r")
    try tty.expect("...> ")
    let before = tty.transcript.count
    tty.type("\u{03}")
    try tty.expect("runbook> ")
    tty.type("show\r")
    try tty.expect("owner: anna")
    #expect(!tty.transcript.dropFirst(before).contains("PASS scenario dropped"))

    // Up-arrow recalls the previous entry.
    tty.type("\u{1B}[A")
    try tty.expect("runbook> show")
    tty.type("\u{15}")

    // :undo steps back one statement.
    tty.type(":undo\r")
    try tty.expect("undone")
    tty.type("expect carl not connected\r")
    try tty.expect("ok")
    try tty.expect("runbook> ")

    // Ctrl-D on an empty line leaves with status 0 and the history saved, mode 0600.
    tty.type("\u{04}")
    #expect(try tty.waitForExit() == 0)
    let history = home.url.appendingPathComponent("runbook/history")
    let saved = try String(contentsOf: history, encoding: .utf8)
    #expect(saved.contains("as anna grant carl\n"))
    #expect(saved.contains("scenario \"handoff\" {\\nas ben connect\\n}\n"), "a scenario is one entry")
    #expect(!saved.contains("dropped"))
    var info = stat()
    #expect(stat(history.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
}

@Test func replRestoresHistoryAndWarnsWhenItCannotSave() throws {
    let home = try Scratch()
    try FileManager.default.createDirectory(at: home.url.appendingPathComponent("runbook"), withIntermediateDirectories: true)
    try Data("admin zed\n".utf8).write(to: home.url.appendingPathComponent("runbook/history"))
    let tty = try PseudoTerminal(["repl"], environment: ["XDG_STATE_HOME": home.url.path])
    try tty.expect("runbook> ")
    tty.type("\u{1B}[A\r")
    try tty.expect("zed joined the instance as an admin")
    try tty.expect("runbook> ")
    tty.type(":quit\r")
    #expect(try tty.waitForExit() == 0)

    // A history path that cannot be written: a one-line warning, and the session goes on.
    let blocked = try Scratch()
    try Data().write(to: blocked.url.appendingPathComponent("runbook"))  // a file where the folder should be
    let second = try PseudoTerminal(["repl"], environment: ["XDG_STATE_HOME": blocked.url.path])
    try second.expect("runbook> ")
    second.type("admin amy\r")
    try second.expect("warning: cannot save history")
    try second.expect("amy joined")
    try second.expect("runbook> ")
    second.type("\u{04}")
    #expect(try second.waitForExit() == 0)
}

@Test func replMetaCommandsAndRunFileKeepStateOnFailure() throws {
    let dir = try Scratch()
    try dir.write("bad.runbook", "user dora\nas carl connect\n")
    try dir.write("good.runbook", "user dora\n")
    let tty = try PseudoTerminal(["repl"], environment: ["XDG_STATE_HOME": dir.url.path, "PWD": dir.url.path])
    try tty.expect("runbook> ")
    tty.type("admin anna; user carl\r")
    try tty.expect("carl joined")
    tty.type(":run \(dir.url.path)/bad.runbook\r")
    try tty.expect("the state is as it was before :run")
    tty.type("expect dora absent\r")
    try tty.expect("ok")
    tty.type(":run \(dir.url.path)/good.runbook\r")
    try tty.expect("ran ")
    tty.type(":save \(dir.url.path)/s.json\r")
    try tty.expect("saved")
    tty.type(":reset\r")
    try tty.expect("the instance is empty again")
    tty.type(":load \(dir.url.path)/s.json\r")
    try tty.expect("loaded")
    tty.type(":stat\r")
    try tty.expect("did you mean ':state'?")
    tty.type(":state\r")
    try tty.expect("dora")
    tty.type(":quit\r")
    #expect(try tty.waitForExit() == 0)
}

@Test func pipedInputIsABatchRunWithoutPrompts() throws {
    let result = try Binary.run(["repl"], stdin: Data("admin anna\n\tas anna connect\n".utf8))
    #expect(result.status == 0)
    #expect(!result.stdout.contains("runbook>"))
    #expect(result.stdout.contains("anna connected"))
}

@Test func replPlansAndRunsPlans() throws {
    let dir = try Scratch()
    let tty = try PseudoTerminal(["repl"], environment: ["XDG_STATE_HOME": dir.url.path])
    try tty.expect("runbook> ")
    tty.type("admin adminA, adminB; user bob; as adminA connect; as adminA grant adminB, bob\r")
    try tty.expect("adminA granted adminB and bob access")
    tty.type(":plan owner adminB; adminA absent\r")
    try tty.expect("as adminB remove adminA")
    tty.type("expect owner adminA\r")
    try tty.expect("ok")
    tty.type(":plan! owner adminB; adminA absent\r")
    try tty.expect("adminA was removed from the instance")
    tty.type("expect owner adminB; expect bob connected\r")
    try tty.expect("ok")
    tty.type(":plan owner bob\r")
    try tty.expect("bob is not an admin")
    try tty.expect("runbook> ")
    tty.type("\u{04}")
    #expect(try tty.waitForExit() == 0)
}

/// `:save` writes only over a regular file: a FIFO and a device node stay what they are.
@Test func replSaveLeavesSpecialFiles() throws {
    let dir = try Scratch()
    let fifo = dir.url.appendingPathComponent("fifo").path
    let device = dir.url.appendingPathComponent("null").path
    #expect(mkfifo(fifo, 0o644) == 0)
    let root = getuid() == 0
    // makedev(1, 3): what /dev/null is. Only root makes device nodes.
    if root { #expect(mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0) }
    let tty = try PseudoTerminal(["repl"], environment: ["XDG_STATE_HOME": dir.url.path])
    try tty.expect("runbook> ")
    tty.type("admin anna\r")
    try tty.expect("anna joined")
    for path in root ? [fifo, device] : [fifo] {
        tty.type(":save \(path)\r")
        try tty.expect("runbook: \(path): cannot write state file: is not a regular file; the old file is unchanged")
    }
    tty.type(":quit\r")
    #expect(try tty.waitForExit() == 0)
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    if root { #expect(lstat(device, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR) }
}
