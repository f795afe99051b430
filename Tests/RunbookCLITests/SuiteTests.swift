import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The shared conformance cases, when the shared folder sits beside the package.
@Test func conformanceCases() throws {
    let script = Binary.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/run.sh")
    guard FileManager.default.fileExists(atPath: script.path) else {
        print("conformance cases not found at \(script.path); skipped")
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
