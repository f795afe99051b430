import ConnectionCore
import FoundationEssentials
import RunbookFiles
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
            Self.completions(before: before, word: word, instance: box.instance)
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
            let parsed = Parser.parse(SourceFile(name: "<repl>", text: entry))
            if !isMeta && parsed.incomplete != nil { continue }
            pending = []
            if let warning = editor.remember(entry) {
                err.line(warning)
                err.flush()
            }
            if isMeta {
                if !meta(entry.trimmingSpaces) { return }
            } else {
                evaluate(parsed)
            }
            out.flush()
            err.flush()
        }
    }

    // MARK: Entries

    /// Runs a parsed entry at once; statements that succeed stay, each undoable.
    private mutating func evaluate(_ parsed: ParseResult) {
        if !parsed.diagnostics.isEmpty { err.write(renderer.render(parsed.diagnostics.map(Self.hinted), unreported: parsed.unreported)) }
        guard let program = parsed.program else { return }
        var interpreter = Interpreter(instance: instance)
        for index in program.chunk.background {
            let before = interpreter.instance
            let outcome = interpreter.execute(index, of: program)
            if report(outcome) { undoStack.append(before) }
            if case .stopped = outcome.result { break }
        }
        instance = interpreter.instance
        for scenario in program.chunk.scenarios {
            let result = ScenarioRunner.run(scenario, of: program, after: interpreter)
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
        switch outcome.result {
        case .performed(let events):
            out.line(Words.events(events))
            return true
        case .held: out.line("ok")
        case .shown(let shown): out.write(Words.state(shown))
        case .stopped(let d):
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
            out.write(Words.state(instance))
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
                out.line("loaded \(argument): \(loaded.memberCount) members, owner \(loaded.owner.map(Words.spell) ?? "none")")
            } catch {
                for line in Failure.state(error).lines { err.line(line) }
            }
        case ":save":
            guard !argument.isEmpty else { return usage(":save FILE") }
            do throws(StateFileError) {
                try StateStore.save(instance, to: argument)
                out.line("saved \(argument)")
            } catch {
                for line in Failure.state(error).lines { err.line(line) }
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
            if let close = Suggest.closest(to: command, among: Self.metaCommands) { message += "; did you mean '\(close)'?" }
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
        do throws(InputError) { source = try SourceFile.read(path) } catch {
            for line in Failure.cannotRead(error).lines { err.line(line) }
            return
        }
        let before = instance
        var session = Session(instance: instance)
        let result = session.evaluate(source) { outcome in
            if case .stopped = outcome.result { return }
            _ = Self.print(outcome, to: out)
        }
        switch result.status {
        case .completed:
            instance = session.instance
            undoStack.append(before)
            out.line("ran \(path): \(result.statementsRun) statements, \(result.expectationsHeld) expectations held")
        case .stopped, .didNotParse:
            out.flush()
            err.write(renderer.render(result.diagnostics.map(Self.hinted)))
            instance = before
            err.line("\(path) stopped; the state is as it was before :run")
        }
    }

    private static func print(_ outcome: Outcome, to out: Output) -> Bool {
        switch outcome.result {
        case .performed(let events): out.line(Words.events(events))
        case .held: out.line("ok")
        case .shown(let shown): out.write(Words.state(shown))
        case .stopped: break
        }
        return true
    }

    /// `:plan GOAL; GOAL...` prints the shortest safe runbook; `:plan!` also runs it.
    private mutating func plan(_ text: String, execute: Bool) {
        let goals: [Goal]
        switch Goals.parse(SourceFile(name: "<plan>", text: text)) {
        case .success(let parsed): goals = parsed
        case .failure(let failure):
            err.write(renderer.render(failure.diagnostics))
            return
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
        evaluate(Parser.parse(SourceFile(name: "<plan>", text: report.statements.joined(separator: "\n"))))
    }

    // MARK: Completion

    /// The meta-commands of the REPL.
    static let metaCommands = [
        ":help", ":state", ":rules", ":reset", ":undo", ":load", ":save", ":run", ":plan", ":plan!", ":quit",
    ]

    /// The completions of `word`, given the line before it: meta-commands and file paths
    /// here, the rest from the language's completion; `nil` for readline's file names.
    static func completions(before: String, word: String, instance: Instance) -> [String]? {
        let trimmed = before.drop { $0 == " " || $0 == "\t" }
        let members = instance.members.map(\.name)
        if trimmed.hasPrefix(":") {
            let command = String(trimmed.prefix { $0 != " " })
            if [":load", ":save", ":run"].contains(command) { return nil }
            guard command == ":plan" || command == ":plan!" else { return [] }
            let goals = String(trimmed.dropFirst(command.count))
            return Completion.matches(word, in: Completion.items(before: goals, members: members, goals: true).map(\.text))
        }
        var words = Completion.items(before: before, members: members).map(\.text)
        if trimmed.isEmpty { words += metaCommands }
        return Completion.matches(word, in: words)
    }

    /// A diagnostic with the REPL's own hints: where its words are listed.
    static func hinted(_ d: Diagnostic) -> Diagnostic {
        var d = d
        if d.id == .unknownRule && d.hints.isEmpty { d.hints.append(":rules lists the rule ids") }
        return d
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
