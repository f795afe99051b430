import ArgumentParser

/// `runbook plan --state S.json GOAL...`.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Find the shortest safe runbook that reaches the goals.")

    @Option(name: .long, help: "The state to plan from.")
    var state: String

    @Argument(help: "Goals: expectations without 'expect', such as 'owner adminB'.")
    var goals: [String]

    func run() throws {
        Output.error.line("runbook: the planner is not available yet")
        throw finish(ExitStatus.usage)
    }
}
