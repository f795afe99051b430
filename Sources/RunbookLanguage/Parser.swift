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

/// A recursive-descent parser over `grammar/runbook.ebnf`, one function per rule.
///
/// Parsing never throws. Each error is recorded and the parser resynchronises at the
/// next newline or `;` (or the `}` that closes the scenario), so one pass reports
/// every syntax error in the file.
public struct Parser {
    /// What the parser does with what it recognises.
    enum Mode {
        /// Builds the program.
        case build
        /// Only checks the syntax: no names, no statements; the first pass of a streamed run.
        case check
    }

    private var lexer: Lexer
    private let source: SourceFile
    private let bytes: UnsafeBufferPointer<UInt8>
    private var mode: Mode
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
    /// Where the statement `nextFastStatement()` returned last started.
    private var lastFastStart: Mark

    /// Parses a whole source.
    public static func parse(_ source: SourceFile) -> ParseResult {
        run(source, mode: .build)
    }

    /// Checks a source's syntax without building anything: the diagnostics `parse` would
    /// report, at a fraction of the cost.
    public static func check(_ source: SourceFile) -> ParseResult {
        run(source, mode: .check)
    }

    /// Parses a source statement by statement: `body` pulls the background statements
    /// from the stream one at a time (none is kept once pulled), then `finish()` parses
    /// the scenarios. For sources that `check` accepted: a run of a million statements
    /// then holds one statement at a time, not the whole tree.
    public static func stream<R>(_ source: SourceFile, _ body: (inout StatementStream) -> R) -> R {
        source.bytes.withUnsafeBufferPointer { bytes in
            var stream = StatementStream(parser: Parser(source, bytes: bytes, mode: .build))
            return body(&stream)
        }
    }

    /// The background statements of a source, pulled one at a time; valid only inside
    /// the closure `Parser.stream` gives it to.
    public struct StatementStream {
        fileprivate var parser: Parser

        /// The next background statement, or `nil` after the last.
        public mutating func next() -> Statement? { parser.nextBackgroundStatement() }

        /// The next background statement if it has one of the fast shapes; `nil` when it
        /// does not (or at the end), and then `next()` parses it.
        mutating func nextFast() -> FastStatement? { parser.nextFastStatement() }

        /// The statement `nextFast()` returned last, as a tree, for the full path.
        mutating func reparseLastFast() -> Statement {
            let end = parser.mark()
            parser.reset(to: parser.lastFastStart)
            let statement = parser.parseStatement()!  // a fast shape always parses
            parser.reset(to: end)
            return statement
        }

        /// The text of the name with id `id`.
        func name(_ id: Int32) -> String { parser.names.names[Int(id)] }

        /// Checks the rest of the source without building anything, for a run that
        /// stopped early and must still report every syntax error.
        public mutating func finishChecking() -> ParseResult {
            parser.mode = .check
            return finish()
        }

        /// Parses what follows the background: the scenarios.
        public mutating func finish() -> ParseResult {
            while parser.nextBackgroundStatement() != nil {}
            var program = Program(source: parser.source)
            parser.parseScenarios(into: &program)
            return parser.result(program)
        }
    }

    private static func run(_ source: SourceFile, mode: Mode) -> ParseResult {
        source.bytes.withUnsafeBufferPointer { bytes in
            var parser = Parser(source, bytes: bytes, mode: mode)
            let program = parser.parseFile()  // before `result` reads the parser's state
            return parser.result(program)
        }
    }

    private func result(_ program: Program) -> ParseResult {
        var program = program
        program.names = names.names
        var all = lexer.diagnostics + self.diagnostics
        all.sort { $0.range.lowerBound < $1.range.lowerBound }
        return ParseResult(program: program, diagnostics: all, incomplete: incomplete)
    }

    private init(_ source: SourceFile, bytes: UnsafeBufferPointer<UInt8>, mode: Mode) {
        self.source = source
        self.bytes = bytes
        self.mode = mode
        self.lexer = Lexer(source, bytes: bytes)
        self.line = source.firstLine
        self.token = Token(.end, 0..<0)
        self.lastFastStart = Mark(lexer: lexer.mark(), token: token, lastEnd: 0, line: line, diagnostics: 0)
        self.token = lexer.next()
    }

    private var building: Bool { mode == .build }

    // MARK: Rules

    /// `file = [ bom ] , { separator } , background , { scenario , { separator } }`.
    private mutating func parseFile() -> Program {
        var program = Program(source: source)
        if !building {
            // The common shapes are checked without making statements of them.
            while nextFastStatement() != nil || nextBackgroundStatement() != nil {}
        }
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
                if building { scenario.body.append(statement) }
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
        var names = building ? [name] : []
        while token.kind == .comma {
            advance()
            while token.kind == .newline { advance() }
            if token.kind == .end {
                report(Message.expected("a member name after ','", found: token, in: source))
                incomplete = .namesAfterComma
                return nil
            }
            guard let next = parseName(expected: "a member name after ','") else { return nil }
            if building { names.append(next) }
        }
        return names
    }

    /// `name = bare_name | string`.
    private mutating func parseName(expected what: @autoclosure () -> String) -> Name? {
        switch token.kind {
        case .bareName, .string:
            let name = building ? intern(token) : Name("", token.range)
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

    // MARK: Fast shapes

    /// The next background statement if it has one of the fast shapes, consumed; `nil`
    /// with the parser where the statement starts otherwise.
    fileprivate mutating func nextFastStatement() -> FastStatement? {
        skipSeparators()
        let start = mark()
        guard let statement = parseFastStatement() else {
            reset(to: start)
            return nil
        }
        lastFastStart = start
        return statement
    }

    /// The statement at the current token if it is one of the fast shapes, through to the
    /// end of the statement; `nil` otherwise, with the parser somewhere inside it (the
    /// caller resets it).
    fileprivate mutating func parseFastStatement() -> FastStatement? {
        let start = token.range.lowerBound
        var fast: FastStatement
        switch token.kind {
        case .as:
            fast = FastStatement(form: .action)
            guard parseFastAction(into: &fast) else { return nil }
        case .expect:
            advance()
            switch token.kind {
            case .owner:
                advance()
                fast = FastStatement(form: .owner)
                if token.kind == .none {
                    advance()
                } else {
                    guard let id = fastName() else { return nil }
                    fast.actor = id
                }
            case .violation:
                advance()
                fast = FastStatement(form: .violation)
                if token.kind == .bareName {
                    guard let rule = Self.rule(spelledBy: UnsafeBufferPointer(rebasing: bytes[token.range])) else { return nil }
                    fast.rule = rule
                    advance()
                }
                guard token.kind == .as, parseFastAction(into: &fast) else { return nil }
            default:
                guard let id = fastName() else { return nil }
                switch token.kind {
                case .connected: fast = FastStatement(form: .member(.connected))
                case .absent: fast = FastStatement(form: .member(.absent))
                case .not:
                    advance()
                    guard token.kind == .connected else { return nil }
                    fast = FastStatement(form: .member(.notConnected))
                case .has:
                    advance()
                    guard token.kind == .access else { return nil }
                    fast = FastStatement(form: .member(.hasAccess))
                default: return nil
                }
                advance()
                fast.target = id
            }
        default:
            return nil
        }
        guard token.kind == .newline || token.kind == .semicolon || token.kind == .end else { return nil }
        fast.range = start..<lastEnd
        return fast
    }

    /// `as ACTOR VERB [TARGET]` with one target at most.
    private mutating func parseFastAction(into fast: inout FastStatement) -> Bool {
        advance()
        guard let actor = fastName() else { return false }
        fast.actor = actor
        switch token.kind {
        case .connect: fast.verb = .connect
        case .disconnect: fast.verb = .disconnect
        case .grant, .revoke, .remove:
            fast.verb = token.kind == .grant ? .grant : token.kind == .revoke ? .revoke : .remove
            advance()
            guard let target = fastName(), token.kind != .comma else { return false }
            fast.target = target
            return true
        default: return false
        }
        advance()
        return true
    }

    /// The id of the name at the current token, which it consumes; `nil` if it is not a name.
    private mutating func fastName() -> Int32? {
        guard token.kind == .bareName || token.kind == .string else { return nil }
        let id = building ? internID(token) : -1
        advance()
        return id
    }

    /// Where the parser is, to come back to.
    fileprivate struct Mark {
        var lexer: Lexer.Mark
        var token: Token
        var lastEnd: Int
        var line: Int
        var diagnostics: Int
    }

    fileprivate func mark() -> Mark {
        Mark(lexer: lexer.mark(), token: token, lastEnd: lastEnd, line: line, diagnostics: diagnostics.count)
    }

    fileprivate mutating func reset(to mark: Mark) {
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
