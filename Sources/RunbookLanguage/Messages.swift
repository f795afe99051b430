import ConnectionCore

/// Every message the language reports, in one place: wording, severity, hints.
/// Lowercase, no trailing period; names in quotes as the user wrote them.
enum Message {
    // MARK: Lexical

    static func unterminatedString(_ range: Range<Int>, in s: SourceFile) -> Diagnostic {
        Diagnostic(
            .error, "unterminated string", in: s, at: range,
            hints: ["close the name with '\"' on the same line"])
    }

    static func badEscape(at offset: Int, in s: SourceFile, after start: Int) -> Diagnostic {
        Diagnostic(
            .error, "unknown escape '\(s.text(offset..<min(offset + 2, s.bytes.count)))' in a string",
            in: s, at: offset..<min(offset + 2, s.bytes.count),
            hints: ["only \\\" and \\\\ are escapes"])
    }

    static func controlByte(_ byte: UInt8, at offset: Int, in s: SourceFile) -> Diagnostic {
        let hex = String(byte, radix: 16, uppercase: true)
        return Diagnostic(
            .error, "unexpected control byte 0x\(hex.count == 1 ? "0" + hex : hex)",
            in: s, at: offset..<offset + 1)
    }

    static func invalidUTF8(at offset: Int, in s: SourceFile) -> Diagnostic {
        let hex = String(s.bytes[offset], radix: 16, uppercase: true)
        return Diagnostic(
            .error, "invalid UTF-8 byte 0x\(hex)", in: s, at: offset..<offset + 1,
            hints: ["runbook files are UTF-8"])
    }

    static func unexpectedCharacters(_ range: Range<Int>, in s: SourceFile) -> Diagnostic {
        let text = s.text(range)
        let onlyNameLike = !text.contains { $0 == " " }
        return Diagnostic(
            .error, "unexpected '\(text)'", in: s, at: range,
            hints: onlyNameLike ? ["names with other characters must be quoted: \(quoted(text))"] : [])
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

    static func expected(_ what: String, found token: Token, in s: SourceFile, hints: [String] = []) -> Diagnostic {
        Diagnostic(.error, "expected \(what), found \(describe(token, in: s))", in: s, at: token.range, hints: hints)
    }

    /// A did-you-mean hint when the token is a word close to one of `words`.
    static func didYouMean(_ token: Token, in s: SourceFile, among words: [TokenKind]) -> [String] {
        guard token.kind == .bareName || token.kind.isKeyword else { return [] }
        return Suggest.closest(to: s.text(token.range), among: words.map(\.spelling))
            .map { ["did you mean '\($0)'?"] } ?? []
    }

    static func keywordAsName(_ token: Token, in s: SourceFile, context: String) -> Diagnostic {
        let word = s.text(token.range)
        return Diagnostic(
            .error, "expected \(context), found keyword '\(word)'", in: s, at: token.range,
            hints: ["keywords are reserved; write \"\(word)\" to use it as a name"])
    }

    static func unknownRule(_ token: Token, in s: SourceFile) -> Diagnostic {
        let word = s.text(token.range)
        let hint =
            Suggest.closest(to: word, among: RuleID.allCases.map(\.rawValue))
            .map { "did you mean '\($0)'?" } ?? "'runbook rules' lists the rule ids"
        return Diagnostic(.error, "unknown rule '\(word)'", in: s, at: token.range, hints: [hint])
    }

    static func unclosedScenario(openedAt line: Int, found token: Token, in s: SourceFile) -> Diagnostic {
        Diagnostic(
            .error, "expected '}' to close the scenario opened at line \(line), found \(describe(token, in: s))",
            in: s, at: token.range)
    }

    static func nestedScenario(_ token: Token, openedAt line: Int, in s: SourceFile) -> Diagnostic {
        Diagnostic(
            .error, "scenarios cannot be nested", in: s, at: token.range,
            hints: ["close the scenario opened at line \(line) with '}' first"])
    }

    static func statementAfterScenario(_ range: Range<Int>, in s: SourceFile) -> Diagnostic {
        Diagnostic(
            .error, "statement outside a scenario after the first scenario", in: s, at: range,
            hints: ["move it into a scenario, or above the first scenario to make it part of the background"])
    }

    static func strayBrace(_ token: Token, in s: SourceFile) -> Diagnostic {
        Diagnostic(.error, "unexpected '}' with no scenario open", in: s, at: token.range)
    }
}

// MARK: - Refused actions

extension Message {
    /// The diagnostic for a refused action: what happened, in the rule's words, and a
    /// hint naming the fix as a runbook statement computed from the state.
    static func violation(_ v: RuleViolation, instance: Instance, in s: SourceFile, at range: Range<Int>) -> Diagnostic {
        let (message, hints) = describe(v, instance: instance)
        return Diagnostic(.violation, message, in: s, at: range, hints: hints, rule: v.rule.rawValue)
    }

    static func describe(_ v: RuleViolation, instance: Instance) -> (String, [String]) {
        let actor = quoted(v.actor)
        let name = quoted(v.names.first ?? v.actor)
        let owner = v.owner.map(quoted)
        switch v.rule {
        case .unknownMember:
            let raw = v.names.first ?? v.actor
            if let close = Suggest.closest(to: raw, among: instance.members.map(\.name)) {
                return ("\(name) is not a member of the instance", ["did you mean '\(quoted(close))'?"])
            }
            return ("\(name) is not a member of the instance", ["declare it first: user \(name), or admin \(name)"])
        case .duplicateMember:
            let role = instance.role(of: v.names[0]).map { " (as \($0 == .admin ? "an admin" : "a user"))" } ?? " earlier in the same list"
            return ("\(name) is already declared\(role)", [])
        case .connectRequiresAdmin:
            let hint = instance.adminsFreeToConnect.first.map { ["an admin can connect instead: as \(quoted($0)) connect"] } ?? []
            return ("\(actor) cannot connect: only an admin can connect the integration, and \(actor) is a user", hint)
        case .accessBlocksConnect:
            let fix =
                owner.map { "the connected admin must revoke it first: as \($0) revoke \(actor)" }
                ?? "revoke the grant first"
            return ("\(actor) cannot connect while holding access granted on User Access", [fix])
        case .alreadyConnected:
            if case .grant = v.action {
                return ("\(name) is connected as an admin and needs no access", [])
            }
            return ("\(actor) is already connected as an admin", [])
        case .disconnectRequiresConnection:
            let hint =
                owner.map { ["only an admin who connected sees Disconnect; the integration is tied to \($0)"] }
                ?? ["no admin is connected"]
            return ("\(actor) cannot disconnect: \(actor) has not connected", hint)
        case .disconnectStrandsUsers:
            let holders = instance.grantHolders
            let who =
                holders.count == 1
                ? "\(quoted(holders[0])) holds"
                : holders.count <= 3 ? "\(Describe.list(holders.map(quoted))) hold" : "\(holders.count) members hold"
            return (
                "\(actor) cannot disconnect: \(actor) is the last connected admin, and \(who) access that would be lost",
                [strandFix(v.actor, instance: instance)]
            )
        case .accessRequiresConnection:
            let verb = v.action.verb
            let targets = v.action.targets.map(quoted).joined(separator: ", ")
            let hint: String
            if let owner {
                hint = "the connected admin manages User Access: as \(owner) \(verb) \(targets)"
            } else if instance.role(of: v.actor) == .admin && !instance.hasAccess(v.actor) {
                hint = "connect first: as \(actor) connect"
            } else {
                hint = "an admin must connect before anyone can manage User Access"
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
            return (
                "\(actor) cannot remove themselves", other.map { ["another admin must do it: as \(quoted($0.name)) remove \(actor)"] } ?? []
            )
        case .removeConnectedAdmin:
            let target = v.names[0]
            var fix = "\(name) must disconnect first: as \(name) disconnect"
            if instance.connections.count == 1 && instance.grantCount > 0 {
                fix =
                    "\(name) must disconnect first, and may only once another admin has connected: " + strandFix(target, instance: instance)
            }
            return ("\(name) cannot be removed while connected as an admin", [fix])
        }
    }

    /// How the last connected admin can leave without stranding anyone.
    private static func strandFix(_ actor: String, instance: Instance) -> String {
        if let next = instance.adminsFreeToConnect.first {
            return "connect another admin first: as \(quoted(next)) connect"
        }
        if let granted = instance.grantHolders.first(where: { instance.role(of: $0) == .admin }) {
            return "hand over first: as \(quoted(actor)) revoke \(quoted(granted)), then as \(quoted(granted)) connect"
        }
        let holders = instance.grantHolders
        let shown = holders.prefix(5).map(quoted).joined(separator: ", ") + (holders.count > 5 ? ", ..." : "")
        return "declare and connect another admin, or revoke the access first: as \(quoted(actor)) revoke \(shown)"
    }
}

// MARK: - Failed expectations

extension Message {
    static func failed(_ text: String, in s: SourceFile, at range: Range<Int>) -> Diagnostic {
        Diagnostic(.failed, text, in: s, at: range)
    }

    /// Why `name` is or is not connected, in a few words.
    static func connectionState(_ name: String, in instance: Instance) -> String {
        let n = quoted(name)
        guard let role = instance.role(of: name) else { return "\(n) is not a member" }
        if instance.isAdminConnection(name) { return "\(n) is connected as an admin" }
        if instance.hasAccess(name) {
            return instance.isLive
                ? "\(n) holds access while the integration is live"
                : "\(n) holds access but no admin is connected"
        }
        return role == .admin ? "\(n) is an admin who has not connected" : "\(n) holds no access"
    }

    static func ownerState(_ instance: Instance) -> String {
        instance.owner.map { "the owner is \(quoted($0))" } ?? "the integration is not live"
    }

    static func refusalName(_ rule: RuleID?) -> String {
        rule.map { "refused by [\($0.rawValue)]" } ?? "refused"
    }
}
