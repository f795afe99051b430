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
        case emptyName = "empty-name"
        case nestedScenario = "nested-scenario"
        case statementAfterScenario = "statement-after-scenario"
        case strayBrace = "stray-brace"
        case notAGoal = "not-a-goal"
        // Found before anything runs.
        case unknownRule = "unknown-rule"
        case listedTwice = "listed-twice"
        // Warnings.
        case mixedScripts = "mixed-scripts"
        case confusableNames = "confusable-names"
        case ruleNeverRefuses = "rule-never-refuses"
        case hazardAccepted = "hazard-accepted"
        case anywayAcceptedNothing = "anyway-accepted-nothing"
        // Found by running.
        case violation
        case failedExpectation = "failed-expectation"
        /// A scenario an editor's rehearsal could not run, and why.
        case notRun = "not-run"
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
        // Whatever shows the message (a terminal, JSON, an editor), a character that
        // cannot be seen is named by its escape, never written raw.
        self.message = Words.visible(message)
        self.source = source
        self.range = range
        self.hints = hints.map(Words.visible)
        self.rule = rule
        self.fixes = fixes
    }

    /// How many diagnostics of one source are held and shown before the rest are only
    /// counted, as compilers stop at an error limit.
    public static let reportedPerSource = 50

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
        Fix(title: Message.replaceTitle(s.text(range), with: text), edits: [Edit(range: range, text: text)])
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
    /// The parts of a diagnostic a host may mark (a terminal colours them).
    public enum Part: Sendable, Hashable {
        /// `file:line:col:`, and the file before "and 3 more errors".
        case location
        /// `error:`, `violation:` ...
        case severity(Diagnostic.Severity)
        /// The carets under the excerpt.
        case caret
        /// `hint:`.
        case hintLabel
    }

    /// Marks a part of the text: the language knows no terminal, the host that prints does.
    public typealias Style = @Sendable (_ text: String, _ part: Part) -> String

    private let style: Style?
    private var tables: [String: LineTable] = [:]

    /// A renderer of plain text, or of text each part of which `style` marks.
    public init(style: Style? = nil) {
        self.style = style
    }

    /// The diagnostic as text, ending in a newline.
    public mutating func render(_ d: Diagnostic) -> String {
        let table = lineTable(for: d.source)
        let (line, column) = table.location(of: d.range.lowerBound)
        var out = paint("\(Words.printable(d.source.name)):\(line):\(column):", .location)
        out += " " + paint("\(d.severity.rawValue):", .severity(d.severity))
        out += " " + Words.visible(d.message)
        if let rule = d.rule { out += " [\(rule)]" }
        out += "\n"

        let lineRange = table.lineRange(containing: d.range.lowerBound)
        let spanStart = min(max(d.range.lowerBound, lineRange.lowerBound), lineRange.upperBound)
        let spanEnd = min(max(d.range.upperBound, spanStart), lineRange.upperBound)
        // Only the bytes the window can show are decoded: a diagnostic on a line of
        // megabytes costs its window, not its line. A character is at most 4 bytes, so the
        // bytes kept hold more characters than the window shows, and the window still
        // knows it was cut.
        let reach = 4 * (2 * Excerpt.context + 1)
        let bytes = d.source.bytes
        func boundary(_ offset: Int) -> Int {
            var offset = offset
            while offset < lineRange.upperBound && bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            return offset
        }
        let headStart = spanStart - lineRange.lowerBound > reach ? boundary(spanStart - reach) : lineRange.lowerBound
        let spanStop = spanEnd - spanStart > reach ? min(boundary(spanStart + reach), spanEnd) : spanEnd
        let tailStop = lineRange.upperBound - spanStop > reach ? boundary(spanStop + reach) : lineRange.upperBound
        let excerpt = Excerpt(
            before: d.source.text(headStart..<spanStart), span: d.source.text(spanStart..<spanStop),
            after: spanStop < spanEnd ? "" : d.source.text(spanStop..<tailStop))
        let number = String(line)
        let width = max(5, number.count)
        let gutter = String(repeating: " ", count: width)
        out += String(repeating: " ", count: width - number.count) + number + " | " + excerpt.text + "\n"
        let marker = "^" + String(repeating: "~", count: max(1, excerpt.spanCells) - 1)
        out += gutter + " | " + String(repeating: " ", count: excerpt.caretCell) + paint(marker, .caret) + "\n"
        for hint in d.hints {
            out += "  " + paint("hint:", .hintLabel) + " " + Words.visible(hint) + "\n"
        }
        return out
    }

    /// The diagnostics of one source as text: at most `Diagnostic.reportedPerSource` of
    /// them, then how many more there are, with those `unreported` (found but not held).
    public mutating func render(_ diagnostics: [Diagnostic], unreported: Unreported = Unreported()) -> String {
        var out = ""
        var more = unreported
        for (index, d) in diagnostics.enumerated() {
            guard index < Diagnostic.reportedPerSource else {
                if d.severity == .error { more.errors += 1 } else { more.warnings += 1 }
                continue
            }
            out += render(d)
        }
        if more.errors + more.warnings > 0, let source = diagnostics.first?.source {
            let counts = [Words.counted(more.errors, "more error"), Words.counted(more.warnings, "more warning")]
            out += paint("\(Words.printable(source.name)):", .location) + " and "
            out += (more.warnings == 0 ? counts[0] : more.errors == 0 ? counts[1] : counts.joined(separator: " and ")) + "\n"
        }
        return out
    }

    private mutating func lineTable(for source: SourceFile) -> LineTable {
        if let table = tables[source.name], table.source == source { return table }
        let table = LineTable(source)
        tables[source.name] = table
        return table
    }

    /// The source line shown under a message: a window of it around the span when it is
    /// long, with the cell the caret goes in and how many cells the span takes. Tabs show
    /// as a space, control characters as `?` and characters that cannot be seen by their
    /// escape (`\u{A0}`), so that every character takes the cells the caret line counts;
    /// East Asian wide characters take two.
    struct Excerpt {
        var text = ""
        var caretCell = 0
        var spanCells = 0

        /// Cells of context kept on each side of the span of a long line.
        static let context = 60

        init(before: String, span: String, after: String) {
            func shown(_ scalars: some Collection<Unicode.Scalar>) -> (String, Int) {
                var text = ""
                var cells = 0
                for scalar in scalars {
                    if scalar == "\t" || Lexer.isForbidden(scalar) {
                        text.unicodeScalars.append(scalar == "\t" ? " " : "?")
                        cells += 1
                    } else if Lexer.isInvisible(scalar) {
                        let escaped = Words.escaped(scalar)
                        text += escaped
                        cells += escaped.count
                    } else {
                        text.unicodeScalars.append(scalar)
                        cells += Lookalikes.width(scalar)
                    }
                }
                return (text, cells)
            }
            var head = Array(before.unicodeScalars)
            var tail = Array(after.unicodeScalars)
            var spanScalars = Array(span.unicodeScalars)
            // A long line is cut to a window around the span.
            let cut = "..."
            var headCut = false
            var tailCut = false
            if head.count > Self.context {
                head = Array(head.suffix(Self.context))
                headCut = true
            }
            if spanScalars.count > 2 * Self.context {
                spanScalars = Array(spanScalars.prefix(2 * Self.context))
                tail = []
                tailCut = true
            } else if tail.count > Self.context {
                tail = Array(tail.prefix(Self.context))
                tailCut = true
            }
            let (headText, headCells) = shown(head)
            let (spanText, spanCells) = shown(spanScalars)
            let (tailText, _) = shown(tail)
            text = (headCut ? cut : "") + headText + spanText + tailText + (tailCut ? cut : "")
            caretCell = (headCut ? cut.count : 0) + headCells
            self.spanCells = spanCells
        }
    }

    private func paint(_ text: String, _ part: Part) -> String {
        style?(text, part) ?? text
    }
}

/// How many diagnostics were found past those held.
public struct Unreported: Sendable, Hashable {
    public var errors = 0
    public var warnings = 0

    public init(errors: Int = 0, warnings: Int = 0) {
        self.errors = errors
        self.warnings = warnings
    }
}

/// Diagnostics found in source order, the first `Diagnostic.reportedPerSource` held and
/// the rest only counted, without being made: a file of nothing but errors costs the
/// memory and time of the cap, not of its errors. A reference, so that a lexer or parser
/// can add to it while the message is made from its own fields.
final class DiagnosticList {
    private(set) var held: [Diagnostic] = []
    /// How many were found, held or not.
    private(set) var count = 0

    func append(_ make: @autoclosure () -> Diagnostic) {
        count += 1
        if held.count < Diagnostic.reportedPerSource { held.append(make()) }
    }
}
