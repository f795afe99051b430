import ConnectionCore
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// A state file that could not be read, parsed or written.
public struct StateFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The file exists but cannot be read.
        case unreadable
        /// Not valid JSON, not the state format, or a state that breaks an invariant.
        case invalid
        /// Writing the new state failed; the old file is untouched.
        case unwritable
    }

    public var kind: Kind
    public var path: String
    public var reason: String

    public var description: String {
        switch kind {
        case .unreadable: "\(path): cannot read state file: \(reason)"
        case .invalid: "\(path): invalid state file: \(reason)"
        case .unwritable: "\(path): cannot write state file: \(reason); the old file is unchanged"
        }
    }
}

/// Reads and writes state files (SPEC §3): versioned JSON, written atomically.
public enum StateStore {
    /// Loads the state at `path`; a file that does not exist yet is an empty instance.
    public static func load(_ path: String) throws(StateFileError) -> Instance {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return Instance()
        } catch {
            if access(path, F_OK) != 0 && errno == ENOENT { return Instance() }
            throw StateFileError(kind: .unreadable, path: path, reason: readReason(path))
        }
        return try decode(data, path: path)
    }

    /// Parses the bytes of a state file.
    public static func decode(_ data: Data, path: String) throws(StateFileError) -> Instance {
        do {
            return try JSONDecoder().decode(Instance.self, from: data)
        } catch let error as DecodingError {
            throw StateFileError(kind: .invalid, path: path, reason: describe(error))
        } catch {
            throw StateFileError(kind: .invalid, path: path, reason: "\(error)")
        }
    }

    /// The JSON text of a state: stable key order, one field per line, final newline.
    /// `pretty: false` gives one line without the final newline.
    public static func encode(_ instance: Instance, pretty: Bool = true) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        var data = (try? encoder.encode(instance)) ?? Data()
        if pretty { data.append(0x0A) }
        return data
    }

    /// An exclusive hold on a state file, from loading it to committing it, so that two
    /// runs committing to the same file take turns instead of losing one's changes.
    /// Released when the value goes away.
    public final class Lock {
        private let fd: Int32
        fileprivate init(fd: Int32) { self.fd = fd }
        deinit {
            flock(fd, LOCK_UN)
            close(fd)
        }
    }

    /// Takes the lock of the state file at `path` (a `.NAME.lock` file beside it), waiting
    /// for another run that holds it; `waiting` is called once if it must wait.
    public static func lock(_ path: String, waiting: () -> Void) throws(StateFileError) -> Lock {
        let target = resolved(path)
        let lockPath = Path.join(Path.folder(of: target), "." + Path.name(of: target) + ".lock")
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StateFileError(
                kind: .unwritable, path: path,
                reason: "cannot create the lock file \(lockPath): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        }
        if let pause = ProcessInfo.processInfo.environment["RUNBOOK_TEST_PAUSE_AFTER_LOCK"], let ms = UInt32(pause) {
            usleep(ms * 1000)  // a test seam: hold the lock long enough for a rival to arrive
        }
        return Lock(fd: fd)
    }

    /// The steps of a commit, in order; a test seam can stop the process at each.
    public enum CommitStep: String, Sendable, CaseIterable {
        case created, written, synced, renamed
    }

    /// Writes `instance` to `path` atomically: a temporary file in the same folder,
    /// fsync, rename over the old file, fsync the folder. A failure at any point leaves
    /// the old file as it was. An existing file keeps its mode; a new one is 0600.
    /// A symbolic link is followed, and the file it points to is replaced.
    ///
    /// Test seams, read from the environment: `RUNBOOK_TEST_CRASH_AT=STEP` exits the process
    /// abruptly after that step, and `RUNBOOK_TEST_FAIL=write` makes the write fail as on a
    /// full disk; the tests use them to prove a crash or a failure never leaves a
    /// half-written file.
    public static func save(_ instance: Instance, to path: String) throws(StateFileError) {
        let target = resolved(path)
        let folder = Path.folder(of: target)
        let base = Path.name(of: target)
        let temporary = "\(folder)/.\(base).\(getpid()).tmp"
        func fail(_ what: String) -> StateFileError {
            let reason = "\(what): \(String(cString: strerror(errno)))"
            unlink(temporary)
            return StateFileError(kind: .unwritable, path: path, reason: reason)
        }
        var mode: mode_t = 0o600
        var info = stat()
        if stat(target, &info) == 0 { mode = info.st_mode & 0o7777 }

        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw fail("cannot create a temporary file in \(folder)") }
        fchmod(fd, mode)
        crashPoint(.created)
        let data = encode(instance)
        let written =
            !injectedFailure("write")
            && data.withUnsafeBytes { buffer -> Bool in
                var offset = 0
                while offset < buffer.count {
                    let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { return false }
                    offset += n
                }
                return true
            }
        guard written else {
            let error = fail("cannot write the new state")
            close(fd)
            throw error
        }
        crashPoint(.written)
        guard fsync(fd) == 0 else {
            let error = fail("cannot flush the new state to disk")
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw fail("cannot close the new state") }
        crashPoint(.synced)
        guard rename(temporary, target) == 0 else { throw fail("cannot replace the state file") }
        crashPoint(.renamed)
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    // MARK: Helpers

    /// With `RUNBOOK_TEST_FAIL=write`, the write fails as on a full disk (ENOSPC).
    private static func injectedFailure(_ what: String) -> Bool {
        guard ProcessInfo.processInfo.environment["RUNBOOK_TEST_FAIL"] == what else { return false }
        errno = ENOSPC
        return true
    }

    private static func crashPoint(_ step: CommitStep) {
        if let at = ProcessInfo.processInfo.environment["RUNBOOK_TEST_CRASH_AT"], at == step.rawValue {
            _exit(86)
        }
    }

    /// The path a symbolic link points to (repeatedly), or `path` itself.
    private static func resolved(_ path: String) -> String {
        var current = path
        for _ in 0..<32 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                return current
            }
            current = Path.join(Path.folder(of: current), destination)
        }
        return current
    }

    private static func readReason(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        if fd >= 0 {
            close(fd)
            return "is not a regular file"
        }
        return String(cString: strerror(errno))
    }

    private static func describe(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : " at '" + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "'"
        }
        switch error {
        case .dataCorrupted(let c):
            if c.codingPath.isEmpty && c.debugDescription.contains("JSON") { return "not valid JSON" }
            return c.debugDescription + at(c.codingPath)
        case .keyNotFound(let key, let c):
            return "missing field '\(key.stringValue)'\(at(c.codingPath))"
        case .typeMismatch(let type, let c):
            return "wrong type\(at(c.codingPath)): expected \(typeName(type))"
        case .valueNotFound(let type, let c):
            return "missing value\(at(c.codingPath)): expected \(typeName(type))"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a number"
        case is Role.Type: "\"admin\" or \"user\""
        default: type is any Collection.Type ? "a list" : "an object"
        }
    }
}
