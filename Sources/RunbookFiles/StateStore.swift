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

    public init(kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    /// Why a state file is invalid, before the path is known.
    struct Reason: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

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
        let file: StateFile
        do {
            file = try JSONDecoder().decode(StateFile.self, from: data)
        } catch let error as DecodingError {
            throw StateFileError(kind: .invalid, path: path, reason: describe(error))
        } catch {
            throw StateFileError(kind: .invalid, path: path, reason: "\(error)")
        }
        do throws(StateFileError.Reason) { return try file.instance() } catch {
            throw StateFileError(kind: .invalid, path: path, reason: error.text)
        }
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
    /// for another run that holds it; `waiting` is called once if it must wait.
    public static func lock(_ path: String, waiting: () -> Void) throws(StateFileError) -> Lock {
        let target = Path.resolvingLinks(path)
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
        return Lock(fd: fd)
    }

    /// Writes `instance` to `path` atomically (see `AtomicFile`): a failure at any point
    /// leaves the old file as it was. A new file is created 0600.
    public static func save(_ instance: Instance, to path: String) throws(StateFileError) {
        try save(instance, to: path, faults: AtomicFile.Faults())
    }

    /// `save(_:to:)` with faults injected: the seam the tests set.
    static func save(_ instance: Instance, to path: String, faults: AtomicFile.Faults) throws(StateFileError) {
        do throws(AtomicFile.Failure) {
            try AtomicFile.write(Array(encode(instance)), to: path, what: "state", faults: faults)
        } catch {
            throw StateFileError(kind: .unwritable, path: path, reason: error.reason)
        }
    }

    // MARK: Helpers

    private static func readReason(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        if fd >= 0 {
            close(fd)
            return "is not a regular file"
        }
        return String(cString: strerror(errno))
    }

    /// A JSON decoding error in a few words: what is wrong, and where.
    package static func describe(_ error: DecodingError) -> String {
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
