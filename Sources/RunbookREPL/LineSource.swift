import RunbookLanguage

/// Where the REPL's lines come from: a terminal, read with GNU readline (prompts, line
/// editing, history, completion, Ctrl-C), or a pipe, read as bytes without prompts. The
/// REPL's one loop reads either the same way.
struct LineSource {
    /// What one read produced.
    enum Read {
        /// A line without its line end; `afterInterrupt` when Ctrl-C was pressed on the
        /// terminal before it was entered, which drops the lines of an entry still open.
        case line([UInt8], afterInterrupt: Bool = false)
        /// The end of the input: Ctrl-D on an empty line, or the pipe's end.
        case endOfInput
        /// A line of a pipe longer than `LineReader.maximumLine` bytes.
        case tooLong
    }

    /// The terminal's line editor; `nil` for a pipe.
    let editor: LineEditor?
    private var reader: LineReader?

    /// A terminal, its Tab completing with `completer`.
    static func terminal(historyFile: String?, completer: @escaping LineEditor.Completer) -> LineSource {
        LineSource(editor: LineEditor(historyFile: historyFile, completer: completer), reader: nil)
    }

    /// Standard input that is not a terminal.
    static func pipe() -> LineSource { LineSource(editor: nil, reader: LineReader()) }

    /// Whether a person types the lines: then prompts show, errors do not end the session,
    /// and entries are kept in the history.
    var isTerminal: Bool { editor != nil }

    /// The name diagnostics give the entries read: `<repl>` for a terminal, whose every
    /// entry starts on line 1, `<stdin>` for a pipe, whose lines are counted.
    var name: String { isTerminal ? "<repl>" : "<stdin>" }

    /// Whether Ctrl-C was pressed since the current line was read: a run stops there.
    var interruptPending: Bool { editor?.interruptPending ?? false }

    /// Reads the next line; `continuing` when it continues an open construct (the
    /// terminal then prompts `...>`).
    mutating func next(continuing: Bool) -> Read {
        if let editor {
            _ = editor.takeInterrupt()
            let read = editor.read(prompt: continuing ? "...> " : "runbook> ")
            let interrupted = editor.takeInterrupt()
            guard case .line(let text) = read else { return .endOfInput }
            return .line(Array(text.utf8), afterInterrupt: interrupted)
        }
        switch reader!.next() {
        case .line(let bytes): return .line(bytes)
        case .endOfInput: return .endOfInput
        case .tooLong: return .tooLong
        }
    }

    /// Keeps an entry in the terminal's history; returns a warning when the history file
    /// cannot be written.
    func remember(_ entry: String) -> String? { editor?.remember(entry) }
}
