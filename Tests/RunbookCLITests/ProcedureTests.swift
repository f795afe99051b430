import Foundation
import Testing

/// `runbook procedure`: the documented handoff's procedure, held whole in both languages,
/// and the pipeline from a plan.
struct ProcedureFiles {
    static let folder = Golden.folder.appendingPathComponent("procedure")

    /// Runs `runbook procedure` on the example handoff in `language` and compares standard
    /// output with `handoff.LANGUAGE.md`; `RUNBOOK_RECORD=1` rewrites the file.
    static func check(_ language: String) throws -> String {
        let result = try Binary.run(
            ["procedure", "--lang", language, "scripts/examples/handoff.runbook"], in: Binary.packageRoot)
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
        let file = folder.appendingPathComponent("handoff.\(language).md")
        if ProcessInfo.processInfo.environment["RUNBOOK_RECORD"] == "1" {
            try Data(result.stdout.utf8).write(to: file)
        } else {
            #expect(result.stdout == (try String(contentsOf: file, encoding: .utf8)), "record with RUNBOOK_RECORD=1")
        }
        return result.stdout
    }

    /// The headings of the numbered sections, and the page sections the actions cite.
    static func sections(_ markdown: String) -> [String] {
        markdown.split(separator: "\n").filter { $0.hasPrefix("## ") && $0.dropFirst(3).first!.isNumber }.map(String.init)
    }

    /// The lines that end with a checkbox click on a bold label: the clicks, in order.
    static func clicks(_ markdown: String) -> [String] {
        markdown.split(separator: "\n").filter { $0.hasPrefix("- [ ] Click") || $0.hasPrefix("- [ ] Klicka") }.map(String.init)
    }
}

@Test func theHandoffsProcedureInEnglishHasThePagesSectionsInOrder() throws {
    let markdown = try ProcedureFiles.check("en")
    #expect(
        ProcedureFiles.sections(markdown) == [
            "## 1. adminA, the connected admin", "## 2. adminB, the new admin", "## 3. adminA, the originally connected admin",
            "## 4. adminB, the connected admin",
        ])
    let cited = [
        "Remove Marketo Access from Admin B", "Create a new connection for admin B", "Disconnect the Marketo integration for admin A",
    ]
    let offsets = cited.map { markdown.range(of: "*\($0)*")!.lowerBound }
    #expect(offsets == offsets.sorted())
    // The new admin clicks Connect where the page's list says Disconnect by mistake.
    let clicks = ProcedureFiles.clicks(markdown)
    #expect(clicks.filter { $0.contains("**Connect**") }.count == 1)
    #expect(clicks.filter { $0.contains("**Disconnect**") }.count == 1)
    #expect(clicks.firstIndex { $0.contains("**Connect**") }! < clicks.firstIndex { $0.contains("**Disconnect**") }!)
    #expect(markdown.contains("| Removed |  | adminA |"))
}

@Test func theHandoffsProcedureInSwedishUsesThePagesLabels() throws {
    let markdown = try ProcedureFiles.check("sv")
    #expect(
        ProcedureFiles.sections(markdown) == [
            "## 1. adminA, den för närvarande anslutna administratören", "## 2. adminB, den nya administratören",
            "## 3. adminA, den ursprungligen anslutna administratören", "## 4. adminB, den för närvarande anslutna administratören",
        ])
    for label in ["*kugghjulsikonen*", "**Inställningar**", "**Marketo**", "**Användaråtkomst**", "**Anslut**", "**Koppla från**"] {
        #expect(markdown.contains(label), "\(label)")
    }
    for english in ["Settings", "User Access", "gear icon", "Click", "Check"] { #expect(!markdown.contains(english), "\(english)") }
    let clicks = ProcedureFiles.clicks(markdown)
    #expect(clicks.firstIndex { $0.contains("**Anslut**") }! < clicks.firstIndex { $0.contains("**Koppla från**") }!)
}

@Test func aPlanPipedIntoProcedureIsTheProcedureThatReachesTheGoals() throws {
    let state = "Tests/RunbookCLITests/golden/support/handoff.json"
    let result = try Binary.run(
        program: URL(fileURLWithPath: "/bin/sh"),
        [
            "-c", "\"$0\" plan --state \"$1\" 'owner adminB' 'adminA absent' | \"$0\" procedure --state \"$1\" -",
            Binary.url.path, state,
        ], in: Binary.packageRoot)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
        ProcedureFiles.sections(result.stdout) == [
            "## 1. adminA, the connected admin", "## 2. adminB, the new admin", "## 3. adminA, the originally connected admin",
            "## 4. adminB, the connected admin",
        ])
    // The plan's closing expectations are the last checks.
    #expect(result.stdout.contains("- [ ] **Check**: adminA is not a member of the Sales Connect/Actions instance.\n"))
    #expect(result.stdout.contains("In short: owner adminB (was adminA); adminA removed; bob, carol keep access."))
}

@Test func aFileNameReachesTheProcedureEscaped() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-procedure-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let name = "a\u{1B}[31m*b*.runbook"
    try Data("admin anna\nas anna connect\n".utf8).write(to: folder.appendingPathComponent(name))
    let result = try Binary.run(["procedure", name], in: folder)
    #expect(result.status == 0)
    #expect(!result.stdout.contains("\u{1B}"))
    #expect(result.stdout.hasPrefix("# Procedure: a\\\\u{1B}\\[31m\\*b\\*.runbook\n"))
}

@Test func theReplsProcedureHasTheStepsSinceLoadThatWereNotUndone() throws {
    let folder = Golden.folder
    let steps = "as adminA revoke adminB\nas adminB connect\nas adminA disconnect\n"
    let repl = try Binary.run(
        ["repl"],
        in: folder,
        stdin: Data(("admin zed\n:load support/handoff.json\nas adminA revoke bob\n:undo\n" + steps + ":procedure sv\n").utf8))
    #expect(repl.status == 0, "\(repl.stderr)")
    let procedure = try #require(repl.stdout.range(of: "# Arbetsgång: ")).lowerBound
    let command = try Binary.run(
        ["procedure", "--lang", "sv", "--state", "support/handoff.json", "-"], in: folder, stdin: Data(steps.utf8))
    #expect(command.status == 0, "\(command.stderr)")
    // The same procedure but for its title: the session's, the file's.
    func body(_ text: Substring) -> Substring { text.drop { $0 != "\n" } }
    #expect(body(repl.stdout[procedure...]) == body(command.stdout[...]))
    #expect(!repl.stdout[procedure...].contains("zed") && !repl.stdout[procedure...].contains("Sök efter bob"))
}
