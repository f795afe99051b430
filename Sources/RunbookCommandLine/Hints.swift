import RunbookFiles
import RunbookLanguage
import RunbookReport

/// Hints the command line adds to the language's diagnostics: where its words are listed.
enum Hints {
    static func added(to d: Diagnostic) -> Diagnostic {
        var d = d
        if d.id == .unknownRule && d.hints.isEmpty { d.hints.append(Failure.rulesListed) }
        return d
    }
}
