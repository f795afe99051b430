/// The stable id of each rule of the connection core; messages and docs cite it.
///
/// The cases are in the order of the rule table: when several rules refuse an
/// action, the one that comes first is reported.
public enum RuleID: String, Sendable, Hashable, CaseIterable, Codable {
    case unknownMember = "unknown-member"
    case duplicateMember = "duplicate-member"
    case connectRequiresAdmin = "connect-requires-admin"
    case accessBlocksConnect = "access-blocks-connect"
    case alreadyConnected = "already-connected"
    case disconnectRequiresConnection = "disconnect-requires-connection"
    case disconnectStrandsUsers = "disconnect-strands-users"
    case accessRequiresConnection = "access-requires-connection"
    case alreadyHasAccess = "already-has-access"
    case noAccessToRevoke = "no-access-to-revoke"
    case removeRequiresAdmin = "remove-requires-admin"
    case removeSelf = "remove-self"
    case removeConnectedAdmin = "remove-connected-admin"

    /// The rule's entry in the catalogue.
    public var rule: Rule { Rule.catalogue[Self.allCases.firstIndex(of: self)!] }

    /// Whether the product refuses the action, or performs it and someone loses something.
    public var kind: RuleKind { self == .disconnectStrandsUsers ? .hazard : .refusal }
}

/// The two kinds of rule (SPEC §1, *Refusals and hazards*).
public enum RuleKind: String, Sendable, Hashable, CaseIterable {
    /// The product does not let the action happen: the button is not shown or cannot be
    /// clicked.
    case refusal
    /// The product performs the action, and someone loses something: a runbook stops at it
    /// as at a refusal unless the step says `anyway`.
    case hazard
}

/// A rule of the catalogue: what it refuses, and where on the product page it comes from.
public struct Rule: Sendable, Hashable {
    /// The rule's stable id.
    public let id: RuleID
    /// The verbs whose actions it can refuse.
    public let verbs: [Verb]
    /// Whether it refuses declarations of members (setup, not an action of the product).
    public var refusesDeclarations: Bool { verbs.isEmpty }
    /// A refusal or a hazard.
    public var kind: RuleKind { id.kind }
    /// The sentence of the product page (Swedish) the rule comes from; `nil` when the
    /// rule is added by the specification beyond the page.
    public let seedQuote: String?

    /// Whether the specification adds this rule beyond what the product page says.
    public var addedBySpecification: Bool { seedQuote == nil }

    /// A rule refusing actions of `verbs` (none: declarations), from the page's `seedQuote`
    /// or, without one, added by the specification.
    init(id: RuleID, verbs: [Verb], seedQuote: String? = nil) {
        self.id = id
        self.verbs = verbs
        self.seedQuote = seedQuote
    }

    /// Every rule, in the order of the rule table.
    public static let catalogue: [Rule] = [
        Rule(id: .unknownMember, verbs: Verb.allCases),
        Rule(id: .duplicateMember, verbs: []),
        Rule(
            id: .connectRequiresAdmin, verbs: [.connect],
            seedQuote: "Integreringen av Marketo är knuten till en användare som är Sales Connect/Actions Admin."),
        Rule(
            id: .accessBlocksConnect, verbs: [.connect],
            seedQuote:
                "Dessutom kan inte administratörer som har beviljats åtkomst till Marketo-integreringen klicka på Anslut. Därför måste du följa stegen för att först ta bort åtkomsten till integreringen."
        ),
        Rule(id: .alreadyConnected, verbs: [.connect, .grant]),
        Rule(
            id: .disconnectRequiresConnection, verbs: [.disconnect],
            seedQuote:
                "Den ursprungliga administratören som ansvarar för Marketo-integreringen kommer att se ett \"Koppla från\"-alternativ som du kan klicka på när du navigerar till Marketo integreringssida. Andra administratörer (som inte har upprättat en anslutning) kommer inte att göra det."
        ),
        Rule(
            id: .disconnectStrandsUsers, verbs: [.disconnect],
            seedQuote:
                "De andra användarna är anslutna så länge som användare B är ansluten som administratör innan användare A kopplas från."),
        Rule(
            id: .accessRequiresConnection, verbs: [.grant, .revoke],
            seedQuote:
                "Admin A (för närvarande ansluten administratör) måste ta bort åtkomsten till integreringen med Marketo från Admin B (ny administratör)."
        ),
        Rule(id: .alreadyHasAccess, verbs: [.grant]),
        Rule(id: .noAccessToRevoke, verbs: [.revoke]),
        Rule(id: .removeRequiresAdmin, verbs: [.remove]),
        Rule(id: .removeSelf, verbs: [.remove]),
        Rule(
            id: .removeConnectedAdmin, verbs: [.remove],
            seedQuote:
                "Nu när en ny administratör har upprättat en anslutning till Marketo och den ursprungliga administratören har kopplats från kan den ursprungligen anslutna administratören tas bort från Sales Connect/Actions-instansen."
        ),
    ]
}
