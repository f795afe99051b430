import ConnectionCore

/// What people click in the product to carry out runbooks that ran clean (SPEC §5): the
/// state they start from, a section per run of actions by one admin, each action's click
/// path and each expectation's check, and what changed. Recorded by `ProcedureRecorder`
/// from the one run `run` does; written out by `markdown(_:)`.
public struct Procedure: Sendable {
    /// What a person should see in the product at one point: an expectation, in the
    /// product's terms.
    public enum Check: Sendable, Hashable {
        /// `expect owner NAME` (`nil`: `expect owner none`).
        case owner(String?)
        /// `expect NAMES connected`: who is connected as an admin, who through access.
        case connected(admins: [String], throughAccess: [String])
        case notConnected([String])
        case hasAccess([String])
        case absent([String])
        /// `expect NAMES stranded`: members who lost their access when the integration
        /// stopped, not granted it again.
        case stranded([String])
        /// `expect violation`: a step the product refuses at that point, as the runbook spells it.
        /// `losing`: who would lose access, where the rule is a hazard.
        case refused(statement: String, rule: RuleID?, losing: [String])
        /// A declaration after the opening: members the instance must already have.
        case members(Role, [String])
    }

    /// One line of a section: an action, or a check after it.
    public enum Item: Sendable, Hashable {
        case action(Verb, targets: [String])
        case check(Check)
    }

    /// Who follows a section, at the moment it starts, in the words the page heads its
    /// sections with.
    public enum ActorRole: Sendable, Hashable {
        /// The owner: the admin the integration is tied to now.
        case connectedAdmin
        /// An admin connection from before the procedure that is no longer the owner.
        case originallyConnectedAdmin
        /// An admin connection made during the procedure that is not the owner.
        case anotherConnectedAdmin
        /// An admin who is not connected and connects in this section.
        case newAdmin
        /// An admin who is not connected.
        case unconnectedAdmin
    }

    /// A run of consecutive actions by one admin, and the checks among and after them.
    public struct Section: Sendable, Hashable {
        public let actor: String
        public let role: ActorRole
        public internal(set) var items: [Item]
    }

    /// Where the opening that set up today's instance is: the file and its lines.
    public struct Opening: Sendable, Hashable {
        public let file: String
        public let lines: ClosedRange<Int>
    }

    /// The runbooks' names, in order.
    public internal(set) var sources: [String] = []
    /// The lines that set the instance up rather than change it, if any.
    public internal(set) var opening: Opening?
    /// The state the procedure starts from.
    public internal(set) var start = Instance()
    /// The state it leaves.
    public internal(set) var end = Instance()
    /// The checks to make before the first step.
    public internal(set) var checksBefore: [Check] = []
    public internal(set) var sections: [Section] = []

    /// What changed from `start` to `end`.
    public var change: Change { Change(from: start, to: end) }

    /// The one place that says which runbooks cannot become a procedure, before they run:
    /// a file with scenarios (alternatives, not one sequence of steps). An action that ends
    /// with `anyway` (SPEC §2) is refused here too, once the language has that keyword: a
    /// procedure never strands anyone on purpose.
    /// - Returns: the reason, for the first program that cannot, or `nil`.
    public static func refusal(of programs: [Program], locating: Bool = true) -> String? {
        for program in programs where !program.chunk.scenarios.isEmpty {
            return ProcedureWords.hasScenarios(program.source.name)
        }
        // A step performed anyway may strand members: a procedure never does.
        for program in programs {
            let chunk = program.chunk
            if let index = chunk.statements.firstIndex(where: \.isAnyway) {
                let (line, column) = chunk.source.location(of: chunk.statements[index].range.lowerBound)
                return ProcedureWords.hasAnyway(
                    Words.printable(program.source.name), at: locating ? (line, column) : nil,
                    statement: Words.printable(Words.statement(index, in: chunk)))
            }
        }
        return nil
    }

    /// How many of the first statements of a runbook set up the instance as it is today
    /// rather than change it. A runbook that begins by declaring its members describes
    /// today's instance before it changes it: its opening runs through its first
    /// expectations (the checks that today is as described), unless no action would be
    /// left after them, when it is the leading declarations. Otherwise (a plan, a runbook
    /// for a state file) the opening is the expectations it begins with, if any. (When
    /// other files follow a first file that begins by declaring members, that file is the
    /// opening whole: `ProcedureRecorder` decides it when the second begins.)
    static func openingCount(of chunk: Chunk) -> Int {
        let statements = chunk.statements[chunk.background]
        func isCheck(_ s: Statement) -> Bool { s.isExpectation || s.tag == .show }
        func endOfChecks(from start: Int) -> Int {
            var i = start
            while i < statements.endIndex && isCheck(statements[i]) { i += 1 }
            return i
        }
        guard let first = statements.first, first.tag == .declare else { return endOfChecks(from: 0) }
        var declarations = 0
        while declarations < statements.endIndex && (statements[declarations].tag == .declare || statements[declarations].tag == .show) {
            declarations += 1
        }
        guard let firstCheck = statements.firstIndex(where: \.isExpectation) else { return declarations }
        let end = endOfChecks(from: firstCheck)
        return statements[end...].contains { $0.tag == .action } ? end : declarations
    }
}

// MARK: - Recording

/// Records the procedure of a run as the one interpreter runs it: each action with who
/// took it and in what role, each expectation as what to see in the product. The host
/// runs every program with it, in order, and asks for the procedure when all ran clean
/// and `refusal` is `nil`.
public struct ProcedureRecorder: RunObserver {
    private var procedure = Procedure()
    /// Why the runbooks cannot become a procedure, if they cannot (`Procedure.refusal`).
    public private(set) var refusal: String?
    /// Whether the run took more actions than `maxActions`, so that nothing more was
    /// recorded: what the rehearsal report prints of a long run.
    public private(set) var tooLong = false
    /// The most actions recorded.
    public let maxActions: Int
    private var actions = 0
    /// How many statements of the first program are its opening.
    private var openingCount = 0
    private var programs = 0
    private var chunk: Chunk?
    /// The owner before the statement being observed.
    private var ownerBefore: String?
    /// The admin connections the procedure started with.
    private var startConnections: Set<String> = []
    /// The opening's first and last statement offsets in the first program.
    private var openingRange: Range<Int>?
    /// The first program, when it begins by declaring members: followed by other files, it
    /// is the opening whole.
    private var settingUp: Chunk?
    /// The checks of the first program after its last action: what today looks like when
    /// it is the opening.
    private var checksSinceAction: [Procedure.Check] = []

    /// Whether a refusal says where the step it is about is: not for runbooks a host wrote
    /// itself (the REPL's session), whose lines the user never saw.
    private let locatesSteps: Bool

    /// A recorder of at most `maxActions` actions.
    public init(maxActions: Int = .max, locatesSteps: Bool = true) {
        self.maxActions = maxActions
        self.locatesSteps = locatesSteps
    }

    public mutating func begin(_ program: Program, scenario: Scenario?, from instance: Instance) {
        guard scenario == nil else { return }
        if refusal == nil { refusal = Procedure.refusal(of: [program], locating: locatesSteps) }
        programs += 1
        chunk = program.chunk
        procedure.sources.append(program.source.name)
        if programs == 1 {
            openingCount = Procedure.openingCount(of: program.chunk)
            if openingCount == 0 { startHere(instance) }
            if program.chunk.statements.first?.tag == .declare { settingUp = program.chunk }
        } else if programs == 2, let first = settingUp, let last = first.background.last {
            // A file that sets up the instance, then the files that change it.
            procedure.sections = []
            procedure.checksBefore = checksSinceAction
            actions = 0
            procedure.opening = opening(first.statements[0].range.lowerBound..<first.statements[last].range.upperBound, in: first.source)
            startHere(instance)
        }
        ownerBefore = instance.owner
    }

    public mutating func observe(_ outcome: Outcome, leaving instance: Instance) {
        guard !tooLong, let chunk, outcome.index < chunk.backgroundCount else { return }
        // A step the rules refused, or a check that failed, is no part of a procedure.
        if case .stopped = outcome.result { return }
        defer { ownerBefore = instance.owner }
        let index = outcome.index
        let names = chunk.memberNames(of: index)
        let inOpening = programs == 1 && index < openingCount
        if inOpening {
            let range = outcome.range
            openingRange = (openingRange?.lowerBound ?? range.lowerBound)..<range.upperBound
        }
        switch outcome.statement.kind {
        case .declare(let role):
            if !inOpening { add(.members(role, names)) }
        case .action(let verb, _):
            if programs == 1 { checksSinceAction = [] }
            guard !inOpening else { break }
            actions += 1
            if actions > maxActions {
                tooLong = true
                return
            }
            let actor = names[0]
            let targets = Array(names.dropFirst())
            if procedure.sections.last?.actor != actor {
                procedure.sections.append(
                    Procedure.Section(actor: actor, role: role(of: actor, taking: verb, in: instance), items: []))
            }
            procedure.sections[procedure.sections.count - 1].items.append(.action(verb, targets: targets))
        case .expectOwner:
            add(.owner(names.first))
        case .expectMembers(let check):
            switch check {
            case .connected:
                add(
                    .connected(
                        admins: names.filter(instance.isAdminConnection), throughAccess: names.filter { !instance.isAdminConnection($0) }))
            case .notConnected: add(.notConnected(names))
            case .hasAccess: add(.hasAccess(names))
            case .absent: add(.absent(names))
            case .stranded: add(.stranded(names))
            }
        case .expectViolation(_, let verb):
            let statement = Words.statement(.action(verb, anyway: false), names: names)
            // A hazard the product would perform: those holding access would lose it.
            let losing = outcome.rule?.kind == .hazard ? instance.grantHolders : []
            add(.refused(statement: statement, rule: outcome.rule, losing: losing))
        case .show, .broken:
            break
        }
        if inOpening && index == openingCount - 1 {
            if let openingRange { procedure.opening = opening(openingRange, in: chunk.source) }
            startHere(instance)
        }
    }

    /// The procedure recorded, ending at `instance`, the state the run left.
    public func procedure(endingAt instance: Instance) -> Procedure {
        var procedure = procedure
        procedure.end = instance
        return procedure
    }

    private mutating func startHere(_ instance: Instance) {
        procedure.start = instance
        startConnections = Set(instance.connections)
    }

    /// Adds a check: before the first step while no section has begun.
    private mutating func add(_ check: Procedure.Check) {
        if programs == 1 { checksSinceAction.append(check) }
        if procedure.sections.isEmpty {
            procedure.checksBefore.append(check)
        } else {
            procedure.sections[procedure.sections.count - 1].items.append(.check(check))
        }
    }

    /// The actor's role just before it took `verb`, read from the state the step left:
    /// only `connect` and `disconnect` change whether the actor is an admin connection.
    private func role(of actor: String, taking verb: Verb, in after: Instance) -> Procedure.ActorRole {
        if actor == ownerBefore { return .connectedAdmin }
        let wasConnected =
            switch verb {
            case .connect: false
            case .disconnect: true
            default: after.isAdminConnection(actor)
            }
        if wasConnected { return startConnections.contains(actor) ? .originallyConnectedAdmin : .anotherConnectedAdmin }
        return verb == .connect ? .newAdmin : .unconnectedAdmin
    }

    private func opening(_ range: Range<Int>, in source: SourceFile) -> Procedure.Opening {
        var lines = LineTable(source)
        let first = lines.line(of: range.lowerBound)
        return Procedure.Opening(file: source.name, lines: first...max(first, lines.line(of: max(range.lowerBound, range.upperBound - 1))))
    }
}

// MARK: - What changed

/// What a change did, at a glance: the owner before and after, who was removed, who kept,
/// gained or lost their connection. The procedure's *After* and the plan's `# after:` line
/// both say it.
public struct Change: Sendable, Hashable {
    public let ownerBefore: String?
    public let ownerAfter: String?
    /// Members before who are not members after.
    public let removed: [String]
    /// Connected before and after (the owner after aside).
    public let keep: [String]
    /// Connected after, not before (the owner after aside).
    public let gain: [String]
    /// Connected before, not after, and still members.
    public let lose: [String]

    public init(from before: Instance, to after: Instance) {
        ownerBefore = before.owner
        ownerAfter = after.owner
        let names = Set(before.members.map(\.name)).union(after.members.map(\.name)).sorted()
        removed = names.filter { before.isMember($0) && !after.isMember($0) }
        keep = names.filter { before.isConnected($0) && after.isConnected($0) && $0 != after.owner }
        gain = names.filter { !before.isConnected($0) && after.isConnected($0) && $0 != after.owner }
        lose = names.filter { before.isConnected($0) && !after.isConnected($0) && after.isMember($0) }
    }
}
