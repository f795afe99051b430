import ConnectionCore
import RunbookLanguage

/// A deliberately plain reference interpreter, written from `SPEC.md` §1 and §2 and
/// sharing no code with the language's interpreter or the core's `Instance`: dictionaries,
/// arrays and sets, each rule written as the specification's table reads, in its order.
/// The tests and the fuzzer hold the interpreter against it.
public enum Reference {
    /// What an `expect NAMES ...` claims.
    public enum Check: Sendable, Hashable, CaseIterable {
        case connected, notConnected, hasAccess, absent, stranded
    }

    /// A statement, as a value.
    public enum Statement: Sendable, Hashable {
        case declare(Role, [String])
        /// `as ACTOR VERB [TARGETS] [anyway]`.
        case action(Verb, actor: String, targets: [String], anyway: Bool = false)
        case expectOwner(String?)
        case expectMembers(Check, [String])
        /// `expect violation [RULE-ID] as ACTOR VERB [TARGETS]`; the rule as written.
        case expectViolation(rule: String?, Verb, actor: String, targets: [String])
        case show
    }

    /// A statement and the line it is on.
    public struct Line: Sendable, Hashable {
        public var statement: Statement
        public var line: Int

        public init(_ statement: Statement, line: Int) {
            self.statement = statement
            self.line = line
        }
    }

    /// A file: its background, then its scenarios.
    public struct Program: Sendable, Hashable {
        public var background: [Line] = []
        public var scenarios: [[Line]] = []

        public init(background: [Line] = [], scenarios: [[Line]] = []) {
            self.background = background
            self.scenarios = scenarios
        }
    }

    /// How a run ends, as the command line reports it.
    public struct Result: Sendable, Hashable, CustomStringConvertible {
        /// Errors found before anything runs (exit 65): nothing ran.
        public var refusedBeforeRunning = false
        /// Stopped on a violation or a failed expectation (exit 1).
        public var stopped = false
        /// The rule of a violation that stopped the run.
        public var rule: RuleID?
        /// The line of the statement that stopped the run.
        public var line: Int?
        /// The lines of the steps that performed a hazard `anyway`, in the order they ran:
        /// each a warning naming who was stranded.
        public var hazards: [Int]

        public init(
            refusedBeforeRunning: Bool = false, stopped: Bool = false, rule: RuleID? = nil, line: Int? = nil, hazards: [Int] = []
        ) {
            self.refusedBeforeRunning = refusedBeforeRunning
            self.stopped = stopped
            self.rule = rule
            self.line = line
            self.hazards = hazards
        }

        /// The exit status SPEC §3 gives this result.
        public var exitStatus: Int32 { refusedBeforeRunning ? 65 : stopped ? 1 : 0 }

        public var description: String {
            "exit \(exitStatus)" + (rule.map { " [\($0.rawValue)]" } ?? "") + (line.map { " at line \($0)" } ?? "")
                + (hazards.isEmpty ? "" : ", hazards performed anyway at lines \(hazards)")
        }
    }

    // MARK: The model

    /// SPEC §1's state: members with roles, admin connections in order, grants, stranded
    /// members.
    public struct State: Sendable {
        public internal(set) var roles: [String: Role] = [:]
        public internal(set) var connections: [String] = []
        public internal(set) var grants: Set<String> = []
        public internal(set) var stranded: Set<String> = []

        public init() {}

        var live: Bool { !connections.isEmpty }
        var owner: String? { connections.last }

        func connected(_ name: String) -> Bool {
            roles[name] != nil && (connections.contains(name) || (grants.contains(name) && live))
        }

        /// The first rule of SPEC §1's table that refuses the action; with `anyway`, the
        /// first that is a refusal (a hazard is passed).
        func refusal(_ verb: Verb, _ actor: String, _ targets: [String], anyway: Bool = false) -> RuleID? {
            if roles[actor] == nil { return .unknownMember }
            for t in targets where roles[t] == nil { return .unknownMember }
            switch verb {
            case .connect:
                if roles[actor] != .admin { return .connectRequiresAdmin }
                if grants.contains(actor) { return .accessBlocksConnect }
                if connections.contains(actor) { return .alreadyConnected }
            case .disconnect:
                if !connections.contains(actor) { return .disconnectRequiresConnection }
                if connections == [actor] && !grants.isEmpty && !anyway { return .disconnectStrandsUsers }
            case .grant:
                if !connections.contains(actor) { return .accessRequiresConnection }
                if targets.contains(where: grants.contains) { return .alreadyHasAccess }
                if targets.contains(where: connections.contains) { return .alreadyConnected }
            case .revoke:
                if !connections.contains(actor) { return .accessRequiresConnection }
                if targets.contains(where: { !grants.contains($0) }) { return .noAccessToRevoke }
            case .remove:
                if roles[actor] != .admin { return .removeRequiresAdmin }
                if targets.contains(actor) { return .removeSelf }
                if targets.contains(where: connections.contains) { return .removeConnectedAdmin }
            }
            return nil
        }

        mutating func apply(_ verb: Verb, _ actor: String, _ targets: [String]) {
            switch verb {
            case .connect:
                connections.append(actor)
                stranded.remove(actor)
            case .disconnect:
                connections.removeAll { $0 == actor }
                // Every member holding a grant loses it when the integration stops.
                if connections.isEmpty {
                    stranded.formUnion(grants)
                    grants = []
                }
            case .grant:
                grants.formUnion(targets)
                stranded.subtract(targets)
            case .revoke: grants.subtract(targets)
            case .remove:
                for t in targets {
                    roles[t] = nil
                    grants.remove(t)
                    stranded.remove(t)
                }
            }
        }

        /// Whether an expectation holds; expectations perform no action.
        func holds(_ statement: Statement) -> Bool {
            switch statement {
            case .expectOwner(let name): return owner == name
            case .expectMembers(let check, let names):
                return names.allSatisfy { name in
                    switch check {
                    case .connected: connected(name)
                    case .notConnected: roles[name] != nil && !connected(name)
                    case .hasAccess: roles[name] != nil && grants.contains(name)
                    case .absent: roles[name] == nil
                    case .stranded: roles[name] != nil && stranded.contains(name)
                    }
                }
            case .expectViolation(let rule, let verb, let actor, let targets):
                guard let refused = refusal(verb, actor, targets) else { return false }
                return rule == nil || rule == refused.rawValue
            default: return true
            }
        }
    }

    // MARK: Running

    /// Runs a program as `runbook run` does: errors found before running first, then the
    /// background, then each scenario on a copy of the state the background left, stopping
    /// at the first violation or failed expectation.
    public static func run(_ program: Program) -> Result {
        let all = program.background + program.scenarios.flatMap { $0 }
        for line in all where !isValid(line.statement) { return Result(refusedBeforeRunning: true) }
        var state = State()
        var hazards: [Int] = []
        if var stop = run(program.background, &state, &hazards) {
            stop.hazards = hazards
            return stop
        }
        for scenario in program.scenarios {
            var copy = state
            if var stop = run(scenario, &copy, &hazards) {
                stop.hazards = hazards
                return stop
            }
        }
        return Result(hazards: hazards)
    }

    /// SPEC §2's errors found before anything runs: a rule id not in the catalogue, a name
    /// listed twice in one statement.
    static func isValid(_ statement: Statement) -> Bool {
        func once(_ names: [String]) -> Bool { Set(names).count == names.count }
        switch statement {
        case .declare(_, let names), .expectMembers(_, let names): return once(names)
        case .action(_, _, let targets, _): return once(targets)
        case .expectViolation(let rule, _, _, let targets):
            return once(targets) && (rule == nil || RuleID(rawValue: rule!) != nil)
        case .expectOwner, .show: return true
        }
    }

    private static func run(_ lines: [Line], _ state: inout State, _ hazards: inout [Int]) -> Result? {
        for line in lines {
            var anyway = false
            if case .action(_, _, _, true) = line.statement { anyway = true }
            let hazard = anyway && flagsHazard(line.statement, in: state)
            if let stop = step(line, &state) { return stop }
            if hazard { hazards.append(line.line) }
        }
        return nil
    }

    /// Whether a hazard flags the step: the product would perform it, and someone would
    /// lose access.
    public static func flagsHazard(_ statement: Statement, in state: State) -> Bool {
        guard case .action(let verb, let actor, let targets, _) = statement else { return false }
        return state.refusal(verb, actor, targets).map { $0.kind == .hazard } ?? false
    }

    /// Runs one statement of a program whose statements are all valid; the result when it
    /// stops the run.
    public static func step(_ line: Line, _ state: inout State) -> Result? {
        switch line.statement {
        case .declare(let role, let names):
            if names.contains(where: { state.roles[$0] != nil }) {
                return Result(stopped: true, rule: .duplicateMember, line: line.line)
            }
            for n in names { state.roles[n] = role }
        case .action(let verb, let actor, let targets, let anyway):
            if let rule = state.refusal(verb, actor, targets, anyway: anyway) {
                return Result(stopped: true, rule: rule, line: line.line)
            }
            state.apply(verb, actor, targets)
        case .show:
            break
        default:
            if !state.holds(line.statement) { return Result(stopped: true, line: line.line) }
        }
        return nil
    }

    // MARK: From a parsed chunk

    /// The lines of the hazards an evaluation performed anyway, as the reference counts them.
    public static func hazardLines(of evaluation: Evaluation) -> [Int] {
        evaluation.warnings.filter { $0.id == .hazardAccepted }.map { $0.source.location(of: $0.range.lowerBound).line }
    }

    /// A parsed chunk's statements as values, for the fuzzer, which has bytes, not values.
    public static func program(of chunk: Chunk) -> Program {
        var lines = LineTable(chunk.source)
        func line(_ index: Int) -> Line {
            let statement = chunk.statements[index]
            let names = chunk.names(of: index).map(\.text)
            let value: Statement
            switch statement.kind {
            case .declare(let role): value = .declare(role, names)
            case .action(let verb, let anyway):
                value = .action(verb, actor: names[0], targets: Array(names.dropFirst()), anyway: anyway)
            case .expectOwner: value = .expectOwner(names.first)
            case .expectMembers(let check):
                let checks: [MemberCheck: Check] = [
                    .connected: .connected, .notConnected: .notConnected, .hasAccess: .hasAccess, .absent: .absent,
                    .stranded: .stranded,
                ]
                value = .expectMembers(checks[check]!, names)
            case .expectViolation(let rule, let verb):
                let written: String? =
                    switch rule {
                    case .any: nil
                    case .rule(let id): id.rawValue
                    case .unknown: chunk.ruleRange(of: index).map(chunk.source.text)
                    }
                value = .expectViolation(rule: written, verb, actor: names[0], targets: Array(names.dropFirst()))
            case .show: value = .show
            case .broken: preconditionFailure("a program has no broken statement")
            }
            return Line(value, line: lines.line(of: statement.range.lowerBound))
        }
        return Program(
            background: chunk.background.map(line), scenarios: chunk.scenarios.map { $0.statements.map(line) })
    }
}
