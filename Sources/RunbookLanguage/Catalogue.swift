import ConnectionCore

/// The rule catalogue as text, and a runbook per rule that triggers it and one that avoids it.
public enum Catalogue {
    /// Each rule's examples: a runbook whose last statement the rule refuses, and one
    /// that reaches the same goal without a violation. The tests run both.
    public static let examples: [RuleID: (triggers: String, avoids: String)] = [
        .unknownMember: (
            "admin anna\nas anna connect\nas anna grant bob\n",
            "admin anna\nuser bob\nas anna connect\nas anna grant bob\n"
        ),
        .duplicateMember: ("admin anna\nuser anna\n", "admin anna\nuser bob\n"),
        .connectRequiresAdmin: ("user bob\nas bob connect\n", "admin anna\nuser bob\nas anna connect\n"),
        .accessBlocksConnect: (
            "admin anna, ben\nas anna connect\nas anna grant ben\nas ben connect\n",
            "admin anna, ben\nas anna connect\nas anna grant ben\nas anna revoke ben\nas ben connect\n"
        ),
        .alreadyConnected: ("admin anna\nas anna connect\nas anna connect\n", "admin anna\nas anna connect\nexpect anna connected\n"),
        .disconnectRequiresConnection: (
            "admin anna, ben\nas anna connect\nas ben disconnect\n",
            "admin anna, ben\nas anna connect\nas anna disconnect\n"
        ),
        .disconnectStrandsUsers: (
            "admin anna, ben\nuser carl\nas anna connect\nas anna grant carl\nas anna disconnect\n",
            "admin anna, ben\nuser carl\nas anna connect\nas anna grant carl\nas ben connect\nas anna disconnect\nexpect carl connected\n"
        ),
        .accessRequiresConnection: (
            "admin anna, ben\nuser carl\nas anna connect\nas ben grant carl\n",
            "admin anna, ben\nuser carl\nas anna connect\nas anna grant carl\n"
        ),
        .alreadyHasAccess: (
            "admin anna\nuser carl\nas anna connect\nas anna grant carl\nas anna grant carl\n",
            "admin anna\nuser carl\nas anna connect\nas anna grant carl\nexpect carl has access\n"
        ),
        .noAccessToRevoke: (
            "admin anna\nuser carl\nas anna connect\nas anna revoke carl\n",
            "admin anna\nuser carl\nas anna connect\nas anna grant carl\nas anna revoke carl\n"
        ),
        .removeRequiresAdmin: ("admin anna\nuser bob, carl\nas bob remove carl\n", "admin anna\nuser bob, carl\nas anna remove carl\n"),
        .removeSelf: ("admin anna, ben\nas anna remove anna\n", "admin anna, ben\nas ben remove anna\n"),
        .removeConnectedAdmin: (
            "admin anna, ben\nas anna connect\nas ben remove anna\n",
            "admin anna, ben\nas anna connect\nas ben connect\nas anna disconnect\nas ben remove anna\n"
        ),
    ]

    /// The statements a rule can refuse, as the language writes their keywords.
    public static func actions(of rule: Rule) -> String {
        let keywords = rule.refusesDeclarations ? [TokenKind.admin, .user] : rule.verbs.map(TokenKind.init)
        return keywords.map(\.spelling).joined(separator: ", ")
    }

    /// Every rule, one entry each, in table order.
    public static func list() -> String {
        var out = ""
        for rule in Rule.catalogue {
            out += "\(rule.id.rawValue)  (\(actions(of: rule)); \(rule.kind.rawValue))\n"
            out += "  \(when(rule))\n"
            if let quote = rule.seedQuote {
                out += "  seed: \u{201C}\(quote)\u{201D}\n"
                out += "  reading: \(rule.reading)\n"
            } else {
                out += "  added by the specification, not on the product page: \(rule.reading)\n"
            }
            out += "\n"
        }
        return out
    }

    /// One rule in full: its source, its reading, and runbooks that trigger and avoid it.
    public static func explain(_ id: RuleID) -> String {
        let rule = id.rule
        var out = "\(id.rawValue): \(when(rule))\n"
        out += "kind: \(kind(rule.kind))\n"
        out += "actions: \(actions(of: rule))\n\n"
        if let quote = rule.seedQuote {
            out += "From the product page (Swedish):\n  \u{201C}\(quote)\u{201D}\n\n"
            out += "Reading:\n  \(rule.reading)\n\n"
        } else {
            out += "Added by the specification beyond the product page:\n  \(rule.reading)\n\n"
        }
        if let example = examples[id] {
            let last = rule.kind == .hazard ? "the last step stops the run; with 'anyway' it strands carl" : "the last step is refused"
            out += "Triggers it (\(last)):\n" + indent(example.triggers) + "\n"
            out += "Avoids it:\n" + indent(example.avoids)
        }
        return out
    }

    /// The coverage of the catalogue as a table: each rule, the scenarios that triggered
    /// it and the actions it checked and let through, then the rules never triggered.
    public static func coverage(_ coverage: Coverage) -> String {
        let rows = Rule.catalogue.map { rule in
            let count = coverage.count(of: rule.id)
            return [rule.id.rawValue, rule.kind.rawValue, Words.triggeredIn(count), Words.checked(count, of: rule)]
        }
        let table = [["rule", "kind", "triggered in", "checked and let through"]] + rows
        let widths = (0..<3).map { column in table.map { $0[column].count }.max()! }
        var out = "coverage: \(Words.coverageHeadline(coverage))\n"
        for row in table {
            for (column, width) in widths.enumerated() {
                out += row[column] + String(repeating: " ", count: width - row[column].count + 2)
            }
            out += row[3] + "\n"
        }
        return out + Words.neverTriggered(coverage) + "\n"
    }

    /// When the rule stops an action, in words: "refused when the actor is not an admin".
    public static func when(_ rule: Rule) -> String {
        switch rule.kind {
        case .refusal: "refused when \(rule.summary)"
        case .hazard: "hazard when \(rule.summary): the product performs the action, and they lose Marketo access"
        }
    }

    /// A kind of rule, explained.
    public static func kind(_ kind: RuleKind) -> String {
        switch kind {
        case .refusal: "refusal: the product does not let the action happen"
        case .hazard:
            "hazard: the product performs the action and someone loses something; a runbook stops at it as at a"
                + " refusal, unless the step ends with 'anyway' to rehearse the incident on purpose"
        }
    }

    /// The rule id closest to a misspelt one.
    public static func closestRule(to word: String) -> String? {
        Suggest.closest(to: word, among: RuleID.allCases.map(\.rawValue))
    }

    /// The rule ids that hold `word` (`strands`: `disconnect-strands-users`), whatever its
    /// case, in catalogue order: what a user who remembers one word of a rule means.
    public static func rules(containing word: String) -> [String] {
        let word = word.lowercased()
        guard word.count >= 3 else { return [] }
        return RuleID.allCases.map(\.rawValue).filter { $0.contains(word) }
    }

    /// The rule ids to offer for an unknown one: the closest, or those that hold it.
    public static func suggestedRules(for word: String) -> [String] {
        closestRule(to: word).map { [$0] } ?? rules(containing: word)
    }

    private static func indent(_ text: String) -> String {
        text.split(separator: "\n").map { "    " + $0 + "\n" }.joined()
    }
}
