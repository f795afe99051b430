import ConnectionCore

/// The planner's results in words: a plan's header comments, and why there is no plan.
/// How to raise a bound the search reached is each client's to say, in its own options.
enum GoalWords {
    /// `# plan from s.json to: owner adminB, adminA absent`.
    static func header(from origin: String, to goals: [Goal]) -> String {
        "# plan from \(origin) to: \(goals.map { Words.goal($0) }.joined(separator: ", "))"
    }

    /// A plan of no action.
    static let nothingToDo = "# the goals already hold: nothing to do"

    /// `# 3 actions in 2 statements, the fewest that reach the goals without a violation`.
    static func fewest(actions: Int, statements: Int) -> String {
        let count = Words.counted(actions, "action")
        let shape = statements == actions ? count : "\(count) in \(Words.counted(statements, "statement"))"
        return "# \(shape), the fewest that reach the goals without a violation"
    }

    /// `# after: owner adminB (was adminA); adminA removed`.
    static func after(_ change: Change) -> String {
        "# after: " + ProcedureWords.change(change)
    }

    /// A goal that names someone close to a member's name.
    static func didYouMean(_ name: String) -> String {
        "did you mean \(Words.spell(name))?"
    }

    /// `no plan: REASON [rule-id]`.
    static func noPlan(_ why: Planner.Impossibility) -> String {
        "no plan: " + reason(why) + (why.rule.map { " [\($0.rawValue)]" } ?? "")
    }

    /// Why no plan can reach the goals, before or after searching.
    static func reason(_ why: Planner.Impossibility) -> String {
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
    static func quoted(_ goals: [Goal]) -> String {
        let shown = goals.prefix(4).map { "'\(Words.goal($0))'" }
        return Words.list(goals.count > 4 ? shown + [Words.counted(goals.count - 4, "more goal")] : shown)
    }

    /// A bound the search reached, in words; how to raise it is the client's to say, as
    /// only the client knows its options.
    static func unfinished(_ bound: Planner.Bound) -> String {
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
}
