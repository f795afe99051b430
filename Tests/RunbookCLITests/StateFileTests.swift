import ConnectionCore
import Foundation
import Testing

@testable import RunbookFiles

/// A scratch folder, removed at the end of the test.
final class Scratch {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit {
        chmod(url.path, 0o755)
        try? FileManager.default.removeItem(at: url)
    }
    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }
    func read(_ name: String) -> String? {
        (try? Data(contentsOf: url.appendingPathComponent(name))).map { String(decoding: $0, as: UTF8.self) }
    }
}

let setupRunbook = "admin anna, ben\nuser carl\nas anna connect\nas anna grant carl\n"
let handoffRunbook = "as ben connect\nas anna disconnect\n"

@Test func commitWritesTheStateOnlyAfterSuccess() throws {
    let dir = try Scratch()
    try dir.write("setup.runbook", setupRunbook)
    try dir.write("handoff.runbook", handoffRunbook)
    try dir.write("bad.runbook", "as ben disconnect\n")
    let first = try Binary.run(["run", "--quiet", "--state", "s.json", "--commit", "setup.runbook"], in: dir.url)
    #expect(first.status == 0)
    let saved = try #require(dir.read("s.json"))
    #expect(saved.contains("\"connections\" : [\n    \"anna\"\n  ]"))
    var info = stat()
    #expect(stat(dir.url.appendingPathComponent("s.json").path, &info) == 0 && info.st_mode & 0o777 == 0o600)

    let refused = try Binary.run(["run", "--state", "s.json", "--commit", "bad.runbook"], in: dir.url)
    #expect(refused.status == 1)
    #expect(dir.read("s.json") == saved)

    let noCommit = try Binary.run(["run", "--state", "s.json", "handoff.runbook"], in: dir.url)
    #expect(noCommit.status == 0)
    #expect(dir.read("s.json") == saved)

    chmod(dir.url.appendingPathComponent("s.json").path, 0o640)
    let handoff = try Binary.run(["run", "--state", "s.json", "--commit", "handoff.runbook"], in: dir.url)
    #expect(handoff.status == 0)
    #expect(dir.read("s.json")?.contains("\"connections\" : [\n    \"ben\"\n  ]") == true)
    #expect(stat(dir.url.appendingPathComponent("s.json").path, &info) == 0 && info.st_mode & 0o777 == 0o640)
}

/// The state after `setupRunbook`, and after the handoff on top of it.
func setupStates() throws -> (before: Instance, after: Instance) {
    var before = Instance()
    try before.perform(.declare(.admin, ["anna", "ben"]))
    try before.perform(.declare(.user, ["carl"]))
    try before.perform(.connect(actor: "anna"))
    try before.perform(.grant(actor: "anna", targets: ["carl"]))
    var after = before
    try after.perform(.connect(actor: "ben"))
    try after.perform(.disconnect(actor: "anna"))
    return (before, after)
}

@Test(
    "a crash at any step of a commit leaves the old file or the new one, complete",
    arguments: AtomicFile.Step.allCases)
func crashDuringCommit(step: AtomicFile.Step) throws {
    let dir = try Scratch()
    let path = dir.url.appendingPathComponent("s.json").path
    let (before, after) = try setupStates()
    try StateStore.save(before, to: path)
    let old = try #require(dir.read("s.json"))
    #expect(throws: StateFileError.self) { try StateStore.save(after, to: path, faults: .init(crashAfter: step)) }
    let now = try #require(dir.read("s.json"))
    #expect(now == (step == .renamed ? String(decoding: StateStore.encode(after), as: UTF8.self) : old))
    // Whichever it is, it reads back.
    #expect(try StateStore.load(path) == (step == .renamed ? after : before))
}

/// Root writes to read-only folders, so this runs only for other users; the injected
/// full-disk test covers the same path for root.
@Test(.enabled(if: getuid() != 0, "root can write to a read-only folder"))
func readOnlyFolderKeepsTheOldFileAndSaysWhy() throws {
    let dir = try Scratch()
    try dir.write("setup.runbook", setupRunbook)
    #expect(try Binary.run(["run", "-q", "--state", "s.json", "--commit", "setup.runbook"], in: dir.url).status == 0)
    let old = dir.read("s.json")
    chmod(dir.url.path, 0o555)
    let result = try Binary.run(["run", "-q", "--state", "s.json", "--commit", "-"], in: dir.url, stdin: Data("user dora\n".utf8))
    chmod(dir.url.path, 0o755)
    #expect(result.status == 1)
    #expect(result.stderr.contains("s.json: cannot write state file"))
    #expect(dir.read("s.json") == old)
}

@Test func aFullDiskKeepsTheOldFileAndSaysWhy() throws {
    let dir = try Scratch()
    let path = dir.url.appendingPathComponent("s.json").path
    let (before, after) = try setupStates()
    try StateStore.save(before, to: path)
    let old = dir.read("s.json")
    do throws(StateFileError) {
        try StateStore.save(after, to: path, faults: .init(failWrite: true))
        Issue.record("a failed write was not reported")
    } catch {
        #expect(
            error.description.hasSuffix(
                "s.json: cannot write state file: cannot write the new state: No space left on device; the old file is unchanged"),
            "\(error)")
    }
    #expect(dir.read("s.json") == old)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasSuffix(".tmp") }
    #expect(leftovers.isEmpty)
}

@Test(arguments: [
    ("{", "not valid JSON"),
    (#"{"format":"runbook-state","version":9,"members":[],"connections":[],"grants":[]}"#, "format version 9 is not supported"),
    (
        #"{"format":"runbook-state","version":1,"members":[{"name":"a","role":"user"}],"connections":["a"],"grants":[]}"#,
        "connection 'a' is not an admin"
    ),
    (#"{"format":"runbook-state","version":1,"members":"x","connections":[],"grants":[]}"#, "wrong type at 'members'"),
    (#"{"format":"runbook-state","version":1,"members":[]}"#, "missing field 'connections'"),
    ("[]", "expected an object at the top level, found a list"),
    (#""state""#, "expected an object at the top level, found a string"),
    ("", "the file is empty"),
    (
        #"{"format":"runbook-state","version":1,"members":[[]],"connections":[],"grants":[]}"#,
        "wrong type at 'members[0]': expected an object"
    ),
    (
        #"{"format":"runbook-state","version":1,"members":[{"name":"a","role":"owner"}],"connections":[],"grants":[]}"#,
        "member 'a' has the role 'owner'; a role is 'admin' or 'user'"
    ),
    (#"{"format":"runbook-state","version":1e30,"members":[],"connections":[],"grants":[]}"#, "format version 1e+30 is not supported"),
    (#"{"format":"runbook-state","version":1.5,"members":[],"connections":[],"grants":[]}"#, "format version 1.5 is not supported"),
    (
        #"{"format":"runbook-state","version":1,"members":[{"name":"","role":"user"}],"connections":[],"grants":[]}"#,
        "a member's name is empty"
    ),
    (
        #"{"format":"runbook-state","version":1,"members":[{"name":"u\u001b[2J\u001b]0;pwned\u0007","role":"user"}],"connections":[],"grants":[]}"#,
        #"member 'u\u{1B}[2J\u{1B}]0;pwned\u{7}' holds control character U+001B, which a name may not hold"#
    ),
    (
        #"{"format":"runbook-state","version":1,"members":[{"name":"ad\u202emin","role":"admin"}],"connections":[],"grants":[]}"#,
        #"member 'ad\u{202E}min' holds bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE), which a name may not hold"#
    ),
    (
        #"{"format":"runbook-state","version":1,"members":[{"name":"a\u0085","role":"user"}],"connections":[],"grants":[]}"#,
        #"member 'a\u{85}' holds control character U+0085"#
    ),
])
func invalidStateFilesAreRefusedAndKept(json: String, reason: String) throws {
    let dir = try Scratch()
    try dir.write("s.json", json)
    let result = try Binary.run(["run", "--state", "s.json", "--commit", "-"], in: dir.url, stdin: Data("admin x\n".utf8))
    #expect(result.status == 65)
    #expect(result.stderr.hasPrefix("runbook: s.json: invalid state file: \(reason)"), "\(result.stderr)")
    #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "nothing raw reaches the terminal")
    #expect(dir.read("s.json") == json)
}

@Test func aMissingStateFileIsAnEmptyInstance() throws {
    let dir = try Scratch()
    let result = try Binary.run(["run", "--state", "new.json", "--commit", "-"], in: dir.url, stdin: Data("admin x\n".utf8))
    #expect(result.status == 0)
    #expect(dir.read("new.json")?.contains("\"name\" : \"x\"") == true)
}

@Test func aSymbolicLinkIsFollowed() throws {
    let dir = try Scratch()
    try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("real"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
        atPath: dir.url.appendingPathComponent("link.json").path,
        withDestinationPath: "real/state.json")
    #expect(try Binary.run(["run", "-q", "--state", "link.json", "--commit", "-"], in: dir.url, stdin: Data("admin x\n".utf8)).status == 0)
    let attributes = try FileManager.default.attributesOfItem(atPath: dir.url.appendingPathComponent("link.json").path)
    #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
    #expect(dir.read("real/state.json")?.contains("\"x\"") == true)
}

/// Two runs committing to one state file at once take turns: both changes land, neither
/// is lost, and the file is whole. The test holds the lock itself while a run waits for it.
@Test func concurrentCommitsTakeTurns() throws {
    let dir = try Scratch()
    let path = dir.url.appendingPathComponent("s.json").path
    try dir.write("setup.runbook", "admin anna\n")
    #expect(try Binary.run(["run", "-q", "--state", "s.json", "--commit", "setup.runbook"], in: dir.url).status == 0)
    try dir.write("second.runbook", "user second\n")
    let second = Process()
    second.executableURL = Binary.url
    second.arguments = ["run", "-q", "--state", "s.json", "--commit", "second.runbook"]
    second.currentDirectoryURL = dir.url
    let errors = Pipe()
    second.standardError = errors
    do {
        let lock = try StateStore.lock(path) {}
        try second.run()
        // The run says it is waiting, and waits.
        var said = [UInt8](repeating: 0, count: 256)
        let count = read(errors.fileHandleForReading.fileDescriptor, &said, said.count)
        #expect(String(decoding: said.prefix(max(count, 0)), as: UTF8.self).contains("waiting for another runbook committing to s.json"))
        #expect(second.isRunning)
        // Meanwhile this commit lands, under the lock; the lock goes with the scope.
        var state = try StateStore.load(path)
        try state.perform(.declare(.user, ["first"]))
        try StateStore.save(state, to: path)
        withExtendedLifetime(lock) {}
    }
    second.waitUntilExit()
    #expect(second.terminationStatus == 0)
    let saved = try #require(dir.read("s.json"))
    #expect(saved.contains("\"first\"") && saved.contains("\"second\"") && saved.contains("\"anna\""), "\(saved)")
}

/// A run whose report cannot be written does not commit: standard output on a full disk,
/// or standard error, leaves the state file as it was.
@Test(arguments: ["> /dev/full", "2> /dev/full"])
func aRunThatCannotReportNeverCommits(redirect: String) throws {
    let dir = try Scratch()
    try dir.write("setup.runbook", setupRunbook)
    try dir.write("handoff.runbook", "as ben connect\nadmin \"ben\u{0435}\"\nas anna disconnect\n")
    #expect(try Binary.run(["run", "-q", "--state", "s.json", "--commit", "setup.runbook"], in: dir.url).status == 0)
    let saved = dir.read("s.json")
    let result = try Binary.run(["run", "--state", "s.json", "--commit", "handoff.runbook"], in: dir.url, redirect: redirect)
    #expect(result.status == 74, "\(result.stderr)")
    if redirect.hasPrefix(">") {
        #expect(
            result.stderr.hasSuffix(
                "runbook: s.json is not committed: the run's output could not all be written\n\(full("standard output"))\n"))
    }
    #expect(dir.read("s.json") == saved)
}

/// The README's pipeline on a filling disk: a plan cut short is a failure, so the `&&`
/// that would commit it never runs. (The shell's file size limit stands in for the disk.)
@Test func aPlanCutShortIsAFailure() throws {
    let dir = try Scratch()
    let users = (0..<400).map { "u\($0)" }
    let members = ([#"{"name":"boss","role":"admin"}"#] + users.map { #"{"name":"\#($0)","role":"user"}"# }).joined(separator: ",")
    try dir.write("s.json", #"{"format":"runbook-state","version":1,"members":[\#(members)],"connections":["boss"],"grants":[]}"#)
    let goal = users.joined(separator: ", ") + " has access"
    let whole = try Binary.run(["plan", "--state", "s.json", goal], in: dir.url)
    #expect(whole.status == 0 && whole.stdout.utf8.count > 4096)
    let cut = try Binary.run(
        ["plan", "--state", "s.json", goal], in: dir.url, redirect: "> plan.runbook", before: "trap '' XFSZ; ulimit -f 2;")
    #expect(cut.status == 74)
    #expect(cut.stderr == "runbook: cannot write to standard output: File too large\n")
    let written = try #require(dir.read("plan.runbook"))
    #expect(!written.isEmpty && written.count < whole.stdout.count)
}

/// A closed standard stream is never taken by the lock file: a closed standard input is
/// not read as an empty runbook that commits, and a report to a closed standard output
/// is not written into the lock file; a quiet run has nothing to report, and commits.
@Test func closedStandardStreamsAreNotTheLockFile() throws {
    let dir = try Scratch()
    try dir.write("setup.runbook", setupRunbook)
    let closedInput = try Binary.run(["run", "--state", "s.json", "--commit", "-"], in: dir.url, redirect: "<&-")
    #expect(closedInput.status == 66)
    #expect(closedInput.stderr == "runbook: -: cannot read: standard input is closed\n")
    #expect(dir.read("s.json") == nil)

    let closedOutput = try Binary.run(["run", "--state", "s.json", "--commit", "setup.runbook"], in: dir.url, redirect: ">&-")
    #expect(closedOutput.status == 74)
    #expect(closedOutput.stderr.hasSuffix("runbook: cannot write to standard output: Bad file descriptor\n"))
    #expect(dir.read("s.json") == nil)
    #expect(dir.read(".s.json.lock") == "")

    let quiet = try Binary.run(["run", "-q", "--state", "s.json", "--commit", "setup.runbook"], in: dir.url, redirect: ">&- 2>&-")
    #expect(quiet.status == 0)
    #expect(dir.read("s.json")?.contains("\"anna\"") == true)
    #expect(dir.read(".s.json.lock") == "")
}

/// `fmt --write` replaces only a regular file: a FIFO it read stays a FIFO.
@Test func fmtWriteLeavesAFIFO() throws {
    let dir = try Scratch()
    let fifo = dir.url.appendingPathComponent("fifo").path
    #expect(mkfifo(fifo, 0o644) == 0)
    let result = try Binary.run(["fmt", "--write", "fifo"], in: dir.url, before: "printf 'admin   anna\\n' > fifo &", timeout: 60)
    #expect(result.status == 1)
    #expect(result.stderr == "runbook: fifo: cannot write: is not a regular file\n")
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
}

/// Stale temporary files that killed commits left beside the state file are removed by
/// the next commit, which holds the lock; those of other files stay.
@Test func aCommitRemovesStaleTemporaries() throws {
    let dir = try Scratch()
    try dir.write("setup.runbook", setupRunbook)
    for name in [".s.json.12345.tmp", ".s.json.kX3j9Q.tmp", ".other.json.12345.tmp"] { try dir.write(name, "{") }
    #expect(try Binary.run(["run", "-q", "--state", "s.json", "--commit", "setup.runbook"], in: dir.url).status == 0)
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted()
    #expect(names == [".other.json.12345.tmp", ".s.json.lock", "s.json", "setup.runbook"])
}

/// A state file of `nobody`'s committed by root stays `nobody`'s, mode and group kept, and
/// `nobody` can still read it and commit to it.
@Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs root and setpriv"))
func aCommitByRootKeepsTheOwner() throws {
    let dir = try Scratch()
    chown(dir.url.path, 65534, 65534)
    try dir.write("setup.runbook", setupRunbook)
    try dir.write("more.runbook", "user dora\n")
    let asNobody = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups"
    let first = try Binary.run(
        ["run", "-q", "--state", "s.json", "--commit", "-"], in: dir.url, stdin: Data("user zed\n".utf8), wrapper: asNobody)
    try #require(first.status == 0, "\(first.stderr)")
    let path = dir.url.appendingPathComponent("s.json").path
    var info = stat()
    #expect(stat(path, &info) == 0 && info.st_uid == 65534 && info.st_mode & 0o777 == 0o600)

    #expect(try Binary.run(["run", "-q", "--state", "s.json", "--commit", "setup.runbook"], in: dir.url).status == 0)
    #expect(stat(path, &info) == 0 && info.st_uid == 65534 && info.st_gid == 65534 && info.st_mode & 0o777 == 0o600)

    let again = try Binary.run(["run", "-q", "--state", "s.json", "--commit", "more.runbook"], in: dir.url, wrapper: asNobody)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(dir.read("s.json")?.contains("\"dora\"") == true)
}

/// A state path that can only name a folder is refused before anything is made there (no
/// `emptyd/..lock`); a state file that cannot be created says so without an old file.
@Test func stateFilePathsThatNameFolders() throws {
    let dir = try Scratch()
    try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("emptyd"), withIntermediateDirectories: true)
    for path in ["emptyd/", "emptyd", "nod/", ".", "emptyd/.."] {
        let result = try Binary.run(["run", "--state", path, "--commit", "-"], in: dir.url, stdin: Data("admin x\n".utf8))
        #expect(result.status == 66)
        let reason =
            FileManager.default.fileExists(atPath: dir.url.appendingPathComponent(path).path) && !path.hasSuffix("/")
                && !path.hasSuffix(".") ? "is a directory" : "names a directory, not a file"
        #expect(result.stderr == "runbook: \(path): cannot read state file: \(reason)\n")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("emptyd").path).isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["emptyd"])

    let missing = try Binary.run(["run", "--state", "nod/new.json", "--commit", "-"], in: dir.url, stdin: Data("admin x\n".utf8))
    #expect(missing.status == 1)
    #expect(
        missing.stderr
            == "runbook: nod/new.json: cannot write state file: cannot create the lock file nod/.new.json.lock: No such file or directory\n"
    )
}
