import ArgumentParser
import FoundationEssentials
import RunbookLanguage

/// `runbook fmt FILE... [--check] [--write]`.
struct FmtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Print, check or rewrite runbooks in the canonical layout; comments are kept.")

    @Argument(help: "Runbook files ('-' reads standard input).")
    var files: [String] = ["-"]

    @Flag(name: .long, help: "Print nothing; exit 1 naming the files that are not formatted.")
    var check = false

    @Flag(name: .long, help: "Rewrite the files in place (atomically).")
    var write = false

    func validate() throws {
        if check && write { throw ValidationError("--check and --write cannot be combined") }
        if write && files.contains("-") { throw ValidationError("--write cannot rewrite standard input") }
    }

    func run() throws {
        throw finish(execute())
    }

    func execute() -> Int32 {
        var renderer = DiagnosticRenderer(color: Output.error.wantsColor)
        var status = ExitStatus.success
        for file in files {
            let source: SourceFile
            do throws(InputError) { source = try SourceFile(contentsOf: file) } catch {
                Output.error.line("runbook: \(error.path): cannot read: \(error.reason)")
                status = max(status, ExitStatus.noInput)
                continue
            }
            switch Formatter.format(source) {
            case .failure(let failure):
                for d in failure.diagnostics { Output.error.write(renderer.render(d)) }
                status = max(status, ExitStatus.dataError)
            case .success(let text):
                let unchanged = Array(text.utf8) == source.bytes
                if check {
                    if !unchanged {
                        Output.standard.line(source.name)
                        status = max(status, ExitStatus.stopped)
                    }
                } else if write {
                    if !unchanged, let error = replace(file, with: text) {
                        Output.error.line("runbook: \(file): cannot write: \(error)")
                        status = max(status, ExitStatus.stopped)
                    }
                } else {
                    Output.standard.write(text)
                }
            }
        }
        if check && status == ExitStatus.stopped {
            Output.error.line("runbook: the files above are not formatted; run 'runbook fmt --write' on them")
        }
        return status
    }

    /// Replaces a file's text atomically, keeping its mode.
    private func replace(_ path: String, with text: String) -> String? {
        do throws(AtomicFile.Failure) {
            try AtomicFile.write(Array(text.utf8), to: path, what: "text")
            return nil
        } catch {
            return error.reason
        }
    }
}
