import ConnectionCore

/// Every word a user reads, in one place: how names are quoted, how statements are
/// spelled (by the formatter, the planner's output, goals, messages and `ok:` lines), how
/// events and states read. Text output, JSON, the REPL and the language server all ask here.
public enum Words {
    /// The release of runbook: what `--version` prints and a report records.
    public static let version = "0.1.0"

    // MARK: Names

    /// A name as the language reads it back: bare when it can be, double-quoted with `\"`
    /// and `\\` escapes otherwise.
    public static func spell(_ name: String) -> String {
        var name = name
        return name.withUTF8 { Lexer.isBare($0) } ? name : quoted(name)
    }

    /// A chunk's names, each spelled once, by id.
    package struct SpelledNames: Sendable {
        private var bytes: [UInt8] = []
        private var starts: [Int32] = [0]

        package init(_ names: [String]) {
            var out = ByteBuffer()
            for name in names {
                Words.spell(name, into: &out)
                starts.append(Int32(out.count))
            }
            bytes = out.withBytes { Array($0) }
        }

        /// Appends the spelling of the name `id`.
        @inline(__always)
        package func write(_ id: Int, into out: inout ByteBuffer) {
            bytes.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0[Int(starts[id])..<Int(starts[id &+ 1])])) }
        }
    }

    /// `spell(_:)`, appended to `out`.
    package static func spell(_ name: String, into out: inout ByteBuffer) {
        var name = name
        let bare = name.withUTF8 { bytes in
            guard Lexer.isBare(bytes) else { return false }
            out.append(bytes)
            return true
        }
        if !bare { out.append(quoted(name)) }
    }

    /// Always quoted, as scenario titles are written.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        escape(text, into: &out) { $0 == "\"" || $0 == "\\" ? "\\" + String($0) : nil }
        return out + "\""
    }

    /// Appends `text` to `out`, each character written as `spelling` gives it, or as it is
    /// where that gives `nil`: the one loop behind every escaping a format needs (quoted
    /// titles, printable text, JSON strings, markup).
    package static func escape(
        _ text: String, into out: inout String, _ spelling: (Unicode.Scalar) -> String?
    ) {
        for scalar in text.unicodeScalars {
            if let spelled = spelling(scalar) { out += spelled } else { out.unicodeScalars.append(scalar) }
        }
    }

    /// Text as it may reach a terminal: control characters and bidirectional controls are
    /// shown escaped, as Swift writes them (`\u{1B}`, `\u{202E}`), so that a file name or
    /// anything else a user did not write here cannot move the cursor, recolour the
    /// terminal or reorder what it shows.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: Lexer.isForbidden) else { return text }
        var out = ""
        escape(text, into: &out) { Lexer.isForbidden($0) ? escaped($0) : nil }
        return out
    }

    /// Text as a diagnostic shows it: `printable(_:)`, and characters that show as blank
    /// or as nothing (`Lexer.isInvisible`) escaped too, so that a no-break space or a
    /// zero-width space in a name or a word is seen for what it is.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { Lexer.isForbidden($0) || Lexer.isInvisible($0) }) else { return text }
        var out = ""
        escape(text, into: &out) { Lexer.isForbidden($0) || Lexer.isInvisible($0) ? escaped($0) : nil }
        return out
    }

    /// Characters by their code points and Unicode names, each once: `U+00A0 NO-BREAK
    /// SPACE and U+0430 CYRILLIC SMALL LETTER A`.
    public static func named(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var seen = Set<Unicode.Scalar>()
        return list(
            scalars.filter { seen.insert($0).inserted }.map { scalar in
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                return scalar.properties.name.map { "\(code) \($0)" } ?? code
            })
    }

    /// A character as Swift writes it escaped: `\u{1B}`.
    public static func escaped(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    /// "1 action", "2,000 actions".
    public static func counted(_ n: Int, _ noun: String, _ plural: String? = nil) -> String {
        "\(grouped(n)) \(n == 1 ? noun : plural ?? noun + "s")"
    }

    /// A number with its thousands grouped: 20,000.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Members named as a list, the first few when there are many: "bob and carol", "bob,
    /// carol, dora and 17 other members".
    public static func some(_ names: [String], limit: Int = 4) -> String {
        let spelled = names.prefix(names.count <= limit ? limit : limit - 1).map(spell)
        if names.count <= limit { return list(spelled) }
        return spelled.joined(separator: ", ") + " and " + counted(names.count - spelled.count, "other member")
    }

    /// "a", "a and b", "a, b and c"; or with "or".
    public static func list(_ items: [String], or: Bool = false) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + (or ? " or " : " and ") + items.last!
        }
    }

    // MARK: Statements

    /// A statement in the canonical layout: `as adminA grant bob, "Anna Berg"`. `names`
    /// are the statement's names in order (the actor first); `rule` is the spelling of an
    /// `expect violation`'s rule id when it is not in the catalogue. A goal is spelled
    /// without `expect`.
    public static func statement(
        _ kind: Statement.Kind, names: [String], unknownRule rule: String? = nil, asGoal: Bool = false
    ) -> String {
        var out = ByteBuffer()
        write(kind, names: names, unknownRule: rule, asGoal: asGoal, into: &out)
        return out.string
    }

    /// A core action as a statement: how the planner's plans are printed.
    public static func statement(_ action: Action) -> String {
        switch action {
        case .declare(let role, let names): statement(.declare(role), names: names)
        default: statement(.action(action.verb!, anyway: false), names: [action.actor!] + action.targets)
        }
    }

    /// A core goal as the language writes it: `owner adminB`, `bob connected`; or, as an
    /// expectation, `expect owner adminB`.
    public static func goal(_ goal: Goal, asExpectation: Bool = false) -> String {
        let (kind, names): (Statement.Kind, [String]) =
            switch goal {
            case .owner(let name): (.expectOwner, name.map { [$0] } ?? [])
            case .connected(let n): (.expectMembers(.connected), [n])
            case .notConnected(let n): (.expectMembers(.notConnected), [n])
            case .hasAccess(let n): (.expectMembers(.hasAccess), [n])
            case .absent(let n): (.expectMembers(.absent), [n])
            case .stranded(let n): (.expectMembers(.stranded), [n])
            }
        return statement(kind, names: names, asGoal: !asExpectation)
    }

    /// The statement at `index` of a chunk, as the formatter writes it.
    public static func statement(_ index: Int, in chunk: Chunk) -> String {
        var out = ByteBuffer()
        write(index, in: chunk, names: SpelledNames(chunk.names), into: &out)
        return out.string
    }

    /// Statements of a chunk on one line, as the formatter writes each, separated by `; `:
    /// how the REPL names a line it takes back.
    public static func statements(_ indices: some Sequence<Int>, in chunk: Chunk) -> String {
        let names = SpelledNames(chunk.names)
        var out = ByteBuffer()
        for (n, index) in indices.enumerated() {
            if n > 0 { out.append(literal: "; ") }
            write(index, in: chunk, names: names, into: &out)
        }
        return out.string
    }

    /// What an `expect violation` without a rule id that held was refused by, as the words
    /// after its `ok`: ` (refused by unknown-member)`, so that a typo that holds the
    /// expectation only because nobody has that name is seen. Empty for every other outcome.
    public static func refusedBy(_ outcome: Outcome) -> String {
        guard outcome.statement.tag == .expectViolation, outcome.statement.ruleReference == .any,
            let rule = outcome.rule
        else { return "" }
        return " (refused by \(rule.rawValue))"
    }

    /// What a statement that held prints as a run reports it: `ok: expect owner adminB`,
    /// with what refused an `expect violation` without a rule id.
    public static func held(_ outcome: Outcome, in chunk: Chunk) -> String {
        var out = ByteBuffer()
        held(outcome, in: chunk, names: SpelledNames(chunk.names), into: &out)
        return out.string
    }

    /// `held(_:in:)`, appended to `out`, with the chunk's names spelled once in `names`.
    package static func held(_ outcome: Outcome, in chunk: Chunk, names: SpelledNames, into out: inout ByteBuffer) {
        out.append(literal: "ok: ")
        write(outcome.index, in: chunk, names: names, into: &out)
        if outcome.rule != nil { out.append(refusedBy(outcome)) }
    }

    /// `statement(_:in:)`, appended to `out`, with the chunk's names spelled once in
    /// `names`: the formatter and run reports write a million statements this way.
    package static func write(_ index: Int, in chunk: Chunk, names: SpelledNames, into out: inout ByteBuffer) {
        let statement = chunk.statements[index]
        let rule = statement.rule == 0xFF ? chunk.ruleRange(of: index).map(chunk.source.text) : nil
        let range = chunk.idRange(of: index)
        chunk.ids.withUnsafeBufferPointer { ids in
            write(statement.kind, nameCount: range.count, unknownRule: rule, into: &out) { i, out in
                names.write(Int(ids[range.lowerBound &+ i]), into: &out)
            }
        }
    }

    /// The one spelling of every statement form, `names` written by `spell`.
    static func write(
        _ kind: Statement.Kind, names: [String], unknownRule: String? = nil, asGoal: Bool = false,
        into out: inout ByteBuffer
    ) {
        write(kind, nameCount: names.count, unknownRule: unknownRule, asGoal: asGoal, into: &out) { i, out in
            spell(names[i], into: &out)
        }
    }

    /// The one spelling of every statement form: the structure, with `name` writing the
    /// statement's `i`th name (the actor first for actions).
    private static func write(
        _ kind: Statement.Kind, nameCount: Int, unknownRule: String? = nil, asGoal: Bool = false,
        into out: inout ByteBuffer, name: (Int, inout ByteBuffer) -> Void
    ) {
        let table = KeywordTable.shared
        func keyword(_ kind: TokenKind) {
            out.append(table.spelling(kind))
        }
        func list(from start: Int) {
            for i in start..<nameCount {
                if i > start { out.append(literal: ", ") }
                name(i, &out)
            }
        }
        func action(_ verb: Verb) {
            keyword(.as)
            out.append(0x20)
            if nameCount > 0 { name(0, &out) }
            out.append(0x20)
            keyword(TokenKind(verb))
            if verb.takesTargets {
                out.append(0x20)
                list(from: 1)
            }
        }
        func expect() {
            guard !asGoal else { return }
            keyword(.expect)
            out.append(0x20)
        }
        switch kind {
        case .declare(let role):
            keyword(TokenKind(role))
            out.append(0x20)
            list(from: 0)
        case .action(let verb, let anyway):
            action(verb)
            if anyway {
                out.append(0x20)
                keyword(.anyway)
            }
        case .expectOwner:
            expect()
            keyword(.owner)
            out.append(0x20)
            if nameCount > 0 { name(0, &out) } else { keyword(.none) }
        case .expectMembers(let check):
            expect()
            list(from: 0)
            for k in TokenKind.keywords(of: check) {
                out.append(0x20)
                keyword(k)
            }
        case .expectViolation(let rule, let verb):
            keyword(.expect)
            out.append(0x20)
            keyword(.violation)
            out.append(0x20)
            switch rule {
            case .any: break
            case .rule(let id):
                out.append(id.rawValue)
                out.append(0x20)
            case .unknown:
                out.append(unknownRule ?? "")
                out.append(0x20)
            }
            action(verb)
        case .show:
            keyword(.show)
        case .broken:
            // No canonical spelling: the formatter keeps it as typed.
            break
        }
    }

    // MARK: Events

    /// One sentence for the events of one statement, merging events of the same kind:
    /// "anna granted ben, carl and dora access". Text and JSON output both read it.
    public static func events(_ events: [Event]) -> String {
        var buffer = ByteBuffer()
        self.events(events, into: &buffer)
        return buffer.string
    }

    /// `events(_:)` appended to `out`: a run that reports a million statements writes
    /// them this way, without a string per sentence.
    package static func events(_ events: [Event], into out: inout ByteBuffer) {
        var i = events.startIndex
        while i < events.endIndex {
            if i > events.startIndex { out.append(literal: "; ") }
            var j = events.index(after: i)
            while j < events.endIndex && merges(events[i], events[j]) { j = events.index(after: j) }
            let merged = events[i..<j]
            let plural = merged.count > 1
            switch events[i] {
            case .declared(_, let role):
                subjects(merged, into: &out)
                out.append(literal: " joined the instance as ")
                out.append(literal: role == .admin ? (plural ? "admins" : "an admin") : (plural ? "users" : "a user"))
            case .granted(_, let by):
                spell(by, into: &out)
                out.append(literal: " granted ")
                subjects(merged, into: &out)
                out.append(literal: " access")
            case .revoked(_, let by):
                spell(by, into: &out)
                out.append(literal: " removed the access of ")
                subjects(merged, into: &out)
            case .connected(let admin, let previous):
                spell(admin, into: &out)
                if let previous {
                    out.append(literal: " connected; the integration is now tied to ")
                    spell(admin, into: &out)
                    out.append(literal: " (was ")
                    spell(previous, into: &out)
                    out.append(literal: ")")
                } else {
                    out.append(literal: " connected; the integration is now live and tied to ")
                    spell(admin, into: &out)
                }
            case .disconnected(let admin, let owner):
                spell(admin, into: &out)
                if let owner {
                    out.append(literal: " disconnected; the integration is now tied to ")
                    spell(owner, into: &out)
                } else {
                    out.append(literal: " disconnected; the integration is no longer live")
                }
            case .stranded:
                subjects(merged, into: &out)
                out.append(literal: plural ? " lost Marketo access and are stranded" : " lost Marketo access and is stranded")
            case .removed:
                subjects(merged, into: &out)
                out.append(literal: plural ? " were removed from the instance" : " was removed from the instance")
                let lost = merged.filter { if case .removed(_, true) = $0 { true } else { false } }
                if !lost.isEmpty {
                    out.append(literal: "; ")
                    subjects(lost[...], into: &out)
                    out.append(literal: " lost access when removed")
                }
            }
            i = j
        }
    }

    /// Whether two events read as one sentence: the same kind, by the same admin or to the
    /// same role; removals always (one statement removes, by one admin).
    private static func merges(_ a: Event, _ b: Event) -> Bool {
        switch (a, b) {
        case (.declared(_, let r), .declared(_, let s)): r == s
        case (.granted(_, let x), .granted(_, let y)), (.revoked(_, let x), .revoked(_, let y)),
            (.stranded(_, let x), .stranded(_, let y)):
            x == y
        case (.removed, .removed): true
        default: false
        }
    }

    /// The subjects of merged events as a list: "a", "a and b", "a, b and c".
    private static func subjects(_ merged: ArraySlice<Event>, into out: inout ByteBuffer) {
        var k = merged.startIndex
        while k < merged.endIndex {
            if k > merged.startIndex {
                out.append(literal: merged.index(after: k) == merged.endIndex ? " and " : ", ")
            }
            switch merged[k] {
            case .declared(let n, _), .granted(let n, _), .revoked(let n, _), .removed(let n, _), .stranded(let n, _):
                spell(n, into: &out)
            default: break
            }
            k = merged.index(after: k)
        }
    }

    // MARK: States

    /// "an admin" or "a user".
    public static func role(_ role: Role) -> String { role == .admin ? "an admin" : "a user" }

    /// A verb as the language spells it: `connect`.
    public static func keyword(_ verb: Verb) -> String { TokenKind(verb).spelling }

    /// What an actor did, in the past tense: "disconnected", "removed the access of".
    public static func past(_ verb: Verb) -> String {
        switch verb {
        case .connect: "connected"
        case .disconnect: "disconnected"
        case .grant: "granted access"
        case .revoke: "removed access"
        case .remove: "removed members"
        }
    }

    /// A member check as the language spells it: `not connected`.
    public static func keywords(_ check: MemberCheck) -> String {
        TokenKind.keywords(of: check).map(\.spelling).joined(separator: " ")
    }

    /// The line that marks where a scenario begins in a run's output: `scenario "title"`.
    public static func scenarioStart(_ scenario: Scenario) -> String { "scenario " + quoted(scenario.title) }

    /// The last line of a run: "14 statements run, 6 expectations held", with the files run
    /// when there are several, the scenarios that passed, and where it stopped.
    public static func runSummary(_ total: Evaluation, filesRun: Int, filesGiven: Int) -> String {
        var text = counted(total.statementsRun, "statement") + " run"
        if filesGiven > 1 { text += filesRun < filesGiven ? " from \(filesRun) of \(filesGiven) files" : " from \(filesGiven) files" }
        text += ", " + counted(total.expectationsHeld, "expectation") + " held"
        let passed = total.scenarios.filter(\.passed).count
        if !total.scenarios.isEmpty { text += ", " + counted(passed, "scenario") + " passed" }
        if let stop = total.diagnostics.first { text += "; stopped at \(printable(stop.location))" }
        return text
    }

    /// The last line of a run whose files did not all parse: "nothing ran: 5 syntax errors",
    /// with the files that hold them when several were given ("in 2 of 3 files").
    public static func nothingRanSummary(syntaxErrors: Int, files: Int, filesGiven: Int) -> String {
        "nothing ran: " + counted(syntaxErrors, "syntax error") + (filesGiven > 1 ? " in \(files) of \(filesGiven) files" : "")
    }

    /// A member's status, in a few words: "connected, owner", "connected through access",
    /// "stranded: lost access, not granted again", "-" (no access), "absent".
    public static func status(of name: String, in instance: Instance) -> String {
        switch instance.status(of: name) {
        case .owner: return "connected, owner"
        case .adminConnection:
            let connections = instance.connections
            let position = connections.firstIndex(of: name)!
            return "connected (admin connection \(position + 1) of \(connections.count))"
        case .connectedThroughAccess: return "connected through access"
        case .stranded: return "stranded: lost access, not granted again"
        case .noAccess: return "-"
        case .absent: return "absent"
        }
    }

    /// A readable table of the state: members, roles, connections, owner, grants; the
    /// members in the order people read names (`readingOrder`).
    public static func state(_ instance: Instance) -> String {
        let members = readingOrder(instance.members, name: \.name)
        if members.isEmpty { return "no members; the integration is not live\n" }
        let owner = instance.owner
        let rows: [(String, String, String)] = members.map { m in
            (spell(m.name), m.role == .admin ? "admin" : "user", status(of: m.name, in: instance))
        }
        let nameWidth = max(6, rows.map(\.0.cells).max()!)
        var out = "member".padding(nameWidth) + "  role   status\n"
        for row in rows { out += row.0.padding(nameWidth) + "  " + row.1.padding(5) + "  " + row.2 + "\n" }
        out += owner.map { "owner: \(spell($0))" } ?? "owner: none (the integration is not live)"
        out += "; \(instance.grantCount) \(instance.grantCount == 1 ? "grant" : "grants")"
        if instance.strandedCount > 0 { out += "; \(counted(instance.strandedCount, "member")) stranded" }
        out += "\n"
        return out
    }
}

extension Words {
    /// `items` sorted by their names as people look names up: case and accents folded
    /// (`adam`, `Åsa`, `Bo`, `carl`, `Émile`), then by code point, so that the order is total
    /// (`Bo` before `bo`).
    public static func readingOrder<T>(_ items: [T], name: (T) -> String) -> [T] {
        items.map { (key: readingKey(name($0)), name: name($0), item: $0) }
            .sorted {
                $0.key != $1.key
                    ? $0.key.lexicographicallyPrecedes($1.key)
                    : $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars)
            }
            .map(\.item)
    }

    /// A name with its accents dropped (decomposed, combining marks left out) and its
    /// letters lowercased.
    private static func readingKey(_ name: String) -> [UInt32] {
        var key: [UInt32] = []
        // ASCII, as most names are: its letters lowercased, with no table to look in.
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            key.reserveCapacity(name.utf8.count)
            for byte in name.utf8 { key.append(UInt32(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)) }
            return key
        }
        for point in Lookalikes.nfd(name.unicodeScalars) {
            guard let scalar = Unicode.Scalar(point) else { continue }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark: continue
            default: key += scalar.properties.lowercaseMapping.unicodeScalars.map(\.value)
            }
        }
        return key
    }
}

extension String {
    /// The cells the text takes on a terminal: wide characters two, combining marks none.
    fileprivate var cells: Int { unicodeScalars.reduce(0) { $0 + Lookalikes.width($1) } }

    /// The text padded with spaces to `width` cells, so that columns line up after wide
    /// characters (`"山田 太郎"`) too.
    fileprivate func padding(_ width: Int) -> String {
        cells >= width ? self : self + String(repeating: " ", count: width - cells)
    }
}
