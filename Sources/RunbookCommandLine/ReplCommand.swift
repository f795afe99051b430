import ArgumentParser
import ConnectionCore
import FoundationEssentials
import RunbookFiles
import RunbookLanguage
import RunbookREPL
import RunbookReport

#if canImport(Glibc)
    import Glibc
#endif

/// `runbook repl [--state S.json]`.
struct ReplCommand: RunbookCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract:
            "Explore the rules interactively (GNU readline); from a pipe, run entries and meta-commands until the first error.")

    @Option(name: .long, help: "Start from this state file.", completion: .stateFiles)
    var state: String?

    func status() throws(Failure) -> Int32 {
        var instance = Instance()
        var loaded: (path: String, digest: String?)?
        if let state {
            do throws(StateFileError) {
                let (read, digest) = try StateStore.loadWithDigest(state)
                instance = read
                loaded = (state, digest)
            } catch {
                throw .state(error)
            }
        }
        var repl = Repl(instance: instance, stateFile: loaded)
        // No terminal: the same entries and meta-commands, without prompts or line editing.
        return repl.run(onTerminal: isatty(0) == 1)
    }
}
