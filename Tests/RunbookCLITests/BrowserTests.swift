import Foundation
import Testing

/// Runs a program (found on the `PATH`) to its end, with a time limit; its standard output.
@discardableResult
private func execute(_ arguments: [String]) throws -> (status: Int32, stdout: Data) {
    let result = try Binary.run(program: URL(fileURLWithPath: "/usr/bin/env"), arguments, timeout: 120)
    return (result.status, Data(result.stdout.utf8))
}

/// What `scripts/report/inspect.py` reads in a browser's output.
private func inspect(_ what: String, _ url: URL, _ options: String...) throws -> [String: Any] {
    let script = Binary.packageRoot.appendingPathComponent("scripts/report/inspect.py").path
    let (status, data) = try execute(["python3", script, what, url.path] + options)
    #expect(status == 0, "inspect.py \(what) \(url.path)")
    return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
}

/// Debian's `chromium`, or `nil` when it is not installed; CI installs it.
private let chromium: String? = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// The reports of the examples in a real browser: headless Chromium renders them as a page,
/// a screenshot and A4 landscape pages. The DOM it holds has every member's status after
/// every step, the screenshot shows the statuses' colours, and the pages are landscape.
@Test(arguments: ["handoff", "refused"])
func theExampleReportsInARealBrowser(example: String) throws {
    guard let chromium else {
        // Under CI a missing browser is a failure, not a skip.
        #expect(ProcessInfo.processInfo.environment["CI"] != "true", "chromium is not installed")
        print("chromium is not installed; the browser test is skipped")
        return
    }
    let dir = try Scratch()
    let report = dir.url.appendingPathComponent("\(example).html")
    let run = try Binary.run(["run", "--quiet", "scripts/examples/\(example).runbook", "--report", report.path], in: Binary.packageRoot)
    #expect(run.status == (example == "handoff" ? 0 : 1))

    let browser = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
        "--user-data-dir=\(dir.url.appendingPathComponent("profile").path)", "--window-size=1280,1000",
    ]
    let (status, dumped) = try execute(browser + ["--dump-dom", report.absoluteString])
    #expect(status == 0)
    let domFile = dir.url.appendingPathComponent("dom.html")
    try dumped.write(to: domFile)
    let shot = dir.url.appendingPathComponent("shot.png")
    try execute(browser + ["--screenshot=\(shot.path)", report.absoluteString])
    let pages = dir.url.appendingPathComponent("pages.pdf")
    try execute(browser + ["--no-pdf-header-footer", "--print-to-pdf=\(pages.path)", report.absoluteString])

    // The DOM: steps, members and their statuses, as a reader sees them.
    let dom = try inspect("dom", domFile)
    let steps = (dom["steps"] as? [[String: Any]] ?? []).map { "\($0["line"]!): \($0["statement"]!)" }
    let rows = (dom["rows"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0["statuses"] as? [String] ?? []) }
    let stops = (dom["steps"] as? [[String: Any]] ?? []).filter { $0["stops"] as? Bool == true }.count
    #expect(rows.map(\.0) == ["adminA", "adminB", "bob", "carol"])
    if example == "handoff" {
        #expect(dom["result"] as? String == "passed: 14 statements ran, 6 expectations held")
        #expect(steps.count == 8 && steps[5] == "line 18: as adminB connect")
        #expect(
            rows[1].1 == ["absent"] + Array(repeating: "no access", count: 3) + ["connected through access", "no access"]
                + Array(repeating: "owner", count: 3))
        #expect(rows[2].1.last == "connected through access" && stops == 0)
        // The procedure, as a checklist of real checkboxes, a part per section.
        let procedure = dom["procedure"] as? [String: Any] ?? [:]
        #expect(procedure["checkboxes"] as? Int == 18)
        #expect(
            procedure["parts"] as? [String] == [
                "Before you start", "1. adminA, the connected admin", "2. adminB, the new admin",
                "3. adminA, the originally connected admin", "4. adminB, the connected admin", "After",
            ])
    } else {
        #expect(dom["result"] as? String == "stopped at scripts/examples/refused.runbook:13:1 by the rule disconnect-strands-users")
        #expect(steps.last == "line 13: as adminA disconnect" && stops == 1)
        #expect(rows.map { $0.1.last! } == ["owner", "no access", "connected through access", "connected through access"])
        let stopbox = dom["stopbox"] as? String ?? ""
        #expect(stopbox.contains("[disconnect-strands-users]") && stopbox.contains("hint: connect another admin first"))
        #expect(stopbox.contains("De andra användarna är anslutna så länge som användare B är ansluten"))
        #expect((dom["procedure"] as? [String: Any])?["checkboxes"] as? Int == 0, "a run that stopped has no procedure")
    }

    // The screenshot is not blank: the grid's colours are on it.
    let png = try inspect("png", shot)
    #expect(png["width"] as? Int == 1280 && png["height"] as? Int == 1000)
    #expect((png["colours"] as? Int ?? 0) > 100)
    #expect((png["inked"] as? Double ?? 0) > 0.1)
    let has = png["has"] as? [String: Bool] ?? [:]
    #expect(has["0072B2"] == true && has["009E73"] == true, "the owner's and access colours")
    if example == "refused" { #expect(has["C0392B"] == true, "the stopping step's colour") }

    // Every status glyph stands out from its cell, the absent mark included: a contrast
    // of at least 4.5:1 (WCAG AA), measured by the browser on screen and with the print rules.
    let script = try String(contentsOf: Binary.packageRoot.appendingPathComponent("scripts/report/contrast.js"), encoding: .utf8)
    let measuring = dir.url.appendingPathComponent("measured.html")
    let page = try String(contentsOf: report, encoding: .utf8)
    try page.replacingOccurrences(of: "</body>", with: "<script>\(script)</script></body>").write(
        to: measuring, atomically: true, encoding: .utf8)
    let (measured, measuredDOM) = try execute(browser + ["--dump-dom", measuring.absoluteString])
    #expect(measured == 0)
    let measuredFile = dir.url.appendingPathComponent("measured-dom.html")
    try measuredDOM.write(to: measuredFile)
    let contrast = try inspect("contrast", measuredFile)
    for medium in ["screen", "print"] {
        let ratios = contrast[medium] as? [String: Double] ?? [:]
        #expect(Set(ratios.keys).isSuperset(of: ["o", "a", "c", "s", "n", "x"]), "\(medium): \(ratios)")
        for (status, ratio) in ratios { #expect(ratio >= 4.5, "\(medium): the glyph of '\(status)' has a contrast of \(ratio):1") }
    }

    // Printed: A4 landscape pages, none blank; the procedure of the handoff starts a page
    // of its own, after the grid's.
    let pdf = try inspect("pdf", pages)
    let sizes = pdf["sizes"] as? [[Int]] ?? []
    #expect(!sizes.isEmpty && sizes.allSatisfy { $0 == [842, 595] })
    let text = pdf["text"] as? [Int] ?? []
    #expect(text.count == sizes.count && text.allSatisfy { $0 > 10 })
    if example == "handoff" {
        #expect(sizes.count >= 2)
        // The whole page on a tall screen: the grid's colours, and the checklist below it.
        let tall = dir.url.appendingPathComponent("tall.png")
        try execute(
            browser.map { $0.hasPrefix("--window-size=") ? "--window-size=1280,3200" : $0 } + [
                "--screenshot=\(tall.path)", report.absoluteString,
            ])
        // Below the grid (which ends above row 800), the procedure's text and checkboxes.
        let checklist = try inspect("png", tall, "--rows=800:2200")
        #expect(checklist["height"] as? Int == 3200 && (checklist["inked"] as? Double ?? 0) > 0.02)
        #expect((checklist["colours"] as? Int ?? 0) > 50)
    }
}
