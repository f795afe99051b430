import ConnectionCore

/// Hints, and the fixes that carry out those that name a change: made together, from the
/// same values.
struct Advice {
    var hints: [String] = []
    var fixes: [Fix] = []

    /// One hint and, when it names a change, its fix.
    init(_ hint: String? = nil, fixes: [Fix] = []) {
        hints = hint.map { [$0] } ?? []
        self.fixes = fixes
    }

    var isEmpty: Bool { hints.isEmpty }
}

/// Every message the language reports, in one place: its id, severity, wording and hints.
/// Lowercase, no trailing period; names spelled as the language reads them back.
enum Message {
    // MARK: Lexical

    static func unterminatedString(_ range: Range<Int>, in s: SourceFile) -> Diagnostic {
        Diagnostic(
            .error, "unterminated string", in: s, at: range, id: .unterminatedString,
            hints: ["close the name with '\"' on the same line"])
    }

    static func badEscape(at offset: Int, in s: SourceFile, after start: Int) -> Diagnostic {
        let range = offset..<min(offset + 2, s.bytes.count)
        return Diagnostic(
            .error, "unknown escape '\(s.text(range))' in a string", in: s, at: range, id: .badEscape,
            hints: ["only \\\" and \\\\ are escapes"])
    }

    static func controlByte(_ byte: UInt8, at offset: Int, in s: SourceFile) -> Diagnostic {
        let hex = String(byte, radix: 16, uppercase: true)
        return Diagnostic(
            .error, "unexpected control byte 0x\(hex.count == 1 ? "0" + hex : hex)", in: s, at: offset..<offset + 1,
            id: .controlCharacter, hints: byte == 0x0D ? ["a carriage return ends a line only before a line feed (CRLF)"] : [])
    }

    /// A control character beyond ASCII, or a bidirectional control, in a name, a title or
    /// a comment.
    static func forbiddenCharacter(_ scalar: Unicode.Scalar, at range: Range<Int>, in s: SourceFile) -> Diagnostic {
        Diagnostic(
            .error, "unexpected \(Words.forbidden(scalar))", in: s, at: range, id: .controlCharacter,
            hints: scalar.value > 0x9F ? ["it makes text read differently from how it runs; remove it"] : [])
    }

    static func invalidUTF8(at offset: Int, in s: SourceFile) -> Diagnostic {
        let hex = String(s.bytes[offset], radix: 16, uppercase: true)
        return Diagnostic(
            .error, "invalid UTF-8 byte 0x\(hex)", in: s, at: offset..<offset + 1, id: .invalidUTF8,
            hints: ["runbook files are UTF-8"])
    }

    /// Characters that show as blank or as nothing, named: `unexpected U+00A0 NO-BREAK
    /// SPACE`. The fix puts a space in place of those that look like one, and nothing in
    /// place of those that take no room.
    static func invisibleCharacters(_ range: Range<Int>, in s: SourceFile) -> Diagnostic {
        let scalars = s.text(range).unicodeScalars
        let categories = Set(scalars.map(\.properties.generalCategory))
        let hint =
            categories.contains(.lineSeparator) || categories.contains(.paragraphSeparator)
            ? "it shows as a line break or as nothing, but it is neither: write a space or a new line"
            : categories == [.format] ? "it cannot be seen: remove it" : "it looks like a space but is not one: write a space"
        return Diagnostic(
            .error, "unexpected \(Words.named(scalars))", in: s, at: range, id: .unexpectedCharacters, hints: [hint],
            fixes: [.replacing(range, with: categories == [.format] ? "" : " ", in: s)])
    }

    static func unexpectedCharacters(_ range: Range<Int>, in s: SourceFile) -> Diagnostic {
        let text = s.text(range)
        let onlyNameLike = !text.contains { $0 == " " }
        let quoted = Words.quoted(text)
        return Diagnostic(
            .error, "unexpected '\(text)'", in: s, at: range, id: .unexpectedCharacters,
            hints: onlyNameLike ? ["names with other characters must be quoted: \(quoted)"] : [],
            fixes: onlyNameLike ? [.replacing(range, with: quoted, in: s)] : [])
    }

    // MARK: Syntax

    /// How a token is named in "found ..." phrases.
    static func describe(_ token: Token, in s: SourceFile) -> String {
        switch token.kind {
        case .newline, .end: token.kind.spelling
        case .string: s.text(token.range)
        default: "'\(s.text(token.range))'"
        }
    }

    /// What the parser expected, in words: "a verb after 'as adminA'".
    static func phrase(_ expected: Expected) -> String {
        switch expected {
        case .statement: "a statement"
        case .name(let after): "a member name after '\(after)'"
        case .verb(let after): "a verb after '\(after)'"
        case .memberCheck(let after):
            "\(Words.list(MemberCheck.allCases.map(spelling), or: true)) after '\(after)'"
        case .keyword(let keyword, let after): "'\(keyword.spelling)' after '\(after)'"
        case .ownerTarget(let after): "a member name or 'none' after '\(after)'"
        case .expectTarget: "'owner', 'violation' or a member name after 'expect'"
        case .ruleOrAs: "a rule id or 'as' after 'expect violation'"
        case .title: "a quoted title after 'scenario'"
        case .openBrace: "'{' after the scenario title"
        case .closeBrace(let line): "'}' to close the scenario opened at line \(line)"
        case .terminator: "a new line or ';' after the statement"
        case .goal: "a goal such as 'owner adminB' or 'bob connected'"
        }
    }

    /// `'not connected'`, as the message lists member checks.
    private static func spelling(_ check: MemberCheck) -> String {
        "'" + TokenKind.keywords(of: check).map(\.spelling).joined(separator: " ") + "'"
    }

    static func expected(_ what: Expected, found token: Token, in s: SourceFile, advice: Advice = Advice()) -> Diagnostic {
        Diagnostic(
            .error, "expected \(phrase(what)), found \(describe(token, in: s))", in: s, at: token.range, id: .expected,
            hints: advice.hints, fixes: advice.fixes)
    }

    /// A did-you-mean hint when the token is a word close to one of `words`, with the fix
    /// that puts that word in its place.
    static func didYouMean(_ token: Token, in s: SourceFile, among words: [TokenKind]) -> Advice {
        guard token.kind == .bareName || token.kind.isKeyword else { return Advice() }
        return didYouMean(token.range, in: s, among: words.map(\.spelling))
    }

    /// A did-you-mean hint when the word at `range` is close to one of `words`, and its fix.
    static func didYouMean(_ range: Range<Int>, in s: SourceFile, among words: [String]) -> Advice {
        guard let word = Suggest.closest(to: s.text(range), among: words) else { return Advice() }
        return Advice("did you mean '\(word)'?", fixes: [.replacing(range, with: word, in: s)])
    }

    /// A statement that starts with a verb: the actor comes first.
    static func actorFirst(_ verb: Verb) -> Advice {
        Advice("an action names who does it: as NAME \(TokenKind(verb).spelling)")
    }

    /// `as VERB`: the actor is missing, not misspelt.
    static func actorMissing(_ verb: Verb) -> Advice {
        Advice("the actor is missing: as NAME \(TokenKind(verb).spelling)")
    }

    /// The title of a fix that replaces one text with another.
    static func replaceTitle(_ old: String, with new: String) -> String {
        "replace '\(Words.visible(old))' with '\(Words.visible(new))'"
    }

    static func keywordAsName(_ token: Token, in s: SourceFile, expected: Expected) -> Diagnostic {
        let word = s.text(token.range)
        let quoted = "\"\(word)\""
        return Diagnostic(
            .error, "expected \(phrase(expected)), found keyword '\(word)'", in: s, at: token.range, id: .keywordAsName,
            hints: ["keywords are reserved; write \(quoted) to use it as a name"], fixes: [.replacing(token.range, with: quoted, in: s)])
    }

    static func emptyName(_ token: Token, in s: SourceFile, title: Bool) -> Diagnostic {
        Diagnostic(.error, title ? "a scenario's title cannot be empty" : "a name cannot be empty", in: s, at: token.range, id: .emptyName)
    }

    static func nestedScenario(_ token: Token, openedAt line: Int, in s: SourceFile) -> Diagnostic {
        Diagnostic(
            .error, "scenarios cannot be nested", in: s, at: token.range, id: .nestedScenario,
            hints: ["close the scenario opened at line \(line) with '}' first"])
    }

    static func statementAfterScenario(_ range: Range<Int>, in s: SourceFile) -> Diagnostic {
        Diagnostic(
            .error, "statement outside a scenario after the first scenario", in: s, at: range, id: .statementAfterScenario,
            hints: ["move it into a scenario, or above the first scenario to make it part of the background"])
    }

    static func strayBrace(_ token: Token, in s: SourceFile) -> Diagnostic {
        Diagnostic(.error, "unexpected '}' with no scenario open", in: s, at: token.range, id: .strayBrace)
    }

    static func anywayInExpectation(_ token: Token, in s: SourceFile) -> Diagnostic {
        Diagnostic(
            .error, "expected \(phrase(.terminator)), found 'anyway'", in: s, at: token.range, id: .expected,
            hints: ["'anyway' goes on an action that is performed; an expectation performs nothing"])
    }

    static func violationIsNotAGoal(_ token: Token, in s: SourceFile) -> Diagnostic {
        Diagnostic(.error, "'violation' is not a goal: a plan never breaks a rule", in: s, at: token.range, id: .notAGoal)
    }

    // MARK: Found before anything runs

    /// An unknown rule id, with the closest one when there is one, or else those that hold
    /// it (`strands`); a client adds where the rule ids are listed.
    static func unknownRule(_ token: Token, in s: SourceFile) -> Diagnostic {
        let word = s.text(token.range)
        var advice = didYouMean(token.range, in: s, among: RuleID.allCases.map(\.rawValue))
        let holding = Catalogue.rules(containing: word)
        if advice.isEmpty && !holding.isEmpty {
            let fixes = holding.count == 1 ? [Fix.replacing(token.range, with: holding[0], in: s)] : []
            advice = Advice("did you mean \(Words.list(holding.map { "'\($0)'" }, or: true))?", fixes: fixes)
        }
        return Diagnostic(
            .error, "unknown rule '\(word)'", in: s, at: token.range, id: .unknownRule, hints: advice.hints, fixes: advice.fixes)
    }

    /// The characters of a name beyond ASCII, named: what tells it from a lookalike.
    private static func unusual(_ name: String) -> String {
        Words.named(name.unicodeScalars.filter { !$0.isASCII })
    }

    static func mixedScripts(_ name: String, _ scripts: [String], in s: SourceFile, at range: Range<Int>) -> Diagnostic {
        Diagnostic(
            .warning, "\(Words.spell(name)) mixes scripts: \(Words.list(scripts))", in: s, at: range, id: .mixedScripts,
            hints: ["it holds \(unusual(name)); a letter of another script can make a name look like someone else's"])
    }

    /// A name that looks like another; `scripts` when it also mixes scripts, said in the
    /// same warning.
    static func confusable(
        _ name: String, with other: String, mixing scripts: [String]?, in s: SourceFile, at range: Range<Int>
    ) -> Diagnostic {
        let holds = [name, other].filter { !$0.unicodeScalars.allSatisfy(\.isASCII) }.map { held in
            let mixes = held == name ? scripts.map { "; it mixes \(Words.list($0))" } ?? "" : ""
            return "\(Words.spell(held)) holds \(unusual(held))" + mixes
        }
        return Diagnostic(
            .warning, "\(Words.spell(name)) looks like \(Words.spell(other))", in: s, at: range, id: .confusableNames,
            hints: holds + ["they are different names: rename one if both are meant"])
    }

    /// `expect violation RULE as ...` where the rule never refuses the verb.
    static func ruleNeverRefuses(_ id: RuleID, _ verb: Verb, in s: SourceFile, at range: Range<Int>) -> Diagnostic {
        let refuses = id.rule.refusesDeclarations ? "declarations of members" : Words.list(id.rule.verbs.map(Words.keyword))
        return Diagnostic(
            .warning, "\(id.rawValue) never refuses \(Words.keyword(verb)): it refuses \(refuses)", in: s, at: range,
            id: .ruleNeverRefuses, hints: ["so this expectation cannot hold"])
    }

    static func listedTwice(_ name: String, at range: Range<Int>, first: Int, in s: SourceFile) -> Diagnostic {
        let (line, column) = s.location(of: first)
        return Diagnostic(
            .error, "\(Words.spell(name)) is listed twice in one statement", in: s, at: range, id: .listedTwice,
            hints: ["it is listed first at \(line):\(column); list each name once"])
    }
}

// MARK: - Refused actions

/// A hint about a refused action, with the changes that carry it out when it names some.
private struct RefusalHint {
    /// What a fix changes: statements inserted above the refused one, a statement in its
    /// place, or a name in place of the one under the caret.
    enum Remedy {
        case insert([Action])
        case replaceStatement(Action)
        case replaceName(String)
    }

    var text: String
    var remedies: [Remedy] = []
}

extension Message {
    /// The diagnostic for a refused action: what happened, in the rule's words, and a
    /// hint naming the fix as a runbook statement computed from the state, with that fix
    /// as data. `range` is where the caret goes; `statement` is the refused statement.
    static func violation(
        _ v: RuleViolation, instance: Instance, in s: SourceFile, at range: Range<Int>, statement: Range<Int>,
        anyway: Bool = false
    ) -> Diagnostic {
        var (message, hints) = describe(v, instance: instance)
        if anyway {
            hints.insert(RefusalHint(text: "'anyway' accepts only hazards, and the product refuses this step"), at: 0)
        }
        let fixes = hints.flatMap(\.remedies).map { remedy -> Fix in
            switch remedy {
            case .insert(let steps): .inserting(steps.map(Words.statement), above: statement, in: s)
            case .replaceStatement(let step): .replacing(statement, with: Words.statement(step), in: s)
            case .replaceName(let name): .replacing(range, with: name, in: s)
            }
        }
        return Diagnostic(
            .violation, message, in: s, at: range, id: .violation, hints: hints.map(\.text), rule: v.rule.rawValue, fixes: fixes)
    }

    private static func describe(_ v: RuleViolation, instance: Instance) -> (String, [RefusalHint]) {
        let actor = Words.spell(v.actor)
        let name = Words.spell(v.names.first ?? v.actor)
        switch v.rule {
        case .unknownMember:
            let raw = v.names.first ?? v.actor
            if let close = Suggest.closest(to: raw, among: instance.members.map(\.name)) {
                let spelled = Words.spell(close)
                return (
                    "\(name) is not a member of the instance",
                    [RefusalHint(text: "did you mean '\(spelled)'?", remedies: [.replaceName(spelled)])]
                )
            }
            let declarations = [Action.declare(.user, [raw]), .declare(.admin, [raw])]
            let hint = "declare it first: " + declarations.map(Words.statement).joined(separator: ", or ")
            return ("\(name) is not a member of the instance", [RefusalHint(text: hint, remedies: declarations.map { .insert([$0]) })])
        case .duplicateMember:
            let role = instance.role(of: v.names[0]).map { " (as \(Words.role($0)))" } ?? " earlier in the same list"
            return ("\(name) is already declared\(role)", [])
        case .connectRequiresAdmin:
            let hint = instance.adminsFreeToConnect.first.map { admin -> RefusalHint in
                let step = Action.connect(actor: admin)
                return RefusalHint(text: "an admin can connect instead: \(Words.statement(step))", remedies: [.replaceStatement(step)])
            }
            return ("\(actor) cannot connect: only an admin can connect the integration, and \(actor) is a user", hint.map { [$0] } ?? [])
        case .accessBlocksConnect:
            let fix = v.owner.map { owner -> RefusalHint in
                let step = Action.revoke(actor: owner, targets: [v.actor])
                return RefusalHint(text: "the connected admin must revoke it first: \(Words.statement(step))", remedies: [.insert([step])])
            }
            return (
                "\(actor) cannot connect while holding access granted on User Access", [fix ?? RefusalHint(text: "revoke the grant first")]
            )
        case .alreadyConnected:
            if case .grant = v.action {
                return ("\(name) is connected as an admin and needs no access", [])
            }
            return ("\(actor) is already connected as an admin", [])
        case .disconnectRequiresConnection:
            let hint =
                v.owner.map { "only an admin who connected sees Disconnect; the integration is tied to \(Words.spell($0))" }
                ?? "no admin is connected"
            return ("\(actor) cannot disconnect: \(actor) has not connected", [RefusalHint(text: hint)])
        case .disconnectStrandsUsers:
            // A hazard: the product performs it, and the grant holders lose their access.
            return (
                "the product would let \(actor) disconnect, and \(Words.some(instance.grantHolders)) would lose Marketo access",
                [strandFix(v.actor, instance: instance, then: [])]
            )
        case .accessRequiresConnection:
            let hint: RefusalHint
            if let owner = v.owner {
                let step = Action(v.action.verb!, actor: owner, targets: v.action.targets)
                hint = RefusalHint(
                    text: "the connected admin manages User Access: \(Words.statement(step))", remedies: [.replaceStatement(step)])
            } else if instance.role(of: v.actor) == .admin && !instance.hasAccess(v.actor) {
                let step = Action.connect(actor: v.actor)
                hint = RefusalHint(text: "connect first: \(Words.statement(step))", remedies: [.insert([step])])
            } else {
                hint = RefusalHint(text: "an admin must connect before anyone can manage User Access")
            }
            return ("\(actor) cannot manage User Access: \(actor) is not connected as an admin", [hint])
        case .alreadyHasAccess:
            return ("\(name) already holds access", [])
        case .noAccessToRevoke:
            if instance.isAdminConnection(v.names[0]) {
                return ("\(name) holds no access to revoke: \(name) is connected as an admin", [])
            }
            return ("\(name) holds no access to revoke", [])
        case .removeRequiresAdmin:
            return ("\(actor) cannot remove members: only an admin can, and \(actor) is a user", [])
        case .removeSelf:
            let other = instance.members.first { $0.role == .admin && $0.name != v.actor }
            let hint = other.map { other -> RefusalHint in
                let step = Action.remove(actor: other.name, targets: [v.actor])
                // The statement is replaced only when it removes no one else.
                let remedies: [RefusalHint.Remedy] = v.action.targets == [v.actor] ? [.replaceStatement(step)] : []
                return RefusalHint(text: "another admin must do it: \(Words.statement(step))", remedies: remedies)
            }
            return ("\(actor) cannot remove themselves", hint.map { [$0] } ?? [])
        case .removeConnectedAdmin:
            let target = v.names[0]
            let disconnect = Action.disconnect(actor: target)
            var fix = RefusalHint(text: "\(name) must disconnect first: \(Words.statement(disconnect))", remedies: [.insert([disconnect])])
            if instance.connections.count == 1 && instance.grantCount > 0 {
                // The steps themselves after one colon: "hint: anna must disconnect first, once
                // another admin has connected: as cleo connect, then as anna disconnect".
                let strand = strandFix(target, instance: instance, then: [disconnect])
                guard case .insert(let steps)? = strand.remedies.first else { preconditionFailure("a strand fix inserts steps") }
                let handsOver = steps.contains { if case .connect = $0 { true } else { false } }
                let once = handsOver ? "once another admin has connected" : "once the access is revoked"
                fix = RefusalHint(
                    text: "\(name) must disconnect first, \(once): " + steps.map(shortStatement).joined(separator: ", then "),
                    remedies: strand.remedies)
            }
            return ("\(name) cannot be removed while connected as an admin", [fix])
        }
    }

    /// How the last connected admin can leave without stranding anyone; its fix inserts
    /// the steps it names, then `then`.
    private static func strandFix(_ actor: String, instance: Instance, then: [Action]) -> RefusalHint {
        if let next = instance.adminsFreeToConnect.first {
            let step = Action.connect(actor: next)
            return RefusalHint(text: "connect another admin first: \(Words.statement(step))", remedies: [.insert([step] + then)])
        }
        if let granted = instance.grantHolders.first(where: { instance.role(of: $0) == .admin }) {
            let steps = [Action.revoke(actor: actor, targets: [granted]), .connect(actor: granted)]
            return RefusalHint(
                text: "hand over first: \(Words.statement(steps[0])), then \(Words.statement(steps[1]))", remedies: [.insert(steps + then)])
        }
        let holders = instance.grantHolders
        let revoke = Action.revoke(actor: actor, targets: holders)
        return RefusalHint(
            text: "declare and connect another admin, or revoke the access first: \(shortStatement(revoke))",
            remedies: [.insert([revoke] + then)])
    }

    /// A statement as a hint names it: past five targets, the rest as "...".
    private static func shortStatement(_ action: Action) -> String {
        guard action.targets.count > 5, let verb = action.verb, let actor = action.actor else { return Words.statement(action) }
        return Words.statement(Action(verb, actor: actor, targets: Array(action.targets.prefix(5)))) + ", ..."
    }
}

// MARK: - Failed expectations

extension Message {
    static func failed(_ text: String, in s: SourceFile, at range: Range<Int>) -> Diagnostic {
        Diagnostic(.failed, text, in: s, at: range, id: .failedExpectation)
    }

    /// Why `expect NAME CHECK` does not hold of a member, or of a name that is not one.
    static func memberCheckFailed(_ check: MemberCheck, _ name: String, in instance: Instance) -> String {
        let n = Words.spell(name)
        switch check {
        case .connected: return "expected \(n) to be connected, but \(connectionState(name, in: instance))"
        case .notConnected: return "expected \(n) not to be connected, but \(connectionState(name, in: instance))"
        case .hasAccess: return "expected \(n) to hold access, but \(connectionState(name, in: instance))"
        case .absent:
            return "expected \(n) to be absent, but \(n) is \(instance.role(of: name).map(Words.role) ?? "a member") of the instance"
        case .stranded: return "expected \(n) to be stranded, but \(connectionState(name, in: instance))"
        }
    }

    /// Why `expect owner NAME` (or `none`, for `nil`) does not hold.
    static func ownerFailed(_ name: String?, in instance: Instance) -> String {
        let state = instance.owner.map { "the owner is \(Words.spell($0))" } ?? "the integration is not live"
        guard let name else { return "expected the integration not to be live, but \(state)" }
        if !instance.isMember(name) { return "expected owner \(Words.spell(name)), but \(Words.spell(name)) is not a member" }
        return "expected owner \(Words.spell(name)), but \(state)"
    }

    /// Why `expect violation [RULE] ACTION` does not hold: the action would succeed, or
    /// another rule refuses it.
    static func violationFailed(_ action: Action, expected rule: RuleID?, refusal: RuleViolation?, in instance: Instance) -> String {
        let expected = "expected '\(Words.statement(action))' to be \(refusalName(rule))"
        guard let refusal else { return expected + ", but it would succeed" }
        let (why, _) = describe(refusal, instance: instance)
        return expected + ", but it is \(refusalName(refusal.rule)): \(why)"
    }

    /// Why `name` is or is not connected, in a few words.
    static func connectionState(_ name: String, in instance: Instance) -> String {
        let n = Words.spell(name)
        guard let role = instance.role(of: name) else { return "\(n) is not a member" }
        if instance.isAdminConnection(name) { return "\(n) is connected as an admin" }
        if instance.hasAccess(name) {
            return instance.isLive ? "\(n) holds access while the integration is live" : "\(n) holds access but no admin is connected"
        }
        if instance.isStranded(name) {
            return "\(n) is stranded: \(n) lost access when the integration stopped, and was not granted it again"
        }
        return role == .admin ? "\(n) is an admin who has not connected" : "\(n) holds no access"
    }

    /// A hazard performed on purpose, with `anyway`: what it did and who was stranded, and
    /// the way back.
    static func hazardAccepted(
        _ v: RuleViolation, stranded: [String], instance: Instance, in s: SourceFile, at range: Range<Int>
    ) -> Diagnostic {
        let actor = Words.spell(v.actor)
        let verb = v.action.verb.map(Words.past) ?? ""
        var hints: [String] = []
        if !stranded.isEmpty {
            // Another admin than the one who left, where there is one; an admin who connects
            // is stranded no more, and needs no grant.
            let free = instance.adminsFreeToConnect
            let admin = instance.owner ?? free.first(where: { $0 != v.actor }) ?? free.first
            let back =
                admin.map { admin in
                    var steps = instance.isLive ? [] : [Words.statement(.connect(actor: admin))]
                    let targets = stranded.filter { $0 != admin }
                    if targets.count > 8 {
                        steps.append("\(Words.spell(admin)) grants access again to the \(Words.counted(targets.count, "stranded member"))")
                    } else if !targets.isEmpty {
                        steps.append(Words.statement(.grant(actor: admin, targets: targets)))
                    }
                    return steps.joined(separator: ", then ")
                } ?? "declare and connect an admin, who grants them access again"
            hints.append("the way back: \(back)")
        }
        let lost =
            stranded.isEmpty
            ? "nobody lost access" : "\(Words.some(stranded)) lost Marketo access and \(stranded.count == 1 ? "is" : "are") stranded"
        return Diagnostic(
            .warning, "\(actor) \(verb) anyway: \(lost)", in: s, at: range, id: .hazardAccepted, hints: hints,
            rule: v.rule.rawValue)
    }

    /// `anyway` on a step that no hazard flags.
    static func anywayAcceptedNothing(in s: SourceFile, at range: Range<Int>) -> Diagnostic {
        Diagnostic(
            .warning, "'anyway' accepted nothing: no hazard flags this step", in: s, at: range, id: .anywayAcceptedNothing,
            hints: ["remove 'anyway': it is for a step the product performs at a cost, to rehearse an incident"])
    }

    static func refusalName(_ rule: RuleID?) -> String {
        rule.map { "refused by [\($0.rawValue)]" } ?? "refused"
    }
}
