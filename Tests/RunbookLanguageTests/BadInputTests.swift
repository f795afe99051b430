import Foundation
import Testing

@testable import RunbookLanguage

/// Parses, formats (what does not parse as typed) and, when it can run, runs `bytes`:
/// never a crash or a hang.
@discardableResult
func survive(_ bytes: [UInt8]) -> ParseResult {
    let source = SourceFile(name: "bad", bytes: bytes)
    let parsed = Parser.parse(source)
    var renderer = DiagnosticRenderer()
    for d in parsed.diagnostics.prefix(100) { _ = renderer.render(d) }
    _ = Formatter.format(parsed)
    if let program = parsed.program {
        var session = Session()
        session.describesEvents = false
        _ = session.run(program)
    }
    return parsed
}

@Test func emptyAndCommentOnlyFilesSucceed() {
    #expect(survive([]).program != nil)
    #expect(survive(Array("# just a comment\n# and another".utf8)).program != nil)
    #expect(survive([0xEF, 0xBB, 0xBF]).program != nil)
    #expect(survive(Array("admin a\r\nas a connect\r\n".utf8)).program != nil)
}

/// Each malformed input is an error located on the bytes at fault: the range lies inside
/// the input, starts where the bad bytes do, and the rendered message names that place.
@Test func malformedBytesAreLocatedErrors() throws {
    let rows: [(bytes: [UInt8], at: Range<Int>, location: String)] = [
        ([0xC3], 0..<1, "bad:1:1"),
        ([0x00], 0..<1, "bad:1:1"),
        (Array("admin \"a".utf8), 6..<8, "bad:1:7"),
        ([0x22, 0xFF, 0x22], 1..<2, "bad:1:2"),
        ([0x7F], 0..<1, "bad:1:1"),
        ([0xED, 0xA0, 0x80], 0..<1, "bad:1:1"),
        (Array("admin a\n  user \"b\u{202E}\"".utf8), 17..<20, "bad:2:10"),
    ]
    for row in rows {
        let parsed = survive(row.bytes)
        #expect(parsed.program == nil)
        let first = try #require(parsed.diagnostics.first)
        #expect(first.range == row.at, "\(row.bytes)")
        #expect(parsed.diagnostics.allSatisfy { $0.range.upperBound <= row.bytes.count })
        var renderer = DiagnosticRenderer()
        #expect(renderer.render(first).hasPrefix(row.location + ": error: "), "\(row.bytes)")
    }
}

@Test func largeInputsStayLinear() {
    // A 5 MB line.
    let longName = [UInt8](repeating: UInt8(ascii: "a"), count: 5_000_000)
    #expect(survive(Array("admin ".utf8) + longName).program != nil)
    // A declaration of 200,000 names.
    let names = (0..<200_000).map { "n\($0)" }.joined(separator: ", ")
    let declared = survive(Array(("user " + names + "\n").utf8))
    #expect(declared.program != nil && declared.chunk.backgroundCount == 1)
    // 2,000,000 semicolons.
    #expect(survive([UInt8](repeating: UInt8(ascii: ";"), count: 2_000_000)).program != nil)
    // 50,000 unclosed `scenario {` lines: one error each, and no deep recursion.
    let unclosed = survive(Array(String(repeating: "scenario {\n", count: 50_000).utf8))
    #expect(unclosed.program == nil)
    #expect(unclosed.incomplete == .scenario(openedAtLine: 1))
    // 50,000 lines of garbage.
    #expect(survive(Array(String(repeating: "}}} ,,, \"x\n", count: 50_000).utf8)).program == nil)
}
