import RunbookTestSupport
import Testing

@testable import RunbookLanguage

/// `firstOffset` and `count` against a plain search, one byte at a time: the byte at every
/// position of a word and of the tail, bytes that differ from it by one bit (a borrow in
/// the word-at-a-time search must not flag them), ranges that start and end anywhere.
@Test func findingAndCountingABytesAgreeWithAPlainSearch() {
    var rng = SplitMix(state: 2_026_120_5)
    let alphabet: [UInt8] = [0x0A, 0x0B, 0x08, 0x8A, 0x09, 0x00, 0xFF, 0x61]
    for _ in 0..<3_000 {
        let bytes = (0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        let start = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count + 1))
        let end = start + Int(rng.next() % UInt64(bytes.count - start + 1))
        for byte in [0x0A, 0x00, 0xFF] as [UInt8] {
            bytes.withUnsafeBufferPointer { buffer in
                #expect(
                    firstOffset(of: byte, in: buffer, from: start, to: end) == bytes[start..<end].firstIndex(of: byte),
                    "\(byte) in \(bytes) from \(start) to \(end)")
                #expect(count(of: byte, in: buffer, from: start, to: end) == bytes[start..<end].count { $0 == byte })
            }
        }
    }
}

@Test func findingInNothingFindsNothing() {
    [UInt8]().withUnsafeBufferPointer { #expect(firstOffset(of: 0x0A, in: $0, from: 0, to: 0) == nil) }
    let line = Array("as a connect\n".utf8)
    line.withUnsafeBufferPointer { bytes in
        // An empty range, and one that ends just before the byte.
        #expect(firstOffset(of: 0x0A, in: bytes, from: 5, to: 5) == nil)
        #expect(firstOffset(of: 0x0A, in: bytes, from: 0, to: bytes.count - 1) == nil)
        #expect(firstOffset(of: 0x0A, in: bytes, from: 0, to: bytes.count) == bytes.count - 1)
        #expect(count(of: 0x0A, in: bytes, from: bytes.count, to: bytes.count) == 0)
    }
}

/// Lines found by `LineTable`, which looks for line breaks this way.
@Test func lineTableFindsEveryLine() {
    let text = String(repeating: "as adminA connect\r\n", count: 5) + "\n\nshow"
    var table = LineTable(SourceFile(name: "t", text: text))
    #expect(table.line(of: 0) == 1 && table.line(of: 19) == 2 && table.line(of: 96) == 7 && table.line(of: text.utf8.count) == 8)
    #expect(table.line(of: 95) == 6)
}
