import ConnectionCore

/// What `expect NAMES ...` claims of each name.
public enum MemberCheck: UInt8, Sendable, Hashable, CaseIterable {
    case connected, notConnected, hasAccess, absent, stranded
}

/// The rule an `expect violation` names.
public enum RuleReference: Sendable, Hashable {
    /// No rule: any refusal will do.
    case any
    case rule(RuleID)
    /// A rule id that is not in the catalogue: the program cannot run, but it can be formatted.
    case unknown
}

/// One statement of the form: a fixed-size record of 16 bytes (kind, flags, source range,
/// and where its names start in the chunk's one array of name ids; they end where the next
/// statement's start).
///
/// A statement that does not parse is kept as a broken record, from its first token to
/// where the parser resynchronised, with the names it read before the error: the rest of
/// the source stays in the form around it (swift-syntax's unexpected nodes).
///
/// A statement is read through its chunk: `chunk.names(of:)` gives the names of the
/// statement at an index, the actor first for actions and `expect violation`.
public struct Statement: Sendable, Hashable {
    /// The statement's grammar rule, with what distinguishes it.
    public enum Kind: Sendable, Hashable {
        /// `admin NAMES` or `user NAMES`.
        case declare(Role)
        /// `as NAME VERB [NAMES] [anyway]`: `anyway` performs it even where a hazard flags it.
        case action(Verb, anyway: Bool)
        /// `expect owner NAME`, or `expect owner none` when the statement has no names.
        case expectOwner
        /// `expect NAMES connected` and its siblings.
        case expectMembers(MemberCheck)
        /// `expect violation [RULE-ID] as NAME VERB [NAMES]`.
        case expectViolation(RuleReference, Verb)
        /// `show`.
        case show
        /// A statement that does not parse, kept as typed; the source then has a syntax
        /// error and cannot run.
        case broken
    }

    /// The record's kind byte.
    enum Tag: UInt8 {
        case declare, action, expectOwner, expectMembers, expectViolation, show, broken
    }

    let tag: Tag
    /// The role, verb or member check, by raw value.
    let operand: UInt8
    /// `expect violation`'s rule: 0 for any, 1 + the rule's index, or 0xFF for an unknown id.
    let rule: UInt8
    /// `Statement.anyway` for an action that ends with `anyway`; for an `expect violation`
    /// that names a rule in the catalogue, in the bits above it, how far past the
    /// statement's start the rule id starts (0 when 128 bytes or more: the range is then
    /// in `Chunk.ruleSpans`, as an unknown rule id's is).
    let flags: UInt8
    let start: Int32
    let end: Int32
    /// The first of the statement's names in `Chunk.ids`.
    let firstName: Int32

    /// From the first token of the statement to the end of its last.
    public var range: Range<Int> { Int(start)..<Int(end) }

    /// The same statement, its names `offset` further on in `Chunk.ids`.
    func moved(by offset: Int32) -> Statement {
        Statement(tag: tag, operand: operand, rule: rule, flags: flags, start: start, end: end, firstName: firstName + offset)
    }

    /// The flag of an action written with `anyway`.
    static let anyway: UInt8 = 1

    /// The flags of a rule id `offset` bytes past the statement's start, 0 when too far.
    static func ruleOffset(_ offset: Int) -> UInt8 { offset > 0 && offset < 0x80 ? UInt8(offset) << 1 : 0 }

    /// Whether the statement is an action written with `anyway`: a hazard does not stop it.
    public var isAnyway: Bool { flags & Self.anyway != 0 }

    public var kind: Kind {
        switch tag {
        case .declare: .declare(operand == 0 ? .admin : .user)
        case .action: .action(verb, anyway: isAnyway)
        case .expectOwner: .expectOwner
        case .expectMembers: .expectMembers(check)
        case .expectViolation: .expectViolation(ruleReference, verb)
        case .show: .show
        case .broken: .broken
        }
    }

    /// Whether the statement does not parse.
    public var isBroken: Bool { tag == .broken }

    /// Whether the statement is an expectation, which performs no action.
    public var isExpectation: Bool { tag == .expectOwner || tag == .expectMembers || tag == .expectViolation }

    var verb: Verb { Verb(rawValue: operand)! }
    var check: MemberCheck { MemberCheck(rawValue: operand)! }
    var role: Role { operand == 0 ? .admin : .user }

    var ruleReference: RuleReference {
        switch rule {
        case 0: .any
        case 0xFF: .unknown
        default: .rule(rulesInOrder[Int(rule) - 1])
        }
    }

    static func encode(_ rule: RuleReference) -> UInt8 {
        switch rule {
        case .any: 0
        case .unknown: 0xFF
        case .rule(let id): UInt8(rulesInOrder.firstIndex(of: id)! + 1)
        }
    }
}

/// The source range of a token, as the form stores it: 8 bytes.
struct Span: Sendable, Hashable {
    let start: Int32
    let end: Int32

    init(_ range: Range<Int>) {
        start = Int32(truncatingIfNeeded: range.lowerBound)
        end = Int32(truncatingIfNeeded: range.upperBound)
    }

    var range: Range<Int> { Int(start)..<Int(end) }
}

/// Where the rule id of the statement at an index is.
struct RuleSpan: Sendable, Hashable {
    let statement: Int32
    let span: Span
}

/// The rules in table order, which a statement record refers to by index.
private let rulesInOrder = RuleID.allCases

/// A name as a statement uses it.
public struct NameReference: Sendable, Hashable {
    /// The name's id in its chunk: the same for every use of the same name.
    public let id: Int
    /// The name, quotes and escapes resolved.
    public let text: String
    /// The range of its token, quotes included.
    public let range: Range<Int>
}

/// `scenario "title" { ... }`: a title and a range of the chunk's statements.
public struct Scenario: Sendable, Hashable {
    public var title: String
    /// From `scenario` to `{`.
    public var headerRange: Range<Int>
    /// The scenario's statements, as indices into `Chunk.statements`.
    public var statements: Range<Int>
    /// The closing `}`; `nil` when the input ended first.
    public var closeRange: Range<Int>?
    /// Whether the header does not parse (its title is not a quoted string): it is kept as typed.
    public var headerIsBroken = false

    /// The one test a source without scenarios is: its statements, named after the source.
    public static func wholeFile(of chunk: Chunk) -> Scenario {
        Scenario(
            title: chunk.source.name, headerRange: 0..<0, statements: chunk.backgroundCount..<chunk.backgroundCount,
            closeRange: nil)
    }

    /// Whether this is the test of a source without scenarios.
    public var isWholeFile: Bool { headerRange.isEmpty }
}

/// The one form of a parsed source, as clox compiles to one chunk: flat statement
/// records, their names as slices of one array of name ids, scenarios as ranges of
/// records, comments in a side table. The interpreter, the formatter, the REPL, `test`,
/// goals, completion and the language server all read it; nothing else is parsed.
public struct Chunk: Sendable {
    public let source: SourceFile
    /// Every statement in source order: the background, then each scenario's body.
    public internal(set) var statements: [Statement] = []
    /// The name ids of every statement, in order: equal names (after canonical
    /// equivalence) have equal ids.
    var ids: [Int32] = []
    /// Where the token of each name in `ids` is, in the same order, stored as the parser
    /// reads them so that nothing lexes a statement again to find its names: 1 byte a
    /// name, how far it starts past the end of the statement's name before it (or the
    /// statement's start), below 127, with `quotedSpan` set for a quoted name; its length
    /// is its text's, and the quotes. `Chunk.farSpan` for a name farther on, or spelt
    /// longer or shorter than its text (escapes, another canonically equivalent
    /// spelling): its range is then in `farSpans`.
    var spans: [UInt8] = []
    /// The ranges of the names whose span does not fit, by index in `ids`.
    var farSpans: [Int32: Span] = [:]
    /// The range of the rule id of each `expect violation` whose record does not hold it
    /// (an unknown rule id, or one far into its statement), by statement index, in source
    /// order.
    var ruleSpans: [RuleSpan] = []
    /// The distinct names, by id.
    public internal(set) var names: [String] = []
    /// How many of `statements` are the background (before the first scenario).
    public internal(set) var backgroundCount = 0
    public internal(set) var scenarios: [Scenario] = []
    /// The comments, `#` included, in source order; kept for the formatter.
    public internal(set) var comments: [Range<Int>] = []

    init(source: SourceFile) {
        self.source = source
    }

    /// The background's statements, as indices into `statements`.
    public var background: Range<Int> { 0..<backgroundCount }

    /// Where the names of the statement at `index` are in `ids`.
    @inline(__always)
    func idRange(of index: Int) -> Range<Int> {
        let end = index &+ 1 < statements.count ? Int(statements[index &+ 1].firstName) : ids.count
        return Int(statements[index].firstName)..<end
    }

    /// The name ids of the statement at `index`.
    func ids(of index: Int) -> ArraySlice<Int32> { ids[idRange(of: index)] }

    /// How many names the statement at `index` lists, without reading them.
    public func nameCount(of index: Int) -> Int { idRange(of: index).count }

    /// A name whose range is in `farSpans`.
    static let farSpan: UInt8 = 0xFF
    /// The bit of a quoted name's span.
    static let quotedSpan: UInt8 = 0x80

    /// Stores where the next name of `ids` is, `textLength` the bytes of its text and
    /// `base` where the statement's name before it ended (or the statement starts);
    /// returns where this one ends.
    @inline(__always)
    mutating func appendSpan(_ range: Range<Int>, quoted: Bool, textLength: Int, after base: Int) -> Int {
        let gap = range.lowerBound &- base
        if gap < 0x7F && range.count == textLength &+ (quoted ? 2 : 0) {
            spans.append(UInt8(truncatingIfNeeded: gap) | (quoted ? Self.quotedSpan : 0))
        } else {
            farSpans[Int32(truncatingIfNeeded: spans.count)] = Span(range)
            spans.append(Self.farSpan)
        }
        return range.upperBound
    }

    /// The ranges of the tokens of the names at `indices` in `ids`, the first names of a
    /// statement that starts at `statementStart`, `texts` being the names by id.
    func nameRanges(_ indices: Range<Int>, statementStart: Int, texts: [String]) -> [Range<Int>] {
        var base = statementStart
        return indices.map { i in
            let packed = spans[i]
            let range: Range<Int>
            if packed == Self.farSpan {
                range = farSpans[Int32(i)]!.range
            } else {
                let start = base + Int(packed & ~Self.quotedSpan)
                let quotes = packed & Self.quotedSpan != 0 ? 2 : 0
                range = start..<(start + texts[Int(ids[i])].utf8.count + quotes)
            }
            base = range.upperBound
            return range
        }
    }

    /// The text of a name id.
    func name(_ id: Int32) -> String { names[Int(id)] }

    /// The names of the statement at `index`, the actor first for actions and `expect
    /// violation`.
    public func memberNames(of index: Int) -> [String] { ids(of: index).map(name) }

    /// The names of the statement at `index`, the actor first for actions and `expect
    /// violation`, with the ranges of their tokens.
    public func names(of index: Int) -> [NameReference] {
        let indices = idRange(of: index)
        return zip(indices, nameRanges(indices, statementStart: Int(statements[index].start), texts: names)).map { i, range in
            let id = Int(ids[i])
            return NameReference(id: id, text: names[id], range: range)
        }
    }

    /// The range of the rule id of the `expect violation` at `index`, when it names one.
    public func ruleRange(of index: Int) -> Range<Int>? {
        let statement = statements[index]
        guard statement.tag == .expectViolation, statement.rule != 0 else { return nil }
        if statement.flags >> 1 != 0, case .rule(let id) = statement.ruleReference {
            let start = Int(statement.start) + Int(statement.flags >> 1)
            return start..<(start + id.rawValue.utf8.count)
        }
        var low = 0
        var high = ruleSpans.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let span = ruleSpans[mid]
            if Int(span.statement) == index { return span.span.range }
            if index < Int(span.statement) { high = mid - 1 } else { low = mid + 1 }
        }
        return nil
    }

    /// The scenario whose body holds the statement at `index`, if any.
    public func scenario(containing index: Int) -> Scenario? {
        guard index >= backgroundCount else { return nil }
        var low = 0
        var high = scenarios.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let s = scenarios[mid]
            if s.statements.contains(index) { return s }
            if index < s.statements.lowerBound { high = mid - 1 } else { low = mid + 1 }
        }
        return nil
    }
}

/// A chunk with no errors: the only form the interpreter runs. A host gets one from
/// `ParseResult.program`, so a source with syntax errors can never run.
public struct Program: Sendable {
    public let chunk: Chunk

    init(_ chunk: Chunk) {
        self.chunk = chunk
    }

    public var source: SourceFile { chunk.source }
}
