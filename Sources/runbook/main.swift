import ArgumentParser

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
            66 an input cannot be read.
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, TestCommand.self, ReplCommand.self, FmtCommand.self, PlanCommand.self,
            RulesCommand.self, ExplainCommand.self, LspCommand.self,
        ])
}

if let job = RunJob(commandLine: CommandLine.arguments) {
    exit(finish(job.execute()).rawValue)
} else if CommandLine.arguments.count == 1 {
    // `runbook` alone: the REPL on a terminal, a batch run of a pipe.
    Runbook.main(isatty(0) == 1 ? ["repl"] : ["run", "-"])
} else {
    Runbook.main()
}
