import Foundation
import Testing

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

@Test(
    "a crash at any step of a commit leaves the old file or the new one, complete",
    arguments: ["created", "written", "synced", "renamed"])
func crashDuringCommit(step: String) throws {
    let dir = try Scratch()
    try dir.write("setup.runbook", setupRunbook)
    try dir.write("handoff.runbook", handoffRunbook)
    #expect(try Binary.run(["run", "-q", "--state", "s.json", "--commit", "setup.runbook"], in: dir.url).status == 0)
    let old = try #require(dir.read("s.json"))
    let crashed = try Binary.run(
        ["run", "-q", "--state", "s.json", "--commit", "handoff.runbook"], in: dir.url,
        environment: ["RUNBOOK_TEST_CRASH_AT": step])
    #expect(crashed.status == 86)
    let now = try #require(dir.read("s.json"))
    if step == "renamed" {
        #expect(now.contains("\"ben\"\n  ]"))
    } else {
        #expect(now == old)
    }
    // Whichever it is, it reads back.
    #expect(try Binary.run(["run", "-q", "--state", "s.json", "-"], in: dir.url, stdin: Data("show\n".utf8)).status == 0)
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
    try dir.write("setup.runbook", setupRunbook)
    #expect(try Binary.run(["run", "-q", "--state", "s.json", "--commit", "setup.runbook"], in: dir.url).status == 0)
    let old = dir.read("s.json")
    let result = try Binary.run(
        ["run", "-q", "--state", "s.json", "--commit", "-"], in: dir.url,
        stdin: Data("user dora\n".utf8), environment: ["RUNBOOK_TEST_FAIL": "write"])
    #expect(result.status == 1)
    #expect(
        result.stderr.contains(
            "s.json: cannot write state file: cannot write the new state: No space left on device; the old file is unchanged"),
        "\(result.stderr)")
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
])
func invalidStateFilesAreRefusedAndKept(json: String, reason: String) throws {
    let dir = try Scratch()
    try dir.write("s.json", json)
    let result = try Binary.run(["run", "--state", "s.json", "--commit", "-"], in: dir.url, stdin: Data("admin x\n".utf8))
    #expect(result.status == 65)
    #expect(result.stderr.contains("s.json: invalid state file: \(reason)"), "\(result.stderr)")
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
/// is lost, and the file is whole.
@Test func concurrentCommitsTakeTurns() throws {
    let dir = try Scratch()
    try dir.write("setup.runbook", "admin anna\n")
    #expect(try Binary.run(["run", "-q", "--state", "s.json", "--commit", "setup.runbook"], in: dir.url).status == 0)
    try dir.write("first.runbook", "user first\n")
    try dir.write("second.runbook", "user second\n")
    let first = Process()
    first.executableURL = Binary.url
    first.arguments = ["run", "-q", "--state", "s.json", "--commit", "first.runbook"]
    first.currentDirectoryURL = dir.url
    first.environment = ["RUNBOOK_TEST_PAUSE_AFTER_LOCK": "3000"]
    try first.run()
    // Start the second run only once the first holds the lock, however slowly it started.
    let lockFile = open(dir.url.appendingPathComponent(".s.json.lock").path, O_RDWR | O_CREAT, 0o600)
    defer { close(lockFile) }
    while first.isRunning && flock(lockFile, LOCK_EX | LOCK_NB) == 0 {
        flock(lockFile, LOCK_UN)
        usleep(5_000)
    }
    let second = try Binary.run(["run", "-q", "--state", "s.json", "--commit", "second.runbook"], in: dir.url)
    first.waitUntilExit()
    #expect(first.terminationStatus == 0)
    #expect(second.status == 0)
    #expect(second.stderr.contains("waiting for another runbook committing to s.json"))
    let saved = try #require(dir.read("s.json"))
    #expect(saved.contains("\"first\"") && saved.contains("\"second\"") && saved.contains("\"anna\""), "\(saved)")
}
