import ConnectionCore
import RunbookTestSupport
import Testing

@testable import RunbookLanguage

/// Writes random runbooks from the grammar's shapes: every statement and expect form,
/// bare and quoted names (escapes, spaces, keywords, non-ASCII), separators, blank
/// lines, comments in every place, continuation lines, CRLF, a BOM, scenarios.
struct RunbookGenerator {
    var rng: SplitMix

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    mutating func name() -> String {
        pick([
            "anna", "ben", "a_b", "x1", "anna.berg@example.com", "a+b-c", "_", "\"Anna Berg\"", "\"user\"",
            "\"Åsa Öberg\"", #""say \"hi\"""#, #""back\\slash""#, "\"emoji 🚀\"", "Z", "Åsa", "山田",
        ])
    }

    mutating func names() -> String {
        var out = name()
        for _ in 0..<Int.random(in: 0..<4, using: &rng) {
            out += pick([",", ", ", " ,", ",\n   ", ", # between\n"]) + name()
        }
        return out
    }

    mutating func action() -> String {
        let verb = pick(["connect", "disconnect", "grant", "revoke", "remove"])
        let tail = ["grant", "revoke", "remove"].contains(verb) ? " " + names() : ""
        return "as \(name()) \(verb)\(tail)"
    }

    mutating func statement() -> String {
        switch Int.random(in: 0..<12, using: &rng) {
        case 0: return "admin " + names()
        case 1: return "user " + names()
        case 2, 3, 4: return action() + (chance(0.15) ? pick([" anyway", "  anyway"]) : "")
        case 5: return "expect owner " + (chance(0.3) ? "none" : name())
        case 6: return "expect \(names()) connected"
        case 7: return "expect \(names()) not  connected"
        case 8: return "expect \(names()) has access"
        case 9: return "expect \(names()) " + pick(["absent", "stranded"])
        case 10:
            let rule = chance(0.5) ? pick(RuleID.allCases).rawValue + " " : ""
            return "expect violation \(rule)\(action())"
        default: return "show"
        }
    }

    mutating func separator() -> String {
        pick(["\n", "\n", "\n\n", ";", " ; ", "\n\n\n", "  # trailing\n", "\n# own line\n", ";\n"])
    }

    mutating func body(indent: String) -> String {
        var out = ""
        for _ in 0..<Int.random(in: 0..<6, using: &rng) {
            out += indent + (chance(0.5) ? "\t" : "") + statement() + separator()
        }
        return out
    }

    mutating func runbook() -> String {
        var out = chance(0.1) ? "\u{FEFF}" : ""
        if chance(0.3) { out += "# header comment\n\n" }
        out += body(indent: "")
        for i in 0..<Int.random(in: 0..<4, using: &rng) {
            out += "\nscenario \"scenario \(i) \\\"q\\\"\" {" + (chance(0.3) ? " # opens\n" : "\n")
            out += body(indent: "  ")
            if chance(0.3) { out += "  # before the brace\n" }
            out += "}" + (chance(0.3) ? "  # closes" : "") + "\n"
        }
        if chance(0.2) { out += "# trailing comment at the end" }
        if chance(0.2) { out = out.replacingOccurrences(of: "\n", with: "\r\n") }
        return out
    }
}

@Test func generatedRunbooksParseAndFormatRoundTrips() throws {
    var generator = RunbookGenerator(rng: SplitMix(state: 20_261_125))
    for i in 0..<2_000 {
        let text = generator.runbook()
        let parsed = Parser.parse(SourceFile(name: "gen\(i)", text: text))
        try #require(parsed.isComplete, "generated runbook \(i) did not parse:\n\(text)\n\(parsed.diagnostics.map(\.message))")
        let formatted = Formatter.format(parsed)
        let reparsed = Parser.parse(SourceFile(name: "fmt\(i)", text: formatted))
        try #require(reparsed.isComplete, "formatted runbook \(i) did not parse:\n\(formatted)")
        #expect(Meaning(reparsed.chunk) == Meaning(parsed.chunk), "formatting changed the meaning of \(i):\n\(text)")
        #expect(Formatter.format(reparsed) == formatted, "formatting \(i) twice changed it:\n\(formatted)")
        #expect(reparsed.chunk.comments.count == parsed.chunk.comments.count, "a comment was lost in \(i)")
    }
}

@Test func formatterLayout() throws {
    let text = "admin   anna,ben ;user \"dave\" # users\n\n\n\nas anna connect\nscenario \"s\" {  show  }\n"
    let formatted = Formatter.format(Parser.parse(SourceFile(name: "t", text: text)))
    #expect(
        formatted == """
            admin anna, ben
            user dave  # users

            as anna connect

            scenario "s" {
              show
            }

            """)
}

/// A names list longer than the width breaks after its commas, as many names on a line as
/// fit, each further line four spaces in past the statement; a comma inside a quoted name
/// is no place to break. The layout is stable: formatting it again changes nothing.
@Test func formatterWrapsLongNameLists() throws {
    let names = (0..<12).map { "member\($0)" }.joined(separator: ", ")
    let text = "user \"a, b\", \(names) # team\nscenario \"s\" {\n  expect \(names) absent\n}\n"
    let formatted = Formatter.format(Parser.parse(SourceFile(name: "t", text: text)), width: 40)
    #expect(
        formatted == """
            user "a, b", member0, member1, member2,
                member3, member4, member5, member6,
                member7, member8, member9, member10,
                member11  # team

            scenario "s" {
              expect member0, member1, member2,
                  member3, member4, member5,
                  member6, member7, member8,
                  member9, member10, member11 absent
            }

            """)
    let reparsed = Parser.parse(SourceFile(name: "t", text: formatted))
    #expect(Formatter.format(reparsed, width: 40) == formatted)
    #expect(Meaning(reparsed.chunk) == Meaning(Parser.parse(SourceFile(name: "t", text: text)).chunk))
    // At the default width of 100, the same lists take fewer lines; a short one, one line.
    let wide = Formatter.format(Parser.parse(SourceFile(name: "t", text: text)))
    #expect(wide.split(separator: "\n").allSatisfy { $0.count <= 100 })
    #expect(wide.hasPrefix("user \"a, b\", member0, member1, member2, member3, member4, member5, member6, member7, member8,\n    member9"))
}

/// Generated runbooks formatted at a narrow width keep their meaning, and their layout.
@Test func generatedRunbooksWrapStably() throws {
    var generator = RunbookGenerator(rng: SplitMix(state: 24))
    for i in 0..<500 {
        let parsed = Parser.parse(SourceFile(name: "gen\(i)", text: generator.runbook()))
        for width in [1, 24] {
            let formatted = Formatter.format(parsed, width: width)
            let reparsed = Parser.parse(SourceFile(name: "fmt\(i)", text: formatted))
            try #require(reparsed.isComplete, "formatted runbook \(i) did not parse:\n\(formatted)")
            #expect(Meaning(reparsed.chunk) == Meaning(parsed.chunk), "wrapping changed the meaning of \(i):\n\(formatted)")
            #expect(Formatter.format(reparsed, width: width) == formatted, "wrapping \(i) twice changed it:\n\(formatted)")
        }
    }
}
