/// A member's compact id within an instance and its copies: its name interned once.
public struct MemberID: Sendable, Hashable {
    public let index: Int32
    init(_ index: Int32) { self.index = index }
}

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
        if case .declare(_, let declared) = action {
            var seen = Set<String>()
            for name in declared where isMember(name) || !seen.insert(name).inserted {
                return refuse(.duplicateMember, action, [name])
            }
            return nil
        }
        let actor = action.actor!
        let targets = action.targets
        guard let a = id(actor) else { return refuse(.unknownMember, action, [actor]) }
        var ids: [Int32] = []
        ids.reserveCapacity(targets.count)
        for t in targets {
            guard let i = id(t) else { return refuse(.unknownMember, action, [t]) }
            ids.append(i)
        }
        guard let (rule, offender) = refusal(Verb(action)!, actor: a, targets: ids) else { return nil }
        return refuse(rule, action, [names[Int(offender)]])
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
        if case .declare(let role, let declared) = action {
            for name in declared {
                let id = intern(name)
                roles[Int(id)] = role
                memberCount += 1
                if recording { events.append(.declared(name: name, role: role)) }
            }
            return
        }
        let ids = action.targets.map { id($0)! }
        apply(Verb(action)!, actor: id(action.actor!)!, targets: ids, events: &events, recording: recording)
    }

    // MARK: Actions on interned ids

    /// The verbs of the product's actions.
    public enum Verb: UInt8, Sendable, Hashable {
        case connect, disconnect, grant, revoke, remove

        init?(_ action: Action) {
            switch action {
            case .declare: return nil
            case .connect: self = .connect
            case .disconnect: self = .disconnect
            case .grant: self = .grant
            case .revoke: self = .revoke
            case .remove: self = .remove
            }
        }
    }

    /// The id of a name interned in this instance (a member, or one that was), for the
    /// allocation-free actions below; `nil` when the name was never declared.
    public func memberID(_ name: String) -> MemberID? { ids[name].map(MemberID.init) }

    /// The name of an interned id.
    public func name(of member: MemberID) -> String { names[Int(member.index)] }

    /// The rule that would refuse `verb` by `actor` on `target` (`nil` for connect and
    /// disconnect), or `nil` when it would succeed: `check` for one target, without
    /// allocating. Changes nothing.
    public func rule(refusing verb: Verb, by actor: MemberID, on target: MemberID?) -> RuleID? {
        if let target {
            return refusal(verb, actor: actor.index, targets: CollectionOfOne(target.index))?.rule
        }
        return refusal(verb, actor: actor.index, targets: EmptyCollection())?.rule
    }

    /// Performs `verb` by `actor` on `target` when no rule refuses it; returns the rule
    /// that refused it otherwise, having changed nothing.
    public mutating func perform(_ verb: Verb, by actor: MemberID, on target: MemberID?) -> RuleID? {
        var none: [Event] = []
        return perform(verb, actor.index, target?.index, &none, recording: false)
    }

    /// `perform(_:by:on:)`, appending what changed to `events`.
    public mutating func perform(_ verb: Verb, by actor: MemberID, on target: MemberID?, recording events: inout [Event]) -> RuleID? {
        perform(verb, actor.index, target?.index, &events, recording: true)
    }

    private mutating func perform(_ verb: Verb, _ a: Int32, _ t: Int32?, _ events: inout [Event], recording: Bool) -> RuleID? {
        if let t {
            if let (rule, _) = refusal(verb, actor: a, targets: CollectionOfOne(t)) { return rule }
            apply(verb, actor: a, targets: CollectionOfOne(t), events: &events, recording: recording)
        } else {
            if let (rule, _) = refusal(verb, actor: a, targets: EmptyCollection()) { return rule }
            apply(verb, actor: a, targets: EmptyCollection(), events: &events, recording: recording)
        }
        return nil
    }

    /// The first rule, in table order, that refuses the action, and the member it is about.
    private func refusal<C: Collection>(_ verb: Verb, actor a: Int32, targets: C) -> (rule: RuleID, member: Int32)?
    where C.Element == Int32 {
        let actor = Int(a)
        if roles[actor] == nil { return (.unknownMember, a) }
        for t in targets where roles[Int(t)] == nil { return (.unknownMember, t) }
        switch verb {
        case .connect:
            if roles[actor] != .admin { return (.connectRequiresAdmin, a) }
            if hasGrant[actor] { return (.accessBlocksConnect, a) }
            if isConnection[actor] { return (.alreadyConnected, a) }
        case .disconnect:
            if !isConnection[actor] { return (.disconnectRequiresConnection, a) }
            if connectionOrder.count == 1 && grantCount > 0 { return (.disconnectStrandsUsers, a) }
        case .grant:
            if !isConnection[actor] { return (.accessRequiresConnection, a) }
            if let t = firstRepeated(targets, where: { hasGrant[Int($0)] }) { return (.alreadyHasAccess, t) }
            for t in targets where isConnection[Int(t)] { return (.alreadyConnected, t) }
        case .revoke:
            if !isConnection[actor] { return (.accessRequiresConnection, a) }
            if let t = firstRepeated(targets, where: { !hasGrant[Int($0)] }) { return (.noAccessToRevoke, t) }
        case .remove:
            // A member listed twice is no longer a member the second time.
            if let t = firstRepeated(targets, where: { _ in false }) { return (.unknownMember, t) }
            if roles[actor] != .admin { return (.removeRequiresAdmin, a) }
            if targets.contains(a) { return (.removeSelf, a) }
            for t in targets where isConnection[Int(t)] { return (.removeConnectedAdmin, t) }
        }
        return nil
    }

    /// The first target that satisfies `condition`, or that repeats an earlier one.
    private func firstRepeated<C: Collection>(_ targets: C, where condition: (Int32) -> Bool) -> Int32?
    where C.Element == Int32 {
        if targets.count <= 1 { return targets.first(where: condition) }
        var seen = Set<Int32>()
        for t in targets where condition(t) || !seen.insert(t).inserted { return t }
        return nil
    }

    /// Applies an action that `refusal` accepted.
    private mutating func apply<C: Collection>(
        _ verb: Verb, actor a: Int32, targets: C, events: inout [Event], recording: Bool
    ) where C.Element == Int32 {
        switch verb {
        case .connect:
            let previous = owner
            isConnection[Int(a)] = true
            connectionOrder.append(a)
            if recording { events.append(.connected(admin: names[Int(a)], previousOwner: previous)) }
        case .disconnect:
            isConnection[Int(a)] = false
            connectionOrder.remove(at: connectionOrder.lastIndex(of: a)!)
            if recording { events.append(.disconnected(admin: names[Int(a)], newOwner: owner)) }
        case .grant:
            for t in targets {
                hasGrant[Int(t)] = true
                grantCount += 1
                if recording { events.append(.granted(member: names[Int(t)], by: names[Int(a)])) }
            }
        case .revoke:
            for t in targets {
                hasGrant[Int(t)] = false
                grantCount -= 1
                if recording { events.append(.revoked(member: names[Int(t)], by: names[Int(a)])) }
            }
        case .remove:
            for t in targets {
                let i = Int(t)
                let had = hasGrant[i]
                if had { grantCount -= 1 }
                hasGrant[i] = false
                roles[i] = nil
                memberCount -= 1
                if recording { events.append(.removed(member: names[i], hadAccess: had)) }
            }
        }
    }

    // MARK: Queries on interned ids

    /// Whether the id's name is a member now.
    public func isMember(_ member: MemberID) -> Bool { roles[Int(member.index)] != nil }

    /// `isConnected` for an interned id.
    public func isConnected(_ member: MemberID) -> Bool {
        let i = Int(member.index)
        return roles[i] != nil && (isConnection[i] || (hasGrant[i] && !connectionOrder.isEmpty))
    }

    /// `hasAccess` for an interned id.
    public func hasAccess(_ member: MemberID) -> Bool { roles[Int(member.index)] != nil && hasGrant[Int(member.index)] }

    /// The owner's id.
    public var ownerID: MemberID? { connectionOrder.last.map(MemberID.init) }

    // MARK: Helpers

    private func refuse(_ rule: RuleID, _ action: Action, _ names: [String]) -> RuleViolation {
        RuleViolation(rule: rule, action: action, names: names, owner: owner)
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
