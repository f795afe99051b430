/// A growable byte buffer whose appends are a bounds check and a `memcpy`: a run that
/// reports a million statements assembles its output here, a few small pieces per line,
/// where `Array`'s generic appends cost several times more.
package struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The number of bytes held.
    package private(set) var count = 0

    package init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    package mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    package mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + count).update(from: from, count: bytes.count)
        count += bytes.count
    }

    package mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    package mutating func append(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends a literal's UTF-8 bytes.
    package mutating func append(literal text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Appends a string's UTF-8 bytes.
    package mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends a number in decimal.
    package mutating func append(decimal number: Int) {
        reserve(21)
        if number < 0 {
            base[count] = 0x2D
            count += 1
        }
        var rest = number.magnitude
        var digits = 0
        repeat {
            base[count + digits] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
            digits += 1
            rest /= 10
        } while rest > 0
        var written = UnsafeMutableBufferPointer(start: base + count, count: digits)
        written.reverse()
        count += digits
    }

    /// Forgets the bytes, keeping the memory.
    package mutating func removeAll() { count = 0 }

    /// Forgets the bytes past the first `count`, keeping the memory.
    package mutating func truncate(to count: Int) { self.count = min(self.count, count) }

    /// The bytes held, valid during `body`.
    package func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// The bytes held, as text.
    package var string: String {
        withBytes { String(decoding: $0, as: UTF8.self) }
    }
}

/// Whether two byte runs are equal: inline, since names are too short to be
/// worth a call to `memcmp`.
@inline(__always)
func equalBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}

/// The offset of the first `byte` in `bytes[start..<end]`, or `nil`: a line break found
/// eight bytes at a time, in plain Swift (the language calls no C library).
package func firstOffset(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
    precondition(start >= 0 && end <= bytes.count, "range outside the bytes")
    guard let base = bytes.baseAddress else { return nil }
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let pattern = ones &* UInt64(byte)
    var offset = start
    while offset + 8 <= end {
        // A zero byte of `word` is where `byte` was; the lowest flagged byte is the first.
        let word = UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)) ^ pattern
        let zeros = (word &- ones) & ~word & highs
        if zeros != 0 { return offset + zeros.trailingZeroBitCount / 8 }
        offset += 8
    }
    while offset < end {
        if base[offset] == byte { return offset }
        offset += 1
    }
    return nil
}

/// How many times `byte` occurs in `bytes[start..<end]`: the lines before an offset,
/// counted in a loop simple enough for the compiler to make wide.
package func count(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
    precondition(start >= 0 && end <= bytes.count, "range outside the bytes")
    var count = 0
    for offset in start..<max(start, end) where bytes[offset] == byte { count &+= 1 }
    return count
}
