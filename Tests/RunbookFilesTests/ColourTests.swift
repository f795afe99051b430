import RunbookLanguage
import Testing

@testable import RunbookFiles

/// A diagnostic rendered for a terminal: the location bold, each severity in its colour,
/// the carets green, a hint's label cyan; the same text without colour, without escapes.
@Test func diagnosticsAreColouredByPart() throws {
    var session = Session()
    let violation = try #require(
        session.evaluate("admin anna, ben\nuser carl\nas anna connect\nas anna grant carl\nas anna disconnect", name: "t").diagnostics.first
    )
    let syntax = try #require(Parser.parse(SourceFile(name: "t", text: "as\n")).diagnostics.first)
    var coloured = DiagnosticRenderer(color: true)
    var plain = DiagnosticRenderer(color: false)
    let text = coloured.render(violation)
    #expect(text.hasPrefix("\u{1B}[1mt:5:1:\u{1B}[0m \u{1B}[1;35mviolation:\u{1B}[0m "))
    #expect(
        text.contains(" | \u{1B}[1;32m^" + String(repeating: "~", count: 17) + "\u{1B}[0m\n")
            && text.contains("  \u{1B}[1;36mhint:\u{1B}[0m "))
    #expect(coloured.render(syntax).hasPrefix("\u{1B}[1mt:1:3:\u{1B}[0m \u{1B}[1;31merror:\u{1B}[0m "))
    let uncoloured = plain.render(violation)
    #expect(!uncoloured.contains("\u{1B}") && uncoloured.hasPrefix("t:5:1: violation: "))
    #expect(text.replacing(/\u{1B}\[[0-9;]*m/, with: "") == uncoloured)
}
