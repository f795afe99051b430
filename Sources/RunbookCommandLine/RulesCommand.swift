import ArgumentParser
import ConnectionCore
import RunbookFiles
import RunbookLanguage
import RunbookReport

/// `runbook rules`: the rule catalogue.
struct RulesCommand: RunbookCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List the rules of the connection core with their seed sources.")

    func status() throws(Failure) -> Int32 {
        Output.standard.write(Catalogue.list())
        Output.standard.line(CommandLineWords.rulesListing(Rule.catalogue.count))
        return ExitStatus.success
    }
}

/// `runbook explain RULE-ID`: one rule in full, with runbooks that trigger and avoid it.
struct ExplainCommand: RunbookCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain one rule: its source, its reading and examples.")

    @Argument(help: "A rule id, as 'runbook rules' lists them.", completion: .list(RuleID.allCases.map(\.rawValue)))
    var rule: String

    func status() throws(Failure) -> Int32 {
        guard let id = RuleID(rawValue: rule) else { throw .unknownRule(rule) }
        Output.standard.write(Catalogue.explain(id))
        return ExitStatus.success
    }
}
