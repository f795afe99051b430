import ConnectionCore

/// Goals for the planner, written as expectations without `expect` (the grammar's `goal`
/// rule): `owner adminB`, `adminA absent`, `bob, carol connected`; several separated by
/// `;` or new lines.
public enum Goals {
    /// The goals a source states, or the errors that prevent it, located in the text as
    /// the user typed it.
    public static func parse(_ source: SourceFile) -> Result<[Goal], ParseFailure> {
        let parsed = Parser.parseGoals(source)
        guard parsed.program != nil else { return .failure(ParseFailure(diagnostics: parsed.errors)) }
        let chunk = parsed.chunk
        var goals: [Goal] = []
        for (index, statement) in chunk.statements.enumerated() {
            let names = chunk.ids(of: index).map(chunk.name)
            switch statement.kind {
            case .expectOwner: goals.append(.owner(names.first))
            case .expectMembers(.connected): goals += names.map(Goal.connected)
            case .expectMembers(.notConnected): goals += names.map(Goal.notConnected)
            case .expectMembers(.hasAccess): goals += names.map(Goal.hasAccess)
            case .expectMembers(.absent): goals += names.map(Goal.absent)
            default: preconditionFailure("the goal grammar has only expectations")
            }
        }
        return .success(goals)
    }

    /// The plan as a runnable runbook: a comment header, one action per line, then the
    /// goals as expectations so that running it checks them.
    public static func runbook(_ actions: [Action], goals: [Goal], from origin: String) -> String {
        var out = "# plan from \(origin) to: \(goals.map { Words.goal($0) }.joined(separator: ", "))\n"
        if actions.isEmpty {
            out += "# the goals already hold: nothing to do\n"
        } else {
            out += "# \(actions.count) \(actions.count == 1 ? "action" : "actions"), the fewest that reach the goals without a violation\n"
        }
        for action in actions { out += Words.statement(action) + "\n" }
        for goal in goals { out += Words.goal(goal, asExpectation: true) + "\n" }
        return out
    }
}
