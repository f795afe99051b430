/// How a client counts the characters of a line: UTF-16 code units, as the protocol says
/// by default, or UTF-8 bytes when the client offers them.
enum PositionEncoding: String {
    case utf16 = "utf-16"
    case utf8 = "utf-8"

    /// The encoding to use with a client that offers `offered` (in its order of preference):
    /// UTF-8 when offered, as documents are held in it, else the protocol's default.
    static func negotiate(_ offered: [String]) -> PositionEncoding {
        offered.contains(PositionEncoding.utf8.rawValue) ? .utf8 : .utf16
    }
}

/// Where the lines of a text start, for turning byte offsets into protocol positions and
/// back: the one place that does. Lines end at LF, CR LF or a lone CR, as the protocol
/// says; a position past the end of its line, or past the last line, means the end of it.
struct LineIndex {
    let bytes: [UInt8]
    /// The offset each line starts at.
    private(set) var starts: [Int] = [0]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == 0x0A || (b == 0x0D && (i == bytes.count || bytes[i] != 0x0A)) { starts.append(i) }
        }
    }

    var lineCount: Int { starts.count }

    /// The line holding `offset`, from 0.
    func line(of offset: Int) -> Int { starts.lastIndex(notAfter: offset) }

    /// The end of the text of `line`, before its line break.
    func end(of line: Int) -> Int {
        guard line + 1 < starts.count else { return bytes.count }
        var end = starts[line + 1] - 1
        if bytes[end] == 0x0A && end > starts[line] && bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }

    /// The protocol position of a byte offset.
    func position(of offset: Int, in encoding: PositionEncoding) -> Position {
        let offset = min(max(offset, 0), bytes.count)
        let line = line(of: offset)
        let end = min(offset, self.end(of: line))
        return Position(line: line, character: units(from: starts[line], to: end, in: encoding))
    }

    func range(of range: Swift.Range<Int>, in encoding: PositionEncoding) -> LSPRange {
        LSPRange(start: position(of: range.lowerBound, in: encoding), end: position(of: range.upperBound, in: encoding))
    }

    /// The byte offset of a protocol position; clamped to the text, and to the start of a
    /// character whose middle it names.
    func offset(of position: Position, in encoding: PositionEncoding) -> Int {
        guard position.line >= 0 else { return 0 }
        guard position.line < starts.count else { return bytes.count }
        let end = self.end(of: position.line)
        var offset = starts[position.line]
        var counted = 0
        while offset < end {
            let length = Self.sequenceLength(bytes[offset])
            let units = encoding == .utf8 ? length : (length == 4 ? 2 : 1)
            if counted + units > position.character { break }
            counted += units
            offset = min(offset + length, end)
        }
        return offset
    }

    func offsets(of range: LSPRange, in encoding: PositionEncoding) -> Swift.Range<Int> {
        let start = offset(of: range.start, in: encoding)
        return start..<max(start, offset(of: range.end, in: encoding))
    }

    /// The code units between two offsets of one line.
    func units(from start: Int, to end: Int, in encoding: PositionEncoding) -> Int {
        guard encoding == .utf16 else { return end - start }
        var units = 0
        for i in start..<end {
            let b = bytes[i]
            // One unit per scalar, two for a scalar beyond the basic plane (a 4-byte sequence).
            if b & 0xC0 != 0x80 { units += b >= 0xF0 ? 2 : 1 }
        }
        return units
    }

    /// The length of the UTF-8 sequence a byte starts; 1 for a byte that starts none.
    static func sequenceLength(_ b: UInt8) -> Int {
        switch b {
        case 0xF0...0xF7: 4
        case 0xE0...0xEF: 3
        case 0xC0...0xDF: 2
        default: 1
        }
    }
}
