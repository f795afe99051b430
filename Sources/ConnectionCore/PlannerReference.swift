extension Planner {
    /// What the reference search found: the plan, or `nil` when none exists (`finished`)
    /// or when it reached its bound of states first.
    package struct Reference {
        package var plan: [Action]?
        package var finished: Bool
    }

    /// The plain search the tests hold the planner against: breadth first over the
    /// instance itself, every single-target action of every member from every state, no
    /// heuristic, no symmetry, no pruning. Which admin acts does not change what an action
    /// does, only whether the rules accept it, so each action is tried with one actor
    /// who qualifies: the owner, or for a removal the first admin other than the target.
    /// States are told apart by `key` (the instance itself unless a test says otherwise).
    package static func breadthFirst<Key: Hashable>(
        from start: Instance, to goals: [Goal], maxStates: Int = 5_000_000, key: (Instance) -> Key
    ) -> Reference {
        let members = start.members.map { start.memberID($0.name)! }
        let admins = start.members.filter { $0.role == .admin }.map { start.memberID($0.name)! }
        typealias Step = (verb: Verb, actor: MemberID, target: MemberID?)
        var states = [start]
        var parents = [-1]
        var steps: [Step?] = [nil]
        var seen: Set<Key> = [key(start)]
        var next = 0
        while next < states.count {
            let id = next
            next += 1
            let state = states[id]
            if goals.allSatisfy({ $0.holds(in: state) }) {
                var plan: [Action] = []
                var cursor = id
                while let (verb, actor, target) = steps[cursor] {
                    let a = start.name(of: actor)
                    let t = target.map { [start.name(of: $0)] } ?? []
                    switch verb {
                    case .connect: plan.append(.connect(actor: a))
                    case .disconnect: plan.append(.disconnect(actor: a))
                    case .grant: plan.append(.grant(actor: a, targets: t))
                    case .revoke: plan.append(.revoke(actor: a, targets: t))
                    case .remove: plan.append(.remove(actor: a, targets: t))
                    }
                    cursor = parents[cursor]
                }
                return Reference(plan: plan.reversed(), finished: true)
            }
            for member in members where state.isMember(member) {
                var candidates: [Step] = [(.connect, member, nil), (.disconnect, member, nil)]
                if let owner = state.ownerID { candidates += [(.grant, owner, member), (.revoke, owner, member)] }
                if let remover = state.ownerID ?? admins.first(where: { $0 != member && state.isMember($0) }) {
                    candidates.append((.remove, remover, member))
                }
                for step in candidates {
                    var after = state
                    var events: [Event] = []
                    let targets = step.target.map { [$0] } ?? []
                    let refusal = targets.withUnsafeBufferPointer {
                        after.perform(step.verb, actor: step.actor, targets: $0, events: &events, recording: false)
                    }
                    guard refusal == nil, seen.insert(key(after)).inserted else { continue }
                    guard states.count < maxStates else { return Reference(plan: nil, finished: false) }
                    states.append(after)
                    parents.append(id)
                    steps.append(step)
                }
            }
        }
        return Reference(plan: nil, finished: true)
    }

    /// `breadthFirst` telling states apart by the instance itself: the status of each of
    /// `start`'s members (stranded among them) and the order of the connections, all the
    /// instance holds.
    package static func breadthFirst(from start: Instance, to goals: [Goal], maxStates: Int = 5_000_000) -> Reference {
        let names = start.members.map(\.name)
        let ids = names.map { start.memberID($0)! }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, UInt8($0)) })
        return breadthFirst(from: start, to: goals, maxStates: maxStates) { state -> [UInt8] in
            var key = ids.map { id -> UInt8 in
                !state.isMember(id) ? 0 : state.hasAccess(id) ? 2 : state.isConnected(id) ? 3 : state.isStranded(id) ? 4 : 1
            }
            for name in state.connections { key.append(index[name]!) }
            return key
        }
    }
}
