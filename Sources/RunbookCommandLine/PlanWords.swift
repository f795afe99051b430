import ConnectionCore
import RunbookFiles

/// The words of `runbook plan` that are the command line's own: how to raise a bound
/// of the search with its flags.
enum PlanWords {
    /// How to raise a bound the search reached, with `runbook plan`'s flags.
    static func raise(_ bound: Planner.Bound) -> String? {
        switch bound {
        case .timeout: "allow more time with --timeout SECONDS"
        case .memory: "allow more memory with --max-memory MIB"
        case .states: "raise the bound with --max-states"
        case .depth: "raise the bound with --max-actions"
        case .cancelled: nil
        }
    }
}
