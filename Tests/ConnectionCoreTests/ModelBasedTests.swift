import ConnectionCore
import RunbookTestSupport
import Testing

/// A deliberately simple reference model of SPEC §1: plain dictionaries, arrays and sets,
/// no interning, no optimisation; each rule written as the table reads.
struct ReferenceModel: Equatable {
    var roles: [String: Role] = [:]
    var connections: [String] = []
    var grants: Set<String> = []
    var stranded: Set<String> = []

    var owner: String? { connections.last }

    func isConnected(_ name: String) -> Bool {
        connections.contains(name) || (grants.contains(name) && !connections.isEmpty)
    }

    /// The first rule in table order that stops the action: a refusal, or a hazard unless
    /// it is performed `anyway`.
    func refusal(_ action: Action, anyway: Bool = false) -> RuleID? {
        switch action {
        case .declare(_, let names):
            for (i, n) in names.enumerated() where roles[n] != nil || names[..<i].contains(n) { return .duplicateMember }
            return nil
        case .connect(let a):
            guard let role = roles[a] else { return .unknownMember }
            if role != .admin { return .connectRequiresAdmin }
            if grants.contains(a) { return .accessBlocksConnect }
            if connections.contains(a) { return .alreadyConnected }
            return nil
        case .disconnect(let a):
            guard roles[a] != nil else { return .unknownMember }
            if !connections.contains(a) { return .disconnectRequiresConnection }
            if connections == [a] && !grants.isEmpty && !anyway { return .disconnectStrandsUsers }
            return nil
        case .grant(let a, let targets):
            if roles[a] == nil || targets.contains(where: { roles[$0] == nil }) { return .unknownMember }
            if !connections.contains(a) { return .accessRequiresConnection }
            for (i, t) in targets.enumerated() where grants.contains(t) || targets[..<i].contains(t) { return .alreadyHasAccess }
            if targets.contains(where: { connections.contains($0) }) { return .alreadyConnected }
            return nil
        case .revoke(let a, let targets):
            if roles[a] == nil || targets.contains(where: { roles[$0] == nil }) { return .unknownMember }
            if !connections.contains(a) { return .accessRequiresConnection }
            for (i, t) in targets.enumerated() where !grants.contains(t) || targets[..<i].contains(t) { return .noAccessToRevoke }
            return nil
        case .remove(let a, let targets):
            if roles[a] == nil || targets.contains(where: { roles[$0] == nil }) { return .unknownMember }
            if Set(targets).count != targets.count { return .unknownMember }
            if roles[a] != .admin { return .removeRequiresAdmin }
            if targets.contains(a) { return .removeSelf }
            if targets.contains(where: { connections.contains($0) }) { return .removeConnectedAdmin }
            return nil
        }
    }

    mutating func apply(_ action: Action) {
        switch action {
        case .declare(let role, let names): for n in names { roles[n] = role }
        case .connect(let a):
            connections.append(a)
            stranded.remove(a)
        case .disconnect(let a):
            connections.removeAll { $0 == a }
            // SPEC §1: a last connection gone with grants left strands every holder.
            if connections.isEmpty {
                stranded.formUnion(grants)
                grants = []
            }
        case .grant(_, let targets):
            grants.formUnion(targets)
            stranded.subtract(targets)
        case .revoke(_, let targets): grants.subtract(targets)
        case .remove(_, let targets):
            for t in targets {
                roles[t] = nil
                grants.remove(t)
                stranded.remove(t)
            }
        }
    }

    /// SPEC §1's invariants, which hold in every reachable state.
    var invariantsHold: Bool {
        let ownerConnected = owner.map(connections.contains) ?? true
        let connectionsAreAdmins = connections.allSatisfy { roles[$0] == .admin }
        let holdersAreMembers = grants.allSatisfy { roles[$0] != nil && !connections.contains($0) }
        let grantsNeedLive = grants.isEmpty || !connections.isEmpty
        let strandedHoldNothing = stranded.allSatisfy { roles[$0] != nil && !grants.contains($0) && !connections.contains($0) }
        return ownerConnected && connectionsAreAdmins && holdersAreMembers && grantsNeedLive && strandedHoldNothing
    }
}

/// The implementation agrees with the reference model on every step of long random
/// action sequences: the same refusals with the same rule ids, the same states, the same
/// answers to every query.
@Test func coreAgreesWithTheReferenceModel() {
    var rng = SplitMix(state: 0x5EED)
    let pool = ["a1", "a2", "a3", "a4", "u1", "u2", "u3", "u4", "ghost"]
    var steps = 0
    var refused = 0
    var hazards = 0
    for _ in 0..<1_500 {
        var model = ReferenceModel()
        var instance = Instance()
        // Most sequences start from a populated instance, so that actions get past
        // unknown-member and reach the other rules.
        if rng.next() % 5 != 0 {
            for setup: Action in [.declare(.admin, ["a1", "a2", "a3", "a4"]), .declare(.user, ["u1", "u2", "u3", "u4"])] {
                model.apply(setup)
                _ = try? instance.perform(setup)
            }
        }
        for _ in 0..<200 {
            let action = randomAction(&rng, pool, model)
            // Now and then performed `anyway`, which passes a hazard and nothing else.
            let anyway = rng.next() % 6 == 0
            let expected = model.refusal(action, anyway: anyway)
            let actual = instance.check(action, acceptingHazards: anyway)?.rule
            #expect(actual == expected, "\(action) in \(model)")
            if expected == nil {
                if anyway && model.refusal(action) == .disconnectStrandsUsers { hazards += 1 }
                model.apply(action)
                do throws(RuleViolation) { try instance.perform(action, acceptingHazards: anyway) } catch {
                    Issue.record("refused \(action): \(error.rule)")
                }
            } else {
                refused += 1
                let before = instance
                _ = try? instance.perform(action, acceptingHazards: anyway)
                #expect(instance == before)
            }
            #expect(model.invariantsHold, "\(model)")
            #expect(instance.strandedMembers == model.stranded.sorted())
            steps += 1
            #expect(instance.owner == model.owner)
            #expect(instance.connections == model.connections)
            #expect(instance.grantHolders == model.grants.sorted())
            #expect(instance.members.map(\.name) == model.roles.keys.sorted())
            for name in pool {
                #expect(instance.role(of: name) == model.roles[name])
                #expect(instance.isConnected(name) == model.isConnected(name))
                #expect(instance.isStranded(name) == model.stranded.contains(name))
            }
        }
    }
    print("model-based: \(steps) steps, \(refused) refused, \(hazards) hazards performed anyway, all agreeing")
    #expect(steps == 300_000)
    #expect(hazards > 100, "the hazard is performed often enough to be checked")
}

/// A random action, biased towards ones that could succeed: connected actors for User
/// Access, grant holders for revoke.
func randomAction(_ rng: inout SplitMix, _ pool: [String], _ model: ReferenceModel) -> Action {
    func pick(_ names: [String]) -> String { names[Int(rng.next() % UInt64(names.count))] }
    func name() -> String { pick(pool) }
    func names(from candidates: [String]) -> [String] {
        (0..<(1 + Int(rng.next() % 3))).map { _ in candidates.isEmpty || rng.next() % 4 == 0 ? name() : pick(candidates) }
    }
    func connected() -> String { model.connections.isEmpty || rng.next() % 4 == 0 ? name() : pick(model.connections) }
    let holders = model.grants.sorted()
    switch rng.next() % 12 {
    case 0: return .declare(rng.next() % 2 == 0 ? .admin : .user, names(from: []))
    case 1, 2, 3: return .connect(actor: name())
    case 4: return .disconnect(actor: connected())
    case 5, 6, 7, 8: return .grant(actor: connected(), targets: names(from: pool))
    case 9, 10: return .revoke(actor: connected(), targets: names(from: holders))
    default: return .remove(actor: name(), targets: names(from: []))
    }
}
