import ConnectionCore

/// What came of one statement.
public enum Outcome: Sendable {
    /// A declaration or action succeeded; the events say what changed (empty when the
    /// interpreter was asked not to describe).
    case performed(Statement, [Event])
    /// An expectation held.
    case held(Statement)
    /// `show`: the state at that point.
    case shown(Statement, Instance)
    /// A refused action or a failed expectation; nothing after it runs.
    case stopped(Statement, Diagnostic)

    public var statement: Statement {
        switch self {
        case .performed(let s, _), .held(let s), .shown(let s, _), .stopped(let s, _): s
        }
    }
}

/// Executes statements against an instance, one at a time, stopping at the first
/// violation or failed expectation.
public struct Interpreter: Sendable {
    /// The instance the statements act on. Set only through `init`: the interpreter keeps
    /// ids it resolved against this instance and the copies it makes of it.
    public private(set) var instance: Instance
    /// Whether successful actions report their events (off for quiet runs).
    public var describesEvents: Bool

    /// The member each parsed name resolved to, by `Name.id`: a cache that spares hashing
    /// the same name again on every statement. Name ids belong to one source, so the
    /// cache starts over when the source changes.
    private var resolved: [MemberID?] = []
    private var resolvedSource = -1

    public init(instance: Instance = Instance(), describesEvents: Bool = true) {
        self.instance = instance
        self.describesEvents = describesEvents
    }

    /// The interned id of a name: a member, a former member, or `nil` for a name never declared.
    private mutating func member(_ name: Name) -> MemberID? {
        let i = Int(name.id)
        if i >= 0 && i < resolved.count, let cached = resolved[i] { return cached }
        guard let id = instance.memberID(name.text) else { return nil }
        if i >= 0 {
            if i >= resolved.count { resolved += repeatElement(nil, count: i + 1 - resolved.count + 64) }
            resolved[i] = id
        }
        return id
    }

    /// The verb, actor and single target of an action on known names, for the fast path.
    private mutating func compact(_ node: ActionNode) -> (Instance.Verb, MemberID, MemberID?)? {
        guard let actor = member(node.actor) else { return nil }
        switch node.verb {
        case .connect: return (.connect, actor, nil)
        case .disconnect: return (.disconnect, actor, nil)
        case .grant(let t), .revoke(let t), .remove(let t):
            guard t.count == 1, let target = member(t[0]) else { return nil }
            let verb: Instance.Verb
            switch node.verb {
            case .grant: verb = .grant
            case .revoke: verb = .revoke
            default: verb = .remove
            }
            return (verb, actor, target)
        }
    }

    /// Runs `statements` in order, handing each outcome to `observe`, until one stops.
    /// - Returns: the diagnostic of the statement that stopped the run, or `nil`.
    @discardableResult
    public mutating func run(
        _ statements: [Statement], in source: SourceFile, observe: (Outcome) -> Void = { _ in }
    ) -> Diagnostic? {
        for statement in statements {
            let outcome = execute(statement, in: source)
            observe(outcome)
            if case .stopped(_, let diagnostic) = outcome { return diagnostic }
        }
        return nil
    }

    /// Executes one statement. A refused action or failed expectation changes nothing.
    public mutating func execute(_ statement: Statement, in source: SourceFile) -> Outcome {
        if source.identity != resolvedSource {
            resolved.removeAll()
            resolvedSource = source.identity
        }
        switch statement.kind {
        case .declare(let role, let names):
            return perform(.declare(role, names.map(\.text)), statement, source)
        case .action(let node):
            guard let (verb, actor, target) = compact(node) else { return perform(node.action, statement, source) }
            var events: [Event] = []
            let refusal =
                describesEvents
                ? instance.perform(verb, by: actor, on: target, recording: &events)
                : instance.perform(verb, by: actor, on: target)
            if refusal == nil { return .performed(statement, events) }
            return perform(node.action, statement, source)  // refused: the full path words the diagnostic
        case .show:
            return .shown(statement, instance)
        case .expect(let expectation):
            if holds(expectation) { return .held(statement) }
            if let failure = check(expectation, statement, source) { return .stopped(statement, failure) }
            return .held(statement)
        }
    }

    private mutating func perform(_ action: Action, _ statement: Statement, _ source: SourceFile) -> Outcome {
        do throws(RuleViolation) {
            if describesEvents {
                return .performed(statement, try instance.perform(action))
            }
            try instance.performQuietly(action)
            return .performed(statement, [])
        } catch {
            return .stopped(statement, Message.violation(error, instance: instance, in: source, at: statement.range))
        }
    }

    /// Whether an expectation holds: the fast check on interned ids; `check` words the
    /// failure when it does not.
    private mutating func holds(_ e: Expectation) -> Bool {
        switch e {
        case .owner(nil): return instance.ownerID == nil
        case .owner(let name?): return member(name).map { $0 == instance.ownerID } ?? false
        case .connected(let names):
            for n in names { guard let m = member(n), instance.isConnected(m) else { return false } }
        case .notConnected(let names):
            for n in names { if let m = member(n), instance.isConnected(m) { return false } }
        case .hasAccess(let names):
            for n in names { guard let m = member(n), instance.hasAccess(m) else { return false } }
        case .absent(let names):
            for n in names { if let m = member(n), instance.isMember(m) { return false } }
        case .violation(let rule, _, let node):
            guard let (verb, actor, target) = compact(node) else { return false }
            guard let refusal = instance.rule(refusing: verb, by: actor, on: target) else { return false }
            return rule == nil || rule == refusal
        }
        return true
    }

    /// The failure of an expectation, or `nil` when it holds.
    private func check(_ e: Expectation, _ statement: Statement, _ source: SourceFile) -> Diagnostic? {
        let at = statement.range
        func fail(_ text: String) -> Diagnostic { Message.failed(text, in: source, at: at) }
        switch e {
        case .owner(let name):
            if instance.owner == name?.text { return nil }
            if let name { return fail("expected owner \(quoted(name.text)), but \(Message.ownerState(instance))") }
            return fail("expected the integration not to be live, but \(Message.ownerState(instance))")
        case .connected(let names):
            for n in names where !instance.isConnected(n.text) {
                return fail("expected \(quoted(n.text)) to be connected, but \(Message.connectionState(n.text, in: instance))")
            }
        case .notConnected(let names):
            for n in names where instance.isConnected(n.text) {
                return fail("expected \(quoted(n.text)) not to be connected, but \(Message.connectionState(n.text, in: instance))")
            }
        case .hasAccess(let names):
            for n in names where !instance.hasAccess(n.text) {
                return fail("expected \(quoted(n.text)) to hold access, but \(Message.connectionState(n.text, in: instance))")
            }
        case .absent(let names):
            for n in names {
                if let role = instance.role(of: n.text) {
                    return fail(
                        "expected \(quoted(n.text)) to be absent, but \(quoted(n.text)) is \(role == .admin ? "an admin" : "a user") of the instance"
                    )
                }
            }
        case .violation(let rule, _, let node):
            let written = source.text(node.range)
            guard let violation = instance.check(node.action) else {
                return fail("expected '\(written)' to be \(Message.refusalName(rule)), but it would succeed")
            }
            if let rule, violation.rule != rule {
                let (why, _) = Message.describe(violation, instance: instance)
                return fail(
                    "expected '\(written)' to be \(Message.refusalName(rule)), but it is \(Message.refusalName(violation.rule)): \(why)")
            }
        }
        return nil
    }
}
