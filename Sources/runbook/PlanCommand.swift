import ArgumentParser
import ConnectionCore
import RunbookFiles
import RunbookLanguage

/// `runbook plan --state S.json GOAL...`.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the shortest runbook that reaches the goals without a violation.",
        discussion: """
            A GOAL is an expectation without 'expect': 'owner adminB' 'adminA absent' 'bob connected'. \
            The plan is printed as a runbook to run with 'runbook run --state S.json'. Exit status 1 \
            when no plan exists (with the reason) or the search reached a bound.
            """)

    @Option(name: .long, help: "The state to plan from.")
    var state: String

    @Argument(help: "Goals, each one argument: 'owner adminB'.")
    var goals: [String]

    @Option(name: .long, help: "The most states to explore.")
    var maxStates = Planner.Bounds().maxStates

    @Option(name: .long, help: "The most actions a plan may have.")
    var maxActions = Planner.Bounds().maxDepth

    func validate() throws {
        if goals.isEmpty { throw ValidationError("name at least one goal, such as 'owner adminB'") }
        if maxStates < 1 || maxActions < 0 { throw ValidationError("the bounds must be positive") }
    }

    func run() throws {
        var parsed: [Goal] = []
        for goal in goals {
            switch Goals.parse(SourceFile(name: "<goal>", text: goal)) {
            case .success(let g): parsed += g
            case .failure(let failure):
                let first = failure.diagnostics[0]
                throw finish(Failure.usage("invalid goal '\(goal)': \(first.message)", hints: first.hints).report())
            }
        }
        let instance: Instance
        do throws(StateFileError) { instance = try StateStore.load(state) } catch {
            throw finish(Failure.state(error).report())
        }
        let planner = Planner(bounds: .init(maxStates: maxStates, maxDepth: maxActions))
        throw finish(Self.report(planner.plan(from: instance, to: parsed), goals: parsed, origin: state))
    }

    /// Prints a planner result; returns the exit status.
    static func report(_ result: Planner.Result, goals: [Goal], origin: String) -> Int32 {
        switch result {
        case .plan(let actions, _):
            Output.standard.write(Goals.runbook(actions, goals: goals, from: origin))
            return ExitStatus.success
        case .impossible(let reason, let rule):
            Output.error.line("runbook: no plan: \(reason)" + (rule.map { " [\($0.rawValue)]" } ?? ""))
            return ExitStatus.stopped
        case .boundReached(let what):
            Output.error.line("runbook: no plan found: \(what)")
            Output.error.line("  hint: raise the bounds with --max-states or --max-actions")
            return ExitStatus.stopped
        }
    }
}
