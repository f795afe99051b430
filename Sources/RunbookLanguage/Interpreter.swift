import ConnectionCore

/// What came of one statement.
public struct Outcome: Sendable {
    public enum Result: Sendable {
        /// A declaration or action succeeded; the events say what changed (empty when the
        /// interpreter was asked not to describe).
        case performed([Event])
        /// An expectation held.
        case held
        /// `show`: the state at that point. (Boxed, as `stopped` is: an outcome stays one
        /// word, cheap to hand over a million times.)
        indirect case shown(Instance)
        /// A refused action or a failed expectation; nothing after it runs.
        indirect case stopped(Diagnostic)
    }

    /// The statement's index in its chunk.
    public let index: Int
    public let statement: Statement
    public let result: Result
    /// The rule that refused the action: of a refused action that stopped the run, or of
    /// the action an `expect violation` that held expected to be refused; or the hazard an
    /// action performed `anyway` accepted.
    public let rule: RuleID?
    /// What an action performed `anyway` earned without stopping: the hazard it accepted and
    /// who was stranded, or that it accepted nothing. (Boxed: an outcome stays small.)
    private let warningBox: Box?

    /// The warning of an action performed `anyway`.
    public var warning: Diagnostic? { warningBox?.diagnostic }

    private final class Box: Sendable {
        let diagnostic: Diagnostic
        init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }
    }

    init(index: Int, statement: Statement, result: Result, rule: RuleID?, warning: Diagnostic? = nil) {
        self.index = index
        self.statement = statement
        self.result = result
        self.rule = rule
        self.warningBox = warning.map(Box.init)
    }

    /// Where the statement is in its source, from its first token to the end of its last.
    public var range: Range<Int> { statement.range }

    /// The diagnostic of a statement that stopped the run.
    public var stop: Diagnostic? {
        if case .stopped(let d) = result { return d }
        return nil
    }
}

/// Executes a program's statements against an instance, one at a time, stopping at the
/// first violation or failed expectation. Every statement form has one meaning, written
/// here once, on the core's member ids; every failure is worded from the records it ran.
/// Only `Session`, the one runner, drives it.
struct Interpreter: Sendable {
    /// The instance the statements act on.
    public private(set) var instance: Instance
    /// Whether successful actions report their events (off for quiet runs).
    public var describesEvents: Bool

    /// The member id each name of the current chunk resolved to (-1: not yet), so that a
    /// name is hashed once per run, not once per statement. Ids stay valid for this
    /// instance and its copies: resolving interns the name.
    private var resolved: [Int32] = []
    /// The chunk `resolved` belongs to (its source's identity).
    private var chunkIdentity = -1
    /// The events of the last action, in one array reused by every action.
    private var events: [Event] = []
    /// The targets of the statement being run, in one array reused by every statement.
    private var targets: [MemberID] = []

    public init(instance: Instance = Instance(), describesEvents: Bool = true) {
        self.instance = instance
        self.describesEvents = describesEvents
    }

    /// Runs the statements of `program` at `indices` in order, handing each outcome to
    /// `observe`, until one stops.
    /// - Returns: the outcome of the statement that stopped the run, or `nil`.
    @discardableResult
    public mutating func run(_ program: Program, _ indices: Range<Int>, observe: (Outcome) -> Void = { _ in }) -> Outcome? {
        var unobserved = Unobserved()
        return run(program, indices, watching: &unobserved, observe: observe)
    }

    /// `run(_:_:observe:)`, showing `observer` each outcome with the instance the
    /// statement left.
    @discardableResult
    public mutating func run(
        _ program: Program, _ indices: Range<Int>, watching observer: inout some RunObserver,
        observe: (Outcome) -> Void = { _ in }
    ) -> Outcome? {
        let chunk = program.chunk
        begin(chunk)
        // The records are read in place: no copy, no reference counting per statement.
        return chunk.statements.withUnsafeBufferPointer { statements in
            chunk.ids.withUnsafeBufferPointer { ids in
                for index in indices {
                    if observer.shouldStop { return nil }
                    let statement = statements[index]
                    let end = index &+ 1 < statements.count ? Int(statements[index &+ 1].firstName) : ids.count
                    let names = UnsafeBufferPointer(rebasing: ids[Int(statement.firstName)..<end])
                    let outcome = execute(index, statement, names, chunk)
                    observer.observe(outcome, leaving: instance)
                    observe(outcome)
                    if case .stopped = outcome.result { return outcome }
                }
                return nil
            }
        }
    }

    /// Executes the statement at `index` of `program`. A refused action or a failed
    /// expectation changes nothing.
    public mutating func execute(_ index: Int, of program: Program) -> Outcome {
        let chunk = program.chunk
        begin(chunk)
        let range = chunk.idRange(of: index)
        return chunk.ids.withUnsafeBufferPointer {
            execute(index, chunk.statements[index], UnsafeBufferPointer(rebasing: $0[range]), chunk)
        }
    }

    /// Name ids belong to one chunk: what they resolved to starts over with another.
    private mutating func begin(_ chunk: Chunk) {
        guard chunk.source.identity != chunkIdentity else { return }
        chunkIdentity = chunk.source.identity
        resolved = [Int32](repeating: -1, count: chunk.names.count)
    }

    /// Executes one statement; `uses` are its name ids, in place.
    private mutating func execute(
        _ index: Int, _ statement: Statement, _ uses: UnsafeBufferPointer<Int32>, _ chunk: Chunk
    ) -> Outcome {
        func outcome(_ result: Outcome.Result, rule: RuleID? = nil) -> Outcome {
            Outcome(index: index, statement: statement, result: result, rule: rule)
        }
        switch statement.tag {
        case .declare:
            resolveTargets(uses[...], in: chunk)
            if let refusal = targets.withUnsafeBufferPointer({ instance.declarationRefusal($0) }) {
                return outcome(.stopped(violation(refusal, index, chunk)), rule: refusal.rule)
            }
            events.removeAll(keepingCapacity: true)
            instance.declare(statement.role, targets, events: &events, recording: describesEvents)
            return outcome(.performed(events))
        case .action:
            let actor = resolve(uses.first!, in: chunk)
            if describesEvents { events.removeAll(keepingCapacity: true) }
            if statement.isAnyway { return performAnyway(index, statement, uses, chunk, actor: actor) }
            let verb = statement.verb
            let recording = describesEvents
            let refusal = withMembers(uses.dropFirst(), in: chunk) { instance, events, targets in
                instance.perform(verb, actor: actor, targets: targets, events: &events, recording: recording)
            }
            if let refusal { return outcome(.stopped(violation(refusal, index, chunk)), rule: refusal.rule) }
            return outcome(.performed(recording ? events : []))
        case .expectOwner:
            let named = uses.first.map { resolve($0, in: chunk) }
            // The owner is always a member, so `owner NAME` holds only of a member.
            if instance.ownerID == named { return outcome(.held) }
            let text = Message.ownerFailed(named.map(instance.name(of:)), in: instance)
            return outcome(.stopped(Message.failed(text, in: chunk.source, at: statement.range)))
        case .expectMembers:
            let check = statement.check
            for (i, use) in uses.enumerated() {
                let member = resolve(use, in: chunk)
                guard !holds(check, of: member) else { continue }
                let text = Message.memberCheckFailed(check, instance.name(of: member), in: instance)
                return outcome(.stopped(Message.failed(text, in: chunk.source, at: chunk.names(of: index)[i].range)))
            }
            return outcome(.held)
        case .expectViolation:
            let actor = resolve(uses.first!, in: chunk)
            let verb = statement.verb
            let refusal = withMembers(uses.dropFirst(), in: chunk) { instance, _, targets in
                instance.refusal(verb, actor: actor, targets: targets)
            }
            let expected: RuleID? =
                switch statement.ruleReference {
                case .rule(let id): id
                default: nil
                }
            if let refusal, expected == nil || expected == refusal.rule { return outcome(.held, rule: refusal.rule) }
            let action = self.action(index, chunk)
            let text = Message.violationFailed(
                action, expected: expected, refusal: refusal.map { violation($0, of: action) }, in: instance)
            return outcome(.stopped(Message.failed(text, in: chunk.source, at: statement.range)))
        case .show:
            return outcome(.shown(instance))
        case .broken:
            preconditionFailure("a program has no broken statement")
        }
    }

    /// What `expect NAMES CHECK` claims of one member, or of a name that is not one: every
    /// check but `absent` fails for a name that is not a member.
    private func holds(_ check: MemberCheck, of member: MemberID) -> Bool {
        guard instance.isMember(member) else { return check == .absent }
        switch check {
        case .connected: return instance.isConnected(member)
        case .notConnected: return !instance.isConnected(member)
        case .hasAccess: return instance.hasAccess(member)
        case .absent: return false
        case .stranded: return instance.isStranded(member)
        }
    }

    /// An action written with `anyway`: a hazard that flags it is accepted, the action is
    /// performed with its consequences and the hazard becomes a warning naming who was
    /// stranded; a refusal still stops it, and a step that no hazard flags gets a warning
    /// that `anyway` accepted nothing.
    private mutating func performAnyway(
        _ index: Int, _ statement: Statement, _ uses: UnsafeBufferPointer<Int32>, _ chunk: Chunk, actor: MemberID
    ) -> Outcome {
        let verb = statement.verb
        let recording = describesEvents
        let flagged = withMembers(uses.dropFirst(), in: chunk) { instance, _, targets in
            instance.refusal(verb, actor: actor, targets: targets)
        }
        let before = instance
        let refusal = withMembers(uses.dropFirst(), in: chunk) { instance, events, targets in
            instance.perform(verb, actor: actor, targets: targets, acceptingHazards: true, events: &events, recording: recording)
        }
        if let refusal {
            return Outcome(
                index: index, statement: statement, result: .stopped(violation(refusal, index, chunk, anyway: true)),
                rule: refusal.rule)
        }
        let warning: Diagnostic
        if let flagged {
            let stranded = before.grantHolders.filter { instance.isStranded($0) }
            warning = Message.hazardAccepted(
                violation(flagged, of: action(index, chunk)), stranded: stranded, instance: instance, in: chunk.source,
                at: statement.range)
        } else {
            warning = Message.anywayAcceptedNothing(in: chunk.source, at: statement.range)
        }
        return Outcome(
            index: index, statement: statement, result: .performed(recording ? events : []), rule: flagged?.rule,
            warning: warning)
    }

    // MARK: Names

    /// The member id of a name use.
    @inline(__always)
    private mutating func resolve(_ use: Int32, in chunk: Chunk) -> MemberID {
        let i = Int(use)
        let cached = resolved[i]
        if cached >= 0 { return MemberID(cached) }
        let id = instance.intern(chunk.names[i])
        resolved[i] = id.index
        return id
    }

    /// Calls `body` with the instance, the events array and the member ids of `uses`: one
    /// on the stack, more in the reused `targets` array.
    private mutating func withMembers<R>(
        _ uses: Slice<UnsafeBufferPointer<Int32>>, in chunk: Chunk,
        _ body: (inout Instance, inout [Event], UnsafeBufferPointer<MemberID>) -> R
    ) -> R {
        if uses.isEmpty { return body(&instance, &events, UnsafeBufferPointer(start: nil, count: 0)) }
        if uses.count == 1 {
            var one = resolve(uses.first!, in: chunk)
            return withUnsafePointer(to: &one) { body(&instance, &events, UnsafeBufferPointer(start: $0, count: 1)) }
        }
        resolveTargets(uses, in: chunk)
        return targets.withUnsafeBufferPointer { body(&instance, &events, $0) }
    }

    /// Resolves `uses` into `targets`.
    private mutating func resolveTargets(_ uses: Slice<UnsafeBufferPointer<Int32>>, in chunk: Chunk) {
        targets.removeAll(keepingCapacity: true)
        for use in uses { targets.append(resolve(use, in: chunk)) }
    }

    // MARK: Refusals

    /// The core action the statement at `index` performs (or expects to be refused), by name.
    private func action(_ index: Int, _ chunk: Chunk) -> Action {
        let statement = chunk.statements[index]
        let names = chunk.ids(of: index).map(chunk.name)
        if statement.tag == .declare { return .declare(statement.role, names) }
        return Action(statement.verb, actor: names[0], targets: Array(names.dropFirst()))
    }

    private func violation(_ refusal: Refusal, of action: Action) -> RuleViolation {
        RuleViolation(rule: refusal.rule, action: action, names: [instance.name(of: refusal.member)], owner: instance.owner)
    }

    /// The diagnostic of the refused statement at `index`, its caret under the name the
    /// rule is about when the rule is about a name the statement lists.
    private mutating func violation(_ refusal: Refusal, _ index: Int, _ chunk: Chunk, anyway: Bool = false) -> Diagnostic {
        let statement = chunk.statements[index]
        let violation = self.violation(refusal, of: action(index, chunk))
        var range = statement.range
        switch refusal.rule {
        case .unknownMember, .duplicateMember, .alreadyHasAccess, .alreadyConnected, .noAccessToRevoke, .removeSelf,
            .removeConnectedAdmin:
            let names = chunk.names(of: index)
            let listed = statement.tag == .declare ? names[...] : names.dropFirst()
            if let name = listed.first(where: { resolve(Int32($0.id), in: chunk) == refusal.member }) {
                range = name.range
            } else if refusal.rule == .unknownMember, let actor = names.first {
                range = actor.range
            }
        default:
            break
        }
        return Message.violation(
            violation, instance: instance, in: chunk.source, at: range, statement: statement.range, anyway: anyway)
    }
}
