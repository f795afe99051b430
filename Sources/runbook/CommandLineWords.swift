import RunbookLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// The command line's own words: its failures, its notices and the usage errors of its
/// options. The runbook's words are the language's.
extension Failure {
    /// The usage error of a bound that is zero or negative.
    static let boundsNotPositive = "the bounds must be positive"

    /// The usage error of an option that takes a positive number, given another.
    static func notPositive(_ option: String, unit: String) -> String {
        "\(option) takes a positive number of \(unit)"
    }

    /// The usage error of a bound larger than the command can count to.
    static func boundTooLarge(_ option: String, most: Int, unit: String) -> String {
        "\(option) is at most \(Words.grouped(most)) \(unit)"
    }

    /// `--tap-version` given to a command line that writes no TAP.
    static let tapVersionWithoutTAP = "--tap-version is for --format tap"

    /// A TAP version other than the two `test` writes.
    static func unknownTAPVersion(_ version: Int) -> String {
        "TAP version \(version) is not written: choose 13 or 14"
    }

    /// `--report` naming a file the run reads.
    static func reportReplacesInput(report: String, input: String) -> String {
        "--report \(report) would replace \(input), an input of this run"
    }

    /// `run --commit` without a state file.
    static let commitNeedsState = "--commit needs --state FILE to write to"

    /// `run` with no file.
    static let noRunbookFiles = "name at least one runbook file, or '-' for standard input"

    /// `-` given twice.
    static let standardInputTwice = "standard input ('-') can be read only once"

    /// `plan` with no goal.
    static let noGoals = "name at least one goal, such as 'owner adminB'"

    /// `plan ''`.
    static let emptyGoal = "an empty goal: name one, such as 'owner adminB'"

    /// A goal that does not parse, with the language's reason.
    static func invalidGoal(_ goal: String, _ reason: String) -> String {
        "invalid goal '\(goal)': \(reason)"
    }

    /// `test --coverage --format junit`.
    static let coverageFormats = "--coverage is printed with --format text, tap or json"

    /// `fmt --check --write`.
    static let checkAndWrite = "--check and --write cannot be combined"

    /// `fmt --write -`.
    static let writeStandardInput = "--write cannot rewrite standard input"

    /// The hint on a rule id that is not one: where the ids are listed.
    static let rulesListed = "'runbook rules' lists the rule ids"

    /// The lines to print on standard error.
    var lines: [String] {
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
    var line: String {
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

/// The command line's words that neither end a command nor tell what is happening.
enum CommandLineWords {
    /// The last line of `runbook rules`: how many, and where to read one in full.
    static func rulesListing(_ count: Int) -> String {
        "\(count) rules; 'runbook explain RULE-ID' shows one with examples"
    }
}
