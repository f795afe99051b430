/// One message for the user about a place in a source: a syntax error, a refused
/// action, a failed expectation. The whole program reports through this type.
public struct Diagnostic: Sendable, Hashable, Error {
    /// How the message is labelled.
    public enum Severity: String, Sendable, Hashable {
        /// Syntax and usage.
        case error
        /// An action the rules refuse; carries a rule id.
        case violation
        /// An expectation that did not hold.
        case failed
        case warning
        case note
    }

    /// Which message this is, whatever its wording: clients add hints of their own by it
    /// (where the rule ids are listed, say), and the language server reports it as the code.
    public enum ID: String, Sendable, Hashable {
        // Lexical.
        case unterminatedString = "unterminated-string"
        case badEscape = "bad-escape"
        case controlCharacter = "control-character"
        case invalidUTF8 = "invalid-utf8"
        case unexpectedCharacters = "unexpected-characters"
        // Syntax.
        case expected
        case keywordAsName = "keyword-as-name"
        case nestedScenario = "nested-scenario"
        case statementAfterScenario = "statement-after-scenario"
        case strayBrace = "stray-brace"
        case notAGoal = "not-a-goal"
        // Found before anything runs.
        case unknownRule = "unknown-rule"
        case listedTwice = "listed-twice"
        // Found by running.
        case violation
        case failedExpectation = "failed-expectation"
        /// A diagnostic a host made.
        case other
    }

    public var severity: Severity
    public var id: ID
    public var message: String
    public var source: SourceFile
    /// The byte range the caret and tildes mark.
    public var range: Range<Int>
    /// Lines printed after the source excerpt as `hint: ...`.
    public var hints: [String]
    /// The rule id, printed in brackets after the message.
    public var rule: String?
    /// The hints that name a change to the source, as that change: an editor offers each
    /// as a quick fix.
    public var fixes: [Fix]

    public init(
        _ severity: Severity, _ message: String, in source: SourceFile, at range: Range<Int>, id: ID = .other,
        hints: [String] = [], rule: String? = nil, fixes: [Fix] = []
    ) {
        self.severity = severity
        self.id = id
        self.message = message
        self.source = source
        self.range = range
        self.hints = hints
        self.rule = rule
        self.fixes = fixes
    }

    /// `file:line:col` of the start of the range.
    public var location: String {
        let (line, column) = source.location(of: range.lowerBound)
        return "\(source.name):\(line):\(column)"
    }

    public static func == (a: Diagnostic, b: Diagnostic) -> Bool {
        a.severity == b.severity && a.id == b.id && a.message == b.message && a.range == b.range && a.hints == b.hints
            && a.rule == b.rule && a.source.name == b.source.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(message)
        hasher.combine(range.lowerBound)
    }
}

/// A change to a source that carries out what a hint says, as data: the statements to
/// insert above a refused one, or the word a did-you-mean names in place of the typo.
/// Made where the hint is made, from the same values.
public struct Fix: Sendable, Hashable {
    /// One replacement: the bytes of `range` give way to `text`.
    public struct Edit: Sendable, Hashable {
        public var range: Range<Int>
        public var text: String
    }

    /// What the fix does, in words: `insert 'as adminA revoke adminB' above`.
    public var title: String
    /// The replacements, in source order, none overlapping another.
    public var edits: [Edit]

    /// Puts `text` in place of `range`.
    static func replacing(_ range: Range<Int>, with text: String, in s: SourceFile) -> Fix {
        Fix(title: "replace '\(s.text(range))' with '\(text)'", edits: [Edit(range: range, text: text)])
    }

    /// Inserts `statements` before the statement at `range`: on lines of their own at its
    /// indentation when it starts its line, else before it on the same line, each ended by `;`.
    static func inserting(_ statements: [String], above range: Range<Int>, in s: SourceFile) -> Fix {
        let title = "insert " + Words.list(statements.map { "'\($0)'" }) + " above"
        let line = s.lineRange(at: range.lowerBound)
        let before = line.lowerBound..<range.lowerBound
        let indented = s.bytes[before].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        guard indented else {
            return Fix(title: title, edits: [Edit(range: range.lowerBound..<range.lowerBound, text: statements.map { $0 + "; " }.joined())])
        }
        let indent = s.text(before)
        let newline = line.upperBound < s.bytes.count && s.bytes[line.upperBound] == 0x0D ? "\r\n" : "\n"
        let text = statements.map { indent + $0 + newline }.joined()
        return Fix(title: title, edits: [Edit(range: line.lowerBound..<line.lowerBound, text: text)])
    }
}

/// Renders diagnostics the way compilers do and editors read:
///
///     handoff.runbook:9:1: violation: adminB cannot connect ... [access-blocks-connect]
///         9 | as adminB connect
///           | ^~~~~~~~~~~~~~~~~
///       hint: the connected admin must revoke it first: as adminA revoke adminB
public struct DiagnosticRenderer {
    /// Whether to colour the output with ANSI escapes.
    public var color: Bool
    private var tables: [String: LineTable] = [:]

    public init(color: Bool) {
        self.color = color
    }

    /// The diagnostic as text, ending in a newline.
    public mutating func render(_ d: Diagnostic) -> String {
        let table = lineTable(for: d.source)
        let (line, column) = table.location(of: d.range.lowerBound)
        var out = paint("\(d.source.name):\(line):\(column):", bold: true)
        out += " " + paint("\(d.severity.rawValue):", code: severityColor(d.severity), bold: true)
        out += " " + d.message
        if let rule = d.rule { out += " [\(rule)]" }
        out += "\n"

        let lineRange = d.source.lineRange(at: d.range.lowerBound)
        let lineText = d.source.text(lineRange)
        let number = String(line)
        let width = max(5, number.count)
        let gutter = String(repeating: " ", count: width)
        out += String(repeating: " ", count: width - number.count) + number + " | " + printable(lineText) + "\n"
        let spanEnd = min(max(d.range.upperBound, d.range.lowerBound), lineRange.upperBound)
        let spanLength = max(1, String(decoding: d.source.bytes[min(d.range.lowerBound, spanEnd)..<spanEnd], as: UTF8.self).count)
        let marker = "^" + String(repeating: "~", count: spanLength - 1)
        out += gutter + " | " + String(repeating: " ", count: column - 1) + paint(marker, code: "32", bold: true) + "\n"
        for hint in d.hints {
            out += "  " + paint("hint:", code: "36", bold: true) + " " + hint + "\n"
        }
        return out
    }

    private mutating func lineTable(for source: SourceFile) -> LineTable {
        if let table = tables[source.name], table.source == source { return table }
        let table = LineTable(source)
        tables[source.name] = table
        return table
    }

    /// Tabs and control characters would misplace the caret; show them as spaces and `?`.
    private func printable(_ text: String) -> String {
        String(text.map { $0 == "\t" ? " " : ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) ? "?" : $0 })
    }

    private func severityColor(_ s: Diagnostic.Severity) -> String {
        switch s {
        case .error, .failed: "31"
        case .violation: "35"
        case .warning: "33"
        case .note: "36"
        }
    }

    private func paint(_ text: String, code: String? = nil, bold: Bool = false) -> String {
        guard color else { return text }
        let codes = (bold ? ["1"] : []) + (code.map { [$0] } ?? [])
        return "\u{1B}[" + codes.joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }
}
