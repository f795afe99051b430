import FoundationEssentials
import RunbookLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a file's contents so that a crash, a full disk or a refused write never
/// leaves it half-written: a temporary file with a name of its own in the same folder,
/// fsync, rename over the old file, fsync of the folder.
///
/// Only a regular file is replaced: a device, a FIFO or a folder at the path is refused.
/// An existing file keeps its mode, and its owner and group where the process may set
/// them; a new one gets `newFileMode`. A symbolic link is followed and the file it points
/// to replaced, unless `followsLinks` is off, when it is refused.
package enum AtomicFile {
    /// Why the file could not be written; the old file, if there is one, is as it was.
    package struct Failure: Error, Sendable {
        package var reason: String
        /// Whether there was a file at the path (it is unchanged).
        package var existed = true
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
    /// new state"). With `keepsMode` off, an existing file gets `newFileMode` too.
    package static func write(
        _ bytes: [UInt8], to path: String, what: String, newFileMode: mode_t = 0o600, followsLinks: Bool = true,
        keepsMode: Bool = true, faults: Faults = Faults()
    ) throws(Failure) {
        let target = followsLinks ? Path.resolvingLinks(path) : path
        let folder = Path.folder(of: target)
        var old = stat()
        let existed = lstat(target, &old) == 0
        func refuse(_ reason: Words.FileReason) -> Failure { Failure(reason: reason.text, existed: existed) }
        if existed && old.st_mode & S_IFMT == S_IFLNK { throw refuse(.symbolicLink) }
        // A folder is no old file to keep: nothing of the kind is said.
        if existed && old.st_mode & S_IFMT == S_IFDIR { throw Failure(reason: Words.FileReason.isDirectory.text, existed: false) }
        if existed && old.st_mode & S_IFMT != S_IFREG { throw refuse(.notRegularFile) }

        guard let (fd, temporary) = createTemporary(beside: target) else {
            throw refuse(.cannotCreateTemporary(folder: folder, system: systemReason()))
        }
        func fail(_ reason: Words.FileReason) -> Failure {
            let failure = refuse(reason)
            unlink(temporary)
            return failure
        }
        if existed {
            // Owner first: changing it clears the set-user-id and set-group-id bits. Where
            // the owner cannot be set (not root), the group may still be one of ours.
            if old.st_uid != geteuid() || old.st_gid != getegid() {
                if fchown(fd, old.st_uid, old.st_gid) != 0 { fchown(fd, uid_t.max, old.st_gid) }
            }
        }
        fchmod(fd, existed && keepsMode ? old.st_mode & 0o7777 : newFileMode)
        func crashed(after step: Step) -> Bool { faults.crashAfter == step }
        if crashed(after: .created) {
            close(fd)
            throw Failure(reason: "crashed after \(Step.created)")
        }
        if faults.failWrite { errno = ENOSPC }
        let written =
            !faults.failWrite
            && bytes.withUnsafeBytes { Descriptor(fd).write($0) == nil }
        guard written else {
            let failure = fail(.cannotWriteNew(what, system: systemReason()))
            close(fd)
            throw failure
        }
        if crashed(after: .written) {
            close(fd)
            throw Failure(reason: "crashed after \(Step.written)")
        }
        guard fsync(fd) == 0 else {
            let failure = fail(.cannotFlushNew(what, system: systemReason()))
            close(fd)
            throw failure
        }
        guard close(fd) == 0 else { throw fail(.cannotCloseNew(what, system: systemReason())) }
        if crashed(after: .synced) { throw Failure(reason: "crashed after \(Step.synced)") }
        guard rename(temporary, target) == 0 else { throw fail(.cannotReplace(what, system: systemReason())) }
        if crashed(after: .renamed) { throw Failure(reason: "crashed after \(Step.renamed)") }
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    /// A new, empty temporary file beside `target` (`.NAME.XXXXXX.tmp`, opened with
    /// `O_EXCL` under a random name, as `mkstemp` does), mode 0600; `nil` with `errno` set
    /// when none can be made.
    private static func createTemporary(beside target: String) -> (fd: Int32, path: String)? {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let stem = Path.join(Path.folder(of: target), "." + Path.name(of: target) + ".")
        for _ in 0..<100 {
            let path = stem + String((0..<6).map { _ in letters.randomElement()! }) + ".tmp"
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 { return (fd, path) }
            if errno != EEXIST { return nil }
        }
        return nil
    }

    /// Removes the temporary files that writes to `path` left behind when they were killed
    /// (`.NAME.XXXXXX.tmp`, and `.NAME.PID.tmp` from earlier versions). Only safe while
    /// no other write to `path` is under way: under its lock.
    package static func removeStaleTemporaries(of path: String) {
        let target = Path.resolvingLinks(path)
        let folder = Path.folder(of: target)
        let prefix = "." + Path.name(of: target) + "."
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(".tmp") {
            let unique = entry.utf8.dropFirst(prefix.utf8.count).dropLast(4)
            // Letters and digits only: `.s.json.1.ABCDEF.tmp` belongs to `s.json.1`.
            guard !unique.isEmpty, unique.allSatisfy({ $0 < 128 && isalnum(Int32($0)) != 0 }) else { continue }
            let temporary = Path.join(folder, entry)
            var info = stat()
            if lstat(temporary, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { unlink(temporary) }
        }
    }

    private static func systemReason() -> String { String(cString: strerror(errno)) }
}
