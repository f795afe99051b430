/// A member's compact id within an instance and its copies: its name interned once.
///
/// Ids are for the language, which resolves each name of a runbook once and then acts on
/// ids; hosts use names.
@frozen @usableFromInline
package struct MemberID: Sendable, Hashable {
    @usableFromInline package let index: Int32
    @inlinable package init(_ index: Int32) { self.index = index }
}

/// Why the rules refuse an action: the rule, and the member it is about (the actor, or
/// the offending target or declared name).
package struct Refusal: Sendable, Hashable {
    package let rule: RuleID
    package let member: MemberID
}

/// A Sales Insight Actions instance as far as its Marketo integration is concerned:
/// members, admin connections in the order they connected, access grants, and the members
/// stranded when the integration stopped being live under them.
///
/// `Instance` is a value. Every action is checked whole against the rule table before
/// anything changes, so a refused action leaves the instance exactly as it was; undo,
/// dry runs and planning fall out of copying it. Names are interned to compact ids once,
/// and every lookup after that is O(1).
public struct Instance: Sendable {
    // MARK: Storage, indexed by interned id

    /// Interned names; an id stays interned after its member is removed, and a name can
    /// be interned without ever being a member.
    private var names: [String] = []
    private var ids: [String: Int32] = [:]
    /// The role of each interned name, or `nil` when it is not (or no longer) a member.
    @usableFromInline var roles: [Role?] = []
    @usableFromInline var hasGrant: [Bool] = []
    @usableFromInline var isConnection: [Bool] = []
    /// Whether the member lost its access when the integration stopped being live under it
    /// and has not been granted access again (nor connected, nor been removed).
    @usableFromInline var isStranded: [Bool] = []
    /// Admin connections, oldest first; the last is the owner.
    @usableFromInline var connectionOrder: [Int32] = []

    /// The number of members.
    public private(set) var memberCount = 0
    /// The number of access grants.
    public private(set) var grantCount = 0
    /// The number of stranded members.
    public private(set) var strandedCount = 0

    /// An empty instance: no members, no connections, no grants.
    public init() {}

    // MARK: Queries by name

    /// The member's role, or `nil` when `name` is not a member.
    public func role(of name: String) -> Role? { memberID(name).flatMap(role(of:)) }

    /// Whether `name` is a member of the instance.
    public func isMember(_ name: String) -> Bool { role(of: name) != nil }

    /// Whether `name` clicked Connect and has not disconnected.
    public func isAdminConnection(_ name: String) -> Bool { memberID(name).map(isAdminConnection) ?? false }

    /// Whether `name` holds an access grant.
    public func hasAccess(_ name: String) -> Bool { memberID(name).map(hasAccess) ?? false }

    /// Whether `name` is connected: an admin connection, or a grant holder while the
    /// integration is live.
    public func isConnected(_ name: String) -> Bool { memberID(name).map(isConnected) ?? false }

    /// Whether `name` lost its access when the integration stopped being live under it,
    /// and has not been granted access again.
    public func isStranded(_ name: String) -> Bool { memberID(name).map(isStranded) ?? false }

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

    /// The stranded members, sorted by name.
    public var strandedMembers: [String] {
        guard strandedCount > 0 else { return [] }
        return names.indices.filter { isStranded[$0] }.map { names[$0] }.sorted()
    }

    /// Admins who are not connected and hold no grant, sorted: those who could connect now.
    public var adminsFreeToConnect: [String] {
        names.indices.filter { roles[$0] == .admin && !isConnection[$0] && !hasGrant[$0] }
            .map { names[$0] }.sorted()
    }

    // MARK: Actions by name

    /// The rule that would stop `action` (a refusal, or a hazard unless `acceptingHazards`),
    /// or `nil` when it would be performed. Changes nothing.
    public func check(_ action: Action, acceptingHazards: Bool = false) -> RuleViolation? {
        var copy = self
        guard let refusal = copy.refusal(of: action, acceptingHazards: acceptingHazards).refusal else { return nil }
        return violation(refusal, of: action, in: copy)
    }

    /// Performs `action`, or refuses it and changes nothing. A hazard stops it as a refusal
    /// does, unless `acceptingHazards`: then it is performed with its consequences.
    /// - Returns: what changed, one event per member affected.
    @discardableResult
    public mutating func perform(_ action: Action, acceptingHazards: Bool = false) throws(RuleViolation) -> [Event] {
        var events: [Event] = []
        try perform(action, acceptingHazards: acceptingHazards, events: &events, recording: true)
        return events
    }

    /// Performs `action` without describing it: the fast path for runs that print nothing.
    public mutating func performQuietly(_ action: Action, acceptingHazards: Bool = false) throws(RuleViolation) {
        var events: [Event] = []
        try perform(action, acceptingHazards: acceptingHazards, events: &events, recording: false)
    }

    private mutating func perform(
        _ action: Action, acceptingHazards: Bool, events: inout [Event], recording: Bool
    ) throws(RuleViolation) {
        // Names interned for the check stay interned: that changes nothing the instance means.
        let (refusal, actor, targets) = refusal(of: action, acceptingHazards: acceptingHazards)
        if let refusal { throw violation(refusal, of: action, in: self) }
        switch action {
        case .declare(let role, _):
            declare(role, targets, events: &events, recording: recording)
        default:
            targets.withUnsafeBufferPointer {
                apply(action.verb!, actor: actor!, targets: $0, events: &events, recording: recording)
            }
        }
    }

    /// Interns the action's names, then finds the rule that refuses it: `(nil, …)` when it
    /// would succeed, with the resolved actor and targets. Only names are interned.
    private mutating func refusal(
        of action: Action, acceptingHazards: Bool
    ) -> (refusal: Refusal?, actor: MemberID?, targets: [MemberID]) {
        var targets: [MemberID] = []
        for name in action.targets { targets.append(intern(name)) }
        guard let verb = action.verb else {
            let refusal = targets.withUnsafeBufferPointer { declarationRefusal($0) }
            return (refusal, nil, targets)
        }
        let actor = intern(action.actor!)
        let refusal = targets.withUnsafeBufferPointer {
            self.refusal(verb, actor: actor, targets: $0, acceptingHazards: acceptingHazards)
        }
        return (refusal, actor, targets)
    }

    /// The public description of a refusal of `action`, from the state that refused it.
    private func violation(_ refusal: Refusal, of action: Action, in state: Instance) -> RuleViolation {
        RuleViolation(rule: refusal.rule, action: action, names: [state.name(of: refusal.member)], owner: owner)
    }

    // MARK: Ids

    /// The id of `name`, interning it if it was never seen. Interning changes nothing the
    /// instance means: an interned name is not a member until it is declared.
    package mutating func intern(_ name: String) -> MemberID {
        if let id = ids[name] { return MemberID(id) }
        let id = Int32(names.count)
        names.append(name)
        ids[name] = id
        roles.append(nil)
        hasGrant.append(false)
        isConnection.append(false)
        isStranded.append(false)
        return MemberID(id)
    }

    /// The id of a name interned in this instance (a member, a former member, or a name
    /// only looked up); `nil` when the name was never seen.
    package func memberID(_ name: String) -> MemberID? { ids[name].map(MemberID.init) }

    /// The name of an interned id.
    package func name(of member: MemberID) -> String { names[Int(member.index)] }

    /// The member's role, or `nil` when the id is not (or no longer) a member.
    @inlinable package func role(of member: MemberID) -> Role? { roles[Int(member.index)] }

    // The queries the interpreter asks for every expectation are inlined into it.

    /// Whether the id is a member now.
    @inlinable package func isMember(_ member: MemberID) -> Bool { roles[Int(member.index)] != nil }

    /// `isAdminConnection` for an id.
    @inlinable package func isAdminConnection(_ member: MemberID) -> Bool { isConnection[Int(member.index)] }

    /// `hasAccess` for an id.
    @inlinable package func hasAccess(_ member: MemberID) -> Bool { hasGrant[Int(member.index)] }

    /// `isStranded` for an id.
    @inlinable package func isStranded(_ member: MemberID) -> Bool { isStranded[Int(member.index)] }

    /// `isConnected` for an id.
    @inlinable package func isConnected(_ member: MemberID) -> Bool {
        let i = Int(member.index)
        return isConnection[i] || (hasGrant[i] && !connectionOrder.isEmpty)
    }

    /// The owner's id.
    @inlinable package var ownerID: MemberID? { connectionOrder.last.map(MemberID.init) }

    // MARK: Actions on ids

    /// The first rule, in table order, that refuses declaring `declared`: `duplicate-member`
    /// for a name that is a member or repeats an earlier one. Changes nothing.
    package func declarationRefusal(_ declared: UnsafeBufferPointer<MemberID>) -> Refusal? {
        firstRepeated(declared, where: isMember).map { Refusal(rule: .duplicateMember, member: $0) }
    }

    /// Declares members that `declarationRefusal` accepted.
    package mutating func declare(
        _ role: Role, _ declared: some Sequence<MemberID>, events: inout [Event], recording: Bool
    ) {
        for d in declared {
            roles[Int(d.index)] = role
            memberCount += 1
            if recording { events.append(.declared(name: names[Int(d.index)], role: role)) }
        }
    }

    /// The first rule, in table order, that stops `verb` by `actor` on `targets`, and the
    /// member it is about; `nil` when the action would be performed. A hazard stops it
    /// unless `acceptingHazards`; a refusal always does. Changes nothing.
    package func refusal(
        _ verb: Verb, actor: MemberID, targets: UnsafeBufferPointer<MemberID>, acceptingHazards: Bool = false
    ) -> Refusal? {
        let a = Int(actor.index)
        func refuse(_ rule: RuleID, _ member: MemberID) -> Refusal { Refusal(rule: rule, member: member) }
        // A hazard stops the action unless it is accepted; a refusal always does.
        func flag(_ rule: RuleID, _ member: MemberID) -> Refusal? {
            acceptingHazards && rule.kind == .hazard ? nil : refuse(rule, member)
        }
        if roles[a] == nil { return refuse(.unknownMember, actor) }
        for t in targets where roles[Int(t.index)] == nil { return refuse(.unknownMember, t) }
        switch verb {
        case .connect:
            if roles[a] != .admin { return refuse(.connectRequiresAdmin, actor) }
            if hasGrant[a] { return refuse(.accessBlocksConnect, actor) }
            if isConnection[a] { return refuse(.alreadyConnected, actor) }
        case .disconnect:
            if !isConnection[a] { return refuse(.disconnectRequiresConnection, actor) }
            if connectionOrder.count == 1 && grantCount > 0, let stop = flag(.disconnectStrandsUsers, actor) { return stop }
        case .grant:
            if !isConnection[a] { return refuse(.accessRequiresConnection, actor) }
            if let t = firstRepeated(targets, where: { hasGrant[Int($0.index)] }) { return refuse(.alreadyHasAccess, t) }
            for t in targets where isConnection[Int(t.index)] { return refuse(.alreadyConnected, t) }
        case .revoke:
            if !isConnection[a] { return refuse(.accessRequiresConnection, actor) }
            if let t = firstRepeated(targets, where: { !hasGrant[Int($0.index)] }) { return refuse(.noAccessToRevoke, t) }
        case .remove:
            // A member listed twice is no longer a member the second time.
            if let t = firstRepeated(targets, where: { _ in false }) { return refuse(.unknownMember, t) }
            if roles[a] != .admin { return refuse(.removeRequiresAdmin, actor) }
            if targets.contains(actor) { return refuse(.removeSelf, actor) }
            for t in targets where isConnection[Int(t.index)] { return refuse(.removeConnectedAdmin, t) }
        }
        return nil
    }

    /// The first target that satisfies `condition`, or that repeats an earlier one.
    private func firstRepeated(_ targets: UnsafeBufferPointer<MemberID>, where condition: (MemberID) -> Bool) -> MemberID? {
        if targets.count <= 8 {
            for (i, t) in targets.enumerated() where condition(t) || targets[..<i].contains(t) { return t }
            return nil
        }
        var seen = Set<MemberID>(minimumCapacity: targets.count)
        for t in targets where condition(t) || !seen.insert(t).inserted { return t }
        return nil
    }

    /// Performs `verb` by `actor` on `targets` when no rule refuses it; returns the refusal
    /// otherwise, having changed nothing. `recording` appends what changed to `events`.
    package mutating func perform(
        _ verb: Verb, actor: MemberID, targets: UnsafeBufferPointer<MemberID>, acceptingHazards: Bool = false,
        events: inout [Event], recording: Bool
    ) -> Refusal? {
        if let refusal = refusal(verb, actor: actor, targets: targets, acceptingHazards: acceptingHazards) { return refusal }
        apply(verb, actor: actor, targets: targets, events: &events, recording: recording)
        return nil
    }

    /// Applies an action that `refusal` accepted.
    private mutating func apply(
        _ verb: Verb, actor: MemberID, targets: UnsafeBufferPointer<MemberID>, events: inout [Event], recording: Bool
    ) {
        let a = actor.index
        switch verb {
        case .connect:
            let previous = owner
            unstrand(Int(a))
            isConnection[Int(a)] = true
            connectionOrder.append(a)
            if recording { events.append(.connected(admin: names[Int(a)], previousOwner: previous)) }
        case .disconnect:
            isConnection[Int(a)] = false
            connectionOrder.remove(at: connectionOrder.lastIndex(of: a)!)
            if recording { events.append(.disconnected(admin: names[Int(a)], newOwner: owner)) }
            // The last connection gone with grants left (a hazard accepted): every holder
            // loses its access and is stranded.
            if connectionOrder.isEmpty && grantCount > 0 {
                for i in names.indices where hasGrant[i] {
                    hasGrant[i] = false
                    isStranded[i] = true
                    strandedCount += 1
                    if recording { events.append(.stranded(member: names[i], by: names[Int(a)])) }
                }
                grantCount = 0
            }
        case .grant:
            for t in targets {
                hasGrant[Int(t.index)] = true
                grantCount += 1
                unstrand(Int(t.index))
                if recording { events.append(.granted(member: names[Int(t.index)], by: names[Int(a)])) }
            }
        case .revoke:
            for t in targets {
                hasGrant[Int(t.index)] = false
                grantCount -= 1
                if recording { events.append(.revoked(member: names[Int(t.index)], by: names[Int(a)])) }
            }
        case .remove:
            for t in targets {
                let i = Int(t.index)
                let had = hasGrant[i]
                if had { grantCount -= 1 }
                hasGrant[i] = false
                unstrand(i)
                roles[i] = nil
                memberCount -= 1
                if recording { events.append(.removed(member: names[i], hadAccess: had)) }
            }
        }
    }
}

extension Instance {
    /// Ends a member's stranding: it was granted access again, connected, or was removed.
    private mutating func unstrand(_ i: Int) {
        if isStranded[i] {
            isStranded[i] = false
            strandedCount -= 1
        }
    }

    /// Marks `name` stranded, as a saved state records it: the one change that is not an
    /// action, for restoring a state. `name` must be a member that holds no grant and is
    /// not an admin connection.
    public mutating func restoreStranded(_ name: String) {
        let i = Int(intern(name).index)
        precondition(roles[i] != nil && !hasGrant[i] && !isConnection[i], "only a member without access can be stranded")
        if !isStranded[i] {
            isStranded[i] = true
            strandedCount += 1
        }
    }
}

// MARK: - Equality

extension Instance: Equatable {
    /// Two instances are equal when they have the same members with the same roles,
    /// the same admin connections in the same order, and the same grants; the order
    /// in which names were interned, and names interned but never members, do not matter.
    public static func == (lhs: Instance, rhs: Instance) -> Bool {
        guard lhs.memberCount == rhs.memberCount, lhs.grantCount == rhs.grantCount,
            lhs.strandedCount == rhs.strandedCount, lhs.connections == rhs.connections
        else { return false }
        for (i, name) in lhs.names.enumerated() where lhs.roles[i] != nil {
            guard let j = rhs.ids[name], rhs.roles[Int(j)] == lhs.roles[i],
                rhs.hasGrant[Int(j)] == lhs.hasGrant[i], rhs.isStranded[Int(j)] == lhs.isStranded[i]
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
        hasher.combine(strandedCount)
        hasher.combine(connections)
        var members = 0
        for (i, name) in names.enumerated() where roles[i] != nil {
            var h = Hasher()
            h.combine(name)
            h.combine(roles[i])
            h.combine(hasGrant[i])
            h.combine(isStranded[i])
            members ^= h.finalize()
        }
        hasher.combine(members)
    }
}
