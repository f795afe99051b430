import ConnectionCore
import Foundation
import Testing

@testable import RunbookFiles

/// A scratch folder for in-process tests, removed at the end.
final class Folder {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-files-\(UUID().uuidString)").path
    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func at(_ name: String) -> String { path + "/" + name }
    func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
    func type(_ name: String) -> mode_t {
        var info = stat()
        return lstat(at(name), &info) == 0 ? info.st_mode & S_IFMT : 0
    }
}

/// A state to save.
func someState() throws -> Instance {
    var instance = Instance()
    try instance.perform(.declare(.admin, ["anna"]))
    return instance
}

// MARK: Special files

/// `:save` and `fmt --write` write only over regular files, as `--state` does: a FIFO, a
/// device or a folder at the path (or at the end of a symbolic link) is refused and left
/// as it was.
@Test(arguments: ["fifo", "link-to-fifo", "folder", "device"])
func specialFilesAreNotReplaced(kind: String) throws {
    let folder = try Folder()
    #expect(mkfifo(folder.at("fifo"), 0o644) == 0)
    #expect(symlink("fifo", folder.at("link-to-fifo")) == 0)
    #expect(mkdir(folder.at("folder"), 0o755) == 0)
    if kind == "device" {
        guard getuid() == 0 else { return }  // only root makes device nodes
        #expect(mknod(folder.at("device"), S_IFCHR | 0o666, dev_t(1 << 8 | 3) /* makedev(1, 3): /dev/null */) == 0)
    }
    let before = folder.type(kind == "link-to-fifo" ? "fifo" : kind)
    let state = try someState()
    do throws(StateFileError) {
        try StateStore.save(state, to: folder.at(kind))
        Issue.record("a \(kind) was replaced")
    } catch {
        // A folder is no old file: nothing is said of one.
        let reason = kind == "folder" ? "is a directory" : "is not a regular file; the old file is unchanged"
        #expect(error.description == "\(folder.at(kind)): cannot write state file: \(reason)")
    }
    #expect(folder.type(kind == "link-to-fifo" ? "fifo" : kind) == before)
    #expect(folder.type("link-to-fifo") == S_IFLNK)
    #expect(!folder.names().contains { $0.hasSuffix(".tmp") })
}

// MARK: Temporary files

/// A temporary file has a name of its own: one left by a killed run whose process id
/// this one has now is no obstacle.
@Test func aTemporaryLeftUnderThisProcessIdIsNoObstacle() throws {
    let folder = try Folder()
    let leftover = folder.at(".s.json.\(getpid()).tmp")
    #expect(FileManager.default.createFile(atPath: leftover, contents: Data("{".utf8)))
    try StateStore.save(try someState(), to: folder.at("s.json"))
    #expect(try StateStore.load(folder.at("s.json")) == someState())
}

/// Taking a state file's lock removes the temporaries that killed writes to it left
/// behind, and no other file's.
@Test func theLockRemovesStaleTemporariesOfItsFileOnly() throws {
    let folder = try Folder()
    let path = folder.at("s.json")
    try StateStore.save(try someState(), to: path)
    for step in [AtomicFile.Step.created, .written, .synced] {
        #expect(throws: StateFileError.self) { try StateStore.save(try someState(), to: path, faults: .init(crashAfter: step)) }
    }
    let stale = [".s.json.4242.tmp", ".s.json.Ab12Cd.tmp"]
    let others = [".s.json.1.Ab12Cd.tmp", ".t.json.4242.tmp", ".s.json.lock.tmp.keep", "s.json.4242.tmp"]
    for name in stale + others {
        #expect(FileManager.default.createFile(atPath: folder.at(name), contents: Data(count: 2 << 20)))
    }
    #expect(folder.names().filter { $0.hasPrefix(".s.json.") && $0.hasSuffix(".tmp") }.count == 3 + stale.count + 1)
    let lock = try StateStore.lock(path) {}
    #expect(folder.names() == (others + ["s.json", ".s.json.lock"]).sorted())
    withExtendedLifetime(lock) {}
}

// MARK: Ownership

/// Every replace keeps the file's owner, group and mode: a state file of `nobody`'s,
/// committed by root, stays `nobody`'s and readable by `nobody`. Only root can give a
/// file away, so this runs as root.
@Test(.enabled(if: getuid() == 0, "only root can give a file to another user"))
func aReplaceKeepsOwnerGroupAndMode() throws {
    let folder = try Folder()
    let path = folder.at("s.json")
    try StateStore.save(Instance(), to: path)
    #expect(chown(path, 65534, 65534) == 0 && chmod(path, 0o640) == 0)
    try StateStore.save(try someState(), to: path)
    var info = stat()
    #expect(stat(path, &info) == 0)
    #expect(info.st_uid == 65534 && info.st_gid == 65534 && info.st_mode & 0o7777 == 0o640)
    #expect(try StateStore.load(path) == someState())
}
