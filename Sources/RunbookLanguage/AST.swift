import ConnectionCore

/// A member name as written, bare or quoted, with the range of its token.
public struct Name: Sendable, Hashable {
    /// The name itself, quotes and escapes resolved.
    public var text: String
    public var range: Range<Int>
    /// The same id for every occurrence of the same name in a parse of one source (its
    /// index in `Program.names`); -1 when the name was made outside a parse.
    public internal(set) var id: Int32

    public init(_ text: String, _ range: Range<Int>) {
        self.init(text, range, id: -1)
    }

    init(_ text: String, _ range: Range<Int>, id: Int32) {
        self.text = text
        self.range = range
        self.id = id
    }
}

/// `action = "as" , name , verb`.
public struct ActionNode: Sendable, Hashable {
    public enum Verb: Sendable, Hashable {
        case connect
        case disconnect
        case grant([Name])
        case revoke([Name])
        case remove([Name])
    }

    public var actor: Name
    public var verb: Verb
    /// From `as` to the end of the last name.
    public var range: Range<Int>

    /// The core's action for this node.
    public var action: Action {
        switch verb {
        case .connect: .connect(actor: actor.text)
        case .disconnect: .disconnect(actor: actor.text)
        case .grant(let names): .grant(actor: actor.text, targets: names.map(\.text))
        case .revoke(let names): .revoke(actor: actor.text, targets: names.map(\.text))
        case .remove(let names): .remove(actor: actor.text, targets: names.map(\.text))
        }
    }

    /// The targets as written.
    public var targets: [Name] {
        switch verb {
        case .connect, .disconnect: []
        case .grant(let names), .revoke(let names), .remove(let names): names
        }
    }
}

/// What an `expect` statement claims.
public enum Expectation: Sendable, Hashable {
    /// `expect owner NAME`, or `expect owner none` (`nil`).
    case owner(Name?)
    case connected([Name])
    case notConnected([Name])
    case hasAccess([Name])
    case absent([Name])
    /// `expect violation [RULE-ID] as NAME VERB ...`.
    indirect case violation(rule: RuleID?, ruleRange: Range<Int>?, action: ActionNode)
}

/// One statement with the range of its source text.
public struct Statement: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case declare(Role, [Name])
        case action(ActionNode)
        case expect(Expectation)
        case show
    }

    public var kind: Kind
    /// From the first token of the statement to the end of its last.
    public var range: Range<Int>

    public init(_ kind: Kind, _ range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}

/// `scenario "title" { ... }`.
public struct Scenario: Sendable, Hashable {
    public var title: String
    /// From `scenario` to `{`.
    public var headerRange: Range<Int>
    public var body: [Statement]
    /// The closing `}`; `nil` when the input ended first.
    public var closeRange: Range<Int>?
}

/// A parsed file: the background statements, then the scenarios.
public struct Program: Sendable, Hashable {
    public var source: SourceFile
    public var background: [Statement] = []
    public var scenarios: [Scenario] = []
    /// The comments, `#` included, in source order; kept for the formatter.
    public var comments: [Range<Int>] = []
    /// The distinct names, indexed by `Name.id`.
    public var names: [String] = []

    public init(source: SourceFile) {
        self.source = source
    }

    /// The number of statements, scenarios' bodies included.
    public var statementCount: Int {
        scenarios.reduce(background.count) { $0 + $1.body.count }
    }
}

// MARK: - Shape

/// A compact, range-free rendering of the tree, for tests and for comparing the
/// programs two texts mean: `(declare admin a b) (as a grant b)`.
extension Program {
    public var shape: String {
        var parts = background.map(\.shape)
        for s in scenarios {
            parts.append("(scenario \(quotedTitle(s.title)) " + s.body.map(\.shape).joined(separator: " ") + ")")
        }
        return parts.joined(separator: " ")
    }
}

extension Statement {
    public var shape: String {
        switch kind {
        case .declare(let role, let names): "(\(role.rawValue) \(names.shape))"
        case .action(let action): action.shape
        case .expect(let e): "(expect \(e.shape))"
        case .show: "(show)"
        }
    }
}

extension ActionNode {
    var shape: String {
        switch verb {
        case .connect: "(as \(quoted(actor.text)) connect)"
        case .disconnect: "(as \(quoted(actor.text)) disconnect)"
        case .grant(let n): "(as \(quoted(actor.text)) grant \(n.shape))"
        case .revoke(let n): "(as \(quoted(actor.text)) revoke \(n.shape))"
        case .remove(let n): "(as \(quoted(actor.text)) remove \(n.shape))"
        }
    }
}

extension Expectation {
    var shape: String {
        switch self {
        case .owner(let n): "owner \(n.map { quoted($0.text) } ?? "none")"
        case .connected(let n): "\(n.shape) connected"
        case .notConnected(let n): "\(n.shape) not-connected"
        case .hasAccess(let n): "\(n.shape) has-access"
        case .absent(let n): "\(n.shape) absent"
        case .violation(let rule, _, let action): "violation \(rule?.rawValue ?? "any") \(action.shape)"
        }
    }
}

extension [Name] {
    fileprivate var shape: String { map { quoted($0.text) }.joined(separator: " ") }
}

/// A name as the formatter writes it: bare when it can be, quoted otherwise.
func quoted(_ name: String) -> String {
    if Syntax.isBare(name) { return name }
    var out = "\""
    for scalar in name.unicodeScalars {
        if scalar == "\"" || scalar == "\\" { out += "\\" }
        out.unicodeScalars.append(scalar)
    }
    return out + "\""
}

/// A scenario title as written: always quoted.
func quotedTitle(_ title: String) -> String {
    var out = "\""
    for scalar in title.unicodeScalars {
        if scalar == "\"" || scalar == "\\" { out += "\\" }
        out.unicodeScalars.append(scalar)
    }
    return out + "\""
}

/// Facts about the language's surface shared by the parser, the formatter and the REPL.
public enum Syntax {
    /// Whether `name` can be written without quotes: it matches `bare_name` and is not a keyword.
    public static func isBare(_ name: String) -> Bool {
        var name = name
        let (matches, lowercase) = name.withUTF8 { bytes -> (Bool, Bool) in
            guard let first = bytes.first, isNameStart(first) else { return (false, false) }
            var lowercase = true
            for b in bytes {
                guard isNameChar(b) else { return (false, false) }
                lowercase = lowercase && b >= 0x61 && b <= 0x7A
            }
            return (true, lowercase)
        }
        // Keywords are lowercase letters only; anything else cannot spell one.
        return matches && (!lowercase || !keywordSpellings.contains(name))
    }

    /// `bare_name`'s first character: a letter or `_`.
    @inline(__always)
    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F
    }

    /// `name_char` as two 64-bit masks over ASCII: digits `.` `+` `-`, and `@` letters `_`.
    @inline(__always)
    static func isNameChar(_ b: UInt8) -> Bool {
        let low: UInt64 = 0x03FF_6800_0000_0000  // 0-9 . + -
        let high: UInt64 = 0x07FF_FFFE_87FF_FFFF  // @ A-Z _ a-z
        return b < 64 ? (low >> UInt64(b)) & 1 == 1 : b < 128 && (high >> UInt64(b - 64)) & 1 == 1
    }

    private static let keywordSpellings = Set(TokenKind.keywords.map(\.spelling))

    /// `name` written as the language reads it back: bare when possible, quoted otherwise.
    public static func spell(_ name: String) -> String { quoted(name) }
}
