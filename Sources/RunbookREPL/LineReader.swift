import RunbookFiles
import RunbookLanguage
import RunbookReport

/// The lines of standard input that is not a terminal, as the REPL reads a pipe: no
/// prompt, no editing, the bytes as they are. A line longer than the cap on inputs that
/// are not regular files ends the input with an error instead of growing without end.
struct LineReader {
    enum Read {
        /// A line without its line end (LF or CR LF).
        case line([UInt8])
        case endOfInput
        /// A line longer than `maximumLine` bytes.
        case tooLong
    }

    static let maximumLine = SourceFile.streamLimit

    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next line end resumes.
    private var scanned = 0
    private var atEnd = false

    mutating func next() -> Read {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                scanned = start
                return .line(line)
            }
            scanned = buffer.count
            if atEnd {
                guard start < buffer.count else { return .endOfInput }
                defer { start = buffer.count }
                return .line(Array(buffer[start...]))
            }
            if buffer.count - start > Self.maximumLine { return .tooLong }
            // What the lines so far have used is dropped before more is read.
            if start > 0 {
                buffer.removeFirst(start)
                scanned -= start
                start = 0
            }
            fill()
        }
    }

    private mutating func fill() {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let count = chunk.withUnsafeMutableBytes { Descriptor(0).read(into: $0) }
        if count <= 0 {
            atEnd = true
        } else {
            buffer += chunk[..<count]
        }
    }
}
