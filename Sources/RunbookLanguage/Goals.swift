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

    /// The plan as a runnable runbook: a comment header, one action per line, then the
    /// goals as expectations so that running it checks them.
    public static func runbook(_ actions: [Action], goals: [Goal], from origin: String) -> String {
        var out = "# plan from \(origin) to: \(goals.map(\.description).joined(separator: ", "))\n"
        if actions.isEmpty {
            out += "# the goals already hold: nothing to do\n"
        } else {
            out += "# \(actions.count) \(actions.count == 1 ? "action" : "actions"), the fewest that reach the goals without a violation\n"
        }
        for action in actions { out += statement(action) + "\n" }
        for goal in goals { out += "expect " + expectation(goal) + "\n" }
        return out
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

    private static func expectation(_ goal: Goal) -> String {
        switch goal {
        case .owner(let name): "owner \(name.map(quoted) ?? "none")"
        case .connected(let n): "\(quoted(n)) connected"
        case .notConnected(let n): "\(quoted(n)) not connected"
        case .hasAccess(let n): "\(quoted(n)) has access"
        case .absent(let n): "\(quoted(n)) absent"
        }
    }
}
