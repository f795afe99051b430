import ConnectionCore
import RunbookFiles
import RunbookLanguage

/// A chunk and its names spelled, behind one reference: a statement is written a million
/// times, and each write that copied the chunk would retain and release every table it has.
private final class Written {
    let chunk: Chunk
    let names: Words.SpelledNames

    init(_ chunk: Chunk) {
        self.chunk = chunk
        names = Words.SpelledNames(chunk.names)
    }

    /// Appends the statement at `index`, as the formatter writes it.
    func write(_ index: Int, into out: inout ByteBuffer) {
        Words.write(index, in: chunk, names: names, into: &out)
    }

    /// Appends `ok: ` and the statement of an expectation that held.
    func held(_ outcome: Outcome, into out: inout ByteBuffer) {
        Words.held(outcome, in: chunk, names: names, into: &out)
    }
}

/// Prints what a run did: a line per statement, or JSON lines.
package struct RunReporter {
    package enum Mode { case text, json }

    let mode: Mode
    /// The program being reported, and its names spelled; empty until `begin`.
    private var written = Written(Parser.parse(SourceFile(name: "", text: "")).chunk)
    private var chunk: Chunk { written.chunk }
    private var lines = LineTable(SourceFile(name: "", text: ""))
    private let out = Output.standard

    package init(format mode: Mode) {
        self.mode = mode
    }

    /// `file:`, as bytes.
    private var prefix: [UInt8] = []
    /// The first statement of the next scenario, where a line marks that it begins.
    private var nextScenario = 0

    package mutating func begin(_ program: Program) {
        written = Written(program.chunk)
        lines = LineTable(program.source)
        prefix = Array((Words.printable(program.source.name) + ":").utf8)
        nextScenario = 0
    }

    package mutating func report(_ outcome: Outcome) {
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
                    Self.writePrefix(prefix, line, into: &buffer)
                    Words.events(events, into: &buffer)
                    buffer.append(0x0A)
                }
            case .held:
                out.write { buffer in
                    Self.writePrefix(prefix, line, into: &buffer)
                    written.held(outcome, into: &buffer)
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
                Self.writePrefix(prefix, line, into: &buffer)
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
        case .broken: preconditionFailure("a program has no broken statement")
        }
    }

    /// The errors of a file that does not parse, as JSON objects; text goes to standard error.
    package func report(_ errors: [Diagnostic], unreported: Int) {
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
        written.write(index, into: &buffer)
        return buffer.string
    }

    /// `file:line: `.
    private static func writePrefix(_ prefix: [UInt8], _ line: Int, into buffer: inout ByteBuffer) {
        buffer.append(prefix)
        buffer.append(decimal: line)
        buffer.append(literal: ": ")
    }

    /// The last line: what ran, or, for files that did not parse, how many syntax errors
    /// kept everything from running and in how many files (their diagnostics are on
    /// standard error).
    package func summary(_ total: Evaluation, filesRun: Int, filesGiven: Int, syntaxErrors: (count: Int, files: Int)? = nil) {
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
                case .interrupted: Words.interrupted
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
