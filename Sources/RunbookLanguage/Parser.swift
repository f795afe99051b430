import ConnectionCore

/// Input that ended inside a construct: the REPL reads a continuation line for it.
public enum IncompleteInput: Sendable, Hashable {
    /// A `scenario {` still open at the end of the input.
    case scenario(openedAtLine: Int)
    /// A names list ending in a comma.
    case namesAfterComma
}

/// What the parser would have accepted where it stopped. A syntax error's message and
/// completion's candidates both come from it, so they cannot disagree with the grammar.
enum Expected: Sendable, Hashable {
    /// A statement (or `}` inside a scenario).
    case statement
    /// A member name after the words written before it.
    case name(after: String)
    /// A verb after `as NAME`.
    case verb(after: String)
    /// `connected`, `not connected`, `has access` or `absent` after the names.
    case memberCheck(after: String)
    /// One keyword after the words written before it.
    case keyword(TokenKind, after: String)
    /// A member name or `none` after `owner`.
    case ownerTarget(after: String)
    /// `owner`, `violation` or a member name after `expect`.
    case expectTarget
    /// A rule id or `as` after `expect violation`.
    case ruleOrAs
    /// A quoted title after `scenario`.
    case title
    /// `{` after a scenario's title.
    case openBrace
    /// `}` to close a scenario.
    case closeBrace(openedAtLine: Int)
    /// A new line or `;` after a complete statement.
    case terminator
    /// A goal: `owner NAME`, `owner none`, or names and a member check.
    case goal
}

/// What the parser made of a source: the chunk, every error and warning, and whether the
/// input ended inside a construct.
public struct ParseResult: Sendable {
    /// The form of the source: every statement, those that do not parse as broken records.
    public var chunk: Chunk
    /// Syntax errors, errors found before anything runs (an unknown rule id, a name listed
    /// twice in one statement) and warnings, in source order: the first
    /// `Diagnostic.reportedPerSource` of them.
    public var diagnostics: [Diagnostic]
    /// How many more there are, not held.
    public var unreported: Unreported
    /// Set when the input ended inside a construct; `diagnostics` then holds the error
    /// that says so.
    public var incomplete: IncompleteInput?
    /// How many of `diagnostics` are syntax errors: what the chunk holds as broken records.
    var syntaxErrorCount: Int
    /// How many are errors of any kind.
    var errorCount: Int
    /// What the parser would have accepted at the end of the input, for completion.
    var expectedAtEnd: Expected?

    /// Whether every statement of the source parsed: no syntax error. `runbook fmt` formats
    /// a complete chunk even when it cannot run (an unknown rule id, say).
    public var isComplete: Bool { syntaxErrorCount == 0 }

    /// The runnable program: `nil` when the source has any error.
    public var program: Program? { errorCount == 0 ? Program(chunk) : nil }

    /// The errors, without the warnings.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// The errors of a source that cannot be used.
public struct ParseFailure: Error, Sendable {
    public var diagnostics: [Diagnostic]
}

/// A recursive-descent parser over `grammar/runbook.ebnf`, one function per rule, writing
/// the chunk's records as it goes: one pass, no backtracking, no tree.
///
/// Parsing never throws. Each error is recorded and the parser resynchronises at the
/// next newline or `;` (or the `}` that closes the scenario), so one pass reports
/// every syntax error in the file.
public struct Parser {
    private var lexer: Lexer
    private let source: SourceFile
    private let bytes: UnsafeBufferPointer<UInt8>
    private var chunk: Chunk
    private var names = NameTable()
    private var token: Token
    /// The end of the last token consumed that was not a newline.
    private var lastEnd = 0
    /// The line `token` is on.
    private var line: Int
    /// The kind of the token before `token`: whether a statement may start here.
    private var previous = TokenKind.newline
    private let syntaxErrors = DiagnosticList()
    private let checkErrors = DiagnosticList()
    private var incomplete: IncompleteInput?
    private var expectedAtEnd: Expected?
    /// Where the statement being read starts, and its first name in the chunk's ids.
    private var statementStart = 0
    private var statementFirstName = 0
    /// Where the last name of the statement being read ended (or the statement starts),
    /// which the next name's span counts from.
    private var spanBase = 0
    /// The range of the rule id the statement being read names, if any.
    private var ruleSpan: Span?
    /// For each name id, the names list that last held it (numbered from 1; 0 for none):
    /// a name listed twice in one list is found in one look-up.
    private var listedIn: [Int32] = []
    private var lists: Int32 = 0
    /// Where the parser last told the source it was done with the bytes before it.
    private var released: Int
    /// Whether the parser went past the background (met a `scenario`), for a parse in halves.
    private var leftBackground = false
    /// Every rule id's bytes, in table order.
    private let rules = RuleID.allCases
    private let ruleSpellings = RuleID.allCases.map { Array($0.rawValue.utf8) }

    /// Parses a whole source: `file` in the grammar, in one pass.
    public static func parse(_ source: SourceFile) -> ParseResult {
        var result = parseInOnePass(source)
        result.addWarnings()
        return result
    }

    /// Parses a whole source in two halves when they meet at a statement boundary of the
    /// background, in one pass otherwise: the same result either way. `second` is handed
    /// the parse of the second half and returns a way to wait for its result; a host that
    /// has threads starts it on one (`nil` when it cannot), and both halves are read at once.
    package static func parse(_ source: SourceFile, inHalves second: SecondHalf) -> ParseResult {
        var result = parseInHalves(source, second: second) ?? parseInOnePass(source)
        result.addWarnings()
        return result
    }

    /// Where the parse of a source's second half runs: handed that parse, it starts it and
    /// returns a way to wait for its result, or `nil` when it cannot start it.
    package typealias SecondHalf = (_ parse: @escaping @Sendable () -> ParseResult) -> (() -> ParseResult)?

    /// Parses a whole source in one pass.
    package static func parseInOnePass(_ source: SourceFile) -> ParseResult {
        source.bytes.withUnsafeBufferPointer { bytes in
            var parser = Parser(source, bytes: bytes)
            parser.parseFile()
            return parser.result()
        }
    }

    /// Parses the first half of a source here and the second by `second` (by default here
    /// too, before the first), then joins them; `nil` when the halves do not meet at a
    /// statement boundary of the background (the first half ends inside a scenario, or after
    /// one, or inside a names list), or `second` cannot start, and one pass is needed.
    package static func parseInHalves(
        _ source: SourceFile, second: SecondHalf = { parse in { [result = parse()] in result } }
    ) -> ParseResult? {
        source.bytes.withUnsafeBufferPointer { bytes -> ParseResult? in
            // The halves meet at the start of a line.
            guard let newline = firstOffset(of: 0x0A, in: bytes, from: bytes.count / 2, to: bytes.count) else { return nil }
            let split = newline + 1
            guard split < bytes.count else { return nil }
            guard
                let rest = second({ () -> ParseResult in
                    source.bytes.withUnsafeBufferPointer { bytes in
                        let line = source.firstLine + count(of: 0x0A, in: bytes, from: 0, to: split)
                        var parser = Parser(source, bytes: bytes, from: split, line: line)
                        parser.parseFile()
                        return parser.result()
                    }
                })
            else { return nil }
            var first = Parser(source, bytes: UnsafeBufferPointer(rebasing: bytes[..<split]), reserving: bytes.count)
            first.parseFile()
            let joined = rest()
            guard !first.leftBackground && first.incomplete == nil else { return nil }
            return first.joined(with: joined)
        }
    }

    /// This parse's result followed by that of the rest of the source, parsed separately from
    /// where this one ended, at a statement boundary of the background.
    private mutating func joined(with rest: ParseResult) -> ParseResult {
        // The rest's names, interned here.
        let ids = rest.chunk.names.map { name -> Int32 in
            var name = name
            return name.withUTF8 { names.intern($0, readable: $0.count) }
        }
        var result = self.result()
        let statements = result.chunk.statements.count
        let firstName = Int32(result.chunk.ids.count)
        result.chunk.ids.append(contentsOf: rest.chunk.ids.lazy.map { ids[Int($0)] })
        result.chunk.spans += rest.chunk.spans
        for (i, span) in rest.chunk.farSpans { result.chunk.farSpans[i + firstName] = span }
        // A span holds no length: a name the rest spelt with another length than here (a
        // canonically equivalent spelling) keeps its range apart.
        let respelt = Set(
            rest.chunk.names.indices.lazy.filter { rest.chunk.names[$0].utf8.count != result.chunk.names[Int(ids[$0])].utf8.count }
                .map { Int32($0) })
        if !respelt.isEmpty {
            for j in rest.chunk.statements.indices {
                for (i, name) in zip(rest.chunk.idRange(of: j), rest.chunk.names(of: j)) where respelt.contains(rest.chunk.ids[i]) {
                    result.chunk.spans[Int(firstName) + i] = Chunk.farSpan
                    result.chunk.farSpans[firstName + Int32(i)] = Span(name.range)
                }
            }
        }
        result.chunk.ruleSpans += rest.chunk.ruleSpans.lazy.map { RuleSpan(statement: $0.statement + Int32(statements), span: $0.span) }
        result.chunk.statements.append(contentsOf: rest.chunk.statements.lazy.map { $0.moved(by: firstName) })
        result.chunk.backgroundCount = statements + rest.chunk.backgroundCount
        result.chunk.scenarios = rest.chunk.scenarios.map { scenario in
            var scenario = scenario
            scenario.statements = (scenario.statements.lowerBound + statements)..<(scenario.statements.upperBound + statements)
            return scenario
        }
        result.chunk.comments += rest.chunk.comments
        let held = min(result.diagnostics.count + rest.diagnostics.count, Diagnostic.reportedPerSource)
        result.unreported.errors += rest.unreported.errors + result.diagnostics.count + rest.diagnostics.count - held
        result.diagnostics = Array((result.diagnostics + rest.diagnostics).prefix(held))
        result.syntaxErrorCount += rest.syntaxErrorCount
        result.errorCount += rest.errorCount
        result.incomplete = rest.incomplete
        result.expectedAtEnd = rest.expectedAtEnd
        return result
    }

    /// Parses goals for the planner: `goals` in the grammar, expectations without
    /// `expect`, separated by `;` or new lines. Each goal is a statement of the chunk.
    public static func parseGoals(_ source: SourceFile) -> ParseResult {
        source.bytes.withUnsafeBufferPointer { bytes in
            var parser = Parser(source, bytes: bytes)
            parser.parseGoals()
            return parser.result()
        }
    }

    /// A parser of `bytes`, from the start or from `offset` (on `line`). `reserving` is the
    /// size of the source the chunk will hold, when more than `bytes`.
    private init(
        _ source: SourceFile, bytes: UnsafeBufferPointer<UInt8>, from offset: Int? = nil, line: Int? = nil,
        reserving size: Int? = nil
    ) {
        self.source = source
        self.bytes = bytes
        self.lexer = Lexer(source, bytes: bytes, from: offset)
        self.chunk = Chunk(source: source)
        // Room for a statement every two dozen bytes, reserved once: pages a short source
        // leaves unused are never touched.
        let size = size ?? bytes.count - (offset ?? 0)
        chunk.statements.reserveCapacity(size / 24 + 4)
        chunk.ids.reserveCapacity(size / 16 + 8)
        // A byte a name, and names can be closer than one every 16 bytes: room enough that
        // joining two halves does not copy the spans.
        chunk.spans.reserveCapacity(size / 8 + 8)
        self.released = offset ?? 0
        self.line = line ?? source.firstLine
        self.token = Token(.end, 0..<0)
        self.token = lexer.next()
    }

    /// What was parsed. The chunk moves out of the parser, so that a caller appending to it
    /// appends in place.
    private mutating func result() -> ParseResult {
        var chunk = self.chunk
        self.chunk = Chunk(source: source)
        chunk.names = names.names
        chunk.comments = lexer.comments
        // Each list holds its first errors, so the first of all of them are among those held.
        var all = lexer.errors.held + syntaxErrors.held + checkErrors.held
        all.sort { $0.range.lowerBound < $1.range.lowerBound }
        let found = lexer.errors.count + syntaxErrors.count + checkErrors.count
        let held = min(all.count, Diagnostic.reportedPerSource)
        all.removeSubrange(held...)
        return ParseResult(
            chunk: chunk, diagnostics: all, unreported: Unreported(errors: found - held), incomplete: incomplete,
            syntaxErrorCount: lexer.errors.count + syntaxErrors.count, errorCount: found, expectedAtEnd: expectedAtEnd)
    }

    // MARK: Files

    /// `file = [ bom ] , { separator } , background , { scenario , { separator } }`.
    private mutating func parseFile() {
        // background: the statements before the first scenario.
        while true {
            skipSeparators()
            if token.kind == .scenario { leftBackground = true }
            if token.kind == .scenario || token.kind == .end { break }
            if token.kind == .rightBrace {
                strayBrace()
                continue
            }
            statement(inScenario: false)
            releaseReadBytes()
        }
        chunk.backgroundCount = chunk.statements.count
        // { scenario , { separator } }: the rest of the file.
        while true {
            skipSeparators()
            switch token.kind {
            case .end:
                if atStatementStart { expecting(.statement) }
                return
            case .rightBrace:
                strayBrace()
            case .scenario:
                parseScenario()
            default:
                statement(inScenario: false, afterScenario: true)
            }
        }
    }

    /// `scenario = "scenario" , string , "{" , statements , "}"`.
    private mutating func parseScenario() {
        let start = token.range.lowerBound
        let openLine = line
        advance()
        var title = ""
        var headerIsBroken = false
        expecting(.title)
        if token.kind == .string {
            title = nameText(token)
            if title.isEmpty { report(Message.emptyName(token, in: source, title: true)) }
            advance()
        } else {
            report(Message.expected(.title, found: token, in: source))
            headerIsBroken = true
            if token.kind == .bareName { advance() }
        }
        expecting(.openBrace)
        guard token.kind == .leftBrace else {
            report(Message.expected(.openBrace, found: token, in: source))
            synchronize(inScenario: false)
            keepBroken(from: start, firstName: chunk.ids.count)
            return
        }
        let header = start..<token.range.upperBound
        let first = chunk.statements.count
        advance()
        func finish(_ close: Range<Int>?) {
            chunk.scenarios.append(
                Scenario(
                    title: title, headerRange: header, statements: first..<chunk.statements.count, closeRange: close,
                    headerIsBroken: headerIsBroken))
        }
        // Scenarios nested by mistake: their statements are kept, their braces counted
        // (not recursed into, so deep nesting cannot exhaust the stack).
        var nested = 0
        while true {
            skipSeparators()
            switch token.kind {
            case .rightBrace where nested > 0:
                nested -= 1
                let brace = token.range.lowerBound
                advance()
                keepBroken(from: brace, firstName: chunk.ids.count)
            case .rightBrace:
                finish(token.range)
                advance()
                return
            case .end:
                if atStatementStart { expecting(.statement) }
                report(Message.expected(.closeBrace(openedAtLine: openLine), found: token, in: source))
                incomplete = .scenario(openedAtLine: openLine)
                finish(nil)
                return
            case .scenario:
                let nestedStart = token.range.lowerBound
                report(Message.nestedScenario(token, openedAt: openLine, in: source))
                while ![.leftBrace, .newline, .semicolon, .end].contains(token.kind) { advance() }
                if token.kind == .leftBrace {
                    nested += 1
                    advance()
                }
                keepBroken(from: nestedStart, firstName: chunk.ids.count)
            default:
                statement(inScenario: true)
            }
        }
    }

    // MARK: Statements

    /// A statement and what ends it. A statement that does not parse, or is followed by
    /// more than a terminator, or comes after a scenario (`afterScenario`), is kept as a
    /// broken record up to the next statement boundary, with the names it read.
    private mutating func statement(inScenario: Bool, afterScenario: Bool = false) {
        let start = token.range.lowerBound
        let firstName = chunk.ids.count
        if parseStatement() {
            if afterScenario {
                dropLastStatement()
                syntaxErrors.append(Message.statementAfterScenario(start..<lastEnd, in: source))
                endStatement(inScenario: inScenario)
            } else if endStatement(inScenario: inScenario) {
                return
            } else {
                dropLastStatement()
            }
        } else {
            synchronize(inScenario: inScenario)
        }
        // A names list cut short by `;` keeps it: kept as typed on a line of its own, the
        // comma would carry the list on to the next statement.
        if token.kind == .semicolon && lastEnd > start && bytes[lastEnd - 1] == UInt8(ascii: ",") { advance() }
        keepBroken(from: start, firstName: firstName)
    }

    /// A `}` that closes nothing, kept as a broken record.
    private mutating func strayBrace() {
        let start = token.range.lowerBound
        report(Message.strayBrace(token, in: source))
        advance()
        keepBroken(from: start, firstName: chunk.ids.count)
    }

    /// Appends a broken record from `start` to the last token read, its names from `firstName`.
    private mutating func keepBroken(from start: Int, firstName: Int) {
        chunk.statements.append(
            Statement(
                tag: .broken, operand: 0, rule: 0, flags: 0, start: Int32(truncatingIfNeeded: start),
                end: Int32(truncatingIfNeeded: max(start, lastEnd)), firstName: Int32(truncatingIfNeeded: firstName)))
    }

    /// Removes the last statement's record, and its rule id's range, keeping its names.
    private mutating func dropLastStatement() {
        chunk.statements.removeLast()
        if chunk.ruleSpans.last?.statement == Int32(chunk.statements.count) { chunk.ruleSpans.removeLast() }
    }

    /// `statement = declaration | action | expectation | show`: appends the statement's
    /// record and returns `true`, or reports the error and returns `false`, having
    /// appended no record (the names it read stay).
    private mutating func parseStatement() -> Bool {
        let start = token.range.lowerBound
        let firstName = chunk.ids.count
        (statementStart, statementFirstName, spanBase) = (start, firstName, start)
        ruleSpan = nil
        let record: (tag: Statement.Tag, operand: UInt8, rule: UInt8)?
        var flags: UInt8 = 0
        switch token.kind {
        case .admin, .user:
            // declaration = ( "admin" | "user" ) , names
            let keyword = token.kind
            advance()
            record = parseNames(after: keyword) ? (.declare, keyword == .admin ? 0 : 1, 0) : nil
        case .as:
            // action = step , [ "anyway" ]
            record = parseAction().map { (.action, $0.rawValue, 0) }
            if record != nil {
                if token.kind == .end { expectedAtEnd = .keyword(.anyway, after: source.text(start..<lastEnd)) }
                if token.kind == .anyway {
                    advance()
                    flags = Statement.anyway
                }
            }
        case .expect:
            advance()
            record = parseExpectation(after: "expect ", startingGoal: false, inGoal: false)
        case .show:
            advance()
            record = (.show, 0, 0)
        default:
            expecting(.statement)
            var advice = Message.didYouMean(token, in: source, among: TokenKind.statementStarts)
            if advice.isEmpty, let verb = token.kind.verb {
                advice = Message.actorFirst(verb)
            }
            report(Message.expected(.statement, found: token, in: source, advice: advice))
            record = nil
        }
        return append(record, flags: flags, start: start, firstName: firstName)
    }

    /// Appends a statement's record from `start` to the last token, with its rule id's
    /// range; `false`, appending nothing, for a statement that failed to parse.
    private mutating func append(
        _ record: (tag: Statement.Tag, operand: UInt8, rule: UInt8)?, flags: UInt8 = 0, start: Int, firstName: Int
    ) -> Bool {
        guard let record else { return false }
        var flags = flags
        if let ruleSpan {
            // A rule in the catalogue near the start is held in the record; any other aside.
            let offset = record.rule == 0xFF ? 0 : Statement.ruleOffset(Int(ruleSpan.start) - start)
            if offset != 0 {
                flags |= offset
            } else {
                chunk.ruleSpans.append(RuleSpan(statement: Int32(truncatingIfNeeded: chunk.statements.count), span: ruleSpan))
            }
        }
        chunk.statements.append(
            Statement(
                tag: record.tag, operand: record.operand, rule: record.rule, flags: flags,
                start: Int32(truncatingIfNeeded: start),
                end: Int32(truncatingIfNeeded: lastEnd), firstName: Int32(truncatingIfNeeded: firstName)))
        return true
    }

    /// `step = "as" , name , verb` and `verb = "connect" | "disconnect" | ( "grant" |
    /// "revoke" | "remove" ) , names`: the verb, with the actor and targets appended.
    private mutating func parseAction() -> Verb? {
        advance()
        if let verb = token.kind.verb {
            // `as grant carl`: the actor is missing, not misspelt.
            report(
                Message.expected(
                    .name(after: "as"), found: token, in: source,
                    advice: Message.actorMissing(verb)))
            return nil
        }
        guard let actor = parseName(.name(after: "as")) else { return nil }
        if token.kind == .end { expectedAtEnd = .verb(after: "as " + Words.spell(names.names[Int(actor)])) }
        guard let verb = token.kind.verb else {
            report(
                Message.expected(
                    .verb(after: "as " + Words.spell(names.names[Int(actor)])), found: token, in: source,
                    advice: Message.didYouMean(token, in: source, among: Verb.allCases.map(TokenKind.init))))
            return nil
        }
        advance()
        if verb.takesTargets && !parseNames(after: TokenKind(verb)) { return nil }
        return verb
    }

    /// `expectation = "expect" , ( owner_expect | violation_expect | member_expect )`,
    /// after `expect`; also `goal` (`inGoal`, and `startingGoal` when no `expect` came first),
    /// which has no violation form. `written` is what the user wrote before, for messages:
    /// `expect ` or nothing.
    private mutating func parseExpectation(
        after written: String, startingGoal: Bool, inGoal: Bool
    ) -> (tag: Statement.Tag, operand: UInt8, rule: UInt8)? {
        expecting(startingGoal ? .goal : .expectTarget)
        switch token.kind {
        case .owner:
            // owner_expect = "owner" , ( name | "none" )
            advance()
            expecting(.ownerTarget(after: written + "owner"))
            if token.kind == .none {
                advance()
                return (.expectOwner, 0, 0)
            }
            return parseName(.ownerTarget(after: written + "owner")).map { _ in (.expectOwner, 0, 0) }
        case .violation where !inGoal:
            // violation_expect = "violation" , [ rule_id ] , action
            advance()
            expecting(.ruleOrAs)
            var rule = RuleReference.any
            var ruleRange = 0..<0
            if token.kind == .bareName {
                if let id = ruleID(spelledBy: UnsafeBufferPointer(rebasing: bytes[token.range])) {
                    rule = .rule(id)
                } else {
                    rule = .unknown
                    checkErrors.append(Message.unknownRule(token, in: source))
                }
                ruleRange = token.range
                ruleSpan = Span(ruleRange)
                advance()
                if token.kind == .end { expectedAtEnd = .keyword(.as, after: "expect violation " + source.text(ruleRange)) }
            }
            guard token.kind == .as else {
                let expected: Expected =
                    rule == .any ? .ruleOrAs : .keyword(.as, after: "expect violation " + source.text(ruleRange))
                report(Message.expected(expected, found: token, in: source))
                return nil
            }
            guard let verb = parseAction() else { return nil }
            if token.kind == .anyway {
                // An expectation performs nothing, so it has nothing to perform anyway.
                report(Message.anywayInExpectation(token, in: source))
                return nil
            }
            return (.expectViolation, verb.rawValue, Statement.encode(rule))
        case .violation:
            report(Message.violationIsNotAGoal(token, in: source))
            return nil
        default:
            // member_expect = names , ( "connected" | "not" , "connected" | "has" , "access" | "absent" )
            let firstName = chunk.ids.count
            guard parseNames(after: nil, startingGoal: startingGoal) else { return nil }
            if token.kind == .end { expectedAtEnd = .memberCheck(after: context(written, firstName)) }
            for check in MemberCheck.allCases {
                let keywords = TokenKind.keywords(of: check)
                guard token.kind == keywords[0] else { continue }
                advance()
                for (i, keyword) in keywords.enumerated().dropFirst() {
                    expecting(.keyword(keyword, after: keywords[i - 1].spelling))
                    guard token.kind == keyword else {
                        report(Message.expected(.keyword(keyword, after: keywords[i - 1].spelling), found: token, in: source))
                        return nil
                    }
                    advance()
                }
                return (.expectMembers, check.rawValue, 0)
            }
            report(
                Message.expected(
                    .memberCheck(after: context(written, firstName)), found: token, in: source,
                    advice: Message.didYouMean(token, in: source, among: MemberCheck.allCases.map { TokenKind.keywords(of: $0)[0] })))
            return nil
        }
    }

    /// `names = name , { "," , { newline } , name }`, appended to the chunk's name ids.
    /// `word` is the keyword before the list, for messages; `nil` after `expect` or at the
    /// start of a goal (`startingGoal`), where something else was expected too.
    private mutating func parseNames(after word: TokenKind?, startingGoal: Bool = false) -> Bool {
        let firstName = chunk.ids.count
        var expected = Self.first(after: word, startingGoal: startingGoal)
        while true {
            let start = token.range.lowerBound
            guard let id = parseName(expected.make()) else { return false }
            // A name listed twice: most lists have one name, which cannot be.
            if chunk.ids.count - firstName == 2 {
                lists &+= 1
                listedIn[Int(chunk.ids[firstName])] = lists
            }
            if chunk.ids.count - firstName >= 2 {
                if listedIn[Int(id)] == lists {
                    let first = chunk.ids[firstName...].firstIndex(of: id)!
                    checkErrors.append(
                        Message.listedTwice(
                            names.names[Int(id)], at: start..<lastEnd,
                            first: chunk.nameRanges(
                                statementFirstName..<(first + 1), statementStart: statementStart, texts: names.names)[
                                    first - statementFirstName
                                ]
                                .lowerBound, in: source))
                }
                listedIn[Int(id)] = lists
            }
            guard token.kind == .comma else { return true }
            advance()
            while token.kind == .newline { advance() }
            expected = .afterComma
            if token.kind == .end {
                expecting(expected.make())
                report(Message.expected(expected.make(), found: token, in: source))
                incomplete = .namesAfterComma
                return false
            }
        }
    }

    /// What a names list expects, as a value that makes the `Expected` only when asked.
    private enum NamesExpected {
        case after(TokenKind), expectTarget, goal, afterComma

        func make() -> Expected {
            switch self {
            case .after(let word): .name(after: word.spelling)
            case .expectTarget: .expectTarget
            case .goal: .goal
            case .afterComma: .name(after: ",")
            }
        }
    }

    private static func first(after word: TokenKind?, startingGoal: Bool) -> NamesExpected {
        word.map(NamesExpected.after) ?? (startingGoal ? .goal : .expectTarget)
    }

    /// `name = bare_name | string`: appends a use of the name and returns its id.
    private mutating func parseName(_ expected: @autoclosure () -> Expected) -> Int32? {
        expecting(expected())
        switch token.kind {
        case .bareName, .string:
            if token.kind == .string && token.range.count == 2 {
                report(Message.emptyName(token, in: source, title: false))
                return nil
            }
            let id = intern(token)
            chunk.ids.append(id)
            spanBase = chunk.appendSpan(
                token.range, quoted: token.kind == .string, textLength: Int(names.byteCounts[Int(id)]), after: spanBase)
            advance()
            return id
        case let kind where kind.isKeyword:
            report(Message.keywordAsName(token, in: source, expected: expected()))
            return nil
        default:
            report(Message.expected(expected(), found: token, in: source))
            return nil
        }
    }

    /// What was written before a member check, for a message: `expect a, b`.
    private func context(_ written: String, _ firstName: Int) -> String {
        written + chunk.ids[firstName...].map { Words.spell(names.names[Int($0)]) }.joined(separator: ", ")
    }

    // MARK: Goals

    /// `goals = goal , { ( ";" | newline ) , { separator } , goal }` and
    /// `goal = [ "expect" ] , ( owner_expect | member_expect )`.
    private mutating func parseGoals() {
        while true {
            skipSeparators()
            if token.kind == .end {
                if atStatementStart { expecting(.goal) }
                break
            }
            let start = token.range.lowerBound
            let firstName = chunk.ids.count
            var written = ""
            if token.kind == .expect {
                advance()
                written = "expect "
            }
            (statementStart, statementFirstName, spanBase) = (start, firstName, start)
            ruleSpan = nil
            let record = parseExpectation(after: written, startingGoal: written.isEmpty, inGoal: true)
            if append(record, start: start, firstName: firstName) {
                if !endStatement(inScenario: false) { dropLastStatement() } else { continue }
            } else {
                synchronize(inScenario: false)
            }
            keepBroken(from: start, firstName: firstName)
        }
        chunk.backgroundCount = chunk.statements.count
    }

    // MARK: Machinery

    /// Whether the current token could start a statement: it follows a separator or a
    /// brace, or nothing.
    private var atStatementStart: Bool {
        [.newline, .semicolon, .leftBrace, .rightBrace].contains(previous)
    }

    /// Notes what the parser would accept at the current token, when that is the end of
    /// the input: completion offers it.
    @inline(__always)
    private mutating func expecting(_ expected: @autoclosure () -> Expected) {
        if token.kind == .end { expectedAtEnd = expected() }
    }

    /// The rule whose id `word` spells, if any.
    private func ruleID(spelledBy word: UnsafeBufferPointer<UInt8>) -> RuleID? {
        for (i, spelling) in ruleSpellings.enumerated() where spelling.count == word.count {
            if spelling.withUnsafeBufferPointer({ equalBytes($0.baseAddress!, word.baseAddress!, word.count) }) {
                return rules[i]
            }
        }
        return nil
    }

    /// The id of the name a bare or string token spells, interned.
    private mutating func intern(_ token: Token) -> Int32 {
        let range = token.range
        let id: Int32
        if token.kind == .bareName {
            id = names.intern(UnsafeBufferPointer(rebasing: bytes[range]), readable: bytes.count - range.lowerBound)
        } else {
            let inner = UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
            if inner.contains(UInt8(ascii: "\\")) {
                id = Self.unescaped(inner).withUnsafeBufferPointer { names.intern($0, readable: $0.count) }
            } else {
                id = names.intern(inner, readable: bytes.count - range.lowerBound - 1)
            }
        }
        if Int(id) >= listedIn.count { listedIn.append(0) }
        return id
    }

    /// The text a string token spells: quotes and escapes resolved.
    private func nameText(_ token: Token) -> String {
        let range = token.range
        let inner = UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
        return String(decoding: Self.unescaped(inner), as: UTF8.self)
    }

    private static func unescaped(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
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
        previous = token.kind
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

    /// After a statement: a terminator must follow. `false` when something else did,
    /// having skipped to the next boundary.
    @discardableResult
    private mutating func endStatement(inScenario: Bool) -> Bool {
        switch token.kind {
        case .newline, .semicolon, .end: return true
        case .rightBrace where inScenario: return true
        default:
            report(Message.expected(.terminator, found: token, in: source))
            synchronize(inScenario: inScenario)
            return false
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

    /// Tells the source, every few megabytes, that the bytes before the current token
    /// have been read: a mapped file lets those pages go.
    @inline(__always)
    private mutating func releaseReadBytes() {
        let offset = token.range.lowerBound
        if offset - released >= 1 << 22 {
            source.bytes.storage.finishedReading(released..<offset)
            released = offset
        }
    }

    /// Records a syntax error about the current token, unless the lexer already reported it.
    private func report(_ diagnostic: @autoclosure () -> Diagnostic) {
        if token.kind == .error { return }
        syntaxErrors.append(diagnostic())
    }
}
