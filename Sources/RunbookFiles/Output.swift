import RunbookLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// A buffered writer to a file descriptor: one `write` per 64 KiB, not per line. Every
/// byte the program prints goes through one of the two, and each write is checked: the
/// first that fails is kept (`failure`), and nothing more is written to that descriptor,
/// so that output cut short is never followed by a later part of it.
/// Used from the main thread only: the program does no concurrent output.
package final class Output: @unchecked Sendable {
    package static let standard = Output(fd: 1)
    package static let error = Output(fd: 2)

    private let fd: Int32
    private var buffer = ByteBuffer(capacity: 1 << 17)
    /// The `errno` of the first write that failed; `nil` while every write succeeded.
    package private(set) var failure: Int32?
    /// Whether the descriptor was closed when the program started: it is open on
    /// /dev/null (see `StandardStreams`), and writing to it fails as writing to a closed
    /// descriptor would.
    private let wasClosed: Bool

    package init(fd: Int32) {
        self.fd = fd
        wasClosed = StandardStreams.wasClosed(fd)
    }

    /// Whether the descriptor is a terminal.
    package var isTerminal: Bool { isatty(fd) == 1 }

    /// Whether to colour: only on a terminal, and never with a non-empty `NO_COLOR`.
    /// Colour goes to a terminal that shows it: not with `NO_COLOR` set, nor on a
    /// terminal that says it is `dumb`.
    package var wantsColor: Bool {
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return isTerminal
    }

    package func write(_ text: String) {
        buffer.append(text)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes what `body` appends to the buffer, with no string in between.
    package func write(_ body: (inout ByteBuffer) -> Void) {
        body(&buffer)
        if buffer.count >= 1 << 16 { flush() }
    }

    package func line(_ text: String) {
        write(text)
        buffer.append(0x0A)
    }

    /// Writes out what is buffered; a write that fails is kept in `failure`, and what is
    /// left is dropped.
    package func flush() {
        defer { buffer.removeAll() }
        guard failure == nil else { return }
        if wasClosed && buffer.count > 0 {
            failure = EBADF
            return
        }
        failure = buffer.withBytes { Descriptor(fd).write(UnsafeRawBufferPointer($0)) }?.errno
    }

    /// Flushes both outputs; the first failure, standard output's before standard error's.
    package static func flushBoth() -> Failure? {
        standard.flush()
        error.flush()
        if let failure = standard.failure { return .cannotWriteOutput(.standardOutput, errno: failure) }
        if let failure = error.failure { return .cannotWriteOutput(.standardError, errno: failure) }
        return nil
    }

    /// The status the program exits with: `status`, unless its output could not all be
    /// written, which is said on standard error (when it can be) and ends with
    /// `ExitStatus.ioError`.
    package static func exitStatus(_ status: Int32) -> Int32 {
        guard let failure = flushBoth() else { return status }
        _ = failure.report()
        error.flush()
        return failure.status
    }
}

/// Flushes both outputs; call before exiting.
package func flushOutputs() {
    _ = Output.flushBoth()
}

extension DiagnosticRenderer {
    /// A renderer for an output: coloured with ANSI escapes when `color` (the output's
    /// `wantsColor`), bold, and each severity in a colour of its own.
    package init(color: Bool) {
        self.init(style: color ? Self.ansi : nil)
    }

    private static func ansi(_ text: String, _ part: Part) -> String {
        let codes =
            switch part {
            case .location: "1"
            case .severity(.error), .severity(.failed): "1;31"
            case .severity(.violation): "1;35"
            case .severity(.warning): "1;33"
            case .severity(.note): "1;36"
            case .caret: "1;32"
            case .hintLabel: "1;36"
            }
        return "\u{1B}[" + codes + "m" + text + "\u{1B}[0m"
    }
}
