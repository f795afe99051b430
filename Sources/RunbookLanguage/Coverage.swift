import ConnectionCore

/// Which rules of the catalogue a run exercised, counted from its outcomes: a rule is
/// triggered in a scenario where an `expect violation` that held was refused by it, and
/// it checks every action it could refuse: an action performed with no refusal was
/// checked and let through by every rule of its verb (a declaration, by the rules that
/// refuse declarations). A program's background counts as a scenario of its own.
public struct Coverage: Sendable, RunObserver {
    /// One rule's counts.
    public struct Count: Sendable, Hashable {
        /// Scenarios in which an `expect violation` that held was refused by the rule.
        public var scenarios = 0
        /// Performed actions (or declarations) the rule checked and let through.
        public var checked = 0
    }

    /// Counts by rule, in catalogue order.
    private var counts = [Count](repeating: Count(), count: Rule.catalogue.count)
    /// The rules triggered in the scenario running now, as bits by catalogue position.
    private var triggeredNow: UInt64 = 0
    /// The catalogue positions of the rules that check each verb, by raw value, and those
    /// that check declarations.
    private static let checking: [[Int]] = Verb.allCases.map { verb in
        Rule.catalogue.indices.filter { Rule.catalogue[$0].verbs.contains(verb) }
    }
    private static let checkingDeclarations = Rule.catalogue.indices.filter { Rule.catalogue[$0].refusesDeclarations }

    public init() {}

    /// The counts of `rule`.
    public func count(of rule: RuleID) -> Count {
        let position = RuleID.allCases.firstIndex(of: rule)!
        var count = counts[position]
        if triggeredNow & (1 << position) != 0 { count.scenarios += 1 }
        return count
    }

    /// The rules no scenario triggered, in catalogue order.
    public var neverTriggered: [RuleID] { RuleID.allCases.filter { count(of: $0).scenarios == 0 } }

    public mutating func begin(_ program: Program, scenario: Scenario?, from instance: Instance) {
        closeScenario()
    }

    public mutating func observe(_ outcome: Outcome, leaving instance: Instance) {
        switch outcome.result {
        case .held:
            if let rule = outcome.rule { triggeredNow |= 1 << RuleID.allCases.firstIndex(of: rule)! }
        case .performed:
            // A hazard performed anyway was triggered: the rule flagged the step.
            if let rule = outcome.rule { triggeredNow |= 1 << RuleID.allCases.firstIndex(of: rule)! }
            let positions: [Int]
            switch outcome.statement.kind {
            case .action(let verb, _): positions = Self.checking[Int(verb.rawValue)]
            default: positions = Self.checkingDeclarations
            }
            for p in positions { counts[p].checked += 1 }
        case .shown, .stopped:
            break
        }
    }

    /// Adds the scenario that ran last to the counts.
    private mutating func closeScenario() {
        for p in counts.indices where triggeredNow & (1 << p) != 0 { counts[p].scenarios += 1 }
        triggeredNow = 0
    }
}
