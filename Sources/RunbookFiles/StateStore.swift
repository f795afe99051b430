import ConnectionCore
import FoundationEssentials
import RunbookLanguage

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
    /// For `unwritable`: whether there is an old file, which is unchanged.
    public var oldFileExists: Bool

    public init(kind: Kind, path: String, reason: String, oldFileExists: Bool = true) {
        self.kind = kind
        self.path = path
        self.reason = reason
        self.oldFileExists = oldFileExists
    }

    public var description: String {
        switch kind {
        case .unreadable: Words.stateFile(path, .unreadable, reason)
        case .invalid: Words.stateFile(path, .invalid, reason)
        case .unwritable: Words.stateFile(path, .unwritable(oldFileKept: oldFileExists), reason)
        }
    }
}

/// Reads and writes state files (SPEC §3): versioned JSON, written atomically.
public enum StateStore {
    /// Loads the state at `path`; a file that does not exist yet is an empty instance.
    /// Only a regular file is read (a FIFO or a device is refused, not waited on or read
    /// without end).
    public static func load(_ path: String) throws(StateFileError) -> Instance {
        try loadWithDigest(path).instance
    }

    /// `load(_:)`, with the SHA-256 digest of the bytes it read: `nil` when the file does
    /// not exist yet.
    package static func loadWithDigest(_ path: String) throws(StateFileError) -> (instance: Instance, digest: String?) {
        guard let data = try contents(of: path) else { return (Instance(), nil) }
        return (try decode(data, path: path), Digest.sha256(data))
    }

    /// The SHA-256 digest of the file `save(_:to:)` writes for `instance`.
    package static func digest(of instance: Instance) -> String {
        Digest.sha256(encode(instance))
    }

    /// The bytes of the state file at `path`; `nil` when there is no file there yet.
    private static func contents(of path: String) throws(StateFileError) -> Data? {
        func unreadable(_ reason: String) -> StateFileError { StateFileError(kind: .unreadable, path: path, reason: reason) }
        if let problem = folderName(path) { throw unreadable(problem.text) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 && errno == ENOENT { return nil }
        guard fd >= 0 else { throw unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw unreadable(String(cString: strerror(errno))) }
        if info.st_mode & S_IFMT == S_IFDIR { throw unreadable(Words.FileReason.isDirectory.text) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw unreadable(Words.FileReason.notRegularFile.text) }
        var data = Data(count: Int(info.st_size))
        switch data.withUnsafeMutableBytes({ Descriptor(fd).readFully(into: $0) }) {
        case .success(let count): return data.prefix(count)
        case .failure(let failure): throw unreadable(failure.reason)
        }
    }

    /// Why `path` cannot name a state file: its last part is empty (`emptyd/`), `.` or `..`.
    private static func folderName(_ path: String) -> Words.FileReason? {
        ["", ".", ".."].contains(Path.name(of: path)) ? .namesDirectory : nil
    }

    /// Parses the bytes of a state file.
    public static func decode(_ data: Data, path: String) throws(StateFileError) -> Instance {
        func invalid(_ reason: Words.StateReason) -> StateFileError {
            StateFileError(kind: .invalid, path: path, reason: reason.text)
        }
        let file: StateFile
        do {
            file = try JSONDecoder().decode(StateFile.self, from: data)
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            throw invalid(.topLevel(found: kind(of: data)))
        } catch let reason as Words.StateReason {
            throw invalid(reason)
        } catch let error as DecodingError {
            throw invalid(data.allSatisfy(isSpace) ? .empty : reason(for: error))
        } catch {
            throw StateFileError(kind: .invalid, path: path, reason: "\(error)")
        }
        if let duplicate = JSONKeys.firstDuplicate(in: data) { throw invalid(.duplicateKey(duplicate.key, at: duplicate.path)) }
        do throws(Words.StateReason) { return try file.instance() } catch { throw invalid(error) }
    }

    /// The JSON text of a state: stable key order, one field per line, final newline.
    /// `pretty: false` gives one line without the final newline.
    public static func encode(_ instance: Instance, pretty: Bool = true) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        var data = (try? encoder.encode(StateFile(instance))) ?? Data()
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
    /// for another run that holds it; `waiting` is called once if it must wait. A new lock
    /// file gets the state file's owner and group, so that whoever may commit to the state
    /// file may lock it. Holding the lock, it removes the temporary files that earlier
    /// writes to the state file left behind when they were killed.
    public static func lock(_ path: String, waiting: () -> Void) throws(StateFileError) -> Lock {
        if let problem = folderName(path) { throw StateFileError(kind: .unreadable, path: path, reason: problem.text) }
        let target = Path.resolvingLinks(path)
        if Path.isFolder(target) {
            throw StateFileError(kind: .unreadable, path: path, reason: Words.FileReason.isDirectory.text)
        }
        let lockPath = Path.join(Path.folder(of: target), "." + Path.name(of: target) + ".lock")
        var fd = open(lockPath, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 && errno == ENOENT {
            fd = open(lockPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            var state = stat()
            if fd >= 0 && stat(target, &state) == 0 && (state.st_uid != geteuid() || state.st_gid != getegid()) {
                if fchown(fd, state.st_uid, state.st_gid) != 0 { fchown(fd, uid_t.max, state.st_gid) }
            }
            // Another run created it first.
            if fd < 0 && errno == EEXIST { fd = open(lockPath, O_RDWR | O_CLOEXEC | O_NOFOLLOW) }
        }
        guard fd >= 0 else {
            throw StateFileError(
                kind: .unwritable, path: path,
                reason: Words.FileReason.cannotCreateLock(lockPath, system: String(cString: strerror(errno))).text,
                oldFileExists: access(path, F_OK) == 0)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            _ = uninterrupted { flock(fd, LOCK_EX) }
        }
        AtomicFile.removeStaleTemporaries(of: path)
        return Lock(fd: fd)
    }

    /// Writes `instance` to `path` atomically (see `AtomicFile`): a failure at any point
    /// leaves the old file as it was. A new file is created 0600.
    public static func save(_ instance: Instance, to path: String) throws(StateFileError) {
        try save(instance, to: path, faults: AtomicFile.Faults())
    }

    /// `save(_:to:)` with faults injected: the seam the tests set.
    static func save(_ instance: Instance, to path: String, faults: AtomicFile.Faults) throws(StateFileError) {
        if let problem = folderName(path) {
            throw StateFileError(kind: .unwritable, path: path, reason: problem.text, oldFileExists: false)
        }
        do throws(AtomicFile.Failure) {
            try AtomicFile.write(Array(encode(instance)), to: path, what: "state", faults: faults)
        } catch {
            throw StateFileError(kind: .unwritable, path: path, reason: error.reason, oldFileExists: error.existed)
        }
    }

    // MARK: Helpers

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// The kind of the JSON value `data` holds, by its first character.
    private static func kind(of data: Data) -> Words.JSONKind? {
        switch data.first(where: { !isSpace($0) }) {
        case UInt8(ascii: "{"): .object
        case UInt8(ascii: "["): .list
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): .boolean
        case UInt8(ascii: "n"): .null
        case .some(let c) where c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")): .number
        default: nil
        }
    }

    /// A JSON decoding error in a few words: what is wrong, and where.
    package static func describe(_ error: DecodingError) -> String { reason(for: error).text }

    private static func reason(for error: DecodingError) -> Words.StateReason {
        /// ` at 'members[0].role'`.
        func at(_ path: [any CodingKey]) -> String {
            guard !path.isEmpty else { return "" }
            let keys = path.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return " at '" + keys.dropFirst(keys.hasPrefix(".") ? 1 : 0) + "'"
        }
        switch error {
        case .keyNotFound(let key, let c): return .missingField(key.stringValue, at: at(c.codingPath))
        case .typeMismatch(let type, let c): return .wrongType(at: at(c.codingPath), expected: kind(of: type))
        case .valueNotFound(let type, let c): return .missingValue(at: at(c.codingPath), expected: kind(of: type))
        case .dataCorrupted: return .notJSON
        @unknown default: return .notJSON
        }
    }

    /// The kind of JSON value that decodes to `type`.
    private static func kind(of type: Any.Type) -> Words.JSONKind {
        switch type {
        case is String.Type: .string
        case is Int.Type, is Double.Type: .number
        case is Bool.Type: .boolean
        default: type is any Sequence.Type && !(type is [String: Any].Type) ? .list : .object
        }
    }
}
