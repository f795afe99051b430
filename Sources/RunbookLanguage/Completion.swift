import ConnectionCore

/// Completion from the grammar itself: the parser reads the text before the word being
/// completed and says what it would accept next; this turns that into words. The REPL and
/// the language server both ask here, so completion cannot drift from the parser.
public enum Completion {
    /// A word that can come next.
    public struct Item: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            case keyword, verb, member, rule
        }

        /// The word as the language reads it (a member name quoted when it must be).
        public var text: String
        public var kind: Kind
    }

    /// What can come after `before`, the text up to the start of the word being completed:
    /// keywords, verbs, `members` (the names in scope), rule ids. `goals` reads the text as
    /// goals for the planner instead of statements.
    public static func items(before: String, members: [String], goals: Bool = false) -> [Item] {
        let source = SourceFile(name: "", text: before)
        let parsed = goals ? Parser.parseGoals(source) : Parser.parse(source)
        guard let expected = parsed.expectedAtEnd else { return [] }
        func keywords(_ kinds: [TokenKind]) -> [Item] { kinds.map { Item(text: $0.spelling, kind: .keyword) } }
        let names = members.map { Item(text: Words.spell($0), kind: .member) }
        switch expected {
        case .statement: return keywords(TokenKind.statementStarts)
        case .name: return names
        case .verb: return Verb.allCases.map { Item(text: TokenKind($0).spelling, kind: .verb) }
        case .memberCheck: return keywords(MemberCheck.allCases.map { TokenKind.keywords(of: $0)[0] })
        case .keyword(let kind, _): return keywords([kind])
        case .ownerTarget: return names + keywords([.none])
        case .expectTarget: return keywords([.owner, .violation]) + names
        case .goal: return keywords([.owner]) + names
        case .ruleOrAs:
            // The rules an action can break: `duplicate-member` refuses declarations only.
            let rules = RuleID.allCases.filter { !$0.rule.refusesDeclarations }
            return rules.map { Item(text: $0.rawValue, kind: .rule) } + keywords([.as])
        case .title, .openBrace, .closeBrace, .terminator: return []
        }
    }

    /// The candidates that complete `word`, sorted; a name typed without its opening quote
    /// still finds the quoted spelling.
    public static func matches(_ word: String, in words: [String]) -> [String] {
        words.filter { $0.hasPrefix(word) || (!word.hasPrefix("\"") && $0.hasPrefix("\"" + word)) }.sorted()
    }
}
