/// A refusal: the rule that refused an action, and the facts a message and a hint need.
///
/// A refused action changes nothing; this value is all that comes of it.
public struct RuleViolation: Error, Sendable, Hashable {
    /// The rule that refused the action (the first listed, when several would).
    public let rule: RuleID
    /// The refused action.
    public let action: Action
    /// The names the rule is about: the offending targets, or the actor.
    public let names: [String]
    /// The integration's owner when the action was refused: the admin who can
    /// revoke a grant or manage User Access.
    public let owner: String?

    public init(rule: RuleID, action: Action, names: [String], owner: String?) {
        self.rule = rule
        self.action = action
        self.names = names
        self.owner = owner
    }

    /// The acting member, or the first declared name for `duplicate-member`.
    public var actor: String { action.actor ?? names.first ?? "" }
}
