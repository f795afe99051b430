// MARK: - Statuses

/// A member's status as the rules see it. By the invariants a grant holder is connected
/// (grants exist only while the integration is live), so every goal about one member is a
/// set of statuses: `connected` is {granted, connection}, `not connected` {plain,
/// stranded}, `stranded` {stranded}, and `owner none` asks {absent, plain, stranded} of
/// every member. A plan never strands anyone: `stranded` is only ever left (by a grant, a
/// connect or a removal), never entered.
enum Status: Int, CaseIterable {
    case absent = 0, plain, granted, connection, stranded

    /// The status's bit in a `StatusSet`.
    var bit: UInt8 { 1 << UInt8(rawValue) }

    /// How many statuses there are: an abstract state holds a count of each, per kind.
    static var count: Int { stranded.rawValue + 1 }
}

/// How many statuses there are: the stride of the counts in an abstract state.
var statusStride: Int { Status.count }

/// A set of statuses, one bit each.
typealias StatusSet = UInt8

// MARK: - Kinds

/// Members the search need not tell apart: the same role and the same goals. Swapping two
/// members of a kind maps every state to one the rules treat alike and maps the goals to
/// themselves, so the shortest plan from a state is as long as from its image: the search
/// keeps, for each kind, only how many of its members have each status, and the order of
/// the admin connections as a sequence of kinds. A goal that names one member gives it a
/// kind of its own unless other members carry the same goals (`u0 has access` ...
/// `u14 has access` make one kind of fifteen), and `owner X` always does.
struct Kind {
    var role: Role
    /// The statuses that satisfy the kind's goals.
    var allowed: StatusSet
    /// Whether the kind is the owner goal's member.
    var isOwner: Bool

    /// Whether a plan may grant access to a member of this kind. A grant helps only a
    /// member who must end holding one: a plan that grants a member whose goals allow it to
    /// stay plain does as well without that grant and its revoke (fewer grants never make a
    /// rule refuse), so an optimal plan never does.
    var grantable: Bool { allowed & Status.granted.bit != 0 && allowed & Status.plain.bit == 0 }
    /// Whether a plan may remove a member of this kind. Removing a member whose goals allow
    /// it to stay plain is replaced, in any plan, by revoking its grant (when it holds one)
    /// or by nothing: a present plain member never makes a rule refuse. So only members
    /// who must be absent are removed.
    var removable: Bool { allowed & Status.absent.bit != 0 && allowed & Status.plain.bit == 0 }
}

/// An abstract state: for each kind, how many of its members have each status, then the
/// admin connections, oldest first, as runs of one kind: (kind, count) pairs.
struct AbstractState: Hashable {
    var words: [Int32]
}

/// One step of an abstract plan: a verb on one member of a kind (a disconnect names the
/// run of the connection order its actor is in).
struct Move: Hashable {
    var raw: UInt32

    enum Verb: UInt32 { case connect, disconnect, grant, revoke, remove }

    init(raw: UInt32) { self.raw = raw }
    init(_ verb: Verb, _ operand: Int, from status: Status = .plain) {
        raw = verb.rawValue | UInt32(status.rawValue) << 3 | UInt32(operand) << 6
    }

    var verb: Verb { Verb(rawValue: raw & 7)! }
    var status: Status { Status(rawValue: Int(raw >> 3 & 7))! }
    /// The kind, or the run for a disconnect.
    var operand: Int { Int(raw >> 6) }
}

// MARK: - Abstraction

/// An instance and its goals seen up to symmetry: kinds, the abstract start, the moves
/// between abstract states, and the way back from an abstract plan to named actions.
struct Abstraction {
    let kinds: [Kind]
    let start: AbstractState
    /// The kind of the owner goal's member, if there is such a goal.
    let ownerKind: Int?
    let heuristic: Heuristic
    /// The members of each kind with each status, at the start (index kind * statusStride + status),
    /// each list in name order.
    private let members: [[MemberID]]

    init(_ instance: Instance, goals: [Goal]) {
        var wanted: [String: StatusSet] = [:]
        var owner: String?
        var ownerNone = false
        let all: StatusSet = 0b11111
        let none = Status.absent.bit | Status.plain.bit | Status.stranded.bit
        for goal in goals {
            switch goal {
            case .owner(let name?):
                owner = name
                wanted[name, default: all] &= Status.connection.bit
            case .owner(nil): ownerNone = true
            case .connected(let n): wanted[n, default: all] &= Status.granted.bit | Status.connection.bit
            case .notConnected(let n): wanted[n, default: all] &= Status.plain.bit | Status.stranded.bit
            case .stranded(let n): wanted[n, default: all] &= Status.stranded.bit
            case .hasAccess(let n): wanted[n, default: all] &= Status.granted.bit
            case .absent(let n): wanted[n, default: all] &= Status.absent.bit
            }
        }
        var kinds: [Kind] = []
        var kindOf: [String: Int] = [:]
        var kindIndex: [KindKey: Int] = [:]
        func intern(_ name: String, role: Role) -> Int {
            let allowed = (wanted[name] ?? all) & (ownerNone ? none : all)
            let key = KindKey(role: role, allowed: allowed, isOwner: name == owner, named: wanted[name] != nil)
            if let k = kindIndex[key] { return k }
            kinds.append(Kind(role: role, allowed: allowed, isOwner: key.isOwner))
            kindIndex[key] = kinds.count - 1
            return kinds.count - 1
        }
        var members: [[MemberID]] = []
        var counts: [Int32] = []
        func place(_ id: MemberID, kind: Int, status: Status) {
            while members.count < (kind + 1) * statusStride {
                members.append([])
                counts.append(0)
            }
            members[kind * statusStride + status.rawValue].append(id)
            counts[kind * statusStride + status.rawValue] += 1
        }
        for (name, role) in instance.members {
            let k = intern(name, role: role)
            kindOf[name] = k
            let status: Status =
                instance.isAdminConnection(name)
                ? .connection : instance.hasAccess(name) ? .granted : instance.isStranded(name) ? .stranded : .plain
            place(instance.memberID(name)!, kind: k, status: status)
        }
        // Named members who are not members: absent, with no move left to them. Their id
        // is never used.
        for name in wanted.keys.sorted() where kindOf[name] == nil {
            let k = intern(name, role: .user)
            while members.count < (k + 1) * statusStride {
                members.append([])
                counts.append(0)
            }
            counts[k * statusStride + Status.absent.rawValue] += 1
        }
        var words = counts
        for name in instance.connections { Self.append(kind: kindOf[name]!, to: &words, runsAt: counts.count) }
        self.kinds = kinds
        self.members = members
        self.start = AbstractState(words: words)
        self.ownerKind = owner.flatMap { kindOf[$0] }
        self.heuristic = Heuristic(kinds: kinds, ownerKind: ownerKind)
    }

    /// What makes two members interchangeable. `named` keeps the members a goal names
    /// apart from the others even where `owner none` makes their statuses alike (`x not
    /// connected` beside it): telling more members apart never makes a plan longer.
    private struct KindKey: Hashable {
        var role: Role
        var allowed: StatusSet
        var isOwner: Bool
        var named: Bool
    }

    // MARK: Goals

    /// Whether every member's status satisfies its goals, and the owner goal's member is
    /// the last admin connection.
    func isGoal(_ state: AbstractState) -> Bool {
        let w = state.words
        for k in kinds.indices {
            for s in 0..<statusStride where w[k * statusStride + s] > 0 && kinds[k].allowed & (1 << UInt8(s)) == 0 { return false }
        }
        if let ownerKind {
            guard w.count > kinds.count * statusStride, w[w.count - 2] == Int32(ownerKind) else { return false }
        }
        return true
    }

    // MARK: Moves

    /// The moves the rules accept from `state`, with the states they lead to, in the
    /// order that makes equally short plans read naturally: revoke, connect, disconnect,
    /// grant, remove. They mirror the core's rules for one target: grant and revoke need
    /// an admin connection; connect a plain admin; the last connection cannot disconnect
    /// while grants exist; remove needs an admin other than the target, and the target
    /// not connected.
    func successors(of state: AbstractState, into out: inout [(Move, AbstractState)]) {
        let w = state.words
        let runsAt = kinds.count * statusStride
        var grants: Int32 = 0
        var connections: Int32 = 0
        var admins: Int32 = 0
        for (k, kind) in kinds.enumerated() {
            grants += w[k * statusStride + 2]
            connections += w[k * statusStride + 3]
            if kind.role == .admin {
                admins += w[k * statusStride + 1] + w[k * statusStride + 2] + w[k * statusStride + 3] + w[k * statusStride + 4]
            }
        }
        let live = connections > 0
        if live {
            for k in kinds.indices where w[k * statusStride + 2] > 0 {
                out.append((Move(.revoke, k), moving(state, k, from: .granted, to: .plain)))
            }
        }
        for (k, kind) in kinds.enumerated() where kind.role == .admin {
            for status in [Status.plain, .stranded] where w[k * statusStride + status.rawValue] > 0 {
                var next = moving(state, k, from: status, to: .connection)
                Self.append(kind: k, to: &next.words, runsAt: runsAt)
                out.append((Move(.connect, k, from: status), next))
            }
        }
        if !(connections == 1 && grants > 0) {
            for run in 0..<(w.count - runsAt) / 2 {
                let k = Int(w[runsAt + run * 2])
                var next = moving(state, k, from: .connection, to: .plain)
                Self.removeOne(fromRun: run, of: &next.words, runsAt: runsAt)
                out.append((Move(.disconnect, run), next))
            }
        }
        if live {
            for (k, kind) in kinds.enumerated() where kind.grantable {
                for status in [Status.plain, .stranded] where w[k * statusStride + status.rawValue] > 0 {
                    out.append((Move(.grant, k, from: status), moving(state, k, from: status, to: .granted)))
                }
            }
        }
        for (k, kind) in kinds.enumerated() where kind.removable && admins - (kind.role == .admin ? 1 : 0) > 0 {
            for status in [Status.plain, .granted, .stranded] where w[k * statusStride + status.rawValue] > 0 {
                out.append((Move(.remove, k, from: status), moving(state, k, from: status, to: .absent)))
            }
        }
    }

    private func moving(_ state: AbstractState, _ k: Int, from: Status, to: Status) -> AbstractState {
        var next = state
        next.words[k * statusStride + from.rawValue] -= 1
        next.words[k * statusStride + to.rawValue] += 1
        return next
    }

    /// Appends a connection of kind `kind` to the connection order.
    private static func append(kind: Int, to words: inout [Int32], runsAt: Int) {
        if words.count > runsAt && words[words.count - 2] == Int32(kind) {
            words[words.count - 1] += 1
        } else {
            words.append(Int32(kind))
            words.append(1)
        }
    }

    /// Takes one connection out of run `run`, merging its neighbours if it empties.
    private static func removeOne(fromRun run: Int, of words: inout [Int32], runsAt: Int) {
        let at = runsAt + run * 2
        words[at + 1] -= 1
        guard words[at + 1] == 0 else { return }
        words.removeSubrange(at..<at + 2)
        if at > runsAt && at < words.count && words[at - 2] == words[at] {
            words[at - 1] += words[at + 1]
            words.removeSubrange(at..<at + 2)
        }
    }

    // MARK: Back to names

    /// The named actions of an abstract plan from `instance`, given as each move with the
    /// state it is made from: each move acts on the first member, in name order, of its
    /// kind and status (a disconnect on the latest connection of its run). Grant and
    /// revoke are done by the owner; remove by the owner, or else by the first admin, in
    /// name order, other than the target.
    func concrete(_ plan: [(Move, AbstractState)], from instance: Instance) -> [Action] {
        var pools = members.map { Array($0.reversed()) }
        var order = instance.connections.map { instance.memberID($0)! }
        let runsAt = kinds.count * statusStride
        let admins = instance.members.filter { $0.role == .admin }.map { instance.memberID($0.name)! }
        var removed = Set<MemberID>()
        var firstAdmin = 0
        func admin(after index: Int) -> Int {
            var i = index
            while removed.contains(admins[i]) { i += 1 }
            return i
        }
        var actions: [Action] = []
        actions.reserveCapacity(plan.count)
        for (move, state) in plan {
            let kind = move.operand
            func take(_ status: Status) -> MemberID { pools[kind * statusStride + status.rawValue].removeLast() }
            func put(_ id: MemberID, _ status: Status) { pools[kind * statusStride + status.rawValue].append(id) }
            func name(_ id: MemberID) -> String { instance.name(of: id) }
            switch move.verb {
            case .connect:
                let member = take(move.status)
                order.append(member)
                actions.append(.connect(actor: name(member)))
            case .disconnect:
                var end = 0
                for run in 0...move.operand { end += Int(state.words[runsAt + run * 2 + 1]) }
                let member = order.remove(at: end - 1)
                pools[Int(state.words[runsAt + move.operand * 2]) * statusStride + Status.plain.rawValue].append(member)
                actions.append(.disconnect(actor: name(member)))
            case .grant:
                let member = take(move.status)
                put(member, .granted)
                actions.append(.grant(actor: name(order.last!), targets: [name(member)]))
            case .revoke:
                let member = take(.granted)
                put(member, .plain)
                actions.append(.revoke(actor: name(order.last!), targets: [name(member)]))
            case .remove:
                let member = take(move.status)
                firstAdmin = admin(after: firstAdmin)
                var actor = order.last ?? admins[firstAdmin]
                if actor == member { actor = admins[admin(after: firstAdmin + 1)] }
                removed.insert(member)
                actions.append(.remove(actor: name(actor), targets: [name(member)]))
            }
        }
        return actions
    }
}
