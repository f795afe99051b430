/// Turns UTF-8 bytes into tokens, one at a time, on demand.
///
/// The lexer never throws: a malformed piece of input (invalid UTF-8, a control byte,
/// a character that cannot start a token, an unterminated string) becomes an `.error`
/// token with a diagnostic, and lexing goes on after it. Comments are skipped but
/// their ranges are kept for the formatter.
public struct Lexer {
    public let source: SourceFile
    /// The source's bytes, valid while the lexer is (see `withLexer`).
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int
    /// `Lexer.nameChars` and the keyword table, held to spare a lookup of the globals per name.
    private let nameChars = Lexer.nameChars
    private let keywords = KeywordTable.shared
    /// Diagnostics for malformed input, in source order.
    let errors = DiagnosticList()
    /// The byte ranges of the comments passed so far, `#` included.
    public private(set) var comments: [Range<Int>] = []

    /// A lexer over `bytes`, which must be `source.bytes` and outlive the lexer, from the
    /// start or from `offset`.
    init(_ source: SourceFile, bytes: UnsafeBufferPointer<UInt8>, from offset: Int? = nil) {
        self.source = source
        self.bytes = bytes
        // A leading byte order mark is skipped.
        self.position = offset ?? (bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0)
    }

    /// All tokens up to and including `.end`; for tests and tools.
    public static func tokenize(_ source: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        source.bytes.withUnsafeBufferPointer { bytes in
            var lexer = Lexer(source, bytes: bytes)
            var tokens: [Token] = []
            repeat { tokens.append(lexer.next()) } while tokens.last!.kind != .end
            return (tokens, lexer.errors.held)
        }
    }

    /// The next token; `.end` forever once the input is exhausted.
    public mutating func next() -> Token {
        let count = bytes.count
        while position < count {
            let start = position
            let byte = bytes[position]
            switch byte {
            case 0x20, 0x09:  // space, tab
                position += 1
            case 0x0D where position + 1 < count && bytes[position + 1] == 0x0A:  // CRLF
                position += 2
                return Token(.newline, start..<position)
            case 0x0A:
                position += 1
                return Token(.newline, start..<position)
            case UInt8(ascii: "#"):
                skipComment()
            case UInt8(ascii: ","): position += 1; return Token(.comma, start..<position)
            case UInt8(ascii: ";"): position += 1; return Token(.semicolon, start..<position)
            case UInt8(ascii: "{"): position += 1; return Token(.leftBrace, start..<position)
            case UInt8(ascii: "}"): position += 1; return Token(.rightBrace, start..<position)
            case UInt8(ascii: "\""):
                return lexString()
            default:
                if Lexer.isNameStart(byte) { return lexBareName() }
                if byte >= 0x80, let (scalar, _) = scalar(at: position) {
                    if Lexer.startsName(scalar) { return lexBareName() }
                    if Lexer.isInvisible(scalar) { return lexInvisible() }
                }
                return lexUnexpected()
            }
        }
        return Token(.end, count..<count)
    }

    // MARK: Token shapes

    /// `bare_name`, or the keyword it spells.
    private mutating func lexBareName() -> Token {
        // Locals, not properties, in the loop: this runs for most of the bytes of a runbook.
        let start = position
        let base = bytes.baseAddress!
        let count = bytes.count
        var end = start + (base[start] < 0x80 ? 1 : 0)
        while end < count && nameChars[Int(base[end])] { end += 1 }
        if end < count && base[end] >= 0x80 {
            // Letters and digits of other scripts: keywords are ASCII, so this is a name.
            // A character that cannot continue a name (a no-break space) ends the word.
            let unicodeEnd = lexUnicodeName(from: end)
            if unicodeEnd > end {
                position = unicodeEnd
                return Token(.bareName, start..<position)
            }
        }
        position = end
        let kind = TokenKind.keyword(base + start, count: end - start, readable: count - start, in: keywords)
        return Token(kind ?? .bareName, start..<end)
    }

    /// The rest of a bare name that holds characters beyond ASCII, from `offset`: where it ends.
    private func lexUnicodeName(from offset: Int) -> Int {
        var end = offset
        while end < bytes.count {
            let byte = bytes[end]
            if byte < 0x80 {
                guard nameChars[Int(byte)] else { break }
                end += 1
            } else {
                guard let (scalar, length) = scalar(at: end), Lexer.continuesName(scalar) else { break }
                end += length
            }
        }
        return end
    }

    /// `string`: a double-quoted name on one line, with `\"` and `\\` escapes.
    private mutating func lexString() -> Token {
        let start = position
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return Token(.string, start..<position)
            case UInt8(ascii: "\\"):
                let escaped = position + 1 < bytes.count ? bytes[position + 1] : 0
                if escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "\\") {
                    position += 2
                } else {
                    errors.append(Message.badEscape(at: position, in: source, after: start))
                    return recover(from: start)
                }
            case 0x0A, 0x0D:
                return unterminated(start)
            case 0x00..<0x20, 0x7F:
                errors.append(Message.controlByte(byte, at: position, in: source))
                return recover(from: start)
            case 0x80...:
                guard let (scalar, length) = scalar(at: position) else {
                    errors.append(Message.invalidUTF8(at: position, in: source))
                    return recover(from: start)
                }
                if Lexer.isForbidden(scalar) {
                    errors.append(Message.forbiddenCharacter(scalar, at: position..<position + length, in: source))
                    return recover(from: start)
                }
                position += length
            default:
                position += 1
            }
        }
        return unterminated(start)
    }

    /// A string that reaches the end of its line without its closing quote.
    private mutating func unterminated(_ start: Int) -> Token {
        errors.append(Message.unterminatedString(start..<position, in: source))
        return Token(.error, start..<position)
    }

    /// Skips the rest of the string or word that holds an error just reported.
    private mutating func recover(from start: Int) -> Token {
        let inString = bytes[start] == UInt8(ascii: "\"")
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x0A || byte == 0x0D { break }
            position += 1
            if inString && byte == UInt8(ascii: "\"") { break }
        }
        return Token(.error, start..<position)
    }

    /// A run of characters that show as blank or as nothing (a no-break space, a zero-width
    /// space): one error that names them, as they cannot be seen.
    private mutating func lexInvisible() -> Token {
        let start = position
        while position < bytes.count, bytes[position] >= 0x80, let (scalar, length) = scalar(at: position),
            Lexer.isInvisible(scalar)
        {
            position += length
        }
        errors.append(Message.invisibleCharacters(start..<position, in: source))
        return Token(.error, start..<position)
    }

    /// Input that cannot start a token: a run of such bytes is one error.
    private mutating func lexUnexpected() -> Token {
        let start = position
        let byte = bytes[position]
        if byte < 0x20 || byte == 0x7F {
            position += 1
            errors.append(Message.controlByte(byte, at: start, in: source))
            return Token(.error, start..<position)
        }
        if byte >= 0x80 && utf8Length(at: position) == nil {
            position += 1
            errors.append(Message.invalidUTF8(at: start, in: source))
            return Token(.error, start..<position)
        }
        // A word with characters a bare name cannot hold, such as "a/b" or "🚀x".
        while position < bytes.count {
            let b = bytes[position]
            if b <= 0x20 || b == 0x7F || b == UInt8(ascii: ",") || b == UInt8(ascii: ";")
                || b == UInt8(ascii: "{") || b == UInt8(ascii: "}") || b == UInt8(ascii: "#")
                || b == UInt8(ascii: "\"")
            {
                break
            }
            if b >= 0x80 {
                guard let (scalar, length) = scalar(at: position), !Lexer.isInvisible(scalar) else { break }
                position += length
            } else {
                position += 1
            }
        }
        errors.append(Message.unexpectedCharacters(start..<position, in: source))
        return Token(.error, start..<position)
    }

    /// `comment`: from `#` to the end of the line, which is left for the newline token.
    private mutating func skipComment() {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x0A || (byte == 0x0D && position + 1 < bytes.count && bytes[position + 1] == 0x0A) {
                break
            }
            if byte >= 0x80 {
                if let (scalar, length) = scalar(at: position) {
                    if Lexer.isForbidden(scalar) {
                        errors.append(Message.forbiddenCharacter(scalar, at: position..<position + length, in: source))
                    }
                    position += length
                    continue
                }
                errors.append(Message.invalidUTF8(at: position, in: source))
            } else if byte < 0x20 && byte != 0x09 || byte == 0x7F {
                errors.append(Message.controlByte(byte, at: position, in: source))
            }
            position += 1
        }
        comments.append(start..<position)
    }

    // MARK: Bytes

    /// The character whose valid UTF-8 sequence starts at `i`, and its length; `nil` when the
    /// bytes there are not valid UTF-8.
    private func scalar(at i: Int) -> (Unicode.Scalar, Int)? {
        guard let length = utf8Length(at: i) else { return nil }
        var value = UInt32(bytes[i]) & (0xFF >> UInt32(length + 1))
        for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        return Unicode.Scalar(value).map { ($0, length) }
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or `nil`.
    private func utf8Length(at i: Int) -> Int? {
        let b0 = bytes[i]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return nil
        }
        guard i + length <= bytes.count else { return nil }
        let b1 = bytes[i + 1]
        guard b1 >= lower && b1 <= upper else { return nil }
        for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return nil }
        return length
    }

    // MARK: Character classes

    /// Whether a name, a title or a comment may not hold the character: a control character
    /// (C0, DEL, C1) or a bidirectional control, which would let text read differently from
    /// how it runs. The state loader refuses names with them too.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Whether a character shows as blank or as nothing although it is no space or tab: a
    /// space separator other than the space (U+00A0 NO-BREAK SPACE, U+3000 IDEOGRAPHIC
    /// SPACE), a line or paragraph separator, a format character (U+200B ZERO WIDTH SPACE,
    /// U+FEFF), or any other character Unicode says to show as nothing (default ignorable:
    /// a Hangul filler, a variation selector, the combining grapheme joiner). Pasted from a
    /// web page or a word processor, it looks like what it is not, so a diagnostic names it
    /// and never prints it.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value >= 0x80 else { return false }
        switch scalar.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator, .format: return true
        default: return scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    /// Whether a character beyond ASCII may start a bare name: a letter of any script
    /// (Unicode's XID_Start) that shows as something (a Hangul filler, which is a letter,
    /// shows as nothing).
    static func startsName(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isXIDStart && !isInvisible(scalar)
    }

    /// Whether a character beyond ASCII may continue a bare name: a letter, digit or mark
    /// (Unicode's XID_Continue) that shows as something, so not a zero-width joiner.
    static func continuesName(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isXIDContinue && !isInvisible(scalar)
    }

    /// `bare_name`'s first ASCII character: a letter or `_`.
    @inline(__always)
    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F
    }

    /// `isNameChar` for every byte value: the inner loop looks bytes up here.
    /// Written once, read only afterwards, never freed.
    nonisolated(unsafe) static let nameChars: UnsafePointer<Bool> = {
        let table = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
        for b in 0..<256 { table[b] = isNameChar(UInt8(b)) }
        return UnsafePointer(table)
    }()

    /// `name_char` as two 64-bit masks over ASCII: digits `.` `+` `-`, and `@` letters `_`.
    @inline(__always)
    static func isNameChar(_ b: UInt8) -> Bool {
        let low: UInt64 = 0x03FF_6800_0000_0000  // 0-9 . + -
        let high: UInt64 = 0x07FF_FFFE_87FF_FFFF  // @ A-Z _ a-z
        return b < 128 && ((b < 64 ? low : high) >> UInt64(b & 63)) & 1 == 1
    }

    /// Whether `name` can be written without quotes: it matches `bare_name` and is not a keyword.
    static func isBare(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = name.first else { return false }
        let table = nameChars
        if isNameStart(first) && name.allSatisfy({ table[Int($0)] }) { return TokenKind.keyword(name) == nil }
        // Beyond ASCII: letters and digits of any script.
        var scalars = String(decoding: name, as: UTF8.self).unicodeScalars.makeIterator()
        guard let start = scalars.next(), start.isASCII ? isNameStart(UInt8(start.value)) : startsName(start) else {
            return false
        }
        while let next = scalars.next() {
            guard next.isASCII ? table[Int(next.value)] : continuesName(next) else { return false }
        }
        return true
    }
}
