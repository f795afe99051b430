import RunbookLanguage

/// What a chunk means, without where it was written: each statement's kind and names, the
/// scenarios' titles and bodies. Two texts mean the same program when their meanings are
/// equal, however they are laid out.
public struct Meaning: Hashable, CustomStringConvertible {
    struct Entry: Hashable {
        var kind: Statement.Kind
        var names: [String]
        /// The spelling of an unknown rule id.
        var rule: String?
    }

    var background: [Entry]
    var scenarios: [(title: String, body: [Entry])]

    public init(_ chunk: Chunk) {
        func entry(_ index: Int) -> Entry {
            let statement = chunk.statements[index]
            let rule = Self.isUnknown(statement.kind) ? chunk.ruleRange(of: index).map(chunk.source.text) : nil
            return Entry(kind: statement.kind, names: chunk.names(of: index).map(\.text), rule: rule)
        }
        background = chunk.background.map(entry)
        scenarios = chunk.scenarios.map { ($0.title, $0.statements.map(entry)) }
    }

    private static func isUnknown(_ kind: Statement.Kind) -> Bool {
        if case .expectViolation(.unknown, _) = kind { return true }
        return false
    }

    public static func == (a: Meaning, b: Meaning) -> Bool {
        a.background == b.background && a.scenarios.count == b.scenarios.count
            && zip(a.scenarios, b.scenarios).allSatisfy { $0.title == $1.title && $0.body == $1.body }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(background)
        for s in scenarios {
            hasher.combine(s.title)
            hasher.combine(s.body)
        }
    }

    public var description: String {
        func text(_ e: Entry) -> String { "(\(e.kind) \(e.names.joined(separator: " "))\(e.rule.map { " " + $0 } ?? ""))" }
        return (background.map(text) + scenarios.map { "(scenario \($0.title) \($0.body.map(text).joined(separator: " ")))" })
            .joined(separator: " ")
    }
}
