import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a file's contents so that a crash, a full disk or a refused write never
/// leaves it half-written: a temporary file in the same folder, fsync, rename over the
/// old file, fsync of the folder. An existing file keeps its mode; a new one gets
/// `newFileMode`. A symbolic link is followed and the file it points to replaced.
package enum AtomicFile {
    /// Why the file could not be written; the old file is as it was.
    package struct Failure: Error, Sendable {
        package var reason: String
    }

    /// The steps of a write, in order.
    package enum Step: String, Sendable, CaseIterable {
        case created, written, synced, renamed
    }

    /// Faults a test injects into a write, to prove that a crash or a failure never leaves
    /// a half-written file. None by default.
    package struct Faults: Sendable {
        /// The write stops dead after this step, as if the process had been killed there:
        /// nothing is cleaned up.
        package var crashAfter: Step?
        /// Writing the contents fails as on a full disk.
        package var failWrite = false

        package init(crashAfter: Step? = nil, failWrite: Bool = false) {
            self.crashAfter = crashAfter
            self.failWrite = failWrite
        }
    }

    /// Writes `bytes` to `path`. `what` names the contents in reasons ("cannot write the
    /// new state").
    package static func write(
        _ bytes: [UInt8], to path: String, what: String, newFileMode: mode_t = 0o600, faults: Faults = Faults()
    ) throws(Failure) {
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
        func crashed(after step: Step) -> Bool { faults.crashAfter == step }
        if crashed(after: .created) {
            close(fd)
            throw Failure(reason: "crashed after \(Step.created)")
        }
        if faults.failWrite { errno = ENOSPC }
        let written =
            !faults.failWrite
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
        if crashed(after: .written) {
            close(fd)
            throw Failure(reason: "crashed after \(Step.written)")
        }
        guard fsync(fd) == 0 else {
            let failure = fail("cannot flush the new \(what) to disk")
            close(fd)
            throw failure
        }
        guard close(fd) == 0 else { throw fail("cannot close the new \(what)") }
        if crashed(after: .synced) { throw Failure(reason: "crashed after \(Step.synced)") }
        guard rename(temporary, target) == 0 else { throw fail("cannot replace the \(what) file") }
        if crashed(after: .renamed) { throw Failure(reason: "crashed after \(Step.renamed)") }
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }
}
