/// The A* heuristic: a lower bound on the number of actions from an abstract state to
/// the goals.
///
/// Why it never overestimates. Every action changes the status of exactly one member:
/// connect and disconnect that of their actor, grant, revoke and remove that of their
/// target (absent, plain, granted, connection, stranded; see `Status`). So the length of
/// any plan is the sum, over members, of the number of times it changes each member's
/// status. Member by member, that number is at least the distance `d`, in the graph of
/// single status changes the rules allow (plain ↔ granted, plain ↔ connection for admins,
/// plain or granted → absent, stranded → granted, connection or absent; nothing enters
/// stranded, as a plan never strands anyone), from the member's status to the nearest
/// status its goals allow:
/// a member can change status only one step at a time. The sum of the `d`s is the base.
///
/// On top of it comes the largest (never the sum) of three corrections; each names
/// status changes that every plan makes beyond some members' `d`, on members the others
/// of that same correction do not count twice:
/// - The owner goal's member X is connected but not last: any plan either disconnects
///   and reconnects X (two changes of X beyond its `d` of 0) or disconnects every admin
///   connected after X (one change beyond `d` for each whose `d` is 0). At least
///   min(2, the admins after X whose `d` is 0).
/// - Nobody is connected and a member must receive a grant (its goals allow no other
///   status it can reach): some admin connects before that grant, so that admin's status
///   goes through `connection` on its way to its goals, which costs it at least
///   `viaConnection` changes beyond its `d`. At least the smallest `viaConnection` over
///   the plain admins; with none, no plan exists.
/// - One admin Y is connected and its goals do not allow a connection, so Y disconnects
///   at some point. Then either another admin is connected (an admin who connected during
///   the plan: at least the smallest `viaConnection` of the others), or no grant is left
///   (each grant holder leaves `granted` at least once: `leaveGrant` beyond its `d`, summed
///   over distinct members). At least the smaller of the two.
/// Members the corrections count are members whose actual changes exceed their `d` by at
/// least that much, so base plus correction is still at most the plan's length.
///
/// Where no status the goals allow can be reached (an absent member who should hold
/// access, a user who should own the integration), the estimate is `unreachable`, and the
/// search drops the state: no plan goes through it.
struct Heuristic {
    static let unreachable = Int(Int32.max / 4)
    private static let far = 1 << 20

    private let kinds: [Kind]
    private let ownerKind: Int?
    /// `d` for each kind and status (index kind * statusStride + status).
    private let distance: [Int]
    /// For each kind and status: the changes beyond `d` of a member that goes through
    /// `connection` on its way to its goals.
    private let viaConnection: [Int]
    /// For each kind: the changes beyond `d` of a granted member that leaves `granted`.
    private let leaveGrant: [Int]
    /// For each kind: whether a plain member must receive a grant.
    private let mustBeGranted: [Bool]

    init(kinds: [Kind], ownerKind: Int?) {
        self.kinds = kinds
        self.ownerKind = ownerKind
        var distance: [Int] = []
        var via: [Int] = []
        var leave: [Int] = []
        var must: [Bool] = []
        for kind in kinds {
            func steps(_ from: Status, _ to: Status) -> Int { Self.steps(from, to, role: kind.role) }
            func toGoal(_ from: Status) -> Int {
                Status.allCases.filter { kind.allowed & $0.bit != 0 }.map { steps(from, $0) }.min() ?? Self.far
            }
            for status in Status.allCases {
                let d = toGoal(status)
                distance.append(d)
                via.append(min(Self.far, steps(status, .connection) + toGoal(.connection)) - min(d, Self.far))
            }
            leave.append(min(Self.far, 1 + min(toGoal(.plain), toGoal(.absent))) - min(toGoal(.granted), Self.far))
            let noOther = kind.allowed & (Status.absent.bit | Status.plain.bit | Status.stranded.bit) == 0
            let connectionHelps = kind.role == .admin && kind.allowed & Status.connection.bit != 0
            must.append(noOther && !connectionHelps && kind.allowed & Status.granted.bit != 0)
        }
        self.distance = distance
        self.viaConnection = via
        self.leaveGrant = leave
        self.mustBeGranted = must
    }

    /// The fewest single status changes from `from` to `to`.
    private static func steps(_ from: Status, _ to: Status, role: Role) -> Int {
        if from == to { return 0 }
        if to == .connection && role != .admin { return far }
        switch (from, to) {
        case (.absent, _), (_, .stranded): return far
        case (.plain, _): return 1
        case (.stranded, .plain): return 2  // through granted, or connection for an admin
        case (.stranded, _): return 1
        case (.granted, .plain), (.granted, .absent), (.connection, .plain): return 1
        default: return 2  // granted ↔ connection, or connection → absent, through plain
        }
    }

    /// The estimate for `state`, or `unreachable`.
    func estimate(_ state: AbstractState) -> Int {
        let w = state.words
        let runsAt = kinds.count * statusStride
        var base = 0
        var connections = 0
        for k in kinds.indices {
            for s in 0..<statusStride where w[k * statusStride + s] > 0 {
                let d = distance[k * statusStride + s]
                if d >= Self.far { return Self.unreachable }
                base += Int(w[k * statusStride + s]) * d
            }
            connections += Int(w[k * statusStride + 3])
        }
        var correction = 0
        // The owner goal's member, connected but not last.
        if let ownerKind {
            var run = w.count - 2
            var after = 0
            while run >= runsAt && w[run] != Int32(ownerKind) {
                if distance[Int(w[run]) * statusStride + Status.connection.rawValue] == 0 { after += Int(w[run + 1]) }
                run -= 2
            }
            if run >= runsAt { correction = max(correction, min(2, after)) }
        }
        // Nobody connected, and someone must receive a grant.
        if connections == 0
            && kinds.indices.contains(where: { mustBeGranted[$0] && (w[$0 * statusStride + 1] > 0 || w[$0 * statusStride + 4] > 0) })
        {
            let cheapest = cheapestConnection(state, from: [.plain, .stranded])
            if cheapest >= Self.far { return Self.unreachable }
            correction = max(correction, cheapest)
        }
        // The only connection must go.
        if connections == 1 {
            let y = Int(w[runsAt])
            if kinds[y].allowed & Status.connection.bit == 0 {
                let another = cheapestConnection(state, from: [.plain, .granted, .stranded])
                var noGrants = 0
                for k in kinds.indices { noGrants += Int(w[k * statusStride + 2]) * leaveGrant[k] }
                correction = max(correction, min(another, noGrants))
            }
        }
        return base + correction
    }

    /// The smallest `viaConnection` of the admins whose status is one of `statuses`.
    private func cheapestConnection(_ state: AbstractState, from statuses: [Status]) -> Int {
        var cheapest = Self.far
        for (k, kind) in kinds.enumerated() where kind.role == .admin {
            for s in statuses where state.words[k * statusStride + s.rawValue] > 0 {
                cheapest = min(cheapest, viaConnection[k * statusStride + s.rawValue])
            }
        }
        return cheapest
    }
}
