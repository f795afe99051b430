import ArgumentParser
import ConnectionCore
import FoundationEssentials
import RunbookFiles
import RunbookLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// `runbook repl [--state S.json]`.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Explore the rules interactively (GNU readline); standard input that is not a terminal runs as a batch.")

    @Option(name: .long, help: "Start from this state file.", completion: .stateFiles)
    var state: String?

    func run() throws {
        guard isatty(0) == 1 else {
            // No terminal: no prompts, no line editing; run standard input as a runbook.
            throw finish(RunJob(files: ["-"], state: state, commit: false, quiet: false, json: false).execute())
        }
        var instance = Instance()
        if let state {
            do throws(StateFileError) { instance = try StateStore.load(state) } catch {
                throw finish(Failure.state(error).report())
            }
        }
        var repl = Repl(instance: instance)
        repl.loop()
        throw finish(ExitStatus.success)
    }
}
