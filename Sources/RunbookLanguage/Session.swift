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

/// A runbook session: an instance and the runbooks evaluated against it, in order.
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
/// succeeded; copy `instance` first to roll back (it is a value).
public struct Session: Sendable {
    /// The instance runbooks act on.
    public var instance: Instance
    /// Whether actions report their events; turn off for the fastest quiet runs.
    public var describesEvents = true

    /// Opens a session on `instance` (by default an empty one).
    public init(instance: Instance = Instance()) {
        self.instance = instance
    }

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

    /// Runs a program: its background, then its scenarios. A host that checks several
    /// sources before running any parses them all first.
    public mutating func run(_ program: Program, observe: (Outcome) -> Void = { _ in }) -> Evaluation {
        var unobserved = Unobserved()
        return run(program, watching: &unobserved, observe: observe)
    }

    /// `run(_:observe:)`, showing `observer` where the background and each scenario begin,
    /// and each outcome with the instance it left.
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
            let result = ScenarioRunner.run(scenario, of: program, after: interpreter, watching: &observer) { outcome in
                evaluation.count(outcome)
                observe(outcome)
            }
            evaluation.scenarios.append(result)
            if let failure = result.failure {
                evaluation.status = .stopped
                evaluation.diagnostics = [failure]
                break
            }
        }
        return evaluation
    }
}

/// Runs scenarios: each in a fresh copy of the instance the background produced.
public enum ScenarioRunner {
    /// Runs one scenario after its background, whose interpreter `background` is.
    public static func run(
        _ scenario: Scenario, of program: Program, after background: Interpreter, observe: (Outcome) -> Void = { _ in }
    ) -> ScenarioResult {
        var unobserved = Unobserved()
        return run(scenario, of: program, after: background, watching: &unobserved, observe: observe)
    }

    /// `run(_:of:after:observe:)`, showing `observer` where the scenario begins and each
    /// outcome with the instance it left.
    public static func run(
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

    /// The tests of a program: its scenarios whose title contains `filter` (all when it is
    /// `nil`), or, when it has none, the whole file as one test named after it.
    public static func tests(of chunk: Chunk, filter: String?) -> [Scenario] {
        let all = chunk.scenarios.isEmpty ? [Scenario.wholeFile(of: chunk)] : chunk.scenarios
        guard let filter else { return all }
        return all.filter { $0.title.contains(filter) }
    }

    /// Runs the background on an empty instance, then each of the program's tests,
    /// handing each result to `report`; stops after the first failure when `failFast` is
    /// set. A file without scenarios is one test: its background.
    /// - Returns: whether it was stopped early by `failFast`.
    @discardableResult
    public static func runAll(
        _ program: Program, filter: String?, failFast: Bool, report: (ScenarioResult) -> Void
    ) -> Bool {
        var unobserved = Unobserved()
        return runAll(program, filter: filter, failFast: failFast, watching: &unobserved, report: report)
    }

    /// `runAll(_:filter:failFast:report:)`, showing `observer` the background and each
    /// scenario as they begin, and each outcome with the instance it left.
    @discardableResult
    public static func runAll(
        _ program: Program, filter: String?, failFast: Bool, watching observer: inout some RunObserver,
        report: (ScenarioResult) -> Void
    ) -> Bool {
        let tests = tests(of: program.chunk, filter: filter)
        guard !tests.isEmpty else { return false }
        var background = Interpreter(describesEvents: false)
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
                result = run(scenario, of: program, after: background, watching: &observer)
            }
            result.warnings.insert(contentsOf: warnings, at: 0)
            report(result)
            if failFast && !result.passed { return true }
        }
        return false
    }
}
