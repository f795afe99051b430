import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The REPL through a pseudo-terminal, as a person would use it.
@Test func replSession() throws {
    let home = try Scratch()
    let tty = try PseudoTerminal.repl(home: home)

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
    try tty.expectLine("ok")

    // An open scenario continues on the continuation prompt, and runs when closed.
    tty.type("scenario \"handoff\" {\r")
    try tty.expect("...> ")
    tty.type("as ben connect\r")
    tty.type("}\r")
    try tty.expect("PASS <repl>:1 handoff")

    // Ctrl-C drops the continuation and shows a fresh prompt.
    tty.type("scenario \"dropped\" {\r")
    try tty.expect("...> ")
    let before = tty.transcript.count
    tty.type("\u{03}")
    try tty.expect("runbook> ")
    tty.type("show\r")
    try tty.expect("owner: anna")
    #expect(!tty.transcript.dropFirst(before).contains("dropped"))

    // Up-arrow recalls the previous entry.
    tty.type("\u{1B}[A")
    try tty.expect("runbook> show")
    tty.type("\u{15}")

    // :undo steps back one statement.
    tty.type(":undo\r")
    try tty.expect("undone")
    tty.type("expect carl not connected\r")
    try tty.expectLine("ok")
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
    let tty = try PseudoTerminal.repl(home: home)
    tty.type("\u{1B}[A\r")
    try tty.expect("zed joined the instance as an admin")
    try tty.expect("runbook> ")
    tty.type(":quit\r")
    #expect(try tty.waitForExit() == 0)

    // A history path that cannot be written: a one-line warning, and the session goes on.
    let blocked = try Scratch()
    try Data().write(to: blocked.url.appendingPathComponent("runbook"))  // a file where the folder should be
    let second = try PseudoTerminal.repl(home: blocked)
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
    let tty = try PseudoTerminal.repl(home: dir, environment: ["PWD": dir.url.path])
    tty.type("admin anna; user carl\r")
    try tty.expect("carl joined")
    tty.type(":run \(dir.url.path)/bad.runbook\r")
    try tty.expect("the state is as it was before :run")
    tty.type("expect dora absent\r")
    try tty.expectLine("ok")
    tty.type(":run \(dir.url.path)/good.runbook\r")
    try tty.expectLine("\(dir.url.path)/good.runbook:1: dora joined the instance as a user")
    try tty.expectLine("1 statement run, 0 expectations held")
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

@Test func pipedInputRunsEntriesAndMetaCommandsWithoutPrompts() throws {
    let result = try Binary.run(["repl"], stdin: Data("admin anna\n\tas anna connect\n:state\n:explain connect-requires-admin\n".utf8))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    #expect(
        result.stdout.hasPrefix(
            "anna joined the instance as an admin\nanna connected; the integration is now live and tied to anna\nmember  role   status\n"))
    #expect(result.stdout.contains("connect-requires-admin"))
    #expect(!result.stdout.contains("runbook>"))

    // The first error stops it, with the status `run` gives: nothing after it runs.
    let stopped = try Binary.run(["repl"], stdin: Data("admin anna\nas bob connect\nshow\n".utf8))
    #expect(stopped.status == 1 && !stopped.stdout.contains("owner:"))
    #expect(stopped.stderr.hasPrefix("<stdin>:2:4: violation: bob is not a member of the instance [unknown-member]"))
    let syntax = try Binary.run(["repl"], stdin: Data("admin anna\n\nas anna conect\n".utf8))
    #expect(syntax.status == 65 && syntax.stderr.hasPrefix("<stdin>:3:9: error: expected a verb"))
    let meta = try Binary.run(["repl"], stdin: Data(":load missing.json\nshow\n".utf8))
    #expect(meta.status == 66 && meta.stderr == "runbook: missing.json: cannot read: No such file or directory\n")
    #expect(meta.stdout.isEmpty)

    // Words typed as commands point to the meta-commands.
    for (word, hint) in [("help", "type :help for help"), ("?", "type :help for help"), ("exit", "type :quit or press Ctrl-D to leave")] {
        let typed = try Binary.run(["repl"], stdin: Data("\(word)\n".utf8))
        #expect(typed.stderr == hint + "\n", "\(word)")
    }

    // A plan for a name with an apostrophe, as `runbook plan` takes it.
    let plan = try Binary.run(["repl"], stdin: Data("admin \"O'Brien\"\n:plan owner \"O'Brien\"\n".utf8))
    #expect(plan.status == 0 && plan.stdout.contains("\nas \"O'Brien\" connect\nexpect owner \"O'Brien\"\n"), "\(plan.stderr)")
}

@Test func replCommitsToItsStateFileUnderItsLock() throws {
    let dir = try Scratch()
    let tty = try PseudoTerminal.repl(
        ["--state", "\(dir.url.path)/s.json"], home: dir,
        before: ["\(dir.url.path)/s.json does not exist yet: the instance is empty; :commit creates it"])
    tty.type("admin anna\r")
    try tty.expectLine("anna joined the instance as an admin")
    // Leaving with changes not committed says so once, and stays.
    try tty.expect("runbook> ")
    tty.type("\u{04}")
    try tty.expectLine("runbook: changes not committed to \(dir.url.path)/s.json")
    try tty.expectLine("  hint: :commit writes them; leave again to drop them")
    tty.type(":commit\r")
    try tty.expectLine("committed to \(dir.url.path)/s.json")
    #expect(dir.read("s.json")?.contains("anna") == true)
    // Someone else commits meanwhile: this session's commit would lose it, and is refused.
    let other = try Binary.run(
        ["run", "--quiet", "--state", "s.json", "--commit", "-"], in: dir.url, stdin: Data("admin ben\n".utf8))
    #expect(other.status == 0)
    tty.type("admin carl\r")
    tty.type(":commit\r")
    try tty.expectLine("runbook: \(dir.url.path)/s.json changed since this session loaded it; not committed")
    #expect(dir.read("s.json")?.contains("ben") == true && dir.read("s.json")?.contains("carl") == false)
    tty.type(":quit\r")
    try tty.expectLine("runbook: changes not committed to \(dir.url.path)/s.json")
    tty.type(":quit\r")
    #expect(try tty.waitForExit() == 0)

    // Started from the file, the session says what it loaded.
    let again = try PseudoTerminal.repl(
        ["--state", "\(dir.url.path)/s.json"], home: dir,
        before: ["loaded \(dir.url.path)/s.json: 2 members, owner none; :commit writes changes back"])
    again.type("\u{04}")
    #expect(try again.waitForExit() == 0)
}

@Test func ctrlCStopsARunAndCtrlBackslashLeavesNoCrashReport() throws {
    let dir = try Scratch()
    try dir.write("long.runbook", "admin a\n" + String(repeating: "expect a not connected\n", count: 400_000))
    let tty = try PseudoTerminal.repl(home: dir)
    tty.type("admin zed\r")
    try tty.expectLine("zed joined the instance as an admin")
    tty.type(":run \(dir.url.path)/long.runbook\r")
    try tty.expect("long.runbook:3: ok: expect a not connected", timeout: 60)
    tty.type("\u{03}")
    try tty.expectLine("interrupted; the state is as it was before :run", timeout: 60)
    tty.type("expect a absent; expect zed not connected\r")
    try tty.expectLine("ok")
    try tty.expectLine("ok")
    // Ctrl-\\ is ignored, as shells do.
    tty.type("\u{1C}")
    tty.type("show\r")
    try tty.expect("owner: none")
    try tty.expect("runbook> ")
    tty.type("\u{04}")
    #expect(try tty.waitForExit() == 0)
    #expect(!tty.transcript.contains("crashed") && !tty.transcript.contains("Backtrace"))
}

@Test func replPlansAndRunsPlans() throws {
    let dir = try Scratch()
    let tty = try PseudoTerminal.repl(home: dir)
    tty.type("admin adminA, adminB; user bob; as adminA connect; as adminA grant adminB, bob\r")
    try tty.expect("adminA granted adminB and bob access")
    tty.type(":plan owner adminB; adminA absent\r")
    try tty.expect("as adminB remove adminA")
    tty.type("expect owner adminA\r")
    try tty.expectLine("ok")
    tty.type(":plan! owner adminB; adminA absent\r")
    try tty.expect("adminA was removed from the instance")
    // The plan's closing expectations run too: each goal is seen to hold, named as `run`
    // names them, since nobody typed them.
    try tty.expectLine("ok: expect owner adminB")
    try tty.expectLine("ok: expect adminA absent")
    try tty.expect("runbook> ")
    tty.type("expect owner adminB; expect bob connected\r")
    try tty.expectLine("ok")
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
    let tty = try PseudoTerminal.repl(home: dir)
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

/// A symbolic link at the history path is not followed: one warning, the file it points
/// to is left as it was, and history lasts the session. A history file that others may
/// read is made private.
@Test func replHistoryIsNeverALinksTarget() throws {
    let home = try Scratch()
    let folder = home.url.appendingPathComponent("runbook")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let notes = (0..<1_504).map { "note \($0) with a \\backslash\\n and more" }.joined(separator: "\n") + "\n"
    try home.write("notes.txt", notes)
    try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("history").path, withDestinationPath: "../notes.txt")
    let warning = "runbook: warning: history file \(folder.path)/history is a symbolic link; history is kept for this session only"
    let tty = try PseudoTerminal.repl(home: home, before: [warning])
    tty.type("admin anna\r")
    try tty.expect("anna joined")
    tty.type("user bob\r")
    try tty.expect("bob joined")
    tty.type("\u{1B}[A\u{1B}[A\u{15}:quit\r")
    #expect(try tty.waitForExit() == 0)
    #expect(tty.transcript.components(separatedBy: "warning").count == 2, "one warning")
    #expect(home.read("notes.txt") == notes)
    #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("history").path)) == "../notes.txt")

    // A history file with group and other bits is made 0600, before anything is typed.
    let open = try Scratch()
    try FileManager.default.createDirectory(at: open.url.appendingPathComponent("runbook"), withIntermediateDirectories: true)
    let history = open.url.appendingPathComponent("runbook/history").path
    try open.write("runbook/history", "admin zed\n")
    chmod(history, 0o644)
    let second = try PseudoTerminal.repl(home: open)
    second.type(":quit\r")
    #expect(try second.waitForExit() == 0)
    var info = stat()
    #expect(stat(history, &info) == 0 && info.st_mode & 0o777 == 0o600)
    #expect(open.read("runbook/history")?.hasPrefix("admin zed\n") == true)
}

/// Only the end of a huge history file is read: the prompt comes at once, in little
/// memory, and the latest entries are there.
@Test func replReadsOnlyTheTailOfAHugeHistory() throws {
    let home = try Scratch()
    try FileManager.default.createDirectory(at: home.url.appendingPathComponent("runbook"), withIntermediateDirectories: true)
    let path = home.url.appendingPathComponent("runbook/history").path
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    let file = try #require(FileHandle(forWritingAtPath: path))
    let block = Data(String(repeating: "expect somebody absent # an old entry of the history file\n", count: 20_000).utf8)
    for _ in 0..<200 { file.write(block) }  // 232 MB
    file.write(Data(#"admin "last \\\\ one""#.utf8 + [0x0A]))  // the entry `admin "last \\ one"`, escaped
    try file.close()
    let tty = try PseudoTerminal.repl(home: home, timeout: 60)
    // Reading the whole file takes far more: readline keeps every entry in memory.
    #expect((tty.peakMemoryKiB() ?? .max) < 100_000)
    tty.type("\u{1B}[A\r")
    try tty.expect(#"admin "last \\ one""#)
    try tty.expect("joined the instance as an admin")
    tty.type("user bob\r")
    try tty.expect("bob joined")
    try tty.expect("runbook> ")
    tty.type("\u{04}")
    #expect(try tty.waitForExit() == 0)
    // Saved again: the entries it read, then the new one.
    let lines = try #require(home.read("runbook/history")).split(separator: "\n")
    #expect(lines == ["expect somebody absent # an old entry of the history file", #"admin "last \\\\ one""#, "user bob"])
}

/// Tab after `:load` and `:save` completes state files, after `:run` runbooks, and folders
/// for both: a runbook beside a state file of the same prefix is not offered to `:load`.
@Test func metaCommandsCompleteTheirKindOfFile() throws {
    let dir = try Scratch()
    try dir.write(
        "st-team.json",
        #"{"format": "runbook-state", "version": 1, "members": [{"name": "zed", "role": "admin"}], "connections": [], "grants": []}"#)
    try dir.write("st-steps.runbook", "as zed connect\n")
    let tty = try PseudoTerminal.repl(colour: false)
    tty.type(":load \(dir.url.path)/st\t\r")
    try tty.expectLine("loaded \(dir.url.path)/st-team.json: 1 member, owner none; :commit writes changes back")
    // Each entry waits for its prompt: a Ctrl-D typed before readline reads the terminal
    // is taken by the terminal as an end of input, and lost.
    try tty.expect("runbook> ")
    tty.type(":run \(dir.url.path)/st\t\r")
    try tty.expectLine("\(dir.url.path)/st-steps.runbook:1: zed connected; the integration is now live and tied to zed")
    try tty.expect("runbook> ")
    // The loaded file is the one :commit writes to: leaving with changes says so once.
    tty.type("\u{04}")
    try tty.expectLine("runbook: changes not committed to \(dir.url.path)/st-team.json")
    try tty.expect("runbook> ")
    tty.type("\u{04}")
    #expect(try tty.waitForExit() == 0)
}

/// In the REPL, a hazard performed anyway is a warning after what the step did, the session
/// goes on with the members stranded, and the planner finds the way back.
@Test func replWarnsOfAHazardPerformedAnyway() throws {
    let input = "admin anna, ben; user dave\nas anna connect; as anna grant dave\nas anna disconnect anyway\n:state\n:plan dave connected\n"
    let result = try Binary.run(["repl"], stdin: Data(input.utf8))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("anna disconnected; the integration is no longer live; dave lost Marketo access and is stranded\n"))
    #expect(result.stdout.contains("dave    user   stranded: lost access, not granted again\n"))
    #expect(result.stdout.contains("\nas anna connect\nas anna grant dave\nexpect dave connected\n"))
    #expect(
        result.stderr.hasPrefix(
            "<stdin>:3:1: warning: anna disconnected anyway: dave lost Marketo access and is stranded [disconnect-strands-users]\n"))

    // The session's procedure is refused: a procedure never strands anyone.
    let procedure = try Binary.run(
        ["repl"], stdin: Data((input.split(separator: "\n").prefix(3).joined(separator: "\n") + "\n:procedure\n").utf8))
    #expect(procedure.status == 1 && !procedure.stdout.contains("# Procedure"))
    #expect(
        procedure.stderr.hasSuffix(
            "runbook: no procedure: this session performs a step anyway (as anna disconnect anyway): a procedure never strands "
                + "anyone, so it is made from runbooks whose every step runs clean\n"), "\(procedure.stderr)")
}

/// A line is one step (SPEC §4): when its last statement fails, what its first ones did
/// is rolled back too, so a later `:commit` never writes half a line.
@Test func aLineThatStopsIsRolledBackWhole() throws {
    let dir = try Scratch()
    let tty = try PseudoTerminal.repl(["--state", "\(dir.url.path)/s.json"], home: dir, colour: false)
    tty.type("admin a, b; as a connect\r")
    try tty.expectLine("a connected; the integration is now live and tied to a")
    tty.type("admin c; as c connect; expect owner b\r")
    try tty.expect("failed: expected owner b, but the owner is c")
    try tty.expectLine("the whole line is rolled back; the state is as it was before it")
    tty.type("expect c absent; expect owner a\r")
    try tty.expectLine("ok")
    try tty.expectLine("ok")
    tty.type(":commit\r")
    try tty.expectLine("committed to \(dir.url.path)/s.json")
    try tty.expect("runbook> ")
    tty.type("\u{04}")
    #expect(try tty.waitForExit() == 0)
    #expect(dir.read("s.json")?.contains("\"c\"") == false)

    // From a pipe, the same words, and the status `run` gives.
    let piped = try Binary.run(["repl"], stdin: Data("admin a, b; as a connect\nadmin c; as c connect; expect owner b\n".utf8))
    #expect(piped.status == 1)
    #expect(piped.stderr.hasSuffix("\nthe whole line is rolled back; the state is as it was before it\n"), "\(piped.stderr)")
    // A line that changed nothing before it stopped has nothing to roll back.
    let refused = try Binary.run(["repl"], stdin: Data("admin a\nas a disconnect\n".utf8))
    #expect(refused.status == 1 && !refused.stderr.contains("rolled back"))
}

/// `:undo` says which step it took back: a line, a `:plan!` or a `:load` is one step each,
/// and a scenario, which runs on a copy, is none.
@Test func undoSaysWhichStepItTookBack() throws {
    let dir = try Scratch()
    let entries = """
        admin adminA, adminB; user bob
        as adminA connect
        as adminA grant adminB, bob
        scenario "on a copy" { as adminA revoke bob }
        :undo
        as adminA grant adminB, bob
        :plan! owner adminB
        :undo
        expect owner adminA; expect adminB has access
        :save \(dir.url.path)/s.json
        :reset
        :load \(dir.url.path)/s.json
        :undo
        :undo
        :undo
        :undo
        :undo
        :undo

        """
    let result = try Binary.run(["repl"], stdin: Data(entries.utf8))
    let lines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("undone") }
    #expect(
        lines == [
            "undone: as adminA grant adminB, bob (2 more steps to undo)",
            "undone: :plan! owner adminB (3 more steps to undo)",
            "undone: :load \(dir.url.path)/s.json (4 more steps to undo)",
            "undone: :reset (3 more steps to undo)",
            "undone: as adminA grant adminB, bob (2 more steps to undo)",
            "undone: as adminA connect (1 more step to undo)",
            "undone: admin adminA, adminB; user bob (nothing more to undo)",
        ], "\(result.stdout)")
    #expect(result.stderr == "nothing to undo\n", "\(result.stderr)")
}

/// `:load FILE` names the file `:commit` writes to when the session has none; without
/// one, `:commit` says how to name it. `:save` to a folder speaks of no old file.
@Test func loadNamesTheCommitTarget() throws {
    let dir = try Scratch()
    let path = "\(dir.url.path)/s.json"
    try dir.write(
        "s.json",
        #"{"format": "runbook-state", "version": 1, "members": [{"name": "anna", "role": "admin"}], "connections": [], "grants": []}"#)
    let result = try Binary.run(["repl"], stdin: Data(":load \(path)\nadmin zed\n:commit\n".utf8))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
        result.stdout
            == "loaded \(path): 1 member, owner none; :commit writes changes back\nzed joined the instance as an admin\ncommitted to \(path)\n"
    )
    #expect(dir.read("s.json")?.contains("zed") == true)

    // Someone else commits; loading the file again takes the new state, and commits go on.
    let other = try Binary.run(["run", "--quiet", "--state", path, "--commit", "-"], stdin: Data("admin ben\n".utf8))
    #expect(other.status == 0)
    let again = try Binary.run(["repl", "--state", path], stdin: Data("admin carl\n:load \(path)\nadmin dora\n:commit\n".utf8))
    #expect(again.status == 0, "\(again.stderr)")
    #expect(dir.read("s.json")?.contains("dora") == true)

    // Taking that :load back unnames the file: :commit does not write the earlier state over it.
    let undone = try Binary.run(["repl"], stdin: Data("admin yan\n:load \(path)\n:undo\n:commit\n".utf8))
    #expect(undone.status == 64 && undone.stdout.hasSuffix("\n:commit no longer writes to \(path)\n"), "\(undone.stdout)")
    #expect(dir.read("s.json")?.contains("yan") == false)

    let none = try Binary.run(["repl"], stdin: Data("admin zed\n:commit\n".utf8))
    #expect(none.status == 64)
    #expect(
        none.stderr == """
            runbook: this session has no state file to commit to
              hint: :load FILE names one, as 'runbook repl --state FILE' does; :save FILE writes anywhere

            """)

    let folder = try Binary.run(["repl"], stdin: Data("admin zed\n:save \(dir.url.path)\n".utf8))
    #expect(folder.stderr == "runbook: \(dir.url.path): cannot write state file: is a directory\n", "\(folder.stderr)")
}

/// One runner: a scenario typed in the REPL and one in a file given to `:run` get the same
/// verdict line as `test` prints, `PASS file:line title`.
@Test func aTypedScenarioAndRunGiveTheSameVerdicts() throws {
    let dir = try Scratch()
    try dir.write("s.runbook", "admin anna\nscenario \"in a file\" {\n  as anna connect\n}\n")
    let piped = try Binary.run(
        ["repl"], in: dir.url,
        stdin: Data("admin ben\nscenario \"typed\" {\n  as ben connect\n}\n:run s.runbook\nscenario \"late\" { expect owner ben }\n".utf8))
    #expect(piped.status == 1, "\(piped.stderr)")
    let verdicts = piped.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
    #expect(verdicts == ["PASS <stdin>:2 typed", "PASS s.runbook:2 in a file", "FAIL <stdin>:6 late"])
    #expect(piped.stderr.hasPrefix("<stdin>:6:19: failed: expected owner ben, but the integration is not live"))

    let tty = try PseudoTerminal.repl(home: dir, environment: ["PWD": dir.url.path])
    tty.type("admin ben; scenario \"typed\" { as ben connect }\r")
    try tty.expectLine("PASS <repl>:1 typed")
    tty.type(":run \(dir.url.path)/s.runbook\r")
    try tty.expectLine("PASS \(dir.url.path)/s.runbook:2 in a file")
    tty.type(":quit\r")
    #expect(try tty.waitForExit() == 0)
}

/// A line whose first character that is not a space or a tab is `:` is a meta-command,
/// from a pipe and on a terminal alike.
@Test func aTabBeforeAColonIsAMetaCommandFromAPipeAndOnATerminal() throws {
    let piped = try Binary.run(["repl"], stdin: Data("admin anna\n\t:state\n \t :explain connect-requires-admin\n".utf8))
    #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped.stderr)")
    #expect(piped.stdout.contains("member  role   status\n") && piped.stdout.contains("connect-requires-admin"))

    let tty = try PseudoTerminal.repl()
    tty.type("admin anna\r")
    try tty.expectLine("anna joined the instance as an admin")
    // Ctrl-V Tab puts a tab in the line, where Tab alone would complete; readline must be
    // reading (the prompt shown) for Ctrl-V to be its own.
    try tty.expect("runbook> ")
    tty.type("\u{16}\t:state\r")
    try tty.expect("member  role   status")
    try tty.expect("runbook> ")
    tty.type("\u{04}")
    #expect(try tty.waitForExit() == 0)
}

/// `:procedure` speaks of the session's lines: an entry is one line however many
/// statements it holds, and lines that ran nothing (a meta-command) are still counted.
@Test func procedureNamesTheSessionsLines() throws {
    let one = try Binary.run(["repl"], stdin: Data("admin a; admin b; user u\nas a connect\n:procedure\n".utf8))
    #expect(one.status == 0, "\(one.stderr)")
    #expect(one.stdout.contains("\nLine 1 of this session describes the instance as it is today: the steps start after it.\n"))

    // Entry 2's statements are the steps, as `procedure` makes them of the same file.
    let two = try Binary.run(["repl"], stdin: Data("admin a, b; user u\nas a connect; as a grant u\n:procedure\n".utf8))
    #expect(two.stdout.contains("\nLine 1 of this session describes the instance"), "\(two.stdout)")
    #expect(two.stdout.contains("- [ ] Click **Connect**.") && two.stdout.contains("- [ ] Give u access."))

    let between = try Binary.run(["repl"], stdin: Data("admin a, b\n:state\nuser u\nas a connect\n:procedure sv\n".utf8))
    #expect(between.stdout.contains("\nRad 1 till 3 i den här sessionen beskriver instansen"), "\(between.stdout)")
}

/// `:plan!` without goals names itself in its usage.
@Test func planBangWithoutGoalsNamesItself() throws {
    let result = try Binary.run(["repl"], stdin: Data(":plan!\n".utf8))
    #expect(result.status == 64)
    #expect(result.stderr == "usage: :plan! GOAL; GOAL...   for example  :plan! owner adminB; adminA absent\n")
}

/// `:help` says every step `:undo` takes back, `:reset` too.
@Test func helpSaysUndoTakesBackAReset() throws {
    let result = try Binary.run(["repl"], stdin: Data(":help\n".utf8))
    let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("  :undo") }
    #expect(line == "  :undo           take back one step: a line, :run, :plan!, :load or :reset (repeatable)")
}

/// A meta-command that takes no argument refuses one with its usage, changing nothing,
/// as sqlite3's shell does.
@Test func metaCommandsWithoutArgumentsRefuseOne() throws {
    for command in [":reset", ":rules", ":state", ":quit", ":help", ":undo", ":commit"] {
        let piped = try Binary.run(["repl"], stdin: Data("admin a\n\(command) now\nshow\n".utf8))
        #expect(piped.status == 64, "\(command)")
        #expect(piped.stdout == "a joined the instance as an admin\n", "\(command)")
        #expect(piped.stderr == "usage: \(command)\n", "\(command)")
    }
    let tty = try PseudoTerminal.repl(colour: false)
    tty.type("admin a\r")
    try tty.expectLine("a joined the instance as an admin")
    tty.type(":reset now\r")
    try tty.expectLine("usage: :reset")
    tty.type(":quit now\r")
    try tty.expectLine("usage: :quit")
    tty.type("expect a absent\r")
    try tty.expect("but a is an admin of the instance")
    try tty.expect("runbook> ")
    tty.type(":quit\r")
    #expect(try tty.waitForExit() == 0)
}

/// File-name completion leaves out a name with a character the language forbids or cannot
/// show: readline would echo a bidirectional control raw.
@Test func completionLeavesOutFilesNamedWithForbiddenCharacters() throws {
    let dir = try Scratch()
    try dir.write("bi\u{202E}di.runbook", "admin evil\n")
    try dir.write("zero\u{200B}width.runbook", "admin evil\n")
    try dir.write("b-plain.runbook", "admin plain\n")
    let tty = try PseudoTerminal.repl(colour: false)
    tty.type(":run \(dir.url.path)/b\t\r")
    try tty.expectLine("\(dir.url.path)/b-plain.runbook:1: plain joined the instance as an admin")
    try tty.expect("runbook> ")
    tty.type(":run \(dir.url.path)/\t\t")
    try tty.expect("b-plain.runbook")
    tty.type("\u{15}:quit\r")
    #expect(try tty.waitForExit() == 0)
    #expect(!tty.transcript.contains("\u{202E}") && !tty.transcript.contains("\u{200B}"))
}

/// Ctrl-D on an empty `...>` line leaves, saying which open entry it dropped.
@Test func ctrlDInAnOpenScenarioSaysWhatItDropped() throws {
    let tty = try PseudoTerminal.repl(colour: false)
    tty.type("admin a\r")
    try tty.expectLine("a joined the instance as an admin")
    tty.type("scenario \"half\" {\r")
    try tty.expect("...> ")
    tty.type("as a connect\r")
    try tty.expect("...> ")
    tty.type("\u{04}")
    try tty.expectLine("dropped the unfinished entry, which did not run: scenario \"half\" { ...")
    #expect(try tty.waitForExit() == 0)
}
