import ConnectionCore

#if canImport(Glibc)
    import Glibc
#endif

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

/// One background statement of a compiled source (`Parser.compile`), in 20 bytes. The
/// shapes long runbooks are mostly made of, an action or an expectation on one name at a
/// time, are held with their names as ids, and the interpreter runs them without a tree;
/// any other statement is a tree kept aside, which this refers to.
struct CompiledStatement {
    enum Form {
        /// `as ACTOR VERB [TARGET]`.
        case action
        /// `expect owner ACTOR`, or `expect owner none` when `actor` is -1.
        case owner
        /// `expect TARGET connected` and its siblings.
        case member(MemberCheck)
        /// `expect violation [RULE] as ACTOR VERB [TARGET]`.
        case violation
        /// Any other statement: the tree `target` in `CompiledSource.trees`.
        case tree
    }

    var form: Form
    var verb = Instance.Verb.connect
    var rule: RuleID?
    /// Name ids (`Name.id`), -1 for none.
    var actor: Int32 = -1
    var target: Int32 = -1
    /// The statement's source range, for the compact shapes.
    var start: Int32 = 0
    var end: Int32 = 0

    var range: Range<Int> { Int(start)..<Int(end) }

    init(form: Form) {
        self.form = form
    }

    /// A reference to the tree at `index`.
    init(tree index: Int) {
        form = .tree
        target = Int32(truncatingIfNeeded: index)
    }
}

/// What `expect NAMES ...` claims of each name.
enum MemberCheck {
    case connected, notConnected, hasAccess, absent
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
        return name.withUTF8 { isBare($0) }
    }

    /// `isBare` on a name's UTF-8 bytes.
    static func isBare(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = name.first, isNameStart(first) else { return false }
        for b in name where !isNameChar(b) { return false }
        return keyword(name) == nil
    }

    /// The keyword a word spells, if any.
    @inline(__always)
    static func keyword(_ word: UnsafeBufferPointer<UInt8>) -> TokenKind? {
        func spells(_ keyword: StaticString) -> Bool {
            keyword.withUTF8Buffer { k in memcmp(word.baseAddress!, k.baseAddress!, k.count) == 0 }
        }
        guard let first = word.first else { return nil }
        switch (word.count, first) {
        case (2, 0x61): return spells("as") ? .as : nil
        case (3, 0x68): return spells("has") ? .has : nil
        case (3, 0x6E): return spells("not") ? .not : nil
        case (4, 0x75): return spells("user") ? .user : nil
        case (4, 0x6E): return spells("none") ? TokenKind.none : nil
        case (4, 0x73): return spells("show") ? .show : nil
        case (5, 0x61): return spells("admin") ? .admin : nil
        case (5, 0x67): return spells("grant") ? .grant : nil
        case (5, 0x6F): return spells("owner") ? .owner : nil
        case (6, 0x72): return spells("revoke") ? .revoke : spells("remove") ? .remove : nil
        case (6, 0x65): return spells("expect") ? .expect : nil
        case (6, 0x61): return spells("access") ? .access : spells("absent") ? .absent : nil
        case (7, 0x63): return spells("connect") ? .connect : nil
        case (8, 0x73): return spells("scenario") ? .scenario : nil
        case (9, 0x63): return spells("connected") ? .connected : nil
        case (9, 0x76): return spells("violation") ? .violation : nil
        case (10, 0x64): return spells("disconnect") ? .disconnect : nil
        default: return nil
        }
    }

    /// `bare_name`'s first character: a letter or `_`.
    @inline(__always)
    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F
    }

    /// `isNameChar` for every byte value: the lexer's inner loop looks bytes up here.
    /// Written once, read only afterwards, never freed.
    nonisolated(unsafe) static let nameChars: UnsafePointer<Bool> = {
        let table = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
        for b in 0..<256 { table[b] = isNameChar(UInt8(b)) }
        return UnsafePointer(table)
    }()

    /// `name_char` as two 64-bit masks over ASCII: digits `.` `+` `-`, and `@` letters `_`.
    @inline(__always)
    static func isNameChar(_ b: UInt8) -> Bool {
        let low: UInt64 = 0x03FF_6800_0000_0000  // 0-9 . + -
        let high: UInt64 = 0x07FF_FFFE_87FF_FFFF  // @ A-Z _ a-z
        return b < 128 && ((b < 64 ? low : high) >> UInt64(b & 63)) & 1 == 1
    }

    /// `name` written as the language reads it back: bare when possible, quoted otherwise.
    public static func spell(_ name: String) -> String { quoted(name) }
}
