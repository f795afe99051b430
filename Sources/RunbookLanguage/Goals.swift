import ConnectionCore

/// Goals for the planner, written as expectations without `expect`: `owner adminB`,
/// `adminA absent`, `bob connected`. A goal may name several members (`bob, carol connected`).
public enum Goals {
    /// Parses one goal, or returns the syntax error that prevents it.
    public static func parse(_ text: String) -> Result<[Goal], Diagnostic> {
        let prefix = "expect "
        let source = SourceFile(name: "goal '\(text)'", text: prefix + text)
        let parsed = Parser.parse(source)
        if let first = parsed.diagnostics.first {
            var d = first
            d.message = d.message.replacing("after 'expect'", with: "at the start of a goal")
                .replacing("after 'expect ", with: "after '")
            return .failure(d)
        }
        let statements = parsed.program.background
        guard statements.count == 1, case .expect(let expectation) = statements[0].kind else {
            return .failure(
                Diagnostic(
                    .error, "a goal is one expectation without 'expect', such as 'owner adminB'",
                    in: source, at: 0..<source.bytes.count))
        }
        switch expectation {
        case .owner(let name): return .success([.owner(name?.text)])
        case .connected(let names): return .success(names.map { .connected($0.text) })
        case .notConnected(let names): return .success(names.map { .notConnected($0.text) })
        case .hasAccess(let names): return .success(names.map { .hasAccess($0.text) })
        case .absent(let names): return .success(names.map { .absent($0.text) })
        case .violation:
            return .failure(
                Diagnostic(
                    .error, "'violation' is not a goal: a plan never breaks a rule",
                    in: source, at: statements[0].range))
        }
    }

    /// A planner result in words: every sentence a user reads about a plan, or about why
    /// there is none, comes from here.
    public static func describe(_ result: Planner.Result, goals: [Goal], from origin: String) -> PlanReport {
        switch result {
        case .plan(let actions, _):
            let statements = compact(actions).map(statement)
            var out = "# plan from \(origin) to: \(goals.map(expectation).joined(separator: ", "))\n"
            if actions.isEmpty {
                out += "# the goals already hold: nothing to do\n"
            } else {
                let count = counted(actions.count, "action")
                let shape = statements.count == actions.count ? count : "\(count) in \(counted(statements.count, "statement"))"
                out += "# \(shape), the fewest that reach the goals without a violation\n"
            }
            for line in statements { out += line + "\n" }
            for goal in goals { out += "expect " + expectation(goal) + "\n" }
            return PlanReport(runbook: out, statements: statements, problem: nil, hints: [])
        case .impossible(let why):
            let rule = why.rule.map { " [\($0.rawValue)]" } ?? ""
            return PlanReport(runbook: nil, statements: [], problem: "no plan: " + reason(why) + rule, hints: [])
        case .unfinished(let bound):
            let (problem, hint) = unfinished(bound)
            return PlanReport(runbook: nil, statements: [], problem: problem, hints: hint.map { [$0] } ?? [])
        }
    }

    private static func reason(_ why: Planner.Impossibility) -> String {
        switch why {
        case .notAMember(let goal, let name):
            return "'\(expectation(goal))' cannot hold: \(name) is not a member, and a plan does not declare members"
        case .notAnAdmin(let goal, let name):
            return "'\(expectation(goal))' cannot hold: \(name) is not an admin, and only admins can connect"
        case .contradiction(let a, let b, let conflict):
            let because: String
            switch conflict {
            case .oneOwner: because = "there is one owner"
            case .ownerOfNothing:
                let owner = [a, b].lazy.compactMap { if case .owner(let x?) = $0 { x } else { nil } }.first ?? ""
                because = "\(owner) would own an integration that is not live"
            case .ownerIsAMember: because = "an owner is a member"
            case .ownerIsConnected: because = "the owner is connected"
            case .ownerHoldsNoGrant: because = "a connected admin holds no access grant"
            case .connectedAndNot: because = "\(a.member ?? "") cannot be both"
            case .connectedIsAMember: because = "only members are connected"
            case .accessIsForMembers: because = "only members hold access"
            case .accessNeedsLive: because = "access exists only while the integration is live"
            case .connectedNeedsLive: because = "nobody is connected while the integration is not live"
            }
            return "'\(expectation(a))' and '\(expectation(b))' contradict each other: \(because)"
        case .unreachable(let explored):
            return "no sequence of actions reaches the goals from this state (\(counted(explored, "state")) explored)"
        }
    }

    /// A bound the search reached, and how to raise it.
    private static func unfinished(_ bound: Planner.Bound) -> (String, String?) {
        let unfinished = "; the search was not finished"
        switch bound {
        case .timeout(let seconds):
            let time = seconds == seconds.rounded() ? grouped(Int(seconds)) : String(seconds)
            return ("no plan found within \(time) s" + unfinished, "allow more time with --timeout SECONDS")
        case .memory(let bytes):
            return (
                "no plan found within \(grouped(bytes >> 20)) MiB of memory" + unfinished,
                "allow more memory with --max-memory MIB"
            )
        case .states(let states):
            return ("no plan found within \(counted(states, "state"))" + unfinished, "raise the bound with --max-states")
        case .depth(let depth):
            return (
                "no plan found: no plan of at most \(counted(depth, "action")) reaches the goals",
                "raise the bound with --max-actions"
            )
        case .cancelled:
            return ("no plan found: the search was stopped before it finished", nil)
        }
    }

    /// A plan's single-member actions as statements: consecutive grants, revokes or
    /// removes by the same actor become one statement with many targets. The language
    /// runs a statement all or nothing, and such a statement is accepted wherever its
    /// steps were one by one: each step leaves the others' targets as they were (a grant
    /// holder stays one, a connection stays one) and the actor in place (a removal never
    /// removes its own actor).
    public static func compact(_ actions: [Action]) -> [Action] {
        var out: [Action] = []
        var i = 0
        while i < actions.count {
            var j = i + 1
            while j < actions.count && mergeable(actions[i], actions[j]) { j += 1 }
            let targets = j == i + 1 ? actions[i].targets : actions[i..<j].flatMap(\.targets)
            switch actions[i] {
            case .grant(let actor, _): out.append(.grant(actor: actor, targets: targets))
            case .revoke(let actor, _): out.append(.revoke(actor: actor, targets: targets))
            case .remove(let actor, _): out.append(.remove(actor: actor, targets: targets))
            default: out.append(actions[i])
            }
            i = j
        }
        return out
    }

    private static func mergeable(_ a: Action, _ b: Action) -> Bool {
        switch (a, b) {
        case (.grant(let x, _), .grant(let y, _)), (.revoke(let x, _), .revoke(let y, _)), (.remove(let x, _), .remove(let y, _)):
            x == y
        default: false
        }
    }

    /// "1 action", "2,000 actions".
    private static func counted(_ n: Int, _ noun: String) -> String { "\(grouped(n)) \(noun)\(n == 1 ? "" : "s")" }

    /// A number with its thousands grouped: 20,000.
    private static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// An action as a runbook statement.
    public static func statement(_ action: Action) -> String {
        let targets = action.targets.map(quoted).joined(separator: ", ")
        switch action {
        case .declare(let role, _): return "\(role.rawValue) \(targets)"
        case .connect(let actor): return "as \(quoted(actor)) connect"
        case .disconnect(let actor): return "as \(quoted(actor)) disconnect"
        case .grant(let actor, _): return "as \(quoted(actor)) grant \(targets)"
        case .revoke(let actor, _): return "as \(quoted(actor)) revoke \(targets)"
        case .remove(let actor, _): return "as \(quoted(actor)) remove \(targets)"
        }
    }

    /// A goal as the language spells it: an expectation without `expect`.
    public static func expectation(_ goal: Goal) -> String {
        switch goal {
        case .owner(let name): "owner \(name.map(quoted) ?? "none")"
        case .connected(let n): "\(quoted(n)) connected"
        case .notConnected(let n): "\(quoted(n)) not connected"
        case .hasAccess(let n): "\(quoted(n)) has access"
        case .absent(let n): "\(quoted(n)) absent"
        }
    }
}

/// A planner result in words.
public struct PlanReport: Sendable, Hashable {
    /// The plan as a runnable runbook: a comment header, the statements, then the goals as
    /// expectations; `nil` when there is no plan.
    public var runbook: String?
    /// The plan's statements alone, as the runbook writes them: what `:plan!` runs.
    public var statements: [String]
    /// Why there is no plan; `nil` when there is one.
    public var problem: String?
    /// What to do about it.
    public var hints: [String]
}
