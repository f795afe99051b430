import ConnectionCore

/// The kinds of token the lexer produces.
public enum TokenKind: UInt8, Sendable, Hashable, CaseIterable {
    // Keywords: declarations and actions.
    case admin, user, `as`, connect, disconnect, grant, revoke, remove, anyway
    // Keywords: expectations and the rest.
    case expect, owner, none, connected, not, has, access, absent, stranded, violation, show, scenario
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
        "admin", "user", "as", "connect", "disconnect", "grant", "revoke", "remove", "anyway",
        "expect", "owner", "none", "connected", "not", "has", "access", "absent", "stranded", "violation", "show",
        "scenario",
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
        case .stranded: [.stranded]
        }
    }

    /// The keyword a word spells, if any: the table above, looked up by length and first
    /// letter, then compared as two words. `readable` is how many bytes may be read from the
    /// word's start (the rest of the source), so that a word is loaded whole.
    @inline(__always)
    static func keyword(_ word: UnsafePointer<UInt8>, count: Int, readable: Int, in table: KeywordTable) -> TokenKind? {
        guard count >= 2 && count <= 10 else { return nil }
        let letter = word.pointee &- 0x61
        guard letter < 26 else { return nil }
        let candidates = table.slots[(count &- 2) &* 26 &+ Int(letter)]
        guard candidates != 0 else { return nil }
        guard readable >= 16 else { return table.match(word, count: count, candidates: candidates) }
        let low = UInt64(littleEndian: UnsafeRawPointer(word).loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: UnsafeRawPointer(word + 8).loadUnaligned(as: UInt64.self))
        return table.match(low: low, high: high, count: count, candidates: candidates)
    }

    /// `keyword` for a word in a buffer of its own.
    static func keyword(_ word: UnsafeBufferPointer<UInt8>) -> TokenKind? {
        guard let base = word.baseAddress else { return nil }
        return keyword(base, count: word.count, readable: word.count, in: .shared)
    }
}

/// The keyword table in the shape the lexer's inner loop reads: for each (length 2...10,
/// first letter), the keywords of that shape (up to four, each as its raw value + 1 in one
/// byte), and every spelling as two little-endian words, zero-padded, and as bytes for the
/// writers. Built once from `TokenKind`'s spellings, read only afterwards, never freed.
struct KeywordTable: @unchecked Sendable {
    let slots: UnsafePointer<UInt32>
    let keys: UnsafePointer<UInt64>
    let spellings: UnsafePointer<UInt8>
    let lengths: UnsafePointer<UInt8>

    /// The spelling of a token kind, as bytes.
    @inline(__always)
    func spelling(_ kind: TokenKind) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: spellings + 16 &* Int(kind.rawValue), count: Int(lengths[Int(kind.rawValue)]))
    }

    /// The keyword among `candidates` that a word spells, given its first 16 bytes.
    @inline(__always)
    func match(low: UInt64, high: UInt64, count: Int, candidates: UInt32) -> TokenKind? {
        let low = count >= 8 ? low : low & ((1 &<< (8 &* UInt64(count))) &- 1)
        let high = count > 8 ? high & ((1 &<< (8 &* UInt64(count &- 8))) &- 1) : 0
        var candidates = candidates
        repeat {
            let raw = Int(candidates & 0xFF) &- 1
            if keys[2 &* raw] == low && keys[2 &* raw &+ 1] == high { return TokenKind(rawValue: UInt8(raw)) }
            candidates >>= 8
        } while candidates != 0
        return nil
    }

    /// `match` for a word near the end of its buffer, loaded a byte at a time.
    @inline(never)
    func match(_ word: UnsafePointer<UInt8>, count: Int, candidates: UInt32) -> TokenKind? {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for i in 0..<count {
            if i < 8 { low |= UInt64(word[i]) << (8 * UInt64(i)) } else { high |= UInt64(word[i]) << (8 * UInt64(i - 8)) }
        }
        return match(low: low, high: high, count: count, candidates: candidates)
    }

    static let shared: KeywordTable = {
        let slots = UnsafeMutablePointer<UInt32>.allocate(capacity: 9 * 26)
        slots.initialize(repeating: 0, count: 9 * 26)
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * TokenKind.allCases.count)
        keys.initialize(repeating: 0, count: 2 * TokenKind.allCases.count)
        let spellings = UnsafeMutablePointer<UInt8>.allocate(capacity: 16 * TokenKind.allCases.count)
        spellings.initialize(repeating: 0, count: 16 * TokenKind.allCases.count)
        let lengths = UnsafeMutablePointer<UInt8>.allocate(capacity: TokenKind.allCases.count)
        lengths.initialize(repeating: 0, count: TokenKind.allCases.count)
        for kind in TokenKind.keywords {
            let spelling = Array(kind.spelling.utf8)
            let slot = (spelling.count - 2) * 26 + Int(spelling[0] - 0x61)
            var shift: UInt32 = 0
            while (slots[slot] >> shift) & 0xFF != 0 { shift += 8 }
            slots[slot] |= UInt32(kind.rawValue + 1) << shift
            for (i, byte) in spelling.enumerated() {
                keys[2 * Int(kind.rawValue) + i / 8] |= UInt64(byte) << (8 * UInt64(i % 8))
            }
            (spellings + 16 * Int(kind.rawValue)).update(from: spelling, count: spelling.count)
            lengths[Int(kind.rawValue)] = UInt8(spelling.count)
        }
        return KeywordTable(slots: slots, keys: keys, spellings: spellings, lengths: lengths)
    }()
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
