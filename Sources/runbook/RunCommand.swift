import ArgumentParser
import ConnectionCore
import RunbookFiles
import RunbookLanguage

/// `runbook run FILE... [--state S.json] [--commit] [--quiet] [--format text|json] [--report R.html]`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run runbooks in order against one instance; stop at the first violation or failed expectation.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var inputs: RunbookInputs

    @Flag(name: .long, help: "Write the final state back to --state, only if the whole run succeeded.")
    var commit = false

    @Flag(name: [.short, .long], help: "Print only diagnostics.")
    var quiet = false

    @Option(name: .long, help: "Output format: text, or json (one object per statement, then a summary).")
    var format: Format = .text

    @Option(name: .long, help: "Also write a self-contained HTML rehearsal report to this file, whatever the outcome.")
    var report: String?

    func validate() throws {
        if commit && inputs.state == nil { throw ValidationError(Failure.commitNeedsState) }
    }

    func run() throws {
        throw finish(
            RunJob(files: inputs.files, state: inputs.state, commit: commit, quiet: quiet, json: format == .json, report: report)
                .execute())
    }
}

/// The runbooks a command runs, and the state file they start from: `run` and `procedure`
/// read them alike.
struct RunbookInputs: ParsableArguments {
    @Argument(help: "Runbook files, run in order ('-' reads standard input).", completion: .runbooks)
    var files: [String] = ["-"]

    @Option(
        name: .long, help: "Load the instance from this state file (a missing file is an empty instance).",
        completion: .stateFiles)
    var state: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError(Failure.noRunbookFiles) }
    }
}

/// What `run` does once its command line is read.
struct RunJob {
    var files: [String]
    var state: String?
    var commit: Bool
    var quiet: Bool
    var json: Bool
    /// Where to write the rehearsal report, if anywhere.
    var report: String? = nil
}

extension RunJob {
    /// The job of a command line of the common shape, `runbook run [-q | --quiet] FILE...`,
    /// read without the argument parser, whose first use costs more than a small run
    /// (it looks types up at run time); `nil` for any other command line, which the
    /// argument parser then reads, errors and help included.
    init?(commandLine arguments: [String]) {
        guard arguments.count >= 2, arguments[1] == "run" else { return nil }
        var files: [String] = []
        var quiet = false
        for argument in arguments.dropFirst(2) {
            if argument == "-q" || argument == "--quiet" {
                quiet = true
            } else if argument == "-" || !argument.hasPrefix("-") {
                files.append(argument)
            } else {
                return nil
            }
        }
        self.init(files: files.isEmpty ? ["-"] : files, state: nil, commit: false, quiet: quiet, json: false)
    }

    func execute() -> Int32 {
        var nothing: ProcedureRecorder?
        return execute(recording: &nothing).status
    }

    /// `execute()`, showing `procedure` (when there is one) each program and each
    /// statement as they run; also the state the run left.
    func execute(recording procedure: inout ProcedureRecorder?) -> (status: Int32, instance: Instance) {
        var session = Session()
        do throws(Failure) {
            return (try run(in: &session, recording: &procedure), session.instance)
        } catch {
            return (error.report(), session.instance)
        }
    }

    private func run(in session: inout Session, recording procedure: inout ProcedureRecorder?) throws(Failure) -> Int32 {
        // A second read of standard input finds it empty: that would be a file of nothing.
        if files.count(where: { $0 == "-" }) > 1 { throw .usage(Failure.standardInputTwice) }
        if let report { try RehearsalReport.checkNotAnInput(report, inputs: files + (state.map { [$0] } ?? [])) }
        // A committing run holds the state file from loading to writing it.
        var lock: StateStore.Lock?
        if commit, let state {
            do throws(StateFileError) {
                lock = try StateStore.lock(state) { Notice.waitingForLock(state: state).say() }
            } catch {
                throw .state(error)
            }
        }
        defer { withExtendedLifetime(lock) {} }

        var sources: [SourceFile] = []
        for file in files {
            do throws(InputError) { sources.append(try SourceFile.read(file)) } catch { throw .cannotRead(error) }
        }
        var digest: String?
        if let state {
            (session.instance, digest) = try StateStore.loadForCommand(state, creating: commit)
        }
        let rehearsal = report.map { _ in RehearsalReport(command: .run) }
        let total = run(sources, in: &session, rehearsal: rehearsal, recording: &procedure)
        let status = ExitStatus.of(total.status)
        let committing = status == ExitStatus.success && commit && state != nil
        // The report is written before the commit: a run that cannot report never commits.
        func writeReport(commitFailure: String? = nil) throws(Failure) {
            guard let rehearsal, let report else { return }
            let after = Words.stateAfter(
                committed: committing && commitFailure == nil ? StateStore.digest(of: session.instance) : nil,
                commitAsked: commit, passed: status == ExitStatus.success, failure: commitFailure)
            let facts = RehearsalReport.Facts(
                arguments: Array(CommandLine.arguments.dropFirst()), files: sources.map(\.name),
                state: state.map { ($0, digest, after) }, date: RehearsalReport.date, end: session.instance)
            let result =
                switch total.status {
                case .completed:
                    Words.passed(
                        statements: total.statementsRun, expectations: total.expectationsHeld,
                        scenarios: total.scenarios.count)
                case .stopped: Words.stopped(by: total.diagnostics[0])
                case .didNotParse: Words.didNotParse(errors: total.diagnostics.count)
                }
            try RehearsalReport.write(
                rehearsal.document(result: result, passed: status == ExitStatus.success, facts: facts), to: report)
        }
        try writeReport()
        guard commit, let state else { return status }
        guard committing else {
            Notice.leftUnchanged(state: state).say()
            return status
        }
        // A run that cannot report never commits.
        guard Output.flushBoth() == nil else { throw .notCommitted(state: state) }
        do throws(StateFileError) { try StateStore.save(session.instance, to: state) } catch {
            try? writeReport(commitFailure: error.reason)
            throw .state(error)
        }
        // Quiet, a run prints only what went wrong.
        if !quiet { Notice.committed(state: state).say() }
        return ExitStatus.success
    }

    /// Parses every file first (an error anywhere means nothing runs), then runs them in
    /// order, reporting each statement unless quiet, and drawing them in `rehearsal`.
    private func run(
        _ sources: [SourceFile], in session: inout Session, rehearsal: RehearsalReport?, recording procedure: inout ProcedureRecorder?
    ) -> Evaluation {
        var renderer = DiagnosticRenderer(color: Output.error.wantsColor)
        let parsed = sources.map(Parser.parse)
        // Errors, and warnings about names that look alike, before anything runs.
        for result in parsed where !result.diagnostics.isEmpty {
            Output.error.write(renderer.render(result.diagnostics.map(Hints.added), unreported: result.unreported))
        }
        let programs = parsed.compactMap(\.program)
        var reporter = quiet ? nil : RunReporter(format: json ? .json : .text)
        guard programs.count == parsed.count else {
            var total = Evaluation(status: .didNotParse)
            var syntaxErrors = 0
            var files = 0
            for source in parsed where source.program == nil {
                let errors = source.errors.map(Hints.added)
                rehearsal?.beginFile(source.chunk.source)
                rehearsal?.parseErrors(errors)
                rehearsal?.endFile()
                total.diagnostics += errors
                syntaxErrors += errors.count + source.unreported.errors
                files += 1
                reporter?.report(errors, unreported: source.unreported.errors)
            }
            Output.error.flush()
            reporter?.summary(total, filesRun: 0, filesGiven: sources.count, syntaxErrors: (syntaxErrors, files))
            return total
        }

        session.describesEvents = !quiet
        var total = Evaluation(status: .completed)
        var filesRun = 0
        for program in programs {
            filesRun += 1
            reporter?.begin(program)
            let evaluation: Evaluation
            // A step performed `anyway` is said where it ran, between what ran before and after.
            let report = { (outcome: Outcome) in
                reporter?.report(outcome)
                if let warning = outcome.warning {
                    Output.standard.flush()
                    Output.error.write(renderer.render(warning))
                    Output.error.flush()
                }
            }
            if var observer = rehearsal {
                observer.beginFile(program.source)
                evaluation = session.run(program, watching: &observer, observe: report)
                observer.endFile()
            } else if procedure != nil {
                evaluation = session.run(program, watching: &procedure!) { reporter?.report($0) }
            } else {
                evaluation = session.run(program, observe: report)
            }
            total.statementsRun += evaluation.statementsRun
            total.expectationsHeld += evaluation.expectationsHeld
            total.scenarios += evaluation.scenarios
            if evaluation.status != .completed {
                total.status = evaluation.status
                total.diagnostics = evaluation.diagnostics
                break
            }
        }
        // What ran, then what stopped it, then the summary, in that order on a terminal too.
        if !total.diagnostics.isEmpty {
            Output.standard.flush()
            for d in total.diagnostics { Output.error.write(renderer.render(d)) }
            Output.error.flush()
        }
        reporter?.summary(total, filesRun: filesRun, filesGiven: sources.count)
        return total
    }
}

/// Prints what a run did: a line per statement, or JSON lines.
struct RunReporter {
    enum Mode { case text, json }

    let mode: Mode
    /// The program being reported, and its names spelled; empty until `begin`.
    private var chunk = Parser.parse(SourceFile(name: "", text: "")).chunk
    private var names = Words.SpelledNames([])
    private var lines = LineTable(SourceFile(name: "", text: ""))
    private let out = Output.standard

    init(format mode: Mode) {
        self.mode = mode
    }

    /// `file:`, as bytes.
    private var prefix: [UInt8] = []
    /// The first statement of the next scenario, where a line marks that it begins.
    private var nextScenario = 0

    mutating func begin(_ program: Program) {
        chunk = program.chunk
        names = Words.SpelledNames(chunk.names)
        lines = LineTable(program.source)
        prefix = Array((Words.printable(program.source.name) + ":").utf8)
        nextScenario = 0
    }

    mutating func report(_ outcome: Outcome) {
        if outcome.index >= chunk.backgroundCount && outcome.index >= nextScenario {
            markScenario(containing: outcome.index)
        }
        switch mode {
        case .text:
            // One line per statement, `file:line: ` then the text, written straight into
            // the output buffer: this runs a million times.
            let line = lines.line(of: outcome.range.lowerBound)
            switch outcome.result {
            case .performed(let events):
                out.write { buffer in
                    writePrefix(line, into: &buffer)
                    Words.events(events, into: &buffer)
                    buffer.append(0x0A)
                }
            case .held:
                out.write { buffer in
                    writePrefix(line, into: &buffer)
                    buffer.append(literal: "ok: ")
                    Words.write(outcome.index, in: chunk, names: names, into: &buffer)
                    if outcome.rule != nil { buffer.append(Words.refusedBy(outcome)) }
                    buffer.append(0x0A)
                }
            case .shown(let instance): out.write(Words.state(instance))
            case .stopped: break  // the diagnostic follows on standard error
            }
        case .json:
            let range = outcome.range
            let source = lines.source
            let line = lines.line(of: range.lowerBound)
            var fields: [(String, JSON)] = [
                ("file", .string(source.name)), ("line", .number(line)),
                ("column", .number(lines.location(of: range.lowerBound).column)),
                ("statement", .string(statementText(outcome.index))),
            ]
            fields += statementFields(outcome.index)
            switch outcome.result {
            case .performed(let events):
                fields.append(("outcome", .string("performed")))
                fields.append(("events", .array(events.map { .string(Words.events([$0])) })))
                if let warning = outcome.warning {
                    var object: [(String, JSON)] = [("message", .string(warning.message))]
                    if let rule = warning.rule { object.append(("rule", .string(rule))) }
                    // Who lost access, as names, for a reader that acts on them.
                    let stranded = events.compactMap { if case .stranded(let member, _) = $0 { member } else { nil } }
                    if !stranded.isEmpty { object.append(("stranded", .array(stranded.map { .string($0) }))) }
                    object.append(("hints", .array(warning.hints.map { .string($0) })))
                    fields.append(("warning", .object(object)))
                }
            case .held:
                fields.append(("outcome", .string("held")))
                // The rule that refused the action an `expect violation` expected refused.
                if let rule = outcome.rule { fields.append(("rule", .string(rule.rawValue))) }
            case .shown(let instance):
                fields.append(("outcome", .string("shown")))
                fields.append(("state", .raw(String(decoding: StateStore.encode(instance, pretty: false), as: UTF8.self))))
            case .stopped(let d):
                fields.append(("outcome", .string(d.severity == .violation ? "violation" : "failed")))
                if let rule = d.rule { fields.append(("rule", .string(rule))) }
                fields.append(("message", .string(d.message)))
                fields.append(("hints", .array(d.hints.map { .string($0) })))
            }
            out.line(JSON.object(fields).text)
        }
    }

    /// A line where the scenario that holds the statement at `index` begins.
    private mutating func markScenario(containing index: Int) {
        guard let scenario = chunk.scenario(containing: index) else { return }
        nextScenario = scenario.statements.upperBound
        let line = lines.line(of: scenario.headerRange.lowerBound)
        switch mode {
        case .text:
            out.write { buffer in
                writePrefix(line, into: &buffer)
                buffer.append(Words.scenarioStart(scenario))
                buffer.append(0x0A)
            }
        case .json:
            out.line(
                JSON.object([
                    ("file", .string(lines.source.name)), ("line", .number(line)), ("scenario", .string(scenario.title)),
                ]).text)
        }
    }

    /// What the statement at `index` is, as fields: its kind, and its verb, actor and
    /// targets, or its role or names.
    private func statementFields(_ index: Int) -> [(String, JSON)] {
        let names = chunk.memberNames(of: index)
        func strings(_ names: some Sequence<String>) -> JSON { .array(names.map { .string($0) }) }
        func action(_ verb: Verb) -> [(String, JSON)] {
            [("verb", .string(Words.keyword(verb))), ("actor", .string(names[0])), ("targets", strings(names.dropFirst()))]
        }
        switch chunk.statements[index].kind {
        case .declare(let role): return [("kind", .string("declare")), ("role", .string(role.rawValue)), ("names", strings(names))]
        case .action(let verb, let anyway):
            return [("kind", .string("action"))] + action(verb) + (anyway ? [("anyway", .bool(true))] : [])
        case .expectViolation(let rule, let verb):
            var fields: [(String, JSON)] = [("kind", .string("expect-violation"))]
            if case .rule(let id) = rule { fields.append(("expectedRule", .string(id.rawValue))) }
            return fields + action(verb)
        case .expectOwner: return [("kind", .string("expect-owner")), ("names", strings(names))]
        case .expectMembers(let check):
            return [("kind", .string("expect-members")), ("names", strings(names)), ("check", .string(Words.keywords(check)))]
        case .show: return [("kind", .string("show"))]
        }
    }

    /// The errors of a file that does not parse, as JSON objects; text goes to standard error.
    func report(_ errors: [Diagnostic], unreported: Int) {
        guard mode == .json else { return }
        let lines = LineTable(errors.first?.source ?? SourceFile(name: "", text: ""))
        for d in errors {
            let (line, column) = lines.location(of: d.range.lowerBound)
            out.line(
                JSON.object([
                    ("file", .string(d.source.name)), ("line", .number(line)), ("column", .number(column)),
                    ("outcome", .string("error")), ("message", .string(d.message)), ("hints", .array(d.hints.map { .string($0) })),
                ]).text)
        }
        if unreported > 0, let source = errors.first?.source {
            out.line(JSON.object([("file", .string(source.name)), ("outcome", .string("error")), ("more", .number(unreported))]).text)
        }
    }

    /// The statement at `index`, as the formatter writes it.
    private func statementText(_ index: Int) -> String {
        var buffer = ByteBuffer()
        Words.write(index, in: chunk, names: names, into: &buffer)
        return buffer.string
    }

    /// `file:line: `.
    private func writePrefix(_ line: Int, into buffer: inout ByteBuffer) {
        buffer.append(prefix)
        buffer.append(decimal: line)
        buffer.append(literal: ": ")
    }

    /// The last line: what ran, or, for files that did not parse, how many syntax errors
    /// kept everything from running and in how many files (their diagnostics are on
    /// standard error).
    func summary(_ total: Evaluation, filesRun: Int, filesGiven: Int, syntaxErrors: (count: Int, files: Int)? = nil) {
        switch mode {
        case .text:
            if let syntaxErrors {
                out.line(Words.nothingRanSummary(syntaxErrors: syntaxErrors.count, files: syntaxErrors.files, filesGiven: filesGiven))
            } else {
                out.line(Words.runSummary(total, filesRun: filesRun, filesGiven: filesGiven))
            }
        case .json:
            let status =
                switch total.status {
                case .completed: "completed"
                case .stopped: "stopped"
                case .didNotParse: "did-not-parse"
                }
            out.line(
                JSON.object([
                    (
                        "summary",
                        .object(
                            [
                                ("status", .string(status)), ("statements", .number(total.statementsRun)),
                                ("expectations", .number(total.expectationsHeld)), ("files", .number(filesRun)),
                                ("filesGiven", .number(filesGiven)),
                            ] + (syntaxErrors.map { [("syntaxErrors", .number($0.count))] } ?? []))
                    )
                ]).text)
        }
        out.flush()
    }
}
