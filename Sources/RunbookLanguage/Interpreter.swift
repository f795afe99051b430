import ConnectionCore

/// What came of one statement, with the statement's range in its source.
public enum Outcome: Sendable {
    /// A declaration or action succeeded; the events say what changed (empty when the
    /// interpreter was asked not to describe).
    case performed(Range<Int>, [Event])
    /// An expectation held.
    case held(Range<Int>)
    /// `show`: the state at that point.
    case shown(Range<Int>, Instance)
    /// A refused action or a failed expectation; nothing after it runs.
    case stopped(Range<Int>, Diagnostic)

    /// Where the statement is in its source, from its first token to the end of its last.
    public var range: Range<Int> {
        switch self {
        case .performed(let r, _), .held(let r), .shown(let r, _), .stopped(let r, _): r
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
    /// The events of the last action performed on the fast path.
    private var recorded: [Event] = []

    public init(instance: Instance = Instance(), describesEvents: Bool = true) {
        self.instance = instance
        self.describesEvents = describesEvents
    }

    /// The interned id of a name: a member, a former member, or `nil` for a name never declared.
    private mutating func member(_ name: Name) -> MemberID? {
        member(id: name.id, name.text)
    }

    /// The member a name resolves to, by its id in the parse (`Name.id`) and its text.
    private mutating func member(id nameID: Int32, _ text: @autoclosure () -> String) -> MemberID? {
        let i = Int(nameID)
        if i >= 0 && i < resolved.count, let cached = resolved[i] { return cached }
        guard let id = instance.memberID(text()) else { return nil }
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

    /// Name ids belong to one source: the cache of what they resolved to starts over with another.
    private mutating func begin(_ source: SourceFile) {
        if source.identity != resolvedSource {
            resolved.removeAll()
            resolvedSource = source.identity
        }
    }

    /// Executes one statement. A refused action or failed expectation changes nothing.
    public mutating func execute(_ statement: Statement, in source: SourceFile) -> Outcome {
        begin(source)
        switch statement.kind {
        case .declare(let role, let names):
            return perform(.declare(role, names.map(\.text)), statement.range, source)
        case .action(let node):
            if let (verb, actor, target) = compact(node), let events = perform(verb, actor, target) {
                return .performed(statement.range, events)
            }
            return perform(node.action, statement.range, source)  // the full path words any refusal
        case .show:
            return .shown(statement.range, instance)
        case .expect(let expectation):
            if holds(expectation) { return .held(statement.range) }
            if let failure = check(expectation, statement.range, source) { return .stopped(statement.range, failure) }
            return .held(statement.range)
        }
    }

    private mutating func perform(_ action: Action, _ range: Range<Int>, _ source: SourceFile) -> Outcome {
        do throws(RuleViolation) {
            if describesEvents {
                return .performed(range, try instance.perform(action))
            }
            try instance.performQuietly(action)
            return .performed(range, [])
        } catch {
            return .stopped(range, Message.violation(error, instance: instance, in: source, at: range))
        }
    }

    /// Runs a compiled source's background in order, handing each outcome to `observe`,
    /// until one stops.
    /// - Returns: the diagnostic of the statement that stopped the run, or `nil`.
    mutating func run(_ compiled: CompiledSource, observe: (Outcome) -> Void) -> Diagnostic? {
        let source = compiled.source
        let names = compiled.names
        for statement in compiled.statements {
            let outcome: Outcome
            if case .tree = statement.form {
                outcome = execute(compiled.trees[Int(statement.target)], in: source)
            } else {
                outcome =
                    execute(statement, in: source, names: names)
                    ?? execute(Parser.tree(of: statement, in: compiled), in: source)
            }
            observe(outcome)
            if case .stopped(_, let diagnostic) = outcome { return diagnostic }
        }
        return nil
    }

    /// Executes a compact statement on interned ids, `names` giving their texts. `nil`,
    /// having changed nothing, when it needs the full path: a name not yet resolved to a
    /// member, a refused action, an expectation that does not hold.
    private mutating func execute(_ compact: CompiledStatement, in source: SourceFile, names: [String]) -> Outcome? {
        func name(_ id: Int32) -> String { names[Int(id)] }
        begin(source)
        let target = compact.target < 0 ? nil : member(id: compact.target, name(compact.target))
        if compact.target >= 0 && target == nil { return nil }
        switch compact.form {
        case .action:
            guard let actor = member(id: compact.actor, name(compact.actor)),
                let events = perform(compact.verb, actor, target)
            else { return nil }
            return .performed(compact.range, events)
        case .owner:
            let named = compact.actor >= 0
            guard ownerIs(named: named, named ? member(id: compact.actor, name(compact.actor)) : nil) else { return nil }
        case .member(let check):
            guard holds(check, target) else { return nil }
        case .violation:
            guard let actor = member(id: compact.actor, name(compact.actor)),
                refuses(compact.verb, actor, target, as: compact.rule)
            else { return nil }
        case .tree:
            return nil
        }
        return .held(compact.range)
    }

    /// Performs an action on members through the core's id path: its events, or `nil` when
    /// it is refused (and nothing changed).
    private mutating func perform(_ verb: Instance.Verb, _ actor: MemberID, _ target: MemberID?) -> [Event]? {
        guard describesEvents else { return instance.perform(verb, by: actor, on: target) == nil ? [] : nil }
        // The events go into the same array each time: once the last outcome is gone, its
        // storage is free again, and a run reporting a million actions allocates none.
        recorded.removeAll(keepingCapacity: true)
        return instance.perform(verb, by: actor, on: target, recording: &recorded) == nil ? recorded : nil
    }

    /// Whether `expect owner NAME` holds of a member (`nil`: a name never declared), or,
    /// not `named`, whether `expect owner none` holds.
    private func ownerIs(named: Bool, _ member: MemberID?) -> Bool {
        named ? member != nil && member == instance.ownerID : instance.ownerID == nil
    }

    /// Whether `expect NAME ...` holds of one member (`nil`: a name never declared).
    private func holds(_ check: MemberCheck, _ member: MemberID?) -> Bool {
        switch check {
        case .connected: member.map(instance.isConnected) ?? false
        case .notConnected: !(member.map(instance.isConnected) ?? false)
        case .hasAccess: member.map(instance.hasAccess) ?? false
        case .absent: !(member.map(instance.isMember) ?? false)
        }
    }

    /// Whether the core refuses an action, by `rule` if one is named.
    private func refuses(_ verb: Instance.Verb, _ actor: MemberID, _ target: MemberID?, as rule: RuleID?) -> Bool {
        guard let refusal = instance.rule(refusing: verb, by: actor, on: target) else { return false }
        return rule == nil || rule == refusal
    }

    /// Whether an expectation holds: the fast check on interned ids; `check` words the
    /// failure when it does not.
    private mutating func holds(_ e: Expectation) -> Bool {
        switch e {
        case .owner(nil): return ownerIs(named: false, nil)
        case .owner(let name?): return ownerIs(named: true, member(name))
        case .connected(let names): return names.allSatisfy { holds(.connected, member($0)) }
        case .notConnected(let names): return names.allSatisfy { holds(.notConnected, member($0)) }
        case .hasAccess(let names): return names.allSatisfy { holds(.hasAccess, member($0)) }
        case .absent(let names): return names.allSatisfy { holds(.absent, member($0)) }
        case .violation(let rule, _, let node):
            guard let (verb, actor, target) = compact(node) else { return false }
            return refuses(verb, actor, target, as: rule)
        }
    }

    /// The failure of an expectation, or `nil` when it holds.
    private func check(_ e: Expectation, _ at: Range<Int>, _ source: SourceFile) -> Diagnostic? {
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
