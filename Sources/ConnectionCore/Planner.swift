/// A condition a plan must reach: an expectation of the language, without `expect`.
public enum Goal: Sendable, Hashable {
    /// The owner is the member, or (`nil`) the integration is not live.
    case owner(String?)
    case connected(String)
    case notConnected(String)
    case hasAccess(String)
    case absent(String)
    /// The member is stranded: a plan never strands anyone, so this holds only of a member
    /// stranded already, and a plan leaves it so.
    case stranded(String)

    /// Whether the goal holds in `instance`.
    public func holds(in instance: Instance) -> Bool {
        switch self {
        case .owner(let name): instance.owner == name
        case .connected(let name): instance.isConnected(name)
        case .notConnected(let name): instance.isMember(name) && !instance.isConnected(name)
        case .hasAccess(let name): instance.hasAccess(name)
        case .absent(let name): !instance.isMember(name)
        case .stranded(let name): instance.isStranded(name)
        }
    }

    /// The member the goal is about, if any.
    public var member: String? {
        switch self {
        case .owner(let name): name
        case .connected(let n), .notConnected(let n), .hasAccess(let n), .absent(let n), .stranded(let n): n
        }
    }
}

/// Finds the shortest sequence of actions that reaches goals without a violation.
///
/// A step is one action on one member (a connect or disconnect acts on its actor), and a
/// plan has the fewest steps of any that reach the goals: the search is an A* search with
/// an admissible heuristic (`PlannerHeuristic.swift`), over the instance seen up to
/// symmetry (`PlannerAbstraction.swift`): members with the same role, the same goals and
/// the same status are interchangeable, so the search counts them instead of naming them.
/// Every plan is replayed on the instance with the core's own rules before it is
/// returned. The result is structured; the language words it.
public struct Planner: Sendable {
    /// Limits that keep the search finite. Reaching one is reported as
    /// `Result.unfinished`, never taken for "impossible".
    public struct Bounds: Sendable, Hashable {
        /// How long the search may run; `nil` for no limit.
        public var timeout: Duration?
        /// About how many bytes the search's own tables may hold; `nil` for no limit.
        public var memory: Int?
        /// The most distinct states the search may hold; `nil` for no limit.
        public var states: Int?
        /// The most actions a plan may have; `nil` for no limit.
        public var depth: Int?

        public init(timeout: Duration? = .seconds(10), memory: Int? = 1 << 30, states: Int? = nil, depth: Int? = nil) {
            self.timeout = timeout
            self.memory = memory
            self.states = states
            self.depth = depth
        }
    }

    /// What the search found.
    public enum Result: Sendable, Hashable {
        /// The single-target actions, in order; empty when the goals already hold.
        /// `statesExplored` counts the states the search held, up to symmetry.
        case plan([Action], statesExplored: Int)
        /// No plan exists, and why.
        case impossible(Impossibility)
        /// The search reached a bound before finding a plan or proving there is none.
        case unfinished(Bound)
    }

    /// Why no plan exists.
    public enum Impossibility: Sendable, Hashable {
        /// The goal names someone who is not a member, and a plan does not declare members.
        case notAMember(Goal, name: String)
        /// The goal needs a connection by someone who is not an admin.
        case notAnAdmin(Goal, name: String)
        /// The goal wants a member stranded who is not: only a hazard strands anyone, and
        /// a plan never performs one.
        case neverStrands(Goal, name: String)
        /// Two goals can never hold together.
        case contradiction(Goal, Goal, Conflict)
        /// Goals that remove every admin of the instance: the last one cannot remove
        /// themselves, and only admins remove members.
        case lastAdmin([Goal])
        /// A goal that needs the integration live (`has access`, `connected`), while the
        /// goals leave every admin unconnected (absent, not connected, holding access): the
        /// goals involved, that one among them, in the order given.
        case noAdminConnected(Goal, involved: [Goal])
        /// A goal that does not hold, in an instance with no admin: every action needs one.
        case noAdmin(Goal)
        /// The whole search space was explored and no state meets the goals.
        case unreachable(statesExplored: Int)

        /// The rule that blocks the goals, when one does.
        public var rule: RuleID? {
            switch self {
            case .notAMember: .unknownMember
            case .notAnAdmin: .connectRequiresAdmin
            case .neverStrands: .disconnectStrandsUsers
            case .lastAdmin: .removeSelf
            case .contradiction, .noAdminConnected, .noAdmin, .unreachable: nil
            }
        }
    }

    /// Why two goals contradict each other, whatever the state.
    public enum Conflict: Sendable, Hashable {
        /// Two different owners.
        case oneOwner
        /// An owner while the integration is not live.
        case ownerOfNothing
        /// An owner who is absent.
        case ownerIsAMember
        /// An owner who is not connected.
        case ownerIsConnected
        /// An owner who holds an access grant.
        case ownerHoldsNoGrant
        /// A member connected and not connected.
        case connectedAndNot
        /// A member connected and absent.
        case connectedIsAMember
        /// A member that is not connected, and absent: only a member is not connected.
        case notConnectedIsAMember
        /// A member holding access and not connected: a grant exists only while the
        /// integration is live, and then its holder is connected.
        case accessIsConnected
        /// A member holding access and absent.
        case accessIsForMembers
        /// Access held while the integration is not live.
        case accessNeedsLive
        /// A member connected while the integration is not live.
        case connectedNeedsLive
        /// A stranded member is not connected.
        case strandedIsNotConnected
        /// A stranded member holds no access.
        case strandedHoldsNoAccess
        /// A stranded member is a member.
        case strandedIsAMember
        /// The owner is connected, so not stranded.
        case ownerIsNotStranded
    }

    /// The bound a search reached.
    public enum Bound: Sendable, Hashable {
        case timeout(seconds: Double)
        case memory(bytes: Int)
        case states(Int)
        case depth(Int)
        /// The host asked the search to stop.
        case cancelled
    }

    public var bounds: Bounds

    public init(bounds: Bounds = Bounds()) {
        self.bounds = bounds
    }

    /// The shortest plan from `start` to `goals`.
    ///
    /// - Parameter shouldStop: polled every 1,024 expansions, from the thread that calls
    ///   `plan`; when it returns `true` the search ends with `.unfinished(.cancelled)`.
    ///   It must be cheap: reading a flag a signal handler sets, say.
    public func plan(from start: Instance, to goals: [Goal], shouldStop: () -> Bool = { false }) -> Result {
        if goals.allSatisfy({ $0.holds(in: start) }) { return .plan([], statesExplored: 1) }
        if let impossibility = Self.contradiction(in: goals, start: start) { return .impossible(impossibility) }
        let abstraction = Abstraction(start, goals: goals)
        var search = Search(abstraction, bounds: bounds)
        switch search.run(shouldStop: shouldStop) {
        case .found(let moves):
            let actions = abstraction.concrete(moves, from: start)
            var check = start
            for action in actions {
                do throws(RuleViolation) { try check.performQuietly(action) } catch {
                    preconditionFailure("the planner's plan breaks \(error.rule.rawValue) at \(action)")
                }
            }
            precondition(goals.allSatisfy { $0.holds(in: check) }, "the planner's plan misses its goals")
            return .plan(actions, statesExplored: search.statesHeld)
        case .exhausted: return .impossible(.unreachable(statesExplored: search.statesHeld))
        case .bound(let bound): return .unfinished(bound)
        }
    }

    /// The heuristic's estimate for `start`: at most the length of the shortest plan, or
    /// `nil` when it proves that no plan exists. For the tests that check it.
    package static func lowerBound(from start: Instance, to goals: [Goal]) -> Int? {
        let abstraction = Abstraction(start, goals: goals)
        let h = abstraction.heuristic.estimate(abstraction.start)
        return h == Heuristic.unreachable ? nil : h
    }

    // MARK: Contradictions

    /// A reason the goals can never hold together, found before searching.
    static func contradiction(in goals: [Goal], start: Instance) -> Impossibility? {
        for goal in goals {
            switch goal {
            case .owner(let name?), .connected(let name), .notConnected(let name), .hasAccess(let name), .stranded(let name):
                guard let role = start.role(of: name) else { return .notAMember(goal, name: name) }
                if case .owner = goal, role != .admin { return .notAnAdmin(goal, name: name) }
                if case .stranded = goal, !start.isStranded(name) { return .neverStrands(goal, name: name) }
            default: break
            }
        }
        // Two goals conflict only when they are about one member or one is an owner goal:
        // those pairs alone are looked at, in the order of the goals.
        var owners: [Int] = []
        var about: [String: [Int]] = [:]
        for (i, goal) in goals.enumerated() {
            if case .owner = goal { owners.append(i) } else if let member = goal.member { about[member, default: []].append(i) }
        }
        for (i, a) in goals.enumerated() {
            let others: [Int]
            if case .owner = a {
                others = Array(goals.indices.dropFirst(i + 1))
            } else {
                others = (owners + (about[a.member!] ?? [])).filter { $0 > i }.sorted()
            }
            for j in others {
                let b = goals[j]
                if let conflict = conflict(a, b) ?? conflict(b, a) { return .contradiction(a, b, conflict) }
            }
        }
        return withoutAdmins(goals, start: start, about: about)
    }

    /// Goals that no admin is left to reach: with no admin, no action can be taken; the
    /// last admin cannot be removed; and the integration is live only while an admin is
    /// connected. `about` holds the goals' indices by the member they name. Called once
    /// the goals are known not to hold all already.
    private static func withoutAdmins(_ goals: [Goal], start: Instance, about: [String: [Int]]) -> Impossibility? {
        let admins = start.members.lazy.filter { $0.role == .admin }.map(\.name)
        guard !admins.isEmpty else { return goals.first { !$0.holds(in: start) }.map(Impossibility.noAdmin) }
        /// The index of the goal about `admin` that keeps it out of the admin connections, if any.
        func unconnected(_ admin: String, absentOnly: Bool) -> Int? {
            for i in about[admin] ?? [] {
                switch goals[i] {
                case .absent: return i
                case .notConnected where !absentOnly, .hasAccess where !absentOnly, .stranded where !absentOnly: return i
                default: continue
                }
            }
            return nil
        }
        var removed: [Int] = []
        for admin in admins {
            guard let i = unconnected(admin, absentOnly: true) else { break }
            removed.append(i)
        }
        if removed.count == admins.count { return .lastAdmin(removed.sorted().map { goals[$0] }) }
        let needsLive = goals.firstIndex {
            switch $0 {
            case .hasAccess, .connected: true
            default: false
            }
        }
        guard let needsLive else { return nil }
        var involved: Set<Int> = [needsLive]
        for admin in admins {
            guard let i = unconnected(admin, absentOnly: false) else { return nil }
            involved.insert(i)
        }
        return .noAdminConnected(goals[needsLive], involved: involved.sorted().map { goals[$0] })
    }

    private static func conflict(_ a: Goal, _ b: Goal) -> Conflict? {
        switch (a, b) {
        case (.owner(let x?), .owner(let y?)) where x != y: .oneOwner
        case (.owner(_?), .owner(nil)): .ownerOfNothing
        case (.owner(let x?), .absent(let y)) where x == y: .ownerIsAMember
        case (.owner(let x?), .notConnected(let y)) where x == y: .ownerIsConnected
        case (.owner(let x?), .hasAccess(let y)) where x == y: .ownerHoldsNoGrant
        case (.connected(let x), .notConnected(let y)) where x == y: .connectedAndNot
        case (.connected(let x), .absent(let y)) where x == y: .connectedIsAMember
        case (.notConnected(let x), .absent(let y)) where x == y: .notConnectedIsAMember
        case (.hasAccess(let x), .notConnected(let y)) where x == y: .accessIsConnected
        case (.hasAccess(let x), .absent(let y)) where x == y: .accessIsForMembers
        case (.hasAccess, .owner(nil)): .accessNeedsLive
        case (.connected, .owner(nil)): .connectedNeedsLive
        case (.stranded(let x), .connected(let y)) where x == y: .strandedIsNotConnected
        case (.stranded(let x), .hasAccess(let y)) where x == y: .strandedHoldsNoAccess
        case (.stranded(let x), .absent(let y)) where x == y: .strandedIsAMember
        case (.owner(let x?), .stranded(let y)) where x == y: .ownerIsNotStranded
        default: nil
        }
    }
}

// MARK: - Search

/// A* over the abstract states: the open list is ordered by f = g + h, then by the larger
/// g (so that among equally promising states the search dives towards a goal), then by
/// the order moves were generated (so that equally short plans read naturally). States
/// are reopened when a shorter way to them is found, which keeps the plan optimal even
/// where the heuristic is not consistent.
struct Search {
    enum Outcome {
        /// Each move with the state it is made from.
        case found([(Move, AbstractState)])
        case exhausted
        case bound(Planner.Bound)
    }

    private struct Entry: Comparable {
        var f: Int32
        var g: Int32
        var node: Int32
        static func < (a: Entry, b: Entry) -> Bool {
            if a.f != b.f { return a.f < b.f }
            if a.g != b.g { return a.g > b.g }
            return a.node < b.node
        }
    }

    private let abstraction: Abstraction
    private let bounds: Planner.Bounds
    private var states = StateTable()
    private var parents: [Int32] = []
    private var moves: [Move] = []
    private var costs: [Int32] = []
    private var open = Heap<Entry>()

    init(_ abstraction: Abstraction, bounds: Planner.Bounds) {
        self.abstraction = abstraction
        self.bounds = bounds
    }

    /// The number of distinct states the search holds.
    var statesHeld: Int { states.count }

    mutating func run(shouldStop: () -> Bool) -> Outcome {
        let heuristic = abstraction.heuristic
        let start = abstraction.start
        let h0 = heuristic.estimate(start)
        guard h0 != Heuristic.unreachable else { return .exhausted }
        if let depth = bounds.depth, h0 > depth { return .bound(.depth(depth)) }
        add(start, parent: -1, move: Move(raw: 0), cost: 0)
        open.push(Entry(f: Int32(h0), g: 0, node: 0))
        let clock = ContinuousClock()
        let deadline = bounds.timeout.map { clock.now + $0 }
        var depthLimited = false
        var expansions = 0
        var successors: [(Move, AbstractState)] = []
        while let entry = open.pop() {
            let id = Int(entry.node)
            guard costs[id] == entry.g else { continue }  // a shorter way was found later
            let state = states[id]
            if abstraction.isGoal(state) { return .found(path(to: id)) }
            expansions += 1
            if expansions & 1023 == 0 {
                if shouldStop() { return .bound(.cancelled) }
                if let deadline, clock.now >= deadline {
                    return .bound(.timeout(seconds: Self.seconds(bounds.timeout!)))
                }
            }
            successors.removeAll(keepingCapacity: true)
            abstraction.successors(of: state, into: &successors)
            let g = entry.g + 1
            for (move, next) in successors {
                let known = states.find(next)
                if let known, costs[known] <= g { continue }
                let h = heuristic.estimate(next)
                if h == Heuristic.unreachable { continue }
                let f = g + Int32(h)
                if let depth = bounds.depth, f > depth {
                    depthLimited = true
                    continue
                }
                if let known {
                    parents[known] = Int32(id)
                    moves[known] = move
                    costs[known] = g
                    open.push(Entry(f: f, g: g, node: Int32(known)))
                } else {
                    if let limit = bounds.states, states.count >= limit { return .bound(.states(limit)) }
                    if let limit = bounds.memory, bytes >= limit { return .bound(.memory(bytes: limit)) }
                    open.push(Entry(f: f, g: g, node: Int32(states.count)))
                    add(next, parent: Int32(id), move: move, cost: g)
                }
            }
        }
        if depthLimited, let depth = bounds.depth { return .bound(.depth(depth)) }
        return .exhausted
    }

    private mutating func add(_ state: AbstractState, parent: Int32, move: Move, cost: Int32) {
        states.insert(state)
        parents.append(parent)
        moves.append(move)
        costs.append(cost)
    }

    /// The bytes the search holds: its states, their columns and the open list, as
    /// reserved.
    private var bytes: Int {
        states.bytes + parents.capacity * 4 + moves.capacity * 4 + costs.capacity * 4 + open.capacity * 12
    }

    private func path(to node: Int) -> [(Move, AbstractState)] {
        var path: [(Move, AbstractState)] = []
        var cursor = node
        while parents[cursor] >= 0 {
            path.append((moves[cursor], states[Int(parents[cursor])]))
            cursor = Int(parents[cursor])
        }
        return path.reversed()
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (s, attoseconds) = duration.components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
