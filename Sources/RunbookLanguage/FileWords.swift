/// The words of files: why an input cannot be read, why a state file is invalid, why a
/// file cannot be written. `RunbookFiles` gives these reasons; the command line puts the
/// path and what it was doing before them (`s.json: invalid state file: ...`).
extension Words {
    /// Why a file is refused, each reason worded once.
    public enum FileReason: Sendable, Hashable {
        /// Standard input was closed when the program started.
        case standardInputClosed

        public var text: String {
            switch self {
            case .standardInputClosed: "standard input is closed"
            }
        }
    }
}
