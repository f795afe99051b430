/// The verbs of the product's actions: what an actor can do on Settings > Marketo.
public enum Verb: UInt8, Sendable, Hashable, CaseIterable {
    /// Settings > Marketo > Connect.
    case connect
    /// Settings > Marketo > Disconnect.
    case disconnect
    /// Settings > Marketo > User Access: grant access.
    case grant
    /// Settings > Marketo > User Access: remove access.
    case revoke
    /// Removes members from the instance.
    case remove

    /// Whether the verb acts on target members (`grant`, `revoke`, `remove`).
    public var takesTargets: Bool { self == .grant || self == .revoke || self == .remove }
}

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

    /// An action of `verb` by `actor` on `targets` (ignored for connect and disconnect).
    public init(_ verb: Verb, actor: String, targets: [String] = []) {
        switch verb {
        case .connect: self = .connect(actor: actor)
        case .disconnect: self = .disconnect(actor: actor)
        case .grant: self = .grant(actor: actor, targets: targets)
        case .revoke: self = .revoke(actor: actor, targets: targets)
        case .remove: self = .remove(actor: actor, targets: targets)
        }
    }

    /// The acting member; `nil` for a declaration.
    public var actor: String? {
        switch self {
        case .declare: nil
        case .connect(let actor), .disconnect(let actor): actor
        case .grant(let actor, _), .revoke(let actor, _), .remove(let actor, _): actor
        }
    }

    /// The members the action is done to (the declared names, for a declaration).
    public var targets: [String] {
        switch self {
        case .declare(_, let names): names
        case .connect, .disconnect: []
        case .grant(_, let targets), .revoke(_, let targets), .remove(_, let targets): targets
        }
    }

    /// The product's verb; `nil` for a declaration.
    public var verb: Verb? {
        switch self {
        case .declare: nil
        case .connect: .connect
        case .disconnect: .disconnect
        case .grant: .grant
        case .revoke: .revoke
        case .remove: .remove
        }
    }
}
