import ConnectionCore
import Foundation
import RunbookFiles
import RunbookLanguage
import RunbookTestSupport
import Testing

@testable import RunbookCommandLine
@testable import RunbookREPL

// MARK: - Words

@Test(arguments: [
    (Planner.Result.unfinished(.timeout(seconds: 10)), "no plan found within 10 s; the search was not finished"),
    (.unfinished(.timeout(seconds: 0.5)), "no plan found within 0.5 s; the search was not finished"),
    (.unfinished(.memory(bytes: 1 << 30)), "no plan found within 1,024 MiB of memory; the search was not finished"),
    (.unfinished(.states(200_000)), "no plan found within 200,000 states; the search was not finished"),
    (.unfinished(.depth(2)), "no plan found: no plan of at most 2 actions reaches the goals"),
    (.unfinished(.cancelled), "no plan found: the search was stopped before it finished"),
    (
        .impossible(.unreachable(statesExplored: 1_234)),
        "no plan: no sequence of actions reaches the goals from this state (1,234 states explored)"
    ),
    (
        .impossible(.contradiction(.owner("anna"), .owner(nil), .ownerOfNothing)),
        "no plan: 'owner anna' and 'owner none' contradict each other: anna would own an integration that is not live"
    ),
    (
        .impossible(.notAMember(.hasAccess("Anna Berg"), name: "Anna Berg")),
        "no plan: '\"Anna Berg\" has access' cannot hold: Anna Berg is not a member, "
            + "and a plan does not declare members [unknown-member]"
    ),
])
func resultsWithoutAPlanSayWhy(result: Planner.Result, says: String) {
    let report = Goals.describe(result, goals: [.owner(nil)], from: "s.json", members: [])
    #expect(report.runbook == nil && report.statements.isEmpty)
    #expect(report.problem == says)
    if case .unfinished = result {
        #expect(!says.contains("impossible") && !says.hasPrefix("no plan:"))
    }
}

/// The language names no flag: it returns the bound the search reached, and the command
/// line and the REPL each say how to raise it in their own options.
@Test func anUnfinishedSearchReturnsItsBoundAndEachClientWordsItsHint() {
    for bound in [Planner.Bound.timeout(seconds: 1), .memory(bytes: 1 << 20), .states(9), .depth(2), .cancelled] {
        let report = Goals.describe(.unfinished(bound), goals: [.owner(nil)], from: "s", members: [])
        #expect(report.bound == bound && report.hints.isEmpty)
        #expect(ReplWords.raise(bound).map { !$0.contains("--") } ?? true)
    }
    #expect(PlanWords.raise(.timeout(seconds: 1)) == "allow more time with --timeout SECONDS")
    #expect(PlanWords.raise(.cancelled) == nil && ReplWords.raise(.cancelled) == nil)
}

/// Goals no admin is left to reach, found before searching, say why.
private let withoutAdmins: [(Planner.Result, String)] = [
    (
        Planner.Result.impossible(.unreachable(statesExplored: 0)),
        "no plan: no sequence of actions reaches the goals from this state"
    ),
    (
        .impossible(.lastAdmin([.absent("adminA")])),
        "no plan: 'adminA absent' cannot hold: adminA is the only admin, and an admin cannot remove themselves [remove-self]"
    ),
    (
        .impossible(.lastAdmin(["a", "b", "c", "d", "e", "f"].map(Goal.absent))),
        "no plan: 'a absent', 'b absent', 'c absent', 'd absent' and 2 more goals cannot hold together: "
            + "they remove every admin, and the last one cannot remove themselves [remove-self]"
    ),
    (
        .impossible(.noAdminConnected(.connected("bob"), involved: [.connected("bob"), .absent("adminA")])),
        "no plan: 'bob connected' and 'adminA absent' cannot hold together: the integration is live only while an "
            + "admin is connected, and these goals leave no admin connected"
    ),
    (
        .impossible(.noAdminConnected(.hasAccess("adminA"), involved: [.hasAccess("adminA")])),
        "no plan: 'adminA has access' cannot hold: the integration is live only while an admin is connected, "
            + "and it leaves no admin connected"
    ),
    (
        .impossible(.noAdmin(.absent("bob"))),
        "no plan: 'bob absent' cannot hold: the instance has no admin, and every action needs one"
    ),
]

@Test(arguments: withoutAdmins)
func goalsNoAdminCanReachSayWhy(result: Planner.Result, says: String) {
    resultsWithoutAPlanSayWhy(result: result, says: says)
}

@Test func longPlansPrintCompactlyAndCountEveryAction() {
    let grants = (0..<2_000).map { Action.grant(actor: "boss", targets: ["u\($0)"]) }
    let actions =
        [Action.connect(actor: "boss")] + grants + [.remove(actor: "boss", targets: ["x"]), .remove(actor: "boss", targets: ["y"])]
    let report = Goals.describe(.plan(actions, statesExplored: 9), goals: [.hasAccess("u0"), .absent("x")], from: "big.json", members: [])
    let lines = report.runbook!.split(separator: "\n")
    #expect(lines[0] == "# plan from big.json to: u0 has access, x absent")
    #expect(lines[1] == "# 2,003 actions in 3 statements, the fewest that reach the goals without a violation")
    #expect(lines[2] == "as boss connect")
    #expect(lines[3].hasPrefix("as boss grant u0, u1, u2, ") && lines[3].hasSuffix(", u1999"))
    #expect(lines[4] == "as boss remove x, y")
    #expect(lines[5...] == ["expect u0 has access", "expect x absent"])
    #expect(report.statements.count == 3)
    let single = Goals.describe(.plan([.connect(actor: "boss")], statesExplored: 2), goals: [.owner("boss")], from: "s", members: [])
    #expect(single.runbook!.contains("# 1 action, the fewest"))
}

/// Consecutive grants, revokes or removes by the same actor are merged, and only those.
@Test func compactingMergesOnlyTheSameVerbByTheSameActor() {
    let actions: [Action] = [
        .revoke(actor: "a", targets: ["u1"]), .revoke(actor: "a", targets: ["u2"]), .revoke(actor: "b", targets: ["u3"]),
        .connect(actor: "c"), .connect(actor: "d"), .grant(actor: "d", targets: ["u1"]), .remove(actor: "d", targets: ["u4"]),
        .grant(actor: "d", targets: ["u2"]),
    ]
    #expect(
        Goals.compact(actions) == [
            .revoke(actor: "a", targets: ["u1", "u2"]), .revoke(actor: "b", targets: ["u3"]), .connect(actor: "c"),
            .connect(actor: "d"), .grant(actor: "d", targets: ["u1"]), .remove(actor: "d", targets: ["u4"]),
            .grant(actor: "d", targets: ["u2"]),
        ])
}

// MARK: - Plans that run

/// A random mid-size instance: up to 40 members, a third of them admins, after a random
/// walk of accepted single-target actions; and up to 6 goals, most about a few members so
/// that some goals share their members' kind.
struct RandomCase {
    var state: Instance
    var goals: [Goal]

    init(_ rng: inout SplitMix) throws {
        let size = Int.random(in: 3...40, using: &rng)
        let admins = max(1, size / 3)
        var state = Instance()
        try state.perform(.declare(.admin, (0..<admins).map { "a\($0)" }))
        if size > admins { try state.perform(.declare(.user, (0..<size - admins).map { "u\($0)" })) }
        let names = state.members.map(\.name)
        let adminNames = names.filter { $0.hasPrefix("a") }
        for _ in 0..<Int.random(in: 0...24, using: &rng) {
            let m = names.randomElement(using: &rng)!
            let owner = state.owner ?? adminNames.randomElement(using: &rng)!
            let action: Action =
                switch Int.random(in: 0..<10, using: &rng) {
                case 0..<2: .connect(actor: adminNames.randomElement(using: &rng)!)
                case 2: .disconnect(actor: state.connections.randomElement(using: &rng) ?? owner)
                case 3..<7: .grant(actor: owner, targets: [m])
                case 7..<9: .revoke(actor: owner, targets: [m])
                default: .remove(actor: owner, targets: [m])
                }
            _ = try? state.perform(action)
        }
        let present = state.members.map(\.name)
        let focus = Array(present.shuffled(using: &rng).prefix(4)) + ["zed"]
        var goals: [Goal] = []
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            let m = Int.random(in: 0..<3, using: &rng) == 0 ? present.randomElement(using: &rng)! : focus.randomElement(using: &rng)!
            let admin = present.filter { state.role(of: $0) == .admin }.randomElement(using: &rng)
            switch Int.random(in: 0..<12, using: &rng) {
            case 0: goals.append(.owner(admin))
            case 1: goals.append(.owner(nil))
            case 2..<4: goals.append(.connected(m))
            case 4..<6: goals.append(.notConnected(m))
            case 6..<9: goals.append(.hasAccess(m))
            default: goals.append(.absent(m))
            }
        }
        self.state = state
        self.goals = goals
    }

    /// The plain search's key up to symmetry: members the goals do not name, counted by
    /// role and status, the named ones one by one; the connection order with unnamed
    /// admins alike. Swapping two unnamed members of one role maps states to states the
    /// rules and the goals treat alike, so states with one key are equally far from the
    /// goals.
    var symmetricKey: (Instance) -> [Int] {
        let named = Set(goals.compactMap(\.member))
        let ids = state.members.map { (id: state.memberID($0.name)!, admin: $0.role == .admin, named: named.contains($0.name)) }
        let position = Dictionary(uniqueKeysWithValues: ids.filter(\.named).enumerated().map { (state.name(of: $1.id), $0) })
        return { instance in
            var key = [Int](repeating: 0, count: 8)
            for (id, admin, named) in ids {
                let status =
                    !instance.isMember(id) ? 0 : instance.hasAccess(id) ? 2 : instance.isConnected(id) ? 3 : 1
                if named { key.append(status) } else { key[(admin ? 4 : 0) + status] += 1 }
            }
            for name in instance.connections { key.append(100 + (position[name] ?? -1)) }
            return key
        }
    }
}

/// The planner's plan is as long as the plain breadth-first search's, on random mid-size
/// instances, and the runbook it prints runs from the instance without a violation, its
/// closing expectations holding. Goals that contradict each other are drawn again above
/// eight members, where the plain search would have to visit every state to agree. With
/// RUNBOOK_EXHAUSTIVE=1, 1,000 cases and a larger bound for the plain search.
@Test func plansOfRandomInstancesAreShortestAndRun() throws {
    let exhaustive = ProcessInfo.processInfo.environment["RUNBOOK_EXHAUSTIVE"] == "1"
    let cases = exhaustive ? 1_000 : 40
    var rng = SplitMix(state: 15)
    var compared = 0
    var plans = 0
    for n in 0..<cases {
        var c = try RandomCase(&rng)
        var result = Planner().plan(from: c.state, to: c.goals)
        while c.state.memberCount > 8, case .impossible(let why) = result, why.rule != nil || isContradiction(why) {
            c = try RandomCase(&rng)
            result = Planner().plan(from: c.state, to: c.goals)
        }
        let context = "case \(n): \(c.goals.map { Words.goal($0) }) from \(StateStore.encode(c.state, pretty: false))"
        let full = Planner.breadthFirst(from: c.state, to: c.goals, maxStates: exhaustive ? 300_000 : 4_000, key: c.symmetricKey)
        if full.finished {
            compared += 1
            switch result {
            case .plan(let actions, _):
                #expect(actions.count == full.plan?.count, "\(context)")
                let estimate = Planner.lowerBound(from: c.state, to: c.goals) ?? .max
                #expect(estimate <= actions.count, "the heuristic says \(estimate): \(context)")
            case .impossible: #expect(full.plan == nil, "\(context)")
            case .unfinished(let bound): Issue.record("\(bound): \(context)")
            }
        }
        guard case .plan(let actions, _) = result else { continue }
        plans += 1
        let report = Goals.describe(result, goals: c.goals, from: "random", members: [])
        var session = Session(instance: c.state)
        let run = session.evaluate(report.runbook!, name: "plan.runbook")
        #expect(run.status == .completed, "\(context): \(run.diagnostics.map(\.message))")
        #expect(run.expectationsHeld == c.goals.count, "\(context)")
        #expect(run.statementsRun == report.statements.count + c.goals.count, "\(context)")
        #expect(report.statements.count <= actions.count)
    }
    print("compared \(compared) of \(cases) random cases with the plain search; \(plans) had a plan")
    #expect(compared >= cases * 3 / 4, "\(compared) of \(cases) compared")
    #expect(plans >= cases / 2, "\(plans) of \(cases) have a plan")
}

/// Whether the planner found the goals impossible before searching.
private func isContradiction(_ why: Planner.Impossibility) -> Bool {
    switch why {
    case .contradiction, .lastAdmin, .noAdminConnected, .noAdmin: true
    default: false
    }
}

/// `runbook plan` prints a runbook that `runbook run --state` runs to its goals.
@Test func printedPlansRunThroughTheBinary() throws {
    let dir = try Scratch()
    var rng = SplitMix(state: 1_515)
    var ran = 0
    while ran < 4 {
        let c = try RandomCase(&rng)
        guard case .plan(let actions, _) = Planner().plan(from: c.state, to: c.goals), actions.count > 1 else { continue }
        try StateStore.save(c.state, to: dir.url.appendingPathComponent("s.json").path)
        let plan = try Binary.run(["plan", "--state", "s.json"] + c.goals.map { Words.goal($0) }, in: dir.url)
        #expect(plan.status == 0, "\(plan.stderr)")
        try dir.write("p.runbook", plan.stdout)
        let run = try Binary.run(["run", "--quiet", "--state", "s.json", "p.runbook"], in: dir.url)
        #expect(run.status == 0, "\(plan.stdout)\n\(run.stderr)")
        ran += 1
    }
}

/// Whatever `plan` prints, `run` accepts: plans for names that need quoting, escaping,
/// or are keywords, run back to their goals.
@Test func plansForHostileNamesRunBack() throws {
    let dir = try Scratch()
    let names = [
        "O'Brien", #"say "hi""#, #"back\slash"#, "user", "none", "#hash", "semi;colon", "{brace}", "x y", "Åsa",
        "山田", "emoji 🚀", "a,b", "-dash", "1st",
    ]
    let members = (["boss"] + names).enumerated().map { index, name in
        #"{"name":\#(json(name)),"role":"\#(index == 0 ? "admin" : "user")"}"#
    }
    try dir.write(
        "s.json",
        #"{"format":"runbook-state","version":1,"members":[\#(members.joined(separator: ","))],"connections":["boss"],"grants":[]}"#)
    let goals = names.map { "\(quoted($0)) has access" }
    let plan = try Binary.run(["plan", "--state", "s.json"] + goals, in: dir.url)
    #expect(plan.status == 0, "\(plan.stderr)")
    try dir.write("plan.runbook", plan.stdout)
    let run = try Binary.run(["run", "--quiet", "--state", "s.json", "--commit", "plan.runbook"], in: dir.url)
    #expect(run.status == 0, "\(plan.stdout)\n\(run.stderr)")
    let saved = try #require(dir.read("s.json"))
    for name in names { #expect(saved.contains(json(name)), "\(name)") }
}

/// `name` as a JSON string.
private func json(_ name: String) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: name, options: .fragmentsAllowed), as: UTF8.self)
}

/// `name` quoted as a runbook writes it.
private func quoted(_ name: String) -> String {
    "\"" + name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
}

/// A bound larger than the search can count to is a usage error, not a bound that wraps
/// around to a negative number; the largest one it can count to is a bound.
@Test func planBoundsThatWouldWrapAreUsageErrors() throws {
    let dir = try Scratch()
    try dir.write(
        "s.json", #"{"format":"runbook-state","version":1,"members":[{"name":"a","role":"admin"}],"connections":[],"grants":[]}"#)
    let tooLarge = try Binary.run(["plan", "--state", "s.json", "owner a", "--max-memory", "8796093022208"], in: dir.url)
    #expect(tooLarge.status == 64)
    #expect(tooLarge.stderr.hasPrefix("Error: --max-memory is at most 8,796,093,022,207 MiB\n"), "\(tooLarge.stderr)")
    let largest = try Binary.run(["plan", "--state", "s.json", "owner a", "--max-memory", "8796093022207"], in: dir.url)
    #expect(largest.status == 0, "\(largest.stderr)")
    #expect(largest.stdout.contains("as a connect"))
}
