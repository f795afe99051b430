import ConnectionCore

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
    private var lexer: Lexer
    private let source: SourceFile
    private var token: Token
    /// The end of the last token consumed that was not a newline.
    private var lastEnd = 0
    /// The line `token` is on.
    private var line: Int
    private var diagnostics: [Diagnostic] = []
    private var incomplete: IncompleteInput?

    /// Parses a whole source.
    public static func parse(_ source: SourceFile) -> ParseResult {
        var parser = Parser(source)
        let program = parser.parseFile()
        var diagnostics = parser.lexer.diagnostics + parser.diagnostics
        diagnostics.sort { $0.range.lowerBound < $1.range.lowerBound }
        return ParseResult(program: program, diagnostics: diagnostics, incomplete: parser.incomplete)
    }

    private init(_ source: SourceFile) {
        self.source = source
        self.lexer = Lexer(source)
        self.line = source.firstLine
        self.token = Token(.end, 0..<0)
        self.token = lexer.next()
    }

    // MARK: Rules

    /// `file = [ bom ] , { separator } , background , { scenario , { separator } }`.
    private mutating func parseFile() -> Program {
        var program = Program(source: source)
        while true {
            skipSeparators()
            switch token.kind {
            case .end:
                program.comments = lexer.comments
                return program
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
                if program.scenarios.isEmpty {
                    program.background.append(statement)
                } else {
                    report(Message.statementAfterScenario(statement.range, in: source))
                }
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
            title = stringValue(token)
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
            guard let names = parseNames(after: role.rawValue) else { return nil }
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
            guard let names = parseNames(after: kind.spelling) else { return nil }
            verb = kind == .grant ? .grant(names) : kind == .revoke ? .revoke(names) : .remove(names)
        default:
            report(
                Message.expected(
                    "a verb after 'as \(quoted(actor.text))'", found: token, in: source,
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
                rule = RuleID(rawValue: source.text(token.range))
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
                let written = names.map { quoted($0.text) }.joined(separator: ", ")
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
    private mutating func parseNames(after keyword: String?) -> [Name]? {
        let first = keyword.map { "a member name after '\($0)'" } ?? "'owner', 'violation' or a member name after 'expect'"
        guard let name = parseName(expected: first) else { return nil }
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
    private mutating func parseName(expected what: String) -> Name? {
        switch token.kind {
        case .bareName:
            let name = Name(source.text(token.range), token.range)
            advance()
            return name
        case .string:
            let name = Name(stringValue(token), token.range)
            advance()
            return name
        case let kind where kind.isKeyword:
            report(Message.keywordAsName(token, in: source, context: what))
            return nil
        default:
            report(Message.expected(what, found: token, in: source))
            return nil
        }
    }

    // MARK: Machinery

    /// The value of a string token: quotes removed, escapes resolved.
    private func stringValue(_ token: Token) -> String {
        let inner = (token.range.lowerBound + 1)..<(token.range.upperBound - 1)
        let bytes = source.bytes[inner]
        guard bytes.contains(UInt8(ascii: "\\")) else { return String(decoding: bytes, as: UTF8.self) }
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
        return String(decoding: out, as: UTF8.self)
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
