import ConnectionCore
import FoundationEssentials
import RunbookLanguage

/// The instance a document's runbook runs against: a state file's, an empty one, or why
/// the state file named could not be loaded (then nothing runs: results against another
/// instance would say "ok" where the real one may not).
package enum BaseState {
    case instance(Instance)
    case unusable(String)
}

/// One version of a document, read: its text parsed into the one form, the background
/// run, then each scenario from a copy of the interpreter after the background. Every
/// request about that version reads it; a change makes a new one.
final class Analysis {
    let uri: String
    let version: Int
    let source: SourceFile
    let parsed: ParseResult
    let lines: LineIndex
    let base: BaseState
    /// The runnable program: `nil` when the source has errors or the state is unusable.
    let program: Program?
    /// The interpreter after the background; `nil` when the background stopped or nothing ran.
    private(set) var afterBackground: Interpreter?
    /// The outcome that stopped the background.
    private(set) var backgroundStop: Outcome?
    /// The outcome that stopped each scenario, by index into `chunk.scenarios`.
    private(set) var scenarioStops: [Outcome?] = []
    /// What the steps performed `anyway` earned, in source order.
    private(set) var warnings: [Diagnostic] = []

    var chunk: Chunk { parsed.chunk }

    init(uri: String, version: Int, text: [UInt8], base: BaseState) {
        self.uri = uri
        self.version = version
        self.source = SourceFile(name: Self.name(of: uri), bytes: text)
        self.parsed = Parser.parse(source)
        self.lines = LineIndex(text)
        self.base = base
        guard case .instance(let instance) = base, let program = parsed.program else {
            self.program = nil
            return
        }
        self.program = program
        var interpreter = Interpreter(instance: instance, describesEvents: false)
        var warnings: [Diagnostic] = []
        let warn = { (outcome: Outcome) in if let warning = outcome.warning { warnings.append(warning) } }
        backgroundStop = interpreter.run(program, chunk.background, observe: warn)
        if backgroundStop == nil {
            afterBackground = interpreter
            scenarioStops = chunk.scenarios.map { scenario in
                var copy = interpreter
                return copy.run(program, scenario.statements, observe: warn)
            }
        }
        self.warnings = warnings
    }

    /// The name diagnostics give the source: the path of a `file:` URI.
    private static func name(of uri: String) -> String {
        guard uri.hasPrefix("file:"), let url = URL(string: uri) else { return uri }
        return url.path(percentEncoded: false)
    }

    /// The members of the base instance.
    var baseInstance: Instance {
        if case .instance(let instance) = base { return instance }
        return Instance()
    }

    // MARK: Diagnostics

    /// Every error and warning of the source, then what stopped the background and each
    /// scenario; or why nothing runs against an unusable state.
    var diagnostics: [Diagnostic] {
        var all = parsed.diagnostics
        if case .unusable(let problem) = base {
            all.append(Diagnostic(.error, Words.notRun(state: problem), in: source, at: 0..<0))
        }
        all += warnings
        if let stop = backgroundStop?.stop { all.append(stop) }
        for stop in scenarioStops { if let d = stop?.stop { all.append(d) } }
        return all
    }

    // MARK: Finding things

    /// The index of the statement whose range holds `offset` (its end included).
    func statement(at offset: Int) -> Int? {
        let statements = chunk.statements
        var low = 0
        var high = statements.count - 1
        var found: Int?
        while low <= high {
            let mid = (low + high) / 2
            if statements[mid].range.lowerBound <= offset {
                found = mid
                low = mid + 1
            } else {
                high = mid - 1
            }
        }
        guard let found, offset <= statements[found].range.upperBound else { return nil }
        return found
    }

    /// The name whose token holds `offset` (its end included), with its statement.
    func name(at offset: Int) -> (statement: Int, name: NameReference)? {
        guard let index = statement(at: offset) else { return nil }
        guard let name = chunk.names(of: index).first(where: { $0.range.contains(offset) || $0.range.upperBound == offset }) else {
            return nil
        }
        return (index, name)
    }

    /// The scenario whose braces hold `offset`, by index.
    func scenario(around offset: Int) -> Int? {
        chunk.scenarios.firstIndex { s in
            s.headerRange.lowerBound <= offset && offset <= (s.closeRange?.upperBound ?? source.bytes.count)
        }
    }

    /// Whether `offset` is inside a comment (or at its end).
    func isInComment(_ offset: Int) -> Bool {
        chunk.comments.contains { $0.lowerBound < offset && offset <= $0.upperBound }
    }

    /// Every use of the name `id`, in source order.
    func uses(of id: Int) -> [(statement: Int, name: NameReference)] {
        chunk.statements.indices.flatMap { i in chunk.names(of: i).filter { $0.id == id }.map { (i, $0) } }
    }

    /// Where the name `id` is declared for a use in the statement at `index`: in that
    /// statement's scenario, else in the background.
    func declaration(of id: Int, from index: Int) -> NameReference? {
        var places = [chunk.background]
        if let scenario = chunk.scenario(containing: index) { places.insert(scenario.statements, at: 0) }
        for place in places {
            for i in place {
                guard case .declare = chunk.statements[i].kind else { continue }
                if let name = chunk.names(of: i).first(where: { $0.id == id }) { return name }
            }
        }
        return nil
    }

    /// The 1-based line of an offset, as messages count lines.
    func lineNumber(of offset: Int) -> Int { lines.line(of: offset) + 1 }

    // MARK: Running to a statement

    /// What running up to a statement shows.
    enum Step {
        /// The statement ran: the instance before it, its outcome, the instance after it.
        case ran(before: Instance, outcome: Outcome, after: Instance)
        /// It did not run, and why, in words.
        case notRun(String)
    }

    /// Runs the background, or the background and the statement's scenario, up to the
    /// statement at `index`, and then it, describing its events.
    func step(at index: Int) -> Step {
        switch start(of: index) {
        case .failure(let why):
            return .notRun(why.text)
        case .success(let start):
            var interpreter = start.interpreter
            let first = start.first
            interpreter.describesEvents = true
            if let program, let stop = interpreter.run(program, first..<index) {
                return .notRun(Words.notRun(stoppedAt: lineNumber(of: stop.range.lowerBound)))
            }
            let before = interpreter.instance
            let outcome = interpreter.execute(index, of: program!)
            return .ran(before: before, outcome: outcome, after: interpreter.instance)
        }
    }

    /// Runs the part of the program that holds the statement at `last` (the background, or
    /// the background's end state and a scenario) up to it, handing each statement's
    /// outcome and the state after it to `observe`, until one stops.
    func walk(through last: Int, observe: (Int, Outcome, Instance) -> Void) {
        guard case .success(let start) = start(of: last), let program else { return }
        var interpreter = start.interpreter
        for i in start.first...last {
            let outcome = interpreter.execute(i, of: program)
            observe(i, outcome, interpreter.instance)
            if outcome.stop != nil { return }
        }
    }

    /// Why a statement does not run, in words.
    struct NotRun: Error {
        var text: String
    }

    /// The interpreter at the start of the part of the program that holds the statement
    /// at `index`, and the index that part starts at.
    private func start(of index: Int) -> Result<(interpreter: Interpreter, first: Int), NotRun> {
        guard program != nil else {
            if case .unusable(let problem) = base { return .failure(NotRun(text: Words.notRun(state: problem))) }
            return .failure(NotRun(text: Words.notRunForErrors))
        }
        guard let scenario = chunk.scenario(containing: index) else {
            return .success((Interpreter(instance: baseInstance, describesEvents: false), 0))
        }
        guard let afterBackground else {
            return .failure(NotRun(text: Words.notRun(stoppedAt: lineNumber(of: backgroundStop?.range.lowerBound ?? 0))))
        }
        return .success((afterBackground, scenario.statements.lowerBound))
    }
}
