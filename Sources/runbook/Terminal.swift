#if canImport(Glibc)
    import Glibc
#endif

/// A buffered writer to a file descriptor: one `write` per 64 KiB, not per line.
/// Used from the main thread only: the program does no concurrent output.
final class Output: @unchecked Sendable {
    static let standard = Output(fd: 1)
    static let error = Output(fd: 2)

    private let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    /// Whether the descriptor is a terminal.
    var isTerminal: Bool { isatty(fd) == 1 }

    /// Whether to colour: only on a terminal, and never with a non-empty `NO_COLOR`.
    var wantsColor: Bool {
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return isTerminal
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes bytes as they are, such as a statement's source text.
    func write(_ bytes: ArraySlice<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes a number in decimal (a string this short needs no allocation).
    func write(number: Int) {
        buffer.append(contentsOf: String(number).utf8)
    }

    func line(_ text: String) {
        write(text)
        buffer.append(0x0A)
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Flushes both outputs; call before exiting.
func flushOutputs() {
    Output.standard.flush()
    Output.error.flush()
}
