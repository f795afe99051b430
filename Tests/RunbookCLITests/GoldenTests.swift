import Foundation
import Testing

/// Golden runbooks: each file under `golden/` runs through the built binary, and its
/// exit status, standard output and standard error must match the block at its end:
///
///     # args: run --quiet @        (optional; `@` is the file; default `run @`)
///     # stdin: @                   (optional: feed the file on standard input)
///     ...the runbook...
///     # ---- expected
///     # exit: 1
///     # stdout: a line
///     # stderr: a line
///
/// `RUNBOOK_RECORD=1 swift test --filter Golden` rewrites the blocks from what the binary does.
struct Golden {
    static let folder = Binary.packageRoot.appendingPathComponent("Tests/RunbookCLITests/golden")
    static let marker = "# ---- expected"

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".runbook") }.sorted()
    }

    /// Splits a golden file into the runbook (bytes, which may be invalid UTF-8 on
    /// purpose) and its expectations block.
    static func expected(from data: Data) -> (body: Data, block: String) {
        guard let range = data.range(of: Data(("\n" + marker + "\n").utf8)) else { return (data, "") }
        return (data[..<range.lowerBound] + Data([0x0A]), String(decoding: data[range.upperBound...], as: UTF8.self))
    }

    /// Splits an argument line at spaces, keeping 'single-quoted words' whole.
    static func words(_ line: Substring) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var started = false
        for c in line {
            if c == "'" {
                quoted.toggle()
                started = true
            } else if c == " " && !quoted {
                if started { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(c)
                started = true
            }
        }
        if started { words.append(current) }
        return words
    }

    static func block(_ r: Binary.Result) -> String {
        var lines = ["# exit: \(r.status)"]
        for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            lines.append("# stdout: " + line)
        }
        for line in r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            lines.append("# stderr: " + line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A parameterized test with no arguments runs nothing and passes: a missing or emptied
/// folder must fail here instead.
@Test func goldenFolderHasRunbooks() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Golden.folder.path)
    #expect(names.contains { $0.hasSuffix(".runbook") }, "no golden runbooks in \(Golden.folder.path)")
    #expect(!Golden.files.isEmpty)
}

@Test("golden runbook", arguments: Golden.files)
func golden(file: String) throws {
    let url = Golden.folder.appendingPathComponent(file)
    let (body, expectedBlock) = Golden.expected(from: try Data(contentsOf: url))
    var arguments = ["run", "@"]
    var stdin: Data?
    // The header: `# args:` and `# stdin: @` lines, anywhere in the runbook, once each.
    let lines = String(decoding: body, as: UTF8.self).split(separator: "\n")
    let argumentLines = lines.filter { $0.hasPrefix("# args:") }
    #expect(argumentLines.count <= 1, "\(file): one '# args:' line at most")
    if let line = argumentLines.first { arguments = Golden.words(line.dropFirst(7)) }
    if lines.contains("# stdin: @") { stdin = body }
    arguments = arguments.map { $0 == "@" ? file : $0 }
    // Run on the body alone, so the expectations block is not part of the input.
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-golden-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    try body.write(to: scratch.appendingPathComponent(file))
    try FileManager.default.copyItem(
        at: Golden.folder.appendingPathComponent("support"),
        to: scratch.appendingPathComponent("support"))
    let result = try Binary.run(arguments, in: scratch, stdin: stdin)
    let actual = Golden.block(result)
    if ProcessInfo.processInfo.environment["RUNBOOK_RECORD"] == "1" {
        try (body + Data((Golden.marker + "\n" + actual).utf8)).write(to: url)
        return
    }
    #expect(actual == expectedBlock, "\(file): record with RUNBOOK_RECORD=1 after checking the difference")
}
