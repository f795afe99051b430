import ArgumentParser
import ConnectionCore
import RunbookFiles
import RunbookServer

#if canImport(Glibc)
    import Glibc
#endif

/// `runbook lsp [--state S.json]`: the language server on standard input and output.
struct LspCommand: RunbookCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Serve the Language Server Protocol 3.17 on standard input and output, for editors.")

    @Option(name: .long, help: "Run documents against this state file (initializationOptions.state overrides it).")
    var state: String?

    func status() throws(Failure) -> Int32 {
        var instance = Instance()
        if let state {
            instance = try StateStore.loadForCommand(state).instance
        }
        // A client that goes away makes writes fail, not the process end.
        signal(SIGPIPE, SIG_IGN)
        var server = LanguageServer(base: .instance(instance)) { line in
            Output.error.line("runbook lsp: " + line)
            Output.error.flush()
        }
        var input = FileInput(fd: 0)
        var output = FileOutput(fd: 1)
        return serve(&server, input: &input, output: &output)
    }
}
