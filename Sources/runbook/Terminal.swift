import RunbookLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// A buffered writer to a file descriptor: one `write` per 64 KiB, not per line.
/// Used from the main thread only: the program does no concurrent output.
final class Output: @unchecked Sendable {
    static let standard = Output(fd: 1)
    static let error = Output(fd: 2)

    private let fd: Int32
    private var buffer = ByteBuffer(capacity: 1 << 17)

    init(fd: Int32) {
        self.fd = fd
    }

    /// Whether the descriptor is a terminal.
    var isTerminal: Bool { isatty(fd) == 1 }

    /// Whether to colour: only on a terminal, and never with a non-empty `NO_COLOR`.
    var wantsColor: Bool {
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return isTerminal
    }

    func write(_ text: String) {
        buffer.append(text)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes what `body` appends to the buffer, with no string in between.
    func write(_ body: (inout ByteBuffer) -> Void) {
        body(&buffer)
        if buffer.count >= 1 << 16 { flush() }
    }

    func line(_ text: String) {
        write(text)
        buffer.append(0x0A)
    }

    func flush() {
        buffer.withBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
        }
        buffer.removeAll()
    }
}

/// Flushes both outputs; call before exiting.
func flushOutputs() {
    Output.standard.flush()
    Output.error.flush()
}
