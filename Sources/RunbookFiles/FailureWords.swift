import RunbookLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// The words of the failures and notices every client prints.
extension Failure {
    /// The hint on a rule id that is not one: where the ids are listed.
    package static let rulesListed = "'runbook rules' lists the rule ids"

    /// The lines to print on standard error.
    package var lines: [String] {
        switch self {
        case .cannotRead(let error) where error.path.isEmpty: ["runbook: cannot read a file with an empty name"]
        case .cannotRead(let error): ["runbook: \(error.path): cannot read: \(error.reason)"]
        case .state(let error): ["runbook: \(error)"]
        case .usage(let message, let hints): ["runbook: \(message)"] + hints.map { "  hint: \($0)" }
        case .unknownRule(let word):
            ["runbook: unknown rule '\(word)'" + Failure.didYouMean(Catalogue.suggestedRules(for: word))]
                + ["  hint: " + Failure.rulesListed]
        case .unknownCommand(let word, let closest):
            ["runbook: '\(word)' is neither a command nor a file" + (closest.map { "; did you mean '\($0)'?" } ?? "")]
                + ["  hint: 'runbook --help' lists the commands"]
        case .noPlan(let problem, let hints): ["runbook: \(problem)"] + hints.map { "  hint: \($0)" }
        case .noTestMatches(let filter): ["runbook: no test's title contains '\(filter)'"]
        case .noProcedure(let reason): ["runbook: no procedure: \(reason)"]
        case .noRunbooks(let path): ["runbook: \(path): no .runbook files to test"]
        case .cannotWrite(let path, let reason): ["runbook: \(path): cannot write: \(reason)"]
        case .cannotWriteOutput(let stream, let code):
            [
                "runbook: cannot write to \(stream == .standardOutput ? "standard output" : "standard error"): \(String(cString: strerror(code)))"
            ]
        case .notCommitted(let state): ["runbook: \(state) is not committed: the run's output could not all be written"]
        case .changedSinceLoaded(let state):
            [
                "runbook: \(state) changed since this session loaded it; not committed",
                "  hint: :save FILE keeps this session's state elsewhere; :load \(state) takes the new one",
            ]
        case .noCommitTarget:
            [
                "runbook: this session has no state file to commit to",
                "  hint: :load FILE names one, as 'runbook repl --state FILE' does; :save FILE writes anywhere",
            ]
        }
    }

    /// `; did you mean 'a'?`, `; did you mean 'a' or 'b'?`; nothing for no suggestion.
    private static func didYouMean(_ suggestions: [String]) -> String {
        suggestions.isEmpty ? "" : "; did you mean \(Words.list(suggestions.map { "'\($0)'" }, or: true))?"
    }
}

extension Notice {
    /// The line to print on standard error.
    package var line: String {
        switch self {
        case .waitingForLock(let state): "runbook: waiting for another runbook committing to \(state)"
        case .notFormatted: "runbook: the files above are not formatted; run 'runbook fmt --write' on them"
        case .inputNotFormatted: "runbook: standard input is not formatted; 'runbook fmt -' prints it formatted"
        case .committed(let state): "runbook: committed to \(state)"
        case .leftUnchanged(let state): "runbook: \(state) left unchanged"
        case .historyNotSaved(let path):
            "runbook: warning: cannot save history to \(path); \(Notice.sessionOnly)"
        case .historyNotUsed(let path, let reason): "runbook: warning: history file \(path) \(reason); \(Notice.sessionOnly)"
        case .noStateFile(let state): "runbook: note: \(state) does not exist: starting from an empty instance"
        case .uncommitted(let state, let dropped): "runbook: changes not committed to \(state)" + (dropped ? " are dropped" : "")
        case .badSourceDateEpoch(let value):
            "runbook: warning: SOURCE_DATE_EPOCH='\(value)' is not a date: it must be an integer, the seconds "
                + "since 1970 (years 1 to 9999); the report is dated now"
        }
    }

    private static let sessionOnly = "history is kept for this session only"
}
