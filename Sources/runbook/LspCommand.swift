import ArgumentParser
import ConnectionCore
import RunbookFiles

#if canImport(Glibc)
    import Glibc
#endif

/// `runbook lsp [--state S.json]`: the language server on standard input and output.
struct LspCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Serve the Language Server Protocol 3.17 on standard input and output, for editors.")

    @Option(name: .long, help: "Run documents against this state file (initializationOptions.state overrides it).")
    var state: String?

    func run() throws {
        var instance = Instance()
        if let state {
            do throws(Failure) { instance = try StateStore.loadForCommand(state).instance } catch {
                throw finish(error.report())
            }
        }
        // A client that goes away makes writes fail, not the process end.
        signal(SIGPIPE, SIG_IGN)
        var server = LanguageServer(base: .instance(instance)) { line in
            Output.error.line("runbook lsp: " + line)
            Output.error.flush()
        }
        var input = FileInput(fd: 0)
        var output = FileOutput(fd: 1)
        throw finish(serve(&server, input: &input, output: &output))
    }
}
