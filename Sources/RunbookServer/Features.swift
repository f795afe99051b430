import ConnectionCore
import RunbookLanguage

// The requests about a document, each read from its analysis: the one form, the run, and
// the language's words. Byte offsets become protocol positions through `LineIndex` only.

extension LanguageServer {
    // MARK: Hover

    /// On a rule id, the rule explained; on a member, its role and status before and after
    /// the statement; anywhere else in a statement, what it did and the state after it.
    func hover(_ p: TextDocumentPositionParams) throws(ProtocolProblem) -> Hover? {
        let a = try document(p.textDocument.uri)
        let offset = a.lines.offset(of: p.position, in: encoding)
        guard let index = a.statement(at: offset) else { return nil }
        let statement = a.chunk.statements[index]
        if case .expectViolation(.rule(let id), _) = statement.kind, let rule = a.chunk.ruleRange(of: index),
            rule.contains(offset) || rule.upperBound == offset
        {
            return Hover(contents: MarkupContent(value: Catalogue.explain(id)), range: a.lines.range(of: rule, in: encoding))
        }
        let step = a.step(at: index)
        let text: String
        let range: Swift.Range<Int>
        if let name = a.chunk.names(of: index).first(where: { $0.range.contains(offset) || $0.range.upperBound == offset }) {
            range = name.range
            switch step {
            case .ran(let before, let outcome, let after):
                text = Words.member(name.text, before: before, after: outcome.stop == nil ? after : nil)
            case .notRun(let why):
                text = why
            }
        } else {
            range = statement.range
            switch step {
            case .ran(_, let outcome, let after): text = Words.outcome(outcome, state: after)
            case .notRun(let why): text = why
            }
        }
        return Hover(contents: MarkupContent(value: text), range: a.lines.range(of: range, in: encoding))
    }

    // MARK: Completion

    /// What the grammar accepts at the cursor, from the language's completion: keywords,
    /// verbs, the members in scope there, rule ids.
    func completion(_ p: TextDocumentPositionParams) throws(ProtocolProblem) -> CompletionList {
        let a = try document(p.textDocument.uri)
        let offset = a.lines.offset(of: p.position, in: encoding)
        guard !a.isInComment(offset) else { return CompletionList(items: []) }
        // The word being completed: the token the cursor ends, as the lexer reads the line.
        let lineStart = a.lines.starts[a.lines.line(of: offset)]
        let line = Lexer.tokenize(SourceFile(name: "", bytes: a.lines.bytes[lineStart..<offset])).tokens.dropLast()
        var start = offset
        if let last = line.last, lineStart + last.range.upperBound == offset,
            last.kind.isKeyword || [.bareName, .string, .error].contains(last.kind)
        {
            start = lineStart + last.range.lowerBound
        }
        let members = self.members(of: a, before: start)
        let roles = Dictionary(members.map { (Words.spell($0.name), $0.role) }, uniquingKeysWith: { first, _ in first })
        let range = a.lines.range(of: start..<offset, in: encoding)
        let items = Completion.items(before: a.source.text(0..<start), members: members.map(\.name)).map { item in
            let (kind, detail): (Int, String?) =
                switch item.kind {
                case .keyword: (14, nil)
                case .verb: (3, nil)
                case .member: (6, roles[item.text].map { TokenKind($0).spelling })
                case .rule: (20, RuleID(rawValue: item.text).map { "refused when " + $0.rule.summary })
                }
            return CompletionItem(label: item.text, kind: kind, detail: detail, textEdit: TextEdit(range: range, newText: item.text))
        }
        return CompletionList(items: items)
    }

    /// The members in scope at `offset`: the state's, then those the background and the
    /// scenario around it declare before it.
    private func members(of a: Analysis, before offset: Int) -> [(name: String, role: Role)] {
        var members = a.baseInstance.members
        var places = [a.chunk.background]
        if let scenario = a.scenario(around: offset) { places.append(a.chunk.scenarios[scenario].statements) }
        for place in places {
            for i in place where a.chunk.statements[i].range.upperBound <= offset {
                guard case .declare(let role) = a.chunk.statements[i].kind else { continue }
                members += a.chunk.names(of: i).map { ($0.text, role) }
            }
        }
        var seen = Set<String>()
        return members.filter { seen.insert($0.name).inserted }
    }

    // MARK: Names

    /// The declaration of the member named at the cursor.
    func definition(_ p: TextDocumentPositionParams) throws(ProtocolProblem) -> Location? {
        let a = try document(p.textDocument.uri)
        guard let (index, name) = a.name(at: a.lines.offset(of: p.position, in: encoding)),
            let declaration = a.declaration(of: name.id, from: index)
        else { return nil }
        return Location(uri: a.uri, range: a.lines.range(of: declaration.range, in: encoding))
    }

    /// Every use of the member named at the cursor; its declarations too when asked.
    func references(_ p: ReferenceParams) throws(ProtocolProblem) -> [Location] {
        let a = try document(p.textDocument.uri)
        guard let (_, name) = a.name(at: a.lines.offset(of: p.position, in: encoding)) else { return [] }
        let declarations = p.context?.includeDeclaration ?? true
        return a.uses(of: name.id).filter { use in
            if declarations { return true }
            if case .declare = a.chunk.statements[use.statement].kind { return false }
            return true
        }.map { Location(uri: a.uri, range: a.lines.range(of: $0.name.range, in: encoding)) }
    }

    /// The name at the cursor, if it can be renamed.
    func prepareRename(_ p: TextDocumentPositionParams) throws(ProtocolProblem) -> PrepareRenameResult? {
        let a = try document(p.textDocument.uri)
        guard let (_, name) = try renamable(a, at: p.position) else { return nil }
        return PrepareRenameResult(range: a.lines.range(of: name.range, in: encoding), placeholder: name.text)
    }

    /// Every use of the name at the cursor, spelled anew; refused for a name that is not
    /// valid or is taken.
    func rename(_ p: RenameParams) throws(ProtocolProblem) -> WorkspaceEdit? {
        let a = try document(p.textDocument.uri)
        guard let (_, name) = try renamable(a, at: p.position) else { return nil }
        if let why = Rename.refusal(of: name.text, to: p.newName, in: a.chunk, against: a.baseInstance) { throw .refused(why) }
        let spelled = Words.spell(p.newName)
        let edits = a.uses(of: name.id).map { TextEdit(range: a.lines.range(of: $0.name.range, in: encoding), newText: spelled) }
        return WorkspaceEdit(changes: [a.uri: edits])
    }

    private func renamable(_ a: Analysis, at position: Position) throws(ProtocolProblem) -> (Int, NameReference)? {
        guard let found = a.name(at: a.lines.offset(of: position, in: encoding)) else { return nil }
        if let why = Rename.refusal(of: found.name.text, to: found.name.text, in: a.chunk, against: a.baseInstance) {
            throw .refused(why)
        }
        return found
    }

    // MARK: Outline

    /// The most symbols an outline lists: members and scenarios, in document order. An
    /// outline of more helps no one, and its reply would take tens of megabytes.
    static let maxSymbols = 10_000

    /// A document's outline: the members the background declares, then each scenario with
    /// the members it declares; at most `maxSymbols` of them, and how many more there are.
    struct Outline {
        var uri: String
        var symbols: [DocumentSymbol]
        var leftOut: Int
    }

    /// The members the background declares, then each scenario with the members it declares,
    /// up to `maxSymbols` in all; the rest are only counted.
    func symbols(_ p: DocumentParams) throws(ProtocolProblem) -> Outline {
        let a = try document(p.textDocument.uri)
        let chunk = a.chunk
        var room = Self.maxSymbols
        var leftOut = 0
        func declarations(_ indices: Swift.Range<Int>) -> [DocumentSymbol] {
            var symbols: [DocumentSymbol] = []
            for i in indices {
                guard case .declare(let role) = chunk.statements[i].kind else { continue }
                let count = chunk.nameCount(of: i)
                guard room > 0 else {
                    leftOut += count
                    continue
                }
                let range = a.lines.range(of: chunk.statements[i].range, in: encoding)
                for name in chunk.names(of: i).prefix(room) {
                    symbols.append(
                        DocumentSymbol(
                            name: Words.spell(name.text), detail: TokenKind(role).spelling, kind: 13, range: range,
                            selectionRange: a.lines.range(of: name.range, in: encoding)))
                }
                leftOut += max(0, count - room)
                room -= min(room, count)
            }
            return symbols
        }
        var symbols = declarations(chunk.background)
        for scenario in chunk.scenarios {
            guard room > 0 else {
                leftOut += 1
                _ = declarations(scenario.statements)
                continue
            }
            room -= 1
            symbols.append(
                DocumentSymbol(
                    name: Words.quoted(scenario.title), detail: TokenKind.scenario.spelling, kind: 3,
                    range: a.lines.range(of: extent(of: scenario, in: chunk), in: encoding),
                    selectionRange: a.lines.range(of: scenario.headerRange, in: encoding),
                    children: declarations(scenario.statements)))
        }
        return Outline(uri: p.textDocument.uri, symbols: symbols, leftOut: leftOut)
    }

    /// Each scenario, from its header to the line before its `}`.
    func foldingRanges(_ p: DocumentParams) throws(ProtocolProblem) -> [FoldingRange] {
        let a = try document(p.textDocument.uri)
        return a.chunk.scenarios.compactMap { scenario in
            guard let close = scenario.closeRange else { return nil }
            let start = a.lines.line(of: scenario.headerRange.lowerBound)
            // The fold leaves a `}` that starts its line in sight; one after the last
            // statement is folded with it.
            let bytes = a.chunk.source.bytes
            var first = close.lowerBound
            while first > 0 && (bytes[first - 1] == 0x20 || bytes[first - 1] == 0x09) { first -= 1 }
            let startsLine = first == 0 || bytes[first - 1] == 0x0A
            let end = a.lines.line(of: close.lowerBound) - (startsLine ? 1 : 0)
            return end > start ? FoldingRange(startLine: start, endLine: end) : nil
        }
    }

    /// From a scenario's header to its `}`, or to its last statement when it is not closed.
    private func extent(of scenario: Scenario, in chunk: Chunk) -> Swift.Range<Int> {
        let end =
            scenario.closeRange?.upperBound
            ?? (scenario.statements.isEmpty
                ? scenario.headerRange.upperBound : chunk.statements[scenario.statements.upperBound - 1].range.upperBound)
        return scenario.headerRange.lowerBound..<end
    }

    // MARK: Edits

    /// The canonical layout, as one edit of the lines that change; what does not parse
    /// stays as typed.
    func format(_ p: DocumentParams) throws(ProtocolProblem) -> [TextEdit] {
        let a = try document(p.textDocument.uri)
        let formatted = Formatter.format(a.parsed)
        let old = a.lines.bytes
        let new = Array(formatted.utf8)
        guard old != new else { return [] }
        let shorter = min(old.count, new.count)
        var prefix = 0
        while prefix < shorter && old[prefix] == new[prefix] { prefix += 1 }
        while prefix > 0 && old[prefix - 1] != 0x0A { prefix -= 1 }
        var suffix = 0
        while suffix < shorter - prefix && old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        while suffix > 0 && old[old.count - suffix - 1] != 0x0A { suffix -= 1 }
        let text = String(decoding: new[prefix..<(new.count - suffix)], as: UTF8.self)
        return [TextEdit(range: a.lines.range(of: prefix..<(old.count - suffix), in: encoding), newText: text)]
    }

    /// The fixes of the diagnostics at the range: the statements a hint names inserted
    /// above a refused one, a did-you-mean put in place of the typo.
    func codeActions(_ p: DocumentRangeParams) throws(ProtocolProblem) -> [CodeAction] {
        let a = try document(p.textDocument.uri)
        let requested = a.lines.offsets(of: p.range, in: encoding)
        var actions: [CodeAction] = []
        for d in a.diagnostics where !d.fixes.isEmpty {
            guard d.range.lowerBound <= requested.upperBound && requested.lowerBound <= d.range.upperBound else { continue }
            let diagnostic = protocolDiagnostic(d, in: a)
            for (n, fix) in d.fixes.enumerated() {
                let edits = fix.edits.map { TextEdit(range: a.lines.range(of: $0.range, in: encoding), newText: $0.text) }
                actions.append(
                    CodeAction(
                        title: fix.title, diagnostics: [diagnostic], isPreferred: n == 0, edit: WorkspaceEdit(changes: [a.uri: edits])))
            }
        }
        return actions
    }

    // MARK: Decorations

    /// After each action in the range that ran: the owner and how many members are connected.
    func inlayHints(_ p: DocumentRangeParams) throws(ProtocolProblem) -> [InlayHint] {
        let a = try document(p.textDocument.uri)
        let requested = a.lines.offsets(of: p.range, in: encoding)
        let statements = a.chunk.statements
        // A statement after the background that no scenario holds (one broken by an error)
        // is part of nothing that runs.
        let shown = statements.indices.filter {
            statements[$0].range.upperBound >= requested.lowerBound && statements[$0].range.lowerBound <= requested.upperBound
                && ($0 < a.chunk.backgroundCount || a.chunk.scenario(containing: $0) != nil)
        }
        // Each part of the program (the background, a scenario) runs up to its last statement shown.
        var lasts: [Int] = []
        for i in shown {
            if let last = lasts.last, a.chunk.scenario(containing: last)?.headerRange == a.chunk.scenario(containing: i)?.headerRange {
                lasts[lasts.count - 1] = i
            } else {
                lasts.append(i)
            }
        }
        var hints: [InlayHint] = []
        for last in lasts {
            a.walk(through: last) { i, outcome, after in
                guard i >= shown[0], case .action = statements[i].kind, case .performed = outcome.result else { return }
                hints.append(
                    InlayHint(
                        position: a.lines.position(of: statements[i].range.upperBound, in: encoding), label: Words.inlayHint(after: after)))
            }
        }
        return hints
    }

    /// Every token the language gives a meaning: keywords, member names (declarations
    /// marked), scenario titles, rule ids and comments, as the lexer reads them.
    func semanticTokens(_ p: DocumentParams) throws(ProtocolProblem) -> SemanticTokens {
        let a = try document(p.textDocument.uri)
        var declared = Set<Int>()
        for i in a.chunk.statements.indices {
            if case .declare = a.chunk.statements[i].kind { declared.formUnion(a.chunk.names(of: i).map(\.range.lowerBound)) }
        }
        var pieces: [(range: Swift.Range<Int>, type: SemanticTokenType, modifiers: Int)] = []
        var comments = a.chunk.comments[...]
        var previous = TokenKind.newline
        for token in Lexer.tokenize(a.source).tokens {
            while let comment = comments.first, comment.lowerBound < token.range.lowerBound {
                pieces.append((comment, .comment, 0))
                comments = comments.dropFirst()
            }
            defer { previous = token.kind }
            switch token.kind {
            case let kind where kind.isKeyword: pieces.append((token.range, .keyword, 0))
            case .string where previous == .scenario: pieces.append((token.range, .string, 0))
            case .bareName where previous == .violation: pieces.append((token.range, .enumMember, 0))
            case .bareName, .string: pieces.append((token.range, .variable, declared.contains(token.range.lowerBound) ? 1 : 0))
            default: break
            }
        }
        var data: [Int] = []
        data.reserveCapacity(pieces.count * 5)
        var line = 0
        var character = 0
        for piece in pieces {
            let start = a.lines.position(of: piece.range.lowerBound, in: encoding)
            let end = min(piece.range.upperBound, a.lines.end(of: start.line))
            let length = a.lines.units(from: piece.range.lowerBound, to: max(end, piece.range.lowerBound), in: encoding)
            data += [start.line - line, start.line == line ? start.character - character : start.character, length]
            data += [SemanticTokenType.allCases.firstIndex(of: piece.type)!, piece.modifiers]
            line = start.line
            character = start.character
        }
        return SemanticTokens(data: data)
    }
}
