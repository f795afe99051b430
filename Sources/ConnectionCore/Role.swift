/// A member's role in the Sales Insight Actions instance.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// A Sales Connect/Actions Admin: may connect the integration and remove members.
    case admin
    /// A member without admin rights: may only be granted access.
    case user
}
