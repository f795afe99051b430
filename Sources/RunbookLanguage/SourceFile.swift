import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

private let sourceCounter = Atomic<Int>(0)

/// The text of one input and the name diagnostics give it (a path, `<stdin>`, `<repl>`).
public struct SourceFile: Sendable, Hashable {
    public let name: String
    public let bytes: [UInt8]
    /// The line the input starts at, for REPL lines and other pieces of a larger whole.
    public let firstLine: Int

    /// Unique to this input in the process: parses of it agree on their name ids, so the
    /// interpreter can keep what it resolved while the input stays the same.
    public let identity: Int

    public init(name: String, bytes: [UInt8], firstLine: Int = 1) {
        self.name = name
        self.bytes = bytes
        self.firstLine = firstLine
        self.identity = sourceCounter.wrappingAdd(1, ordering: .relaxed).newValue
    }

    public init(name: String, text: String, firstLine: Int = 1) {
        self.init(name: name, bytes: Array(text.utf8), firstLine: firstLine)
    }

    /// The text of `range`, with invalid UTF-8 replaced.
    public func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range.clamped(to: 0..<bytes.count)], as: UTF8.self)
    }

    /// The byte range of the line holding `offset`, without its line break.
    public func lineRange(at offset: Int) -> Range<Int> {
        let offset = min(max(offset, 0), bytes.count)
        var start = offset
        while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
        var end = offset
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    /// The 1-based line and column of a byte offset; columns count characters, not bytes.
    /// Costs the distance to the start of the file; `LineTable` is for many look-ups.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        LineTable(self).location(of: offset)
    }
}

/// The offsets at which lines start, for turning many byte offsets into lines.
public struct LineTable: Sendable {
    public let source: SourceFile
    private let starts: [Int]
    /// The line of the previous `line(of:)` answer (0-based).
    private var hint = 0

    public init(_ source: SourceFile) {
        self.source = source
        var starts = [0]
        source.bytes.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                guard let found = memchr(base + offset, 0x0A, bytes.count - offset) else { break }
                let index: Int = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                starts.append(index + 1)
                offset = index + 1
            }
        }
        self.starts = starts
    }

    /// The 1-based line of `offset`. Offsets asked in increasing order (as a run
    /// reports its statements) are found by stepping from the previous answer.
    public mutating func line(of offset: Int) -> Int {
        let offset = min(max(offset, 0), source.bytes.count)
        if starts[hint] <= offset {
            var line = hint
            while line + 1 < starts.count && line < hint + 8 && starts[line + 1] <= offset { line += 1 }
            if line + 1 == starts.count || starts[line + 1] > offset {
                hint = line
                return line + source.firstLine
            }
        }
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        hint = low
        return low + source.firstLine
    }

    /// The 1-based line and column of `offset`; columns count characters.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(offset, 0), source.bytes.count)
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        var lineStart = starts[low]
        if low == 0 && source.bytes.starts(with: [0xEF, 0xBB, 0xBF]) && offset >= 3 { lineStart = 3 }
        let column = String(decoding: source.bytes[lineStart..<offset], as: UTF8.self).count + 1
        return (low + source.firstLine, column)
    }
}
