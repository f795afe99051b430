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
    /// The instance the statements act on.
    public var instance: Instance
    /// Whether successful actions report their events (off for quiet runs).
    public var describesEvents: Bool

    public init(instance: Instance = Instance(), describesEvents: Bool = true) {
        self.instance = instance
        self.describesEvents = describesEvents
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
        switch statement.kind {
        case .declare(let role, let names):
            return perform(.declare(role, names.map(\.text)), statement, source)
        case .action(let node):
            return perform(node.action, statement, source)
        case .show:
            return .shown(statement, instance)
        case .expect(let expectation):
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
