import ConnectionCore
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

/// The reduction is sound: on small instances, for every state reachable within four
/// actions from "4 admins and 3 users" (sampled), and every goal and pair of goals over
/// its members, the reduced search finds a plan exactly when the full search does, of
/// the same length, and the plan runs clean and reaches the goals.
@Test func reductionMatchesTheFullSearchOnSmallInstances() throws {
    let admins = ["a1", "a2", "a3", "a4"]
    let users = ["u1", "u2", "u3"]
    var start = Instance()
    try start.perform(.declare(.admin, admins))
    try start.perform(.declare(.user, users))
    // States reachable within 4 single-target actions.
    var frontier = [start]
    var states: Set<Instance> = [start]
    let everyone = admins + users
    for _ in 0..<4 {
        var next: [Instance] = []
        for state in frontier {
            var actions: [Action] = everyone.flatMap { [Action.connect(actor: $0), .disconnect(actor: $0)] }
            for actor in admins {
                for t in everyone { actions += [.grant(actor: actor, targets: [t]), .revoke(actor: actor, targets: [t])] }
            }
            for action in actions {
                var copy = state
                if (try? copy.performQuietly(action)) != nil, states.insert(copy).inserted { next.append(copy) }
            }
        }
        frontier = next
    }
    var rng = SplitMix(state: 7)
    // A stable order first (hash values change from run to run), then a seeded sample.
    func key(_ s: Instance) -> String { "\(s.connections) \(s.grantHolders)" }
    let sample = states.sorted { key($0) < key($1) }.shuffled(using: &rng).prefix(25)
    var goalsForMember: [Goal] = [.owner(nil)]
    for m in everyone {
        goalsForMember += [.connected(m), .notConnected(m), .hasAccess(m), .absent(m)]
        if m.hasPrefix("a") { goalsForMember.append(.owner(m)) }
    }
    var compared = 0
    let full = Planner(reduces: false)
    let reduced = Planner()
    for state in sample {
        var combinations = goalsForMember.map { [$0] }
        for _ in 0..<30 { combinations.append([goalsForMember.randomElement(using: &rng)!, goalsForMember.randomElement(using: &rng)!]) }
        for goals in combinations {
            let a = full.plan(from: state, to: goals)
            let b = reduced.plan(from: state, to: goals)
            #expect(
                plannedActions(a)?.count == plannedActions(b)?.count, "\(goals) from \(state.connections), grants \(state.grantHolders)")
            if let plan = plannedActions(b) {
                var s = state
                for action in plan { try s.perform(action) }
                #expect(goals.allSatisfy { $0.holds(in: s) })
            }
            compared += 1
        }
    }
    print("compared reduced and full plans for \(compared) goal combinations over \(sample.count) states")
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
