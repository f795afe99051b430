import ConnectionCore
import Foundation
import RunbookLanguage
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A rehearsal report read back with a real XML parser: the report is XHTML, so any
/// markup a name or title could smuggle in would make it fail to parse or show up here.
struct Page {
    let root: XMLElement

    init(_ url: URL) throws {
        let document = try XMLDocument(contentsOf: url, options: [])
        root = try #require(document.rootElement())
    }

    /// Every element named `name` (and having `class` among its classes), in document order.
    func all(_ name: String, class wanted: String? = nil, under node: XMLElement? = nil) -> [XMLElement] {
        var found: [XMLElement] = []
        func walk(_ element: XMLElement) {
            if element.localName == name,
                wanted.map({ (attribute("class", of: element) ?? "").split(separator: " ").contains(Substring($0)) })
                    ?? true
            {
                found.append(element)
            }
            for child in element.children ?? [] { if let child = child as? XMLElement { walk(child) } }
        }
        walk(node ?? root)
        return found
    }

    func text(_ element: XMLElement) -> String { element.stringValue ?? "" }

    /// An attribute's value. (`XMLElement.attribute(forName:)` finds none in a document
    /// with a default namespace on Linux; the list of attributes has them all.)
    func attribute(_ name: String, of element: XMLElement) -> String? {
        element.attributes?.first { $0.name == name }?.stringValue
    }

    /// The text nodes directly under `element`, joined: a row header's name without its role.
    func ownText(_ element: XMLElement) -> String {
        (element.children ?? []).filter { $0.kind == .text }.map { $0.stringValue ?? "" }.joined()
    }

    /// Each row of a grid drawn in bands: its cells in every band, one after the other.
    func rows(ofBands bands: [XMLElement]) -> [(name: String, statuses: [String])] {
        let parts = bands.map(rows(of:))
        return parts[0].indices.map { i in
            #expect(parts.allSatisfy { $0[i].name == parts[0][i].name }, "row \(i) is the same member in every band")
            return (parts[0][i].name, parts.flatMap { $0[i].statuses })
        }
    }

    /// Each row of a grid: its header's own text and the status of every column, read
    /// from the cells' titles and spans.
    func rows(of grid: XMLElement) -> [(name: String, statuses: [String])] {
        all("tr", under: grid).compactMap { row in
            guard let header = all("th", under: row).first, attribute("scope", of: header) == "row" else {
                return nil
            }
            let statuses = all("td", under: row).flatMap { cell in
                repeatElement(
                    attribute("title", of: cell) ?? "?",
                    count: Int(attribute("colspan", of: cell) ?? "1")!)
            }
            return (ownText(header), statuses)
        }
    }
}

/// Runs `runbook ARGUMENTS --report report.html` in `dir` and reads the report.
private func report(_ arguments: [String], in dir: Scratch) throws -> (Binary.Result, Page) {
    let result = try Binary.run(arguments + ["--report", "report.html"], in: dir.url, environment: ["SOURCE_DATE_EPOCH": "1764000000"])
    return (result, try Page(dir.url.appendingPathComponent("report.html")))
}

/// `SOURCE_DATE_EPOCH` is an integer, as reproducible-builds.org defines it: `1e3` is not
/// 1000, nor is `1.5` a second and a half, and a year past 9999 is no date. Anything else
/// is refused with a warning, and the report is dated now.
@Test(arguments: ["1e3", "1.5", "16000000000000", " 1000", ""])
func aSourceDateEpochThatIsNoIntegerIsRefused(_ value: String) throws {
    let dir = try Scratch()
    try dir.write("a.runbook", "admin a\n")
    let result = try Binary.run(["run", "a.runbook", "--report", "report.html"], in: dir.url, environment: ["SOURCE_DATE_EPOCH": value])
    #expect(result.status == 0)
    #expect(
        result.stderr
            == "runbook: warning: SOURCE_DATE_EPOCH='\(value)' is not a date: it must be an integer, the seconds since 1970 "
            + "(years 1 to 9999); the report is dated now\n")
    let page = try Page(dir.url.appendingPathComponent("report.html"))
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    #expect(page.all("dd").map(page.text).contains { $0.hasPrefix("\(year)-") }, "\(page.all("dd").map(page.text))")
    let integer = try Binary.run(["run", "a.runbook", "--report", "report.html"], in: dir.url, environment: ["SOURCE_DATE_EPOCH": "1000"])
    #expect(integer.stderr == "")
    let dated = try Page(dir.url.appendingPathComponent("report.html"))
    #expect(dated.all("dd").map(dated.text).contains("1970-01-01T00:16:40Z"))
}

@Test func theHandoffReportShowsEveryMemberAfterEveryStep() throws {
    let dir = try Scratch()
    try dir.write(
        "handoff.runbook",
        String(decoding: try Data(contentsOf: Binary.packageRoot.appendingPathComponent("scripts/examples/handoff.runbook")), as: UTF8.self)
    )
    let (result, page) = try report(["run", "handoff.runbook"], in: dir)
    #expect(result.status == 0)
    #expect(page.all("p", class: "result").map(page.text) == ["passed: 14 statements ran, 6 expectations held"])
    #expect(page.all("dd").map(page.text).contains("2025-11-24T16:00:00Z"))
    let grid = try #require(page.all("table", class: "grid").first)
    let steps = page.all("th", class: "step", under: grid)
    #expect(steps.map { page.text(page.all("span", class: "line", under: $0)[0]) } == [4, 5, 8, 9, 15, 18, 23, 27].map { "line \($0)" })
    #expect(
        steps.map { page.text(page.all("code", under: $0)[0]) } == [
            "admin adminA, adminB", "user bob, carol", "as adminA connect", "as adminA grant adminB, bob, carol",
            "as adminA revoke adminB", "as adminB connect", "as adminA disconnect", "as adminB remove adminA",
        ])
    #expect(page.all("th", class: "stop").isEmpty)
    let rows = page.rows(of: grid)
    #expect(rows.map(\.name) == ["adminA", "adminB", "bob", "carol"])
    let (absent, none, owner, admin, access) = ("absent", "no access", "owner", "admin connection", "connected through access")
    // Before the first step, then after each of the eight.
    #expect(rows[0].statuses == [absent, none, none, owner, owner, owner, admin, none, absent])
    #expect(rows[1].statuses == [absent, none, none, none, access, none, owner, owner, owner])
    #expect(rows[2].statuses == [absent, absent, none, none, access, access, access, access, access])
    #expect(rows[3].statuses == rows[2].statuses)
    #expect(
        page.all("p", class: "verdict-line").map(page.text) == [
            "no member was stranded at any step: nobody lost Marketo access"
        ])
    // Self-contained: no scripts, no links to anything outside.
    #expect(page.all("script").isEmpty && page.all("link").isEmpty && page.all("img").isEmpty)
}

@Test func theRefusedReportMarksTheStepThatStoppedTheRun() throws {
    let dir = try Scratch()
    let path = Binary.packageRoot.appendingPathComponent("scripts/examples/refused.runbook").path
    let (result, page) = try report(["run", path], in: dir)
    #expect(result.status == 1)
    #expect(page.all("p", class: "result").map(page.text) == ["stopped at \(path):13:1 by the rule disconnect-strands-users"])
    let stop = try #require(page.all("th", class: "stop").first)
    #expect(page.text(stop) == "line 13as adminA disconnectstopped here")
    let grid = try #require(page.all("table", class: "grid").first)
    let rows = page.rows(of: grid)
    #expect(rows.map(\.name) == ["adminA", "adminB", "bob", "carol"])
    // The refused step changed nothing: bob and carol are still connected in its column.
    #expect(rows.map { $0.statuses.last! } == ["owner", "no access", "connected through access", "connected through access"])
    #expect(page.all("td", class: "at-stop").count == 4)
    // The refused statement did not run: five did, before it.
    #expect(
        page.all("p", class: "counts").map(page.text) == [
            "5 statements ran before the one that stopped the run: the 5 that changed a status are the columns; "
                + "the step that stopped the run is the last column"
        ])
    let box = try #require(page.all("div", class: "stopbox").first)
    #expect(
        page.text(page.all("pre", under: box)[0]).contains(
            "violation: the product would let adminA disconnect, and bob and carol would lose Marketo access"))
    #expect(page.all("p", class: "hint", under: box).map(page.text) == ["hint: connect another admin first: as adminB connect"])
    let rule = RuleID.disconnectStrandsUsers.rule
    #expect(page.all("code", under: box).map(page.text) == ["disconnect-strands-users"])
    let seed = try #require(page.all("blockquote", under: box).first)
    #expect(page.text(seed) == rule.seedQuote && page.attribute("lang", of: seed) == "sv")
    #expect(page.all("p", class: "reading", under: box).map(page.text) == [rule.reading])
}

@Test func hostileNamesAndTitlesStayText() throws {
    let dir = try Scratch()
    let hostile = "<script>alert(1)</script>"
    try dir.write(
        "hostile.runbook",
        """
        admin "\(hostile)", "a&b"
        user "x\\" onload=\\"y", "]]><evil/>"
        as "\(hostile)" connect
        as "\(hostile)" grant "x\\" onload=\\"y", "]]><evil/>", "a&b"
        scenario "<img src=x onerror=alert(1)> & more" {
          as "a&b" connect
        }

        """)
    let (result, page) = try report(["test", "hostile.runbook"], in: dir)
    #expect(result.status == 1)
    for tag in ["script", "img", "evil"] { #expect(page.all(tag).isEmpty, "a \(tag) element") }
    func all(_ element: XMLElement) -> [XMLElement] {
        [element] + (element.children ?? []).compactMap { $0 as? XMLElement }.flatMap(all)
    }
    #expect(!all(page.root).contains { page.attribute("onload", of: $0) != nil || page.attribute("onerror", of: $0) != nil })
    let names = page.all("table", class: "grid").flatMap { page.rows(of: $0).map(\.name) }
    #expect(names.contains("\"\(hostile)\"") && names.contains("\"a&b\"") && names.contains("\"x\\\" onload=\\\"y\""))
    #expect(names.contains("\"]]><evil/>\""))
    #expect(page.all("code").map(page.text).contains("as \"\(hostile)\" connect"))
    #expect(page.all("summary").map(page.text).contains { $0.contains("<img src=x onerror=alert(1)> & more") })
}

@Test func aReportIsWrittenWhateverTheOutcome() throws {
    let dir = try Scratch()
    try dir.write("broken.runbook", "admin anna\nas anna conect\nas anna connect\nas anna grant\n")
    let (result, page) = try report(["run", "broken.runbook"], in: dir)
    #expect(result.status == 65)
    #expect(page.all("p", class: "result").map(page.text) == ["did not run: 2 syntax errors found before anything ran"])
    let pre = page.all("pre").map(page.text).joined()
    #expect(pre.contains("broken.runbook:2:9: error: expected a verb after 'as anna', found 'conect'"))
    #expect(page.all("table", class: "grid").isEmpty)
}

/// The SHA-256 digest `sha256sum` computes for a file.
private func sha256sum(_ url: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [url.path]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(64))
}

@Test func theStateFileIsCitedByItsDigestBeforeAndAfter() throws {
    let dir = try Scratch()
    try dir.write("setup.runbook", setupRunbook)
    try dir.write("handoff.runbook", handoffRunbook)
    try dir.write("bad.runbook", "as ben disconnect\n")
    let state = dir.url.appendingPathComponent("s.json")
    func facts(_ page: Page) -> [String: String] {
        let terms = page.all("dt").map(page.text)
        return Dictionary(uniqueKeysWithValues: zip(terms, page.all("dd").map(page.text)))
    }

    var (result, page) = try report(["run", "--state", "s.json", "--commit", "setup.runbook"], in: dir)
    #expect(result.status == 0)
    #expect(facts(page)["before"] == "no file yet: the run started from an empty instance")
    #expect(facts(page)["after"] == "committed: sha256 \(try sha256sum(state))")

    let before = try sha256sum(state)
    (result, page) = try report(["run", "--state", "s.json", "--commit", "bad.runbook"], in: dir)
    #expect(result.status == 1)
    #expect(facts(page)["before"] == "sha256 \(before)")
    #expect(facts(page)["after"] == "unchanged: the run did not pass, so nothing was committed")
    #expect(try sha256sum(state) == before)

    (result, page) = try report(["run", "--state", "s.json", "handoff.runbook"], in: dir)
    #expect(facts(page)["after"] == "unchanged: the run was not asked to commit (--commit)")

    (result, page) = try report(["run", "--state", "s.json", "--commit", "handoff.runbook"], in: dir)
    #expect(result.status == 0)
    #expect(facts(page)["before"] == "sha256 \(before)")
    let after = try sha256sum(state)
    #expect(after != before && facts(page)["after"] == "committed: sha256 \(after)")
    #expect(facts(page)["state file"] == "s.json")
}

@Test func aRunThatCannotWriteItsReportDoesNotCommit() throws {
    let dir = try Scratch()
    try dir.write("setup.runbook", setupRunbook)
    let result = try Binary.run(
        ["run", "--quiet", "--state", "s.json", "--commit", "setup.runbook", "--report", "missing/report.html"], in: dir.url)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("runbook: missing/report.html: cannot write: cannot create a temporary file in missing"))
    #expect(dir.read("s.json") == nil)
}

@Test func theTestReportHasASectionPerScenarioWithPassedOnesFolded() throws {
    let dir = try Scratch()
    let suite = Binary.packageRoot.appendingPathComponent("Tests/RunbookCLITests/golden/support/suite").path
    let (result, page) = try report(["test", suite], in: dir)
    #expect(result.status == 65)
    #expect(page.all("p", class: "result").map(page.text) == ["3 passed, 4 failed; did not run: 1 syntax error found before anything ran"])
    // The header names every failure, each a link to where the report shows it.
    let failures = try #require(page.all("p", class: "failures").first)
    #expect(
        page.text(failures)
            == "failed: "
            + [
                "fails on a violation (\(suite)/fail.runbook:4)", "fails on an expectation (\(suite)/fail.runbook:8)",
                "cannot run: the background stopped (\(suite)/nested/background-fails.runbook:3)",
                "\(suite)/nested/broken.runbook (did not parse)",
            ].joined(separator: ", "))
    let ids = Set(
        page.all("details").compactMap { page.attribute("id", of: $0) } + page.all("div").compactMap { page.attribute("id", of: $0) })
    for link in page.all("a", under: failures) {
        #expect(ids.contains(String(page.attribute("href", of: link)!.dropFirst())))
    }
    let sections = page.all("details", class: "section")
    let summaries = sections.map { page.text(page.all("summary", under: $0)[0]) }
    let open = sections.map { page.attribute("open", of: $0) != nil }
    let expected: [(String, Bool)] = [
        ("background", false), ("FAILfails on a violation\(suite)/fail.runbook:4", true),
        ("FAILfails on an expectation\(suite)/fail.runbook:8", true), ("PASSpasses\(suite)/fail.runbook:12", false),
        ("STOPbackground", true), ("FAILcannot run: the background stopped\(suite)/nested/background-fails.runbook:3", false),
        ("background", false), ("PASShandoff keeps carl connected\(suite)/pass.runbook:6", false),
        ("PASShandoff with a title <&> \"quotes\"\(suite)/pass.runbook:12", false),
    ]
    #expect(summaries == expected.map(\.0))
    #expect(open == expected.map(\.1))
    #expect(page.all("p").map(page.text).contains("not run: the background stopped at \(suite)/nested/background-fails.runbook:2:1"))
    #expect(page.all("pre").map(page.text).contains { $0.contains("broken.runbook:3:11: error: expected a verb after 'as anna'") })
    // A scenario's grid starts from the state its background left.
    let firstScenarioGrid = try #require(page.all("table", class: "grid", under: sections[1]).first)
    #expect(page.text(page.all("th", class: "start", under: firstScenarioGrid)[0]) == "after the background")
}

@Test func coverageOfTheAcceptanceSuite() throws {
    let text = try Binary.run(["test", "scripts/acceptance", "--coverage"], in: Binary.packageRoot)
    #expect(text.status == 0)
    let lines = text.stdout.split(separator: "\n").map(String.init)
    #expect(lines.last == "29 passed, 0 failed")
    #expect(lines.contains("coverage: 12 of 13 rules triggered"))
    #expect(lines.contains("rule                            kind     triggered in  checked and let through"))
    #expect(lines.contains("disconnect-strands-users        hazard   3 scenarios   9 actions"))
    // duplicate-member refuses declarations, which `expect violation` cannot wrap.
    #expect(lines.contains("never triggered: duplicate-member"))

    let json = try Binary.run(["test", "scripts/acceptance", "--coverage", "--format", "json"], in: Binary.packageRoot)
    let objects = try json.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) }
    let coverage = objects.compactMap { ($0 as? [String: Any])?["coverage"] as? [String: Any] }.first ?? [:]
    let rules = coverage["rules"] as? [[String: Any]] ?? []
    #expect(rules.map { $0["rule"] as? String } == RuleID.allCases.map(\.rawValue))
    for rule in rules {
        #expect((rule["checked"] as? Int ?? 0) > 0, "\(rule)")
        #expect((rule["scenarios"] as? Int ?? 0) > 0 || rule["rule"] as? String == "duplicate-member", "\(rule)")
    }
    #expect(coverage["neverTriggered"] as? [String] == ["duplicate-member"])

    let dir = try Scratch()
    let (result, page) = try report(["test", Binary.packageRoot.appendingPathComponent("scripts/acceptance").path, "--coverage"], in: dir)
    #expect(result.status == 0)
    let table = try #require(page.all("table", class: "coverage").first)
    #expect(page.all("tr", under: table).count == RuleID.allCases.count + 1)
    #expect(page.all("tr", class: "never", under: table).map { page.text(page.all("td", under: $0)[0]) } == ["duplicate-member"])

    let junit = try Binary.run(["test", "scripts/acceptance", "--coverage", "--format", "junit"], in: Binary.packageRoot)
    #expect(junit.status == 64)
}

/// A long run: the grid shows the last steps and counts the others, and stays small.
@Test func aLongRunsReportShowsTheLastStepsAndCountsTheOthers() throws {
    let dir = try Scratch()
    var text = "admin boss\nuser " + (0..<500).map { "u\($0)" }.joined(separator: ", ") + "\nas boss connect\n"
    for round in 0..<6 {
        for u in 0..<500 {
            text += "as boss \(round % 2 == 0 ? "grant" : "revoke") u\(u)\nexpect u\(u) \(round % 2 == 0 ? "connected" : "not connected")\n"
        }
    }
    try dir.write("long.runbook", text)
    let (result, page) = try report(["run", "--quiet", "long.runbook"], in: dir)
    #expect(result.status == 0)
    // 64 steps, in 8 bands of 8, one under the other.
    let bands = page.all("table", class: "grid")
    #expect(bands.count == 8)
    #expect(page.text(page.all("caption", under: bands[1])[0]) == "steps 9 to 16 of 64")
    let steps = bands.flatMap { page.all("th", class: "step", under: $0) }
    #expect(steps.count == 64)
    #expect(page.text(page.all("span", class: "line", under: steps.last!)[0]) == "line 6,002")
    #expect(page.text(page.all("th", class: "start", under: bands[0])[0]) == "after line 5,874")
    #expect(
        page.all("p", class: "counts").map(page.text) == [
            "6,003 statements ran: 3,003 changed a status; the grid shows the last 64 of them; 3,000 changed nothing (expectations that held, and show)"
        ])
    // The 64 users revoked in the steps shown have rows in every band; the other 436 are folded.
    let rows = page.rows(ofBands: bands)
    #expect(rows.map(\.name) == ["boss"] + (436..<500).map { "u\($0)" } + ["436 users: no access throughout"])
    #expect(rows[0].statuses == Array(repeating: "owner", count: 65))
    #expect(rows[1].statuses == ["connected through access"] + Array(repeating: "no access", count: 64))
    #expect(rows[64].statuses == Array(repeating: "connected through access", count: 64) + ["no access"])
    let size = try FileManager.default.attributesOfItem(atPath: dir.url.appendingPathComponent("report.html").path)[.size] as! Int
    #expect(size < 400_000)
}

/// `test` on a file without scenarios: one test, with its verdict, named after the file.
@Test func aFileWithoutScenariosIsOneTestWithAVerdict() throws {
    let dir = try Scratch()
    let examples = Binary.packageRoot.appendingPathComponent("scripts/examples")
    let (result, page) = try report(["test", examples.appendingPathComponent("refused.runbook").path], in: dir)
    #expect(result.status == 1)
    let summaries = page.all("summary").map(page.text)
    #expect(summaries == ["FAIL" + examples.appendingPathComponent("refused.runbook").path])
    #expect(page.text(page.all("p", class: "failures")[0]) == "failed: " + examples.appendingPathComponent("refused.runbook").path)
}

/// A report is never written over an input of its run: the runbook, or the state file a
/// commit would then write over the report.
@Test func aReportDoesNotReplaceAnInput() throws {
    let dir = try Scratch()
    try dir.write("s.json", #"{"format": "runbook-state", "version": 1, "members": [{"name": "a", "role": "admin"}]}"#)
    try dir.write("r.runbook", "as a connect\n")
    // The same file under another name: a link to the runbook.
    try FileManager.default.createSymbolicLink(atPath: dir.url.appendingPathComponent("link.html").path, withDestinationPath: "r.runbook")
    for arguments in [
        ["run", "--state", "s.json", "--commit", "r.runbook", "--report", "s.json"], ["run", "r.runbook", "--report", "./r.runbook"],
        ["test", ".", "--report", "r.runbook"], ["run", "r.runbook", "--report", "link.html"],
    ] {
        let result = try Binary.run(arguments, in: dir.url)
        #expect(result.status == 64, "\(arguments)")
        #expect(result.stderr.contains("would replace"), "\(arguments)")
    }
    #expect(dir.read("r.runbook") == "as a connect\n")
    #expect(dir.read("s.json")?.contains("\"connections\"") == false)
}

/// A run with a step performed anyway: who was stranded at which step, in the grid and in
/// the line above it, which is computed rather than written.
@Test func anIncidentReportShowsWhoWasStrandedAtWhichStep() throws {
    let dir = try Scratch()
    let path = Binary.packageRoot.appendingPathComponent("scripts/examples/incident.runbook").path
    let (result, page) = try report(["run", path], in: dir)
    #expect(result.status == 0)
    let verdict = page.all("p", class: "verdict-line")
    #expect(verdict.map(page.text) == ["2 members stranded: lost Marketo access when the integration stopped under them"])
    #expect(verdict.map { page.attribute("class", of: $0) } == ["verdict-line bad"])
    let grid = try #require(page.all("table", class: "grid").first)
    let steps = page.all("th", class: "step", under: grid)
    #expect(steps.map { page.text(page.all("span", class: "line", under: $0)[0]) } == [6, 7, 8, 9, 11, 16, 18].map { "line \($0)" })
    let rows = page.rows(of: grid)
    #expect(rows.map(\.name) == ["adminA", "adminB", "bob", "carol"])
    let (absent, none, access, stranded) = ("absent", "no access", "connected through access", "stranded")
    // Before the first step, then after each: stranded at line 11 until granted at line 18.
    #expect(rows[2].statuses == [absent, absent, none, none, access, stranded, stranded, access])
    #expect(rows[3].statuses == rows[2].statuses)
    // The warning of the step performed anyway, with the way back.
    let warning = try #require(page.all("div", class: "warnbox").first)
    #expect(page.text(page.all("h3", under: warning)[0]) == "line 11: performed anyway")
    #expect(
        page.text(page.all("pre", under: warning)[0]).hasPrefix(
            "\(path):11:1: warning: adminA disconnected anyway: bob and carol lost Marketo access and are stranded [disconnect-strands-users]"
        ))
    #expect(
        page.all("p", class: "hint", under: warning).map(page.text) == [
            "hint: the way back: as adminB connect, then as adminB grant bob, carol"
        ])
    // No procedure, and why not.
    let procedure = try #require(page.all("section", class: "procedure").first)
    #expect(page.all("input", under: procedure).isEmpty)
    let why = page.all("p", under: procedure).map(page.text)
    #expect(why.count == 1 && why[0].hasPrefix("\(path):11:1 performs a step anyway (as adminA disconnect anyway)"))
}

/// A declaration of many names heads its column with the first few and how many more: the
/// rows name every member, and a header stays a few lines tall.
@Test func aLongStatementHeadsItsColumnWithAFewNames() throws {
    let dir = try Scratch()
    let users = (0..<40).map { "rep\($0)@example.com" }
    try dir.write(
        "team.runbook",
        "admin ops\nuser \(users.joined(separator: ", "))\nas ops connect\nas ops grant rep1@example.com, rep2@example.com, rep3@example.com, rep4@example.com, rep5@example.com\nas ops grant \(users[6...].joined(separator: ", "))\n"
    )
    let (result, page) = try report(["run", "team.runbook"], in: dir)
    #expect(result.status == 0)
    let grid = try #require(page.all("table", class: "grid").last)
    let steps = page.all("th", class: "step", under: grid).map { step in
        page.all("code", under: step).map(page.text) + page.all("span", class: "more", under: step).map(page.text)
    }
    #expect(
        steps.suffix(4) == [
            ["user rep0@example.com, rep1@example.com, rep2@example.com, rep3@example.com, …", "and 36 more"],
            ["as ops connect"],
            ["as ops grant rep1@example.com, rep2@example.com, rep3@example.com, rep4@example.com, rep5@example.com"],
            ["as ops grant rep6@example.com, rep7@example.com, rep8@example.com, rep9@example.com, …", "and 30 more"],
        ])
}

@Test func aReportOfARunThatPassedCarriesItsProcedureAsAChecklist() throws {
    let dir = try Scratch()
    let path = Binary.packageRoot.appendingPathComponent("scripts/examples/handoff.runbook").path
    let (result, page) = try report(["run", "--quiet", path], in: dir)
    #expect(result.status == 0)
    let procedure = try #require(page.all("section", class: "procedure").first)
    // A real checkbox for every '- [ ]' line of the procedure the command prints.
    let markdown = try Binary.run(["procedure", path]).stdout
    let boxes = page.all("input", under: procedure)
    #expect(boxes.count == markdown.components(separatedBy: "\n- [ ] ").count - 1 && boxes.count == 18)
    #expect(boxes.allSatisfy { page.attribute("type", of: $0) == "checkbox" })
    // Each section is a part the print stylesheet keeps on one page.
    let parts = page.all("div", class: "part", under: procedure)
    #expect(
        parts.map { page.text(page.all("h3", under: $0)[0]) } == [
            "Before you start", "1. adminA, the connected admin", "2. adminB, the new admin",
            "3. adminA, the originally connected admin", "4. adminB, the connected admin", "After",
        ])
    #expect(
        page.all("li", under: parts[2]).map(page.text) == [
            " Click the gear icon and choose Settings.", " Click Marketo.", " Click Connect.",
            "Check: the integration is tied to adminB: on the Marketo page, adminB sees Disconnect.",
        ])
    #expect(
        page.all("b", under: parts[2]).map(page.text) == [
            "Disconnect", "Connect", "Settings", "Marketo", "Connect", "Check", "Marketo", "Disconnect",
        ])
    let change = try #require(page.all("table", class: "change", under: procedure).first)
    #expect(page.all("tr", under: change).map(page.text).last == "RemovedadminA")
}

@Test func aReportOfARunThatStoppedHasNoProcedure() throws {
    let dir = try Scratch()
    let path = Binary.packageRoot.appendingPathComponent("scripts/examples/refused.runbook").path
    let (result, page) = try report(["run", path], in: dir)
    #expect(result.status == 1)
    #expect(page.all("section", class: "procedure").isEmpty && page.all("input").isEmpty)
}

@Test func namesInTheReportsProcedureStayText() throws {
    let dir = try Scratch()
    try dir.write(
        "names.runbook", "admin boss, \"**x**\"\nuser \"[a](b)\"\nas boss connect\nexpect owner boss\nas boss grant \"**x**\", \"[a](b)\"\n"
    )
    let (result, page) = try report(["run", "--quiet", "names.runbook"], in: dir)
    #expect(result.status == 0)
    let procedure = try #require(page.all("section", class: "procedure").first)
    let items = page.all("li", under: procedure).map(page.text)
    #expect(items.contains(" Search for \"**x**\".") && items.contains(" Give \"[a](b)\" access."))
    #expect(!page.all("b", under: procedure).map(page.text).contains("x") && page.all("a", under: procedure).isEmpty)
}

@Test func aReportOfALongRunSaysWhereItsProcedureIs() throws {
    let dir = try Scratch()
    let steps = String(repeating: "as anna grant bob\nas anna revoke bob\n", count: 251)
    try dir.write("long.runbook", "admin anna\nuser bob\nas anna connect\nexpect owner anna\n" + steps)
    let (result, page) = try report(["run", "--quiet", "long.runbook"], in: dir)
    #expect(result.status == 0)
    let procedure = try #require(page.all("section", class: "procedure").first)
    #expect(page.all("input", under: procedure).isEmpty)
    #expect(
        page.all("p", under: procedure).map(page.text) == [
            "The procedure of this run has more than 500 actions, too many to print here: "
                + "runbook procedure, with the files and state file of this run, writes it whole."
        ])
}

/// A run that starts after an incident says so above the grid, rather than that all is well.
@Test func aRunFromAnIncidentSaysWhoWasStrandedBeforeIt() throws {
    let dir = try Scratch()
    let state = Binary.packageRoot.appendingPathComponent("scripts/examples/incident.json").path
    try dir.write("back.runbook", "as adminB connect\nas adminB grant bob\n")
    let (result, page) = try report(["run", "--quiet", "--state", state, "back.runbook"], in: dir)
    #expect(result.status == 0)
    let verdict = page.all("p", class: "verdict-line")
    #expect(
        verdict.map(page.text) == [
            "no step stranded anyone; 2 members had lost Marketo access before the first step, and 1 still is after the last"
        ])
    #expect(verdict.map { page.attribute("class", of: $0) } == ["verdict-line bad"])
}
