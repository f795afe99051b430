import ArgumentParser
import ConnectionCore
import RunbookFiles
import RunbookLanguage
import RunbookReport

/// `runbook run FILE... [--state S.json] [--commit] [--quiet] [--format text|json] [--report R.html]`.
struct RunCommand: RunbookCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run runbooks in order against one instance; stop at the first violation or failed expectation.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var inputs: RunbookInputs

    @Flag(name: .long, help: "Write the final state back to --state, only if the whole run succeeded.")
    var commit = false

    /// `-q`, `--quiet`: declared once, for the argument parser and the fast reading alike.
    static let quietNames = (short: Character("q"), long: "quiet")

    @Flag(name: [.customShort(quietNames.short), .customLong(quietNames.long)], help: "Print only diagnostics.")
    var quiet = false

    @Option(name: .long, help: "Output format: text, or json (one object per statement, then a summary).")
    var format: Format = .text

    @Option(name: .long, help: "Also write a self-contained HTML rehearsal report to this file, whatever the outcome.")
    var report: String?

    func validate() throws {
        if commit && inputs.state == nil { throw ValidationError(Failure.commitNeedsState) }
    }

    func status() throws(Failure) -> Int32 {
        RunJob(files: inputs.files, state: inputs.state, commit: commit, quiet: quiet, json: format == .json, report: report)
            .execute()
    }
}

/// The runbooks a command runs, and the state file they start from: `run` and `procedure`
/// read them alike.
struct RunbookInputs: ParsableArguments {
    @Argument(help: "Runbook files, run in order ('-' reads standard input).", completion: .runbooks)
    var files: [String] = RunbookInputs.standardInput

    /// The files read when none is named.
    static let standardInput = ["-"]

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
    /// (it looks types up at run time: about 2 ms, as long as the run), with the names and
    /// defaults `RunCommand` declares; `nil` for any other command line, which the argument
    /// parser then reads, errors and help included.
    init?(commandLine arguments: [String]) {
        guard arguments.count >= 2, arguments[1] == "run" else { return nil }
        var files: [String] = []
        var quiet = false
        for argument in arguments.dropFirst(2) {
            if argument == "-\(RunCommand.quietNames.short)" || argument == "--\(RunCommand.quietNames.long)" {
                quiet = true
            } else if argument == "-" || !argument.hasPrefix("-") {
                files.append(argument)
            } else {
                return nil
            }
        }
        self.init(files: files.isEmpty ? RunbookInputs.standardInput : files, state: nil, commit: false, quiet: quiet, json: false)
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
        if let report, let input = RehearsalReport.input(replacedBy: report, among: files + (state.map { [$0] } ?? [])) {
            throw .usage(Failure.reportReplacesInput(report: report, input: input))
        }
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
                case .interrupted: Words.interrupted
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
        let parsed = sources.map(Parser.parseUsingThreads)
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
