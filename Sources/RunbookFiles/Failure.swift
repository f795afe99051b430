import ConnectionCore
import RunbookLanguage

/// The exit statuses of SPEC §3.
package enum ExitStatus {
    package static let success: Int32 = 0
    /// Stopped on a violation, a failed expectation or a failed scenario.
    package static let stopped: Int32 = 1
    package static let usage: Int32 = 64
    /// A runbook does not parse, or a state file is invalid.
    package static let dataError: Int32 = 65
    /// An input cannot be read.
    package static let noInput: Int32 = 66
    /// Standard output or standard error cannot be written (sysexits' `EX_IOERR`).
    package static let ioError: Int32 = 74

    package static func of(_ status: Evaluation.Status) -> Int32 {
        switch status {
        case .completed: success
        case .stopped, .interrupted: stopped
        case .didNotParse: dataError
        }
    }
}

/// Every `runbook: ...` message of the command line, with its exit status: the one place
/// where what went wrong outside a runbook becomes words and a status.
package enum Failure: Error {
    /// An input file (or standard input) cannot be read.
    case cannotRead(InputError)
    /// A state file cannot be read, is invalid, or cannot be written.
    case state(StateFileError)
    /// A command line the user must change.
    case usage(String, hints: [String] = [])
    /// An unknown rule id given to `explain`.
    case unknownRule(String)
    /// The planner found no plan: why, and what to do about it.
    case noPlan(String, hints: [String])
    /// `test --filter TEXT` that matched no test.
    case noTestMatches(String)
    /// `test` on a folder that holds no runbook.
    case noRunbooks(in: String)
    /// A first word that is neither a command nor a file, with the command it is closest to.
    case unknownCommand(String, closest: String?)
    /// A file `fmt --write` cannot replace.
    case cannotWrite(path: String, reason: String)
    /// A write to standard output or standard error failed, with this `errno`.
    case cannotWriteOutput(Stream, errno: Int32)
    /// A run whose output could not all be written does not commit its state.
    case notCommitted(state: String)
    /// The REPL's `:commit` to a state file someone changed since the session loaded it.
    case changedSinceLoaded(state: String)
    /// The REPL's `:commit` in a session that names no state file.
    case noCommitTarget

    /// Runbooks that ran clean but cannot become a procedure: why.
    case noProcedure(String)

    /// The planner found no plan: why, with how to raise the bound a search reached, in
    /// the client's own words (`raise`).
    package static func noPlan(_ report: PlanReport, raise: (Planner.Bound) -> String?) -> Failure {
        .noPlan(report.problem ?? "", hints: report.hints + (report.bound.flatMap(raise).map { [$0] } ?? []))
    }

    /// The two streams a failed write can be on.
    package enum Stream {
        case standardOutput, standardError
    }

    package var status: Int32 {
        switch self {
        case .cannotRead: ExitStatus.noInput
        case .state(let error):
            switch error.kind {
            case .unreadable: ExitStatus.noInput
            case .invalid: ExitStatus.dataError
            case .unwritable: ExitStatus.stopped
            }
        case .usage, .unknownRule, .unknownCommand, .noCommitTarget: ExitStatus.usage
        case .cannotWrite, .noTestMatches, .noRunbooks, .noPlan, .changedSinceLoaded, .noProcedure: ExitStatus.stopped
        case .cannotWriteOutput, .notCommitted: ExitStatus.ioError
        }
    }

    /// Prints the failure on standard error, with what cannot reach a terminal escaped
    /// (a file name, a goal); returns its exit status.
    package func report() -> Int32 {
        for line in lines { Output.error.line(Words.printable(line)) }
        return status
    }
}

/// The `runbook: ...` lines that tell what is happening rather than end a command.
package enum Notice {
    /// A committing run waits for another that holds the state file's lock.
    case waitingForLock(state: String)
    /// `fmt --check` found files that are not formatted.
    case notFormatted
    /// `fmt --check -` found standard input not formatted, which `--write` cannot rewrite.
    case inputNotFormatted
    /// The REPL's history file cannot be written.
    case historyNotSaved(path: String)
    /// A run with `--commit` wrote its final state.
    case committed(state: String)
    /// A run with `--commit` did not succeed, so the state file is as it was.
    case leftUnchanged(state: String)
    /// The REPL's history file is not read or written: it is a symbolic link, say.
    case historyNotUsed(path: String, reason: String)
    /// `--state` names a file that does not exist, and nothing will create it: a typo, as
    /// often as not.
    case noStateFile(state: String)
    /// The REPL leaves, or reads to the end of a pipe, with changes not committed.
    case uncommitted(state: String, dropped: Bool)
    /// `SOURCE_DATE_EPOCH` is set to what is not an integer number of seconds that dates
    /// a year from 1 to 9999.
    case badSourceDateEpoch(String)

    /// Prints the notice on standard error at once, escaped as failures are.
    package func say() {
        Output.error.line(Words.printable(line))
        Output.error.flush()
    }
}

extension StateStore {
    /// The state file a command starts from, and its digest (`nil` when it does not exist
    /// yet). A missing file is an empty instance; unless `creating` (a `--commit` will write
    /// it), a note says so, since a misspelt path looks the same.
    package static func loadForCommand(_ path: String, creating: Bool = false) throws(Failure) -> (
        instance: Instance, digest: String?
    ) {
        do throws(StateFileError) {
            let loaded = try loadWithDigest(path)
            if loaded.digest == nil && !creating { Notice.noStateFile(state: path).say() }
            return loaded
        } catch {
            throw .state(error)
        }
    }
}
