/// One thing an actor does in the product, or the setup step of declaring members.
///
/// Names are the members' names as written; the instance resolves them.
public enum Action: Sendable, Hashable {
    /// Declares members with a role (setup, not an action of the product).
    case declare(Role, [String])
    /// Settings > Marketo > Connect.
    case connect(actor: String)
    /// Settings > Marketo > Disconnect.
    case disconnect(actor: String)
    /// Settings > Marketo > User Access: grant access.
    case grant(actor: String, targets: [String])
    /// Settings > Marketo > User Access: remove access.
    case revoke(actor: String, targets: [String])
    /// Removes members from the instance.
    case remove(actor: String, targets: [String])

    /// The acting member; `nil` for a declaration.
    public var actor: String? {
        switch self {
        case .declare: nil
        case .connect(let actor), .disconnect(let actor): actor
        case .grant(let actor, _), .revoke(let actor, _), .remove(let actor, _): actor
        }
    }

    /// The members the action is done to.
    public var targets: [String] {
        switch self {
        case .declare(_, let names): names
        case .connect, .disconnect: []
        case .grant(_, let targets), .revoke(_, let targets), .remove(_, let targets): targets
        }
    }

    /// The verb as the language writes it.
    public var verb: String {
        switch self {
        case .declare(let role, _): role.rawValue
        case .connect: "connect"
        case .disconnect: "disconnect"
        case .grant: "grant"
        case .revoke: "revoke"
        case .remove: "remove"
        }
    }
}
