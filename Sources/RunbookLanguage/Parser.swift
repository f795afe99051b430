import ConnectionCore

#if canImport(Glibc)
    import Glibc
#endif

/// Input that ended inside a construct: the REPL reads a continuation line for it.
public enum IncompleteInput: Sendable, Hashable {
    /// A `scenario {` still open at the end of the input.
    case scenario(openedAtLine: Int)
    /// A names list ending in a comma.
    case namesAfterComma
}

/// What the parser made of a source: the program, every syntax error, and whether the
/// input ended inside a construct.
public struct ParseResult: Sendable {
    public var program: Program
    /// Lexical and syntax errors in source order; empty when the source parsed.
    public var diagnostics: [Diagnostic]
    /// Set when the input ended inside a construct; `diagnostics` then ends with the
    /// error that says so.
    public var incomplete: IncompleteInput?

    public var succeeded: Bool { diagnostics.isEmpty }
}

/// A source parsed for running (`Parser.compile`): the background compact, the
/// scenarios as trees.
public struct CompiledSource: Sendable {
    /// The diagnostics, and the program with the scenarios (its background is left empty:
    /// it is in `statements`).
    public var result: ParseResult
    var statements: [CompiledStatement]
    /// The background statements that have no compact shape.
    var trees: [Statement]
    fileprivate var nameTable: NameTable

    public var source: SourceFile { result.program.source }

    /// The names' texts, by id.
    var names: [String] { nameTable.names }
}

/// A recursive-descent parser over `grammar/runbook.ebnf`, one function per rule.
///
/// Parsing never throws. Each error is recorded and the parser resynchronises at the
/// next newline or `;` (or the `}` that closes the scenario), so one pass reports
/// every syntax error in the file.
public struct Parser {
    private var lexer: Lexer
    private let source: SourceFile
    private let bytes: UnsafeBufferPointer<UInt8>
    private var names = NameTable()
    private var token: Token
    /// The end of the last token consumed that was not a newline.
    private var lastEnd = 0
    /// The line `token` is on.
    private var line: Int
    private var diagnostics: [Diagnostic] = []
    private var incomplete: IncompleteInput?
    /// Where the last names list started, for messages.
    private var namesStart = 0
    /// Whether statements of the common shapes are read as compact statements.
    private let compacts: Bool

    /// Parses a whole source.
    public static func parse(_ source: SourceFile) -> ParseResult {
        source.bytes.withUnsafeBufferPointer { bytes in
            var parser = Parser(source, bytes: bytes)
            let program = parser.parseFile()  // before `result` reads the parser's state
            return parser.result(program)
        }
    }

    /// Parses a source for running: the background as compact statements (20 bytes each
    /// for the common shapes, a tree kept aside for the rest), the scenarios as trees.
    /// A run of a million statements then holds a small array, not a million trees.
    public static func compile(_ source: SourceFile) -> CompiledSource {
        source.bytes.withUnsafeBufferPointer { bytes in
            var parser = Parser(source, bytes: bytes)
            // Room for a statement every dozen bytes, reserved once: pages a short runbook
            // leaves unused are never touched.
            var statements: [CompiledStatement] = []
            statements.reserveCapacity(bytes.count / 12)
            var trees: [Statement] = []
            while true {
                if let compact = parser.nextCompactStatement() {
                    statements.append(compact)
                } else if let statement = parser.nextBackgroundStatement() {
                    statements.append(CompiledStatement(tree: trees.count))
                    trees.append(statement)
                } else {
                    break
                }
            }
            var program = Program(source: source)
            parser.parseScenarios(into: &program)
            return CompiledSource(
                result: parser.result(program), statements: statements, trees: trees, nameTable: parser.names)
        }
    }

    /// The tree of a compact statement, parsed again with the same name ids, for the
    /// interpreter's full path.
    static func tree(of statement: CompiledStatement, in compiled: CompiledSource) -> Statement {
        let source = compiled.source
        return source.bytes.withUnsafeBufferPointer { bytes in
            var parser = Parser(source, bytes: bytes, from: statement.range.lowerBound)
            parser.names = compiled.nameTable
            return parser.parseStatement()!  // a compact shape always parses
        }
    }

    private func result(_ program: Program) -> ParseResult {
        var program = program
        program.names = names.names
        var all = lexer.diagnostics + self.diagnostics
        all.sort { $0.range.lowerBound < $1.range.lowerBound }
        return ParseResult(program: program, diagnostics: all, incomplete: incomplete)
    }

    private init(_ source: SourceFile, bytes: UnsafeBufferPointer<UInt8>, from offset: Int? = nil) {
        self.source = source
        self.bytes = bytes
        self.lexer = Lexer(source, bytes: bytes, from: offset)
        // Compact statements hold 32-bit offsets: a larger source is all trees.
        self.compacts = bytes.count <= Int(Int32.max)
        self.line = source.firstLine
        self.token = Token(.end, 0..<0)
        self.token = lexer.next()
    }

    // MARK: Rules

    /// `file = [ bom ] , { separator } , background , { scenario , { separator } }`.
    private mutating func parseFile() -> Program {
        var program = Program(source: source)
        while let statement = nextBackgroundStatement() {
            program.background.append(statement)
        }
        parseScenarios(into: &program)
        return program
    }

    /// `background`: the next statement before the first scenario, or `nil` at the first
    /// scenario or the end of the input.
    private mutating func nextBackgroundStatement() -> Statement? {
        while true {
            skipSeparators()
            switch token.kind {
            case .end, .scenario:
                return nil
            case .rightBrace:
                report(Message.strayBrace(token, in: source))
                advance()
            default:
                guard let statement = parseStatement() else {
                    synchronize(inScenario: false)
                    continue
                }
                endStatement(inScenario: false)
                return statement
            }
        }
    }

    /// `{ scenario , { separator } }`: the rest of the file after the background.
    private mutating func parseScenarios(into program: inout Program) {
        while true {
            skipSeparators()
            switch token.kind {
            case .end:
                program.comments = lexer.comments
                return
            case .rightBrace:
                report(Message.strayBrace(token, in: source))
                advance()
            case .scenario:
                if let scenario = parseScenario() { program.scenarios.append(scenario) }
            default:
                guard let statement = parseStatement() else {
                    synchronize(inScenario: false)
                    continue
                }
                report(Message.statementAfterScenario(statement.range, in: source))
                endStatement(inScenario: false)
            }
        }
    }

    /// `scenario = "scenario" , string , "{" , statements , "}"`.
    private mutating func parseScenario() -> Scenario? {
        let start = token.range.lowerBound
        let openLine = line
        advance()
        var title = ""
        if token.kind == .string {
            title = nameText(token.range)
            advance()
        } else {
            report(Message.expected("a quoted title after 'scenario'", found: token, in: source))
            if token.kind == .bareName { advance() }
        }
        guard token.kind == .leftBrace else {
            report(Message.expected("'{' after the scenario title", found: token, in: source))
            synchronize(inScenario: false)
            return nil
        }
        var scenario = Scenario(title: title, headerRange: start..<token.range.upperBound, body: [], closeRange: nil)
        advance()
        // Scenarios nested by mistake: their statements are kept, their braces counted
        // (not recursed into, so deep nesting cannot exhaust the stack).
        var nested = 0
        while true {
            skipSeparators()
            switch token.kind {
            case .rightBrace where nested > 0:
                nested -= 1
                advance()
            case .rightBrace:
                scenario.closeRange = token.range
                advance()
                return scenario
            case .end:
                report(Message.unclosedScenario(openedAt: openLine, found: token, in: source))
                incomplete = .scenario(openedAtLine: openLine)
                return scenario
            case .scenario:
                report(Message.nestedScenario(token, openedAt: openLine, in: source))
                while ![.leftBrace, .newline, .semicolon, .end].contains(token.kind) { advance() }
                if token.kind == .leftBrace {
                    nested += 1
                    advance()
                }
            default:
                guard let statement = parseStatement() else {
                    synchronize(inScenario: true)
                    continue
                }
                scenario.body.append(statement)
                endStatement(inScenario: true)
            }
        }
    }

    /// `statement = declaration | action | expectation | show`.
    private mutating func parseStatement() -> Statement? {
        let start = token.range.lowerBound
        switch token.kind {
        case .admin, .user:
            // declaration = ( "admin" | "user" ) , names
            let role: Role = token.kind == .admin ? .admin : .user
            advance()
            guard let names = parseNames(after: role == .admin ? .admin : .user) else { return nil }
            return Statement(.declare(role, names), start..<lastEnd)
        case .as:
            guard let action = parseAction() else { return nil }
            return Statement(.action(action), action.range)
        case .expect:
            guard let expectation = parseExpectation() else { return nil }
            return Statement(.expect(expectation), start..<lastEnd)
        case .show:
            advance()
            return Statement(.show, start..<lastEnd)
        default:
            var hints = Message.didYouMean(token, in: source, among: TokenKind.statementStarts)
            if hints.isEmpty && TokenKind.verbs.contains(token.kind) {
                hints = ["an action names who does it: as NAME \(source.text(token.range))"]
            }
            report(Message.expected("a statement", found: token, in: source, hints: hints))
            return nil
        }
    }

    /// `action = "as" , name , verb` and `verb = "connect" | "disconnect" | ( "grant" | "revoke" | "remove" ) , names`.
    private mutating func parseAction() -> ActionNode? {
        let start = token.range.lowerBound
        advance()
        guard let actor = parseName(expected: "a member name after 'as'") else { return nil }
        let verb: ActionNode.Verb
        switch token.kind {
        case .connect:
            advance()
            verb = .connect
        case .disconnect:
            advance()
            verb = .disconnect
        case .grant, .revoke, .remove:
            let kind = token.kind
            advance()
            guard let names = parseNames(after: kind) else { return nil }
            verb = kind == .grant ? .grant(names) : kind == .revoke ? .revoke(names) : .remove(names)
        default:
            report(
                Message.expected(
                    "a verb after 'as \(quoted(nameText(actor.range)))'", found: token, in: source,
                    hints: Message.didYouMean(token, in: source, among: TokenKind.verbs)))
            return nil
        }
        return ActionNode(actor: actor, verb: verb, range: start..<lastEnd)
    }

    /// `expectation = "expect" , ( owner_expect | violation_expect | member_expect )`.
    private mutating func parseExpectation() -> Expectation? {
        advance()
        switch token.kind {
        case .owner:
            // owner_expect = "owner" , ( name | "none" )
            advance()
            if token.kind == .none {
                advance()
                return .owner(nil)
            }
            return parseName(expected: "a member name or 'none' after 'expect owner'").map { .owner($0) }
        case .violation:
            // violation_expect = "violation" , [ rule_id ] , action
            advance()
            var rule: RuleID?
            var ruleRange: Range<Int>?
            var ruleIsValid = true
            if token.kind == .bareName {
                rule = Self.rule(spelledBy: UnsafeBufferPointer(rebasing: bytes[token.range]))
                ruleRange = token.range
                if rule == nil {
                    report(Message.unknownRule(token, in: source))
                    ruleIsValid = false
                }
                advance()
            }
            guard token.kind == .as else {
                let after = ruleRange.map { "'expect violation \(source.text($0))'" } ?? "'expect violation'"
                report(Message.expected("'as' after \(after)", found: token, in: source))
                return nil
            }
            guard let action = parseAction(), ruleIsValid else { return nil }
            return .violation(rule: rule, ruleRange: ruleRange, action: action)
        default:
            // member_expect = names , ( "connected" | "not" , "connected" | "has" , "access" | "absent" )
            guard let names = parseNames(after: nil) else { return nil }
            switch token.kind {
            case .connected:
                advance()
                return .connected(names)
            case .absent:
                advance()
                return .absent(names)
            case .not:
                advance()
                guard token.kind == .connected else {
                    report(Message.expected("'connected' after 'not'", found: token, in: source))
                    return nil
                }
                advance()
                return .notConnected(names)
            case .has:
                advance()
                guard token.kind == .access else {
                    report(Message.expected("'access' after 'has'", found: token, in: source))
                    return nil
                }
                advance()
                return .hasAccess(names)
            default:
                let written = namesWritten(from: namesStart).map { quoted(nameText($0)) }.joined(separator: ", ")
                report(
                    Message.expected(
                        "'connected', 'not connected', 'has access' or 'absent' after 'expect \(written)'",
                        found: token, in: source,
                        hints: Message.didYouMean(token, in: source, among: [.connected, .absent])))
                return nil
            }
        }
    }

    /// `names = name , { "," , { newline } , name }`. `after` names the keyword before
    /// the list, for messages; `nil` after `expect`.
    private mutating func parseNames(after keyword: TokenKind?) -> [Name]? {
        // The message is built only when it is needed: this runs once per statement.
        let first = {
            keyword.map { "a member name after '\($0.spelling)'" } ?? "'owner', 'violation' or a member name after 'expect'"
        }
        namesStart = token.range.lowerBound
        guard let name = parseName(expected: first()) else { return nil }
        var names = [name]
        while token.kind == .comma {
            advance()
            while token.kind == .newline { advance() }
            if token.kind == .end {
                report(Message.expected("a member name after ','", found: token, in: source))
                incomplete = .namesAfterComma
                return nil
            }
            guard let next = parseName(expected: "a member name after ','") else { return nil }
            names.append(next)
        }
        return names
    }

    /// `name = bare_name | string`.
    private mutating func parseName(expected what: @autoclosure () -> String) -> Name? {
        switch token.kind {
        case .bareName, .string:
            let name = intern(token)
            advance()
            return name
        case let kind where kind.isKeyword:
            report(Message.keywordAsName(token, in: source, context: what()))
            return nil
        default:
            report(Message.expected(what(), found: token, in: source))
            return nil
        }
    }

    // MARK: Compact shapes

    /// The next background statement if it has one of the compact shapes, consumed;
    /// `nil` with the parser where the statement starts otherwise.
    private mutating func nextCompactStatement() -> CompiledStatement? {
        skipSeparators()
        guard compacts else { return nil }
        let start = mark()
        guard let statement = parseCompactStatement() else {
            reset(to: start)
            return nil
        }
        return statement
    }

    /// The statement at the current token if it is one of the compact shapes, through to
    /// the end of the statement; `nil` otherwise, with the parser somewhere inside it (the
    /// caller resets it).
    private mutating func parseCompactStatement() -> CompiledStatement? {
        let start = token.range.lowerBound
        var compact: CompiledStatement
        switch token.kind {
        case .as:
            compact = CompiledStatement(form: .action)
            guard parseCompactAction(into: &compact) else { return nil }
        case .expect:
            advance()
            switch token.kind {
            case .owner:
                advance()
                compact = CompiledStatement(form: .owner)
                if token.kind == .none {
                    advance()
                } else {
                    guard let id = compactName() else { return nil }
                    compact.actor = id
                }
            case .violation:
                advance()
                compact = CompiledStatement(form: .violation)
                if token.kind == .bareName {
                    guard let rule = Self.rule(spelledBy: UnsafeBufferPointer(rebasing: bytes[token.range])) else { return nil }
                    compact.rule = rule
                    advance()
                }
                guard token.kind == .as, parseCompactAction(into: &compact) else { return nil }
            default:
                guard let id = compactName() else { return nil }
                switch token.kind {
                case .connected: compact = CompiledStatement(form: .member(.connected))
                case .absent: compact = CompiledStatement(form: .member(.absent))
                case .not:
                    advance()
                    guard token.kind == .connected else { return nil }
                    compact = CompiledStatement(form: .member(.notConnected))
                case .has:
                    advance()
                    guard token.kind == .access else { return nil }
                    compact = CompiledStatement(form: .member(.hasAccess))
                default: return nil
                }
                advance()
                compact.target = id
            }
        default:
            return nil
        }
        guard token.kind == .newline || token.kind == .semicolon || token.kind == .end else { return nil }
        compact.start = Int32(truncatingIfNeeded: start)
        compact.end = Int32(truncatingIfNeeded: lastEnd)
        return compact
    }

    /// `as ACTOR VERB [TARGET]` with one target at most.
    private mutating func parseCompactAction(into compact: inout CompiledStatement) -> Bool {
        advance()
        guard let actor = compactName() else { return false }
        compact.actor = actor
        switch token.kind {
        case .connect: compact.verb = .connect
        case .disconnect: compact.verb = .disconnect
        case .grant, .revoke, .remove:
            compact.verb = token.kind == .grant ? .grant : token.kind == .revoke ? .revoke : .remove
            advance()
            guard let target = compactName(), token.kind != .comma else { return false }
            compact.target = target
            return true
        default: return false
        }
        advance()
        return true
    }

    /// The id of the name at the current token, which it consumes; `nil` if it is not a name.
    private mutating func compactName() -> Int32? {
        guard token.kind == .bareName || token.kind == .string else { return nil }
        let id = internID(token)
        advance()
        return id
    }

    /// Where the parser is, to come back to.
    private struct Mark {
        var lexer: Lexer.Mark
        var token: Token
        var lastEnd: Int
        var line: Int
        var diagnostics: Int
    }

    private func mark() -> Mark {
        Mark(lexer: lexer.mark(), token: token, lastEnd: lastEnd, line: line, diagnostics: diagnostics.count)
    }

    private mutating func reset(to mark: Mark) {
        lexer.reset(to: mark.lexer)
        token = mark.token
        lastEnd = mark.lastEnd
        line = mark.line
        if diagnostics.count > mark.diagnostics { diagnostics.removeSubrange(mark.diagnostics...) }
    }

    // MARK: Machinery

    /// The rule a rule id's bytes spell, if any, without making a string.
    private static func rule(spelledBy word: UnsafeBufferPointer<UInt8>) -> RuleID? {
        for (rule, spelling) in ruleSpellings where spelling.count == word.count {
            if spelling.withUnsafeBufferPointer({ memcmp($0.baseAddress!, word.baseAddress!, word.count) }) == 0 { return rule }
        }
        return nil
    }

    private static let ruleSpellings = RuleID.allCases.map { ($0, Array($0.rawValue.utf8)) }

    /// The name a bare or string token spells, interned.
    private mutating func intern(_ token: Token) -> Name {
        let id = internID(token)
        return Name(names.names[Int(id)], token.range, id: id)
    }

    /// The id of the name a bare or string token spells, interned.
    private mutating func internID(_ token: Token) -> Int32 {
        let range = token.range
        if token.kind == .bareName {
            return names.intern(UnsafeBufferPointer(rebasing: bytes[range]))
        }
        let inner = UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
        if inner.contains(UInt8(ascii: "\\")) {
            return unescaped(inner).withUnsafeBufferPointer { names.intern($0) }
        }
        return names.intern(inner)
    }

    /// The ranges of the names of the list that starts at `start`, for messages.
    private func namesWritten(from start: Int) -> [Range<Int>] {
        let piece = SourceFile(name: source.name, bytes: Array(bytes[start..<lastEnd]))
        return Lexer.tokenize(piece).tokens.filter { $0.kind == .bareName || $0.kind == .string }
            .map { ($0.range.lowerBound + start)..<($0.range.upperBound + start) }
    }

    /// The name a token's range spells, for messages.
    private func nameText(_ range: Range<Int>) -> String {
        guard bytes[range.lowerBound] == UInt8(ascii: "\"") else { return source.text(range) }
        let inner = UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
        return String(decoding: unescaped(inner), as: UTF8.self)
    }

    private func unescaped(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var escaped = false
        for b in bytes {
            if !escaped && b == UInt8(ascii: "\\") {
                escaped = true
                continue
            }
            escaped = false
            out.append(b)
        }
        return out
    }

    private mutating func advance() {
        if token.kind == .newline {
            line += 1
        } else {
            lastEnd = token.range.upperBound
        }
        token = lexer.next()
    }

    private mutating func skipSeparators() {
        while token.kind == .newline || token.kind == .semicolon { advance() }
    }

    /// After a statement: a terminator must follow.
    private mutating func endStatement(inScenario: Bool) {
        switch token.kind {
        case .newline, .semicolon, .end: return
        case .rightBrace where inScenario: return
        default:
            report(Message.expected("a new line or ';' after the statement", found: token, in: source))
            synchronize(inScenario: inScenario)
        }
    }

    /// Skips to the next statement boundary: a newline, `;`, the end, or the `}` that
    /// closes the open scenario.
    private mutating func synchronize(inScenario: Bool) {
        while true {
            switch token.kind {
            case .newline, .semicolon, .end: return
            case .rightBrace where inScenario: return
            default: advance()
            }
        }
    }

    /// Records a syntax error, unless the lexer already reported the token it is about.
    private mutating func report(_ diagnostic: Diagnostic) {
        if token.kind == .error && diagnostic.range == token.range { return }
        diagnostics.append(diagnostic)
    }
}
