/// The versioned state file format (SPEC §3): members with roles, admin connections in
/// order, grants. Members and grants are written sorted by name, so equal instances
/// encode to the same bytes.
///
/// ```json
/// {"format":"runbook-state","version":1,
///  "members":[{"name":"adminA","role":"admin"}],"connections":["adminA"],"grants":[]}
/// ```
extension Instance: Codable {
    /// The value of the `format` field.
    public static let stateFormat = "runbook-state"
    /// The format version this build reads and writes.
    public static let stateVersion = 1

    private enum Key: String, CodingKey {
        case format, version, members, connections, grants
    }

    private struct Member: Codable {
        let name: String
        let role: Role
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(Self.stateFormat, forKey: .format)
        try c.encode(Self.stateVersion, forKey: .version)
        try c.encode(members.map { Member(name: $0.name, role: $0.role) }, forKey: .members)
        try c.encode(connections, forKey: .connections)
        try c.encode(grantHolders, forKey: .grants)
    }

    /// Reads a state and checks it: an unknown format or version, a duplicate name, or a
    /// state that breaks one of the core's invariants is a `DecodingError.dataCorrupted`
    /// whose description says what is wrong.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        func corrupt(_ reason: String) -> DecodingError {
            .dataCorrupted(.init(codingPath: c.codingPath, debugDescription: reason))
        }
        let format = try c.decode(String.self, forKey: .format)
        guard format == Self.stateFormat else {
            throw corrupt("format is '\(format)', expected '\(Self.stateFormat)'")
        }
        let version = try c.decode(Int.self, forKey: .version)
        guard version == Self.stateVersion else {
            throw corrupt("format version \(version) is not supported (this runbook reads version \(Self.stateVersion))")
        }
        let members = try c.decode([Member].self, forKey: .members)
        let connections = try c.decode([String].self, forKey: .connections)
        let grants = try c.decode([String].self, forKey: .grants)

        var instance = Instance()
        for m in members {
            guard !instance.isMember(m.name) else { throw corrupt("member '\(m.name)' is listed twice") }
            instance.apply(.declare(m.role, [m.name]))
        }
        for name in connections {
            guard let role = instance.role(of: name) else {
                throw corrupt("connection '\(name)' is not a member")
            }
            guard role == .admin else { throw corrupt("connection '\(name)' is not an admin") }
            guard !instance.isAdminConnection(name) else {
                throw corrupt("connection '\(name)' is listed twice")
            }
            instance.apply(.connect(actor: name))
        }
        for name in grants {
            guard instance.isMember(name) else { throw corrupt("grant holder '\(name)' is not a member") }
            guard !instance.isAdminConnection(name) else {
                throw corrupt("grant holder '\(name)' is an admin connection")
            }
            guard !instance.hasAccess(name) else { throw corrupt("grant holder '\(name)' is listed twice") }
            guard instance.isLive else {
                throw corrupt("'\(name)' holds access but no admin is connected")
            }
            instance.apply(.grant(actor: instance.owner!, targets: [name]))
        }
        self = instance
    }

    /// Applies an action known to be valid, for building a state being read.
    private mutating func apply(_ action: Action) {
        do throws(RuleViolation) { try performQuietly(action) } catch {
            preconditionFailure("a checked state was refused: \(error.rule)")
        }
    }
}
