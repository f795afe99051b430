import ConnectionCore
import Testing

let admins = ["a1", "a2", "a3"]
let users = ["u1", "u2"]

/// Every action over the five members: all actors, single targets and ordered pairs.
let allActions: [Action] = {
    let everyone = admins + users
    var actions: [Action] = []
    let targetLists = everyone.map { [$0] } + everyone.flatMap { x in everyone.map { [x, $0] } }
    for actor in everyone + ["ghost"] {
        actions.append(.connect(actor: actor))
        actions.append(.disconnect(actor: actor))
        for targets in targetLists + [["ghost"]] {
            actions.append(.grant(actor: actor, targets: targets))
            actions.append(.revoke(actor: actor, targets: targets))
            actions.append(.remove(actor: actor, targets: targets))
        }
    }
    actions.append(.declare(.user, ["u1"]))
    return actions
}()

/// The spec's invariants, checked through the public queries only.
func invariantsHold(_ s: Instance) -> Bool {
    let everyone = admins + users
    if let owner = s.owner, !s.isAdminConnection(owner) { return false }
    if s.owner != s.connections.last { return false }
    for c in s.connections where s.role(of: c) != .admin { return false }
    for g in s.grantHolders where !s.isMember(g) || s.isAdminConnection(g) { return false }
    if !s.grantHolders.isEmpty && !s.isLive { return false }
    for m in everyone where s.isConnected(m) != (s.isAdminConnection(m) || (s.hasAccess(m) && s.isLive)) {
        return false
    }
    return s.grantCount == s.grantHolders.count
}

@Test func exhaustiveExplorationToDepthSix() throws {
    var start = Instance()
    try start.perform(.declare(.admin, admins))
    try start.perform(.declare(.user, users))
    var seen: Set<Instance> = [start]
    var frontier = [start]
    var transitions = 0
    var refusals = 0
    for _ in 1...6 {
        var next: [Instance] = []
        for state in frontier {
            for action in allActions {
                var copy = state
                do throws(RuleViolation) {
                    try copy.perform(action)
                    transitions += 1
                    #expect(invariantsHold(copy), "\(action) from \(state.connections)")
                    if seen.insert(copy).inserted { next.append(copy) }
                } catch {
                    refusals += 1
                    #expect(copy == state, "refused \(action) changed the state")
                    #expect(state.check(action) == error)
                }
            }
        }
        frontier = next
    }
    print("explored \(seen.count) states to depth 6: \(transitions) actions performed, \(refusals) refused")
    #expect(seen.count > 100)
}

/// The verbs each rule declares it can refuse (`Rule.verbs`) are exactly those the core
/// refuses with it, over every state reachable in four steps, hazards performed anyway
/// included; a rule that declares no verb refuses declarations only.
@Test func everyRuleRefusesExactlyTheVerbsItDeclares() throws {
    struct Refusal: Hashable, CustomStringConvertible {
        let rule: RuleID
        let verb: Verb?
        var description: String { "\(rule.rawValue) \(verb.map { "\($0)" } ?? "declare")" }
    }
    var start = Instance()
    try start.perform(.declare(.admin, admins))
    try start.perform(.declare(.user, users))
    var seen: Set<Instance> = [start]
    var frontier = [start]
    var refused: Set<Refusal> = []
    for _ in 1...4 {
        var next: [Instance] = []
        for state in frontier {
            for action in allActions {
                for acceptingHazards in [false, true] {
                    var copy = state
                    do throws(RuleViolation) {
                        try copy.perform(action, acceptingHazards: acceptingHazards)
                        if seen.insert(copy).inserted { next.append(copy) }
                    } catch {
                        refused.insert(Refusal(rule: error.rule, verb: action.verb))
                    }
                }
            }
        }
        frontier = next
    }
    let declared = Set(
        Rule.catalogue.flatMap { rule in
            rule.refusesDeclarations ? [Refusal(rule: rule.id, verb: nil)] : rule.verbs.map { Refusal(rule: rule.id, verb: $0) }
        })
    #expect(refused.subtracting(declared).isEmpty, "refused but not declared: \(refused.subtracting(declared))")
    #expect(declared.subtracting(refused).isEmpty, "declared but never refused: \(declared.subtracting(refused))")
}
