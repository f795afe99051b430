import Foundation
import Testing

@testable import RunbookLanguage

/// Parses (and, when it parses, formats and runs) `bytes`: never a crash or a hang.
@discardableResult
func survive(_ bytes: [UInt8]) -> ParseResult {
    let source = SourceFile(name: "bad", bytes: bytes)
    let parsed = Parser.parse(source)
    var renderer = DiagnosticRenderer(color: false)
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

@Test func malformedBytesAreLocatedErrors() {
    for bad: [UInt8] in [[0xC3], [0x00], Array("admin \"a".utf8), [0x22, 0xFF, 0x22], [0x7F], [0xED, 0xA0, 0x80]] {
        let parsed = survive(bad)
        #expect(parsed.program == nil)
        #expect(parsed.diagnostics.allSatisfy { $0.range.lowerBound <= bad.count })
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
