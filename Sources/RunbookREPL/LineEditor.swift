@preconcurrency import CReadline
import FoundationEssentials
import RunbookFiles
import RunbookLanguage
import RunbookReport

#if canImport(Glibc)
    import Glibc
#endif

/// GNU readline behind a Swift type: line editing, history and completion. Every call
/// into C lives in this file; the rest of the program never sees a C pointer.
///
/// Readline's state is global, so there is one editor per process, used from the main
/// thread only.
final class LineEditor {
    /// What one read produced.
    enum Read {
        case line(String)
        /// Ctrl-D on an empty line.
        case endOfInput
    }

    /// What Tab offers for a word.
    enum Completions {
        case words([String])
        /// Paths, as readline completes them, keeping folders and the files whose names
        /// end with `ending` (all files when `nil`).
        case files(ending: String?)
    }

    /// Gives the completions for `word`, given the line before it.
    typealias Completer = (_ before: String, _ word: String) -> Completions

    private let historyFile: String?
    private var entries: [String] = []
    static let historyLimit = 1_000

    /// Sets up readline: completion with `completer`, history from `historyFile`, and
    /// Ctrl-C handling that drops the line being edited.
    init(historyFile: String?, completer: @escaping Completer) {
        self.historyFile = historyFile
        editorCompleter = completer
        rl_readline_name = UnsafePointer(strdup("runbook"))
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n,;{}"))
        rl_attempted_completion_function = { text, start, _ in attemptCompletion(text, start) }
        rl_ignore_some_completions_function = { matches in keepWantedFiles(matches) }
        // Readline calls the signal hook when a read is interrupted, and the event hook
        // ten times a second while it waits: between them, a Ctrl-C that arrives at any
        // moment is acted on promptly.
        rl_signal_event_hook = { signalEventHook() }
        rl_event_hook = { signalEventHook() }
        installInterruptHandler()
        if let historyFile { loadHistory(historyFile) }
    }

    /// Reads one line with `prompt`; Ctrl-C while editing clears the line and sets
    /// `interrupted`.
    func read(prompt: String) -> Read {
        guard let pointer = readline(prompt) else { return .endOfInput }
        defer { free(pointer) }
        return .line(String(cString: pointer))
    }

    /// Whether Ctrl-C was pressed since `takeInterrupt` last took one: polled by long
    /// commands, which stop.
    var interruptPending: Bool { interruptCount != consumedInterrupts }

    /// Whether Ctrl-C was pressed since the last call.
    func takeInterrupt() -> Bool {
        let count = interruptCount
        defer {
            consumedInterrupts = count
            handledInterrupts = count
        }
        return count != consumedInterrupts
    }

    /// Adds an entry (which may span lines) to the history, unless it repeats the last one,
    /// and saves the history file. Returns a warning when the file cannot be written.
    func remember(_ entry: String) -> String? {
        guard !entry.allSatisfy(\.isWhitespace), entries.last != entry else { return nil }
        entries.append(entry)
        add_history(entry)
        if entries.count > Self.historyLimit {
            entries.removeFirst(entries.count - Self.historyLimit)
            stifle_history(Int32(Self.historyLimit))
        }
        return saveHistory()
    }

    // MARK: History file

    /// The most of the history file's end that is read: enough for `historyLimit` entries
    /// of a few KiB each, however large the file has grown.
    static let historyTailLimit = 4 << 20

    /// Whether the history file is read and written: not when it is a symbolic link or not
    /// a regular file (a link's target is not rewritten as history).
    private var savesHistory = true

    /// One entry a line; a backslash escapes a newline (`\n`) or itself (`\\`). Only the
    /// file's last `historyLimit` lines are read, from its end. A file that group or others
    /// may read is made private (0600).
    private func loadHistory(_ path: String) {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            if errno == ELOOP { refuseHistory(path, .symbolicLink) }
            return
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFREG else { return refuseHistory(path, .notRegularFile) }
        if info.st_mode & 0o077 != 0 { fchmod(fd, 0o600) }
        let tail = Self.tail(of: fd, size: Int(info.st_size), lines: Self.historyLimit, most: Self.historyTailLimit)
        for line in tail.split(separator: 0x0A) {
            var entry = ""
            var escaped = false
            for c in String(decoding: line, as: UTF8.self) {
                if escaped {
                    entry.append(c == "n" ? "\n" : c)
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else {
                    entry.append(c)
                }
            }
            if entries.last != entry { entries.append(entry) }
        }
        entries = Array(entries.suffix(Self.historyLimit))
        for entry in entries { add_history(entry) }
    }

    /// The whole lines among the last `lines` of the file, read backwards from its end in
    /// blocks, and no more than `most` bytes of it.
    private static func tail(of fd: Int32, size: Int, lines: Int, most: Int) -> [UInt8] {
        var blocks: [[UInt8]] = []
        var offset = size
        var newlines = 0
        var read = 0
        while offset > 0 && newlines <= lines && read < most {
            let count = min(1 << 16, offset, most - read)
            var block = [UInt8](repeating: 0, count: count)
            let n = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset - count)) }
            guard n == count else { break }
            offset -= count
            read += count
            newlines += block.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            blocks.append(block)
        }
        var tail = Array(blocks.reversed().joined())
        // Where reading stopped inside the file, the first line may be cut: it is dropped.
        if offset > 0 { tail = Array(tail.drop { $0 != 0x0A }.dropFirst()) }
        return tail
    }

    private var warned = false

    /// Says once that the history file is not used, and why; history stays in this session.
    private func refuseHistory(_ path: String, _ reason: Words.FileReason) {
        savesHistory = false
        warned = true
        Notice.historyNotUsed(path: path, reason: reason.text).say()
    }

    private func saveHistory() -> String? {
        guard let historyFile, savesHistory else { return nil }
        let text =
            entries.map { $0.replacing("\\", with: "\\\\").replacing("\n", with: "\\n") }
            .joined(separator: "\n") + "\n"
        do {
            try FileManager.default.createDirectory(
                atPath: Path.folder(of: historyFile), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            // Never through a symbolic link, and always private.
            try AtomicFile.write(Array(text.utf8), to: historyFile, what: "history", followsLinks: false, keepsMode: false)
            return nil
        } catch {
            if warned { return nil }
            warned = true
            return Notice.historyNotSaved(path: historyFile).line
        }
    }
}

// MARK: - C callbacks (top-level, as C function pointers must be)

/// Readline's state is process-global, and so is this; touched from the main thread only.
nonisolated(unsafe) private var editorCompleter: LineEditor.Completer?
nonisolated(unsafe) private var completionMatches: [String] = []
nonisolated(unsafe) private var completionIndex = 0
/// The ending of the files the current file name completion keeps.
nonisolated(unsafe) private var fileEnding: String?
/// Ctrl-C presses: counted by the signal handler, acted on by the hook, taken by the REPL.
nonisolated(unsafe) private var interruptCount: sig_atomic_t = 0
nonisolated(unsafe) private var handledInterrupts: sig_atomic_t = 0
nonisolated(unsafe) private var consumedInterrupts: sig_atomic_t = 0

private func attemptCompletion(
    _ text: UnsafePointer<CChar>?, _ start: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    let word = text.map { String(cString: $0) } ?? ""
    let line = rl_line_buffer.map { String(cString: $0) } ?? ""
    let before = String(decoding: Array(line.utf8).prefix(Int(start)), as: UTF8.self)
    let candidates: [String]
    switch editorCompleter?(before, word) ?? .files(ending: nil) {
    case .files(let ending):
        fileEnding = ending
        rl_attempted_completion_over = 0  // readline's own file name completion
        return nil
    case .words(let words): candidates = words
    }
    rl_attempted_completion_over = 1
    completionMatches = candidates
    completionIndex = 0
    guard let text else { return nil }
    return rl_completion_matches(text) { _, _ in
        guard completionIndex < completionMatches.count else { return nil }
        defer { completionIndex += 1 }
        return strdup(completionMatches[completionIndex])
    }
}

/// Readline's file name matches, kept when they are folders or end with `fileEnding`, and
/// their names are valid UTF-8 without a character the language forbids or cannot show
/// (a bidirectional control, a zero-width space): readline would echo them raw. It passes
/// the matches after the common prefix at index 0, or one match alone at index 0, and
/// recomputes the prefix of what is left.
private func keepWantedFiles(_ matches: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    guard let matches else { return 0 }
    func wanted(_ match: UnsafeMutablePointer<CChar>) -> Bool {
        guard var path = String(validatingCString: match),
            !path.unicodeScalars.contains(where: { Lexer.isForbidden($0) || Lexer.isInvisible($0) })
        else { return false }
        guard let ending = fileEnding, !path.hasSuffix(ending) else { return true }
        if path.hasPrefix("~/"), let home = getenv("HOME") { path = String(cString: home) + path.dropFirst() }
        return Path.isFolder(path)
    }
    guard matches[1] != nil else {
        if let only = matches[0], !wanted(only) {
            free(only)
            matches[0] = nil
        }
        return 0
    }
    var kept = 1
    var index = 1
    while let match = matches[index] {
        if wanted(match) {
            matches[kept] = match
            kept += 1
        } else {
            free(match)
        }
        index += 1
    }
    matches[kept] = nil
    if kept == 1 {
        free(matches[0])
        matches[0] = nil
    }
    return 0
}

/// Ctrl-C: the handler only counts; the hook, which readline calls at safe points, drops
/// the line being edited and redraws a fresh prompt.
private func installInterruptHandler() {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in interruptCount &+= 1 }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    // A parent may have left SIGINT blocked; the REPL needs it.
    var interrupt = sigset_t()
    sigemptyset(&interrupt)
    sigaddset(&interrupt, SIGINT)
    sigprocmask(SIG_UNBLOCK, &interrupt, nil)
}

private func signalEventHook() -> Int32 {
    guard interruptCount != handledInterrupts else { return 0 }
    handledInterrupts = interruptCount
    rl_replace_line("", 0)
    rl_crlf()
    rl_set_prompt("runbook> ")
    rl_on_new_line()
    rl_redisplay()
    return 0
}
