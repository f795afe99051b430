/// Prints a chunk in the canonical layout:
///
/// - one statement per line; `;` between statements becomes a line break;
/// - one space between words, `, ` between names; a names list on one line, unless
///   that line would be wider than the width (100 characters unless told): then it breaks
///   after commas, as many names on a line as fit, each further line indented four spaces
///   past the statement;
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
/// Formatting is idempotent and never changes what the program means. Statements are
/// spelled by `Words`, as everything else spells them. What does not parse (a broken
/// statement, a stray `}`, a scenario header without a quoted title) is kept as typed,
/// so that an editor can format the lines around the one being typed.
public enum Formatter {
    /// The width, in characters, past which a names list breaks after its commas.
    public static let defaultWidth = 100

    /// The canonical text of a source: every statement that parses in the canonical
    /// layout, every one that does not as typed.
    public static func format(_ parsed: ParseResult, width: Int = defaultWidth) -> String {
        var out = ByteBuffer(capacity: parsed.chunk.source.bytes.count + 64)
        write(parsed.chunk, into: &out, width: width)
        return out.string
    }

    /// The canonical text of a chunk, appended to `out`.
    package static func write(_ chunk: Chunk, into out: inout ByteBuffer, width: Int = defaultWidth) {
        var printer = Printer(chunk, output: out, width: width)
        printer.run()
        out = printer.finish()
    }
}

private struct Line {
    var depth: Int
    /// The line's code, as a range of `Printer.code`; empty for none.
    var code: Range<Int>
    /// Its width in characters.
    var width: Int
    /// A comment, as a range of the source.
    var comment: Range<Int>?
}

/// Writes lines as it goes; only a run of consecutive lines with trailing comments waits,
/// until its comments can be aligned.
private struct Printer: ~Copyable {
    let chunk: Chunk
    let bytes: SourceBytes
    let names: Words.SpelledNames
    var out: ByteBuffer
    /// The code of the lines waiting in `pending`, then of the line being emitted.
    var code = ByteBuffer()
    /// The current run of lines with code and a trailing comment.
    var pending: [Line] = []
    var linesWritten = 0
    var commentIndex = 0
    var lastEnd = 0
    var atBlockStart = true
    var forceBlank = false
    /// The width past which a statement's names list breaks after its commas.
    let width: Int

    init(_ chunk: Chunk, output: consuming ByteBuffer, width: Int) {
        self.chunk = chunk
        self.bytes = chunk.source.bytes
        self.names = Words.SpelledNames(chunk.names)
        self.out = output
        self.width = width
    }

    mutating func run() {
        let statements = chunk.statements
        /// Where the element after the statements before `index` starts: the statement at
        /// `index`, or the scenario header `header`, whichever comes first.
        func start(of index: Int, orHeader header: Int) -> Int {
            min(index < statements.count ? statements[index].range.lowerBound : Int.max, header)
        }
        // The statements outside scenarios: the background, and after a scenario only
        // broken ones.
        var outside = 0
        for (i, scenario) in chunk.scenarios.enumerated() {
            for j in outside..<scenario.statements.lowerBound {
                emit(j, depth: 0, nextStart: start(of: j + 1, orHeader: scenario.headerRange.lowerBound))
            }
            forceBlank = linesWritten + pending.count > 0
            let close = scenario.closeRange
            let end = close?.lowerBound ?? Int.max
            let firstInside = scenario.statements.isEmpty ? end : statements[scenario.statements.lowerBound].range.lowerBound
            emit(range: scenario.headerRange, depth: 0, nextStart: firstInside, asTyped: scenario.headerIsBroken) { printer in
                printer.code.append(literal: "scenario ")
                printer.code.append(Words.quoted(scenario.title))
                printer.code.append(literal: " {")
            }
            atBlockStart = true
            for j in scenario.statements {
                let next = j + 1 < scenario.statements.upperBound ? statements[j + 1].range.lowerBound : end
                emit(j, depth: 1, nextStart: next)
            }
            emitComments(before: end, depth: 1)
            outside = scenario.statements.upperBound
            // An unclosed scenario (the input ended inside it) gets no brace it did not have.
            if let close {
                atBlockStart = true  // no blank line before the closing brace
                let header = i + 1 < chunk.scenarios.count ? chunk.scenarios[i + 1].headerRange.lowerBound : Int.max
                emit(range: close, depth: 0, nextStart: start(of: outside, orHeader: header)) { $0.code.append(literal: "}") }
            }
            forceBlank = true
        }
        for j in outside..<statements.count {
            emit(j, depth: 0, nextStart: start(of: j + 1, orHeader: Int.max))
        }
        emitComments(before: Int.max, depth: 0)
    }

    /// The text, once everything is emitted.
    consuming func finish() -> ByteBuffer {
        flushPending()
        code.removeAll()
        return out
    }

    /// Adds a line: a run of commented code lines waits for its alignment, anything else
    /// is written at once.
    mutating func put(_ line: Line) {
        if !line.code.isEmpty && line.comment != nil {
            pending.append(line)
            return
        }
        flushPending()
        write(line, commentColumn: 0)
        code.removeAll()
    }

    /// Writes the waiting run, its trailing comments aligned two spaces past its longest line.
    mutating func flushPending() {
        guard !pending.isEmpty else { return }
        let width = pending.map { $0.depth * 2 + $0.width }.max()!
        for line in pending { write(line, commentColumn: width + 2) }
        pending.removeAll(keepingCapacity: true)
    }

    mutating func write(_ line: Line, commentColumn: Int) {
        linesWritten += 1
        let hasCode = !line.code.isEmpty
        if hasCode || line.comment != nil {
            for _ in 0..<line.depth { out.append(literal: "  ") }
        }
        if hasCode { code.withBytes { out.append(UnsafeBufferPointer(rebasing: $0[line.code])) } }
        if let comment = line.comment {
            if hasCode {
                for _ in 0..<(commentColumn - (line.depth * 2 + line.width)) { out.append(0x20) }
            }
            bytes.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0[comment])) }
        }
        out.append(0x0A)
    }

    // MARK: Elements

    /// Emits the statement at `index` with the comments around it.
    mutating func emit(_ index: Int, depth: Int, nextStart: Int) {
        let statement = chunk.statements[index]
        emit(range: statement.range, depth: depth, nextStart: nextStart, asTyped: statement.isBroken) { printer in
            Words.write(index, in: printer.chunk, names: printer.names, into: &printer.code)
        }
    }

    /// Emits a line of code for the source `range`, which `write` appends to `code`, with
    /// the comments around it; `asTyped`, the source's own text of `range`, never wrapped.
    mutating func emit(range: Range<Int>, depth: Int, nextStart: Int, asTyped: Bool = false, write: (inout Printer) -> Void) {
        emitComments(before: range.lowerBound, depth: depth)
        separate(upTo: range.lowerBound)
        // Comments inside the statement (after a comma) move above it; one kept as typed
        // keeps them in place.
        while commentIndex < chunk.comments.count && chunk.comments[commentIndex].lowerBound < range.upperBound {
            if !asTyped { put(Line(depth: depth, code: 0..<0, width: 0, comment: commentText(chunk.comments[commentIndex]))) }
            commentIndex += 1
        }
        let start = code.count
        var depth = depth
        if asTyped {
            // Kept as typed, its indentation too, when it starts its line.
            let lineStart = (bytes[..<range.lowerBound].lastIndex(of: 0x0A) ?? -1) + 1
            let indentation = lineStart..<range.lowerBound
            let typed = bytes[indentation].allSatisfy { $0 == 0x20 || $0 == 0x09 } ? indentation.lowerBound : range.lowerBound
            if typed < range.lowerBound || lineStart == range.lowerBound { depth = 0 }
            bytes.withUnsafeBufferPointer { code.append(UnsafeBufferPointer(rebasing: $0[typed..<range.upperBound])) }
        } else {
            write(&self)
        }
        var width = code.withBytes { bytes in UnsafeBufferPointer(rebasing: bytes[start..<code.count]).count { $0 & 0xC0 != 0x80 } }
        if !asTyped && depth * 2 + width > self.width { width = wrap(from: start, depth: depth) }
        var line = Line(depth: depth, code: start..<code.count, width: width, comment: nil)
        lastEnd = range.upperBound
        if commentIndex < chunk.comments.count {
            let c = chunk.comments[commentIndex]
            if c.lowerBound < nextStart && !bytes[range.upperBound..<c.lowerBound].contains(0x0A) {
                line.comment = commentText(c)
                lastEnd = c.upperBound
                commentIndex += 1
            }
        }
        put(line)
    }

    /// Breaks the statement written to `code` from `start` after the commas of its names
    /// list, as many names on a line as fit the width, each further line indented four
    /// spaces past the statement; a name wider than the line gets a line of its own. The
    /// width of its last line, as `Line.width` counts it.
    mutating func wrap(from start: Int, depth: Int) -> Int {
        let statement = code.withBytes { Array($0[start...]) }
        // The pieces between the `, ` that separate names; a quoted name may hold one.
        var pieces: [ArraySlice<UInt8>] = []
        var pieceStart = 0
        var quoted = false
        var i = 0
        while i < statement.count {
            let byte = statement[i]
            if quoted && byte == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted && byte == UInt8(ascii: ",") && i + 1 < statement.count && statement[i + 1] == 0x20 {
                pieces.append(statement[pieceStart...i])
                pieceStart = i + 2
                i += 1
            }
            i += 1
        }
        pieces.append(statement[pieceStart...])
        func characters(_ piece: ArraySlice<UInt8>) -> Int { piece.count { $0 & 0xC0 != 0x80 } }
        guard pieces.count > 1 else { return characters(statement[...]) }
        let indent = depth * 2 + 4
        code.truncate(to: start)
        code.append(pieces[0])
        var column = depth * 2 + characters(pieces[0])
        for piece in pieces.dropFirst() {
            let width = characters(piece)
            if column + 1 + width <= self.width {
                code.append(0x20)
                column += 1 + width
            } else {
                code.append(0x0A)
                for _ in 0..<indent { code.append(0x20) }
                column = indent + width
            }
            code.append(piece)
        }
        return column - depth * 2
    }

    /// Emits the own-line comments that start before `offset`.
    mutating func emitComments(before offset: Int, depth: Int) {
        while commentIndex < chunk.comments.count && chunk.comments[commentIndex].lowerBound < offset {
            let c = chunk.comments[commentIndex]
            separate(upTo: c.lowerBound)
            put(Line(depth: depth, code: 0..<0, width: 0, comment: commentText(c)))
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
            put(Line(depth: 0, code: 0..<0, width: 0, comment: nil))
            return
        }
        guard !atBlockStart, start > lastEnd else { return }
        var newlines = 0
        for b in bytes[lastEnd..<min(start, bytes.count)] where b == 0x0A {
            newlines += 1
            if newlines == 2 {
                put(Line(depth: 0, code: 0..<0, width: 0, comment: nil))
                return
            }
        }
    }

    /// A comment without its trailing spaces, tabs and carriage return.
    func commentText(_ range: Range<Int>) -> Range<Int> {
        var end = range.upperBound
        while end > range.lowerBound && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D) { end -= 1 }
        return range.lowerBound..<end
    }
}
