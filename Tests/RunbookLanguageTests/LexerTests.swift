import Testing

@testable import RunbookLanguage

/// Renders tokens as `kind@start..<end`, the table's notation.
func lexed(_ text: [UInt8]) -> (String, [String]) {
    let source = SourceFile(name: "t", bytes: text)
    let (tokens, diagnostics) = Lexer.tokenize(source)
    let rendered = tokens.map { "\($0.kind)@\($0.range.lowerBound)..<\($0.range.upperBound)" }.joined(separator: " ")
    return (rendered, diagnostics.map { "\(source.location(of: $0.range.lowerBound).column):\($0.message)" })
}

/// One row per input: the tokens with their byte ranges, and the lexer's errors as `column:message`.
let lexerTable: [(input: [UInt8], tokens: String, errors: [String])] = [
    (Array("".utf8), "end@0..<0", []),
    (Array("admin anna".utf8), "admin@0..<5 bareName@6..<10 end@10..<10", []),
    (Array("as a connect".utf8), "as@0..<2 bareName@3..<4 connect@5..<12 end@12..<12", []),
    (Array("connect-requires-admin".utf8), "bareName@0..<22 end@22..<22", []),
    (Array("anna.berg@example.com,b".utf8), "bareName@0..<21 comma@21..<22 bareName@22..<23 end@23..<23", []),
    (Array("a;b\nc".utf8), "bareName@0..<1 semicolon@1..<2 bareName@2..<3 newline@3..<4 bareName@4..<5 end@5..<5", []),
    (Array("a\r\nb".utf8), "bareName@0..<1 newline@1..<3 bareName@3..<4 end@4..<4", []),
    ([0xEF, 0xBB, 0xBF] + Array("show".utf8), "show@3..<7 end@7..<7", []),
    (Array("show # comment\n".utf8), "show@0..<4 newline@14..<15 end@15..<15", []),
    (Array("# only a comment".utf8), "end@16..<16", []),
    (Array("\"Anna Berg\"".utf8), "string@0..<11 end@11..<11", []),
    (Array(#""a \"b\" \\""#.utf8), "string@0..<12 end@12..<12", []),
    (Array("\"user\"".utf8), "string@0..<6 end@6..<6", []),
    (Array("scenario \"t\" { }".utf8), "scenario@0..<8 string@9..<12 leftBrace@13..<14 rightBrace@15..<16 end@16..<16", []),
    (Array("Admin".utf8), "bareName@0..<5 end@5..<5", []),
    (Array("\"open".utf8), "error@0..<5 end@5..<5", ["1:unterminated string"]),
    (Array("\"open\nshow".utf8), "error@0..<5 newline@5..<6 show@6..<10 end@10..<10", ["1:unterminated string"]),
    ([0x61, 0x00, 0x62], "bareName@0..<1 error@1..<2 bareName@2..<3 end@3..<3", ["2:unexpected control byte 0x00"]),
    ([0xFF, 0x20, 0x61], "error@0..<1 bareName@2..<3 end@3..<3", ["1:invalid UTF-8 byte 0xFF"]),
    ([0x22, 0xC3, 0x28, 0x22], "error@0..<4 end@4..<4", ["2:invalid UTF-8 byte 0xC3"]),
    (Array("user Åsa x".utf8), "user@0..<4 bareName@5..<9 bareName@10..<11 end@11..<11", []),
    (Array("\"Åsa\" é".utf8), "string@0..<6 bareName@7..<9 end@9..<9", []),
    (Array("Zoë_2 München.x 山田".utf8), "bareName@0..<6 bareName@7..<17 bareName@18..<24 end@24..<24", []),
    (Array("e\u{301}t".utf8), "bareName@0..<4 end@4..<4", []),
    (Array("ab\u{200D}c".utf8), "bareName@0..<2 error@2..<5 bareName@5..<6 end@6..<6", ["3:unexpected U+200D ZERO WIDTH JOINER"]),
    // Characters that show as blank or as nothing are named, never shown, and end a word:
    // a keyword before one is the keyword.
    (
        Array("as a connect\u{A0}".utf8), "as@0..<2 bareName@3..<4 connect@5..<12 error@12..<14 end@14..<14",
        ["13:unexpected U+00A0 NO-BREAK SPACE"]
    ),
    (
        Array("a\u{3000}\u{200B}b".utf8), "bareName@0..<1 error@1..<7 bareName@7..<8 end@8..<8",
        ["2:unexpected U+3000 IDEOGRAPHIC SPACE and U+200B ZERO WIDTH SPACE"]
    ),
    (Array("show\u{2028}".utf8), "show@0..<4 error@4..<7 end@7..<7", ["5:unexpected U+2028 LINE SEPARATOR"]),
    (Array("a \u{FEFF}b".utf8), "bareName@0..<1 error@2..<5 bareName@5..<6 end@6..<6", ["3:unexpected U+FEFF ZERO WIDTH NO-BREAK SPACE"]),
    (Array("🚀\u{A0}".utf8), "error@0..<4 error@4..<6 end@6..<6", ["1:unexpected '🚀'", "2:unexpected U+00A0 NO-BREAK SPACE"]),
    (Array("🚀x".utf8), "error@0..<5 end@5..<5", ["1:unexpected '🚀x'"]),
    (Array("\"a\tb\"".utf8), "error@0..<5 end@5..<5", ["3:unexpected control byte 0x09"]),
    (Array("\"a\u{202E}b\"".utf8), "error@0..<7 end@7..<7", ["3:unexpected bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)"]),
    (Array("\"a\u{85}b\"".utf8), "error@0..<6 end@6..<6", ["3:unexpected control character U+0085"]),
    (Array("show # \u{2066}x".utf8), "show@0..<4 end@11..<11", ["8:unexpected bidirectional control U+2066 (LEFT-TO-RIGHT ISOLATE)"]),
    (Array("\"a\\n\"".utf8), "error@0..<5 end@5..<5", ["3:unknown escape '\\n' in a string"]),
    (Array("a/b".utf8), "bareName@0..<1 error@1..<3 end@3..<3", ["2:unexpected '/b'"]),
    (Array("a\rb".utf8), "bareName@0..<1 error@1..<2 bareName@2..<3 end@3..<3", ["2:unexpected control byte 0x0D"]),
    (Array("# a\rb\r\n".utf8), "newline@5..<7 end@7..<7", ["4:unexpected control byte 0x0D"]),
]

@Test("lexer table", arguments: lexerTable.indices)
func lexerRow(_ row: Int) {
    let (input, tokens, errors) = lexerTable[row]
    let (actualTokens, actualErrors) = lexed(input)
    #expect(actualTokens == tokens)
    #expect(actualErrors == errors)
}

@Test func everyKeywordLexesAsItself() {
    for keyword in TokenKind.keywords {
        let (tokens, _) = lexed(Array(keyword.spelling.utf8))
        #expect(tokens.hasPrefix("\(keyword)@0..<"), "\(keyword.spelling)")
    }
    #expect(TokenKind.keywords.count == 21)
}

@Test func columnsCountCharactersNotBytes() {
    let source = SourceFile(name: "t", text: "user \"Åsa Öberg\", bad!\n")
    let parsed = Parser.parse(source)
    let d = try! #require(parsed.diagnostics.first)
    #expect(d.location == "t:1:22")
}

/// A word that is already one of the candidates gets no did-you-mean: `connect` followed by
/// a no-break space once had `did you mean 'disconnect'?`, the opposite action.
@Test func noDidYouMeanForAWordThatIsRight() {
    #expect(Suggest.closest(to: "connect", among: ["connect", "disconnect"]) == nil)
    #expect(Suggest.closest(to: "conect", among: ["connect", "disconnect"]) == "connect")
    #expect(Suggest.closest(to: "CONNECT", among: ["connect", "disconnect"]) == "connect")
    let parsed = Parser.parse(SourceFile(name: "t", text: "admin a\nas a connect\u{A0}\n"))
    #expect(parsed.diagnostics.map(\.message) == ["unexpected U+00A0 NO-BREAK SPACE"])
    #expect(parsed.diagnostics.allSatisfy { !$0.hints.contains { $0.contains("did you mean") } })
    // The quick fix writes a space; its title shows what it replaces.
    #expect(parsed.diagnostics.first?.fixes.map(\.title) == ["replace '\\u{A0}' with ' '"])
    #expect(parsed.diagnostics.first?.fixes.first?.edits.map(\.text) == [" "])
}
