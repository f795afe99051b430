import ArgumentParser
import ConnectionCore
import FoundationEssentials
import RunbookFiles
import RunbookLanguage
import RunbookReport

#if canImport(Glibc)
    import Glibc
#endif

/// `runbook test PATH... [--format text|tap|junit|json] [--tap-version 13|14] [--filter TEXT]
/// [--fail-fast] [--coverage] [--report R.html]`.
struct TestCommand: RunbookCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every scenario of every .runbook file; folders are searched recursively.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, tap, junit, json }

    @Argument(help: "Runbook files and folders, searched recursively ('-' reads standard input).", completion: .runbooks)
    var paths: [String]

    @Option(name: .long, help: "Report format: text, tap (TAP 13), junit (XML) or json.")
    var format: Format = .text

    /// The TAP version line: 13 by default, since `prove`, the most used TAP harness,
    /// refuses a later one. The output is the same in both (no subtests are written).
    @Option(name: .customLong("tap-version"), help: "The TAP version to declare with --format tap: 13 or 14 (default 13).")
    var tapVersion: Int?

    @Option(name: .long, help: "Run only the scenarios whose title contains TEXT.")
    var filter: String?

    @Flag(name: .long, help: "Stop after the first failing scenario.")
    var failFast = false

    @Flag(name: .long, help: "Say which rules the scenarios triggered and which actions each rule checked.")
    var coverage = false

    @Option(name: .long, help: "Also write a self-contained HTML rehearsal report to this file.")
    var report: String?

    func validate() throws {
        if coverage && format == .junit { throw ValidationError(Failure.coverageFormats) }
        if let tapVersion {
            if format != .tap { throw ValidationError(Failure.tapVersionWithoutTAP) }
            if ![13, 14].contains(tapVersion) { throw ValidationError(Failure.unknownTAPVersion(tapVersion)) }
        }
    }

    func status() throws(Failure) -> Int32 {
        execute()
    }

    /// One file's part of the report.
    struct FileReport {
        var source: SourceFile
        var lines: LineTable
        var results: [ScenarioResult] = []
        var parseErrors: [Diagnostic] = []
        var unreported = Unreported()

        var parses: Bool { parseErrors.isEmpty }
        /// How many syntax errors the file has, shown or not.
        var errorCount: Int { parseErrors.count + unreported.errors }
    }

    func execute() -> Int32 {
        var files: [String] = []
        for path in paths {
            switch SourceFile.runbooks(at: path) {
            // A folder with no runbook in it tests nothing: that is not a pass.
            case .success(let found) where found.isEmpty: return exit(Failure.noRunbooks(in: path).report())
            case .success(let found): files += found
            case .failure(let error):
                return exit(Failure.cannotRead(error).report())
            }
        }
        if let report, let input = RehearsalReport.input(replacedBy: report, among: files) {
            return exit(Failure.usage(Failure.reportReplacesInput(report: report, input: input)).report())
        }
        var reports: [FileReport] = []
        var stoppedEarly = false
        /// Tests `--fail-fast` left unrun: those after the failure, in its file and the rest.
        var notRun = 0
        // The rehearsal report counts the coverage when there is one; else `coverage` does.
        let rehearsal = report.map { _ in RehearsalReport(command: .test, coverage: coverage) }
        var counting = coverage && rehearsal == nil ? Coverage() : nil
        for file in files {
            let source: SourceFile
            do throws(InputError) { source = try SourceFile.read(file) } catch {
                return exit(Failure.cannotRead(error).report())
            }
            let parsed = Parser.parseUsingThreads(source)
            guard !stoppedEarly else {
                notRun += parsed.program.map { Session.tests(of: $0.chunk, filter: filter).count } ?? 1
                continue
            }
            // Warnings (names that look alike, say) on standard error, whatever the format.
            let warnings = parsed.diagnostics.filter { $0.severity == .warning }
            if !warnings.isEmpty {
                var renderer = DiagnosticRenderer(color: Output.error.wantsColor)
                Output.error.write(renderer.render(warnings, unreported: Unreported(warnings: parsed.unreported.warnings)))
            }
            var report = FileReport(source: source, lines: LineTable(source))
            rehearsal?.beginFile(source)
            if let program = parsed.program {
                let collect = { (result: ScenarioResult) in report.results.append(result) }
                var session = Session()
                session.describesEvents = false
                if var observer = rehearsal {
                    stoppedEarly = session.test(program, filter: filter, failFast: failFast, watching: &observer, report: collect)
                } else if counting != nil {
                    stoppedEarly = session.test(program, filter: filter, failFast: failFast, watching: &counting!, report: collect)
                } else {
                    stoppedEarly = session.test(program, filter: filter, failFast: failFast, report: collect)
                }
                if stoppedEarly { notRun += Session.tests(of: program.chunk, filter: filter).count - report.results.count }
            } else {
                report.parseErrors = parsed.errors.map(Hints.added)
                report.unreported.errors = parsed.unreported.errors
                rehearsal?.parseErrors(report.parseErrors)
                stoppedEarly = failFast
            }
            rehearsal?.endFile(results: report.results)
            reports.append(report)
        }
        let passed = reports.reduce(0) { $0 + $1.results.filter(\.passed).count }
        // A file that does not parse is a failed test.
        let failed = reports.reduce(0) { $0 + $1.results.filter { !$0.passed }.count + ($1.parses ? 0 : 1) }
        let counted = rehearsal?.coverage ?? counting
        switch format {
        case .text: printText(reports, passed: passed, failed: failed, notRun: notRun, coverage: counted)
        case .tap: printTAP(reports, notRun: notRun, coverage: counted)
        case .junit: printJUnit(reports, passed: passed, failed: failed)
        case .json: printJSON(reports, passed: passed, failed: failed, notRun: notRun, coverage: counted)
        }
        let parseFailed = reports.contains { !$0.parses }
        if let rehearsal, let report {
            let errors = reports.reduce(0) { $0 + $1.errorCount }
            var result = Words.testSummary(passed: passed, failed: failed, notRun: notRun)
            if parseFailed { result += "; " + Words.didNotParse(errors: errors) }
            let facts = RehearsalReport.Facts(
                arguments: Array(CommandLine.arguments.dropFirst()), files: reports.map(\.source.name), state: nil,
                date: RehearsalReport.date)
            do throws(Failure) {
                try RehearsalReport.write(
                    rehearsal.document(result: result, passed: failed == 0, facts: facts), to: report)
            } catch {
                return exit(error.report())
            }
        }
        if parseFailed { return exit(ExitStatus.dataError) }
        if let filter, passed + failed == 0 { return exit(Failure.noTestMatches(filter).report()) }
        return exit(failed > 0 ? ExitStatus.stopped : ExitStatus.success)
    }

    private func exit(_ status: Int32) -> Int32 {
        flushOutputs()
        return status
    }

    // MARK: Formats

    /// Where a test begins, and the test as a line of text names it.
    private func location(_ r: ScenarioResult, in report: FileReport) -> (line: Int, text: String) {
        let line = report.lines.location(of: r.scenario.headerRange.lowerBound).line
        return (line, Words.test(r.scenario, at: line, in: r.source))
    }

    private func printText(_ reports: [FileReport], passed: Int, failed: Int, notRun: Int, coverage: Coverage?) {
        let out = Output.standard
        var renderer = DiagnosticRenderer(color: out.wantsColor)
        var errors = DiagnosticRenderer(color: Output.error.wantsColor)
        for report in reports {
            if !report.parses {
                Output.error.write(errors.render(report.parseErrors, unreported: report.unreported))
                Output.error.flush()
                out.line("FAIL \(Words.printable(report.source.name)) \(Words.didNotParse(errors: report.errorCount))")
            }
            for r in report.results {
                out.line(Words.verdict(r, at: location(r, in: report).line))
                // What steps performed anyway earned, then the failure, under the test.
                for d in r.warnings + (r.failure.map { [$0] } ?? []) {
                    for line in renderer.render(d).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                        out.line("    " + line)
                    }
                }
            }
        }
        if let coverage { out.write(Catalogue.coverage(coverage)) }
        out.line(Words.testSummary(passed: passed, failed: failed, notRun: notRun))
    }

    /// TAP 13 (or 14, which reads it alike): a test point per test, its failure as a YAML
    /// block; `Bail out!` when `--fail-fast` stopped the run.
    private func printTAP(_ reports: [FileReport], notRun: Int, coverage: Coverage?) {
        let out = Output.standard
        let total = reports.reduce(0) { $0 + $1.results.count + ($1.parseErrors.isEmpty ? 0 : 1) }
        out.line("TAP version \(tapVersion ?? 13)")
        out.line("1..\(total)")
        var n = 0
        var renderer = DiagnosticRenderer(color: false)
        for report in reports {
            if !report.parseErrors.isEmpty {
                n += 1
                out.line("not ok \(n) - \(tapDescription(report.source.name))")
                out.line("  ---")
                out.line("  message: \(JSON.quote(Words.didNotParse(errors: report.errorCount)))")
                out.line("  severity: \(Diagnostic.Severity.error.rawValue)")
                out.line("  errors:")
                for d in report.parseErrors { out.line("    - \(JSON.quote(renderer.render(d)))") }
                out.line("  ...")
            }
            for r in report.results {
                n += 1
                out.line("\(r.passed ? "ok" : "not ok") \(n) - \(tapDescription(location(r, in: report).text))")
                if r.passed && !r.warnings.isEmpty {
                    out.line("  ---")
                    out.line("  warnings:")
                    for w in r.warnings { out.line("    - \(JSON.quote(renderer.render(w)))") }
                    out.line("  ...")
                }
                if let f = r.failure {
                    let (line, column) = report.lines.location(of: f.range.lowerBound)
                    out.line("  ---")
                    out.line("  message: \(JSON.quote(f.message))")
                    out.line("  severity: \(f.severity.rawValue)")
                    if let rule = f.rule { out.line("  rule: \(rule)") }
                    out.line("  at:")
                    out.line("    file: \(JSON.quote(f.source.name))")
                    out.line("    line: \(line)")
                    out.line("    column: \(column)")
                    if !f.hints.isEmpty {
                        out.line("  hints:")
                        for h in f.hints { out.line("    - \(JSON.quote(h))") }
                    }
                    if !r.warnings.isEmpty {
                        out.line("  warnings:")
                        for w in r.warnings { out.line("    - \(JSON.quote(renderer.render(w)))") }
                    }
                    out.line("  ...")
                }
            }
        }
        if notRun > 0 { out.line("Bail out! " + Words.notRunAfterFailure(notRun)) }
        // TAP readers pass comment lines through.
        if let coverage {
            for line in Catalogue.coverage(coverage).split(separator: "\n") { out.line("# " + line) }
        }
    }

    private func printJUnit(_ reports: [FileReport], passed: Int, failed: Int) {
        let out = Output.standard
        var renderer = DiagnosticRenderer(color: false)
        let errors = reports.filter { !$0.parseErrors.isEmpty }.count
        out.line(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        // A file that does not parse is a failed test, which JUnit calls an error.
        out.line("<testsuites name=\"runbook\" tests=\"\(passed + failed)\" failures=\"\(failed - errors)\" errors=\"\(errors)\">")
        for report in reports {
            let name = xml(report.source.name)
            let suiteFailures = report.results.filter { !$0.passed }.count
            let suiteErrors = report.parseErrors.isEmpty ? 0 : 1
            out.line(
                "  <testsuite name=\"\(name)\" tests=\"\(report.results.count + suiteErrors)\" failures=\"\(suiteFailures)\" errors=\"\(suiteErrors)\">"
            )
            if !report.parseErrors.isEmpty {
                out.line("    <testcase name=\"parse\" classname=\"\(name)\" file=\"\(name)\">")
                let text = report.parseErrors.map { renderer.render($0) }.joined()
                out.line("      <error message=\"\(xml(report.source.name)) does not parse\" type=\"syntax\">\(xml(text))</error>")
                out.line("    </testcase>")
            }
            for r in report.results {
                let (line, _) = location(r, in: report)
                out.line("    <testcase name=\"\(xml(r.scenario.title))\" classname=\"\(name)\" file=\"\(name)\" line=\"\(line)\">")
                if let f = r.failure {
                    let message = f.message + (f.rule.map { " [\($0)]" } ?? "")
                    out.line(
                        "      <failure message=\"\(xml(message))\" type=\"\(f.severity.rawValue)\">\(xml(renderer.render(f)))</failure>")
                }
                if !r.warnings.isEmpty {
                    out.line("      <system-err>\(xml(r.warnings.map { renderer.render($0) }.joined()))</system-err>")
                }
                out.line("    </testcase>")
            }
            out.line("  </testsuite>")
        }
        out.line("</testsuites>")
    }

    private func printJSON(_ reports: [FileReport], passed: Int, failed: Int, notRun: Int, coverage: Coverage?) {
        let out = Output.standard
        for report in reports {
            if !report.parseErrors.isEmpty {
                out.line(
                    JSON.object([
                        ("file", .string(report.source.name)), ("status", .string("error")),
                        ("errors", .array(report.parseErrors.map { diagnosticJSON($0, report.lines) })),
                    ]).text)
            }
            for r in report.results {
                var fields: [(String, JSON)] = [
                    ("file", .string(r.source.name)), ("line", .number(location(r, in: report).line)),
                    ("title", .string(r.scenario.title)), ("status", .string(r.passed ? "passed" : "failed")),
                ]
                if let f = r.failure { fields.append(("failure", diagnosticJSON(f, report.lines))) }
                if !r.warnings.isEmpty { fields.append(("warnings", .array(r.warnings.map { diagnosticJSON($0, report.lines) }))) }
                out.line(JSON.object(fields).text)
            }
        }
        if let coverage { out.line(JSON.object([("coverage", coverageJSON(coverage))]).text) }
        var summary: [(String, JSON)] = [("passed", .number(passed)), ("failed", .number(failed))]
        if notRun > 0 { summary.append(("notRun", .number(notRun))) }
        out.line(JSON.object([("summary", .object(summary))]).text)
    }

    /// Each rule of the catalogue with its counts, and the rules never triggered.
    private func coverageJSON(_ coverage: Coverage) -> JSON {
        let rules: [JSON] = Rule.catalogue.map { rule in
            let count = coverage.count(of: rule.id)
            return .object([
                ("rule", .string(rule.id.rawValue)), ("kind", .string(rule.kind.rawValue)), ("scenarios", .number(count.scenarios)),
                ("checked", .number(count.checked)),
                ("checks", .string(rule.refusesDeclarations ? "declarations" : "actions")),
            ])
        }
        return .object([
            ("rules", .array(rules)), ("neverTriggered", .array(coverage.neverTriggered.map { .string($0.rawValue) })),
        ])
    }

    private func diagnosticJSON(_ d: Diagnostic, _ lines: LineTable) -> JSON {
        let (line, column) = lines.location(of: d.range.lowerBound)
        var fields: [(String, JSON)] = [
            ("severity", .string(d.severity.rawValue)), ("message", .string(d.message)),
            ("file", .string(d.source.name)), ("line", .number(line)), ("column", .number(column)),
        ]
        if let rule = d.rule { fields.append(("rule", .string(rule))) }
        fields.append(("hints", .array(d.hints.map { .string($0) })))
        return .object(fields)
    }

    private func xml(_ s: String) -> String { Markup.escape(s) }

    /// A TAP description: `\\` and `\#` escaped, so that no `#` reads as a directive;
    /// what cannot reach a terminal escaped as everything printed is.
    private func tapDescription(_ s: String) -> String {
        Words.printable(s).replacing("\\", with: "\\\\").replacing("#", with: "\\#")
    }
}
