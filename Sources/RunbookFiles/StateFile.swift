import ConnectionCore
import RunbookLanguage

/// The versioned state file format (SPEC §3): members with roles, admin connections in
/// order, grants, and stranded members (left out when there are none). Members, grants
/// and stranded members are written sorted by name, so equal instances encode to the same
/// bytes.
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

    /// A member as written. The role is read as any string, so that one that is neither
    /// `admin` nor `user` is refused in words, with the member's name.
    struct Member: Codable {
        let name: String
        let role: String

        init(name: String, role: String) {
            self.name = name
            self.role = role
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, role
        }

        init(from decoder: any Decoder) throws {
            try StateFile.refuseUnknownKeys(in: decoder, known: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            role = try container.decode(String.self, forKey: .role)
        }
    }

    /// Any key of an object, to see which it has.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// A key the format does not have is refused, not ignored: a misspelt `"Stranded"` would
    /// otherwise lose what it holds without a word.
    static func refuseUnknownKeys<Keys: CodingKey & CaseIterable>(in decoder: any Decoder, known: Keys.Type) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let names = Keys.allCases.map(\.stringValue)
        for key in container.allKeys.map(\.stringValue).sorted() where !names.contains(key) {
            let path = decoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            throw Words.StateReason.unknownKey(key, at: String(path.drop { $0 == "." }), known: names)
        }
    }

    /// The format version as written: any number, so that `1e30` or `1.5` is refused as a
    /// version this build does not read rather than as JSON it cannot parse.
    struct Version: Codable {
        let number: Double

        init(_ number: Int) { self.number = Double(number) }

        init(from decoder: any Decoder) throws {
            number = try decoder.singleValueContainer().decode(Double.self)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(Int(number))
        }

        /// The number as it was written, near enough: `2`, `1.5`, `1e+30`.
        var text: String {
            number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        }
    }

    let format: String
    let version: Version
    let members: [Member]
    let connections: [String]
    let grants: [String]
    /// Members who lost their access when the integration stopped under them; optional,
    /// so that files written before stranding existed load as they did.
    let stranded: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case format, version, members, connections, grants, stranded
    }

    init(from decoder: any Decoder) throws {
        try Self.refuseUnknownKeys(in: decoder, known: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        version = try container.decode(Version.self, forKey: .version)
        members = try container.decode([Member].self, forKey: .members)
        connections = try container.decode([String].self, forKey: .connections)
        grants = try container.decode([String].self, forKey: .grants)
        // Optional, but a list when it is there: `null` is no list.
        stranded = container.contains(.stranded) ? try container.decode([String].self, forKey: .stranded) : nil
    }

    init(_ instance: Instance) {
        format = Self.format
        version = Version(Self.version)
        members = instance.members.map { Member(name: $0.name, role: $0.role.rawValue) }
        connections = instance.connections
        grants = instance.grantHolders
        stranded = instance.strandedCount > 0 ? instance.strandedMembers : nil
    }

    /// The instance the file describes, checked: an unknown format or version, a name
    /// that is empty or holds a character no name may hold, an unknown role, a name listed
    /// twice, or a state that breaks one of the core's invariants is refused with the reason.
    func instance() throws(Words.StateReason) -> Instance {
        guard format == Self.format else { throw .format(format, expected: Self.format) }
        guard version.number == Double(Self.version) else { throw .version(version.text, supported: Self.version) }
        var instance = Instance()
        for m in members {
            guard !m.name.isEmpty else { throw .emptyName }
            if let bad = m.name.unicodeScalars.first(where: Lexer.isForbidden) { throw .forbiddenCharacter(name: m.name, bad) }
            guard let role = Role(rawValue: m.role) else { throw .unknownRole(name: m.name, role: m.role) }
            guard !instance.isMember(m.name) else { throw .memberListedTwice(m.name) }
            instance.apply(.declare(role, [m.name]))
        }
        for name in connections {
            guard let role = instance.role(of: name) else { throw .connectionNotMember(name) }
            guard role == .admin else { throw .connectionNotAdmin(name) }
            guard !instance.isAdminConnection(name) else { throw .connectionListedTwice(name) }
            instance.apply(.connect(actor: name))
        }
        for name in grants {
            guard instance.isMember(name) else { throw .grantHolderNotMember(name) }
            guard !instance.isAdminConnection(name) else { throw .grantHolderConnected(name) }
            guard !instance.hasAccess(name) else { throw .grantHolderListedTwice(name) }
            guard instance.isLive else { throw .grantWhileNotLive(name) }
            instance.apply(.grant(actor: instance.owner!, targets: [name]))
        }
        for name in stranded ?? [] {
            guard instance.isMember(name) else { throw .strandedNotMember(name) }
            guard !instance.isAdminConnection(name) else { throw .strandedConnected(name) }
            guard !instance.hasAccess(name) else { throw .strandedHoldsAccess(name) }
            guard !instance.isStranded(name) else { throw .strandedListedTwice(name) }
            instance.restoreStranded(name)
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
