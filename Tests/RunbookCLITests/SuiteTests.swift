import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The shared conformance cases, when the shared folder sits beside the package.
@Test func conformanceCases() throws {
    let script = Binary.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/run.sh")
    guard FileManager.default.fileExists(atPath: script.path) else {
        // Continuous integration has them: missing there, they count as a failure.
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("conformance cases not found at \(script.path)")
        } else {
            print("conformance cases not found at \(script.path); skipped")
        }
        return
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [script.path, Binary.url.path]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(text)")
    #expect(text.hasSuffix(" 0 failed\n"))
}

/// The acceptance suite in scripts/acceptance passes.
@Test func acceptanceSuite() throws {
    let result = try Binary.run(["test", "scripts/acceptance"], in: Binary.packageRoot)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.hasSuffix(", 0 failed\n"))
    #expect(!result.stdout.contains("FAIL"))
}

/// The examples: handoff and teardown run clean, refused stops where its comment says.
@Test func examples() throws {
    for name in ["handoff", "teardown"] {
        let result = try Binary.run(["run", "scripts/examples/\(name).runbook"], in: Binary.packageRoot)
        #expect(result.status == 0, "\(name): \(result.stderr)")
    }
    let refused = try Binary.run(["run", "scripts/examples/refused.runbook"], in: Binary.packageRoot)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("refused.runbook:13:1: violation:"))
    #expect(refused.stderr.contains("[disconnect-strands-users]"))
}

/// JUnit output is well-formed XML that CI servers can read.
@Test func junitIsWellFormedXML() throws {
    let result = try Binary.run(["test", "--format", "junit", "Tests/RunbookCLITests/golden/support/suite"], in: Binary.packageRoot)
    #expect(result.status == 65)
    let document = try XMLDocument(data: Data(result.stdout.utf8))
    let suites = try document.nodes(forXPath: "/testsuites/testsuite")
    #expect(suites.count == 4)
    let failures = try document.nodes(forXPath: "//testcase/failure")
    #expect(failures.count == 3)
    let errors = try document.nodes(forXPath: "//testcase/error")
    #expect(errors.count == 1)
    let titles = try document.nodes(forXPath: "//testcase/@name").compactMap { $0.stringValue }
    #expect(titles.contains("handoff with a title <&> \"quotes\""))
}

/// A file without scenarios is one test, named after the file: `test` checks plain runbooks.
@Test func aFileWithoutScenariosIsOneTestNamedAfterIt() throws {
    let result = try Binary.run(["test", "scripts/examples"], in: Binary.packageRoot)
    #expect(result.status == 1)
    #expect(result.stdout.hasPrefix("PASS scripts/examples/handoff.runbook\nPASS scripts/examples/incident.runbook\n"))
    #expect(result.stdout.contains("FAIL scripts/examples/refused.runbook\n"))
    #expect(result.stdout.contains("    scripts/examples/refused.runbook:13:1: violation: the product would let adminA disconnect"))
    #expect(result.stdout.hasSuffix("PASS scripts/examples/teardown.runbook\n3 passed, 1 failed\n"))
    let filtered = try Binary.run(["test", "--filter", "teardown", "scripts/examples"], in: Binary.packageRoot)
    #expect(filtered.status == 0 && filtered.stdout == "PASS scripts/examples/teardown.runbook\n1 passed, 0 failed\n")
}

@Test func aFilterThatMatchesNothingSaysSo() throws {
    let result = try Binary.run(["test", "--filter", "no such title", "scripts/acceptance"], in: Binary.packageRoot)
    #expect(result.status == 1)
    #expect(result.stdout == "0 passed, 0 failed\n")
    #expect(result.stderr == "runbook: no test's title contains 'no such title'\n")
}

/// `test` warns as `run` does, on standard error, whatever the format: the failure below
/// reads as nonsense without knowing that the two names only look alike.
@Test func testWarnsAboutNamesThatLookAlike() throws {
    let dir = try Scratch()
    try dir.write("c.runbook", "admin adminA\nadmin \u{430}dminA\nas \u{430}dminA connect\nexpect owner adminA\n")
    for format in ["text", "tap"] {
        let result = try Binary.run(["test", "--format", format, "c.runbook"], in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("c.runbook:2:7: warning: \u{430}dminA looks like adminA\n"), "\(format)")
        #expect(!result.stdout.contains("warning"))
    }
}

@Test func failFastSaysHowManyTestsItLeftUnrun() throws {
    let dir = try Scratch()
    try dir.write("a.runbook", "scenario \"one\" { admin a; expect a absent }\nscenario \"two\" { }\n")
    try dir.write("b.runbook", "scenario \"three\" { }\nscenario \"four\" { }\n")
    try dir.write("c.runbook", "admin a\n")
    let text = try Binary.run(["test", "--fail-fast", "."], in: dir.url)
    #expect(text.status == 1 && text.stdout.hasSuffix("\n0 passed, 1 failed, 4 not run after the first failure\n"))
    let tap = try Binary.run(["test", "--fail-fast", "--format", "tap", "."], in: dir.url)
    #expect(
        tap.stdout.contains("\n1..1\nnot ok 1 - a.runbook:1 one\n") && tap.stdout.hasSuffix("Bail out! 4 not run after the first failure\n")
    )
    let json = try Binary.run(["test", "--fail-fast", "--format", "json", "."], in: dir.url)
    #expect(json.stdout.hasSuffix("{\"summary\":{\"passed\":0,\"failed\":1,\"notRun\":4}}\n"))
}

/// A file that does not parse is a failed test in every format, and the exit is 65.
@Test func aFileThatDoesNotParseIsAFailedTestInEveryFormat() throws {
    let dir = try Scratch()
    try dir.write("bad.runbook", "as a conect\n")
    try dir.write("good.runbook", "admin a\n")
    let text = try Binary.run(["test", "bad.runbook", "good.runbook"], in: dir.url)
    #expect(text.status == 65)
    #expect(
        text.stdout == "FAIL bad.runbook did not run: 1 syntax error found before anything ran\nPASS good.runbook\n1 passed, 1 failed\n")
    let json = try Binary.run(["test", "--format", "json", "bad.runbook", "good.runbook"], in: dir.url)
    #expect(json.status == 65 && json.stdout.hasSuffix("{\"summary\":{\"passed\":1,\"failed\":1}}\n"))
    #expect(json.stdout.hasPrefix("{\"file\":\"bad.runbook\",\"status\":\"error\""))
    let tap = try Binary.run(["test", "--format", "tap", "bad.runbook", "good.runbook"], in: dir.url)
    #expect(tap.status == 65 && tap.stdout.hasPrefix("TAP version 13\n1..2\nnot ok 1 - bad.runbook\n"))
    let junit = try Binary.run(["test", "--format", "junit", "bad.runbook", "good.runbook"], in: dir.url)
    let document = try XMLDocument(data: Data(junit.stdout.utf8))
    #expect(try document.nodes(forXPath: "/testsuites[@tests='2'][@errors='1']").count == 1)
    #expect(try document.nodes(forXPath: "//testsuite[@name='bad.runbook']/testcase/error").count == 1)
}

/// Titles and file names with characters XML 1.0 forbids, or that would drive a terminal,
/// still make well-formed XML, TAP whose descriptions read back as written, and JSON.
@Test func hostileTitlesAndFileNamesStayInTheirFormats() throws {
    let dir = try Scratch()
    let file = "e\u{1B}]0;pwned\u{7}.runbook"
    let title = "a\u{FFFF} <&> \\# not a directive #1"
    try dir.write(file, "scenario \"\(title.replacing("\\", with: "\\\\"))\" {\n  admin a\n  expect a absent\n}\n")

    let junit = try Binary.run(["test", "--format", "junit", "."], in: dir.url)
    #expect(junit.status == 1)
    let document = try XMLDocument(data: Data(junit.stdout.utf8))
    let names = try document.nodes(forXPath: "//testcase/@name").compactMap(\.stringValue)
    #expect(names == ["a\\u{FFFF} <&> \\# not a directive #1"])
    let suites = try document.nodes(forXPath: "//testsuite/@name").compactMap(\.stringValue)
    #expect(suites == ["e\\u{1B}]0;pwned\\u{7}.runbook"])

    let tap = try Binary.run(["test", "--format", "tap", "."], in: dir.url)
    let point = try #require(tap.stdout.split(separator: "\n").first { $0.hasPrefix("not ok 1 - ") })
    let (description, directive) = tapDescription(String(point.dropFirst("not ok 1 - ".count)))
    #expect(directive == nil)
    #expect(description == "e\\u{1B}]0;pwned\\u{7}.runbook:1 \(title)")

    let json = try Binary.run(["test", "--format", "json", "."], in: dir.url)
    let first = try #require(json.stdout.split(separator: "\n").first)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    #expect(object["file"] as? String == file && object["title"] as? String == title)

    for output in [junit, tap, json] {
        #expect(!(output.stdout + output.stderr).unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }
}

/// `--format tap` declares TAP version 13, which `prove` reads (it refuses 14, "don't know
/// about versions later than 13"); `--tap-version 14` declares 14 over the same lines.
@Test func tapIsVersion13UnlessAskedFor14() throws {
    let dir = try Scratch()
    try dir.write(
        "a.runbook",
        "admin anna\nuser ben\nscenario \"a \\\\ b # not a directive\" {\n  as anna connect\n}\n"
            + "scenario \"fails\" {\n  expect owner ben\n}\n")
    let tap = try Binary.run(["test", "--format", "tap", "a.runbook"], in: dir.url)
    #expect(tap.status == 1)
    #expect(tap.stdout.hasPrefix("TAP version 13\n1..2\nok 1 - a.runbook:3 a \\\\ b \\# not a directive\nnot ok 2 - "))
    let fourteen = try Binary.run(["test", "--format", "tap", "--tap-version", "14", "a.runbook"], in: dir.url)
    #expect(fourteen.stdout == "TAP version 14" + tap.stdout.dropFirst("TAP version 13".count))
    let other = try Binary.run(["test", "--format", "tap", "--tap-version", "12", "a.runbook"], in: dir.url)
    #expect(other.status == 64 && other.stderr.hasPrefix("Error: TAP version 12 is not written: choose 13 or 14\n"))

    // What `prove` makes of it: two tests, one failed, no parse error, and the `#` of
    // the title escaped so that it is no directive.
    let prove = URL(fileURLWithPath: "/usr/bin/prove")
    guard FileManager.default.isExecutableFile(atPath: prove.path) else { return }
    try dir.write("a.tap", tap.stdout)
    let proved = try Binary.run(program: prove, ["--verbose", "--exec", "cat", "a.tap"], in: dir.url)
    #expect(proved.stdout.contains("a.tap (Wstat: 0 Tests: 2 Failed: 1)\n  Failed test:  2\n"), "\(proved.stdout)")
    #expect(!proved.stdout.contains("Parse errors"), "\(proved.stdout)")
    #expect(!proved.stdout.contains("skip"), "\(proved.stdout)")
}

/// A TAP 14 description as a strict reader takes it: `\\` and `\#` unescaped, and an
/// unescaped `#` ending the description and starting a directive.
func tapDescription(_ text: String) -> (String, directive: String?) {
    var description = ""
    var characters = text.makeIterator()
    while let c = characters.next() {
        if c == "\\", let next = characters.next() {
            description.append(next == "\\" || next == "#" ? next : c)
            if next != "\\" && next != "#" { description.append(next) }
        } else if c == "#" {
            var rest = ""
            while let r = characters.next() { rest.append(r) }
            return (description, rest)
        } else {
            description.append(c)
        }
    }
    return (description, nil)
}

/// `test -` reads standard input; `fmt` takes folders as `test` does, so `fmt --check .`
/// checks a whole tree, hidden folders left out.
@Test func testReadsStandardInputAndFmtTakesFolders() throws {
    let piped = try Binary.run(["test", "-"], stdin: Data("scenario \"piped\" { admin a }\n".utf8))
    #expect(piped.status == 0 && piped.stdout == "PASS <stdin>:1 piped\n1 passed, 0 failed\n", "\(piped.stderr)")

    let dir = try Scratch()
    for folder in ["a/b", ".hidden"] {
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent(folder), withIntermediateDirectories: true)
    }
    try dir.write("a/b/messy.runbook", "admin   anna\n")
    try dir.write("a/tidy.runbook", "admin anna\n")
    try dir.write(".hidden/messy.runbook", "admin   anna\n")
    let check = try Binary.run(["fmt", "--check", "."], in: dir.url)
    #expect(check.status == 1)
    #expect(check.stdout == "a/b/messy.runbook\n")
    let write = try Binary.run(["fmt", "--write", "a"], in: dir.url)
    #expect(write.status == 0 && dir.read("a/b/messy.runbook") == "admin anna\n")
    #expect(try Binary.run(["fmt", "--check", "."], in: dir.url).status == 0)
}

/// `fmt --write` names the files it rewrote, and only those; `fmt --check -` does not
/// suggest `--write`, which cannot rewrite standard input; `--width` sets where names
/// lists break.
@Test func fmtSaysWhatItRewroteAndWhatToDoWithStandardInput() throws {
    let dir = try Scratch()
    try dir.write("messy.runbook", "admin   anna\n")
    try dir.write("tidy.runbook", "admin anna\n")
    let write = try Binary.run(["fmt", "--write", "messy.runbook", "tidy.runbook"], in: dir.url)
    #expect(write.status == 0 && write.stdout == "messy.runbook\n" && write.stderr == "", "\(write.stderr)")
    let input = try Binary.run(["fmt", "--check", "-"], stdin: Data("admin   anna\n".utf8))
    #expect(input.status == 1 && input.stdout == "<stdin>\n")
    #expect(input.stderr == "runbook: standard input is not formatted; 'runbook fmt -' prints it formatted\n")
    let narrow = try Binary.run(["fmt", "--width", "12", "-"], stdin: Data("user a, b, c, d, e\n".utf8))
    #expect(narrow.status == 0 && narrow.stdout == "user a, b,\n    c, d, e\n", "\(narrow.stderr)")
    let zero = try Binary.run(["fmt", "--width", "0", "-"], stdin: Data())
    #expect(zero.status == 64 && zero.stderr.hasPrefix("Error: --width takes a positive number of characters\n"))
}
