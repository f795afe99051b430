import ArgumentParser
import RunbookFiles
import RunbookLanguage
import RunbookReport

/// What the first word of a command line means when it is not an option.
enum Arguments {
    /// The subcommands' names, as typed.
    static var commands: [String] {
        Runbook.configuration.subcommands.map { $0.configuration.commandName ?? "" } + ["help"]
    }

    /// The command line with its command spelled out: `runbook FILE ...` runs the file, as
    /// `lua FILE` does. A first word that is neither a command nor a file is a usage error,
    /// with the command it is closest to.
    static func resolved(_ arguments: [String]) -> Result<[String], Failure> {
        guard arguments.count >= 2 else { return .success(arguments) }
        let first = arguments[1]
        if first.hasPrefix("-") && first != "-" || commands.contains(first) { return .success(arguments) }
        if first == "-" || first.isEmpty || first.contains("/") || first.hasSuffix(".runbook") || Path.exists(first) {
            return .success([arguments[0], "run"] + arguments.dropFirst())
        }
        return .failure(Failure.unknownCommand(first, closest: Suggest.closest(to: first, among: commands)))
    }

}

extension CompletionKind {
    /// Runbook files, and folders to find them in.
    static var runbooks: CompletionKind { .file(extensions: ["runbook"]) }
    /// State files.
    static var stateFiles: CompletionKind { .file(extensions: ["json"]) }
}
