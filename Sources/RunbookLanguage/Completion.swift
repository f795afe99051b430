import ConnectionCore

/// Tab completion that knows where it is in a statement, for the REPL.
public enum Completion {
    /// What the word under the cursor can be.
    public enum Context: Sendable, Hashable {
        /// Words from a fixed list (keywords, verbs, rule ids, meta-commands).
        case words([String])
        /// A file path (after `:load`, `:save`, `:run`).
        case path
    }

    /// The meta-commands of the REPL.
    public static let metaCommands = [
        ":help", ":state", ":rules", ":reset", ":undo", ":load", ":save", ":run", ":plan", ":plan!", ":quit",
    ]

    /// The candidates for the word that ends at the cursor.
    /// - Parameters:
    ///   - before: the line up to the start of the word being completed.
    ///   - instance: the session's instance, for member names.
    public static func context(before: String, instance: Instance) -> Context {
        let trimmed = before.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix(":") {
            let command = trimmed.prefix { $0 != " " }
            if [":load", ":save", ":run"].contains(String(command)) && trimmed.count > command.count { return .path }
            guard trimmed.count > command.count else { return .words(metaCommands) }
            guard command == ":plan" || command == ":plan!" else { return .words([]) }
            // A goal is an expectation without `expect`: complete it as one.
            let goal = trimmed.dropFirst(command.count).split(separator: ";", omittingEmptySubsequences: false).last ?? ""
            guard case .words(let words) = context(before: "expect " + goal, instance: instance) else { return .words([]) }
            return .words(words.filter { $0 != "violation" })
        }
        let (tokens, _) = Lexer.tokenize(SourceFile(name: "", text: String(before)))
        // Only the current statement matters: from the last separator or brace on.
        var statement: [TokenKind] = []
        for token in tokens where token.kind != .end {
            if [.semicolon, .newline, .leftBrace, .rightBrace].contains(token.kind) {
                statement = []
            } else {
                statement.append(token.kind)
            }
        }
        let members = instance.members.map { Syntax.spell($0.name) }
        let atLineStart = trimmed.isEmpty
        guard let first = statement.first else {
            return .words(TokenKind.statementStarts.map(\.spelling) + (atLineStart ? metaCommands : []))
        }
        let last = statement.last!
        switch first {
        case .as:
            return .words(afterAs(statement, members: members))
        case .expect:
            if statement.count == 1 { return .words(["owner", "violation"] + members) }
            switch statement[1] {
            case .owner: return .words(statement.count == 2 ? members + ["none"] : [])
            case .violation:
                let rest = Array(statement.dropFirst(2))
                if rest.isEmpty { return .words(RuleID.allCases.map(\.rawValue) + ["as"]) }
                if rest == [.bareName] { return .words(["as"]) }
                let action = rest.first == .as ? rest : Array(rest.dropFirst())
                return .words(afterAs(action, members: members))
            default:
                if last == .comma { return .words(members) }
                if last == .not { return .words(["connected"]) }
                if last == .has { return .words(["access"]) }
                if last == .bareName || last == .string { return .words(["connected", "not", "has", "absent"]) }
                return .words([])
            }
        default:
            return .words([])
        }
    }

    /// After `as`: a member, then a verb, then members after a verb or a comma.
    private static func afterAs(_ statement: [TokenKind], members: [String]) -> [String] {
        switch statement.count {
        case 0: return ["as"]
        case 1: return members
        case 2: return TokenKind.verbs.map(\.spelling)
        default:
            let last = statement.last!
            if [.grant, .revoke, .remove, .comma].contains(last) { return members }
            return []
        }
    }

    /// The candidates of `context` that complete `word`, spelled as the language reads them.
    public static func matches(_ word: String, in words: [String]) -> [String] {
        words.filter { $0.hasPrefix(word) || (word.hasPrefix("\"") == false && $0.hasPrefix("\"" + word)) }
            .sorted()
    }
}
