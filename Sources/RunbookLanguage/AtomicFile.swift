import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a file's contents so that a crash, a full disk or a refused write never
/// leaves it half-written: a temporary file in the same folder, fsync, rename over the
/// old file, fsync of the folder. An existing file keeps its mode; a new one gets
/// `newFileMode`. A symbolic link is followed and the file it points to replaced.
public enum AtomicFile {
    /// Why the file could not be written; the old file is as it was.
    public struct Failure: Error, Sendable {
        public var reason: String
    }

    /// The steps of a write, in order; a test seam can stop the process after each.
    public enum Step: String, Sendable, CaseIterable {
        case created, written, synced, renamed
    }

    /// Writes `bytes` to `path`. `what` names the contents in reasons ("cannot write the
    /// new state").
    ///
    /// Test seams, read from the environment: `RUNBOOK_TEST_CRASH_AT=STEP` exits the process
    /// abruptly after that step, and `RUNBOOK_TEST_FAIL=write` makes the write fail as on a
    /// full disk; the tests use them to prove a crash or a failure never leaves a
    /// half-written file.
    public static func write(_ bytes: [UInt8], to path: String, what: String, newFileMode: mode_t = 0o600)
        throws(Failure)
    {
        let target = Path.resolvingLinks(path)
        let folder = Path.folder(of: target)
        let temporary = Path.join(folder, ".\(Path.name(of: target)).\(getpid()).tmp")
        func fail(_ reason: String) -> Failure {
            let failure = Failure(reason: "\(reason): \(String(cString: strerror(errno)))")
            unlink(temporary)
            return failure
        }
        var mode = newFileMode
        var info = stat()
        if stat(target, &info) == 0 { mode = info.st_mode & 0o7777 }

        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw fail("cannot create a temporary file in \(folder)") }
        fchmod(fd, mode)
        crashPoint(.created)
        let written =
            !injectedFailure("write")
            && bytes.withUnsafeBytes { buffer -> Bool in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { return false }
                    offset += n
                }
                return true
            }
        guard written else {
            let failure = fail("cannot write the new \(what)")
            close(fd)
            throw failure
        }
        crashPoint(.written)
        guard fsync(fd) == 0 else {
            let failure = fail("cannot flush the new \(what) to disk")
            close(fd)
            throw failure
        }
        guard close(fd) == 0 else { throw fail("cannot close the new \(what)") }
        crashPoint(.synced)
        guard rename(temporary, target) == 0 else { throw fail("cannot replace the \(what) file") }
        crashPoint(.renamed)
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    private static func injectedFailure(_ what: String) -> Bool {
        guard ProcessInfo.processInfo.environment["RUNBOOK_TEST_FAIL"] == what else { return false }
        errno = ENOSPC
        return true
    }

    private static func crashPoint(_ step: Step) {
        if ProcessInfo.processInfo.environment["RUNBOOK_TEST_CRASH_AT"] == step.rawValue { _exit(86) }
    }
}
