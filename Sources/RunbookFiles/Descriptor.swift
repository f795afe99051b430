#if canImport(Glibc)
    import Glibc
#endif

/// Reads and writes on a file descriptor, each call made again when a signal interrupts it:
/// the one place that knows about `EINTR`.
package struct Descriptor {
    package let fd: Int32

    package init(_ fd: Int32) { self.fd = fd }

    /// Reads what has arrived, up to `buffer.count` bytes: how many were read (0 at the
    /// end), or -1 with `errno` set.
    package func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        uninterrupted { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Reads until `buffer` is full or the input ends: how many bytes were read, or the
    /// `errno` of a read that failed.
    package func readFully(into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, SystemError> {
        var count = 0
        while count < buffer.count {
            let n = read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
            if n < 0 { return .failure(SystemError(errno: errno)) }
            if n == 0 { break }
            count += n
        }
        return .success(count)
    }

    /// Writes all of `bytes`: `nil` when they were, or the `errno` of the write that failed
    /// (`EIO` for one that wrote nothing).
    package func write(_ bytes: UnsafeRawBufferPointer) -> SystemError? {
        var offset = 0
        while offset < bytes.count {
            let n = uninterrupted { Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset) }
            if n <= 0 { return SystemError(errno: n < 0 ? errno : EIO) }
            offset += n
        }
        return nil
    }
}

/// A system call that failed, by its `errno`.
package struct SystemError: Error, Equatable {
    package let errno: Int32

    /// The C library's sentence for it.
    package var reason: String { String(cString: strerror(errno)) }
}

/// What `call` returns, calling it again for as long as a signal interrupts it (a result
/// below zero with `errno` at `EINTR`).
package func uninterrupted<Status: BinaryInteger>(_ call: () -> Status) -> Status {
    while true {
        let status = call()
        if status < 0 && errno == EINTR { continue }
        return status
    }
}
