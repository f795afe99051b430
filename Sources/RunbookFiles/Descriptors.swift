import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// What reading input came to.
package enum ReadResult: Equatable {
    /// This many bytes were read.
    case bytes(Int)
    /// Nothing arrived in the time allowed.
    case nothingYet
    /// The input is closed.
    case ended
}

/// Where a client reads bytes as they arrive: standard input, or bytes a test holds.
package protocol ByteInput {
    /// Reads what has arrived into `buffer`, waiting up to `milliseconds` for something
    /// (-1: as long as it takes).
    mutating func read(into buffer: UnsafeMutableRawBufferPointer, waiting milliseconds: Int32) -> ReadResult
}

/// Where a client writes bytes.
package protocol ByteOutput {
    /// Writes all of `data`; `false` when the reader is gone.
    mutating func write(_ data: Data) -> Bool
}

/// A file descriptor as input.
package struct FileInput: ByteInput {
    package let fd: Int32

    package init(fd: Int32) { self.fd = fd }

    package mutating func read(into buffer: UnsafeMutableRawBufferPointer, waiting milliseconds: Int32) -> ReadResult {
        var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let polled = uninterrupted { poll(&ready, 1, milliseconds) }
        if polled < 0 { return .ended }
        if polled == 0 { return .nothingYet }
        let n = Descriptor(fd).read(into: buffer)
        if n < 0 && errno == EAGAIN { return .nothingYet }
        return n > 0 ? .bytes(n) : .ended
    }
}

/// A file descriptor as output.
package struct FileOutput: ByteOutput {
    package let fd: Int32

    package init(fd: Int32) { self.fd = fd }

    package mutating func write(_ data: Data) -> Bool {
        data.withUnsafeBytes { Descriptor(fd).write($0) == nil }
    }
}
