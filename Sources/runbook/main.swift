import ArgumentParser
import RunbookFiles

#if canImport(Glibc)
    import Glibc
#endif

/// `runbook`: rehearse changes to a Marketo integration against a model of its rules.
struct Runbook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Rehearse and verify changes to the Marketo integration of a Sales Insight Actions instance.",
        discussion: """
            With no arguments, runbook starts the REPL on a terminal and runs standard input \
            as a runbook when it is a pipe.
            Exit status: 0 success; 1 stopped on a violation, a failed expectation or a failed \
            scenario; 64 bad usage; 65 a runbook does not parse, or a state file is invalid; \
            66 an input cannot be read; 74 standard output or standard error cannot be written.
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, TestCommand.self, ReplCommand.self, FmtCommand.self, PlanCommand.self,
            RulesCommand.self, ExplainCommand.self, LspCommand.self, ProcedureCommand.self,
        ])
}

extension Runbook {
    /// Parses `arguments` (the command line's when `nil`) and runs the command, as
    /// `main()` would, but prints what the argument parser says (help, usage errors)
    /// through `Output`, so that a failed write is seen; returns the exit status.
    static func execute(_ arguments: [String]? = nil) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return ExitStatus.success
        } catch {
            let status = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if !message.isEmpty { (status == ExitStatus.success ? Output.standard : Output.error).line(message) }
            return status
        }
    }
}

// Before anything else is opened: a closed standard stream is open on /dev/null, so that no
// file this program opens takes its place.
StandardStreams.openClosed()

let status: Int32
switch Arguments.resolved(CommandLine.arguments) {
case .failure(let failure): status = failure.report()
case .success(let arguments):
    if let job = RunJob(commandLine: arguments) {
        status = job.execute()
    } else if arguments.count == 1 {
        // `runbook` alone: the REPL on a terminal, a batch run of a pipe.
        status = Runbook.execute(isatty(0) == 1 ? ["repl"] : ["run", "-"])
    } else {
        status = Runbook.execute(Array(arguments.dropFirst()))
    }
}
exit(Output.exitStatus(status))
