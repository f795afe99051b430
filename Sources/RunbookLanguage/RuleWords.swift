import ConnectionCore

/// The English words of each rule of the core: the core keeps ids, kinds and the
/// seed quotes of the product page; what a rule means to a reader is said here.
extension Rule {
    /// One line: when the rule refuses.
    public var summary: String { RuleWords.summary(id) }
    /// The English reading of the rule.
    public var reading: String { RuleWords.reading(id) }
}

/// The table of the rules' prose, one case per rule id.
enum RuleWords {
    /// One line: when the rule refuses.
    static func summary(_ id: RuleID) -> String {
        switch id {
        case .unknownMember: "the actor or a target is not a member of the instance"
        case .duplicateMember: "a declared name is already a member"
        case .connectRequiresAdmin: "the actor is not an admin"
        case .accessBlocksConnect: "the actor holds an access grant, which must be revoked first"
        case .alreadyConnected: "the actor (connect) or a target (grant) is already an admin connection"
        case .disconnectRequiresConnection: "the actor is not an admin connection"
        case .disconnectStrandsUsers: "the actor is the last admin connection while members hold access"
        case .accessRequiresConnection: "the actor is not an admin connection, so cannot manage User Access"
        case .alreadyHasAccess: "a target already holds a grant"
        case .noAccessToRevoke: "a target holds no grant"
        case .removeRequiresAdmin: "the actor is not an admin"
        case .removeSelf: "the actor is among the targets"
        case .removeConnectedAdmin: "a target is an admin connection, which must disconnect first"
        }
    }

    /// The English reading of the rule.
    static func reading(_ id: RuleID) -> String {
        switch id {
        case .unknownMember:
            "Only members of the Sales Insight Actions instance can act or be acted on."
        case .duplicateMember:
            "Every member has a unique name; declaring a name twice is refused."
        case .connectRequiresAdmin:
            "The Marketo integration is tied to a user who is a Sales Connect/Actions Admin, so only admins can connect it."
        case .accessBlocksConnect:
            "Admins who were granted access to the integration cannot click Connect; their access must be removed first."
        case .alreadyConnected:
            "An admin who has connected cannot connect again, and needs no access grant."
        case .disconnectRequiresConnection:
            "Only an admin who established a connection sees Disconnect; other admins do not."
        case .disconnectStrandsUsers:
            "The other users stay connected only if admin B connects as admin before admin A disconnects."
        case .accessRequiresConnection:
            "The connected admin manages User Access: admin A, the currently connected admin, removes admin B's access."
        case .alreadyHasAccess:
            "Access is granted once; granting it again is refused."
        case .noAccessToRevoke:
            "Only access that was granted can be removed."
        case .removeRequiresAdmin:
            "Only admins can remove members from the instance."
        case .removeSelf:
            "An admin cannot delete their own account; another admin must remove them."
        case .removeConnectedAdmin:
            "The originally connected admin can be removed from the instance once a new admin has connected and the original admin has disconnected."
        }
    }
}
