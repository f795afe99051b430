/// What an editor can rehearse of a source while it has errors. Batch mode runs nothing of
/// a source with an error; an editor, while someone types, runs what the errors leave
/// whole: the background up to its first statement with an error, and, after a background
/// without one, every scenario without one. A statement with an error never runs.
public struct Rehearsal: Sendable {
    /// Where the error is that keeps a part of the source from running: an offset in the
    /// source, or `nil` when it lies past the errors held (`Diagnostic.reportedPerSource`).
    public enum Blocker: Sendable, Hashable {
        /// An error in the background: no scenario runs.
        case background(at: Int?)
        /// An error in the scenario itself.
        case own(at: Int?)
    }

    let program: Program
    public var chunk: Chunk { program.chunk }
    /// The background's statements that run: those before its first with an error.
    public let background: Range<Int>
    /// What keeps the rest of the background from running; `nil` when it all runs.
    public let backgroundBlocker: Blocker?
    /// What keeps each of the chunk's scenarios from running, by index; `nil` for those
    /// that run after the background.
    public let scenarioBlockers: [Blocker?]

    /// What of `parsed` can run.
    public init(_ parsed: ParseResult) {
        let chunk = parsed.chunk
        program = Program(chunk)
        // The errors held, in source order; past the last of them, when some were only
        // counted, any place may hold one.
        let errors = parsed.errors.map(\.range.lowerBound)
        let known = parsed.unreported.errors == 0 ? Int.max : (errors.last ?? 0)
        func error(in region: ClosedRange<Int>, _ blocker: (Int?) -> Blocker) -> Blocker? {
            if let offset = errors.first(where: region.contains) { return blocker(offset) }
            return region.upperBound > known ? blocker(nil) : nil
        }

        backgroundBlocker = error(in: 0...(chunk.scenarios.first?.headerRange.lowerBound ?? chunk.source.bytes.count)) {
            .background(at: $0)
        }
        let stop: Int? =
            switch backgroundBlocker {
            case .background(at: let offset): offset ?? known
            default: nil
            }
        background = chunk.background.prefix { i in
            !chunk.statements[i].isBroken && stop.map { chunk.statements[i].range.upperBound <= $0 } ?? true
        }
        scenarioBlockers = chunk.scenarios.map { [backgroundBlocker] scenario in
            if let backgroundBlocker { return backgroundBlocker }
            let close = scenario.closeRange?.upperBound ?? chunk.source.bytes.count
            if let own = error(in: scenario.headerRange.lowerBound...close, Blocker.own) { return own }
            if scenario.headerIsBroken { return .own(at: scenario.headerRange.lowerBound) }
            if let broken = scenario.statements.first(where: { chunk.statements[$0].isBroken }) {
                return .own(at: chunk.statements[broken].range.lowerBound)
            }
            return nil
        }
    }

    /// Whether every statement at `indices` can run: in the background's part that runs,
    /// or in a scenario that runs.
    public func canRun(_ indices: Range<Int>) -> Bool {
        if indices.isEmpty { return true }
        if indices.upperBound <= background.upperBound { return true }
        guard let scenario = chunk.scenarios.firstIndex(where: { $0.statements.contains(indices.lowerBound) }) else {
            return false
        }
        return scenarioBlockers[scenario] == nil && indices.upperBound <= chunk.scenarios[scenario].statements.upperBound
    }
}

extension Session {
    /// Runs the statements of a rehearsal at `indices`, which must all run
    /// (`Rehearsal.canRun`), as `run(_:statements:watching:observe:)` does.
    /// - Returns: the outcome of the statement that stopped, or `nil`.
    @discardableResult
    public mutating func rehearse(
        _ rehearsal: Rehearsal, statements indices: Range<Int>, watching observer: inout some RunObserver,
        observe: (Outcome) -> Void = { _ in }
    ) -> Outcome? {
        precondition(rehearsal.canRun(indices), "a rehearsal runs no statement with an error")
        return run(rehearsal.program, statements: indices, watching: &observer, observe: observe)
    }

    /// `rehearse(_:statements:watching:observe:)` with nobody watching.
    @discardableResult
    public mutating func rehearse(
        _ rehearsal: Rehearsal, statements indices: Range<Int>, observe: (Outcome) -> Void = { _ in }
    ) -> Outcome? {
        var unobserved = Unobserved()
        return rehearse(rehearsal, statements: indices, watching: &unobserved, observe: observe)
    }
}
