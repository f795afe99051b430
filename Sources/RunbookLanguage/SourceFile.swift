import Synchronization

private let sourceCounter = Atomic<Int>(0)

/// Where an empty source's bytes are: never read, never freed.
nonisolated(unsafe) private let noBytes = UnsafePointer(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))

/// The bytes of a source, owned: an allocation of their own, or memory the files layer
/// mapped, with what it takes to give them back.
package final class SourceStorage: Sendable {
    nonisolated(unsafe) let base: UnsafePointer<UInt8>
    let count: Int
    private let release: @Sendable (UnsafeBufferPointer<UInt8>) -> Void
    private let done: (@Sendable (UnsafeBufferPointer<UInt8>) -> Void)?

    /// Takes ownership of `bytes`: `release` gives them back when no source holds them;
    /// `done`, when given, is told each stretch the parser has finished reading (a mapped
    /// file can let those pages go: they are read again if a diagnostic shows them).
    package init(
        _ bytes: UnsafeBufferPointer<UInt8>, release: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Void,
        done: (@Sendable (UnsafeBufferPointer<UInt8>) -> Void)? = nil
    ) {
        self.base = bytes.baseAddress ?? noBytes
        self.count = bytes.count
        self.release = release
        self.done = done
    }

    /// A copy of `bytes` in an allocation of its own.
    convenience init(copying bytes: some Collection<UInt8>) {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(fromContentsOf: bytes)
        self.init(UnsafeBufferPointer(rebasing: buffer[..<bytes.count])) { $0.deallocate() }
    }

    deinit { release(UnsafeBufferPointer(start: base, count: count)) }

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The parser has read the bytes of `range`.
    func finishedReading(_ range: Range<Int>) {
        let range = range.clamped(to: 0..<count)
        done?(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }
}

/// A source's bytes, as a collection; valid as long as the value is.
public struct SourceBytes: RandomAccessCollection, Sendable, Hashable {
    let storage: SourceStorage

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < storage.count, "offset out of the source")
        return storage.base[position]
    }

    /// Calls `body` with the bytes in place.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(storage.buffer) }
    }

    public static func == (a: SourceBytes, b: SourceBytes) -> Bool {
        a.storage === b.storage || a.elementsEqual(b)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.count)
    }
}

/// The text of one input and the name diagnostics give it (a path, `<stdin>`, `<repl>`).
public struct SourceFile: Sendable, Hashable {
    public let name: String
    public let bytes: SourceBytes
    /// The line the input starts at, for REPL lines and other pieces of a larger whole.
    public let firstLine: Int

    /// Unique to this input in the process.
    public let identity: Int

    package init(name: String, storage: SourceStorage, firstLine: Int = 1) {
        self.name = name
        self.bytes = SourceBytes(storage: storage)
        self.firstLine = firstLine
        self.identity = sourceCounter.wrappingAdd(1, ordering: .relaxed).newValue
    }

    public init(name: String, bytes: some Collection<UInt8>, firstLine: Int = 1) {
        self.init(name: name, storage: SourceStorage(copying: bytes), firstLine: firstLine)
    }

    public init(name: String, text: String, firstLine: Int = 1) {
        self.init(name: name, bytes: text.utf8, firstLine: firstLine)
    }

    public static func == (a: SourceFile, b: SourceFile) -> Bool { a.identity == b.identity }

    public func hash(into hasher: inout Hasher) { hasher.combine(identity) }

    /// The text of `range`, with invalid UTF-8 replaced.
    public func text(_ range: Range<Int>) -> String {
        let range = range.clamped(to: 0..<bytes.count)
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// The byte range of the line holding `offset`, without its line break.
    public func lineRange(at offset: Int) -> Range<Int> {
        bytes.withUnsafeBufferPointer { bytes in
            let offset = min(max(offset, 0), bytes.count)
            var start = offset
            while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
            var end = offset
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            return start..<end
        }
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
            var offset = 0
            while let found = firstOffset(of: 0x0A, in: bytes, from: offset, to: bytes.count) {
                starts.append(found + 1)
                offset = found + 1
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
        hint = index(of: offset)
        return hint + source.firstLine
    }

    /// The 0-based index of the line holding `offset`.
    private func index(of offset: Int) -> Int { starts.lastIndex(notAfter: offset) }

    /// The line holding `offset`, without its line break: `SourceFile.lineRange(at:)`
    /// found by binary search rather than by scanning the line.
    public func lineRange(containing offset: Int) -> Range<Int> {
        let offset = min(max(offset, 0), source.bytes.count)
        let line = index(of: offset)
        let start = starts[line]
        var end = line + 1 < starts.count ? starts[line + 1] - 1 : source.bytes.count
        if end > start && source.bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    /// The 1-based line and column of `offset`; columns count characters.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(offset, 0), source.bytes.count)
        let line = index(of: offset)
        var lineStart = starts[line]
        if line == 0 && source.bytes.starts(with: [0xEF, 0xBB, 0xBF]) && offset >= 3 { lineStart = 3 }
        let column = source.text(lineStart..<offset).count + 1
        return (line + source.firstLine, column)
    }
}

extension Array where Element == Int {
    /// In ascending line starts, the index of the last one at or before `offset` (0 when
    /// none is): the line that holds `offset`, by binary search.
    package func lastIndex(notAfter offset: Int) -> Int {
        var low = 0
        var high = count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if self[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
