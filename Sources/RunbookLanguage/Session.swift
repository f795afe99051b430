import ConnectionCore

/// The result of evaluating one source.
public struct Evaluation: Sendable {
    public enum Status: Sendable, Hashable {
        /// Every statement ran, every expectation and scenario held.
        case completed
        /// A violation, a failed expectation or a failed scenario stopped it.
        case stopped
        /// The source has errors found before anything runs; nothing ran.
        case didNotParse
        /// The observer asked it to stop (an interactive host's Ctrl-C) before a statement:
        /// what ran before it stays, nothing after it ran.
        case interrupted
    }

    public var status: Status
    /// Each statement's outcome, in order (collected only when no observer was given).
    public var outcomes: [Outcome] = []
    /// The errors that kept the source from running, or the one violation or failed
    /// expectation that stopped the run.
    public var diagnostics: [Diagnostic] = []
    /// The scenarios that ran, when the source has any.
    public var scenarios: [ScenarioResult] = []
    /// Statements executed, scenarios' included.
    public var statementsRun = 0
    /// Expectations that held.
    public var expectationsHeld = 0
    /// What steps performed `anyway` earned, in order: hazards accepted, with who was
    /// stranded, and `anyway`s that accepted nothing.
    public var warnings: [Diagnostic] = []
    /// Set when the source ended inside a construct (an open `scenario {`, a trailing comma).
    public var incomplete: IncompleteInput?

    public init(status: Status) {
        self.status = status
    }

    /// Counts a statement that ran.
    mutating func count(_ outcome: Outcome) {
        statementsRun += 1
        if case .held = outcome.result { expectationsHeld += 1 }
        if let warning = outcome.warning { warnings.append(warning) }
    }
}

/// How one scenario went.
public struct ScenarioResult: Sendable {
    public var scenario: Scenario
    public var source: SourceFile
    /// Why it failed, or `nil` when it passed.
    public var failure: Diagnostic?
    public var statementsRun: Int
    /// The warnings of its steps performed `anyway`, the background's first.
    public var warnings: [Diagnostic] = []
    public var passed: Bool { failure == nil }
}

/// A runbook session: an instance and the runbooks run against it, in order. It is the one
/// runner: `run`, `test`, the REPL, the language server, the report's timeline, coverage
/// and the self-check all run programs through it.
///
/// This is the embedding API. A host opens a session, empty or from a state, evaluates
/// source text, and reads structured outcomes; nothing is printed and nothing exits.
///
/// ```swift
/// var session = Session()
/// let result = session.evaluate("admin anna; as anna connect")
/// print(result.status, session.instance.owner ?? "none")   // completed anna
/// ```
///
/// A run that stops leaves the instance as it was after the last statement that
/// succeeded; `runStep` runs a program whole or not at all, and `checkpoint()` and
/// `undo(to:)` take back what ran.
///
/// An observer (`RunObserver`) sees where the background and each scenario begin and the
/// instance after each statement, and can interrupt the run between statements.
public struct Session: Sendable {
    /// The instance runbooks act on.
    public var instance: Instance
    /// Whether actions report their events; turn off for the fastest quiet runs.
    public var describesEvents = true

    /// Opens a session on `instance` (by default an empty one).
    public init(instance: Instance = Instance()) {
        self.instance = instance
    }

    // MARK: Evaluating text

    /// Evaluates source text, collecting every outcome.
    public mutating func evaluate(_ text: String, name: String = "<input>") -> Evaluation {
        evaluate(SourceFile(name: name, text: text))
    }

    /// Evaluates a source, collecting every outcome.
    public mutating func evaluate(_ source: SourceFile) -> Evaluation {
        var outcomes: [Outcome] = []
        var evaluation = evaluate(source) { outcomes.append($0) }
        evaluation.outcomes = outcomes
        return evaluation
    }

    /// Evaluates a source, handing each statement's outcome to `observe` as it happens.
    ///
    /// The whole source is parsed first: with any error, nothing runs. Then the
    /// statements run in order and stop at the first violation or failed expectation.
    /// Scenarios each run on a copy of the instance as the background left it, and stop
    /// the evaluation at the first that fails; they do not change the session's instance.
    public mutating func evaluate(_ source: SourceFile, observe: (Outcome) -> Void) -> Evaluation {
        let parsed = Parser.parse(source)
        guard let program = parsed.program else {
            var evaluation = Evaluation(status: .didNotParse)
            evaluation.diagnostics = parsed.errors
            evaluation.incomplete = parsed.incomplete
            return evaluation
        }
        return run(program, observe: observe)
    }

    // MARK: Running a program

    /// Runs a program: its background, then its scenarios. A host that checks several
    /// sources before running any parses them all first.
    public mutating func run(_ program: Program, observe: (Outcome) -> Void = { _ in }) -> Evaluation {
        var unobserved = Unobserved()
        return run(program, watching: &unobserved, observe: observe)
    }

    /// `run(_:observe:)`, showing `observer` where the background and each scenario begin,
    /// and each outcome with the instance it left. When the observer asks to stop, the run
    /// ends `interrupted` before the next statement.
    public mutating func run(
        _ program: Program, watching observer: inout some RunObserver, observe: (Outcome) -> Void = { _ in }
    ) -> Evaluation {
        var evaluation = Evaluation(status: .completed)
        var interpreter = Interpreter(instance: instance, describesEvents: describesEvents)
        observer.begin(program, scenario: nil, from: instance)
        let stop = interpreter.run(program, program.chunk.background, watching: &observer) { outcome in
            evaluation.count(outcome)
            observe(outcome)
        }
        instance = interpreter.instance
        if let stop = stop?.stop {
            evaluation.status = .stopped
            evaluation.diagnostics = [stop]
            return evaluation
        }
        for scenario in program.chunk.scenarios {
            if observer.shouldStop { break }
            let result = scenarioRun(scenario, of: program, after: interpreter, watching: &observer) { outcome in
                evaluation.count(outcome)
                observe(outcome)
            }
            if observer.shouldStop { break }
            evaluation.scenarios.append(result)
            if let failure = result.failure {
                evaluation.status = .stopped
                evaluation.diagnostics = [failure]
                break
            }
        }
        if observer.shouldStop { evaluation.status = .interrupted }
        return evaluation
    }

    /// Runs a program as one step: whole, or, when it stops or is interrupted, not at all
    /// (the instance is as it was before). What the REPL's lines and `:run` are.
    public mutating func runStep(
        _ program: Program, watching observer: inout some RunObserver, observe: (Outcome) -> Void = { _ in }
    ) -> Evaluation {
        let start = checkpoint()
        let evaluation = run(program, watching: &observer, observe: observe)
        if evaluation.status != .completed { undo(to: start) }
        return evaluation
    }

    /// `runStep(_:watching:observe:)` with nobody watching.
    public mutating func runStep(_ program: Program, observe: (Outcome) -> Void = { _ in }) -> Evaluation {
        var unobserved = Unobserved()
        return runStep(program, watching: &unobserved, observe: observe)
    }

    /// Runs the statements of `program` at `indices` from the instance, in order, until one
    /// stops: part of a background or of a scenario, as an editor rehearses up to a line.
    /// - Returns: the outcome of the statement that stopped, or `nil`.
    @discardableResult
    public mutating func run(
        _ program: Program, statements indices: Range<Int>, watching observer: inout some RunObserver,
        observe: (Outcome) -> Void = { _ in }
    ) -> Outcome? {
        var interpreter = Interpreter(instance: instance, describesEvents: describesEvents)
        defer { instance = interpreter.instance }
        return interpreter.run(program, indices, watching: &observer, observe: observe)
    }

    /// `run(_:statements:watching:observe:)` with nobody watching.
    @discardableResult
    public mutating func run(
        _ program: Program, statements indices: Range<Int>, observe: (Outcome) -> Void = { _ in }
    ) -> Outcome? {
        var unobserved = Unobserved()
        return run(program, statements: indices, watching: &unobserved, observe: observe)
    }

    // MARK: Checkpoints

    /// A point the session can return to: the instance as it was (a value, so keeping one
    /// costs a copy on write at most).
    public struct Checkpoint: Sendable {
        fileprivate let instance: Instance
    }

    /// The session as it is now, to return to with `undo(to:)`.
    public func checkpoint() -> Checkpoint { Checkpoint(instance: instance) }

    /// Takes back everything that ran since `checkpoint` was taken.
    public mutating func undo(to checkpoint: Checkpoint) { instance = checkpoint.instance }

    // MARK: Tests

    /// The tests of a program: its scenarios whose title contains `filter` (all when it is
    /// `nil`), or, when it has none, the whole file as one test named after it.
    public static func tests(of chunk: Chunk, filter: String?) -> [Scenario] {
        let all = chunk.scenarios.isEmpty ? [Scenario.wholeFile(of: chunk)] : chunk.scenarios
        guard let filter else { return all }
        return all.filter { $0.title.contains(filter) }
    }

    /// Runs the background from the instance, then each of the program's tests from what
    /// the background left, handing each result to `report` (every scenario fails with the
    /// background's failure when it stops); stops after the first failure when `failFast`
    /// is set. A file without scenarios is one test: its background. The session's
    /// instance does not change.
    /// - Returns: whether it was stopped early by `failFast`.
    @discardableResult
    public func test(
        _ program: Program, filter: String?, failFast: Bool, watching observer: inout some RunObserver,
        report: (ScenarioResult) -> Void
    ) -> Bool {
        let tests = Self.tests(of: program.chunk, filter: filter)
        guard !tests.isEmpty else { return false }
        var background = Interpreter(instance: instance, describesEvents: describesEvents)
        observer.begin(program, scenario: nil, from: background.instance)
        var count = 0
        var warnings: [Diagnostic] = []
        let backgroundFailure = background.run(program, program.chunk.background, watching: &observer) { outcome in
            count += 1
            if let warning = outcome.warning { warnings.append(warning) }
        }?.stop
        for scenario in tests {
            var result: ScenarioResult
            if scenario.isWholeFile {
                result = ScenarioResult(scenario: scenario, source: program.source, failure: backgroundFailure, statementsRun: count)
            } else if let backgroundFailure {
                result = ScenarioResult(scenario: scenario, source: program.source, failure: backgroundFailure, statementsRun: 0)
            } else {
                result = scenarioRun(scenario, of: program, after: background, watching: &observer)
            }
            result.warnings.insert(contentsOf: warnings, at: 0)
            report(result)
            if failFast && !result.passed { return true }
        }
        return false
    }

    /// `test(_:filter:failFast:watching:report:)` with nobody watching.
    @discardableResult
    public func test(_ program: Program, filter: String?, failFast: Bool, report: (ScenarioResult) -> Void) -> Bool {
        var unobserved = Unobserved()
        return test(program, filter: filter, failFast: failFast, watching: &unobserved, report: report)
    }

    /// Runs one scenario in a copy of `background`, the interpreter after its background.
    private func scenarioRun(
        _ scenario: Scenario, of program: Program, after background: Interpreter, watching observer: inout some RunObserver,
        observe: (Outcome) -> Void = { _ in }
    ) -> ScenarioResult {
        var interpreter = background
        var count = 0
        var warnings: [Diagnostic] = []
        observer.begin(program, scenario: scenario, from: background.instance)
        let stop = interpreter.run(program, scenario.statements, watching: &observer) { outcome in
            count += 1
            if let warning = outcome.warning { warnings.append(warning) }
            observe(outcome)
        }
        return ScenarioResult(
            scenario: scenario, source: program.source, failure: stop?.stop, statementsRun: count, warnings: warnings)
    }
}
