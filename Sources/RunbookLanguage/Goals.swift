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
    /// there is none, comes from here. `members` are the instance's, for a goal that names
    /// someone else. Given the instance planned from, a plan ends with what it changes, at
    /// a glance: `# after: owner adminB (was adminA); adminA removed; bob, carol keep access`.
    public static func describe(
        _ result: Planner.Result, goals: [Goal], from origin: String, members: [String], start: Instance? = nil
    ) -> PlanReport {
        switch result {
        case .plan(let actions, _):
            let statements = compact(actions).map(Words.statement)
            var out = "# plan from \(origin) to: \(goals.map { Words.goal($0) }.joined(separator: ", "))\n"
            if actions.isEmpty {
                out += "# the goals already hold: nothing to do\n"
            } else {
                let count = Words.counted(actions.count, "action")
                let shape = statements.count == actions.count ? count : "\(count) in \(Words.counted(statements.count, "statement"))"
                out += "# \(shape), the fewest that reach the goals without a violation\n"
            }
            for line in statements { out += line + "\n" }
            for goal in goals { out += Words.goal(goal, asExpectation: true) + "\n" }
            if let start, !actions.isEmpty {
                // The planner replayed the plan with the core's rules before returning it:
                // no action of it is refused.
                var end = start
                for action in actions { try? end.performQuietly(action) }
                out += "# after: " + ProcedureWords.change(Change(from: start, to: end)) + "\n"
            }
            return PlanReport(runbook: out, statements: statements, problem: nil, hints: [], bound: nil)
        case .impossible(let why):
            let rule = why.rule.map { " [\($0.rawValue)]" } ?? ""
            var hints: [String] = []
            if case .notAMember(_, let name) = why, let close = Suggest.closest(to: name, among: members) {
                hints.append("did you mean \(Words.spell(close))?")
            }
            return PlanReport(runbook: nil, statements: [], problem: "no plan: " + reason(why) + rule, hints: hints, bound: nil)
        case .unfinished(let bound):
            return PlanReport(runbook: nil, statements: [], problem: unfinished(bound), hints: [], bound: bound)
        }
    }

    private static func reason(_ why: Planner.Impossibility) -> String {
        switch why {
        case .notAMember(let goal, let name):
            return "'\(Words.goal(goal))' cannot hold: \(name) is not a member, and a plan does not declare members"
        case .notAnAdmin(let goal, let name):
            return "'\(Words.goal(goal))' cannot hold: \(name) is not an admin, and only admins can connect"
        case .neverStrands(let goal, let name):
            return "'\(Words.goal(goal))' cannot hold: \(Words.spell(name)) is not stranded, and a plan never strands anyone"
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
            case .notConnectedIsAMember: because = "only a member can be not connected"
            case .accessIsConnected:
                because = "access exists only while the integration is live, and then \(a.member ?? "") is connected through it"
            case .accessIsForMembers: because = "only members hold access"
            case .accessNeedsLive: because = "access exists only while the integration is live"
            case .connectedNeedsLive: because = "nobody is connected while the integration is not live"
            case .strandedIsNotConnected: because = "a stranded member is not connected"
            case .strandedHoldsNoAccess: because = "a stranded member holds no access"
            case .strandedIsAMember: because = "only members are stranded"
            case .ownerIsNotStranded: because = "the owner is connected, so not stranded"
            }
            return "'\(Words.goal(a))' and '\(Words.goal(b))' contradict each other: \(because)"
        case .lastAdmin(let goals) where goals.count == 1:
            return
                "'\(Words.goal(goals[0]))' cannot hold: \(goals[0].member ?? "") is the only admin, and an admin cannot remove themselves"
        case .lastAdmin(let goals):
            return "\(quoted(goals)) cannot hold together: they remove every admin, and the last one cannot remove themselves"
        case .noAdminConnected(let live, let involved):
            let why = "the integration is live only while an admin is connected"
            guard involved.count > 1 else { return "'\(Words.goal(live))' cannot hold: \(why), and it leaves no admin connected" }
            return "\(quoted(involved)) cannot hold together: \(why), and these goals leave no admin connected"
        case .noAdmin(let goal):
            return "'\(Words.goal(goal))' cannot hold: the instance has no admin, and every action needs one"
        case .unreachable(let explored) where explored <= 1:
            return "no sequence of actions reaches the goals from this state"
        case .unreachable(let explored):
            return "no sequence of actions reaches the goals from this state (\(Words.counted(explored, "state")) explored)"
        }
    }

    /// Goals quoted as a list: "'a absent' and 'b absent'"; past four, how many more.
    private static func quoted(_ goals: [Goal]) -> String {
        let shown = goals.prefix(4).map { "'\(Words.goal($0))'" }
        return Words.list(goals.count > 4 ? shown + [Words.counted(goals.count - 4, "more goal")] : shown)
    }

    /// A bound the search reached, in words; how to raise it is the client's to say, as
    /// only the client knows its options.
    private static func unfinished(_ bound: Planner.Bound) -> String {
        let unfinished = "; the search was not finished"
        switch bound {
        case .timeout(let seconds):
            let time = seconds == seconds.rounded() ? Words.grouped(Int(seconds)) : String(seconds)
            return "no plan found within \(time) s" + unfinished
        case .memory(let bytes):
            return "no plan found within \(Words.grouped(bytes >> 20)) MiB of memory" + unfinished
        case .states(let states):
            return "no plan found within \(Words.counted(states, "state"))" + unfinished
        case .depth(let depth):
            return "no plan found: no plan of at most \(Words.counted(depth, "action")) reaches the goals"
        case .cancelled:
            return "no plan found: the search was stopped before it finished"
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
