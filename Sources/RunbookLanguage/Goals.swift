import ConnectionCore

/// Goals for the planner, written as expectations without `expect` (the grammar's `goal`
/// rule): `owner adminB`, `adminA absent`, `bob, carol connected`; several separated by
/// `;` or new lines. And the planner's results, in words.
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
            case .expectMembers(.stranded): goals += names.map(Goal.stranded)
            default: preconditionFailure("the goal grammar has only expectations")
            }
        }
        return .success(goals)
    }

    /// A planner result in words: every sentence a user reads about a plan, or about why
    /// there is none, comes from `GoalWords`. `members` are the instance's, for a goal that names
    /// someone else. Given the instance planned from, a plan ends with what it changes, at
    /// a glance: `# after: owner adminB (was adminA); adminA removed; bob, carol keep access`.
    public static func describe(
        _ result: Planner.Result, goals: [Goal], from origin: String, members: [String], start: Instance? = nil
    ) -> PlanReport {
        switch result {
        case .plan(let actions, _):
            let statements = compact(actions).map(Words.statement)
            var out = GoalWords.header(from: origin, to: goals) + "\n"
            if actions.isEmpty {
                out += GoalWords.nothingToDo + "\n"
            } else {
                out += GoalWords.fewest(actions: actions.count, statements: statements.count) + "\n"
            }
            for line in statements { out += line + "\n" }
            for goal in goals { out += Words.goal(goal, asExpectation: true) + "\n" }
            if let start, !actions.isEmpty {
                // The planner replayed the plan with the core's rules before returning it:
                // no action of it is refused.
                var end = start
                for action in actions { try? end.performQuietly(action) }
                out += GoalWords.after(Change(from: start, to: end)) + "\n"
            }
            return PlanReport(runbook: out, statements: statements, problem: nil, hints: [], bound: nil)
        case .impossible(let why):
            var hints: [String] = []
            if case .notAMember(_, let name) = why, let close = Suggest.closest(to: name, among: members) {
                hints.append(GoalWords.didYouMean(close))
            }
            return PlanReport(runbook: nil, statements: [], problem: GoalWords.noPlan(why), hints: hints, bound: nil)
        case .unfinished(let bound):
            return PlanReport(runbook: nil, statements: [], problem: GoalWords.unfinished(bound), hints: [], bound: bound)
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
    /// What to do about it, in the language's terms; a client adds how to raise `bound`.
    public var hints: [String]
    /// The bound the search reached before it finished; `nil` when it finished.
    public var bound: Planner.Bound?
}
