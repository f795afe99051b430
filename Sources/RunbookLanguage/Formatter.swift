/// Prints a program in the canonical layout:
///
/// - one statement per line; `;` between statements becomes a line break;
/// - one space between words, `, ` between names; a names list on one line;
/// - names bare when they can be, quoted (with `\"` and `\\`) otherwise;
/// - scenario bodies indented by two spaces, `}` on its own line, and one blank line
///   before each scenario;
/// - blank lines kept where the source had them, at most one in a row, none at the
///   start or end of a file or a block;
/// - comments kept where they were: own-line comments on their own line at the
///   indentation of what follows, trailing comments after their statement, aligned
///   two spaces past the longest statement of a run of consecutive commented lines;
///   a comment inside a statement (after a comma) moves above it;
/// - LF line breaks, no byte order mark, no trailing whitespace, a final newline.
///
/// Formatting is idempotent and never changes what the program means.
public enum Formatter {
    /// The canonical text of a program that parsed without errors.
    public static func format(_ program: Program) -> String {
        var printer = Printer(program)
        printer.run()
        return printer.output()
    }

    /// Formats source text, or returns the syntax errors that prevent it.
    public static func format(_ source: SourceFile) -> Result<String, ParseFailure> {
        let result = Parser.parse(source)
        guard result.succeeded else { return .failure(ParseFailure(diagnostics: result.diagnostics)) }
        return .success(format(result.program))
    }
}

/// The syntax errors of a source that did not parse.
public struct ParseFailure: Error, Sendable {
    public var diagnostics: [Diagnostic]
}

private struct Line {
    var depth: Int
    var code: String?
    var comment: String?
}

private struct Printer {
    let program: Program
    let bytes: [UInt8]
    var lines: [Line] = []
    var commentIndex = 0
    var lastEnd = 0
    var atBlockStart = true
    var forceBlank = false

    init(_ program: Program) {
        self.program = program
        self.bytes = program.source.bytes
    }

    mutating func run() {
        let background = program.background
        for (i, s) in background.enumerated() {
            let next =
                i + 1 < background.count
                ? background[i + 1].range.lowerBound
                : program.scenarios.first?.headerRange.lowerBound ?? Int.max
            emit(code: text(of: s), range: s.range, depth: 0, nextStart: next)
        }
        for (i, scenario) in program.scenarios.enumerated() {
            forceBlank = !lines.isEmpty
            let firstInside = scenario.body.first?.range.lowerBound ?? scenario.closeRange!.lowerBound
            emit(
                code: "scenario \(quotedTitle(scenario.title)) {", range: scenario.headerRange, depth: 0,
                nextStart: firstInside)
            atBlockStart = true
            for (j, s) in scenario.body.enumerated() {
                let next =
                    j + 1 < scenario.body.count
                    ? scenario.body[j + 1].range.lowerBound
                    : scenario.closeRange!.lowerBound
                emit(code: text(of: s), range: s.range, depth: 1, nextStart: next)
            }
            emitComments(before: scenario.closeRange!.lowerBound, depth: 1)
            atBlockStart = true  // no blank line before the closing brace
            let next = i + 1 < program.scenarios.count ? program.scenarios[i + 1].headerRange.lowerBound : Int.max
            emit(code: "}", range: scenario.closeRange!, depth: 0, nextStart: next)
            forceBlank = true
        }
        emitComments(before: Int.max, depth: 0)
    }

    func output() -> String {
        var runStart = 0
        var out = ""
        // Align the trailing comments of each run of consecutive commented lines.
        var widths = [Int](repeating: 0, count: lines.count)
        while runStart < lines.count {
            guard lines[runStart].code != nil && lines[runStart].comment != nil else {
                runStart += 1
                continue
            }
            var runEnd = runStart
            while runEnd < lines.count && lines[runEnd].code != nil && lines[runEnd].comment != nil { runEnd += 1 }
            let width = lines[runStart..<runEnd].map { $0.depth * 2 + $0.code!.count }.max()!
            for k in runStart..<runEnd { widths[k] = width }
            runStart = runEnd
        }
        for (k, line) in lines.enumerated() {
            let indent = String(repeating: "  ", count: line.depth)
            switch (line.code, line.comment) {
            case (nil, nil): out += "\n"
            case (nil, let comment?): out += indent + comment + "\n"
            case (let code?, nil): out += indent + code + "\n"
            case (let code?, let comment?):
                let pad = widths[k] - (line.depth * 2 + code.count) + 2
                out += indent + code + String(repeating: " ", count: pad) + comment + "\n"
            }
        }
        return out
    }

    // MARK: Elements

    /// Emits a statement, scenario header or closing brace with the comments around it.
    mutating func emit(code: String, range: Range<Int>, depth: Int, nextStart: Int) {
        emitComments(before: range.lowerBound, depth: depth)
        separate(upTo: range.lowerBound)
        // Comments inside the statement (after a comma) move above it.
        while commentIndex < program.comments.count && program.comments[commentIndex].lowerBound < range.upperBound {
            lines.append(Line(depth: depth, code: nil, comment: commentText(program.comments[commentIndex])))
            commentIndex += 1
        }
        var line = Line(depth: depth, code: code, comment: nil)
        lastEnd = range.upperBound
        if commentIndex < program.comments.count {
            let c = program.comments[commentIndex]
            if c.lowerBound < nextStart && !bytes[range.upperBound..<c.lowerBound].contains(0x0A) {
                line.comment = commentText(c)
                lastEnd = c.upperBound
                commentIndex += 1
            }
        }
        lines.append(line)
    }

    /// Emits the own-line comments that start before `offset`.
    mutating func emitComments(before offset: Int, depth: Int) {
        while commentIndex < program.comments.count && program.comments[commentIndex].lowerBound < offset {
            let c = program.comments[commentIndex]
            separate(upTo: c.lowerBound)
            lines.append(Line(depth: depth, code: nil, comment: commentText(c)))
            lastEnd = c.upperBound
            commentIndex += 1
        }
    }

    /// Adds a blank line before the next element when the layout calls for one.
    mutating func separate(upTo start: Int) {
        defer {
            atBlockStart = false
            forceBlank = false
        }
        if forceBlank {
            lines.append(Line(depth: 0))
            return
        }
        guard !atBlockStart, start > lastEnd else { return }
        var newlines = 0
        for b in bytes[lastEnd..<min(start, bytes.count)] where b == 0x0A {
            newlines += 1
            if newlines == 2 {
                lines.append(Line(depth: 0))
                return
            }
        }
    }

    // MARK: Text

    func commentText(_ range: Range<Int>) -> String {
        var text = program.source.text(range)
        while let last = text.unicodeScalars.last, last == " " || last == "\t" || last == "\r" {
            text.unicodeScalars.removeLast()
        }
        return text
    }

    func text(of statement: Statement) -> String {
        switch statement.kind {
        case .declare(let role, let names): "\(role.rawValue) \(list(names))"
        case .action(let action): text(of: action)
        case .show: "show"
        case .expect(let e):
            switch e {
            case .owner(let name): "expect owner \(name.map { quoted($0.text) } ?? "none")"
            case .connected(let names): "expect \(list(names)) connected"
            case .notConnected(let names): "expect \(list(names)) not connected"
            case .hasAccess(let names): "expect \(list(names)) has access"
            case .absent(let names): "expect \(list(names)) absent"
            case .violation(let rule, _, let action):
                "expect violation " + (rule.map { $0.rawValue + " " } ?? "") + text(of: action)
            }
        }
    }

    func text(of action: ActionNode) -> String {
        let head = "as \(quoted(action.actor.text))"
        switch action.verb {
        case .connect: return head + " connect"
        case .disconnect: return head + " disconnect"
        case .grant(let names): return head + " grant " + list(names)
        case .revoke(let names): return head + " revoke " + list(names)
        case .remove(let names): return head + " remove " + list(names)
        }
    }

    func list(_ names: [Name]) -> String { names.map { quoted($0.text) }.joined(separator: ", ") }
}

extension Line {
    init(depth: Int) { self.init(depth: depth, code: nil, comment: nil) }
}
