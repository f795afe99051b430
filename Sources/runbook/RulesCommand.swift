import ArgumentParser
import ConnectionCore
import RunbookLanguage

/// `runbook rules`: the rule catalogue.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List the rules of the connection core with their seed sources.")

    func run() throws {
        Output.standard.write(Catalogue.list())
        throw finish(ExitStatus.success)
    }
}

/// `runbook explain RULE-ID`: one rule in full, with runbooks that trigger and avoid it.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain one rule: its source, its reading and examples.")

    @Argument(help: "A rule id, as 'runbook rules' lists them.")
    var rule: String

    func run() throws {
        guard let id = RuleID(rawValue: rule) else {
            var message = "runbook: unknown rule '\(rule)'"
            if let close = Catalogue.closestRule(to: rule) { message += "; did you mean '\(close)'?" }
            Output.error.line(message)
            Output.error.line("  hint: 'runbook rules' lists the rule ids")
            throw finish(ExitStatus.usage)
        }
        Output.standard.write(Catalogue.explain(id))
        throw finish(ExitStatus.success)
    }
}
