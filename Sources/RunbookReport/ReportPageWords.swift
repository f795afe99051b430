/// The labels of the rehearsal report's page; the words of its content (statuses, steps,
/// results) are the language's `ReportWords`.
enum ReportPageWords {
    /// The page's title: the files and the result.
    static func title(files: [String], result: String) -> String {
        "runbook rehearsal: " + files.joined(separator: ", ") + ": " + result
    }

    static let heading = "Rehearsal report"
    /// Before the list of what failed.
    static let failedLead = "failed: "

    // MARK: Facts

    static let command = "command"
    static func files(_ count: Int) -> String { count == 1 ? "file" : "files" }
    static let stateFile = "state file"
    static let before = "before"
    static let after = "after"
    static let date = "date"
    /// The version of runbook that wrote the report.
    static let version = "runbook"

    // MARK: The grid and coverage

    /// The heading of the grid's member column.
    static let member = "member"
    /// The mark on the step a run stopped at.
    static let stoppedHere = "stopped here"
    static let coverage = "Rule coverage"
}
