import ConnectionCore
import RunbookLanguage

/// The REPL's own sentences about its steps and its state file: what `:undo` took back,
/// what a line that stopped left, what `:load` loaded and where `:commit` writes.
enum ReplWords {
    /// After a line that stopped, or whose scenario failed, once it had changed something.
    static let rolledBack = "the whole line is rolled back; the state is as it was before it"

    static let nothingToUndo = "nothing to undo"

    /// `undone: as adminA grant adminB, bob (2 more steps to undo)`.
    static func undone(_ step: String, left: Int) -> String {
        "undone: \(step) (" + (left == 0 ? "nothing more to undo" : Words.counted(left, "more step") + " to undo") + ")"
    }

    /// `:load` of the file `:commit` writes to: `repl --state`'s, or the first one loaded.
    static func loadedCommitTarget(_ path: String, _ summary: String) -> String {
        "loaded \(path): \(summary); :commit writes changes back"
    }

    /// `:undo` of the `:load` that named the file `:commit` writes to.
    static func targetUnnamed(_ path: String) -> String {
        ":commit no longer writes to \(path)"
    }

    /// `:load` of another file than the one `:commit` writes to.
    static func loaded(_ path: String, _ summary: String, commitsTo target: String) -> String {
        "loaded \(path): \(summary); :commit still writes to \(target)"
    }

    /// How to raise a bound `:plan` reached: the REPL has no options for it.
    static func raise(_ bound: Planner.Bound) -> String? {
        if case .cancelled = bound { return nil }
        return ":plan searches within the default bounds; runbook plan can raise them"
    }
}
