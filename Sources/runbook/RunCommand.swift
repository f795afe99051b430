import ArgumentParser
import ConnectionCore
import RunbookFiles
import RunbookLanguage

/// `runbook run FILE... [--state S.json] [--commit] [--quiet] [--format text|json]`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run runbooks in order against one instance; stop at the first violation or failed expectation.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Runbook files, run in order ('-' reads standard input).")
    var files: [String] = ["-"]

    @Option(name: .long, help: "Load the instance from this state file (a missing file is an empty instance).")
    var state: String?

    @Flag(name: .long, help: "Write the final state back to --state, only if the whole run succeeded.")
    var commit = false

    @Flag(name: [.short, .long], help: "Print only diagnostics.")
    var quiet = false

    @Option(name: .long, help: "Output format: text, or json (one object per statement, then a summary).")
    var format: Format = .text

    func validate() throws {
        if commit && state == nil { throw ValidationError("--commit needs --state FILE to write to") }
        if files.isEmpty { throw ValidationError("name at least one runbook file, or '-' for standard input") }
    }

    func run() throws {
        throw finish(RunJob(files: files, state: state, commit: commit, quiet: quiet, json: format == .json).execute())
    }
}

/// What `run` does once its command line is read.
struct RunJob {
    var files: [String]
    var state: String?
    var commit: Bool
    var quiet: Bool
    var json: Bool
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
        do throws(Failure) { return try run() } catch { return error.report() }
    }

    private func run() throws(Failure) -> Int32 {
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
        var session = Session()
        if let state {
            do throws(StateFileError) { session.instance = try StateStore.load(state) } catch { throw .state(error) }
        }
        let status = run(sources, in: &session)
        guard status == ExitStatus.success, commit, let state else { return status }
        // A run that cannot report never commits.
        guard Output.flushBoth() == nil else { throw .notCommitted(state: state) }
        do throws(StateFileError) { try StateStore.save(session.instance, to: state) } catch { throw .state(error) }
        return ExitStatus.success
    }

    /// Parses every file first (an error anywhere means nothing runs), then runs them in
    /// order, reporting each statement unless quiet.
    private func run(_ sources: [SourceFile], in session: inout Session) -> Int32 {
        var renderer = DiagnosticRenderer(color: Output.error.wantsColor)
        let parsed = sources.map(Parser.parse)
        // Errors, and warnings about names that look alike, before anything runs.
        for result in parsed where !result.diagnostics.isEmpty {
            Output.error.write(renderer.render(result.diagnostics.map(Hints.added)))
        }
        let programs = parsed.compactMap(\.program)
        guard programs.count == parsed.count else { return ExitStatus.dataError }

        session.describesEvents = !quiet
        var reporter = quiet ? nil : RunReporter(format: json ? .json : .text)
        var total = Evaluation(status: .completed)
        for program in programs {
            reporter?.begin(program)
            let evaluation = session.run(program) { reporter?.report($0) }
            total.statementsRun += evaluation.statementsRun
            total.expectationsHeld += evaluation.expectationsHeld
            total.scenarios += evaluation.scenarios
            if evaluation.status != .completed {
                total.status = evaluation.status
                total.diagnostics = evaluation.diagnostics
                break
            }
        }
        for d in total.diagnostics { Output.error.write(renderer.render(d)) }
        reporter?.summary(total, files: sources.count)
        return ExitStatus.of(total.status)
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

    mutating func begin(_ program: Program) {
        chunk = program.chunk
        names = Words.SpelledNames(chunk.names)
        lines = LineTable(program.source)
        prefix = Array((program.source.name + ":").utf8)
    }

    mutating func report(_ outcome: Outcome) {
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
            switch outcome.result {
            case .performed(let events):
                fields.append(("outcome", .string("performed")))
                fields.append(("events", .array(events.map { .string(Words.events([$0])) })))
            case .held:
                fields.append(("outcome", .string("held")))
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

    func summary(_ total: Evaluation, files: Int) {
        switch mode {
        case .text:
            var text = "\(total.statementsRun) \(total.statementsRun == 1 ? "statement" : "statements") run"
            if files > 1 { text += " from \(files) files" }
            text += ", \(total.expectationsHeld) \(total.expectationsHeld == 1 ? "expectation" : "expectations") held"
            if !total.scenarios.isEmpty {
                let passed = total.scenarios.filter(\.passed).count
                text += ", \(passed) \(passed == 1 ? "scenario" : "scenarios") passed"
            }
            if let stop = total.diagnostics.first { text += "; stopped at \(stop.location)" }
            out.line(text)
        case .json:
            out.line(
                JSON.object([
                    (
                        "summary",
                        .object([
                            ("status", .string(total.status == .completed ? "completed" : "stopped")),
                            ("statements", .number(total.statementsRun)),
                            ("expectations", .number(total.expectationsHeld)),
                            ("files", .number(files)),
                        ])
                    )
                ]).text)
        }
        out.flush()
    }
}
