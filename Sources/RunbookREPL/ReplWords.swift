import ConnectionCore
import RunbookLanguage
import RunbookReport

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

    /// `:reset`.
    static let emptyAgain = "the instance is empty again"

    /// `:save FILE`.
    static func saved(_ path: String) -> String { "saved \(path)" }

    /// A meta-command that is not one, with the one it is closest to.
    static func unknownCommand(_ command: String, closest: String?) -> String {
        "unknown command '\(command)'" + (closest.map { "; did you mean '\($0)'?" } ?? "") + " (:help lists them)"
    }

    /// The hint on a rule id that is not one: where the ids are listed.
    static let rulesListed = ":rules lists the rule ids"

    /// A meta-command given what it does not take: `usage: :reset`, `usage: :run FILE`.
    static func usage(_ form: String) -> String { "usage: \(form)" }

    /// `:plan` or `:plan!` without goals.
    static func planUsage(_ command: String) -> String {
        usage("\(command) GOAL; GOAL...   for example  \(command) owner adminB; adminA absent")
    }

    /// Ctrl-D on an empty `...>` line: the open entry, named by its first line, is not run.
    static func droppedOpenEntry(_ firstLine: String) -> String {
        "dropped the unfinished entry, which did not run: \(firstLine) ..."
    }

    /// The first line of an interactive session.
    static func banner(version: String) -> String {
        "runbook \(version): rehearse Marketo integration changes. :help for help, Ctrl-D to leave."
    }

    /// After the notice of changes not committed, on a terminal.
    static let uncommittedHint = "  hint: :commit writes them; leave again to drop them"

    /// Words typed as if they were commands, which are not statements: where to look instead.
    static let notAStatement = [
        "help": "type :help for help", "?": "type :help for help",
        "exit": "type :quit or press Ctrl-D to leave", "quit": "type :quit or press Ctrl-D to leave",
    ]

    /// "3 members, owner adminA".
    static func summary(members: Int, owner: String?) -> String {
        "\(Words.counted(members, "member")), owner \(owner.map(Words.spell) ?? "none")"
    }

    /// `:load` of the file `:commit` writes to, which does not exist yet.
    static func notYet(_ path: String) -> String {
        "\(path) does not exist yet: the instance is empty; :commit creates it"
    }

    /// `:run` of a file that does not parse.
    static func didNotRun(_ path: String) -> String { "\(path) did not run; the state is as it was" }

    /// A line stopped by Ctrl-C.
    static let lineInterrupted = "interrupted; the state is as it was before the line"

    /// `:run` stopped by Ctrl-C.
    static let runInterrupted = "interrupted; the state is as it was before :run"

    /// `:run` of a file that stopped.
    static func runStopped(_ path: String) -> String { "\(path) stopped; the state is as it was before :run" }

    /// `:help`.
    static let help = """
        Type runbook statements; each runs at once against this session's instance.
          admin NAMES / user NAMES          declare members
          as NAME connect | disconnect      connect or disconnect the integration
          as NAME grant | revoke | remove NAMES
          as NAME VERB ... anyway           perform it even where a hazard flags it, stranding
                                            whoever loses access (never passes a refusal)
          expect owner NAME|none, expect NAMES connected | not connected | has access | absent
          expect NAMES stranded             lost access when the integration stopped
          expect violation [RULE-ID] as NAME VERB ...
          show                              print the state
          scenario "title" { ... }          run a scenario on a copy of the state
        Meta-commands:
          :help           this text
          :state          members, roles, connections, owner, grants
          :rules          the rule catalogue
          :explain RULE   one rule in full, with examples
          :reset          start again from an empty instance
          :undo           take back one step: a line, :run, :plan!, :load or :reset (repeatable)
          :load FILE      load a state file (:commit then writes to it, without --state)
          :save FILE      save the state to a file (atomically)
          :commit         write the state back to the file of 'repl --state FILE'
          :run FILE       run a runbook; if it stops, the state is as before
          :plan GOAL; GOAL  the shortest safe runbook to the goals; :plan! runs it
                            (for example  :plan owner adminB; adminA absent)
          :procedure [sv] the clicks in the product for the steps since the start or :load
          :quit           leave (so does Ctrl-D on an empty line)
        Tab completes keywords, members, verbs, rule ids and paths; Ctrl-C drops the input,
        or stops :run and :plan with the state as it was.

        """
}
