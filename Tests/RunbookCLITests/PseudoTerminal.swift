import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small pty harness: runs `runbook` on a pseudo-terminal as its controlling terminal,
/// types into it and reads what it shows, as a person at a terminal would.
final class PseudoTerminal {
    private let master: Int32
    private let pid: pid_t
    /// Everything the program has written so far.
    private(set) var transcript = ""
    /// The folder a REPL keeps its history in, kept as long as the terminal.
    private(set) var home: Scratch?

    enum Failure: Error, CustomStringConvertible {
        case setup(String)
        case timeout(waitingFor: String, saw: String)
        var description: String {
            switch self {
            case .setup(let what): "pty setup failed: \(what)"
            case .timeout(let text, let saw): "timed out waiting for \(text.debugDescription); the screen shows:\n\(saw)"
            }
        }
    }

    init(_ arguments: [String], environment: [String: String]) throws {
        // posix_openpt, unlockpt and ptsname as Linux implements them (glibc hides them
        // from Swift behind feature macros).
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, &unlock) == 0,
            ioctl(master, 0x8004_5430 /* TIOCGPTN */, &number) == 0
        else { throw Failure.setup("/dev/ptmx") }
        let slavePath = "/dev/pts/\(number)"
        var size = winsize(ws_row: 24, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        // A new session: opening the terminal then makes it the controlling one, so
        // Ctrl-C typed into it reaches the program as SIGINT.
        // POSIX_SPAWN_SETSID | SETSIGMASK | SETSIGDEF: the test runner may block or ignore
        // SIGINT, and a child inherits both.
        posix_spawnattr_setflags(&attributes, 0x80 | 0x08 | 0x04)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &interrupt)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)

        let argv = ([Binary.url.path] + arguments).map { strdup($0) } + [nil]
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm"
        env.removeValue(forKey: "NO_COLOR")
        for (k, v) in environment { env[k] = v }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, Binary.url.path, &actions, &attributes, argv, envp)
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
        guard status == 0 else { throw Failure.setup("posix_spawn: \(status)") }
        pid = child
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, WNOHANG)
        close(master)
    }

    /// Types `text` (use "\r" for Enter, "\t" for Tab, "\u{03}" for Ctrl-C).
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Where the next `expect` starts looking: just past the previous match.
    private var cursor: String.Index?

    /// Waits until the output after the previous match contains `text`, and moves past it.
    func expect(_ text: String, timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let start = cursor ?? transcript.startIndex
            if let match = transcript[start...].range(of: text) {
                cursor = match.upperBound
                return
            }
            guard Date() < deadline else { throw Failure.timeout(waitingFor: text, saw: String(transcript[start...])) }
            readAvailable(waitMilliseconds: 50)
        }
    }

    /// Waits until a whole line of output after the previous match is `text`: "ok" is an
    /// outcome only on a line of its own, never inside a prompt such as "runbook> ".
    /// (Readline may end its own output with a carriage return, or terminal modes, before.)
    func expectLine(_ text: String, timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            var start = cursor ?? transcript.startIndex
            while let match = transcript[start...].range(of: text + "\r\n") {
                let before = match.lowerBound == transcript.startIndex ? "\n" : transcript[transcript.index(before: match.lowerBound)]
                if before == "\n" || before == "\r" || before == "\r\n" {
                    cursor = match.upperBound
                    return
                }
                start = match.upperBound
            }
            guard Date() < deadline else {
                throw Failure.timeout(waitingFor: text, saw: String(transcript[(cursor ?? transcript.startIndex)...]))
            }
            readAvailable(waitMilliseconds: 50)
        }
    }

    /// Waits for the program to exit and returns its exit status.
    func waitForExit(timeout: Double = 20) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard Date() < deadline else { throw Failure.timeout(waitingFor: "exit", saw: transcript) }
            readAvailable(waitMilliseconds: 20)
        }
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// The most memory the program has held so far, in KiB (`VmHWM`).
    func peakMemoryKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        return line.flatMap { Int($0.split(separator: " ")[1]) }
    }

    private func readAvailable(waitMilliseconds: Int32) {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, waitMilliseconds) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(master, &buffer, buffer.count)
        if n > 0 {
            let offset = cursor.map { transcript.distance(from: transcript.startIndex, to: $0) }
            transcript += String(decoding: buffer[0..<n], as: UTF8.self)
            cursor = offset.map { transcript.index(transcript.startIndex, offsetBy: $0) }
        }
    }
}

extension PseudoTerminal {
    /// `runbook repl` on a terminal, as every REPL test starts it: its history in `home` (a
    /// fresh scratch folder unless given), never the tester's own; colour as a terminal
    /// shows it unless `colour` is false (`NO_COLOR`). Returns once the lines in `before`,
    /// which the session shows first, and then the first prompt have shown.
    static func repl(
        _ options: [String] = [], home: Scratch? = nil, colour: Bool = true, environment: [String: String] = [:],
        before: [String] = [], timeout: Double = 20
    ) throws -> PseudoTerminal {
        let home = try home ?? Scratch()
        var environment = environment
        environment["XDG_STATE_HOME"] = home.url.path
        if !colour { environment["NO_COLOR"] = "1" }
        let tty = try PseudoTerminal(["repl"] + options, environment: environment)
        tty.home = home
        for line in before { try tty.expectLine(line, timeout: timeout) }
        try tty.expect("runbook> ", timeout: timeout)
        return tty
    }
}
