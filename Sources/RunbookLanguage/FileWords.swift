/// The words of files: why an input cannot be read, why a state file is invalid, why a
/// file cannot be written. `RunbookFiles` gives these reasons; the command line puts the
/// path and what it was doing before them (`s.json: invalid state file: ...`).
extension Words {
    /// Why a file is refused, each reason worded once.
    public enum FileReason: Sendable, Hashable {
        /// Standard input was closed when the program started.
        case standardInputClosed
        /// A folder where a file is expected.
        case isDirectory
        /// A regular file larger than a runbook can be.
        case fileTooLarge(limit: Int)
        /// A pipe, a device or standard input that goes on past the most that is read from one.
        case streamTooLong(limit: Int)
        /// A device, a FIFO or a socket where a file is read or replaced.
        case notRegularFile
        /// A symbolic link where one is not followed.
        case symbolicLink
        /// The steps of an atomic write that can fail, naming what was being written
        /// ("state", "text") and the system's reason.
        case cannotCreateTemporary(folder: String, system: String)
        case cannotWriteNew(String, system: String)
        case cannotFlushNew(String, system: String)
        case cannotCloseNew(String, system: String)
        case cannotReplace(String, system: String)
        /// A state file's lock file cannot be opened or created.
        case cannotCreateLock(String, system: String)

        public var text: String {
            switch self {
            case .standardInputClosed: "standard input is closed"
            case .isDirectory: "is a directory"
            case .fileTooLarge(let limit): "is larger than \(FileReason.size(limit)), more than a runbook can be"
            case .streamTooLong(let limit):
                "goes on past \(FileReason.size(limit)), the most runbook reads from a pipe or a device"
            case .notRegularFile: "is not a regular file"
            case .symbolicLink: "is a symbolic link"
            case .cannotCreateTemporary(let folder, let system): "cannot create a temporary file in \(folder): \(system)"
            case .cannotWriteNew(let what, let system): "cannot write the new \(what): \(system)"
            case .cannotFlushNew(let what, let system): "cannot flush the new \(what) to disk: \(system)"
            case .cannotCloseNew(let what, let system): "cannot close the new \(what): \(system)"
            case .cannotReplace(let what, let system): "cannot replace the \(what) file: \(system)"
            case .cannotCreateLock(let path, let system): "cannot create the lock file \(path): \(system)"
            }
        }

        /// A size in the largest binary unit that divides it: 256 MiB, 2 GiB.
        static func size(_ bytes: Int) -> String {
            for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
                return "\(Words.grouped(bytes >> shift)) \(unit)"
            }
            return Words.counted(bytes, "byte")
        }
    }
}
