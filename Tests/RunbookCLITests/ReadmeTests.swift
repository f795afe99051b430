import Foundation
import Testing

/// The README's examples, checked against the binary so that the README cannot drift:
/// every transcript (a block whose first line is `$ runbook ...`) is run and its output
/// compared line by line, a `...` line standing for any lines; every command of a `sh`
/// block that runs `runbook` must succeed; every JSON block must parse, and a state file
/// among them must load.
enum Readme {
    /// A fenced block: its language tag and its lines.
    struct Block: CustomTestStringConvertible {
        var language: String
        var lines: [String]
        /// The line of the README the block starts on.
        var line: Int
        var testDescription: String { "README.md:\(line): \(lines.first ?? "")" }
    }

    static let blocks: [Block] = {
        let text = (try? String(contentsOf: Binary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        var blocks: [Block] = []
        var current: Block?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("```") {
                if let block = current {
                    blocks.append(block)
                    current = nil
                } else {
                    current = Block(language: String(line.dropFirst(3)), lines: [], line: number + 1)
                }
            } else {
                current?.lines.append(String(line))
            }
        }
        return blocks
    }()

    static var transcripts: [Block] { blocks.filter { $0.lines.first?.hasPrefix("$ ") == true } }

    /// The command line of a transcript or `sh` line, with `runbook` (or `swift run
    /// runbook`) as the built binary; `nil` for a command that does not run `runbook`.
    static func command(_ line: String) -> String? {
        var command = line.hasPrefix("$ ") ? String(line.dropFirst(2)) : line
        if let comment = command.range(of: "   #") { command = String(command[..<comment.lowerBound]) }
        command = command.trimmingCharacters(in: .whitespaces)
        for prefix in ["swift run runbook ", "runbook "] where command.hasPrefix(prefix) {
            return "'\(Binary.url.path)' " + command.dropFirst(prefix.count)
        }
        return nil
    }

    /// Whether `actual` lines are what `expected` shows, a `...` line standing for any
    /// number of lines.
    static func matches(_ expected: ArraySlice<String>, _ actual: ArraySlice<String>) -> Bool {
        guard let first = expected.first else { return actual.isEmpty }
        if first == "..." {
            return actual.indices.contains { matches(expected.dropFirst(), actual[$0...]) } || matches(expected.dropFirst(), [])
        }
        guard let line = actual.first, line == first else { return false }
        return matches(expected.dropFirst(), actual.dropFirst())
    }

    /// Runs a shell command in the package's folder, standard error merged into standard
    /// output as a terminal shows them.
    static func shell(_ command: String) throws -> (status: Int32, output: String) {
        let result = try Binary.run(
            program: URL(fileURLWithPath: "/bin/sh"), ["-c", "exec 2>&1; " + command], in: Binary.packageRoot)
        return (result.status, result.stdout)
    }
}

@Test("README transcripts", arguments: Readme.transcripts)
func readmeTranscript(_ block: Readme.Block) throws {
    let expected = block.lines.dropFirst()
    let typed = block.lines[0]
    if typed.hasSuffix("runbook repl") {
        // The REPL on a terminal: each prompt's entry typed, the screen as it shows.
        let tty = try PseudoTerminal.repl(colour: false)
        var promptShown = true  // the first prompt, before anything is typed
        for line in expected {
            for prompt in ["runbook> ", "...> "] where line.hasPrefix(prompt) {
                if !promptShown { try tty.expect(prompt) }
                promptShown = false
                tty.type(String(line.dropFirst(prompt.count)) + "\r")
            }
        }
        try tty.expect("runbook> ")
        tty.type("\u{04}")
        #expect(try tty.waitForExit() == 0)
        // The screen without carriage returns and readline's bracketed-paste switches, and
        // without the last prompt, where Ctrl-D left.
        let modes = tty.transcript.replacing("\u{1B}[?2004h", with: "").replacing("\u{1B}[?2004l", with: "")
        let screen = String(String.UnicodeScalarView(modes.unicodeScalars.filter { $0 != "\r" }))
        var lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.isEmpty || last == "runbook> " { lines.removeLast() }
        #expect(Readme.matches(expected, lines[...]), "\(block.testDescription)\n\(lines.joined(separator: "\n"))")
        return
    }
    let command = try #require(Readme.command(typed), "\(block.testDescription): not a runbook command")
    let (_, output) = try Readme.shell(command)
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    #expect(Readme.matches(expected, lines[...]), "\(block.testDescription)\n\(output)")
}

@Test func readmeShellCommandsSucceed() throws {
    let commands = Readme.blocks.filter { $0.language == "sh" }.flatMap(\.lines).compactMap(Readme.command)
    #expect(!commands.isEmpty)
    for command in commands {
        let (status, output) = try Readme.shell(command)
        #expect(status == 0, "\(command)\n\(output)")
    }
}

@Test func readmeJSONIsValidAndStateFilesLoad() throws {
    let json = Readme.blocks.filter { $0.language == "json" }
    #expect(!json.isEmpty)
    for block in json {
        let text = block.lines.joined(separator: "\n")
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil, "\(block.testDescription)")
        guard text.contains("\"runbook-state\"") else { continue }
        let dir = try Scratch()
        try dir.write("s.json", text)
        let loaded = try Binary.run(["run", "--state", "s.json", "-"], in: dir.url, stdin: Data("show\n".utf8))
        #expect(loaded.status == 0, "\(block.testDescription): \(loaded.stderr)")
    }
}
