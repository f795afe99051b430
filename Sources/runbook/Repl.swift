import ConnectionCore
import FoundationEssentials
import RunbookLanguage

/// The interactive session: reads entries, runs them at once, reports as batch mode does.
struct Repl {
    private var instance: Instance
    /// The instance before each successful change, newest last.
    private var undoStack: [Instance] = []
    private var renderer = DiagnosticRenderer(color: Output.error.wantsColor)
    private let out = Output.standard
    private let err = Output.error
    private var editor: LineEditor!

    init(instance: Instance) {
        self.instance = instance
    }

    /// The history file: `$XDG_STATE_HOME/runbook/history`, by default `~/.local/state/runbook/history`.
    static var historyPath: String? {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/runbook/history" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/runbook/history"
    }

    mutating func loop() {
        // Completion reads the instance as it is when Tab is pressed.
        let box = InstanceBox(instance)
        editor = LineEditor(historyFile: Self.historyPath) { before, word in
            switch Completion.context(before: before, instance: box.instance) {
            case .path: nil
            case .words(let words): Completion.matches(word, in: words)
            }
        }
        out.line("runbook \(Runbook.configuration.version): rehearse Marketo integration changes. :help for help, Ctrl-D to leave.")
        out.flush()
        var pending: [String] = []
        while true {
            box.instance = instance
            _ = editor.takeInterrupt()
            let read = editor.read(prompt: pending.isEmpty ? "runbook> " : "...> ")
            if editor.takeInterrupt() { pending = [] }  // Ctrl-C dropped the input being typed
            guard case .line(let line) = read else {
                out.line("")
                out.flush()
                return
            }
            pending.append(line)
            let entry = pending.joined(separator: "\n")
            let isMeta = entry.drop { $0 == " " }.hasPrefix(":")
            if !isMeta && Parser.parse(SourceFile(name: "<repl>", text: entry)).incomplete != nil { continue }
            pending = []
            if let warning = editor.remember(entry) {
                err.line(warning)
                err.flush()
            }
            if isMeta {
                if !meta(entry.trimmingSpaces) { return }
            } else {
                evaluate(SourceFile(name: "<repl>", text: entry))
            }
            out.flush()
            err.flush()
        }
    }

    // MARK: Entries

    /// Runs a source at once; statements that succeed stay, each undoable.
    private mutating func evaluate(_ source: SourceFile) {
        let parsed = Parser.parse(source)
        guard parsed.succeeded else {
            for d in parsed.diagnostics { err.write(renderer.render(d)) }
            return
        }
        var interpreter = Interpreter(instance: instance)
        for statement in parsed.program.background {
            let before = interpreter.instance
            let outcome = interpreter.execute(statement, in: source)
            if report(outcome) { undoStack.append(before) }
            if case .stopped = outcome { break }
        }
        instance = interpreter.instance
        for scenario in parsed.program.scenarios {
            let result = ScenarioRunner.run(scenario, of: parsed.program, from: instance)
            out.line("\(result.passed ? "PASS" : "FAIL") scenario \(scenario.title)")
            if let failure = result.failure {
                out.flush()
                err.write(renderer.render(failure))
            }
        }
    }

    /// Prints an outcome; returns whether it changed the instance.
    @discardableResult
    private mutating func report(_ outcome: Outcome) -> Bool {
        switch outcome {
        case .performed(_, let events):
            out.line(Describe.events(events))
            return true
        case .held: out.line("ok")
        case .shown(_, let shown): out.write(Describe.state(shown))
        case .stopped(_, let d):
            out.flush()
            err.write(renderer.render(d))
        }
        return false
    }

    // MARK: Meta-commands

    /// Runs a meta-command; returns `false` to leave the REPL.
    private mutating func meta(_ line: String) -> Bool {
        let command = String(line.prefix { $0 != " " })
        let argument = line.dropFirst(command.count).trimmingSpaces
        switch command {
        case ":help":
            out.write(Self.help)
        case ":state":
            out.write(Describe.state(instance))
        case ":rules":
            out.write(Catalogue.list())
        case ":reset":
            undoStack.append(instance)
            instance = Instance()
            out.line("the instance is empty again")
        case ":undo":
            guard let previous = undoStack.popLast() else {
                err.line("nothing to undo")
                return true
            }
            instance = previous
            out.line("undone; \(undoStack.count) more step\(undoStack.count == 1 ? "" : "s") to undo")
        case ":load":
            guard !argument.isEmpty else { return usage(":load FILE") }
            do throws(StateFileError) {
                let loaded = try StateStore.load(argument)
                undoStack.append(instance)
                instance = loaded
                out.line("loaded \(argument): \(loaded.memberCount) members, owner \(loaded.owner ?? "none")")
            } catch {
                err.line("runbook: \(error)")
            }
        case ":save":
            guard !argument.isEmpty else { return usage(":save FILE") }
            do throws(StateFileError) {
                try StateStore.save(instance, to: argument)
                out.line("saved \(argument)")
            } catch {
                err.line("runbook: \(error)")
            }
        case ":run":
            guard !argument.isEmpty else { return usage(":run FILE") }
            runFile(argument)
        case ":plan", ":plan!":
            plan(argument, execute: command == ":plan!")
        case ":quit", ":q", ":exit":
            return false
        default:
            var message = "unknown command '\(command)'"
            if let close = Suggest.closest(to: command, among: Completion.metaCommands) { message += "; did you mean '\(close)'?" }
            err.line(message + " (:help lists them)")
        }
        return true
    }

    private func usage(_ text: String) -> Bool {
        err.line("usage: \(text)")
        return true
    }

    /// `:run FILE`: the whole file or nothing; a file that stops leaves the state as before.
    private mutating func runFile(_ path: String) {
        let source: SourceFile
        do throws(InputError) { source = try SourceFile(contentsOf: path) } catch {
            err.line("runbook: \(error.path): cannot read: \(error.reason)")
            return
        }
        let before = instance
        var session = Session(instance: instance)
        let result = session.evaluate(source) { outcome in
            if case .stopped = outcome { return }
            _ = Self.print(outcome, to: out)
        }
        switch result.status {
        case .completed:
            instance = session.instance
            undoStack.append(before)
            out.line("ran \(path): \(result.statementsRun) statements, \(result.expectationsHeld) expectations held")
        case .stopped, .didNotParse:
            out.flush()
            for d in result.diagnostics { err.write(renderer.render(d)) }
            instance = before
            err.line("\(path) stopped; the state is as it was before :run")
        }
    }

    private static func print(_ outcome: Outcome, to out: Output) -> Bool {
        switch outcome {
        case .performed(_, let events): out.line(Describe.events(events))
        case .held: out.line("ok")
        case .shown(_, let shown): out.write(Describe.state(shown))
        case .stopped: break
        }
        return true
    }

    /// `:plan GOAL; GOAL...` prints the shortest safe runbook; `:plan!` also runs it.
    /// Goals are separated by `;`, or each written in single quotes as on the command line.
    private mutating func plan(_ text: String, execute: Bool) {
        let pieces =
            text.contains("'")
            ? text.split(separator: "'").map { $0.trimmingSpaces }
            : text.split(separator: ";").map { $0.trimmingSpaces }
        var goals: [Goal] = []
        for piece in pieces where !piece.isEmpty {
            switch Goals.parse(piece) {
            case .success(let parsed): goals += parsed
            case .failure(let d):
                err.line("invalid goal '\(piece)': \(d.message)")
                for hint in d.hints { err.line("  hint: \(hint)") }
                return
            }
        }
        guard !goals.isEmpty else {
            err.line("usage: :plan GOAL; GOAL...   for example  :plan owner adminB; adminA absent")
            return
        }
        let report = Goals.describe(Planner().plan(from: instance, to: goals), goals: goals, from: "this session")
        guard let runbook = report.runbook else {
            _ = PlanCommand.report(report)
            return
        }
        out.write(runbook)
        guard execute else { return }
        out.flush()
        evaluate(SourceFile(name: "<plan>", text: report.statements.joined(separator: "\n")))
    }

    static let help = """
        Type runbook statements; each runs at once against this session's instance.
          admin NAMES / user NAMES          declare members
          as NAME connect | disconnect      connect or disconnect the integration
          as NAME grant | revoke | remove NAMES
          expect owner NAME|none, expect NAMES connected | not connected | has access | absent
          expect violation [RULE-ID] as NAME VERB ...
          show                              print the state
          scenario "title" { ... }          run a scenario on a copy of the state
        Meta-commands:
          :help           this text
          :state          members, roles, connections, owner, grants
          :rules          the rule catalogue
          :reset          start again from an empty instance
          :undo           step back one successful statement (repeatable)
          :load FILE      load a state file
          :save FILE      save the state to a file (atomically)
          :run FILE       run a runbook; if it stops, the state is as before
          :plan GOAL; GOAL  the shortest safe runbook to the goals; :plan! runs it
                            (for example  :plan owner adminB; adminA absent)
          :quit           leave (so does Ctrl-D on an empty line)
        Tab completes keywords, members, verbs, rule ids and paths; Ctrl-C drops the input.

        """
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
