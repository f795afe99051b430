import RunbookFiles
import RunbookLanguage
import RunbookReport

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

}

/// The command line's words that neither end a command nor tell what is happening.
enum CommandLineWords {
    /// The last line of `runbook rules`: how many, and where to read one in full.
    static func rulesListing(_ count: Int) -> String {
        "\(count) rules; 'runbook explain RULE-ID' shows one with examples"
    }
}
