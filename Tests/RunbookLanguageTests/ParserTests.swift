import ConnectionCore
import RunbookTestSupport
import Testing

@testable import RunbookLanguage

/// One row per input: the program's shape, or its diagnostics as `line:column: message`.
let parserTable: [(input: String, result: String)] = [
    ("", ""),
    ("# nothing\n\n", ""),
    ("admin a, b\nuser c", "(admin a b) (user c)"),
    ("admin a,\n  b", "(admin a b)"),
    ("admin \"user\", \"Anna Berg\"", #"(admin "user" "Anna Berg")"#),
    ("as a connect; as a disconnect", "(as a connect) (as a disconnect)"),
    ("as a grant b, c\nas a revoke b\nas a remove c", "(as a grant b c) (as a revoke b) (as a remove c)"),
    ("as a disconnect anyway; as a grant b, c anyway", "(as a disconnect anyway) (as a grant b c anyway)"),
    ("expect a, b stranded", "(expect a b stranded)"),
    ("as a anyway", "1:6: expected a verb after 'as a', found 'anyway'"),
    ("as a disconnect anyway anyway", "1:24: expected a new line or ';' after the statement, found 'anyway'"),
    ("expect violation as a disconnect anyway", "1:34: expected a new line or ';' after the statement, found 'anyway'"),
    ("expect owner a\nexpect owner none", "(expect owner a) (expect owner none)"),
    (
        "expect a, b connected\nexpect a not connected\nexpect a has access\nexpect a absent",
        "(expect a b connected) (expect a not-connected) (expect a has-access) (expect a absent)"
    ),
    ("expect violation as a connect", "(expect violation any (as a connect))"),
    ("expect violation remove-self as a remove a", "(expect violation remove-self (as a remove a))"),
    ("show", "(show)"),
    (
        "admin a\nscenario \"s\" {\n  show\n}\nscenario \"t\" { as a connect }",
        #"(admin a) (scenario "s" (show)) (scenario "t" (as a connect))"#
    ),
    ("scenario \"empty\" {}", #"(scenario "empty" )"#),
    ("as a conect", "1:6: expected a verb after 'as a', found 'conect'"),
    (
        "as a conect\nas b\nshow x",
        """
        1:6: expected a verb after 'as a', found 'conect'
        2:5: expected a verb after 'as b', found end of line
        3:6: expected a new line or ';' after the statement, found 'x'
        """
    ),
    ("expect a", "1:9: expected 'connected', 'not connected', 'has access', 'absent' or 'stranded' after 'expect a', found end of input"),
    ("expect not connected", "1:8: expected 'owner', 'violation' or a member name after 'expect', found keyword 'not'"),
    ("expect violation bogus as a connect", "1:18: unknown rule 'bogus'"),
    ("expect violation remove-self", "1:29: expected 'as' after 'expect violation remove-self', found end of input"),
    ("expect violation", "1:17: expected a rule id or 'as' after 'expect violation', found end of input"),
    ("as grant carl", "1:4: expected a member name after 'as', found 'grant'"),
    ("as a grant b, c, b", "1:18: b is listed twice in one statement"),
    ("admin \"Å\", \"A\u{30A}\"", "1:12: Å is listed twice in one statement"),
    ("expect a, b, a absent", "1:14: a is listed twice in one statement"),
    ("as a remove a", "(as a remove a)"),
    ("admin", "1:6: expected a member name after 'admin', found end of input"),
    ("admin a,", "1:9: expected a member name after ',', found end of input"),
    ("scenario \"s\" {\nshow", "2:5: expected '}' to close the scenario opened at line 1, found end of input"),
    ("scenario s { show }", "1:10: expected a quoted title after 'scenario', found 's'"),
    ("scenario \"s\" show", "1:14: expected '{' after the scenario title, found 'show'"),
    ("scenario \"s\" {}\nshow", "2:1: statement outside a scenario after the first scenario"),
    ("scenario \"s\" {\nscenario \"t\" {}\n}", "2:1: scenarios cannot be nested"),
    ("}", "1:1: unexpected '}' with no scenario open"),
    ("conect", "1:1: expected a statement, found 'conect'"),
]

/// A compact, range-free rendering of a chunk, the table's notation:
/// `(admin a b) (as a grant b) (scenario "s" (show))`.
func shape(_ chunk: Chunk) -> String {
    func names(_ index: Int) -> String { chunk.names(of: index).map { Words.spell($0.text) }.joined(separator: " ") }
    func action(_ verb: Verb, _ index: Int) -> String {
        let all = chunk.names(of: index).map { Words.spell($0.text) }
        return "(as \(([all[0], TokenKind(verb).spelling] + all.dropFirst()).joined(separator: " ")))"
    }
    func statement(_ index: Int) -> String {
        let s = chunk.statements[index]
        switch s.kind {
        case .declare(let role): return "(\(TokenKind(role).spelling) \(names(index)))"
        case .action(let verb, let anyway): return anyway ? action(verb, index).dropLast() + " anyway)" : action(verb, index)
        case .expectOwner: return "(expect owner \(chunk.names(of: index).first.map { Words.spell($0.text) } ?? "none"))"
        case .expectMembers(let check):
            let word = ["connected", "not-connected", "has-access", "absent", "stranded"][Int(check.rawValue)]
            return "(expect \(names(index)) \(word))"
        case .expectViolation(let rule, let verb):
            let id: String =
                switch rule {
                case .any: "any"
                case .rule(let id): id.rawValue
                case .unknown: "unknown"
                }
            return "(expect violation \(id) \(action(verb, index)))"
        case .show: return "(show)"
        case .broken: return "(broken)"
        }
    }
    var parts = chunk.background.map(statement)
    for s in chunk.scenarios {
        parts.append("(scenario \(Words.quoted(s.title)) " + s.statements.map(statement).joined(separator: " ") + ")")
    }
    return parts.joined(separator: " ")
}

func parsedRow(_ input: String) -> String {
    let result = Parser.parse(SourceFile(name: "t", text: input))
    if result.diagnostics.isEmpty { return shape(result.chunk) }
    return result.diagnostics.map { d in
        let (line, column) = d.source.location(of: d.range.lowerBound)
        return "\(line):\(column): \(d.message)"
    }.joined(separator: "\n")
}

@Test("parser table", arguments: parserTable.indices)
func parserRow(_ row: Int) {
    #expect(parsedRow(parserTable[row].input) == parserTable[row].result, "input: \(parserTable[row].input)")
}

@Test func incompleteInputIsTyped() {
    #expect(Parser.parse(SourceFile(name: "t", text: "scenario \"s\" {\n  show\n")).incomplete == .scenario(openedAtLine: 1))
    #expect(Parser.parse(SourceFile(name: "t", text: "admin a,\n")).incomplete == .namesAfterComma)
    #expect(Parser.parse(SourceFile(name: "t", text: "as a\n")).incomplete == nil)
    #expect(Parser.parse(SourceFile(name: "t", text: "\"open\n")).incomplete == nil)
}

@Test func rangesCoverTheStatementAndEachName() {
    let source = SourceFile(name: "t", text: "  as anna grant bob, \"c d\"  # x\nexpect violation remove-self as bob remove bob\n")
    let chunk = Parser.parse(source).chunk
    let statement = chunk.statements[0]
    #expect(source.text(statement.range) == "as anna grant bob, \"c d\"")
    #expect(statement.kind == .action(.grant, anyway: false))
    #expect(chunk.names(of: 0).map { source.text($0.range) } == ["anna", "bob", "\"c d\""])
    #expect(chunk.names(of: 0).map(\.text) == ["anna", "bob", "c d"])
    #expect(chunk.ruleRange(of: 1).map(source.text) == "remove-self")
    #expect(chunk.names(of: 1).map { source.text($0.range) } == ["bob", "bob"])
    // Every use of a name has the same id, however it was written.
    #expect(Set(chunk.names(of: 1).map(\.id)) == [chunk.names(of: 0)[1].id])
}

/// The form is flat: statements are fixed-size records, their names one array of ids.
@Test func statementsAreSixteenByteRecords() {
    #expect(MemoryLayout<Statement>.stride == 16)
}

@Test func goalsHaveTheirOwnGrammarRule() {
    func goals(_ text: String) -> String {
        switch Goals.parse(SourceFile(name: "<goal>", text: text)) {
        case .success(let goals): return goals.map { Words.goal($0) }.joined(separator: "; ")
        case .failure(let failure):
            return failure.diagnostics.map { d in
                let (line, column) = d.source.location(of: d.range.lowerBound)
                return "\(line):\(column): \(d.message)"
            }.joined(separator: "\n")
        }
    }
    #expect(goals("owner adminB; adminA absent") == "owner adminB; adminA absent")
    #expect(goals("expect owner none") == "owner none")
    #expect(goals("bob, carol connected\n\"Anna Berg\" has access") == "bob connected; carol connected; \"Anna Berg\" has access")
    #expect(
        goals("ownr adminB")
            == "1:6: expected 'connected', 'not connected', 'has access', 'absent' or 'stranded' after 'ownr', found 'adminB'")
    #expect(goals("owner") == "1:6: expected a member name or 'none' after 'owner', found end of input")
    #expect(goals("violation as a connect") == "1:1: 'violation' is not a goal: a plan never breaks a rule")
    #expect(goals("show") == "1:1: expected a goal such as 'owner adminB' or 'bob connected', found keyword 'show'")
    #expect(goals("owner \"O'Brien\"") == "owner \"O'Brien\"")
}

/// Completion comes from the parser: what it would accept where the text ends.
@Test func completionFollowsTheGrammar() throws {
    let members = ["anna", "Anna Berg", "bob"]
    func words(_ before: String, goals: Bool = false) -> [String] {
        Completion.items(before: before, members: members, goals: goals).map(\.text).sorted()
    }
    let spelled = ["\"Anna Berg\"", "anna", "bob"]
    #expect(words("") == TokenKind.statementStarts.map(\.spelling).sorted())
    #expect(words("as ") == spelled)
    #expect(words("as anna ") == ["connect", "disconnect", "grant", "remove", "revoke"])
    #expect(words("as anna grant ") == spelled)
    #expect(words("as anna grant bob, ") == spelled)
    #expect(words("as anna grant bob ") == ["anyway"])
    #expect(words("as anna connect ") == ["anyway"])
    #expect(words("as anna connect anyway ") == [])
    #expect(words("expect violation as anna disconnect ") == [])
    #expect(words("expect ") == (["owner", "violation"] + spelled).sorted())
    #expect(words("expect bob ") == ["absent", "connected", "has", "not", "stranded"])
    #expect(words("expect bob not ") == ["connected"])
    #expect(words("expect bob has ") == ["access"])
    #expect(words("expect owner ") == (spelled + ["none"]).sorted())
    #expect(words("expect violation ").contains("access-blocks-connect"))
    #expect(words("expect violation ").contains("as"))
    // duplicate-member refuses declarations, never the action an expect violation names.
    #expect(!words("expect violation ").contains("duplicate-member"))
    #expect(words("expect violation remove-self ") == ["as"])
    #expect(words("expect violation remove-self as anna ") == ["connect", "disconnect", "grant", "remove", "revoke"])
    #expect(words("show; as ") == spelled)
    #expect(words("show\n") == TokenKind.statementStarts.map(\.spelling).sorted())
    #expect(words("scenario \"s\" { ") == TokenKind.statementStarts.map(\.spelling).sorted())
    #expect(words("owner ", goals: true) == (spelled + ["none"]).sorted())
    #expect(words("owner anna; ", goals: true) == (["owner"] + spelled).sorted())
    #expect(words("", goals: true) == (["owner"] + spelled).sorted())
    let kinds = Completion.items(before: "expect violation ", members: members)
    #expect(kinds.contains(Completion.Item(text: "remove-self", kind: .rule)))
    #expect(kinds.contains(Completion.Item(text: "as", kind: .keyword)))
}

/// A large source is parsed in two halves at once; the result must be the parse in one
/// pass, whatever the source, or the halves must decline and leave it to one pass.
@Test func parsesInHalvesAreParsesInOnePass() throws {
    var generated = RunbookGenerator(rng: SplitMix(state: 7))
    var reference = ReferenceGenerator(seed: 11)
    var halved = 0
    for i in 0..<2_000 {
        let text = i % 2 == 0 ? generated.runbook() : reference.runbook().text
        let source = SourceFile(name: "r\(i)", text: text)
        let whole = Parser.parseInOnePass(source)
        guard let halves = Parser.parseInHalves(source) else { continue }
        halved += 1
        let difference = Form.difference(halves, whole)
        try #require(difference == nil, "runbook \(i): \(difference ?? "")\n\(text)")
    }
    #expect(halved > 500, "\(halved) of 2,000 runbooks were parsed in halves")
}

/// The halves decline where they do not meet at a statement boundary of the background.
@Test(arguments: [
    // The middle falls inside a scenario.
    "admin a\nscenario \"s\" {\n  as a connect\n  as a connect\n  show\n}\n",
    // The first half ends inside a names list.
    "admin a,\n  b,\n  c,\n  d,\n  e\nuser f\n",
    // The first half ends after a scenario: what follows is outside one.
    "scenario \"s\" {}\nshow\nshow\nshow\nshow\n",
])
func halvesDeclineAtAConstruct(text: String) {
    #expect(Parser.parseInHalves(SourceFile(name: "t", text: text)) == nil)
}
