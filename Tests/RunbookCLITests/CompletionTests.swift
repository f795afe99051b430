import Foundation
import Testing

/// Asks bash, with the generated completion script sourced, what it completes for each
/// line: one line of sorted words per line asked.
func bashCompletions(_ lines: [String], in dir: Scratch) throws -> [String] {
    let script = try Binary.run(["--generate-completion-script", "bash"])
    #expect(script.status == 0, "\(script.stderr)")
    try dir.write("runbook.bash", script.stdout)
    let ask = """
        source ./runbook.bash
        complete_line() {
            COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<< "$1"
            [[ "$1" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMPREPLY=()
            _runbook runbook "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}" | sort | tr '\\n' ' '; echo
        }

        """ + lines.map { "complete_line '\($0)'" }.joined(separator: "\n")
    try dir.write("ask.sh", ask)
    let bash = Process()
    bash.executableURL = URL(fileURLWithPath: "/bin/bash")
    bash.arguments = ["ask.sh"]
    bash.currentDirectoryURL = dir.url
    let out = Pipe()
    bash.standardOutput = out
    try bash.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    bash.waitUntilExit()
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
        $0.trimmingCharacters(in: .whitespaces)
    }
}

@Test func bashCompletesRunbooksStateFilesAndRuleIds() throws {
    let dir = try Scratch()
    for file in ["a.runbook", "b.json", "c.txt"] { try dir.write(file, "") }
    try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("d"), withIntermediateDirectories: true)
    let asked = [
        "runbook run ", "runbook test ", "runbook fmt --check ", "runbook run --state ", "runbook plan --state ",
        "runbook explain disc", "runbook ex",
    ]
    #expect(
        try bashCompletions(asked, in: dir) == [
            "a.runbook d", "a.runbook d", "a.runbook d", "b.json d", "b.json d",
            "disconnect-requires-connection disconnect-strands-users", "explain",
        ])
}
