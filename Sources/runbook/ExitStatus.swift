import ArgumentParser
import RunbookLanguage

/// The exit statuses of SPEC §3, and the one place outcomes map to them.
enum ExitStatus {
    static let success: Int32 = 0
    /// Stopped on a violation, a failed expectation or a failed scenario.
    static let stopped: Int32 = 1
    static let usage: Int32 = 64
    /// A runbook does not parse, or a state file is invalid.
    static let dataError: Int32 = 65
    /// An input cannot be read.
    static let noInput: Int32 = 66

    static func of(_ status: Evaluation.Status) -> Int32 {
        switch status {
        case .completed: success
        case .stopped: stopped
        case .didNotParse: dataError
        }
    }

    static func of(_ error: StateFileError) -> Int32 {
        switch error.kind {
        case .unreadable: noInput
        case .invalid: dataError
        case .unwritable: stopped
        }
    }
}

/// Ends the command with `status` after flushing output.
func finish(_ status: Int32) -> ExitCode {
    flushOutputs()
    return ExitCode(status)
}
