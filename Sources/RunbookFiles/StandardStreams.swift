#if canImport(Glibc)
    import Glibc
#endif

/// Standard input, output and error as the program found them.
///
/// A program started with one of them closed (`<&-`, `>&-`) would otherwise hand that
/// descriptor number to the next file it opens: a state file's lock file read as the
/// runbook on standard input, or a report written into it. So, as daemons and shells do,
/// the first thing the program does is open `/dev/null` on each that is closed, and
/// remember which they were: reading a closed standard input is an error, and writing to a
/// closed standard output or error fails as it would have.
public enum StandardStreams {
    /// The descriptors 0, 1 and 2 that were closed at start, as bits. Written once, before
    /// anything else runs, and only read afterwards.
    nonisolated(unsafe) private static var closed: UInt8 = 0

    /// Opens `/dev/null` on each of descriptors 0, 1 and 2 that is closed. Call it first,
    /// before anything opens a file.
    public static func openClosed() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            // `open` returns the lowest free descriptor: this one.
            let opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != fd { close(opened) }
            closed |= 1 << UInt8(fd)
        }
    }

    /// Whether descriptor `fd` (0, 1 or 2) was closed when the program started.
    public static func wasClosed(_ fd: Int32) -> Bool {
        fd >= 0 && fd <= 2 && closed & (1 << UInt8(fd)) != 0
    }
}
