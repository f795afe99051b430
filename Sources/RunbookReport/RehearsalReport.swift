import ConnectionCore
import FoundationEssentials
import RunbookFiles
import RunbookLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// The rehearsal report of `run` and `test` (`--report R.html`): one self-contained HTML
/// file, readable with JavaScript off, for the people who approve a change. It watches the
/// run as the text and JSON reporters do, and draws each stretch of statements (a file's
/// background, each scenario) as a grid of member statuses when the stretch ends, so it
/// holds one stretch at a time. Every word it shows that is not markup comes from the
/// language.
package final class RehearsalReport: RunObserver {
    package enum Command { case run, test }

    /// What the header says besides the result.
    package struct Facts {
        package var arguments: [String]
        package var files: [String]
        /// The state file, its digest before the run (`nil` when it did not exist), and
        /// what became of it.
        package var state: (path: String, before: String?, after: String)?
        package var date: Date
        /// The state a run left: the end of the procedure a run that passed carries.
        package var end: Instance? = nil

        package init(
            arguments: [String], files: [String], state: (path: String, before: String?, after: String)? = nil, date: Date,
            end: Instance? = nil
        ) {
            (self.arguments, self.files, self.state, self.date, self.end) = (arguments, files, state, date, end)
        }
    }

    /// Steps drawn in one grid at most, in bands of `bandWidth`: beyond them the grid shows
    /// the last ones (so the step that stopped the run is always drawn) and counts the
    /// others. Each band repeats the member rows, so this also bounds the report's size.
    package static let maxColumns = 64
    /// Failed tests the header names at most, each a link to its section.
    package static let failuresNamed = 20
    /// Actions a procedure the report prints has at most; a longer one is for `runbook procedure`.
    package static let procedureActions = 500

    package let command: Command
    /// The rule coverage, when `test --coverage` asked for it.
    package private(set) var coverage: Coverage?
    private var body = HTML()
    private var timeline: Timeline?
    /// The scenarios of the file being drawn that ran, by where their headers start.
    private var scenariosRun = Set<Int>()
    /// The names of the program being drawn, spelled once, and its lines.
    private var program: (identity: Int, names: Words.SpelledNames, lines: LineTable)?
    private var sections = 0
    /// The sections that failed, by their ids, with what the header calls them.
    private var failures: [(section: Int, label: String)] = []
    /// The procedure of a `run`, printed as a checklist when the run passed.
    private var procedure: ProcedureRecorder?

    package init(command: Command, coverage: Bool = false) {
        self.command = command
        self.coverage = coverage ? Coverage() : nil
        procedure = command == .run ? ProcedureRecorder(maxActions: Self.procedureActions) : nil
    }

    // MARK: Watching the run

    package func begin(_ program: Program, scenario: Scenario?, from instance: Instance) {
        closeTimeline()
        timeline = Timeline(program, scenario: scenario, from: instance)
        if let scenario { scenariosRun.insert(scenario.headerRange.lowerBound) }
        coverage?.begin(program, scenario: scenario, from: instance)
        procedure?.begin(program, scenario: scenario, from: instance)
    }

    package func observe(_ outcome: Outcome, leaving instance: Instance) {
        timeline?.record(outcome, leaving: instance)
        coverage?.observe(outcome, leaving: instance)
        procedure?.observe(outcome, leaving: instance)
    }

    /// A file's part of the report begins.
    package func beginFile(_ source: SourceFile) {
        body.raw("<section class=\"file\">")
        body.element("h2", "", source.name)
        scenariosRun = []
    }

    /// A file's part ends: `results` are its scenarios, of which those that did not run
    /// (the background stopped) are listed.
    package func endFile(results: [ScenarioResult] = []) {
        closeTimeline()
        for result in results where !result.scenario.isWholeFile && !scenariosRun.contains(result.scenario.headerRange.lowerBound) {
            sections += 1
            body.raw("<details class=\"section failed\" id=\"s\(sections)\"><summary><span class=\"verdict fail\">FAIL</span>")
            body.escaped(result.scenario.title)
            let place = location(of: result.scenario.headerRange.lowerBound, in: result.source)
            body.element("span", "class=\"where\"", place)
            failures.append((sections, result.scenario.title + " (" + place + ")"))
            body.raw("</summary>")
            if let failure = result.failure { body.element("p", "", Words.notRun(backgroundStop: failure)) }
            body.raw("</details>")
        }
        body.raw("</section>")
    }

    /// A file that does not parse: its syntax errors.
    package func parseErrors(_ diagnostics: [Diagnostic]) {
        var renderer = DiagnosticRenderer(color: false)
        sections += 1
        body.raw("<div class=\"stopbox\" id=\"s\(sections)\">")
        body.element("h3", "", Words.didNotParse(errors: diagnostics.count))
        if let source = diagnostics.first?.source { failures.append((sections, source.name + " (did not parse)")) }
        body.element("pre", "", diagnostics.map { renderer.render($0) }.joined())
        body.raw("</div>")
    }

    // MARK: Drawing a timeline

    private func closeTimeline() {
        guard let timeline else { return }
        self.timeline = nil
        // A background with no statements has nothing to show.
        if timeline.scenario == nil && timeline.statementsRun == 0 { return }
        draw(timeline)
    }

    private func draw(_ timeline: Timeline) {
        sections += 1
        let chunk = timeline.program.chunk
        if program?.identity != timeline.program.source.identity {
            program = (timeline.program.source.identity, Words.SpelledNames(chunk.names), LineTable(timeline.program.source))
        }
        let failed = timeline.stop != nil
        let open = command == .run || failed
        body.raw("<details class=\"section \(failed ? "failed" : "passed")\" id=\"s\(sections)\"\(open ? " open=\"open\"" : "")><summary>")
        let verdict = failed ? "<span class=\"verdict fail\">FAIL</span>" : "<span class=\"verdict pass\">PASS</span>"
        if let scenario = timeline.scenario {
            body.raw(verdict)
            body.escaped(scenario.title)
            let place = location(of: scenario.headerRange.lowerBound, in: timeline.program.source)
            body.element("span", "class=\"where\"", place)
            if failed { failures.append((sections, scenario.title + " (" + place + ")")) }
        } else if command == .test && chunk.scenarios.isEmpty {
            // A file without scenarios is one test, named after the file.
            body.raw(verdict)
            body.escaped(timeline.program.source.name)
            if failed { failures.append((sections, timeline.program.source.name)) }
        } else {
            body.raw(failed ? "<span class=\"verdict fail\">STOP</span>" : "")
            body.escaped(chunk.scenarios.isEmpty ? "timeline" : "background")
        }
        body.raw("</summary>")

        let grid = timeline.grid(maxColumns: Self.maxColumns)
        body.element(
            "p", "class=\"counts\"",
            Words.stepCounts(
                statements: timeline.statementsRun, changing: timeline.steps.count, stopped: failed, hidden: grid.hiddenSteps))
        let stranded = timeline.strandedMembers
        // Well only when nobody was stranded by a step, nor is left stranded at the end.
        let well = stranded == 0 && timeline.strandedAtEnd == 0
        body.element(
            "p", well ? "class=\"verdict-line ok\"" : "class=\"verdict-line bad\"",
            Words.stranded(stranded, before: timeline.strandedAtStart, after: timeline.strandedAtEnd))
        if !grid.rows.isEmpty || !grid.columns.isEmpty { drawGrid(grid, chunk, scenario: timeline.scenario != nil) }
        for warned in timeline.warned { drawWarning(warned) }
        if let stop = timeline.stop { drawStop(stop) }
        body.raw("</details>")
    }

    /// The most steps side by side: a wider grid is drawn in bands of this many, one under
    /// the other, each with the member column again, so that it reads top to bottom on a
    /// screen and on A4 paper with nothing cut off at the side, the stopping step included.
    package static let bandWidth = 8

    private func drawGrid(_ grid: Grid, _ chunk: Chunk, scenario: Bool) {
        // Cell 0 is the starting state; cell i the ith step shown.
        let cells = grid.columns.count + 1
        var lower = 0
        repeat {
            let upper = min(cells, lower + Self.bandWidth + (lower == 0 ? 1 : 0))
            drawBand(grid, chunk, scenario: scenario, cells: lower..<upper)
            lower = upper
        } while lower < cells
    }

    private func drawBand(_ grid: Grid, _ chunk: Chunk, scenario: Bool, cells: Range<Int>) {
        body.raw("<div class=\"scroll\"><table class=\"grid\">")
        if grid.columns.count > Self.bandWidth {
            body.element("caption", "", Words.band(steps: max(cells.lowerBound, 1)...cells.upperBound - 1, of: grid.columns.count))
        }
        body.raw("<thead><tr>")
        body.element("th", "scope=\"col\" class=\"member\"", ReportPageWords.member)
        if cells.contains(0) {
            body.raw("<th scope=\"col\" class=\"start\"><span class=\"line\">")
            body.escaped(
                Words.startColumn(
                    afterLine: grid.startsAfter.map { line(of: chunk.statements[$0].range.lowerBound) }, scenario: scenario))
            body.raw("</span></th>")
        }
        for column in grid.columns[max(cells.lowerBound, 1) - 1..<cells.upperBound - 1] {
            body.raw(column.stops ? "<th scope=\"col\" class=\"step stop\">" : "<th scope=\"col\" class=\"step\">")
            body.element("span", "class=\"line\"", "line \(Words.grouped(line(of: chunk.statements[column.statement].range.lowerBound)))")
            let heading = Words.columnHeading(column.statement, in: chunk, spelled: program!.names)
            body.element("code", "", heading.statement)
            if let more = heading.more { body.element("span", "class=\"more\"", more) }
            if column.stops { body.element("span", "class=\"mark\"", ReportPageWords.stoppedHere) }
            body.raw("</th>")
        }
        body.raw("</tr></thead><tbody>")
        let stopColumn = grid.columns.last?.stops == true ? grid.columns.count : nil
        for row in grid.rows {
            body.raw(row.count > 1 ? "<tr class=\"folded\"><th scope=\"row\">" : "<tr><th scope=\"row\">")
            if row.count == 1 {
                body.escaped(Words.spell(row.names[0]))
                if let role = row.role { body.element("span", "class=\"role\"", role.rawValue) }
            } else {
                body.escaped(row.isConstant ? Words.unchanged(row.count, row.role, row.runs[0].status) : Words.alike(row.count, row.role))
                body.element("span", "class=\"names\"", Words.someNames(row.names, of: row.count))
            }
            body.raw("</th>")
            var column = 0
            for run in row.runs {
                // The part of the run inside this band.
                let (from, to) = (max(column, cells.lowerBound), min(column + run.span, cells.upperBound))
                column += run.span
                guard from < to else { continue }
                let shown = from..<to
                let atStop = shown.lowerBound == stopColumn ? " at-stop" : ""
                let span = shown.count > 1 ? " colspan=\"\(shown.count)\"" : ""
                body.raw("<td class=\"\(Self.cssClass(run.status))\(atStop)\"\(span) title=\"")
                body.escaped(Words.name(of: run.status))
                body.raw("\">")
                body.escaped(Words.glyph(of: run.status))
                // A bar of two columns or more has room for the status's name.
                if shown.count > 1 && run.status != .absent {
                    body.raw(" <span class=\"said\">")
                    body.escaped(Words.name(of: run.status))
                    body.raw("</span>")
                }
                body.raw("</td>")
            }
            body.raw("</tr>")
        }
        body.raw("</tbody></table></div>")
    }

    /// A step performed `anyway`: its warning, with who was stranded and the way back.
    private func drawWarning(_ outcome: Outcome) {
        guard let d = outcome.warning else { return }
        openBox("warnbox", Words.performedAnyway(line: line(of: outcome.range.lowerBound)), d)
        body.raw("</div>")
    }

    /// Opens a box for a diagnostic: its heading, the diagnostic as the terminal shows it,
    /// then its hints each on a line.
    private func openBox(_ kind: String, _ heading: String, _ d: Diagnostic) {
        var renderer = DiagnosticRenderer(color: false)
        var excerpt = d
        excerpt.hints = []
        body.raw("<div class=\"\(kind)\">")
        body.element("h3", "", heading)
        body.element("pre", "", renderer.render(excerpt))
        for hint in d.hints { body.element("p", "class=\"hint\"", "hint: " + hint) }
    }

    /// The step that stopped the run: its diagnostic, the rule, the product page's
    /// sentence and the hints.
    private func drawStop(_ stop: Outcome) {
        guard let d = stop.stop else { return }
        openBox("stopbox", Words.stopped(by: d), d)
        if let id = stop.rule {
            let rule = id.rule
            body.raw("<p class=\"rule\">rule <code>")
            body.escaped(id.rawValue)
            body.raw("</code>: ")
            body.escaped(Catalogue.when(rule))
            body.raw("</p>")
            body.element("p", "class=\"kind\"", Catalogue.kind(rule.kind))
            body.element("p", "", Words.ruleSource(rule))
            if let quote = rule.seedQuote { body.element("blockquote", "class=\"seed\" lang=\"sv\" xml:lang=\"sv\"", quote) }
            body.element("p", "class=\"reading\"", rule.reading)
        }
        body.raw("</div>")
    }

    private static func cssClass(_ status: MemberStatus) -> String {
        switch status {
        case .owner: "o"
        case .adminConnection: "a"
        case .connectedThroughAccess: "c"
        case .stranded: "s"
        case .noAccess: "n"
        case .absent: "x"
        }
    }

    private func line(of offset: Int) -> Int {
        program!.lines.line(of: offset)
    }

    /// `file:line`, the line read from the program's line table when it is the one drawn.
    private func location(of offset: Int, in source: SourceFile) -> String {
        let line = program?.identity == source.identity ? line(of: offset) : source.location(of: offset).line
        return "\(source.name):\(line)"
    }

    // MARK: The document

    /// The whole report: the header with `result`, the legend, every part drawn, and the
    /// coverage when it was asked for.
    package func document(result: String, passed: Bool, facts: Facts) -> String {
        closeTimeline()
        var out = HTML()
        out.raw("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\"><head>")
        out.raw("<meta charset=\"utf-8\"/><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        out.element("title", "", ReportPageWords.title(files: facts.files, result: result))
        out.raw("<style>\n" + ReportStyle.css + "</style></head>\n<body>\n<header>")
        out.element("h1", "", ReportPageWords.heading)
        out.element("p", "class=\"result \(passed ? "passed" : "stopped")\" id=\"result\"", result)
        if command == .test && !failures.isEmpty {
            // What failed, named where a reader starts, each a link to its section.
            out.raw("<p class=\"failures\" id=\"failures\">")
            out.escaped(ReportPageWords.failedLead)
            for (i, failure) in failures.prefix(Self.failuresNamed).enumerated() {
                if i > 0 { out.raw(", ") }
                out.raw("<a href=\"#s\(failure.section)\">")
                out.escaped(failure.label)
                out.raw("</a>")
            }
            if failures.count > Self.failuresNamed { out.escaped(" and \(Words.grouped(failures.count - Self.failuresNamed)) more") }
            out.raw("</p>")
        }
        out.raw("<dl class=\"facts\">")
        out.element("dt", "", ReportPageWords.command)
        out.raw("<dd><code>")
        out.escaped((["runbook"] + facts.arguments).joined(separator: " "))
        out.raw("</code></dd>")
        out.element("dt", "", ReportPageWords.files(facts.files.count))
        out.element("dd", "", facts.files.joined(separator: ", "))
        if let state = facts.state {
            out.element("dt", "", ReportPageWords.stateFile)
            out.element("dd", "", state.path)
            out.element("dt", "", ReportPageWords.before)
            out.raw("<dd class=\"mono\">")
            out.escaped(Words.stateBefore(digest: state.before))
            out.raw("</dd>")
            out.element("dt", "", ReportPageWords.after)
            out.raw("<dd class=\"mono\">")
            out.escaped(state.after)
            out.raw("</dd>")
        }
        out.element("dt", "", ReportPageWords.date)
        out.element("dd", "", facts.date.formatted(.iso8601))
        out.element("dt", "", ReportPageWords.version)
        out.element("dd", "", Words.version)
        out.raw("</dl></header>\n")
        legend(into: &out)
        out.append(body)
        // The clicks that carry out a run that passed, as a checklist to print; or why there
        // is none (a step performed anyway) or where it is (too long to print).
        if passed, let procedure, let end = facts.end {
            if let why = procedure.refusal ?? (procedure.tooLong ? Words.procedureTooLong(maxActions: procedure.maxActions) : nil) {
                out.raw("<section class=\"procedure\" id=\"procedure\">")
                out.element("p", "", why)
                out.raw("</section>\n")
            } else {
                ProcedureHTML.draw(procedure.procedure(endingAt: end).markdown(.en), into: &out)
            }
        }
        if let coverage { coverageTable(coverage, into: &out) }
        out.raw("\n<footer>")
        out.escaped(Words.reportFooter)
        out.raw("</footer>\n</body></html>\n")
        return out.text
    }

    private func legend(into out: inout HTML) {
        out.raw("<div class=\"legend\" id=\"legend\">")
        for status in MemberStatus.allCases {
            out.raw("<span class=\"item\"><span class=\"cell \(Self.cssClass(status))\">")
            out.escaped(Words.glyph(of: status))
            out.raw("</span>")
            out.element("b", "", Words.name(of: status))
            out.raw(" ")
            out.element("span", "class=\"what\"", Words.meaning(of: status))
            out.raw("</span>")
        }
        out.raw("</div>\n")
    }

    private func coverageTable(_ coverage: Coverage, into out: inout HTML) {
        out.raw("<section class=\"coverage\" id=\"coverage\">")
        out.element("h2", "", ReportPageWords.coverage)
        out.element("p", "", Words.coverageHeadline(coverage))
        out.raw("<table class=\"coverage\"><thead><tr>")
        for heading in Words.coverageHeadings { out.element("th", "", heading) }
        out.raw("</tr></thead><tbody>")
        for rule in Rule.catalogue {
            let count = coverage.count(of: rule.id)
            out.raw(count.scenarios == 0 ? "<tr class=\"never\">" : "<tr>")
            out.raw("<td><code>")
            out.escaped(rule.id.rawValue)
            out.raw("</code></td>")
            out.element("td", "", rule.kind.rawValue)
            out.element("td", "", rule.summary)
            out.element("td", "", Words.triggeredIn(count))
            out.element("td", "", Words.checked(count, of: rule))
            out.raw("</tr>")
        }
        out.raw("</tbody></table>")
        out.element("p", "", Words.neverTriggered(coverage))
        out.raw("</section>")
    }

    // MARK: Writing

    /// Writes the report to `path` atomically: a reader never sees half a report.
    /// The input of the run (a runbook, the state file) that writing the report to `report`
    /// would replace, by its path or by being the same file under another name; `nil` when
    /// there is none.
    package static func input(replacedBy report: String, among inputs: [String]) -> String? {
        for input in inputs where input != "-" {
            let same =
                URL(fileURLWithPath: input).standardizedFileURL == URL(fileURLWithPath: report).standardizedFileURL
                || Path.sameFile(input, report)
            if same { return input }
        }
        return nil
    }

    package static func write(_ document: String, to path: String) throws(Failure) {
        do throws(AtomicFile.Failure) {
            try AtomicFile.write(Array(document.utf8), to: path, what: "report", newFileMode: 0o644)
        } catch {
            throw .cannotWrite(path: path, reason: error.reason)
        }
    }

    /// The report's date: now, or `SOURCE_DATE_EPOCH` when set, for reports that must come
    /// out the same each time. As reproducible-builds.org defines it, the variable is an
    /// integer, the seconds since 1970 that `date +%s` prints: anything else (`1e3`, `1.5`,
    /// a year past 9999 that no ISO 8601 date can hold) is refused with a warning.
    package static var date: Date {
        guard let variable = getenv("SOURCE_DATE_EPOCH") else { return Date() }
        let value = String(cString: variable)
        guard let seconds = sourceDateEpoch(value) else {
            Notice.badSourceDateEpoch(value).say()
            return Date()
        }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    /// The seconds of a `SOURCE_DATE_EPOCH`, when it is an integer (digits, perhaps after
    /// a minus sign) within the years 1 to 9999.
    package static func sourceDateEpoch(_ value: String) -> Int64? {
        let digits = value.utf8.first == UInt8(ascii: "-") ? value.utf8.dropFirst() : value.utf8[...]
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let seconds = Int64(value), (-62_135_596_800...253_402_300_799).contains(seconds)
        else { return nil }
        return seconds
    }
}
