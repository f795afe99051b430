import ArgumentParser
import ConnectionCore
import RunbookLanguage

/// `runbook rules`: the rule catalogue.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List the rules of the connection core with their seed sources.")

    func run() throws {
        Output.standard.write(Catalogue.list())
        Output.standard.line(CommandLineWords.rulesListing(Rule.catalogue.count))
        throw finish(ExitStatus.success)
    }
}

/// `runbook explain RULE-ID`: one rule in full, with runbooks that trigger and avoid it.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain one rule: its source, its reading and examples.")

    @Argument(help: "A rule id, as 'runbook rules' lists them.", completion: .list(RuleID.allCases.map(\.rawValue)))
    var rule: String

    func run() throws {
        guard let id = RuleID(rawValue: rule) else { throw finish(Failure.unknownRule(rule).report()) }
        Output.standard.write(Catalogue.explain(id))
        throw finish(ExitStatus.success)
    }
}
