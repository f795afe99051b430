import ArgumentParser
import FoundationEssentials
import RunbookFiles
import RunbookLanguage
import RunbookReport

#if canImport(Glibc)
    import Glibc
#endif

/// `runbook fmt FILE... [--check] [--write] [--width N]`.
struct FmtCommand: RunbookCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Print, check or rewrite runbooks in the canonical layout; comments are kept.")

    @Argument(help: "Runbook files and folders, searched recursively ('-' reads standard input).", completion: .runbooks)
    var files: [String] = ["-"]

    @Flag(name: .long, help: "Print nothing; exit 1 naming the files that are not formatted.")
    var check = false

    @Flag(name: .long, help: "Rewrite the files in place (atomically), naming each file rewritten.")
    var write = false

    // Unconditional, so that `--width -5` is read as a width, and refused as one.
    @Option(
        name: .long, parsing: .unconditional, help: "The width past which a names list breaks after its commas (default 100).")
    var width = Formatter.defaultWidth

    func validate() throws {
        if check && write { throw ValidationError(Failure.checkAndWrite) }
        if write && files.contains("-") { throw ValidationError(Failure.writeStandardInput) }
        if width < 1 { throw ValidationError(Failure.notPositive("--width", unit: "characters")) }
    }

    func status() throws(Failure) -> Int32 {
        return execute()
    }

    func execute() -> Int32 {
        var renderer = DiagnosticRenderer(color: Output.error.wantsColor)
        var status = ExitStatus.success
        var found: [String] = []
        // Which of the sources `--check` found not formatted: files, and standard input.
        var unformattedFiles = false
        var unformattedInput = false
        for path in files {
            switch SourceFile.runbooks(at: path) {
            case .success(let runbooks): found += runbooks
            case .failure(let error): status = max(status, Failure.cannotRead(error).report())
            }
        }
        for file in found {
            let source: SourceFile
            do throws(InputError) { source = try SourceFile.read(file) } catch {
                status = max(status, Failure.cannotRead(error).report())
                continue
            }
            let parsed = Parser.parseUsingThreads(source)
            guard parsed.isComplete else {
                Output.error.write(
                    renderer.render(parsed.errors.map(Hints.added), unreported: Unreported(errors: parsed.unreported.errors)))
                status = max(status, ExitStatus.dataError)
                continue
            }
            var text = ByteBuffer(capacity: source.bytes.count + 64)
            Formatter.write(parsed.chunk, into: &text, width: width)
            let unchanged = text.withBytes { formatted in
                source.bytes.withUnsafeBufferPointer { original in
                    formatted.count == original.count
                        && (formatted.isEmpty || memcmp(formatted.baseAddress!, original.baseAddress!, formatted.count) == 0)
                }
            }
            if check {
                if !unchanged {
                    Output.standard.line(Words.printable(source.name))
                    status = max(status, ExitStatus.stopped)
                    if file == "-" { unformattedInput = true } else { unformattedFiles = true }
                }
            } else if write {
                guard !unchanged else { continue }
                if let reason = text.withBytes({ replace(file, with: Array($0)) }) {
                    status = max(status, Failure.cannotWrite(path: file, reason: reason).report())
                } else {
                    Output.standard.line(Words.printable(source.name))
                }
            } else {
                text.withBytes { bytes in Output.standard.write { $0.append(bytes) } }
            }
        }
        if unformattedFiles { Notice.notFormatted.say() }
        if unformattedInput { Notice.inputNotFormatted.say() }
        return status
    }

    /// Replaces a file's text atomically, keeping its mode; the reason when it cannot.
    private func replace(_ path: String, with text: [UInt8]) -> String? {
        do throws(AtomicFile.Failure) {
            try AtomicFile.write(text, to: path, what: "text")
            return nil
        } catch {
            return error.reason
        }
    }
}
