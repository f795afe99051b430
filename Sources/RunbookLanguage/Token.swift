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

    /// The keywords, in declaration order.
    public static let keywords: [TokenKind] = Array(allCases[0..<19])

    /// Whether this kind is a reserved keyword.
    public var isKeyword: Bool { rawValue <= TokenKind.scenario.rawValue }

    /// The keyword's spelling, or a description of the token kind.
    public var spelling: String { Self.spellings[Int(rawValue)] }

    private static let spellings: [String] = [
        "admin", "user", "as", "connect", "disconnect", "grant", "revoke", "remove",
        "expect", "owner", "none", "connected", "not", "has", "access", "absent", "violation", "show", "scenario",
        "name", "string", ",", ";", "{", "}", "end of line", "invalid input", "end of input",
    ]

    /// The verbs that may follow `as NAME`.
    public static let verbs: [TokenKind] = [.connect, .disconnect, .grant, .revoke, .remove]
    /// The keywords that may start a statement.
    public static let statementStarts: [TokenKind] = [.admin, .user, .as, .expect, .show, .scenario]
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
