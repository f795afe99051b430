import ConnectionCore

/// One stretch of a run, a program's background or one scenario after it, as the
/// rehearsal report draws it: each member's status before the first step, and after every
/// step that changed one. Recorded statement by statement as the interpreter runs, in time
/// linear in the names the statements list: a step can change the status of only the
/// members it names and of the owners before and after it (and of every grant holder when
/// the integration goes up or down, which no reachable state does with grants).
public struct Timeline: Sendable {
    /// A step that changed at least one member's status, or the step that stopped the run.
    public struct Step: Sendable, Hashable {
        let statement: Int32
        /// Where its changes start in `changes`; they end where the next step's start.
        let firstChange: Int32

        /// The statement's index in its chunk.
        public var index: Int { Int(statement) }
    }

    /// A member's new status after a step.
    struct Change: Sendable, Hashable {
        let member: Int32
        let status: MemberStatus
    }

    public let program: Program
    /// The scenario, or `nil` for the background.
    public let scenario: Scenario?
    /// The instance before the first step: the names and statuses of the members it had.
    let start: Instance
    /// The steps that changed a status, and the one that stopped the run, in order.
    public private(set) var steps: [Step] = []
    var changes: [Change] = []
    /// Statements run, whether they changed a status or not.
    public private(set) var statementsRun = 0
    /// The outcome of the statement that stopped the run, if one did.
    public private(set) var stop: Outcome?
    /// The outcomes of the steps performed `anyway`, each with its warning, in order.
    public private(set) var warned: [Outcome] = []
    /// How many members were stranded after the last statement that ran.
    public private(set) var strandedAtEnd: Int
    /// How many members were stranded before the first statement.
    public var strandedAtStart: Int { start.strandedCount }

    /// Each member's status now, by member id: `unread` until a step names it.
    private var current: [UInt8] = []
    private static let unread: UInt8 = 0xFF
    /// The name and role of each member id whose status a step changed to a present one.
    private var seen: [Int32: (name: String, role: Role)] = [:]
    /// The member id of each of the chunk's name ids, -1 until looked up.
    private var memberOfName: [Int32] = []
    private var owner: MemberID?
    private var live: Bool

    /// Starts the timeline of `scenario` of `program` (the background for `nil`) from `instance`.
    public init(_ program: Program, scenario: Scenario?, from instance: Instance) {
        self.program = program
        self.scenario = scenario
        start = instance
        strandedAtEnd = instance.strandedCount
        owner = instance.ownerID
        live = instance.isLive
    }

    /// Records a statement that ran and left `instance`.
    public mutating func record(_ outcome: Outcome, leaving instance: Instance) {
        statementsRun += 1
        if outcome.warning != nil { warned.append(outcome) }
        strandedAtEnd = instance.strandedCount
        switch outcome.result {
        case .held, .shown: return
        case .stopped:
            stop = outcome
            steps.append(Step(statement: Int32(outcome.index), firstChange: Int32(changes.count)))
            return
        case .performed: break
        }
        let first = changes.count
        let ids = program.chunk.ids(of: outcome.index)
        if memberOfName.isEmpty { memberOfName = [Int32](repeating: -1, count: program.chunk.names.count) }
        for id in ids {
            var member = memberOfName[Int(id)]
            if member < 0, let found = instance.memberID(program.chunk.name(id)) {
                member = found.index
                memberOfName[Int(id)] = member
            }
            if member >= 0 { note(MemberID(member), in: instance) }
        }
        let newOwner = instance.ownerID
        if let owner { note(owner, in: instance) }
        if let newOwner, newOwner != owner { note(newOwner, in: instance) }
        owner = newOwner
        if instance.isLive != live {
            live = instance.isLive
            // Grant holders are connected or not with the integration; stopped under them (a
            // hazard performed anyway), they are stranded.
            for i in 0..<Int32(instance.internedCount) where instance.hasAccess(MemberID(i)) || instance.isStranded(MemberID(i)) {
                note(MemberID(i), in: instance)
            }
        }
        if changes.count > first { steps.append(Step(statement: Int32(outcome.index), firstChange: Int32(first))) }
    }

    /// Records the member's status in `instance` when it differs from the one it had.
    private mutating func note(_ member: MemberID, in instance: Instance) {
        let i = Int(member.index)
        let status = instance.status(of: member)
        if i >= current.count { current.append(contentsOf: repeatElement(Self.unread, count: i + 1 - current.count)) }
        let before = current[i] == Self.unread ? startStatus(of: member) : MemberStatus(rawValue: current[i])!
        guard status != before else { return }
        current[i] = status.rawValue
        changes.append(Change(member: member.index, status: status))
        if status != .absent, let role = instance.role(of: member) { seen[member.index] = (instance.name(of: member), role) }
    }

    /// The member's status before the first step.
    private func startStatus(of member: MemberID) -> MemberStatus {
        Int(member.index) < start.internedCount ? start.status(of: member) : .absent
    }

    /// How many members a step stranded: only a hazard performed `anyway` does.
    public var strandedMembers: Int {
        Set(changes.lazy.filter { $0.status == .stranded }.map(\.member)).count
    }

    /// The changes of the step at `position` in `steps`.
    func changes(ofStep position: Int) -> Range<Int> {
        Int(steps[position].firstChange)..<(position + 1 < steps.count ? Int(steps[position + 1].firstChange) : changes.count)
    }

    /// The name and latest role of a member id that was a member in this stretch.
    func nameAndRole(of member: Int32) -> (name: String, role: Role) {
        if let seen = seen[member] { return seen }
        let id = MemberID(member)
        return (start.name(of: id), start.role(of: id)!)
    }
}

// MARK: - The grid

/// What the rehearsal report's grid shows of a timeline: a row per member, a column per
/// step that changed a status, members whose cells are all alike folded into one row.
public struct Grid: Sendable {
    /// A step shown as a column.
    public struct Column: Sendable, Hashable {
        /// The statement's index in its chunk.
        public let statement: Int
        /// Whether it is the step that stopped the run.
        public let stops: Bool
    }

    /// Cells side by side with one status.
    public struct Run: Sendable, Hashable {
        public let status: MemberStatus
        /// How many columns the cells take, the starting state's column included.
        public let span: Int
    }

    /// A member, or members whose cells are all alike.
    public struct Row: Sendable {
        /// The members' names, in the order they appeared; at most the grid's name limit.
        public let names: [String]
        /// How many members the row stands for.
        public let count: Int
        /// Their role, when they all have one.
        public let role: Role?
        /// The cells from the starting state to the last step shown.
        public let runs: [Run]

        /// Whether the status never changes on the row.
        public var isConstant: Bool { runs.allSatisfy { $0.status == runs[0].status } }
    }

    /// The steps shown, after the column of the state they start from.
    public let columns: [Column]
    /// Steps that changed a status before the first one shown: the starting column is the
    /// state they left.
    public let hiddenSteps: Int
    /// The statement after which the starting column's state holds, when steps are hidden.
    public let startsAfter: Int?
    public let rows: [Row]
}

extension Timeline {
    /// The grid of this timeline: at most `maxColumns` steps (the last ones, so the step that
    /// stopped the run is always shown), members whose status never changes folded into a
    /// row per role and status when there are two or more, and members whose cells are all
    /// alike folded into one row when there are more than `foldAbove`. A row lists at most
    /// `nameLimit` names. Members absent in every column have no row.
    public func grid(maxColumns: Int, foldAbove: Int = 6, nameLimit: Int = 100) -> Grid {
        let shown = max(0, steps.count - maxColumns)..<steps.count
        let firstShownChange = shown.isEmpty ? changes.count : Int(steps[shown.lowerBound].firstChange)
        let columnCount = shown.count + 1

        // Statuses in the starting column: the start, then the hidden steps' changes.
        var limit = start.internedCount
        for change in changes { limit = max(limit, Int(change.member) + 1) }
        var base = [MemberStatus](repeating: .absent, count: limit)
        for i in 0..<start.internedCount { base[i] = start.status(of: MemberID(Int32(i))) }
        for change in changes[..<firstShownChange] { base[Int(change.member)] = change.status }

        // The shown changes, by member, in column order.
        var shownChanges: [(member: Int32, column: Int, status: MemberStatus)] = []
        for (offset, position) in shown.enumerated() {
            for change in changes[self.changes(ofStep: position)] {
                shownChanges.append((change.member, offset + 1, change.status))
            }
        }
        shownChanges.sort { ($0.member, $0.column) < ($1.member, $1.column) }
        let stopColumn = stop != nil && !shown.isEmpty ? shown.count : nil

        // Each member's cells as runs, grouped by role and cells.
        struct Key: Hashable {
            let role: Role
            let runs: [Grid.Run]
        }
        var groups: [Key: [Int32]] = [:]
        var order: [Key] = []
        func add(_ member: Int32, _ runs: [Grid.Run]) {
            let key = Key(role: nameAndRole(of: member).role, runs: runs)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(member)
        }
        func runs(from status: MemberStatus, _ changes: ArraySlice<(member: Int32, column: Int, status: MemberStatus)>) -> [Grid.Run] {
            var runs: [Grid.Run] = []
            var status = status
            var from = 0
            func cut(at column: Int) {
                runs.append(Grid.Run(status: status, span: column - from))
                from = column
            }
            for change in changes {
                cut(at: change.column)
                status = change.status
            }
            // The stopping step changed nothing; its column has cells of its own, to be marked.
            if let stopColumn { cut(at: stopColumn) }
            cut(at: columnCount)
            return runs
        }
        var next = shownChanges.startIndex
        for member in 0..<Int32(limit) {
            var end = next
            while end < shownChanges.endIndex && shownChanges[end].member == member { end += 1 }
            let changes = shownChanges[next..<end]
            next = end
            guard base[Int(member)] != .absent || !changes.isEmpty else { continue }
            add(member, runs(from: base[Int(member)], changes))
        }

        // Rows in the order members appeared; constant groups folded at the end.
        var rows: [(first: Int32, row: Grid.Row)] = []
        var constant: [Grid.Row] = []
        for key in order {
            let members = groups[key]!
            let row = Grid.Row(
                names: members.prefix(nameLimit).map { nameAndRole(of: $0).name }, count: members.count, role: key.role,
                runs: key.runs)
            if members.count >= 2 && row.isConstant {
                constant.append(row)
            } else if members.count > foldAbove {
                rows.append((members[0], row))
            } else {
                for member in members {
                    rows.append((member, Grid.Row(names: [nameAndRole(of: member).name], count: 1, role: key.role, runs: key.runs)))
                }
            }
        }
        rows.sort { $0.first < $1.first }
        constant.sort { ($0.runs[0].status.rawValue, $0.role == .admin ? 0 : 1) < ($1.runs[0].status.rawValue, $1.role == .admin ? 0 : 1) }
        return Grid(
            columns: shown.map { Grid.Column(statement: steps[$0].index, stops: stopColumn != nil && $0 == shown.upperBound - 1) },
            hiddenSteps: shown.lowerBound, startsAfter: shown.lowerBound > 0 ? steps[shown.lowerBound - 1].index : nil,
            rows: rows.map(\.row) + constant)
    }
}
