/// A condition a plan must reach: an expectation of the language, without `expect`.
public enum Goal: Sendable, Hashable, CustomStringConvertible {
    /// The owner is the member, or (`nil`) the integration is not live.
    case owner(String?)
    case connected(String)
    case notConnected(String)
    case hasAccess(String)
    case absent(String)

    /// Whether the goal holds in `instance`.
    public func holds(in instance: Instance) -> Bool {
        switch self {
        case .owner(let name): instance.owner == name
        case .connected(let name): instance.isConnected(name)
        case .notConnected(let name): !instance.isConnected(name)
        case .hasAccess(let name): instance.hasAccess(name)
        case .absent(let name): !instance.isMember(name)
        }
    }

    /// The member the goal is about, if any.
    public var member: String? {
        switch self {
        case .owner(let name): name
        case .connected(let n), .notConnected(let n), .hasAccess(let n), .absent(let n): n
        }
    }

    public var description: String {
        switch self {
        case .owner(let name): "owner \(name ?? "none")"
        case .connected(let n): "\(n) connected"
        case .notConnected(let n): "\(n) not connected"
        case .hasAccess(let n): "\(n) has access"
        case .absent(let n): "\(n) absent"
        }
    }
}

/// Finds the shortest sequence of actions that reaches goals without a violation.
///
/// The search is a uniform-cost search over the core's own actions (each step is one
/// action on one member), so every plan it returns runs clean by construction. It
/// considers only the members that can matter: those named in the goals, the connected
/// admins, two admins free to take over, two admins holding access, and everyone else
/// holding access as one bulk member whose grants can only be revoked or removed all
/// together. Members that hold no access and are not named cannot help any goal.
public struct Planner: Sendable {
    /// Limits that keep the search finite; reaching one is reported, never taken for "impossible".
    public struct Bounds: Sendable, Hashable {
        public var maxStates: Int
        public var maxDepth: Int
        public init(maxStates: Int = 200_000, maxDepth: Int = 40) {
            self.maxStates = maxStates
            self.maxDepth = maxDepth
        }
    }

    /// What the search found.
    public enum Result: Sendable, Hashable {
        /// The actions, in order; empty when the goals already hold.
        case plan([Action], statesExplored: Int)
        /// No plan exists: why, with the rule that blocks it when one does.
        case impossible(reason: String, rule: RuleID?)
        /// The search reached a bound before finding a plan or proving there is none.
        case boundReached(String)
    }

    public var bounds: Bounds
    /// Whether to search only the members that can matter (on by default; off for the
    /// tests that prove the reduction sound).
    public var reduces: Bool

    public init(bounds: Bounds = Bounds(), reduces: Bool = true) {
        self.bounds = bounds
        self.reduces = reduces
    }

    /// The shortest plan from `start` to `goals`.
    public func plan(from start: Instance, to goals: [Goal]) -> Result {
        if goals.allSatisfy({ $0.holds(in: start) }) { return .plan([], statesExplored: 1) }
        if let (reason, rule) = Self.contradiction(in: goals, start: start) {
            return .impossible(reason: reason, rule: rule)
        }
        let reduced = reduces ? Reduction(start, goals: goals) : Reduction(identity: start)
        return search(reduced, goals: goals)
    }

    // MARK: Search

    private struct Node {
        var state: Instance
        var parent: Int
        var action: Action?
        /// Actions from the start, counting each member a bulk step acts on.
        var cost: Int
    }

    private func search(_ reduction: Reduction, goals: [Goal]) -> Result {
        var nodes = [Node(state: reduction.instance, parent: -1, action: nil, cost: 0)]
        var best: [Instance: Int] = [reduction.instance: 0]
        // Costs are small integers: a bucket queue keeps the order stable (first in, first out).
        var buckets: [[Int]] = [[0]]
        var cost = 0
        var depthLimited = false
        while cost < buckets.count {
            var index = 0
            while index < buckets[cost].count {
                let id = buckets[cost][index]
                index += 1
                let node = nodes[id]
                guard best[node.state] == node.cost else { continue }  // a cheaper way was found later
                if goals.allSatisfy({ $0.holds(in: node.state) }) {
                    var actions: [Action] = []
                    var cursor = id
                    while let action = nodes[cursor].action {
                        actions.append(action)
                        cursor = nodes[cursor].parent
                    }
                    return .plan(reduction.expand(actions.reversed()), statesExplored: nodes.count)
                }
                for action in reduction.actions(in: node.state, goals: goals) {
                    var next = node.state
                    do throws(RuleViolation) { try next.performQuietly(action) } catch { continue }
                    let nextCost = node.cost + reduction.cost(of: action)
                    if nextCost > bounds.maxDepth {
                        depthLimited = true
                        continue
                    }
                    if let known = best[next], known <= nextCost { continue }
                    guard nodes.count < bounds.maxStates else {
                        return .boundReached(
                            "the search reached its bound of \(bounds.maxStates) states before finding a plan")
                    }
                    best[next] = nextCost
                    nodes.append(Node(state: next, parent: id, action: action, cost: nextCost))
                    while buckets.count <= nextCost { buckets.append([]) }
                    buckets[nextCost].append(nodes.count - 1)
                }
            }
            cost += 1
        }
        if depthLimited {
            return .boundReached("no plan of at most \(bounds.maxDepth) actions reaches the goals")
        }
        return .impossible(
            reason: "no sequence of actions reaches the goals from this state (\(nodes.count) states explored)",
            rule: nil)
    }

    // MARK: Contradictions

    /// A reason the goals can never hold together, found before searching.
    static func contradiction(in goals: [Goal], start: Instance) -> (String, RuleID?)? {
        for goal in goals {
            switch goal {
            case .owner(let name?), .connected(let name), .hasAccess(let name):
                guard let role = start.role(of: name) else {
                    return ("'\(goal)' cannot hold: \(name) is not a member, and a plan does not declare members", .unknownMember)
                }
                if case .owner = goal, role != .admin {
                    return ("'\(goal)' cannot hold: \(name) is not an admin, and only admins can connect", .connectRequiresAdmin)
                }
            default: break
            }
        }
        for (i, a) in goals.enumerated() {
            for b in goals[(i + 1)...] {
                if let reason = conflict(a, b) ?? conflict(b, a) {
                    return ("'\(a)' and '\(b)' contradict each other: \(reason)", nil)
                }
            }
        }
        return nil
    }

    private static func conflict(_ a: Goal, _ b: Goal) -> String? {
        switch (a, b) {
        case (.owner(let x?), .owner(let y?)) where x != y: "there is one owner"
        case (.owner(let x?), .owner(nil)): "\(x) would own an integration that is not live"
        case (.owner(let x?), .absent(let y)) where x == y: "an owner is a member"
        case (.owner(let x?), .notConnected(let y)) where x == y: "the owner is connected"
        case (.owner(let x?), .hasAccess(let y)) where x == y: "a connected admin holds no access grant"
        case (.connected(let x), .notConnected(let y)) where x == y: "\(x) cannot be both"
        case (.connected(let x), .absent(let y)) where x == y: "only members are connected"
        case (.hasAccess(let x), .absent(let y)) where x == y: "only members hold access"
        case (.hasAccess, .owner(nil)): "access exists only while the integration is live"
        case (.connected, .owner(nil)): "nobody is connected while the integration is not live"
        default: nil
        }
    }
}

// MARK: - Reduction

/// The instance the search runs on: only the members that can matter, with everyone
/// else who holds access folded into one bulk member.
private struct Reduction {
    var instance: Instance
    /// The bulk member's name in `instance`, and the members it stands for.
    var bulk: (name: String, members: [String])?
    /// Members that may be targets of a grant: only those named in the goals.
    var grantable: [String]

    init(identity start: Instance) {
        instance = start
        bulk = nil
        grantable = start.members.map(\.name)
    }

    init(_ start: Instance, goals: [Goal]) {
        let named = Set(goals.compactMap(\.member))
        var keep = Set(named).union(start.connections)
        var freeAdmins = 0
        var grantedAdmins = 0
        var bulkMembers: [String] = []
        for m in start.members where !keep.contains(m.name) {
            if m.role == .admin && !start.hasAccess(m.name) && !start.isAdminConnection(m.name) && freeAdmins < 2 {
                keep.insert(m.name)
                freeAdmins += 1
            } else if m.role == .admin && start.hasAccess(m.name) && grantedAdmins < 2 {
                keep.insert(m.name)
                grantedAdmins += 1
            } else if start.hasAccess(m.name) {
                bulkMembers.append(m.name)
            }
        }
        var reduced = Instance()
        for m in start.members where keep.contains(m.name) {
            _ = try? reduced.perform(.declare(m.role, [m.name]))
        }
        for c in start.connections { _ = try? reduced.perform(.connect(actor: c)) }
        if let owner = start.owner {
            for g in start.grantHolders where keep.contains(g) { _ = try? reduced.perform(.grant(actor: owner, targets: [g])) }
            if !bulkMembers.isEmpty {
                var name = "\u{0}bulk"
                while reduced.isMember(name) { name += "_" }
                _ = try? reduced.perform(.declare(.user, [name]))
                _ = try? reduced.perform(.grant(actor: owner, targets: [name]))
                bulk = (name, bulkMembers)
            }
        }
        instance = reduced
        grantable = Array(named).sorted()
    }

    /// What one step on `action` costs: one per real member it acts on.
    func cost(of action: Action) -> Int {
        guard let bulk, action.targets.contains(bulk.name) else { return 1 }
        return bulk.members.count
    }

    /// Replaces steps on the bulk member by one step per member it stands for.
    func expand(_ actions: some Sequence<Action>) -> [Action] {
        actions.flatMap { action -> [Action] in
            guard let bulk, action.targets == [bulk.name] else { return [action] }
            switch action {
            case .revoke(let actor, _): return bulk.members.map { .revoke(actor: actor, targets: [$0]) }
            case .remove(let actor, _): return bulk.members.map { .remove(actor: actor, targets: [$0]) }
            default: return [action]
            }
        }
    }

    /// The candidate steps from `state`, in the order that makes equally short plans
    /// read naturally: revoke, connect, disconnect, grant, remove. User Access is managed
    /// by the owner; members are removed by the owner, or else the first other admin.
    func actions(in state: Instance, goals: [Goal]) -> [Action] {
        let members = state.members
        var actions: [Action] = []
        if let owner = state.owner {
            for holder in state.grantHolders { actions.append(.revoke(actor: owner, targets: [holder])) }
        }
        for m in members where m.role == .admin && m.name != bulk?.name {
            if state.isAdminConnection(m.name) {
                continue
            }
            actions.append(.connect(actor: m.name))
        }
        for c in state.connections { actions.append(.disconnect(actor: c)) }
        if let owner = state.owner {
            for t in grantable where state.isMember(t) && !state.hasAccess(t) && !state.isAdminConnection(t) {
                actions.append(.grant(actor: owner, targets: [t]))
            }
        }
        let admins = members.filter { $0.role == .admin }.map(\.name)
        for m in members where !state.isAdminConnection(m.name) {
            let actor = state.owner.flatMap { $0 != m.name ? $0 : nil } ?? admins.first { $0 != m.name }
            if let actor { actions.append(.remove(actor: actor, targets: [m.name])) }
        }
        return actions
    }
}
