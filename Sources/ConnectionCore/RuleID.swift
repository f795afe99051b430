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
    /// One line: when the rule refuses.
    public let summary: String
    /// The sentence of the product page (Swedish) the rule comes from; `nil` when the
    /// rule is added by the specification beyond the page.
    public let seedQuote: String?
    /// The English reading of the rule.
    public let reading: String

    /// Whether the specification adds this rule beyond what the product page says.
    public var addedBySpecification: Bool { seedQuote == nil }

    /// Every rule, in the order of the rule table.
    public static let catalogue: [Rule] = [
        Rule(
            id: .unknownMember, verbs: Verb.allCases,
            summary: "the actor or a target is not a member of the instance",
            seedQuote: nil,
            reading: "Only members of the Sales Insight Actions instance can act or be acted on."),
        Rule(
            id: .duplicateMember, verbs: [],
            summary: "a declared name is already a member",
            seedQuote: nil,
            reading: "Every member has a unique name; declaring a name twice is refused."),
        Rule(
            id: .connectRequiresAdmin, verbs: [.connect],
            summary: "the actor is not an admin",
            seedQuote: "Integreringen av Marketo är knuten till en användare som är Sales Connect/Actions Admin.",
            reading: "The Marketo integration is tied to a user who is a Sales Connect/Actions Admin, so only admins can connect it."),
        Rule(
            id: .accessBlocksConnect, verbs: [.connect],
            summary: "the actor holds an access grant, which must be revoked first",
            seedQuote:
                "Dessutom kan inte administratörer som har beviljats åtkomst till Marketo-integreringen klicka på Anslut. Därför måste du följa stegen för att först ta bort åtkomsten till integreringen.",
            reading: "Admins who were granted access to the integration cannot click Connect; their access must be removed first."),
        Rule(
            id: .alreadyConnected, verbs: [.connect, .grant],
            summary: "the actor (connect) or a target (grant) is already an admin connection",
            seedQuote: nil,
            reading: "An admin who has connected cannot connect again, and needs no access grant."),
        Rule(
            id: .disconnectRequiresConnection, verbs: [.disconnect],
            summary: "the actor is not an admin connection",
            seedQuote:
                "Den ursprungliga administratören som ansvarar för Marketo-integreringen kommer att se ett \"Koppla från\"-alternativ som du kan klicka på när du navigerar till Marketo integreringssida. Andra administratörer (som inte har upprättat en anslutning) kommer inte att göra det.",
            reading: "Only an admin who established a connection sees Disconnect; other admins do not."),
        Rule(
            id: .disconnectStrandsUsers, verbs: [.disconnect],
            summary: "the actor is the last admin connection while members hold access",
            seedQuote:
                "De andra användarna är anslutna så länge som användare B är ansluten som administratör innan användare A kopplas från.",
            reading: "The other users stay connected only if admin B connects as admin before admin A disconnects."),
        Rule(
            id: .accessRequiresConnection, verbs: [.grant, .revoke],
            summary: "the actor is not an admin connection, so cannot manage User Access",
            seedQuote:
                "Admin A (för närvarande ansluten administratör) måste ta bort åtkomsten till integreringen med Marketo från Admin B (ny administratör).",
            reading: "The connected admin manages User Access: admin A, the currently connected admin, removes admin B's access."),
        Rule(
            id: .alreadyHasAccess, verbs: [.grant],
            summary: "a target already holds a grant",
            seedQuote: nil,
            reading: "Access is granted once; granting it again is refused."),
        Rule(
            id: .noAccessToRevoke, verbs: [.revoke],
            summary: "a target holds no grant",
            seedQuote: nil,
            reading: "Only access that was granted can be removed."),
        Rule(
            id: .removeRequiresAdmin, verbs: [.remove],
            summary: "the actor is not an admin",
            seedQuote: nil,
            reading: "Only admins can remove members from the instance."),
        Rule(
            id: .removeSelf, verbs: [.remove],
            summary: "the actor is among the targets",
            seedQuote: nil,
            reading: "An admin cannot delete their own account; another admin must remove them."),
        Rule(
            id: .removeConnectedAdmin, verbs: [.remove],
            summary: "a target is an admin connection, which must disconnect first",
            seedQuote:
                "Nu när en ny administratör har upprättat en anslutning till Marketo och den ursprungliga administratören har kopplats från kan den ursprungligen anslutna administratören tas bort från Sales Connect/Actions-instansen.",
            reading:
                "The originally connected admin can be removed from the instance once a new admin has connected and the original admin has disconnected."
        ),
    ]
}
