/// The words of files: why an input cannot be read, why a state file is invalid, why a
/// file cannot be written. `RunbookFiles` gives these reasons; the command line puts the
/// path and what it was doing before them (`s.json: invalid state file: ...`).
extension Words {
    /// Why a file is refused, each reason worded once.
    public enum FileReason: Sendable, Hashable {
        /// Standard input was closed when the program started.
        case standardInputClosed
        /// Nothing at the path.
        case doesNotExist
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
        /// A path that can only be a folder's: `emptyd/`, `.`.
        case namesDirectory
        /// A folder whose files cannot be listed.
        case cannotList(system: String)

        public var text: String {
            switch self {
            case .standardInputClosed: "standard input is closed"
            case .doesNotExist: "does not exist"
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
            case .namesDirectory: "names a directory, not a file"
            case .cannotList(let system): "cannot list the folder: \(system)"
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

    // MARK: State files

    /// `s.json: invalid state file: REASON`, and its kin: what went wrong with a state file
    /// at `path`, and why.
    public static func stateFile(_ path: String, _ problem: StateFileProblem, _ reason: String) -> String {
        switch problem {
        case .unreadable: "\(path): cannot read state file: \(reason)"
        case .invalid: "\(path): invalid state file: \(reason)"
        case .unwritable(let oldFileKept):
            "\(path): cannot write state file: \(reason)" + (oldFileKept ? "; the old file is unchanged" : "")
        }
    }

    /// What went wrong with a state file.
    public enum StateFileProblem: Sendable, Hashable {
        case unreadable, invalid
        /// Writing failed; `oldFileKept` when there was a file, which is as it was.
        case unwritable(oldFileKept: Bool)
    }

    /// The kinds of JSON value, as a state file's reasons name what was expected or found.
    public enum JSONKind: String, Sendable, Hashable {
        case object = "an object"
        case list = "a list"
        case string = "a string"
        case number = "a number"
        case boolean = "true or false"
        case null = "null"
    }

    /// Why a state file is invalid. Names are shown with `printable(_:)`: a state file may
    /// hold anything.
    public enum StateReason: Error, Sendable, Hashable {
        case notJSON
        case empty
        case topLevel(found: JSONKind?)
        case wrongType(at: String, expected: JSONKind)
        case missingField(String, at: String)
        case missingValue(at: String, expected: JSONKind)
        case format(String, expected: String)
        case version(String, supported: Int)
        case emptyName
        case forbiddenCharacter(name: String, Unicode.Scalar)
        case unknownRole(name: String, role: String)
        case memberListedTwice(String)
        case connectionNotMember(String)
        case connectionNotAdmin(String)
        case connectionListedTwice(String)
        case grantHolderNotMember(String)
        case grantHolderConnected(String)
        case grantHolderListedTwice(String)
        case grantWhileNotLive(String)
        case strandedNotMember(String)
        case strandedConnected(String)
        case strandedHoldsAccess(String)
        case strandedListedTwice(String)
        /// A key that appears twice in one object, at a JSON path (`members[2]`).
        case duplicateKey(String, at: String)
        /// A key the format does not have, at a JSON path, with the keys it has there.
        case unknownKey(String, at: String, known: [String])

        public var text: String {
            func name(_ name: String) -> String { "'" + Words.printable(name) + "'" }
            return switch self {
            case .notJSON: "not valid JSON"
            case .empty: "the file is empty"
            case .topLevel(let found):
                "expected an object at the top level" + (found.map { ", found \($0.rawValue)" } ?? "")
            case .wrongType(let at, let expected): "wrong type\(at): expected \(expected.rawValue)"
            case .missingField(let key, let at): "missing field '\(Words.printable(key))'\(at)"
            case .missingValue(let at, let expected): "missing value\(at): expected \(expected.rawValue)"
            case .format(let found, let expected): "format is \(name(found)), expected '\(expected)'"
            case .version(let found, let supported):
                "format version \(found) is not supported (this runbook reads version \(supported))"
            case .emptyName: "a member's name is empty"
            case .forbiddenCharacter(let member, let scalar):
                "member \(name(member)) holds \(Words.forbidden(scalar)), which a name may not hold"
            case .unknownRole(let member, let role):
                "member \(name(member)) has the role \(name(role)); a role is 'admin' or 'user'"
            case .memberListedTwice(let member): "member \(name(member)) is listed twice"
            case .connectionNotMember(let member): "connection \(name(member)) is not a member"
            case .connectionNotAdmin(let member): "connection \(name(member)) is not an admin"
            case .connectionListedTwice(let member): "connection \(name(member)) is listed twice"
            case .grantHolderNotMember(let member): "grant holder \(name(member)) is not a member"
            case .grantHolderConnected(let member): "grant holder \(name(member)) is an admin connection"
            case .grantHolderListedTwice(let member): "grant holder \(name(member)) is listed twice"
            case .grantWhileNotLive(let member):
                "\(name(member)) holds access but no admin is connected; members who lost their access when the"
                    + " integration stopped are listed under \"stranded\", not \"grants\""
            case .strandedNotMember(let member): "stranded member \(name(member)) is not a member"
            case .strandedConnected(let member): "stranded member \(name(member)) is an admin connection"
            case .strandedHoldsAccess(let member): "stranded member \(name(member)) holds access"
            case .strandedListedTwice(let member): "stranded member \(name(member)) is listed twice"
            case .unknownKey(let key, let at, let known):
                "unknown key \(name(key))\(at.isEmpty ? "" : " at '\(Words.printable(at))'"); the keys there are "
                    + Words.list(known.map { "'\($0)'" })
            case .duplicateKey(let key, let at):
                "the key \(name(key)) appears twice in one object\(at.isEmpty ? "" : " (at \(Words.printable(at)))")"
            }
        }
    }

    /// A character a name may not hold, in words: "control character U+001B", or
    /// "bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)".
    public static func forbidden(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        guard scalar.value > 0x9F else { return "control character \(code)" }
        let name = scalar.properties.nameAlias ?? scalar.properties.name
        return "bidirectional control \(code)" + (name.map { " (\($0))" } ?? "")
    }
}
