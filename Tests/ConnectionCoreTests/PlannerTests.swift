import ConnectionCore
import Foundation
import Testing

func plannedActions(_ result: Planner.Result) -> [Action]? {
    if case .plan(let actions, _) = result { return actions }
    return nil
}

@Test func planForTheSeedHandoffIsThePagesProcedure() throws {
    var start = Instance()
    try start.perform(.declare(.admin, ["adminA", "adminB"]))
    try start.perform(.declare(.user, ["bob", "carol"]))
    try start.perform(.connect(actor: "adminA"))
    try start.perform(.grant(actor: "adminA", targets: ["adminB", "bob", "carol"]))
    let plan = try #require(plannedActions(Planner().plan(from: start, to: [.owner("adminB"), .absent("adminA")])))
    #expect(
        plan == [
            .revoke(actor: "adminA", targets: ["adminB"]),
            .connect(actor: "adminB"),
            .disconnect(actor: "adminA"),
            .remove(actor: "adminB", targets: ["adminA"]),
        ])
    var state = start
    for action in plan { try state.perform(action) }
    #expect(state.isConnected("bob") && state.isConnected("carol"))
}

@Test(arguments: [
    ([Goal.owner("bob")], RuleID.connectRequiresAdmin, "bob is not an admin"),
    ([Goal.owner("zed")], RuleID.unknownMember, "zed is not a member"),
    ([Goal.owner("adminA"), .absent("adminA")], nil, "contradict each other: an owner is a member"),
    ([Goal.owner(nil), .hasAccess("bob")], nil, "access exists only while the integration is live"),
    ([Goal.connected("bob"), .notConnected("bob")], nil, "bob cannot be both"),
])
func impossibleGoalsSayWhy(goals: [Goal], rule: RuleID?, reason: String) throws {
    var start = Instance()
    try start.perform(.declare(.admin, ["adminA"]))
    try start.perform(.declare(.user, ["bob"]))
    guard case .impossible(let why, let blocking) = Planner().plan(from: start, to: goals) else {
        Issue.record("expected no plan")
        return
    }
    #expect(why.contains(reason), "\(why)")
    #expect(blocking == rule)
}

@Test func unreachableGoalsAreReportedAfterTheSearch() throws {
    // No admin can ever connect bob's grant into being: nobody is connected and no admin exists.
    var start = Instance()
    try start.perform(.declare(.user, ["bob"]))
    guard case .impossible(let why, _) = Planner().plan(from: start, to: [.connected("bob")]) else {
        Issue.record("expected no plan")
        return
    }
    #expect(why.contains("no sequence of actions reaches the goals"))
}

@Test func boundsAreReportedNotTakenForImpossible() throws {
    var start = Instance()
    try start.perform(.declare(.admin, ["a", "b"]))
    try start.perform(.declare(.user, ["u1", "u2", "u3"]))
    try start.perform(.connect(actor: "a"))
    try start.perform(.grant(actor: "a", targets: ["u1", "u2", "u3"]))
    let tiny = Planner(bounds: .init(maxStates: 2, maxDepth: 40))
    let result = tiny.plan(from: start, to: [.owner(nil)])
    guard case .boundReached(let what) = result else {
        Issue.record("expected a bound, got \(result)")
        return
    }
    #expect(what.contains("bound of 2 states"))
    let shallow = Planner(bounds: .init(maxStates: 10_000, maxDepth: 2))
    guard case .boundReached(let depth) = shallow.plan(from: start, to: [.owner(nil)]) else {
        Issue.record("expected a depth bound")
        return
    }
    #expect(depth.contains("at most 2 actions"))
    #expect(plannedActions(Planner().plan(from: start, to: [.owner(nil)]))?.count == 4)
}

/// States reachable from "3 admins and 3 users" within `depth` single-target actions, and
/// every goal over those members. Three admins and three users is where the reduction
/// starts to fold members (more than two free admins, more than two grant holders).
func smallWorld(depth: Int) throws -> (states: [Instance], goals: [Goal]) {
    let admins = ["a1", "a2", "a3"]
    let everyone = admins + ["u1", "u2", "u3"]
    var start = Instance()
    try start.perform(.declare(.admin, admins))
    try start.perform(.declare(.user, ["u1", "u2", "u3"]))
    var frontier = [start]
    var states = [start]
    var seen: Set<Instance> = [start]
    for _ in 0..<depth {
        var next: [Instance] = []
        for state in frontier {
            var actions: [Action] = everyone.flatMap { [Action.connect(actor: $0), .disconnect(actor: $0)] }
            for actor in admins {
                for t in everyone { actions += [.grant(actor: actor, targets: [t]), .revoke(actor: actor, targets: [t])] }
            }
            for action in actions {
                var copy = state
                if (try? copy.performQuietly(action)) != nil, seen.insert(copy).inserted {
                    next.append(copy)
                    states.append(copy)
                }
            }
        }
        frontier = next
    }
    var goals: [Goal] = [.owner(nil)]
    for m in everyone {
        goals += [.connected(m), .notConnected(m), .hasAccess(m), .absent(m)]
        if m.hasPrefix("a") { goals.append(.owner(m)) }
    }
    return (states, goals)
}

/// The reduced search finds a plan exactly when the full search does, of the same
/// length, and its plan runs clean and reaches the goals.
func compareReducedAndFull(_ state: Instance, _ goals: [Goal]) throws {
    let full = Planner(reduces: false).plan(from: state, to: goals)
    let reduced = Planner().plan(from: state, to: goals)
    #expect(
        plannedActions(full)?.count == plannedActions(reduced)?.count,
        "\(goals) from \(state.connections), grants \(state.grantHolders)")
    if let plan = plannedActions(reduced) {
        var s = state
        for action in plan { try s.perform(action) }
        #expect(goals.allSatisfy { $0.holds(in: s) })
    }
}

/// The reduction is sound, on a deterministic sample for the everyday suite: every single
/// goal from every state reachable within three actions (85 states, 29 goals), and every
/// pair of goals from the starting state.
@Test func reductionMatchesTheFullSearchOnASample() throws {
    let (states, goals) = try smallWorld(depth: 3)
    for state in states { for goal in goals { try compareReducedAndFull(state, [goal]) } }
    for (i, a) in goals.enumerated() { for b in goals[(i + 1)...] { try compareReducedAndFull(states[0], [a, b]) } }
    print("compared reduced and full plans: \(states.count * goals.count + goals.count * (goals.count - 1) / 2) goal combinations")
}

/// The reduction is sound, exhaustively at that size: every goal and every pair of goals
/// from every state reachable within three actions (34,510 combinations). It takes
/// minutes in a debug build, so it runs when RUNBOOK_EXHAUSTIVE=1; CI runs it in release.
@Test(.enabled(if: ProcessInfo.processInfo.environment["RUNBOOK_EXHAUSTIVE"] == "1"))
func reductionMatchesTheFullSearchExhaustively() throws {
    let (states, goals) = try smallWorld(depth: 3)
    var combinations = goals.map { [$0] }
    for (i, a) in goals.enumerated() { for b in goals[(i + 1)...] { combinations.append([a, b]) } }
    for state in states { for combination in combinations { try compareReducedAndFull(state, combination) } }
    print("compared reduced and full plans for \(states.count * combinations.count) goal combinations over \(states.count) states")
}

/// SplitMix64, for deterministic sampling.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
