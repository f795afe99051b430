import ConnectionCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The result of evaluating one source.
public struct Evaluation: Sendable {
    public enum Status: Sendable, Hashable {
        /// Every statement ran, every expectation and scenario held.
        case completed
        /// A violation, a failed expectation or a failed scenario stopped it.
        case stopped
        /// The source has syntax errors; nothing ran.
        case didNotParse
    }

    public var status: Status
    /// Each statement's outcome, in order (collected only when no observer was given).
    public var outcomes: [Outcome] = []
    /// Syntax errors, or the one violation or failed expectation that stopped the run.
    public var diagnostics: [Diagnostic] = []
    /// The scenarios that ran, when the source has any.
    public var scenarios: [ScenarioResult] = []
    /// Statements executed, scenarios' included.
    public var statementsRun = 0
    /// Expectations that held.
    public var expectationsHeld = 0
    /// Set when the source ended inside a construct (an open `scenario {`, a trailing comma).
    public var incomplete: IncompleteInput?

    public init(status: Status) {
        self.status = status
    }

    /// Counts a statement that ran.
    mutating func count(_ outcome: Outcome) {
        statementsRun += 1
        if case .held = outcome { expectationsHeld += 1 }
    }

    init(status: Status, diagnostics: [Diagnostic], incomplete: IncompleteInput?) {
        self.status = status
        self.diagnostics = diagnostics
        self.incomplete = incomplete
    }
}

/// How one scenario went.
public struct ScenarioResult: Sendable {
    public var scenario: Scenario
    public var source: SourceFile
    /// Why it failed, or `nil` when it passed.
    public var failure: Diagnostic?
    public var statementsRun: Int
    public var passed: Bool { failure == nil }
}

/// An input that could not be read.
public struct InputError: Error, Sendable, Hashable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// A runbook session: an instance and the runbooks evaluated against it, in order.
///
/// This is the embedding API. A host opens a session, empty or from a state, evaluates
/// source text or files, and reads structured outcomes; nothing is printed and nothing
/// exits.
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

    /// Reads and evaluates a file, collecting every outcome.
    public mutating func evaluate(contentsOf path: String) throws(InputError) -> Evaluation {
        evaluate(try SourceFile(contentsOf: path))
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
    /// The whole source is parsed first: with any syntax error nothing runs. Then the
    /// statements run in order and stop at the first violation or failed expectation.
    /// Scenarios each run on a copy of the instance as the background left it, and stop
    /// the evaluation at the first that fails; they do not change the session's instance.
    public mutating func evaluate(_ source: SourceFile, observe: (Outcome) -> Void) -> Evaluation {
        let compiled = Parser.compile(source)
        guard compiled.result.succeeded else {
            return Evaluation(
                status: .didNotParse, diagnostics: compiled.result.diagnostics, incomplete: compiled.result.incomplete)
        }
        return run(compiled, observe: observe)
    }

    /// Evaluates a source without describing what changed: the fastest way to check a
    /// runbook.
    public mutating func evaluateQuietly(_ source: SourceFile) -> Evaluation {
        let describing = describesEvents
        describesEvents = false
        defer { describesEvents = describing }
        return evaluate(source) { _ in }
    }

    /// Runs a compiled source that parsed (`Parser.compile`): its background, then its
    /// scenarios. A host that checks several sources before running any compiles them
    /// all first.
    public mutating func run(_ compiled: CompiledSource, observe: (Outcome) -> Void) -> Evaluation {
        var evaluation = Evaluation(status: .completed)
        var interpreter = Interpreter(instance: instance, describesEvents: describesEvents)
        let stop = interpreter.run(compiled) { outcome in
            evaluation.count(outcome)
            observe(outcome)
        }
        return finish(evaluation, interpreter, stop, compiled.result.program, observe: observe)
    }

    /// Runs a parsed program: its background, then its scenarios.
    public mutating func run(_ program: Program, observe: (Outcome) -> Void) -> Evaluation {
        var evaluation = Evaluation(status: .completed)
        var interpreter = Interpreter(instance: instance, describesEvents: describesEvents)
        let stop = interpreter.run(program.background, in: program.source) { outcome in
            evaluation.count(outcome)
            observe(outcome)
        }
        return finish(evaluation, interpreter, stop, program, observe: observe)
    }

    /// After a background: keeps the instance it left, and runs the scenarios unless it stopped.
    private mutating func finish(
        _ evaluation: Evaluation, _ interpreter: Interpreter, _ stop: Diagnostic?, _ program: Program,
        observe: (Outcome) -> Void
    ) -> Evaluation {
        var evaluation = evaluation
        instance = interpreter.instance
        if let stop {
            evaluation.status = .stopped
            evaluation.diagnostics = [stop]
            return evaluation
        }
        runScenarios(program, into: &evaluation, observe: observe)
        return evaluation
    }

    /// Runs a program's scenarios on copies of the instance, stopping at the first that fails.
    private func runScenarios(_ program: Program, into evaluation: inout Evaluation, observe: (Outcome) -> Void) {
        for scenario in program.scenarios {
            let result = ScenarioRunner.run(scenario, of: program, from: instance, describesEvents: describesEvents) { outcome in
                evaluation.count(outcome)
                observe(outcome)
            }
            evaluation.scenarios.append(result)
            if let failure = result.failure {
                evaluation.status = .stopped
                evaluation.diagnostics = [failure]
                return
            }
        }
    }
}

/// Runs scenarios: each in a fresh copy of the instance the background produced.
public enum ScenarioRunner {
    /// Runs one scenario from `start`, the instance after the background.
    public static func run(
        _ scenario: Scenario, of program: Program, from start: Instance, describesEvents: Bool = false,
        observe: (Outcome) -> Void = { _ in }
    ) -> ScenarioResult {
        var interpreter = Interpreter(instance: start, describesEvents: describesEvents)
        var count = 0
        let failure = interpreter.run(scenario.body, in: program.source) { outcome in
            count += 1
            observe(outcome)
        }
        return ScenarioResult(scenario: scenario, source: program.source, failure: failure, statementsRun: count)
    }

    /// Runs the background on an empty instance, then every scenario whose title
    /// contains `filter` (all when it is `nil`), handing each result to `report`;
    /// stops after the first failure when `failFast` is set.
    /// - Returns: whether it was stopped early by `failFast`.
    @discardableResult
    public static func runAll(
        _ program: Program, filter: String?, failFast: Bool, report: (ScenarioResult) -> Void
    ) -> Bool {
        var background = Interpreter(describesEvents: false)
        let backgroundFailure = background.run(program.background, in: program.source)
        for scenario in program.scenarios where filter.map({ scenario.title.contains($0) }) ?? true {
            let result: ScenarioResult
            if let backgroundFailure {
                result = ScenarioResult(scenario: scenario, source: program.source, failure: backgroundFailure, statementsRun: 0)
            } else {
                result = run(scenario, of: program, from: background.instance)
            }
            report(result)
            if failFast && !result.passed { return true }
        }
        return false
    }
}

extension SourceFile {
    /// Reads a file, or standard input for `-`.
    public init(contentsOf path: String) throws(InputError) {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(path: path, reason: String(cString: strerror(errno))) }
        defer { if path != "-" { close(fd) } }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw InputError(path: path, reason: "is a directory")
        }
        // Read straight into the array: a regular file in one buffer of its size (and a byte
        // more, to see the end), anything else in a buffer that doubles as it fills.
        var capacity = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) + 1 : 1 << 16
        var bytes: [UInt8] = []
        while true {
            var failure: Int32 = 0
            var atEnd = false
            let before = bytes
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = buffer.initialize(fromContentsOf: before)
                while count < capacity {
                    let n = read(fd, buffer.baseAddress! + count, capacity - count)
                    if n < 0 && errno == EINTR { continue }
                    if n < 0 { failure = errno }
                    if n <= 0 { atEnd = true; return }
                    count += n
                }
            }
            if failure != 0 { throw InputError(path: path, reason: String(cString: strerror(failure))) }
            if atEnd { break }
            capacity *= 2
        }
        self.init(name: path == "-" ? "<stdin>" : path, bytes: bytes)
    }
}
