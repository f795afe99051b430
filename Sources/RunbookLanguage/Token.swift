import ConnectionCore

/// The kinds of token the lexer produces.
public enum TokenKind: UInt8, Sendable, Hashable, CaseIterable {
    // Keywords: declarations and actions.
    case admin, user, `as`, connect, disconnect, grant, revoke, remove
    // Keywords: expectations and the rest.
    case expect, owner, none, connected, not, has, access, absent, violation, show, scenario
    // Names.
    case bareName, string
    // Punctuation and separators.
    case comma, semicolon, leftBrace, rightBrace, newline
    // A malformed piece of input, already reported by the lexer.
    case error
    // The end of the input (a sentinel, with an empty range).
    case end

    /// The keyword table: every keyword's spelling, in declaration order. The lexer, the
    /// parser's messages, the formatter and completion all spell keywords from here.
    private static let spellings: [String] = [
        "admin", "user", "as", "connect", "disconnect", "grant", "revoke", "remove",
        "expect", "owner", "none", "connected", "not", "has", "access", "absent", "violation", "show", "scenario",
        "name", "string", ",", ";", "{", "}", "end of line", "invalid input", "end of input",
    ]

    /// The keywords, in declaration order.
    public static let keywords: [TokenKind] = allCases.filter(\.isKeyword)

    /// Whether this kind is a reserved keyword.
    public var isKeyword: Bool { rawValue <= TokenKind.scenario.rawValue }

    /// The keyword's spelling, or a description of the token kind.
    public var spelling: String { Self.spellings[Int(rawValue)] }

    /// The keywords that may start a statement.
    public static let statementStarts: [TokenKind] = [.admin, .user, .as, .expect, .show, .scenario]

    /// The keyword of a verb.
    public init(_ verb: Verb) {
        self = [.connect, .disconnect, .grant, .revoke, .remove][Int(verb.rawValue)]
    }

    /// The verb a keyword spells, if any.
    public var verb: Verb? {
        switch self {
        case .connect: .connect
        case .disconnect: .disconnect
        case .grant: .grant
        case .revoke: .revoke
        case .remove: .remove
        default: nil
        }
    }

    /// The keyword that declares members of a role.
    public init(_ role: Role) { self = role == .admin ? .admin : .user }

    /// The keywords that say a member check, after the names: `not connected`.
    public static func keywords(of check: MemberCheck) -> [TokenKind] {
        switch check {
        case .connected: [.connected]
        case .notConnected: [.not, .connected]
        case .hasAccess: [.has, .access]
        case .absent: [.absent]
        }
    }

    /// The keyword a word spells, if any: the table above, looked up by length and first
    /// letter, then compared.
    @inline(__always)
    static func keyword(_ word: UnsafeBufferPointer<UInt8>) -> TokenKind? {
        let count = word.count
        guard count >= 2 && count <= 10, let first = word.first, first >= 0x61 && first <= 0x7A else { return nil }
        var candidates = keywordSlots[(count - 2) * 26 + Int(first - 0x61)]
        while candidates != 0 {
            let kind = TokenKind(rawValue: UInt8(truncatingIfNeeded: candidates & 0xFF) - 1)!
            if keywordBytes[Int(kind.rawValue)].withUnsafeBufferPointer({ equalBytes($0.baseAddress!, word.baseAddress!, count) }) {
                return kind
            }
            candidates >>= 8
        }
        return nil
    }

    /// For each (length 2...10, first letter), the keywords of that shape: up to four
    /// kinds, each as its raw value + 1 in one byte.
    private static let keywordSlots: [UInt32] = {
        var slots = [UInt32](repeating: 0, count: 9 * 26)
        for kind in keywords {
            let spelling = Array(kind.spelling.utf8)
            let slot = (spelling.count - 2) * 26 + Int(spelling[0] - 0x61)
            var shift: UInt32 = 0
            while (slots[slot] >> shift) & 0xFF != 0 { shift += 8 }
            slots[slot] |= UInt32(kind.rawValue + 1) << shift
        }
        return slots
    }()

    private static let keywordBytes: [[UInt8]] = allCases.map { Array($0.spelling.utf8) }
}

/// A token: its kind and the byte range it covers in the source.
public struct Token: Sendable, Hashable {
    public var kind: TokenKind
    /// Byte offsets into the source, end exclusive.
    public var range: Range<Int>

    public init(_ kind: TokenKind, _ range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}
