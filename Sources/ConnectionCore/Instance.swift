/// A Sales Insight Actions instance as far as its Marketo integration is concerned:
/// members, admin connections in the order they connected, and access grants.
///
/// `Instance` is a value. Every action is checked whole before anything changes, so a
/// refused action leaves the instance exactly as it was; undo, dry runs and planning
/// fall out of copying it. Names are interned to compact ids once, and every lookup
/// after that is O(1).
public struct Instance: Sendable {
    // MARK: Storage, indexed by interned id

    /// Interned names; an id stays interned after its member is removed.
    private var names: [String] = []
    private var ids: [String: Int32] = [:]
    /// The role of each interned name, or `nil` when it is not (or no longer) a member.
    private var roles: [Role?] = []
    private var hasGrant: [Bool] = []
    private var isConnection: [Bool] = []
    /// Admin connections, oldest first; the last is the owner.
    private var connectionOrder: [Int32] = []

    /// The number of members.
    public private(set) var memberCount = 0
    /// The number of access grants.
    public private(set) var grantCount = 0

    /// An empty instance: no members, no connections, no grants.
    public init() {}

    // MARK: Queries

    private func id(_ name: String) -> Int32? {
        guard let id = ids[name], roles[Int(id)] != nil else { return nil }
        return id
    }

    /// The member's role, or `nil` when `name` is not a member.
    public func role(of name: String) -> Role? {
        guard let id = ids[name] else { return nil }
        return roles[Int(id)]
    }

    /// Whether `name` is a member of the instance.
    public func isMember(_ name: String) -> Bool { id(name) != nil }

    /// Whether `name` clicked Connect and has not disconnected.
    public func isAdminConnection(_ name: String) -> Bool {
        guard let id = id(name) else { return false }
        return isConnection[Int(id)]
    }

    /// Whether `name` holds an access grant.
    public func hasAccess(_ name: String) -> Bool {
        guard let id = id(name) else { return false }
        return hasGrant[Int(id)]
    }

    /// Whether `name` is connected: an admin connection, or a grant holder while the
    /// integration is live.
    public func isConnected(_ name: String) -> Bool {
        guard let id = id(name) else { return false }
        return isConnection[Int(id)] || (hasGrant[Int(id)] && isLive)
    }

    /// Whether any admin is connected.
    public var isLive: Bool { !connectionOrder.isEmpty }

    /// The admin who connected most recently and is still connected.
    public var owner: String? { connectionOrder.last.map { names[Int($0)] } }

    /// The admin connections, oldest first.
    public var connections: [String] { connectionOrder.map { names[Int($0)] } }

    /// Every member with its role, sorted by name.
    public var members: [(name: String, role: Role)] {
        zip(names, roles).compactMap { name, role in role.map { (name, $0) } }
            .sorted { $0.name < $1.name }
    }

    /// The members holding an access grant, sorted by name.
    public var grantHolders: [String] {
        guard grantCount > 0 else { return [] }
        return names.indices.filter { hasGrant[$0] }.map { names[$0] }.sorted()
    }

    /// Admins who are not connected and hold no grant, sorted: those who could connect now.
    public var adminsFreeToConnect: [String] {
        names.indices.filter { roles[$0] == .admin && !isConnection[$0] && !hasGrant[$0] }
            .map { names[$0] }.sorted()
    }

    // MARK: Actions

    /// The refusal `action` would meet, or `nil` when it would succeed. Changes nothing.
    public func check(_ action: Action) -> RuleViolation? {
        switch action {
        case .declare(_, let declared):
            var seen = Set<String>()
            for name in declared where isMember(name) || !seen.insert(name).inserted {
                return refuse(.duplicateMember, action, [name])
            }
            return nil

        case .connect(let actor):
            guard let a = id(actor) else { return refuse(.unknownMember, action, [actor]) }
            if roles[Int(a)] != .admin { return refuse(.connectRequiresAdmin, action, [actor]) }
            if hasGrant[Int(a)] { return refuse(.accessBlocksConnect, action, [actor]) }
            if isConnection[Int(a)] { return refuse(.alreadyConnected, action, [actor]) }
            return nil

        case .disconnect(let actor):
            guard let a = id(actor) else { return refuse(.unknownMember, action, [actor]) }
            if !isConnection[Int(a)] { return refuse(.disconnectRequiresConnection, action, [actor]) }
            if connectionOrder.count == 1 && grantCount > 0 {
                return refuse(.disconnectStrandsUsers, action, [actor])
            }
            return nil

        case .grant(let actor, let targets):
            if let unknown = firstUnknown(actor, targets) { return refuse(.unknownMember, action, [unknown]) }
            if !isConnection[Int(id(actor)!)] { return refuse(.accessRequiresConnection, action, [actor]) }
            var seen = Set<String>()
            for t in targets where hasGrant[Int(id(t)!)] || !seen.insert(t).inserted {
                return refuse(.alreadyHasAccess, action, [t])
            }
            for t in targets where isConnection[Int(id(t)!)] {
                return refuse(.alreadyConnected, action, [t])
            }
            return nil

        case .revoke(let actor, let targets):
            if let unknown = firstUnknown(actor, targets) { return refuse(.unknownMember, action, [unknown]) }
            if !isConnection[Int(id(actor)!)] { return refuse(.accessRequiresConnection, action, [actor]) }
            var seen = Set<String>()
            for t in targets where !hasGrant[Int(id(t)!)] || !seen.insert(t).inserted {
                return refuse(.noAccessToRevoke, action, [t])
            }
            return nil

        case .remove(let actor, let targets):
            if let unknown = firstUnknown(actor, targets) { return refuse(.unknownMember, action, [unknown]) }
            var seen = Set<String>()
            for t in targets where !seen.insert(t).inserted {
                // Removed by the earlier mention: no longer a member the second time.
                return refuse(.unknownMember, action, [t])
            }
            if roles[Int(id(actor)!)] != .admin { return refuse(.removeRequiresAdmin, action, [actor]) }
            if targets.contains(actor) { return refuse(.removeSelf, action, [actor]) }
            for t in targets where isConnection[Int(id(t)!)] {
                return refuse(.removeConnectedAdmin, action, [t])
            }
            return nil
        }
    }

    /// Performs `action`, or refuses it and changes nothing.
    /// - Returns: what changed, one event per member affected.
    @discardableResult
    public mutating func perform(_ action: Action) throws(RuleViolation) -> [Event] {
        if let violation = check(action) { throw violation }
        var events: [Event] = []
        apply(action, events: &events, recording: true)
        return events
    }

    /// Performs `action` without describing it: the fast path for runs that print nothing.
    public mutating func performQuietly(_ action: Action) throws(RuleViolation) {
        if let violation = check(action) { throw violation }
        var events: [Event] = []
        apply(action, events: &events, recording: false)
    }

    /// Applies an action that `check` accepted.
    private mutating func apply(_ action: Action, events: inout [Event], recording: Bool) {
        switch action {
        case .declare(let role, let declared):
            for name in declared {
                let id = intern(name)
                roles[Int(id)] = role
                memberCount += 1
                if recording { events.append(.declared(name: name, role: role)) }
            }
        case .connect(let actor):
            let previous = owner
            let a = id(actor)!
            isConnection[Int(a)] = true
            connectionOrder.append(a)
            if recording { events.append(.connected(admin: actor, previousOwner: previous)) }
        case .disconnect(let actor):
            let a = id(actor)!
            isConnection[Int(a)] = false
            connectionOrder.remove(at: connectionOrder.lastIndex(of: a)!)
            if recording { events.append(.disconnected(admin: actor, newOwner: owner)) }
        case .grant(let actor, let targets):
            for t in targets {
                hasGrant[Int(id(t)!)] = true
                grantCount += 1
                if recording { events.append(.granted(member: t, by: actor)) }
            }
        case .revoke(let actor, let targets):
            for t in targets {
                hasGrant[Int(id(t)!)] = false
                grantCount -= 1
                if recording { events.append(.revoked(member: t, by: actor)) }
            }
        case .remove(_, let targets):
            for t in targets {
                let i = Int(id(t)!)
                let had = hasGrant[i]
                if had { grantCount -= 1 }
                hasGrant[i] = false
                roles[i] = nil
                memberCount -= 1
                if recording { events.append(.removed(member: t, hadAccess: had)) }
            }
        }
    }

    // MARK: Helpers

    private func refuse(_ rule: RuleID, _ action: Action, _ names: [String]) -> RuleViolation {
        RuleViolation(rule: rule, action: action, names: names, owner: owner)
    }

    private func firstUnknown(_ actor: String, _ targets: [String]) -> String? {
        if !isMember(actor) { return actor }
        return targets.first { !isMember($0) }
    }

    private mutating func intern(_ name: String) -> Int32 {
        if let id = ids[name] { return id }
        let id = Int32(names.count)
        names.append(name)
        ids[name] = id
        roles.append(nil)
        hasGrant.append(false)
        isConnection.append(false)
        return id
    }
}

// MARK: - Equality

extension Instance: Equatable {
    /// Two instances are equal when they have the same members with the same roles,
    /// the same admin connections in the same order, and the same grants; the order
    /// in which names were interned does not matter.
    public static func == (lhs: Instance, rhs: Instance) -> Bool {
        guard lhs.memberCount == rhs.memberCount, lhs.grantCount == rhs.grantCount,
            lhs.connections == rhs.connections
        else { return false }
        for (i, name) in lhs.names.enumerated() where lhs.roles[i] != nil {
            guard let j = rhs.ids[name], rhs.roles[Int(j)] == lhs.roles[i],
                rhs.hasGrant[Int(j)] == lhs.hasGrant[i]
            else { return false }
        }
        return true
    }
}

extension Instance: Hashable {
    /// Hashes what `==` compares, independent of the order names were interned in.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(memberCount)
        hasher.combine(grantCount)
        hasher.combine(connections)
        var members = 0
        for (i, name) in names.enumerated() where roles[i] != nil {
            var h = Hasher()
            h.combine(name)
            h.combine(roles[i])
            h.combine(hasGrant[i])
            members ^= h.finalize()
        }
        hasher.combine(members)
    }
}
