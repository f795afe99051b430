/// A member's status at one moment: what the rehearsal report's grid shows of each
/// member after each step. Every member is in exactly one.
public enum MemberStatus: UInt8, Sendable, Hashable, CaseIterable {
    /// The admin connection most recently made: the integration is tied to it.
    case owner
    /// An admin connection that is not the owner.
    case adminConnection
    /// Holds an access grant while the integration is live.
    case connectedThroughAccess
    /// Lost its access when the integration stopped being live under it, and has not been
    /// granted access again: only a hazard performed `anyway` strands a member.
    case stranded
    /// A member that is neither connected nor holds a grant.
    case noAccess
    /// Not a member.
    case absent
}

extension Instance {
    /// The status of `name`: `absent` when it is not a member.
    public func status(of name: String) -> MemberStatus {
        memberID(name).map(status(of:)) ?? .absent
    }

    /// `status(of:)` for an id.
    @inlinable package func status(of member: MemberID) -> MemberStatus {
        let i = Int(member.index)
        if roles[i] == nil { return .absent }
        if isConnection[i] { return connectionOrder.last == member.index ? .owner : .adminConnection }
        if hasGrant[i] { return .connectedThroughAccess }
        return isStranded[i] ? .stranded : .noAccess
    }

    /// How many names the instance has interned: every member id is below it.
    package var internedCount: Int { roles.count }
}
