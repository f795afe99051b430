import ConnectionCore

/// The versioned state file format (SPEC §3): members with roles, admin connections in
/// order, grants. Members and grants are written sorted by name, so equal instances
/// encode to the same bytes.
///
/// ```json
/// {"format":"runbook-state","version":1,
///  "members":[{"name":"adminA","role":"admin"}],"connections":["adminA"],"grants":[]}
/// ```
struct StateFile: Codable {
    /// The value of the `format` field.
    static let format = "runbook-state"
    /// The format version this build reads and writes.
    static let version = 1

    struct Member: Codable {
        let name: String
        let role: Role
    }

    let format: String
    let version: Int
    let members: [Member]
    let connections: [String]
    let grants: [String]

    init(_ instance: Instance) {
        format = Self.format
        version = Self.version
        members = instance.members.map { Member(name: $0.name, role: $0.role) }
        connections = instance.connections
        grants = instance.grantHolders
    }

    /// The instance the file describes, checked: an unknown format or version, a name
    /// listed twice, or a state that breaks one of the core's invariants is refused with
    /// the reason.
    func instance() throws(StateFileError.Reason) -> Instance {
        guard format == Self.format else { throw .init("format is '\(format)', expected '\(Self.format)'") }
        guard version == Self.version else {
            throw .init("format version \(version) is not supported (this runbook reads version \(Self.version))")
        }
        var instance = Instance()
        for m in members {
            guard !instance.isMember(m.name) else { throw .init("member '\(m.name)' is listed twice") }
            instance.apply(.declare(m.role, [m.name]))
        }
        for name in connections {
            guard let role = instance.role(of: name) else { throw .init("connection '\(name)' is not a member") }
            guard role == .admin else { throw .init("connection '\(name)' is not an admin") }
            guard !instance.isAdminConnection(name) else { throw .init("connection '\(name)' is listed twice") }
            instance.apply(.connect(actor: name))
        }
        for name in grants {
            guard instance.isMember(name) else { throw .init("grant holder '\(name)' is not a member") }
            guard !instance.isAdminConnection(name) else { throw .init("grant holder '\(name)' is an admin connection") }
            guard !instance.hasAccess(name) else { throw .init("grant holder '\(name)' is listed twice") }
            guard instance.isLive else { throw .init("'\(name)' holds access but no admin is connected") }
            instance.apply(.grant(actor: instance.owner!, targets: [name]))
        }
        return instance
    }
}

extension Instance {
    /// Applies an action known to be valid, for building a state being read.
    fileprivate mutating func apply(_ action: Action) {
        do throws(RuleViolation) { try performQuietly(action) } catch {
            preconditionFailure("a checked state was refused: \(error.rule)")
        }
    }
}
