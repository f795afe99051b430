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
    private var instance: Instance
    /// The steps `:undo` can take back, newest last: the instance before each, what it was,
    /// and whether it named the file `:commit` writes to (a first `:load`), which taking it
    /// back unnames.
    private var undoStack: [(before: Instance, step: String, namedTarget: Bool)] = []
    private var renderer = DiagnosticRenderer(color: Output.error.wantsColor)
    private let out = Output.standard
    private let err = Output.error
    private var editor: LineEditor?
    /// The state file of `repl --state`, which `:commit` writes back: its path, the digest
    /// of its bytes when last loaded or committed (`nil` when it did not exist), and the
    /// instance it then held.
    private var stateFile: (path: String, digest: String?, instance: Instance)?
    /// Whether leaving with changes not committed was already warned about.
    private var warnedUncommitted = false
    /// The line the next entry read from a pipe starts on.
    private var line = 1
    /// The session's steps since it started, and since each `:load` or `:reset` not undone:
    /// what `:procedure` writes out.
    private var transcripts: [Transcript]

    package init(instance: Instance, stateFile: (path: String, digest: String?)? = nil) {
        self.instance = instance
        transcripts = [Transcript(start: instance, depth: 0)]
        self.stateFile = stateFile.map { ($0.path, $0.digest, instance) }
    }

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

    /// Reads and runs entries from a terminal until the user leaves.
    package mutating func loop() {
        // Completion reads the instance as it is when Tab is pressed.
        let box = InstanceBox(instance)
        let editor = LineEditor(historyFile: Self.historyPath) { before, word in
            Self.completions(before: before, word: word, instance: box.instance)
        }
        self.editor = editor
        // Ctrl-\ leaves a shell running; so it does the REPL, with no crash report.
        signal(SIGQUIT, SIG_IGN)
        out.line(ReplWords.banner(version: Words.version))
        sayWhatWasLoaded()
        out.flush()
        var pending: [String] = []
        while true {
            box.instance = instance
            _ = editor.takeInterrupt()
            let read = editor.read(prompt: pending.isEmpty ? "runbook> " : "...> ")
            if editor.takeInterrupt() { pending = [] }  // Ctrl-C dropped the input being typed
            guard case .line(let text) = read else {
                out.line("")
                if mayLeave() { return }
                pending = []
                continue
            }
            pending.append(text)
            let entry = pending.joined(separator: "\n")
            let isMeta = entry.drop { $0 == " " }.hasPrefix(":")
            let parsed = Parser.parse(SourceFile(name: "<repl>", text: entry))
            if !isMeta && parsed.incomplete != nil { continue }
            pending = []
            if let warning = editor.remember(entry) {
                err.line(warning)
                err.flush()
            }
            let step = isMeta ? meta(entry.trimmingSpaces) : evaluate(parsed, entry: entry)
            out.flush()
            err.flush()
            if case .leave = step, mayLeave() { return }
        }
    }

    /// Reads and runs entries from a pipe until its end or the first error; returns the
    /// exit status.
    package mutating func batch() -> Int32 {
        // A closed standard input is open on /dev/null: not an empty session that succeeds.
        if StandardStreams.wasClosed(0) {
            return Failure.cannotRead(InputError(path: "-", reason: Words.FileReason.standardInputClosed.text)).report()
        }
        var reader = LineReader()
        var pending: [UInt8] = []
        var firstLine = line
        while true {
            let read = reader.next()
            if case .tooLong = read {
                let reason = Words.FileReason.streamTooLong(limit: LineReader.maximumLine).text
                return Failure.cannotRead(InputError(path: "-", reason: reason)).report()
            }
            guard case .line(let bytes) = read else {
                // Input that ended inside a construct reports why.
                if !pending.isEmpty, case .failed(let status) = evaluate(Parser.parse(source(pending, firstLine)), entry: "") {
                    return status
                }
                _ = mayLeave()
                return ExitStatus.success
            }
            if pending.isEmpty { firstLine = line }
            line += 1
            if !pending.isEmpty { pending.append(0x0A) }
            pending += bytes
            let entry = String(decoding: pending, as: UTF8.self)
            let isMeta = entry.drop { $0 == " " || $0 == "\t" }.hasPrefix(":")
            let parsed = isMeta ? nil : Parser.parse(source(pending, firstLine))
            if let parsed, parsed.incomplete != nil { continue }
            pending = []
            let step = parsed.map { evaluate($0, entry: entry) } ?? meta(entry.trimmingSpaces)
            out.flush()
            err.flush()
            switch step {
            case .ok: continue
            case .failed(let status): return status
            case .leave:
                _ = mayLeave()
                return ExitStatus.success
            }
        }
    }

    private func source(_ bytes: [UInt8], _ firstLine: Int) -> SourceFile {
        SourceFile(name: "<stdin>", bytes: bytes, firstLine: firstLine)
    }

    /// Whether the session may end now: with changes not committed to its state file, the
    /// first attempt on a terminal says so and stays.
    private mutating func mayLeave() -> Bool {
        guard let stateFile, stateFile.instance != instance, !warnedUncommitted else { return true }
        warnedUncommitted = true
        Notice.uncommitted(state: stateFile.path, dropped: editor == nil).say()
        if editor != nil { err.line(ReplWords.uncommittedHint) }
        err.flush()
        return editor == nil
    }

    // MARK: Entries

    /// Runs a parsed entry at once. The entry is one step (SPEC §4): when any of its
    /// statements stops, or a scenario in it fails, the whole entry is rolled back; what it
    /// changed otherwise is one undoable step, named `step` or, by default, by its statements.
    private mutating func evaluate(_ parsed: ParseResult, entry: String, step name: String? = nil) -> Step {
        if let hint = Self.notAStatement[entry.trimmingSpaces], parsed.program == nil {
            err.line(hint)
            return .failed(ExitStatus.dataError)
        }
        if !parsed.diagnostics.isEmpty { err.write(renderer.render(parsed.diagnostics.map(Self.hinted), unreported: parsed.unreported)) }
        guard let program = parsed.program else { return .failed(ExitStatus.dataError) }
        var interpreter = Interpreter(instance: instance)
        var step = Step.ok
        var changed = false
        var outcomes: [Outcome] = []
        for index in program.chunk.background {
            let outcome = interpreter.execute(index, of: program)
            outcomes.append(outcome)
            if report(outcome) { changed = true }
            if case .stopped = outcome.result {
                step = .failed(ExitStatus.stopped)
                break
            }
        }
        // A scenario runs on a copy of the state the entry's statements left: it is no step.
        if case .ok = step {
            for scenario in program.chunk.scenarios {
                let result = ScenarioRunner.run(scenario, of: program, after: interpreter)
                out.line("\(result.passed ? "PASS" : "FAIL") scenario \(Words.printable(scenario.title))")
                if let failure = result.failure {
                    out.flush()
                    err.write(renderer.render(failure))
                    step = .failed(ExitStatus.stopped)
                }
            }
        }
        guard changed else {
            if case .ok = step { record(outcomes, of: program) }
            return step
        }
        guard case .ok = step else {
            out.flush()
            err.line(ReplWords.rolledBack)
            return step
        }
        undoStack.append((instance, name ?? Words.statements(program.chunk.background, in: program.chunk), false))
        instance = interpreter.instance
        record(outcomes, of: program)
        return step
    }

    /// Words typed as if they were commands, which are not statements: where to look instead.
    static let notAStatement = ReplWords.notAStatement

    /// Prints an outcome; returns whether it changed the instance.
    @discardableResult
    private mutating func report(_ outcome: Outcome) -> Bool {
        switch outcome.result {
        case .performed(let events):
            out.line(Words.events(events))
            if let warning = outcome.warning {
                out.flush()
                err.write(renderer.render(warning))
            }
            return true
        case .held: out.line("ok" + Words.refusedBy(outcome))
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
            undoStack.append((instance, ":reset", false))
            instance = Instance()
            restart()
            out.line(ReplWords.emptyAgain)
        case ":undo":
            guard let previous = undoStack.popLast() else {
                err.line(ReplWords.nothingToUndo)
                return .failed(ExitStatus.stopped)
            }
            instance = previous.before
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
            guard argument.isEmpty else { return usage(":commit") }
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
        err.line("usage: \(text)")
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
            undoStack.append((instance, step, stateFile == nil))
            instance = loaded
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
        let before = instance
        var session = Session(instance: instance)
        var reporter = RunReporter(format: .text)
        var interrupt = Interruption(editor: editor)
        reporter.begin(program)
        var outcomes: [Outcome] = []
        let result = session.run(program, watching: &interrupt) { outcome in
            reporter.report(outcome)
            if outcome.index < program.chunk.backgroundCount { outcomes.append(outcome) }
        }
        if interrupt.interrupted {
            out.flush()
            err.line(ReplWords.runInterrupted)
            return .failed(ExitStatus.stopped)
        }
        var lines = LineTable(source)
        for scenario in result.scenarios {
            let line = lines.line(of: scenario.scenario.headerRange.lowerBound)
            out.line("\(scenario.passed ? "PASS" : "FAIL") \(Words.test(scenario.scenario, at: line, in: source))")
        }
        // What ran, then what stopped it, then the summary, as `run` prints them.
        if result.status != .completed {
            out.flush()
            err.write(renderer.render(result.diagnostics.map(Self.hinted)))
            err.flush()
        }
        reporter.summary(result, filesRun: 1, filesGiven: 1)
        guard result.status == .completed else {
            out.flush()
            err.line(ReplWords.runStopped(Words.printable(path)))
            return .failed(ExitStatus.stopped)
        }
        instance = session.instance
        if instance != before { undoStack.append((before, step, false)) }
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
            err.line(ReplWords.planUsage)
            return .failed(ExitStatus.usage)
        }
        let editor = self.editor
        let result = Planner().plan(from: instance, to: goals) { editor?.interruptPending ?? false }
        let report = Goals.describe(
            result, goals: goals, from: "this session", members: instance.members.map(\.name), start: instance)
        guard let runbook = report.runbook else {
            return failed(.noPlan(report, raise: ReplWords.raise))
        }
        out.write(runbook)
        guard execute else { return .ok }
        out.flush()
        // The whole plan, its closing expectations too: each goal is seen to hold.
        return evaluate(Parser.parse(SourceFile(name: "<plan>", text: runbook)), entry: "", step: step)
    }

    // MARK: The procedure

    /// The steps since a start: the instance then, and each statement that ran since,
    /// with the depth of the undo stack after it.
    private struct Transcript {
        let start: Instance
        /// The depth of the undo stack when it started.
        let depth: Int
        var statements: [(depth: Int, text: String)] = []
    }

    /// Keeps the statements of a step that ran whole, as the formatter writes them.
    private mutating func record(_ outcomes: [Outcome], of program: Program) {
        for outcome in outcomes {
            switch outcome.result {
            case .performed, .held:
                transcripts[transcripts.count - 1].statements.append(
                    (undoStack.count, Words.statement(outcome.index, in: program.chunk)))
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
        let text = transcript.statements.map { $0.text + "\n" }.joined()
        guard let program = Parser.parse(SourceFile(name: ProcedureWords.thisSession(language), text: text)).program else {
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
        if trimmed.hasPrefix(":") {
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

/// Stops a run when Ctrl-C is pressed, and remembers that it did.
struct Interruption: RunObserver {
    let editor: LineEditor?
    private(set) var interrupted = false

    init(editor: LineEditor?) { self.editor = editor }

    mutating func begin(_ program: Program, scenario: Scenario?, from instance: Instance) {}
    mutating func observe(_ outcome: Outcome, leaving instance: Instance) {
        if editor?.interruptPending == true { interrupted = true }
    }
    var shouldStop: Bool { interrupted }
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
