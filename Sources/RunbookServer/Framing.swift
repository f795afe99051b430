import FoundationEssentials

/// What the framing layer makes of the bytes a client sends: a message's body, or a
/// stretch of bytes that is not one.
enum Frame: Equatable {
    case message(Data)
    case malformed(FrameProblem)
}

/// Why a stretch of input is not a message.
enum FrameProblem: Error, Equatable {
    /// A header without `Content-Length`, or one whose value is not a length.
    case badHeader(String)
    /// A header longer than any a client writes.
    case headerTooLarge
    /// A `Content-Length` larger than the server takes: no client sends such a message, so
    /// the header is taken for garbage and reading goes on at the next one.
    case bodyTooLarge(Int)
    /// Bytes before a header, skipped to the next `Content-Length`.
    case garbage(Int)
    /// A body cut short by the next message's header: its `Content-Length` was too large.
    case truncated(Int)
}

/// Splits a byte stream into JSON-RPC messages framed by `Content-Length` headers. It
/// holds at most one header and one body, never more than the limits, and recovers
/// from any input by skipping to the next `Content-Length`.
struct FrameReader {
    /// The largest header read; a longer one is not a header.
    static let maxHeader = 8 << 10
    /// The largest body read.
    static let maxBody = 256 << 20

    private var buffer: [UInt8] = []
    /// Where unread bytes start in `buffer`.
    private var start = 0
    /// The length of the body being read, once its header is.
    private var bodyLength: Int?
    /// Whether a body has begun and not all of it has arrived.
    var isInsideBody: Bool { bodyLength != nil }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// The next frame, or `nil` until more bytes arrive.
    mutating func next() -> Frame? {
        defer { compact() }
        while true {
            if let length = bodyLength {
                guard buffer.count - start >= length else { return nil }
                let body = Data(buffer[start..<(start + length)])
                start += length
                bodyLength = nil
                return .message(body)
            }
            guard start < buffer.count else { return nil }
            let unread = buffer[start...]
            // Anything before a header is skipped, up to where one starts.
            if !unread.starts(with: Array("Content-".utf8)) && !Self.header.starts(with: unread.prefix(Self.header.count)) {
                let next = Self.find(Self.header, in: buffer, from: start + 1) ?? max(start, buffer.count - Self.header.count + 1)
                let skipped = next - start
                start = next
                if skipped > 0 { return .malformed(.garbage(skipped)) }
                return nil
            }
            guard let end = Self.headerEnd(in: buffer, from: start) else {
                guard buffer.count - start > Self.maxHeader else { return nil }
                start = Self.find(Self.header, in: buffer, from: start + 1) ?? buffer.count
                return .malformed(.headerTooLarge)
            }
            let header = String(decoding: buffer[start..<end], as: UTF8.self)
            start = end
            switch Self.contentLength(header) {
            case .failure(let problem):
                return .malformed(problem)
            case .success(let length) where length > Self.maxBody:
                return .malformed(.bodyTooLarge(length))
            case .success(let length):
                bodyLength = length
            }
        }
    }

    /// When input has stalled inside a body that holds the start of another message (its
    /// `Content-Length` was too large), gives up that body so that the next one is read.
    mutating func abandonTruncatedBody() -> Frame? {
        guard bodyLength != nil, let next = Self.find(Self.header, in: buffer, from: start + 1) else { return nil }
        let cut = next - start
        start = next
        bodyLength = nil
        compact()
        return .malformed(.truncated(cut))
    }

    private static let header = Array("Content-Length:".utf8)

    /// The offset just past the blank line that ends a header starting at `from`: CR LF
    /// line ends as the protocol says, or plain LF.
    private static func headerEnd(in bytes: [UInt8], from: Int) -> Int? {
        var i = from
        let limit = min(bytes.count, from + maxHeader + 4)
        while i < limit {
            if bytes[i] == 0x0A {
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { return i + 2 }
                if i + 2 < bytes.count && bytes[i + 1] == 0x0D && bytes[i + 2] == 0x0A { return i + 3 }
            }
            i += 1
        }
        return nil
    }

    /// The value of `Content-Length` among a header's fields (names compared without case).
    private static func contentLength(_ header: String) -> Result<Int, FrameProblem> {
        for line in header.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            guard trimmed(line[..<colon]).lowercased() == "content-length" else { continue }
            let value = trimmed(line[line.index(after: colon)...])
            guard value.count <= 12, !value.isEmpty, value.allSatisfy(\.isASCIIDigit), let length = Int(value) else {
                return .failure(.badHeader(String(line.prefix(80))))
            }
            return .success(length)
        }
        return .failure(.badHeader(String(header.prefix(80))))
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard from < bytes.count, bytes.count - from >= needle.count else { return nil }
        var i = from
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Drops the bytes already read once they are most of the buffer.
    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.count < 1 << 20)
            start = 0
        } else if start > 1 << 16 && start > buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }
}

/// What a JSON body holds that the decoder would refuse with no word of why: nesting past
/// the server's limit, or a `\\u` escape of half a surrogate pair, which is no character.
/// One pass over the bytes, before anything is decoded.
enum BodyProblem: Equatable {
    /// Arrays and objects nested more than `BodyProblem.maxDepth` deep.
    case tooDeeplyNested
    /// A string holds a lone surrogate escape, such as `\\ud800`.
    case loneSurrogate(String)

    /// The deepest nesting read; no message of the protocol comes near it.
    static let maxDepth = 256

    /// The first problem of `body`, if any.
    static func find(in body: Data) -> BodyProblem? {
        body.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> BodyProblem? in
            var depth = 0
            var inString = false
            var i = 0
            /// The code unit of the `\\uXXXX` escape at `i`, if there is one.
            func unit(at i: Int) -> UInt32? {
                guard i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { return nil }
                return UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(i + 2)..<(i + 6)]), as: UTF8.self), radix: 16)
            }
            while i < bytes.count {
                let byte = bytes[i]
                if inString {
                    if byte == UInt8(ascii: "\"") {
                        inString = false
                    } else if byte == UInt8(ascii: "\\") {
                        guard let value = unit(at: i) else {
                            i += 2
                            continue
                        }
                        if (0xD800...0xDBFF).contains(value), let low = unit(at: i + 6), (0xDC00...0xDFFF).contains(low) {
                            i += 12
                            continue
                        }
                        if (0xD800...0xDFFF).contains(value) {
                            return .loneSurrogate(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + 6)]), as: UTF8.self))
                        }
                        i += 6
                        continue
                    }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                    depth += 1
                    if depth > maxDepth { return .tooDeeplyNested }
                } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                    depth -= 1
                }
                i += 1
            }
            return nil
        }
    }
}

/// A message's body with its header, as the client reads it.
func framed(_ body: Data) -> Data {
    var out = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
    out.append(body)
    return out
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

/// A header field's part without the spaces and tabs around it.
private func trimmed(_ text: Substring) -> Substring {
    var text = text.drop { $0 == " " || $0 == "\t" }
    while text.last == " " || text.last == "\t" { text = text.dropLast() }
    return text
}
