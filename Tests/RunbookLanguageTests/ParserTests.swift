import ConnectionCore
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
    ("expect a", "1:9: expected 'connected', 'not connected', 'has access' or 'absent' after 'expect a', found end of input"),
    ("expect not connected", "1:8: expected 'owner', 'violation' or a member name after 'expect', found keyword 'not'"),
    ("expect violation bogus as a connect", "1:18: unknown rule 'bogus'"),
    ("expect violation remove-self", "1:29: expected 'as' after 'expect violation remove-self', found end of input"),
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

func parsedRow(_ input: String) -> String {
    let result = Parser.parse(SourceFile(name: "t", text: input))
    if result.succeeded { return result.program.shape }
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

@Test func rangesCoverTheStatement() {
    let source = SourceFile(name: "t", text: "  as anna grant bob, \"c d\"  # x\n")
    let statement = Parser.parse(source).program.background[0]
    #expect(source.text(statement.range) == "as anna grant bob, \"c d\"")
    guard case .action(let action) = statement.kind else { Issue.record("not an action"); return }
    #expect(source.text(action.actor.range) == "anna")
    #expect(action.targets.map { source.text($0.range) } == ["bob", "\"c d\""])
}

/// Tab completion knows where it is in a statement.
@Test func completionContexts() throws {
    var instance = Instance()
    try instance.perform(.declare(.admin, ["anna", "Anna Berg"]))
    try instance.perform(.declare(.user, ["bob"]))
    func words(_ before: String) -> [String] {
        guard case .words(let words) = Completion.context(before: before, instance: instance) else { return ["<path>"] }
        return words.sorted()
    }
    let members = ["\"Anna Berg\"", "anna", "bob"]
    #expect(words("") == (TokenKind.statementStarts.map(\.spelling) + Completion.metaCommands).sorted())
    #expect(words("as ") == members)
    #expect(words("as anna ") == ["connect", "disconnect", "grant", "remove", "revoke"])
    #expect(words("as anna grant ") == members)
    #expect(words("as anna grant bob, ") == members)
    #expect(words("expect ") == (["owner", "violation"] + members).sorted())
    #expect(words("expect bob ") == ["absent", "connected", "has", "not"])
    #expect(words("expect violation ").contains("access-blocks-connect"))
    #expect(words("show; as ") == members)
    #expect(words(":load ") == ["<path>"])
    #expect(words(":plan owner ") == (members + ["none"]).sorted())
    #expect(words(":plan owner anna; ") == (["owner"] + members).sorted())
    #expect(words(":help ") == [])
}
