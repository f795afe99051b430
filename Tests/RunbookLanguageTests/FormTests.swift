import RunbookTestSupport
import Testing

@testable import RunbookLanguage

/// One row per input: every record of the form in order, as `ok|broken 'text' [names]`
/// with each name's and the rule id's stored range read back from the source, and each
/// scenario as `{'header' records}` (`{broken ...}` for a header kept as typed).
let formTable: [(input: String, form: String)] = [
    ("admin a\nas a conect\nshow", "ok 'admin a' [a] | broken 'as a conect' [a] | ok 'show' []"),
    ("admin a, b c\nuser d", "broken 'admin a, b c' [a b] | ok 'user d' [d]"),
    ("conect b\nadmin a", "broken 'conect b' [] | ok 'admin a' [a]"),
    ("admin \"c d\",\n  e\nas  \"c d\" grant e", #"ok 'admin "c d",\#n  e' ["c d" e] | ok 'as  "c d" grant e' ["c d" e]"#),
    ("admin a\n\"open", "ok 'admin a' [a] | broken '\"open' []"),
    (
        "expect violation remove-self as a remove b\nexpect violation as a connect\nexpect violation bogus as a connect",
        "ok 'expect violation remove-self as a remove b' [a b] rule 'remove-self' | ok 'expect violation as a connect' [a] | "
            + "ok 'expect violation bogus as a connect' [a] rule 'bogus'"
    ),
    ("expect violation remove-self as a conect", "broken 'expect violation remove-self as a conect' [a]"),
    (
        "expect violation\(String(repeating: " ", count: 120)) remove-self as a remove b",
        "ok 'expect violation\(String(repeating: " ", count: 120)) remove-self as a remove b' [a b] rule 'remove-self'"
    ),
    (
        "scenario \"s\" {\n  as a conect\n  show\n}\nas a connect\n}",
        "{'scenario \"s\" {' broken 'as a conect' [a], ok 'show' []} | broken 'as a connect' [a] | broken '}' []"
    ),
    (
        "scenario \"s\" {\nscenario \"t\" {}\nshow\n}",
        "{'scenario \"s\" {' broken 'scenario \"t\" {' [], broken '}' [], ok 'show' []}"
    ),
    ("scenario s { show }", "{broken 'scenario s {' ok 'show' []}"),
    ("scenario \"s\" show\nadmin a", "broken 'scenario \"s\" show' [] | broken 'admin a' [a]"),
    ("}\nadmin a", "broken '}' [] | ok 'admin a' [a]"),
    ("admin a, ;user c", "broken 'admin a, ;' [a] | ok 'user c' [c]"),
]

func form(_ input: String) -> String {
    let chunk = Parser.parse(SourceFile(name: "t", text: input)).chunk
    let text = chunk.source.text
    func record(_ index: Int) -> String {
        let statement = chunk.statements[index]
        let names = chunk.names(of: index).map { text($0.range) }.joined(separator: " ")
        let rule = chunk.ruleRange(of: index).map { " rule '\(text($0))'" } ?? ""
        return "\(statement.isBroken ? "broken" : "ok") '\(text(statement.range))' [\(names)]\(rule)"
    }
    var parts: [String] = []
    var outside = 0
    for scenario in chunk.scenarios {
        parts += (outside..<scenario.statements.lowerBound).map(record)
        let header = (scenario.headerIsBroken ? "broken " : "") + "'\(text(scenario.headerRange))' "
        parts.append("{" + header + scenario.statements.map(record).joined(separator: ", ") + "}")
        outside = scenario.statements.upperBound
    }
    parts += (outside..<chunk.statements.count).map(record)
    return parts.joined(separator: " | ")
}

@Test("form table", arguments: formTable.indices)
func formRow(_ row: Int) {
    #expect(form(formTable[row].input) == formTable[row].form, "input: \(formTable[row].input)")
}

@Test func aSourceWithABrokenStatementDoesNotRun() {
    let parsed = Parser.parse(SourceFile(name: "t", text: "admin a\nas a conect\nshow\n"))
    #expect(parsed.program == nil && !parsed.isComplete)
    #expect(parsed.errors.count == 1)
}

/// One row per input: its formatted text, broken lines as typed.
let formattingTable: [(input: String, formatted: String)] = [
    ("admin   a\nas a   conect\nshow", "admin a\nas a   conect\nshow\n"),
    ("scenario \"s\" {\nas a conect  # typing\n    show\n}", "scenario \"s\" {\nas a conect  # typing\n  show\n}\n"),
    // Its indentation too: spaces and tabs as typed.
    (
        "scenario \"s\" {\n     as a   conect\n\tas a conect\n as  a connect\n}",
        "scenario \"s\" {\n     as a   conect\n\tas a conect\n  as a connect\n}\n"
    ),
    ("scenario \"s\" {\n show", "scenario \"s\" {\n  show\n"),
    ("scenario   s {\nshow\n}", "scenario   s {\n  show\n}\n"),
    ("admin a,\n  # c\n b c\nuser  d", "admin a,\n  # c\n b c\nuser d\n"),
    ("admin a\n}\nshow", "admin a\n}\nshow\n"),
    // A names list cut short by `;` keeps it, so that it does not run on into the next line.
    ("admin a, b, ;user  c", "admin a, b, ;\nuser c\n"),
    ("scenario \"s\" {}\nas  a connect\n", "scenario \"s\" {\n}\n\nas  a connect\n"),
    ("scenario \"s\" {\nscenario  \"t\" {\n}\n}", "scenario \"s\" {\nscenario  \"t\" {\n}\n}\n"),
    ("scenario \"s\" {\n  scenario  \"t\" {\n  }\n}", "scenario \"s\" {\n  scenario  \"t\" {\n  }\n}\n"),
]

@Test("formatting keeps broken lines as typed", arguments: formattingTable.indices)
func formattingRow(_ row: Int) {
    let (input, expected) = formattingTable[row]
    let formatted = Formatter.format(Parser.parse(SourceFile(name: "t", text: input)))
    #expect(formatted == expected, "input: \(input)")
    #expect(Formatter.format(Parser.parse(SourceFile(name: "t", text: formatted))) == formatted, "not idempotent: \(input)")
}

@Test func aNameFarIntoItsStatementKeepsItsRange() {
    let long = String(repeating: "x", count: 70_000)
    let text = "admin \(long), b\nas b grant \(long)\n"
    let chunk = Parser.parse(SourceFile(name: "t", text: text)).chunk
    #expect(chunk.names(of: 0).map { chunk.source.text($0.range) } == [long, "b"])
    #expect(chunk.names(of: 1).map { chunk.source.text($0.range) } == ["b", long])
}

@Test func aNameSpeltAnotherWayInTheSecondHalfKeepsItsRange() throws {
    // `Å` precomposed in the first half, decomposed (one byte longer) in the second.
    let text = "admin \u{C5}\n" + String(repeating: "show\n", count: 5) + "as A\u{30A} connect\n"
    let source = SourceFile(name: "t", text: text)
    let halves = try #require(Parser.parseInHalves(source))
    #expect(Form.difference(halves, Parser.parseInOnePass(source)) == nil)
    let chunk = halves.chunk
    #expect(chunk.names(of: chunk.statements.count - 1).map { source.text($0.range) } == ["A\u{30A}"])
}
