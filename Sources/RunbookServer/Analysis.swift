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

/// One version of a document, read: its text parsed into the one form, and what of it can
/// run rehearsed: the background up to its first error, then each scenario without an
/// error from a copy of the session after a background without one. Every request about
/// that version reads it; a change makes a new one.
final class Analysis {
    let uri: String
    let version: Int
    let source: SourceFile
    let parsed: ParseResult
    let lines: LineIndex
    let base: BaseState
    /// What of the source can run, whatever its errors.
    let rehearsal: Rehearsal
    /// The session after the background; `nil` when the background did not all run.
    private(set) var afterBackground: Session?
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
        self.rehearsal = Rehearsal(parsed)
        guard case .instance(let instance) = base else { return }
        var session = Session(instance: instance)
        session.describesEvents = false
        var warnings: [Diagnostic] = []
        let warn = { (outcome: Outcome) in if let warning = outcome.warning { warnings.append(warning) } }
        backgroundStop = session.rehearse(rehearsal, statements: rehearsal.background, observe: warn)
        if backgroundStop == nil && rehearsal.backgroundBlocker == nil {
            afterBackground = session
            scenarioStops = zip(chunk.scenarios, rehearsal.scenarioBlockers).map { scenario, blocker in
                guard blocker == nil else { return nil }
                var copy = session
                return copy.rehearse(rehearsal, statements: scenario.statements, observe: warn)
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
    /// scenario, and on the title of each scenario that did not run, why; or why nothing
    /// runs against an unusable state.
    var diagnostics: [Diagnostic] {
        var all = parsed.diagnostics
        if case .unusable(let problem) = base {
            all.append(Diagnostic(.error, Words.notRun(state: problem), in: source, at: 0..<0))
        }
        all += warnings
        if let stop = backgroundStop?.stop { all.append(stop) }
        for stop in scenarioStops { if let d = stop?.stop { all.append(d) } }
        for (i, scenario) in chunk.scenarios.enumerated() {
            if let why = whyNot(scenario: i) {
                all.append(Diagnostic(.note, why, in: source, at: scenario.headerRange, id: .notRun))
            }
        }
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
            var session = start.session
            session.describesEvents = true
            if let stop = session.rehearse(rehearsal, statements: start.first..<index) {
                return .notRun(Words.notRun(stoppedAt: lineNumber(of: stop.range.lowerBound)))
            }
            let before = session.instance
            var ran: Outcome?
            session.rehearse(rehearsal, statements: index..<index + 1) { ran = $0 }
            return .ran(before: before, outcome: ran!, after: session.instance)
        }
    }

    /// Runs the part of the program that holds the statement at `last` (the background, or
    /// the background's end state and a scenario) up to it, handing each statement's
    /// outcome and the state after it to `observe`, until one stops.
    func walk(through last: Int, observe: (Int, Outcome, Instance) -> Void) {
        // In the background, up to its first error at most.
        let last = chunk.scenario(containing: last) == nil ? min(last, rehearsal.background.upperBound - 1) : last
        guard last >= 0, case .success(let start) = start(of: last) else { return }
        var session = start.session
        var steps = Steps()
        session.rehearse(rehearsal, statements: start.first..<last + 1, watching: &steps)
        for (outcome, after) in steps.taken { observe(outcome.index, outcome, after) }
    }

    /// Why a statement does not run, in words.
    struct NotRun: Error {
        var text: String
    }

    /// The session at the start of the part of the program that holds the statement at
    /// `index`, and the index that part starts at; or why that statement does not run.
    private func start(of index: Int) -> Result<(session: Session, first: Int), NotRun> {
        if case .unusable(let problem) = base { return .failure(NotRun(text: Words.notRun(state: problem))) }
        guard let scenario = chunk.scenario(containing: index) else {
            // After the background, in no scenario: a statement an error left outside.
            guard index < chunk.backgroundCount else {
                return .failure(NotRun(text: Words.notRun(errorOnLine: lineNumber(of: chunk.statements[index].range.lowerBound))))
            }
            guard index < rehearsal.background.upperBound else {
                return .failure(NotRun(text: words(rehearsal.backgroundBlocker ?? .background(at: nil))))
            }
            var session = Session(instance: baseInstance)
            session.describesEvents = false
            return .success((session, 0))
        }
        if let why = chunk.scenarios.firstIndex(of: scenario).flatMap(whyNot(scenario:)) {
            return .failure(NotRun(text: why))
        }
        guard let afterBackground else { return .failure(NotRun(text: Words.notRunForErrors)) }
        return .success((afterBackground, scenario.statements.lowerBound))
    }

    /// Why the scenario at `index` did not run, in words; `nil` when it ran.
    private func whyNot(scenario index: Int) -> String? {
        if case .unusable(let problem) = base { return Words.notRun(state: problem) }
        if let blocker = rehearsal.scenarioBlockers[index] { return words(blocker) }
        if let stop = backgroundStop { return Words.notRun(backgroundStopsAt: lineNumber(of: stop.range.lowerBound)) }
        return nil
    }

    /// What keeps a part of the source from running, in words.
    private func words(_ blocker: Rehearsal.Blocker) -> String {
        switch blocker {
        case .background(let offset): Words.notRun(backgroundErrorAt: offset.map(lineNumber(of:)))
        case .own(let offset): Words.notRun(errorAt: offset.map(lineNumber(of:)))
        }
    }
}

/// Each statement a walk ran, with the instance it left.
private struct Steps: RunObserver {
    var taken: [(Outcome, Instance)] = []
    mutating func begin(_ program: Program, scenario: Scenario?, from instance: Instance) {}
    mutating func observe(_ outcome: Outcome, leaving instance: Instance) { taken.append((outcome, instance)) }
}
