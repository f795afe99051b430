import Foundation

/// The built `runbook` executable and a way to run it as a user would.
enum Binary {
    /// The package's root folder.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `runbook` next to the test bundle (the build `swift test` made), else the debug build.
    static let url: URL = {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleFolder, bundleFolder.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("runbook")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return packageRoot.appendingPathComponent(".build/debug/runbook")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Whether the run was killed for taking longer than its time limit.
        var timedOut = false
    }

    /// Writing to a child that has already exited raises SIGPIPE, whose default action ends
    /// the whole test process; ignored, the write fails with EPIPE instead.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Runs `runbook` with `arguments` in `folder`, feeding `stdin`, without a terminal.
    ///
    /// `redirect` is shell redirections applied to it (`> /dev/full`, `<&-`), after the
    /// shell commands `before` (`ulimit -f 2;`) and through the command `wrapper` (`setpriv
    /// ...`); standard output or input redirected there is not the test's pipe. A run
    /// longer than `timeout` seconds is killed.
    static func run(
        _ arguments: [String], in folder: URL? = nil, stdin: Data? = nil, environment: [String: String] = [:],
        redirect: String = "", before: String = "", wrapper: String = "", timeout: Double = 300
    ) throws -> Result {
        if redirect.isEmpty && before.isEmpty && wrapper.isEmpty {
            return try run(program: url, arguments, in: folder, stdin: stdin, environment: environment, timeout: timeout)
        }
        return try run(
            program: URL(fileURLWithPath: "/bin/sh"),
            ["-c", "\(before) exec \(wrapper) \"$0\" \"$@\" \(redirect)", url.path] + arguments, in: folder, stdin: stdin,
            environment: environment, timeout: timeout)
    }

    /// Runs any `program` as `run(_:)` runs `runbook`: a shell, a browser, a script.
    static func run(
        program: URL, _ arguments: [String], in folder: URL? = nil, stdin: Data? = nil,
        environment: [String: String] = [:], timeout: Double = 300
    ) throws -> Result {
        _ = ignoreBrokenPipes
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        nonisolated(unsafe) var timedOut = false
        let pid = process.processIdentifier
        let limit = DispatchWorkItem {
            timedOut = true
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: limit)
        // Feed standard input and read standard error concurrently, so no pipe fills up
        // and blocks the child. A child may exit before it reads its input (a state file it
        // refuses, say): the write then fails with EPIPE, which is not the test's concern.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
            try? input.fileHandleForWriting.close()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        limit.cancel()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), timedOut: timedOut)
    }
}
