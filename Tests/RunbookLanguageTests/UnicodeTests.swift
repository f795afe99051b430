import RunbookTestSupport
import Testing

@testable import RunbookLanguage

/// The warnings of a source, as `column:message`.
func warnings(_ text: String) -> [String] {
    let source = SourceFile(name: "t", text: text)
    return Parser.parse(source).diagnostics.filter { $0.severity == .warning }.map {
        "\(source.location(of: $0.range.lowerBound).column):\($0.message)"
    }
}

/// One row per source: the lookalike warnings it gets.
let lookalikeTable: [(input: String, warnings: [String])] = [
    // Letters of one script, or of the combinations a language writes, are fine.
    ("admin Åsa, Zoë, 山田, 東京タワー, Ελένη, Müller2", []),
    ("admin x山田", []),
    // ASCII names are never suspects, even when alike: `rn` and `m`.
    ("admin rn, m, anna, ANNA", []),
    // Cyrillic а and р in a Latin name.
    ("admin paypal, раypal", ["15:раypal looks like paypal"]),
    ("admin раypal", ["7:раypal mixes scripts: Cyrillic and Latin"]),
    // One script, but looks like another name: fullwidth letters, and a Cyrillic word.
    ("admin paypal\nuser \"ｐａｙｐａｌ\"", ["6:ｐａｙｐａｌ looks like paypal"]),
    ("admin оре, ope", ["7:оре looks like ope"]),
    // Canonically equivalent spellings are one name, not lookalikes.
    ("admin Åsa\nas \"A\u{30A}sa\" connect", []),
    // A name only a statement with a syntax error uses gets no warning (nor a place).
    ("admin paypal\nas раypal conect", []),
    // Greek and Cyrillic in one name.
    ("admin \"αб\"", ["7:αб mixes scripts: Greek and Cyrillic"]),
]

@Test("lookalike warnings", arguments: lookalikeTable.indices)
func lookalikeRow(_ row: Int) {
    #expect(warnings(lookalikeTable[row].input) == lookalikeTable[row].warnings)
}

@Test func lookalikeWarningsNameTheForeignLetters() throws {
    let parsed = Parser.parse(SourceFile(name: "t", text: "admin adminA, аdminA"))
    #expect(parsed.diagnostics.count == 1)
    let confusable = try #require(parsed.diagnostics.first { $0.id == .confusableNames })
    #expect(confusable.message == "аdminA looks like adminA")
    #expect(
        confusable.hints == [
            "аdminA holds U+0430 CYRILLIC SMALL LETTER A; it mixes Cyrillic and Latin",
            "they are different names: rename one if both are meant",
        ])
    let mixed = try #require(Parser.parse(SourceFile(name: "t", text: "admin аdminA")).diagnostics.first)
    #expect(mixed.hints == ["it holds U+0430 CYRILLIC SMALL LETTER A; a letter of another script can make a name look like someone else's"])
    // Warnings do not stop a run.
    #expect(parsed.program != nil)
}

/// Lookalike warnings cost time in proportion to the names, however many there are and
/// however long the statement that declares them: only the first fifty are worded, and
/// the rest are counted, as errors are.
@Test func lookalikeWarningsAreLinearAndCapped() {
    let count = 6_000
    let text = "user " + (0..<count).map { "p\u{430}y\($0)" }.joined(separator: ", ")
    var parsed: ParseResult?
    let elapsed = ContinuousClock().measure { parsed = Parser.parse(SourceFile(name: "t", text: text)) }
    #expect(elapsed < .seconds(4), "\(elapsed)")
    #expect(parsed?.diagnostics.count == Diagnostic.reportedPerSource)
    #expect(parsed?.diagnostics.last?.message == "p\u{430}y49 mixes scripts: Latin and Cyrillic")
    #expect(parsed?.unreported == Unreported(warnings: count - Diagnostic.reportedPerSource))
}

/// A diagnostic rendered without colour, for `text` and an error at `range` of it.
func rendered(_ text: String, at range: Range<Int>) -> String {
    let source = SourceFile(name: "t", text: text)
    var renderer = DiagnosticRenderer()
    return renderer.render(Diagnostic(.error, "m", in: source, at: range, id: .expected))
}

@Test func caretsCountDisplayCells() {
    // `as "日本語名" conect`: each ideograph takes two cells.
    let wide = "as \"日本語名\" conect"
    let offset = wide.utf8.count - "conect".utf8.count
    #expect(
        rendered(wide, at: offset..<wide.utf8.count) == """
            t:1:11: error: m
                1 | as "日本語名" conect
                  |               ^~~~~~

            """)
    // A name under the caret: wide, with a combining mark, and an emoji.
    let names = "user \"名前\", e\u{301}te, \"🚀 go\""
    let first = names.utf8.count - "\"🚀 go\"".utf8.count
    #expect(
        rendered(names, at: first..<names.utf8.count) == """
            t:1:17: error: m
                1 | user "名前", e\u{301}te, "🚀 go"
                  |                   ^~~~~~~

            """)
    // Tabs and control characters take one cell, shown as a space and `?`.
    let tabbed = "\tas\u{1}a conect"
    #expect(
        rendered(tabbed, at: 6..<12) == """
            t:1:7: error: m
                1 |  as?a conect
                  |       ^~~~~~

            """)
}

@Test func longLinesAreCutToAWindowAroundTheSpan() {
    let line = "admin " + String(repeating: "a, ", count: 10_000) + "bad!" + String(repeating: ", b", count: 10_000)
    let offset = 6 + 30_000
    let text = rendered(line, at: offset..<offset + 4)
    let lines = text.split(separator: "\n")
    #expect(lines[1] == "    1 | ..." + String(repeating: "a, ", count: 20) + "bad!" + String(repeating: ", b", count: 20) + "...")
    #expect(lines[2] == "      | " + String(repeating: " ", count: 63) + "^~~~")
    #expect(text.utf8.count < 400)
}

@Test func eachSourceHoldsFiftyDiagnosticsThenCountsTheRest() {
    // 10,000 errors on one line: fifty held, windowed, and the rest counted.
    let parsed = Parser.parse(SourceFile(name: "t", text: String(repeating: "% ", count: 10_000)))
    #expect(parsed.diagnostics.count == 50)
    #expect(parsed.unreported == Unreported(errors: 9_950))
    #expect(parsed.program == nil && !parsed.isComplete)
    var renderer = DiagnosticRenderer()
    let text = renderer.render(parsed.diagnostics, unreported: parsed.unreported)
    #expect(text.components(separatedBy: ": error: ").count - 1 == 50)
    #expect(text.hasSuffix("t: and 9,950 more errors\n"))
    #expect(text.utf8.count < 20_000)
    // Warnings past the cap are counted as warnings.
    let lookalikes = (0..<60).map { "admin \"x\($0)\u{430}\"" }.joined(separator: "\n")
    let warned = Parser.parse(SourceFile(name: "t", text: lookalikes))
    #expect(warned.diagnostics.count == 50 && warned.unreported == Unreported(warnings: 10))
    #expect(renderer.render(warned.diagnostics, unreported: warned.unreported).hasSuffix("t: and 10 more warnings\n"))
}

@Test func aSourceOfErrorsInHalvesHoldsTheFirstFifty() throws {
    // Each half with errors of its own.
    let line = "admin a %\n"
    let text = String(repeating: line, count: 100_000)
    let parsed = try #require(Parser.parseInHalves(SourceFile(name: "t", text: text)))
    let onePass = Parser.parseInOnePass(SourceFile(name: "t", text: text))
    #expect(parsed.diagnostics == onePass.diagnostics && parsed.unreported == onePass.unreported)
    #expect(parsed.diagnostics.count == 50)
    #expect(parsed.unreported.errors == text.utf8.count / line.utf8.count - 50)
}

/// The excerpt of a long line is made from the bytes its window can show, not the whole
/// line: it is the excerpt the whole line gives, for lines of characters of 1 to 4 bytes
/// and spans anywhere on them.
@Test func excerptsOfLongLinesAreWindowsOfTheWholeLine() {
    var rng = SplitMix(state: 2_026_112_5)
    let pieces = ["a", "b ", "Å", "日", "😀", "e\u{301}", ",", "\t", "\u{7}"]
    for _ in 0..<300 {
        let count = Int(rng.next() % 900)
        var line = ""
        for _ in 0..<count { line += pieces[Int(rng.next() % UInt64(pieces.count))] }
        let text = "show\n" + line + "\nshow\n"
        let bytes = Array(text.utf8)
        // A span on character boundaries of the long line (the second).
        let starts = (5...5 + line.utf8.count).filter { $0 == bytes.count || bytes[$0] & 0xC0 != 0x80 }
        let a = starts[Int(rng.next() % UInt64(starts.count))]
        let b = starts[Int(rng.next() % UInt64(starts.count))]
        let range = min(a, b)..<max(a, b)
        let source = SourceFile(name: "t", text: text)
        let lineEnd = 5 + line.utf8.count
        let whole = DiagnosticRenderer.Excerpt(
            before: source.text(5..<range.lowerBound), span: source.text(range), after: source.text(range.upperBound..<lineEnd))
        let shown = rendered(text, at: range).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(shown[1] == "    2 | " + whole.text, "\(range) of \(line.utf8.count) bytes")
        #expect(
            shown[2] == "      | " + String(repeating: " ", count: whole.caretCell) + "^"
                + String(repeating: "~", count: max(1, whole.spanCells) - 1))
    }
}
