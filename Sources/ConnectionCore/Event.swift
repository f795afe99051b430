/// What a successful action changed, in words an admin understands.
public enum Event: Sendable, Hashable, CustomStringConvertible {
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

    public var description: String {
        switch self {
        case .declared(let name, let role):
            "\(name) joined the instance as \(role == .admin ? "an admin" : "a user")"
        case .connected(let admin, nil):
            "\(admin) connected; the integration is now live and tied to \(admin)"
        case .connected(let admin, .some(let previous)):
            "\(admin) connected; the integration is now tied to \(admin) (was \(previous))"
        case .disconnected(let admin, nil):
            "\(admin) disconnected; the integration is no longer live"
        case .disconnected(let admin, .some(let owner)):
            "\(admin) disconnected; the integration is now tied to \(owner)"
        case .granted(let member, let by):
            "\(by) granted \(member) access"
        case .revoked(let member, let by):
            "\(by) removed \(member)'s access"
        case .removed(let member, true):
            "\(member) was removed from the instance; \(member) lost access when removed"
        case .removed(let member, false):
            "\(member) was removed from the instance"
        }
    }
}
