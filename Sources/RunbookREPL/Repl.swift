import ConnectionCore
import FoundationEssentials
import RunbookFiles
import RunbookLanguage
import RunbookReport

#if canImport(Glibc)
    import Glibc
#endif

/// The interactive session: reads entries, runs them at once, reports as batch mode does.
///
/// On a terminal it reads with GNU readline, prompts and keeps going after an error. Read
/// from a pipe (`runbook repl < script`) it takes the same entries and meta-commands
/// without prompts, as sqlite3 reads dot-commands, and stops at the first error with the
/// exit status `run` would give it.
package struct Repl {
    /// The one runner: every line, `:run`, `:plan!` and scenario runs through it.
    private var session: Session
    /// The steps `:undo` can take back, newest last: the checkpoint before each, what it
    /// was, and whether it named the file `:commit` writes to (a first `:load`), which
    /// taking it back unnames.
    private var undoStack: [(before: Session.Checkpoint, step: String, namedTarget: Bool)] = []
    private var renderer = DiagnosticRenderer(color: Output.error.wantsColor)
    private let out = Output.standard
    private let err = Output.error
    /// Where the lines come from; set when `run` starts.
    private var lines = LineSource.pipe()
    /// The state file of `repl --state`, which `:commit` writes back: its path, the digest
    /// of its bytes when last loaded or committed (`nil` when it did not exist), and the
    /// instance it then held.
    private var stateFile: (path: String, digest: String?, instance: Instance)?
    /// Whether leaving with changes not committed was already warned about.
    private var warnedUncommitted = false
    /// The session's steps since it started, and since each `:load` or `:reset` not undone:
    /// what `:procedure` writes out.
    private var transcripts: [Transcript]
    /// The line of the session the entry being run starts on: lines read are counted
    /// from 1, from a terminal and from a pipe alike, and `:procedure` speaks of them.
    private var entryLine = 1

    package init(instance: Instance, stateFile: (path: String, digest: String?)? = nil) {
        session = Session(instance: instance)
        transcripts = [Transcript(start: instance, depth: 0)]
        self.stateFile = stateFile.map { ($0.path, $0.digest, instance) }
    }

    private var instance: Instance { session.instance }

    /// The history file: `$XDG_STATE_HOME/runbook/history`, by default `~/.local/state/runbook/history`.
    static var historyPath: String? {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/runbook/history" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/runbook/history"
    }

    /// What reading and running one entry came to.
    private enum Step {
        case ok
        /// An error, with the status a batch run would exit with.
        case failed(Int32)
        case leave
    }

    /// Whether an entry is a meta-command: its first character that is not a space or a
    /// tab is `:`, from a terminal and from a pipe alike.
    static func isMetaCommand(_ entry: some StringProtocol) -> Bool {
        entry.drop { $0 == " " || $0 == "\t" }.hasPrefix(":")
    }

    /// Reads and runs entries until the input ends or the user leaves; returns the exit
    /// status. On a terminal (`onTerminal`) it prompts, edits lines with readline and goes
    /// on after an error; from a pipe it stops at the first error with the status `run`
    /// would give it.
    package mutating func run(onTerminal: Bool) -> Int32 {
        // Completion reads the instance as it is when Tab is pressed.
        let box = InstanceBox(instance)
        if onTerminal {
            lines = .terminal(historyFile: Self.historyPath) { before, word in
                Self.completions(before: before, word: word, instance: box.instance)
            }
            // Ctrl-\ leaves a shell running; so it does the REPL, with no crash report.
            signal(SIGQUIT, SIG_IGN)
            out.line(ReplWords.banner(version: Words.version))
            sayWhatWasLoaded()
            out.flush()
        } else if StandardStreams.wasClosed(0) {
            // A closed standard input is open on /dev/null: not an empty session that succeeds.
            return Failure.cannotRead(InputError(path: "-", reason: Words.FileReason.standardInputClosed.text)).report()
        }
        var pending: [UInt8] = []
        /// The line the next line read is, and the line the pending entry starts on.
        var line = 1
        var firstLine = 1
        while true {
            box.instance = instance
            let read = lines.next(continuing: !pending.isEmpty)
            switch read {
            case .line(let bytes, let afterInterrupt):
                if afterInterrupt { pending = [] }
                if pending.isEmpty {
                    firstLine = lines.isTerminal ? 1 : line
                    entryLine = line
                }
                line += 1
                if !pending.isEmpty { pending.append(0x0A) }
                pending += bytes
            case .tooLong:
                let reason = Words.FileReason.streamTooLong(limit: LineReader.maximumLine).text
                return Failure.cannotRead(InputError(path: "-", reason: reason)).report()
            case .endOfInput:
                if lines.isTerminal {
                    out.line("")
                    if !pending.isEmpty {
                        // Ctrl-D on an empty `...>` line: the open entry is not run.
                        let opened = pending.split(separator: 0x0A, omittingEmptySubsequences: false)[0]
                        err.line(ReplWords.droppedOpenEntry(Words.printable(String(decoding: opened, as: UTF8.self))))
                        err.flush()
                    }
                    if mayLeave() { return ExitStatus.success }
                    pending = []
                    continue
                }
                // Input that ended inside a construct reports why.
                if !pending.isEmpty, case .failed(let status) = evaluate(Parser.parse(source(pending, firstLine)), entry: "") {
                    return status
                }
                _ = mayLeave()
                return ExitStatus.success
            }
            let entry = String(decoding: pending, as: UTF8.self)
            let isMeta = Self.isMetaCommand(entry)
            let parsed = isMeta ? nil : Parser.parse(source(pending, firstLine))
            if let parsed, parsed.incomplete != nil { continue }
            pending = []
            if let warning = lines.remember(entry) {
                err.line(warning)
                err.flush()
            }
            let step = parsed.map { evaluate($0, entry: entry) } ?? meta(entry.trimmingSpaces)
            out.flush()
            err.flush()
            switch step {
            case .ok: continue
            case .failed(let status): if !lines.isTerminal { return status }
            case .leave: if mayLeave() { return ExitStatus.success }
            }
        }
    }

    private func source(_ bytes: [UInt8], _ firstLine: Int) -> SourceFile {
        SourceFile(name: lines.name, bytes: bytes, firstLine: firstLine)
    }

    /// Whether the session may end now: with changes not committed to its state file, the
    /// first attempt on a terminal says so and stays.
    private mutating func mayLeave() -> Bool {
        guard let stateFile, stateFile.instance != instance, !warnedUncommitted else { return true }
        warnedUncommitted = true
        Notice.uncommitted(state: stateFile.path, dropped: !lines.isTerminal).say()
        if lines.isTerminal { err.line(ReplWords.uncommittedHint) }
        err.flush()
        return !lines.isTerminal
    }

    // MARK: Entries

    /// Runs a parsed entry at once. The entry is one step (SPEC §4): when any of its
    /// statements stops, a scenario in it fails or Ctrl-C interrupts it, the whole entry is
    /// rolled back; what it changed otherwise is one undoable step, named `step` or, by
    /// default, by its statements. A scenario runs on a copy of the state the entry's
    /// statements left: it is no step.
    private mutating func evaluate(
        _ parsed: ParseResult, entry: String, step name: String? = nil, namingHeld: Bool = false
    ) -> Step {
        if let hint = Self.notAStatement[entry.trimmingSpaces], parsed.program == nil {
            err.line(hint)
            return .failed(ExitStatus.dataError)
        }
        if !parsed.diagnostics.isEmpty { err.write(renderer.render(parsed.diagnostics.map(Self.hinted), unreported: parsed.unreported)) }
        guard let program = parsed.program else { return .failed(ExitStatus.dataError) }
        let before = session.checkpoint()
        var changed = false
        var outcomes: [Outcome] = []
        var interrupt = Interruption(lines)
        // Run on a copy: printing an outcome uses the REPL while the session runs.
        var running = session
        let result = running.runStep(program, watching: &interrupt) { outcome in
            // The background's outcomes as they happen; a scenario's by its verdict.
            guard outcome.index < program.chunk.backgroundCount else { return }
            outcomes.append(outcome)
            if report(outcome, naming: namingHeld ? program.chunk : nil) { changed = true }
        }
        session = running
        switch result.status {
        case .completed:
            verdicts(result, in: program.source)
            if changed { undoStack.append((before, name ?? Words.statements(program.chunk.background, in: program.chunk), false)) }
            record(outcomes, of: program)
            return .ok
        case .interrupted:
            out.flush()
            err.line(ReplWords.lineInterrupted)
            return .failed(ExitStatus.stopped)
        case .stopped, .didNotParse:
            // A background that stopped was reported as it happened; a scenario by its verdict.
            if verdicts(result, in: program.source) { err.write(renderer.render(result.diagnostics.map(Self.hinted))) }
            if changed {
                out.flush()
                err.line(ReplWords.rolledBack)
            }
            return .failed(ExitStatus.stopped)
        }
    }

    /// Prints the verdict of each scenario that ran, as `test` prints them; returns whether
    /// there were any.
    @discardableResult
    private func verdicts(_ result: Evaluation, in source: SourceFile) -> Bool {
        var lines = LineTable(source)
        for scenario in result.scenarios {
            out.line(Words.verdict(scenario, at: lines.line(of: scenario.scenario.headerRange.lowerBound)))
        }
        out.flush()
        return !result.scenarios.isEmpty
    }

    /// Words typed as if they were commands, which are not statements: where to look instead.
    static let notAStatement = ReplWords.notAStatement

    /// Prints an outcome; returns whether it changed the instance. A statement that held
    /// says `ok`, or, from a `chunk` the user did not type, `ok:` and the statement, as
    /// `run` prints it.
    @discardableResult
    private mutating func report(_ outcome: Outcome, naming chunk: Chunk? = nil) -> Bool {
        switch outcome.result {
        case .performed(let events):
            out.line(Words.events(events))
            if let warning = outcome.warning {
                out.flush()
                err.write(renderer.render(warning))
            }
            return true
        case .held: out.line(chunk.map { Words.held(outcome, in: $0) } ?? "ok" + Words.refusedBy(outcome))
        case .shown(let shown): out.write(Words.state(shown))
        case .stopped(let d):
            out.flush()
            err.write(renderer.render(d))
        }
        return false
    }

    // MARK: Meta-commands

    /// Runs a meta-command.
    private mutating func meta(_ line: String) -> Step {
        let command = String(line.prefix { $0 != " " && $0 != "\t" })
        let argument = line.dropFirst(command.count).trimmingSpaces
        // A meta-command that takes no argument refuses one, changing nothing.
        if Self.takesNoArgument.contains(command) && !argument.isEmpty { return usage(command) }
        switch command {
        case ":help":
            out.write(ReplWords.help)
        case ":state":
            out.write(Words.state(instance))
        case ":rules":
            out.write(Catalogue.list())
        case ":explain":
            guard !argument.isEmpty else { return usage(":explain RULE-ID") }
            guard let id = RuleID(rawValue: argument) else { return failed(.unknownRule(argument)) }
            out.write(Catalogue.explain(id))
        case ":reset":
            undoStack.append((session.checkpoint(), ":reset", false))
            session.instance = Instance()
            restart()
            out.line(ReplWords.emptyAgain)
        case ":undo":
            guard let previous = undoStack.popLast() else {
                err.line(ReplWords.nothingToUndo)
                return .failed(ExitStatus.stopped)
            }
            session.undo(to: previous.before)
            forgetUndone()
            out.line(ReplWords.undone(Words.printable(previous.step), left: undoStack.count))
            if previous.namedTarget, let target = stateFile?.path {
                stateFile = nil
                out.line(ReplWords.targetUnnamed(Words.printable(target)))
            }
        case ":load":
            guard !argument.isEmpty else { return usage(":load FILE") }
            return load(argument, step: line)
        case ":save":
            guard !argument.isEmpty else { return usage(":save FILE") }
            do throws(StateFileError) {
                try StateStore.save(instance, to: argument)
                out.line(ReplWords.saved(Words.printable(argument)))
            } catch {
                return failed(.state(error))
            }
        case ":commit":
            return commit()
        case ":run":
            guard !argument.isEmpty else { return usage(":run FILE") }
            return runFile(argument, step: line)
        case ":plan", ":plan!":
            return plan(argument, execute: command == ":plan!", step: line)
        case ":procedure":
            guard let language = argument.isEmpty ? .en : ProcedureLanguage(rawValue: argument) else {
                return usage(":procedure [en|sv]")
            }
            return procedure(language)
        case ":quit", ":q", ":exit":
            return .leave
        default:
            let close = Suggest.closest(to: command, among: Self.metaCommands)
            err.line(ReplWords.unknownCommand(Words.printable(command), closest: close))
            return .failed(ExitStatus.usage)
        }
        return .ok
    }

    private func usage(_ text: String) -> Step {
        err.line(ReplWords.usage(text))
        return .failed(ExitStatus.usage)
    }

    private func failed(_ failure: Failure) -> Step {
        .failed(failure.report())
    }

    /// `:load FILE`: a state file that exists and is valid replaces the instance; anything
    /// else says why and keeps the session as it was. A session without a state file to
    /// commit to takes this one; loading that file again takes what it now holds.
    private mutating func load(_ path: String, step: String) -> Step {
        if case .failure(let failure) = Path.info(path) {
            return failed(.cannotRead(InputError(path: path, reason: failure.reason)))
        }
        do throws(StateFileError) {
            let (loaded, digest) = try StateStore.loadWithDigest(path)
            undoStack.append((session.checkpoint(), step, stateFile == nil))
            session.instance = loaded
            restart()
            let summary = Self.summary(of: loaded)
            if let target = stateFile?.path, target != path {
                out.line(ReplWords.loaded(Words.printable(path), summary, commitsTo: Words.printable(target)))
            } else {
                stateFile = (path, digest, loaded)
                warnedUncommitted = false
                out.line(ReplWords.loadedCommitTarget(Words.printable(path), summary))
            }
        } catch {
            return failed(.state(error))
        }
        return .ok
    }

    /// "3 members, owner adminA".
    private static func summary(of instance: Instance) -> String {
        ReplWords.summary(members: instance.memberCount, owner: instance.owner)
    }

    /// What `repl --state` started from.
    private func sayWhatWasLoaded() {
        guard let stateFile else { return }
        let path = Words.printable(stateFile.path)
        if stateFile.digest == nil {
            out.line(ReplWords.notYet(path))
        } else {
            out.line(ReplWords.loadedCommitTarget(path, Self.summary(of: instance)))
        }
    }

    /// `:commit`: the instance written back to the state file of `repl --state`,
    /// atomically and under its lock, unless someone changed the file since it was loaded.
    private mutating func commit() -> Step {
        guard let stateFile else { return failed(.noCommitTarget) }
        let path = stateFile.path
        do throws(StateFileError) {
            let lock = try StateStore.lock(path) { Notice.waitingForLock(state: path).say() }
            defer { withExtendedLifetime(lock) {} }
            let current = try StateStore.loadWithDigest(path).digest
            guard current == stateFile.digest else { return failed(.changedSinceLoaded(state: path)) }
            try StateStore.save(instance, to: path)
        } catch {
            return failed(.state(error))
        }
        self.stateFile = (path, StateStore.digest(of: instance), instance)
        warnedUncommitted = false
        out.line("committed to \(Words.printable(path))")
        return .ok
    }

    /// `:run FILE`: the whole file or nothing, reported as `run` reports it; a file that
    /// stops, or Ctrl-C, leaves the state as before.
    private mutating func runFile(_ path: String, step: String) -> Step {
        let source: SourceFile
        do throws(InputError) { source = try SourceFile.read(path) } catch {
            return failed(.cannotRead(error))
        }
        let parsed = Parser.parse(source)
        if !parsed.diagnostics.isEmpty { err.write(renderer.render(parsed.diagnostics.map(Self.hinted), unreported: parsed.unreported)) }
        guard let program = parsed.program else {
            err.line(ReplWords.didNotRun(Words.printable(path)))
            return .failed(ExitStatus.dataError)
        }
        let before = session.checkpoint()
        let was = instance
        var reporter = RunReporter(format: .text)
        var interrupt = Interruption(lines)
        reporter.begin(program)
        var outcomes: [Outcome] = []
        let result = session.runStep(program, watching: &interrupt) { outcome in
            reporter.report(outcome)
            if outcome.index < program.chunk.backgroundCount { outcomes.append(outcome) }
        }
        if result.status == .interrupted {
            out.flush()
            err.line(ReplWords.runInterrupted)
            return .failed(ExitStatus.stopped)
        }
        verdicts(result, in: source)
        // What ran, then what stopped it, then the summary, as `run` prints them.
        if result.status != .completed {
            err.write(renderer.render(result.diagnostics.map(Self.hinted)))
            err.flush()
        }
        reporter.summary(result, filesRun: 1, filesGiven: 1)
        guard result.status == .completed else {
            out.flush()
            err.line(ReplWords.runStopped(Words.printable(path)))
            return .failed(ExitStatus.stopped)
        }
        if instance != was { undoStack.append((before, step, false)) }
        record(outcomes, of: program)
        return .ok
    }

    /// `:plan GOAL; GOAL...` prints the shortest safe runbook; `:plan!` also runs it.
    private mutating func plan(_ text: String, execute: Bool, step: String) -> Step {
        let goals: [Goal]
        switch Goals.parse(SourceFile(name: "<plan>", text: text)) {
        case .success(let parsed): goals = parsed
        case .failure(let failure):
            err.write(renderer.render(failure.diagnostics))
            return .failed(ExitStatus.usage)
        }
        guard !goals.isEmpty else {
            err.line(ReplWords.planUsage(execute ? ":plan!" : ":plan"))
            return .failed(ExitStatus.usage)
        }
        let lines = self.lines
        let result = Planner().plan(from: instance, to: goals) { lines.interruptPending }
        let report = Goals.describe(
            result, goals: goals, from: "this session", members: instance.members.map(\.name), start: instance)
        guard let runbook = report.runbook else {
            return failed(.noPlan(report, raise: ReplWords.raise))
        }
        out.write(runbook)
        guard execute else { return .ok }
        out.flush()
        // The whole plan, its closing expectations too: each goal is seen to hold.
        return evaluate(Parser.parse(SourceFile(name: "<plan>", text: runbook)), entry: "", step: step, namingHeld: true)
    }

    // MARK: The procedure

    /// The steps since a start: the instance then, and each statement that ran since,
    /// with the depth of the undo stack after it and the session line of its entry.
    private struct Transcript {
        let start: Instance
        /// The depth of the undo stack when it started.
        let depth: Int
        var statements: [(depth: Int, line: Int, text: String)] = []

        /// The statements as a runbook whose lines are the session's: each entry's
        /// statements on its line, separated by `; `, and a blank line for each line
        /// that left none, so that the procedure names the lines the user typed.
        var runbook: (text: String, firstLine: Int) {
            let firstLine = statements.first?.line ?? 1
            var text = ""
            var line = firstLine
            var lineStarted = false
            for statement in statements {
                if statement.line > line {
                    text += String(repeating: "\n", count: statement.line - line)
                    line = statement.line
                    lineStarted = false
                }
                text += (lineStarted ? "; " : "") + statement.text
                lineStarted = true
            }
            return (text + "\n", firstLine)
        }
    }

    /// Keeps the statements of a step that ran whole, as the formatter writes them.
    private mutating func record(_ outcomes: [Outcome], of program: Program) {
        for outcome in outcomes {
            switch outcome.result {
            case .performed, .held:
                transcripts[transcripts.count - 1].statements.append(
                    (undoStack.count, entryLine, Words.statement(outcome.index, in: program.chunk)))
            case .shown, .stopped: break
            }
        }
    }

    /// `:load` or `:reset`: the procedure starts again from the instance now.
    private mutating func restart() {
        transcripts.append(Transcript(start: instance, depth: undoStack.count))
    }

    /// After `:undo`: the statements, loads and resets it took back are forgotten.
    private mutating func forgetUndone() {
        while transcripts.count > 1 && transcripts[transcripts.count - 1].depth > undoStack.count { transcripts.removeLast() }
        transcripts[transcripts.count - 1].statements.removeAll { $0.depth > undoStack.count }
    }

    /// `:procedure [en|sv]`: the procedure of the steps since the session started or since
    /// `:load`, from the same run `procedure` does of a runbook of those steps.
    private mutating func procedure(_ language: ProcedureLanguage) -> Step {
        let transcript = transcripts[transcripts.count - 1]
        let runbook = transcript.runbook
        let source = SourceFile(name: ProcedureWords.thisSession(language), text: runbook.text, firstLine: runbook.firstLine)
        guard let program = Parser.parse(source).program else {
            return .failed(ExitStatus.dataError)
        }
        var session = Session(instance: transcript.start)
        var recorder = ProcedureRecorder(locatesSteps: false)
        let result = session.run(program, watching: &recorder)
        guard result.status == .completed else {
            for d in result.diagnostics { err.write(renderer.render(d)) }
            return .failed(ExitStatus.stopped)
        }
        // A step performed anyway may have stranded members: a procedure never does.
        if let refusal = recorder.refusal { return failed(.noProcedure(refusal)) }
        out.write(recorder.procedure(endingAt: session.instance).markdown(language))
        return .ok
    }

    // MARK: Completion

    /// The meta-commands that take no argument.
    static let takesNoArgument: Set = [":help", ":state", ":rules", ":reset", ":undo", ":commit", ":quit", ":q", ":exit"]

    /// The meta-commands of the REPL.
    static let metaCommands = [
        ":help", ":state", ":rules", ":explain", ":reset", ":undo", ":load", ":save", ":commit", ":run", ":plan",
        ":plan!", ":procedure", ":quit",
    ]

    /// The completions of `word`, given the line before it: meta-commands and file paths
    /// (state files for `:load` and `:save`, runbooks for `:run`) here, the rest from the
    /// language's completion.
    static func completions(before: String, word: String, instance: Instance) -> LineEditor.Completions {
        let trimmed = before.drop { $0 == " " || $0 == "\t" }
        let members = instance.members.map(\.name)
        if isMetaCommand(trimmed) {
            let command = String(trimmed.prefix { $0 != " " })
            if command == ":load" || command == ":save" { return .files(ending: ".json") }
            if command == ":run" { return .files(ending: ".runbook") }
            if command == ":explain" { return .words(Completion.matches(word, in: RuleID.allCases.map(\.rawValue))) }
            guard command == ":plan" || command == ":plan!" else { return .words([]) }
            let goals = String(trimmed.dropFirst(command.count))
            return .words(Completion.matches(word, in: Completion.items(before: goals, members: members, goals: true).map(\.text)))
        }
        var words = Completion.items(before: before, members: members).map(\.text)
        if trimmed.isEmpty { words += metaCommands }
        return .words(Completion.matches(word, in: words))
    }

    /// A diagnostic with the REPL's own hints: where its words are listed.
    static func hinted(_ d: Diagnostic) -> Diagnostic {
        var d = d
        if d.id == .unknownRule && d.hints.isEmpty { d.hints.append(ReplWords.rulesListed) }
        return d
    }

}

/// Stops a run between statements when Ctrl-C is pressed on the terminal: the run then
/// ends `interrupted`.
struct Interruption: RunObserver {
    let lines: LineSource

    init(_ lines: LineSource) { self.lines = lines }

    mutating func begin(_ program: Program, scenario: Scenario?, from instance: Instance) {}
    mutating func observe(_ outcome: Outcome, leaving instance: Instance) {}
    var shouldStop: Bool { lines.interruptPending }
}

/// The session's instance, shared with the completion callback.
final class InstanceBox {
    var instance: Instance
    init(_ instance: Instance) { self.instance = instance }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
