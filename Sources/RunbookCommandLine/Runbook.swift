import ArgumentParser
import RunbookFiles
import RunbookLanguage
import RunbookReport

#if canImport(Glibc)
    import Glibc
#endif

/// `runbook`: rehearse changes to a Marketo integration against a model of its rules.
public struct Runbook: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Rehearse and verify changes to the Marketo integration of a Sales Insight Actions instance.",
        discussion: """
            With no arguments, runbook starts the REPL on a terminal and runs standard input \
            as a runbook when it is a pipe.
            Exit status: 0 success; 1 stopped on a violation, a failed expectation or a failed \
            scenario; 64 bad usage; 65 a runbook does not parse, or a state file is invalid; \
            66 an input cannot be read; 74 standard output or standard error cannot be written.
            """,
        version: Words.version,
        subcommands: [
            RunCommand.self, TestCommand.self, ReplCommand.self, FmtCommand.self, PlanCommand.self,
            RulesCommand.self, ExplainCommand.self, LspCommand.self, ProcedureCommand.self,
        ])

    public init() {}

    /// Runs the command line `arguments` (`CommandLine.arguments`) and exits with its status.
    public static func exit(withStatusOf arguments: [String]) -> Never {
        // Before anything else is opened: a closed standard stream is open on /dev/null, so
        // that no file this program opens takes its place.
        StandardStreams.openClosed()
        Glibc.exit(Output.exitStatus(status(of: arguments)))
    }

    /// The status of the command line `arguments`, once it has run.
    static func status(of arguments: [String]) -> Int32 {
        switch Arguments.resolved(arguments) {
        case .failure(let failure): return failure.report()
        case .success(let arguments):
            if let job = RunJob(commandLine: arguments) { return job.execute() }
            // `runbook` alone: the REPL on a terminal, a batch run of a pipe.
            if arguments.count == 1 { return execute(isatty(0) == 1 ? ["repl"] : ["run", "-"]) }
            return execute(Array(arguments.dropFirst()))
        }
    }

    /// Parses `arguments` and runs the command, printing what the argument parser says
    /// (help, usage errors) through `Output`, so that a failed write is seen; returns the
    /// exit status.
    static func execute(_ arguments: [String]) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            guard let runbookCommand = command as? any RunbookCommand else {
                try command.run()
                return ExitStatus.success
            }
            return status(of: runbookCommand)
        } catch {
            let status = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if !message.isEmpty { (status == ExitStatus.success ? Output.standard : Output.error).line(message) }
            return status
        }
    }

    /// The one place a command's failure becomes words on standard error and an exit status.
    static func status(of command: some RunbookCommand) -> Int32 {
        do throws(Failure) {
            return try command.status()
        } catch {
            return error.report()
        }
    }
}

/// A command of `runbook`: it returns its exit status, or throws what went wrong.
protocol RunbookCommand: ParsableCommand {
    /// Runs the command; the exit status, or the failure that ended it.
    func status() throws(Failure) -> Int32
}

extension RunbookCommand {
    /// The argument parser's entry, for a host that calls `main()`: a status other than
    /// success ends the command.
    func run() throws {
        let status = Runbook.status(of: self)
        if status != ExitStatus.success { throw ExitCode(status) }
    }
}
