import ArgumentParser
import ConnectionCore
import RunbookFiles
import RunbookLanguage
import RunbookReport

/// `runbook plan --state S.json GOAL...`.
struct PlanCommand: RunbookCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the shortest runbook that reaches the goals without a violation.",
        discussion: """
            A GOAL is an expectation without 'expect': 'owner adminB' 'adminA absent' 'bob connected'. \
            The plan is printed as a runbook to run with 'runbook run --state S.json'. Exit status 1 \
            when no plan exists (with the reason) or the search reached a bound.
            """)

    @Option(name: .long, help: "The state to plan from.", completion: .stateFiles)
    var state: String

    @Argument(help: "Goals, each one argument: 'owner adminB'.")
    var goals: [String]

    @Option(name: .long, help: "The most seconds the search may take.")
    var timeout = 10.0

    @Option(name: .customLong("max-memory"), help: "About how many MiB the search may hold.")
    var maxMemory = Planner.Bounds().memory! >> 20

    @Option(name: .long, help: "The most states to explore (no limit unless given).")
    var maxStates: Int?

    @Option(name: .long, help: "The most actions a plan may have (no limit unless given).")
    var maxActions: Int?

    /// The largest `--max-memory` whose bytes an `Int` holds.
    static let mostMemory = Int.max >> 20

    func validate() throws {
        if goals.isEmpty { throw ValidationError(Failure.noGoals) }
        if !(timeout > 0) || maxMemory < 1 || (maxStates ?? 1) < 1 || (maxActions ?? 0) < 0 {
            throw ValidationError(Failure.boundsNotPositive)
        }
        // The search counts bytes in an `Int`: more MiB than that holds would wrap around.
        if maxMemory > Self.mostMemory {
            throw ValidationError(Failure.boundTooLarge("--max-memory", most: Self.mostMemory, unit: "MiB"))
        }
    }

    func status() throws(Failure) -> Int32 {
        var parsed: [Goal] = []
        for goal in goals {
            switch Goals.parse(SourceFile(name: "<goal>", text: goal)) {
            case .success(let g) where g.isEmpty:
                // An empty argument is an empty shell variable more often than a request.
                throw .usage(Failure.emptyGoal)
            case .success(let g): parsed += g
            case .failure(let failure):
                let first = failure.diagnostics[0]
                throw .usage(Failure.invalidGoal(goal, first.message), hints: first.hints)
            }
        }
        let instance = try StateStore.loadForCommand(state).instance
        let bounds = Planner.Bounds(
            timeout: .milliseconds(Int64(min(timeout, 1e9) * 1000)), memory: maxMemory << 20, states: maxStates,
            depth: maxActions)
        let result = Planner(bounds: bounds).plan(from: instance, to: parsed)
        let report = Goals.describe(result, goals: parsed, from: state, members: instance.members.map(\.name), start: instance)
        guard let runbook = report.runbook else { throw .noPlan(report, raise: PlanWords.raise) }
        Output.standard.write(runbook)
        return ExitStatus.success
    }
}
