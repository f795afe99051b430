import ConnectionCore
import Foundation
import RunbookTestSupport
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
    ([Goal.owner("bob")], Planner.Impossibility.notAnAdmin(.owner("bob"), name: "bob")),
    ([Goal.owner("zed")], .notAMember(.owner("zed"), name: "zed")),
    ([Goal.owner("adminA"), .absent("adminA")], .contradiction(.owner("adminA"), .absent("adminA"), .ownerIsAMember)),
    ([Goal.owner(nil), .hasAccess("bob")], .contradiction(.owner(nil), .hasAccess("bob"), .accessNeedsLive)),
    ([Goal.connected("bob"), .notConnected("bob")], .contradiction(.connected("bob"), .notConnected("bob"), .connectedAndNot)),
    ([Goal.notConnected("bob"), .hasAccess("bob")], .contradiction(.notConnected("bob"), .hasAccess("bob"), .accessIsConnected)),
])
func impossibleGoalsSayWhy(goals: [Goal], why: Planner.Impossibility) throws {
    var start = Instance()
    try start.perform(.declare(.admin, ["adminA"]))
    try start.perform(.declare(.user, ["bob"]))
    #expect(Planner().plan(from: start, to: goals) == .impossible(why))
    #expect(why.rule == (goals == [.owner("bob")] ? .connectRequiresAdmin : goals == [.owner("zed")] ? .unknownMember : nil))
}

/// Goals no admin is left to reach say why, found before searching: the search would
/// explore every state to find nothing, and say only that.
@Test func goalsWithoutAnAdminToReachThemSayWhy() throws {
    // No admin can ever connect bob's grant into being: nobody is connected and no admin exists.
    var start = Instance()
    try start.perform(.declare(.user, ["bob"]))
    #expect(Planner().plan(from: start, to: [.connected("bob")]) == .impossible(.noAdmin(.connected("bob"))))
    // The only admin cannot remove itself, whatever it does first.
    var alone = Instance()
    try alone.perform(.declare(.admin, ["a"]))
    try alone.perform(.declare(.user, ["u1", "u2"]))
    try alone.perform(.connect(actor: "a"))
    try alone.perform(.grant(actor: "a", targets: ["u1", "u2"]))
    #expect(Planner().plan(from: alone, to: [.absent("a")]) == .impossible(.lastAdmin([.absent("a")])))
    #expect(Planner.Impossibility.lastAdmin([.absent("a")]).rule == .removeSelf)
    // Two admins, both to be removed: the last one cannot remove themselves.
    let team = try instance(admins: 2, connected: 1, users: 1, granted: 1)
    #expect(Planner().plan(from: team, to: [.absent("a1"), .absent("a0")]) == .impossible(.lastAdmin([.absent("a1"), .absent("a0")])))
    // Access, or a user connected, needs a connected admin, which the other goals rule out.
    #expect(
        Planner().plan(from: team, to: [.notConnected("a0"), .hasAccess("u0"), .absent("a1")])
            == .impossible(.noAdminConnected(.hasAccess("u0"), involved: [.notConnected("a0"), .hasAccess("u0"), .absent("a1")])))
    #expect(
        Planner().plan(from: team, to: [.hasAccess("a0"), .notConnected("a1"), .connected("u0")])
            == .impossible(.noAdminConnected(.hasAccess("a0"), involved: [.hasAccess("a0"), .notConnected("a1")])))
}

/// An instance with `admins` admins a0..., the first `connected` of them connected in
/// order, and `users` users u0..., the first `granted` of them granted access.
func instance(admins: Int, connected: Int = 0, users: Int = 0, granted: Int = 0) throws -> Instance {
    var state = Instance()
    try state.perform(.declare(.admin, (0..<admins).map { "a\($0)" }))
    if users > 0 { try state.perform(.declare(.user, (0..<users).map { "u\($0)" })) }
    for i in 0..<connected { try state.perform(.connect(actor: "a\(i)")) }
    if granted > 0 { try state.perform(.grant(actor: "a0", targets: (0..<granted).map { "u\($0)" })) }
    return state
}

@Test func boundsAreReportedNotTakenForImpossible() throws {
    let start = try instance(admins: 2, connected: 1, users: 3, granted: 3)
    let goal: [Goal] = [.owner(nil)]
    #expect(Planner(bounds: .init(states: 2)).plan(from: start, to: goal) == .unfinished(.states(2)))
    #expect(Planner(bounds: .init(depth: 2)).plan(from: start, to: goal) == .unfinished(.depth(2)))
    #expect(Planner(bounds: .init(memory: 1)).plan(from: start, to: goal) == .unfinished(.memory(bytes: 1)))
    #expect(plannedActions(Planner().plan(from: start, to: goal))?.count == 4)
    #expect(plannedActions(Planner(bounds: .init(depth: 4)).plan(from: start, to: goal))?.count == 4)
    // Time and the host's stop are looked at every 1,024 expansions: 2,000 revokes take more.
    let large = try instance(admins: 1, connected: 1, users: 2_000, granted: 2_000)
    #expect(Planner(bounds: .init(timeout: .zero)).plan(from: large, to: goal) == .unfinished(.timeout(seconds: 0)))
    var polls = 0
    let stopped = Planner().plan(from: large, to: goal) {
        polls += 1
        return true
    }
    #expect(stopped == .unfinished(.cancelled))
    #expect(polls == 1)
    // The same search with no bound in the way finishes.
    #expect(plannedActions(Planner().plan(from: large, to: goal))?.count == 2_001)
}

// MARK: - At the size of a real instance

/// Runs `plan` from `start`, checking each step with the core's rules, and returns the
/// final state.
func run(_ plan: [Action], from start: Instance) throws -> Instance {
    var state = start
    for action in plan { try state.perform(action) }
    return state
}

@Test func fifteenGrantsAreFifteenActionsAtOnce() throws {
    var start = Instance()
    try start.perform(.declare(.admin, ["boss"]))
    try start.perform(.declare(.user, (0..<15).map { "u\($0)" }))
    try start.perform(.connect(actor: "boss"))
    let goals = (0..<15).map { Goal.hasAccess("u\($0)") }
    let clock = ContinuousClock()
    var result: Planner.Result?
    let elapsed = clock.measure { result = Planner().plan(from: start, to: goals) }
    let plan = try #require(result.flatMap(plannedActions))
    #expect(plan.count == 15)
    #expect(plan.first == .grant(actor: "boss", targets: ["u0"]))
    #expect(goals.allSatisfy { $0.holds(in: try! run(plan, from: start)) })
    #expect(elapsed < .milliseconds(250), "\(elapsed)")
    // The goals do not interact: the heuristic is exact and the search walks straight.
    if case .plan(_, let explored) = result { #expect(explored <= plan.count + 2) }
}

@Test func twoHundredConnectedAdminsDisconnectOneByOne() throws {
    let start = try instance(admins: 200, connected: 200)
    let clock = ContinuousClock()
    var result: Planner.Result?
    let elapsed = clock.measure { result = Planner().plan(from: start, to: [.owner(nil)]) }
    let plan = try #require(result.flatMap(plannedActions))
    #expect(plan.count == 200)
    #expect(plan.first == .disconnect(actor: "a199"))
    #expect(try run(plan, from: start).owner == nil)
    if case .plan(_, let explored) = result { #expect(explored <= plan.count + 2) }
    #expect(elapsed < .milliseconds(250), "\(elapsed)")
}

/// Goals on different members that do not interact decompose: the heuristic adds their
/// costs exactly, so the search expands one state per step and holds besides only the
/// few alternatives of each step.
@Test func goalsThatDoNotInteractAreReachedWithoutDetours() throws {
    var start = try instance(admins: 6, connected: 5, users: 30)
    try start.perform(.grant(actor: "a0", targets: (20..<25).map { "u\($0)" }))
    let goals: [Goal] =
        (0..<10).map { .hasAccess("u\($0)") } + (20..<25).map { .notConnected("u\($0)") }
        + [.absent("a3"), .absent("u25"), .connected("a5")]
    guard case .plan(let plan, let explored) = Planner().plan(from: start, to: goals) else {
        Issue.record("expected a plan")
        return
    }
    #expect(plan.count == 10 + 5 + 2 + 1 + 1)
    #expect(explored <= 8 * plan.count, "\(explored) states")
    #expect(goals.allSatisfy { $0.holds(in: try! run(plan, from: start)) })
}

@Test func anOwnerInTheMiddleOfTheConnectionsReconnects() throws {
    let start = try instance(admins: 102, connected: 100)
    let plan = try #require(plannedActions(Planner().plan(from: start, to: [.owner("a77")])))
    #expect(plan == [.disconnect(actor: "a77"), .connect(actor: "a77")])
    #expect(Planner.lowerBound(from: start, to: [.owner("a77")])! <= 2)
    // Near the end, the admins after it disconnect instead.
    let late = try #require(plannedActions(Planner().plan(from: start, to: [.owner("a98")])))
    #expect(late == [.disconnect(actor: "a99")])
    #expect(Planner.lowerBound(from: start, to: [.owner("a98")])! <= 1)
}

@Test func handingOverWhileTheOnlyConnectionHoldsManyGrants() throws {
    // adminA is the only connection and 500 users hold access: another admin connects
    // first rather than 500 revokes.
    var start = try instance(admins: 3, connected: 1, users: 500, granted: 500)
    try start.perform(.grant(actor: "a0", targets: ["a2"]))
    let plan = try #require(plannedActions(Planner().plan(from: start, to: [.absent("a0")])))
    #expect(plan == [.connect(actor: "a1"), .disconnect(actor: "a0"), .remove(actor: "a1", targets: ["a0"])])
    #expect(Planner.lowerBound(from: start, to: [.absent("a0")])! <= 3)
    // Asked to stop being connected as well, a2 is revoked by the new owner.
    let both = try #require(plannedActions(Planner().plan(from: start, to: [.absent("a0"), .notConnected("a2")])))
    #expect(both.count == 4)
    let end = try run(both, from: start)
    #expect(!end.isMember("a0") && !end.isConnected("a2") && end.grantCount == 500)
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
            // A disconnect performed anyway reaches the states where members are stranded.
            let anyway = admins.map { Action.disconnect(actor: $0) }
            for (i, action) in (actions + anyway).enumerated() {
                var copy = state
                if (try? copy.performQuietly(action, acceptingHazards: i >= actions.count)) != nil, seen.insert(copy).inserted {
                    next.append(copy)
                    states.append(copy)
                }
            }
        }
        frontier = next
    }
    var goals: [Goal] = [.owner(nil)]
    for m in everyone {
        goals += [.connected(m), .notConnected(m), .hasAccess(m), .absent(m), .stranded(m)]
        if m.hasPrefix("a") { goals.append(.owner(m)) }
    }
    return (states, goals)
}

/// The planner finds a plan exactly when the plain breadth-first search does, of the
/// same length; its plan runs clean and reaches the goals; and its heuristic never
/// estimates more than the shortest plan (and finds a state hopeless only when it is).
func compareWithTheFullSearch(_ state: Instance, _ goals: [Goal]) throws {
    let full = Planner.breadthFirst(from: state, to: goals)
    #expect(full.finished)
    let planned = Planner().plan(from: state, to: goals)
    let context = "\(goals) from \(state.connections), grants \(state.grantHolders), members \(state.members.map(\.name))"
    #expect(full.plan?.count == plannedActions(planned)?.count, "\(context)")
    if full.plan == nil, case .unfinished = planned { Issue.record("a bound, not impossible: \(context)") }
    if let plan = plannedActions(planned) {
        #expect(goals.allSatisfy { $0.holds(in: try! run(plan, from: state)) })
    }
    let estimate = Planner.lowerBound(from: state, to: goals)
    if let shortest = full.plan?.count {
        #expect(estimate != nil && estimate! <= shortest, "estimate \(estimate ?? -1) > \(shortest): \(context)")
    }
}

/// The planner is sound, on a deterministic sample for the everyday suite: every single
/// goal from every state reachable within two actions (25 states, 29 goals), and every
/// fourth pair of goals from the starting state.
@Test func reductionMatchesTheFullSearchOnASample() throws {
    let (states, goals) = try smallWorld(depth: 2)
    for state in states { for goal in goals { try compareWithTheFullSearch(state, [goal]) } }
    var pairs: [[Goal]] = []
    for (i, a) in goals.enumerated() { for b in goals[(i + 1)...] { pairs.append([a, b]) } }
    for pair in pairs.enumerated() where pair.offset % 4 == 0 { try compareWithTheFullSearch(states[0], pair.element) }
}

/// The planner is sound from stranded members too: after a hazard performed anyway (u1
/// and a2 stranded, nobody connected), every goal and every third pair of goals.
@Test func reductionMatchesTheFullSearchAfterAnIncident() throws {
    let (_, goals) = try smallWorld(depth: 0)
    var state = Instance()
    try state.perform(.declare(.admin, ["a1", "a2", "a3"]))
    try state.perform(.declare(.user, ["u1", "u2", "u3"]))
    try state.perform(.connect(actor: "a1"))
    try state.perform(.grant(actor: "a1", targets: ["u1", "a2"]))
    try state.perform(.disconnect(actor: "a1"), acceptingHazards: true)
    #expect(state.strandedMembers == ["a2", "u1"])
    var pairs = 0
    for (i, a) in goals.enumerated() {
        try compareWithTheFullSearch(state, [a])
        for b in goals[(i + 1)...] {
            pairs += 1
            if pairs % 3 == 0 { try compareWithTheFullSearch(state, [a, b]) }
        }
    }
}

/// The planner is sound, exhaustively at that size: every goal and every pair of goals
/// from every state reachable within three actions (34,510 combinations), with the
/// heuristic checked against the shortest plan of each. It takes minutes in a debug build,
/// so it runs when RUNBOOK_EXHAUSTIVE=1; CI runs it in release.
@Test(.enabled(if: ProcessInfo.processInfo.environment["RUNBOOK_EXHAUSTIVE"] == "1"))
func reductionMatchesTheFullSearchExhaustively() throws {
    let (states, goals) = try smallWorld(depth: 3)
    var combinations = goals.map { [$0] }
    for (i, a) in goals.enumerated() { for b in goals[(i + 1)...] { combinations.append([a, b]) } }
    for state in states { for combination in combinations { try compareWithTheFullSearch(state, combination) } }
    print("compared the planner with the full search for \(states.count * combinations.count) goal combinations")
}

/// What the planner finds impossible before searching, the full search finds impossible
/// too: every combination of up to three goals over two admins and two users, from every
/// state they reach, where goals that leave no admin, or no admin connected, are common
/// (every tenth of them, or all with RUNBOOK_EXHAUSTIVE=1).
@Test func impossibilitiesFoundBeforeSearchingAgreeWithTheFullSearch() throws {
    let exhaustive = ProcessInfo.processInfo.environment["RUNBOOK_EXHAUSTIVE"] == "1"
    var start = Instance()
    try start.perform(.declare(.admin, ["a1", "a2"]))
    try start.perform(.declare(.user, ["u1", "u2"]))
    var states = [start]
    var seen: Set<Instance> = [start]
    var frontier = [start]
    while !frontier.isEmpty {
        var next: [Instance] = []
        for state in frontier {
            let everyone = state.members.map(\.name)
            var actions: [Action] = everyone.flatMap { [Action.connect(actor: $0), .disconnect(actor: $0)] }
            for actor in everyone {
                for t in everyone {
                    actions += [
                        .grant(actor: actor, targets: [t]), .revoke(actor: actor, targets: [t]), .remove(actor: actor, targets: [t]),
                    ]
                }
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
    var goals: [Goal] = [.owner(nil), .owner("a1"), .owner("a2")]
    for m in ["a1", "a2", "u1", "u2"] { goals += [.connected(m), .notConnected(m), .hasAccess(m), .absent(m)] }
    var found = 0
    for state in states {
        for (i, a) in goals.enumerated() {
            for (j, b) in goals.enumerated() where j >= i {
                for c in goals[j...] {
                    let combination = [a, b, c].reduce(into: [Goal]()) { if !$0.contains($1) { $0.append($1) } }
                    guard case .impossible(let why) = Planner().plan(from: state, to: combination) else { continue }
                    switch why {
                    case .lastAdmin, .noAdminConnected, .noAdmin: break
                    case .contradiction(_, _, .accessIsConnected): break
                    default: continue
                    }
                    found += 1
                    // Every tenth for the everyday suite; all with RUNBOOK_EXHAUSTIVE=1.
                    guard found % 10 == 0 || exhaustive else { continue }
                    let full = Planner.breadthFirst(from: state, to: combination)
                    #expect(full.finished && full.plan == nil, "\(why) from \(state.members.map(\.name)), \(state.connections)")
                }
            }
        }
    }
    print("the full search agrees on \(found) impossibilities found before searching")
    #expect(found > 1_000)
}
