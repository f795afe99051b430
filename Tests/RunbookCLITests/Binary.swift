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
        /// Whether the child was killed for running past its time limit.
        var timedOut = false
    }

    /// Writing to a child that has already exited raises SIGPIPE, whose default action ends
    /// the whole test process; ignored, the write fails with EPIPE instead.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Runs `runbook` with `arguments` in `folder`, feeding `stdin`, without a terminal; a
    /// child still running after `timeLimit` seconds is killed, so that a hang fails the
    /// test instead of stalling the suite.
    static func run(
        _ arguments: [String], in folder: URL? = nil, stdin: Data? = nil, environment: [String: String] = [:],
        timeLimit: Double = 120
    ) throws -> Result {
        _ = ignoreBrokenPipes
        let process = Process()
        process.executableURL = url
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
        let killed = TimedOut()
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit) {
            guard process.isRunning else { return }
            killed.set()
            kill(pid, SIGKILL)
        }
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
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), timedOut: killed.value)
    }

    /// Set from the watchdog's queue, read after the child has ended.
    private final class TimedOut: @unchecked Sendable {
        private let lock = NSLock()
        private var flag = false
        var value: Bool { lock.withLock { flag } }
        func set() { lock.withLock { flag = true } }
    }
}
