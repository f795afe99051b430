/// What a successful action changed, one member at a time. The language words it.
public enum Event: Sendable, Hashable {
    /// A member was added to the instance.
    case declared(name: String, role: Role)
    /// An admin connected and now owns the integration.
    case connected(admin: String, previousOwner: String?)
    /// An admin disconnected; the integration is tied to `newOwner`, or no longer live.
    case disconnected(admin: String, newOwner: String?)
    /// A member was granted access on User Access.
    case granted(member: String, by: String)
    /// A member's access was removed on User Access.
    case revoked(member: String, by: String)
    /// A member was taken out of the instance, with its access if it had any.
    case removed(member: String, hadAccess: Bool)
    /// A member lost its access because the last admin disconnected while it held a grant:
    /// it is stranded (a hazard performed on purpose, with `anyway`).
    case stranded(member: String, by: String)
}
